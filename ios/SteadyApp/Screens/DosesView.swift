// Doses: the medication plan and this week's doses, answered here or from
// Today and the reminder's action.
import SteadyCore
import SteadyShell
import SwiftUI

struct DosesView: View {
    let model: DosesModel
    let crisis: CrisisModel

    var body: some View {
        List {
            ScreenBody(state: model.medications) { medications in
                Section("Plan") {
                    ForEach(medications, id: \.id) { medication in
                        VStack(alignment: .leading) {
                            Text(medication.name).font(.headline)
                            Text(([medication.dose].compactMap { $0 } + medication.times).joined(separator: " · "))
                        }
                        .accessibilityElement(children: .combine)
                    }
                    if medications.isEmpty { Text("No medication added").foregroundStyle(.secondary) }
                    NavigationLink("Add medication") { AddMedicationForm(model: model, crisis: crisis) }
                }
            }
            ScreenBody(state: model.days) { days in
                ForEach(days, id: \.date) { day in
                    Section(day.isToday ? "Today" : day.date.description) {
                        ForEach(day.doses, id: \.dose.id) { dose in
                            if dose.dose.confirmation == nil {
                                DoseRow(name: dose.dose.name, detail: dose.dose.dose, due: dose.dueAt) { status in
                                    Task { await model.confirm(dose, status) }
                                }
                            } else {
                                Text("\(dose.dose.name) · \(dose.dueAt.shortTime): \(words(dose.answerLabel))")
                            }
                        }
                    }
                }
            }
            ProblemBanner(problem: model.problem)
        }
        .navigationTitle("Doses")
        .steadyChrome(crisis)
    }
}

struct AddMedicationForm: View {
    let model: DosesModel
    let crisis: CrisisModel
    @Environment(\.dismiss) private var dismiss
    @State private var name = ""
    @State private var dose = ""
    @State private var time = Calendar.current.date(from: DateComponents(hour: 8)) ?? Date()

    var body: some View {
        Form {
            TextField("Name", text: $name)
            TextField("Dose (optional)", text: $dose)
            DatePicker("Time", selection: $time, displayedComponents: .hourAndMinute)
            ProblemBanner(problem: model.problem)
            Button("Add") {
                Task {
                    let parts = Calendar.current.dateComponents([.hour, .minute], from: time)
                    var input = NewMedication(
                        name: name, times: [String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)])
                    input.dose = dose.isEmpty ? nil : dose
                    await model.add(input)
                    if model.problem == nil { dismiss() }
                }
            }
        }
        .navigationTitle("Add medication")
        .steadyChrome(crisis)
    }
}
