// Progress with Swift Charts: the core's series (one point per day or week,
// gaps where nothing was recorded) over the range the patient picks, and the
// report's numbers beside them. Each chart has an audio-graph-ready
// accessibility label and value per point.
import Charts
import SteadyCore
import SteadyShell
import SwiftUI

struct ProgressScreenView: View {
    let model: ProgressModel
    let crisis: CrisisModel
    @State private var range = RangeChoice.week
    @Environment(\.accessibilityReduceMotion) private var reduceMotion

    enum RangeChoice: String, CaseIterable, Identifiable {
        case week = "7 days", month = "30 days", program = "Program"
        var id: String { rawValue }
        var core: ProgressRange {
            switch self {
            case .week: return .lastWeek
            case .month: return .lastMonth
            case .program: return .program
            }
        }
    }

    var body: some View {
        ScreenBody(state: model.screen) { screen in
            List {
                Picker("Range", selection: $range) {
                    ForEach(RangeChoice.allCases) { Text($0.rawValue).tag($0) }
                }
                .pickerStyle(.segmented)
                .onChange(of: range) { _, choice in Task { await model.show(range: choice.core) } }
                Section("Your time") {
                    Text("\(screen.report.sober.daysSinceLastUse) days since last use")
                    Text("Longest stretch: \(screen.report.sober.longestStreakDays) days")
                }
                ForEach(screen.series, id: \.key) { series in
                    Section(words(series.label)) {
                        Chart(series.points, id: \.date) { point in
                            if let value = point.value {
                                BarMark(x: .value("Day", point.date.description), y: .value(words(series.unit), value))
                                    .accessibilityLabel(point.date.description)
                                    .accessibilityValue("\(value.formatted()) \(words(series.unit))")
                            }
                        }
                        .chartXAxis(.hidden)
                        .frame(minHeight: 160)
                        .animation(reduceMotion ? nil : .default, value: series.points.count)
                    }
                }
            }
        }
        .navigationTitle("Progress")
        .steadyChrome(crisis)
    }
}
