// Check-ins: today's check-in, the questionnaires due (built-in and from the
// clinic) answered item by item, and the latest scores with their change.
import SteadyCore
import SteadyShell
import SwiftUI

struct CheckinsView: View {
    let model: CheckinsModel
    let crisis: CrisisModel

    var body: some View {
        ScreenBody(state: model.screen) { screen in
            List {
                Section(words(screen.daily.label)) {
                    if screen.daily.done {
                        Text("Done for today")
                    } else {
                        NavigationLink("Check in") { DailyCheckinForm(model: model, crisis: crisis) }
                    }
                }
                if !screen.due.isEmpty {
                    Section("Due") {
                        ForEach(screen.due, id: \.questionnaire.id) { due in
                            NavigationLink(due.title) { QuestionnaireForm(model: model, crisis: crisis, questionnaire: due.questionnaire) }
                        }
                    }
                }
                if !screen.lastScores.isEmpty {
                    Section("Latest") {
                        ForEach(screen.lastScores, id: \.questionnaireId) { score in
                            VStack(alignment: .leading) {
                                Text("\(score.title): \(score.score)").font(.headline)
                                if let band = score.band { Text(band.label) }
                                Text(words(score.changeLabel)).foregroundStyle(.secondary)
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
                ProblemBanner(problem: model.problem)
            }
        }
        .navigationTitle("Check-ins")
        .steadyChrome(crisis)
    }
}

struct DailyCheckinForm: View {
    let model: CheckinsModel
    let crisis: CrisisModel
    @Environment(\.dismiss) private var dismiss
    @State private var mood = 3
    @State private var usedToday = false
    @State private var strongest = 0.0

    var body: some View {
        Form {
            Stepper("Mood: \(mood) of 5", value: $mood, in: 1...5)
            Toggle("I used today", isOn: $usedToday)
            Slider(value: $strongest, in: 0...10, step: 1) { Text("Strongest craving") }
                .accessibilityValue("\(Int(strongest)) of 10")
            ProblemBanner(problem: model.problem)
            Button("Save") {
                Task {
                    var input = NewDailyCheckIn(usedToday: usedToday, mood: UInt8(mood))
                    input.strongestCraving = UInt8(strongest)
                    await model.recordDaily(input)
                    if model.problem == nil { dismiss() }
                }
            }
        }
        .navigationTitle("Daily check-in")
        .steadyChrome(crisis)
    }
}

struct QuestionnaireForm: View {
    let model: CheckinsModel
    let crisis: CrisisModel
    let questionnaire: Questionnaire
    @Environment(\.dismiss) private var dismiss
    @State private var answers: [String: String] = [:]

    var body: some View {
        Form {
            ForEach(questionnaire.items, id: \.linkId) { item in
                Section(item.text) {
                    Picker(item.text, selection: Binding(get: { answers[item.linkId] }, set: { answers[item.linkId] = $0 })) {
                        Text("No answer").tag(String?.none)
                        ForEach(item.options, id: \.code) { Text($0.display).tag(Optional($0.code)) }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                }
            }
            ProblemBanner(problem: model.problem)
            Button("Submit") {
                Task {
                    let given = questionnaire.items.compactMap { item in
                        answers[item.linkId].map { QuestionnaireAnswer(linkId: item.linkId, value: .choice(code: $0)) }
                    }
                    await model.submit(questionnaireId: questionnaire.id, answers: given)
                    if model.problem == nil { dismiss() }
                }
            }
        }
        .navigationTitle(questionnaire.title)
        .steadyChrome(crisis)
    }
}
