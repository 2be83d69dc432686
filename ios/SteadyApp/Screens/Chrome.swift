// What every screen carries: the crisis card one tap away in the toolbar, a
// quick exit, the core's words localised by key (falling back to the core's
// English), and a problem banner naming what the core refused.
import SteadyCore
import SteadyShell
import SwiftUI
import UIKit

/// The core's label: localised by its key when the app has a translation,
/// otherwise the core's own English text.
func words(_ label: SteadyCore.Label) -> String {
    label.key == "own" ? label.text : NSLocalizedString(label.key, value: label.text, comment: "")
}

struct ChromeModifier: ViewModifier {
    let crisis: CrisisModel
    @State private var showCrisis = false

    func body(content: Content) -> some View {
        content
            .toolbar {
                ToolbarItem(placement: .topBarTrailing) {
                    Button { showCrisis = true } label: {
                        Image(systemName: "phone.circle.fill").imageScale(.large)
                    }
                    .accessibilityLabel("Help now: crisis lines and your contacts")
                    .accessibilitySortPriority(100)
                }
                ToolbarItem(placement: .topBarLeading) {
                    QuickExitButton()
                }
            }
            .sheet(isPresented: $showCrisis) {
                CrisisCardView(card: crisis.card, notice: nil)
            }
    }
}

extension View {
    func steadyChrome(_ crisis: CrisisModel) -> some View { modifier(ChromeModifier(crisis: crisis)) }
}

/// Leaves at once for a neutral page; the privacy cover and the app lock
/// (when on) hide Steady behind it.
struct QuickExitButton: View {
    static let neutralPage = URL(string: "https://www.apple.com/")!
    @Environment(\.openURL) private var openURL

    var body: some View {
        Button { openURL(Self.neutralPage) } label: {
            Image(systemName: "arrow.up.forward.app")
        }
        .accessibilityLabel("Quick exit")
    }
}

struct ProblemBanner: View {
    let problem: ShellProblem?

    var body: some View {
        if let problem {
            Text(problem.message)
                .font(.callout)
                .foregroundStyle(.red)
                .fixedSize(horizontal: false, vertical: true)
                .accessibilityLabel("Not saved: \(problem.message)")
        }
    }
}

/// Loading, the record, or what went wrong, for any screen.
struct ScreenBody<Record, Content: View>: View {
    let state: ScreenState<Record>
    @ViewBuilder let content: (Record) -> Content

    var body: some View {
        switch state {
        case .loading: ProgressView().accessibilityLabel("Loading")
        case .shown(let record): content(record)
        case .failed(let problem): ProblemBanner(problem: problem).padding()
        }
    }
}

extension Date {
    var shortTime: String { formatted(date: .omitted, time: .shortened) }
    var dayAndTime: String { formatted(date: .abbreviated, time: .shortened) }
}

/// A `tel:` or `sms:` link for a number as people write it ("1-800-662-4357",
/// "(555) 010 2030"): only the dialable characters go into the address.
func phoneLink(_ scheme: String, _ number: String) -> URL {
    let dialable = number.filter { "0123456789+*#".contains($0) }
    return URL(string: "\(scheme):\(dialable)") ?? URL(fileURLWithPath: "/")
}
