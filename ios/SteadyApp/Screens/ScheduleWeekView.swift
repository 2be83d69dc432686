// The schedule week: each day's sessions (with attendance, the clinic's or
// the patient's) and doses, in the phone's zone; previous and next week.
import SteadyCore
import SteadyShell
import SwiftUI

struct ScheduleWeekView: View {
    let model: ScheduleModel
    let crisis: CrisisModel

    var body: some View {
        ScreenBody(state: model.screen) { week in
            List {
                Section {
                    HStack {
                        Button("Previous week") { Task { await model.showWeek(of: week.previousWeek) } }
                        Spacer()
                        if !week.isCurrentWeek { Button("This week") { Task { await model.showWeek(of: nil) } } }
                        Spacer()
                        Button("Next week") { Task { await model.showWeek(of: week.nextWeek) } }
                    }
                    .buttonStyle(.borderless)
                }
                ForEach(week.days, id: \.date) { day in
                    Section(day.isToday ? "Today" : day.date.description) {
                        ForEach(day.sessions, id: \.occurrence.id) { session in
                            VStack(alignment: .leading) {
                                Text(session.occurrence.title).font(.headline)
                                Text("\(session.startsAt.shortTime)–\(session.endsAt.shortTime)")
                                Text(words(session.statusLabel)).foregroundStyle(.secondary)
                                if session.attendance == nil, session.startsAt <= Date() {
                                    HStack {
                                        Button("Attended") { Task { await model.record(session, .attended) } }
                                        Button("Missed") { Task { await model.record(session, .missed) } }
                                    }
                                    .buttonStyle(.bordered)
                                }
                            }
                            .accessibilityElement(children: .contain)
                        }
                        ForEach(day.doses, id: \.dose.id) { dose in
                            HStack {
                                Text("\(dose.dose.name) · \(dose.dueAt.shortTime)")
                                Spacer()
                                Text(words(dose.answerLabel)).foregroundStyle(.secondary)
                            }
                            .accessibilityElement(children: .combine)
                        }
                        if day.sessions.isEmpty && day.doses.isEmpty { Text("Nothing planned").foregroundStyle(.secondary) }
                    }
                }
                ProblemBanner(problem: model.problem)
            }
        }
        .navigationTitle("Schedule")
        .steadyChrome(crisis)
    }
}
