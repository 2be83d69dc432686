// The craving form: intensity, then optional details the core offers
// (triggers, substances, place, company, coping tried, outcome, note). The
// response is the core's: strategies for a strong craving, the crisis card
// when marked unsafe, the offer to log a lapse after "used".
import SteadyCore
import SteadyShell
import SwiftUI

struct CravingLogView: View {
    let model: CravingLogModel
    let crisis: CrisisModel
    @Environment(\.dismiss) private var dismiss
    @State private var intensity = 5.0
    @State private var triggers: Set<String> = []
    @State private var substances: Set<String> = []
    @State private var coping: Set<String> = []
    @State private var place: Place?
    @State private var company: Company?
    @State private var outcome: CravingOutcome?
    @State private var unsafe = false
    @State private var note = ""

    var body: some View {
        ScreenBody(state: model.screen) { form in
            Form {
                if let response = model.response {
                    Section { LoggedResponse(logged: response) }
                    if response.offerLapse, model.lapse == nil {
                        Button("Note a lapse") {
                            Task { await model.logLapse(NewLapse(substances: Array(substances))) }
                        }
                    }
                    Button("Done") { model.startOver(); dismiss() }
                } else {
                    Section {
                        Slider(value: $intensity, in: 0...Double(form.intensityMax), step: 1)
                            .accessibilityValue("\(Int(intensity)) of \(form.intensityMax)")
                        HStack {
                            Text(words(form.intensityLow))
                            Spacer()
                            Text(words(form.intensityHigh))
                        }
                        .font(.footnote)
                    }
                    ChoiceSection(title: "What set it off", choices: form.triggers, selected: $triggers)
                    ChoiceSection(title: "For what", choices: form.substances, selected: $substances)
                    ChoiceSection(title: "What you tried", choices: form.copingStrategies, selected: $coping)
                    Section("Where") {
                        Picker("Place", selection: $place) {
                            Text("Not said").tag(Place?.none)
                            ForEach(form.places, id: \.label.key) { Text(words($0.label)).tag(Optional($0.value)) }
                        }
                        Picker("With", selection: $company) {
                            Text("Not said").tag(Company?.none)
                            ForEach(form.company, id: \.label.key) { Text(words($0.label)).tag(Optional($0.value)) }
                        }
                        Picker("How it ended", selection: $outcome) {
                            Text("Not yet").tag(CravingOutcome?.none)
                            ForEach(form.outcomes, id: \.label.key) { Text(words($0.label)).tag(Optional($0.value)) }
                        }
                    }
                    Section {
                        Toggle("I don't feel safe", isOn: $unsafe)
                        TextField("Note (optional)", text: $note, axis: .vertical)
                    }
                    ProblemBanner(problem: model.problem)
                    Button("Save") { Task { await model.log(craving) } }
                        .buttonStyle(.borderedProminent)
                }
            }
        }
        .navigationTitle("Craving")
        .steadyChrome(crisis)
    }

    private var craving: NewCraving {
        var input = NewCraving(intensity: UInt8(intensity))
        input.triggers = Array(triggers)
        input.substances = Array(substances)
        input.copingTried = Array(coping)
        input.place = place
        input.company = company
        input.outcome = outcome
        input.markedUnsafe = unsafe
        input.note = note.isEmpty ? nil : note
        return input
    }
}

struct ChoiceSection: View {
    let title: String
    let choices: [Choice]
    @Binding var selected: Set<String>

    var body: some View {
        if !choices.isEmpty {
            Section(title) {
                ForEach(choices, id: \.value) { choice in
                    Toggle(words(choice.label), isOn: Binding(
                        get: { selected.contains(choice.value) },
                        set: { on in if on { selected.insert(choice.value) } else { selected.remove(choice.value) } }))
                }
            }
        }
    }
}
