// Today: the one-tap craving log first, then what is due now (doses, the
// next session, check-ins), sober time without shame, coping shortcuts and
// the clinic's unread messages. All of it is the core's Today record.
import SteadyCore
import SteadyShell
import SwiftUI

struct TodayView: View {
    let model: TodayModel
    let crisis: CrisisModel
    let router: Router

    var body: some View {
        ScreenBody(state: model.screen) { today in
            List {
                ReminderPermissionRow()
                Section("How strong is a craving right now?") {
                    QuickLogRow { intensity in Task { await model.quickLog(intensity: intensity) } }
                    Button("Add details") { router.show(.quickLog) }
                    if let logged = model.lastLogged {
                        LoggedResponse(logged: logged)
                    }
                    ProblemBanner(problem: model.problem)
                }
                if !today.dosesDueNow.isEmpty {
                    Section("Due now") {
                        ForEach(today.dosesDueNow, id: \.id) { dose in
                            DoseRow(name: dose.name, detail: dose.dose, due: Date(timeIntervalSince1970: Double(dose.dueMs) / 1000)) { status in
                                Task { await model.confirm(dose, status) }
                            }
                        }
                    }
                }
                if let next = today.nextSession {
                    Section("Next") {
                        VStack(alignment: .leading) {
                            Text(next.title).font(.headline)
                            Text(Date(timeIntervalSince1970: Double(next.startMs) / 1000).dayAndTime)
                            if let location = next.location { Text(location).foregroundStyle(.secondary) }
                        }
                        .accessibilityElement(children: .combine)
                        Button("I'm here") { Task { await model.record(next, .attended) } }
                    }
                }
                Section("Your time") {
                    Text("\(today.sober.daysSinceLastUse) days since last use")
                        .font(.title2)
                    Text("Longest stretch: \(today.sober.longestStreakDays) days")
                    if let share = today.sober.shareAbstinent {
                        Text("\(Int((share * 100).rounded()))% of days in the program without use")
                    }
                }
                if today.checkinDue || !today.questionnairesDue.isEmpty {
                    Section("Check-ins") {
                        if today.checkinDue { Button("Daily check-in") { router.tab = .checkins } }
                        ForEach(today.questionnairesDue, id: \.questionnaire.id) { due in
                            Button(due.title) { router.tab = .checkins }
                        }
                    }
                }
                if !today.copingShortcuts.isEmpty {
                    Section("What has helped") {
                        ForEach(today.copingShortcuts, id: \.key) { strategy in
                            StrategyRow(strategy: strategy)
                        }
                    }
                }
                if today.unreadMessages > 0 {
                    Section {
                        Text("\(today.unreadMessages) new from your clinic")
                    }
                }
                Section { Text(words(today.sync.label)).font(.footnote).foregroundStyle(.secondary) }
            }
        }
        .navigationTitle("Today")
        .steadyChrome(crisis)
    }
}

/// 0–10 in one tap each; a large, labelled target per number.
struct QuickLogRow: View {
    let log: (UInt8) -> Void

    var body: some View {
        ScrollView(.horizontal) {
            HStack {
                ForEach(0...10, id: \.self) { value in
                    Button("\(value)") { log(UInt8(value)) }
                        .buttonStyle(.bordered)
                        .frame(minWidth: 44, minHeight: 44)
                        .accessibilityLabel("Log strength \(value) of 10")
                }
            }
        }
    }
}

struct LoggedResponse: View {
    let logged: CravingLogged

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text("Saved. It will pass.").font(.headline)
            ForEach(logged.strategies, id: \.key) { StrategyRow(strategy: $0) }
            if logged.offerLapse {
                Text("A lapse is information, not failure. You can note what happened in Add details.")
            }
        }
        .accessibilityElement(children: .contain)
    }
}

struct StrategyRow: View {
    let strategy: CopingStrategy

    var body: some View {
        VStack(alignment: .leading) {
            Text(strategy.name)
            if let caution = strategy.caution {
                Text(caution).font(.footnote).foregroundStyle(.secondary)
            }
        }
        .accessibilityElement(children: .combine)
    }
}

struct DoseRow: View {
    let name: String
    let detail: String?
    let due: Date
    let answer: (DoseStatus) -> Void

    var body: some View {
        VStack(alignment: .leading) {
            Text(name).font(.headline)
            Text([detail, due.shortTime].compactMap { $0 }.joined(separator: " · "))
            ViewThatFits {
                HStack { buttons }
                VStack(alignment: .leading) { buttons }
            }
        }
    }

    @ViewBuilder private var buttons: some View {
        Button("Taken") { answer(.taken) }.buttonStyle(.borderedProminent)
        Button("Taken late") { answer(.takenLate) }.buttonStyle(.bordered)
        Button("Skipped") { answer(.skipped) }.buttonStyle(.bordered)
    }
}
