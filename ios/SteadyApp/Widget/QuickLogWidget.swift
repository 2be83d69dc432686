// The opt-in quick log outside the app: a Home Screen / Lock Screen widget
// and (iOS 18) a Control Center / Lock Screen control. Both carry neutral
// words only ("Check in", "Note a moment"), show nothing from the record,
// and do nothing until the patient turns them on in Steady's Settings: until
// then they say so. Tapping opens Steady at the quick log
// (steady://quick-log), where the craving is logged through the shell.
import AppIntents
import SteadyShell
import SwiftUI
import WidgetKit

private func quickLogEnabled() -> Bool {
    guard let data = UserDefaults(suiteName: "group.app.steady")?.data(forKey: "discretion"),
          let discretion = try? JSONDecoder().decode(Discretion.self, from: data) else { return false }
    return discretion.quickLogControls
}

struct QuickLogEntry: TimelineEntry {
    let date: Date
    let enabled: Bool
}

struct QuickLogProvider: TimelineProvider {
    func placeholder(in context: Context) -> QuickLogEntry { QuickLogEntry(date: Date(), enabled: false) }

    func getSnapshot(in context: Context, completion: @escaping (QuickLogEntry) -> Void) {
        completion(QuickLogEntry(date: Date(), enabled: quickLogEnabled()))
    }

    func getTimeline(in context: Context, completion: @escaping (Timeline<QuickLogEntry>) -> Void) {
        completion(Timeline(entries: [QuickLogEntry(date: Date(), enabled: quickLogEnabled())], policy: .never))
    }
}

struct QuickLogWidgetView: View {
    let entry: QuickLogEntry

    var body: some View {
        VStack(spacing: 6) {
            Image(systemName: "square.and.pencil").font(.title2)
            Text(entry.enabled ? NeutralLabel.quickLog : "Turn on in the app's Settings")
                .font(.caption)
                .multilineTextAlignment(.center)
        }
        .widgetURL(entry.enabled ? URL(string: "steady://quick-log") : URL(string: "steady://settings"))
        .containerBackground(.fill.tertiary, for: .widget)
        .accessibilityLabel(entry.enabled ? NeutralLabel.quickLog : "Not turned on")
    }
}

struct QuickLogWidget: Widget {
    var body: some WidgetConfiguration {
        StaticConfiguration(kind: "app.steady.quick-log", provider: QuickLogProvider()) { entry in
            QuickLogWidgetView(entry: entry)
        }
        .configurationDisplayName(NeutralLabel.widget)
        .description(NeutralLabel.quickLog)
        .supportedFamilies([.systemSmall, .accessoryCircular, .accessoryRectangular])
    }
}

/// Opens the app at the quick log; the log itself is written by the app
/// through SteadySession (the extension never opens the database).
@available(iOS 18.0, *)
struct OpenQuickLogIntent: AppIntent {
    static let title: LocalizedStringResource = "Note a moment"
    static let openAppWhenRun = true

    func perform() async throws -> some IntentResult & OpensIntent {
        .result(opensIntent: OpenURLIntent(URL(string: quickLogEnabled() ? "steady://quick-log" : "steady://settings")!))
    }
}

@available(iOS 18.0, *)
struct QuickLogControl: ControlWidget {
    var body: some ControlWidgetConfiguration {
        StaticControlConfiguration(kind: "app.steady.quick-log-control") {
            ControlWidgetButton(action: OpenQuickLogIntent()) {
                Label(NeutralLabel.quickLog, systemImage: "square.and.pencil")
            }
        }
        .displayName(LocalizedStringResource(stringLiteral: NeutralLabel.widget))
    }
}

@main
struct SteadyWidgets: WidgetBundle {
    var body: some Widget {
        QuickLogWidget()
        if #available(iOS 18.0, *) {
            QuickLogControl()
        }
    }
}
