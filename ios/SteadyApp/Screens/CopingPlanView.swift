// The coping plan: warning signs, strategies (built-ins with their cautions,
// then the patient's own), reasons, support contacts and safe places.
import SteadyCore
import SteadyShell
import SwiftUI

struct CopingPlanView: View {
    let model: CopingPlanModel
    let crisis: CrisisModel
    @State private var newText = ""
    @State private var section = PlanSection.strategy
    @State private var contactName = ""
    @State private var contactPhone = ""

    var body: some View {
        ScreenBody(state: model.screen) { plan in
            List {
                EntriesSection(title: "Warning signs", entries: plan.warningSigns, remove: remove)
                Section("What helps") {
                    ForEach(plan.strategies, id: \.key) { strategy in
                        StrategyRow(strategy: strategy)
                            .swipeActions {
                                if let id = strategy.entryId { Button("Remove", role: .destructive) { remove(id) } }
                            }
                    }
                }
                EntriesSection(title: "My reasons", entries: plan.reasons, remove: remove)
                EntriesSection(title: "Safe places", entries: plan.safePlaces, remove: remove)
                Section("People I can call") {
                    ForEach(plan.supportContacts, id: \.id) { contact in
                        Link("\(contact.name) · \(contact.phone)", destination: phoneLink("tel", contact.phone))
                    }
                    TextField("Name", text: $contactName)
                    TextField("Phone", text: $contactPhone).keyboardType(.phonePad)
                    Button("Add person") {
                        Task { await model.addContact(name: contactName, phone: contactPhone); contactName = ""; contactPhone = "" }
                    }
                }
                Section("Add to my plan") {
                    Picker("Section", selection: $section) {
                        Text("Warning sign").tag(PlanSection.warningSign)
                        Text("Something that helps").tag(PlanSection.strategy)
                        Text("Reason").tag(PlanSection.reason)
                        Text("Safe place").tag(PlanSection.safePlace)
                    }
                    TextField("In your words", text: $newText, axis: .vertical)
                    Button("Add") { Task { await model.add(section, text: newText); newText = "" } }
                }
                Section("Strong craving from") {
                    Stepper("\(plan.strongCravingThreshold) of 10", value: Binding(
                        get: { Int(plan.strongCravingThreshold) },
                        set: { value in Task { await model.setStrongCravingThreshold(UInt8(value)) } }), in: 1...10)
                }
                ProblemBanner(problem: model.problem)
            }
        }
        .navigationTitle("Coping plan")
        .steadyChrome(crisis)
    }

    private func remove(_ id: String) { Task { await model.remove(id: id) } }
}

private struct EntriesSection: View {
    let title: String
    let entries: [PlanEntry]
    let remove: (String) -> Void

    var body: some View {
        Section(title) {
            ForEach(entries, id: \.id) { entry in
                Text(entry.text).swipeActions { Button("Remove", role: .destructive) { remove(entry.id) } }
            }
        }
    }
}
