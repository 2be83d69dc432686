// The crisis card: 911, 988 (call or text), the SAMHSA line and the
// patient's own people, each one tap to call; when a record raised it, the
// core's words on whether and when the clinic will see it. Works without the
// database (the launch failure view uses the same card).
import SteadyCore
import SwiftUI

struct CrisisCardView: View {
    let card: CrisisCard?
    let notice: String?
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        NavigationStack {
            List {
                if let notice { Section { Text(notice) } }
                if let card {
                    Section("Call now") {
                        ForEach(card.lines, id: \.name) { line in
                            VStack(alignment: .leading, spacing: 6) {
                                Link("Call \(line.name) · \(line.call)", destination: phoneLink("tel", line.call))
                                    .font(.headline)
                                if let text = line.text {
                                    Link("Text \(text)", destination: phoneLink("sms", text))
                                }
                                Text(line.description).font(.footnote).foregroundStyle(.secondary)
                            }
                            .frame(minHeight: 44)
                        }
                    }
                    if !card.supportContacts.isEmpty {
                        Section("Your people") {
                            ForEach(card.supportContacts, id: \.id) { contact in
                                Link("Call \(contact.name)", destination: phoneLink("tel", contact.phone))
                                    .frame(minHeight: 44)
                            }
                        }
                    }
                } else {
                    Link("Call 911", destination: URL(string: "tel:911")!)
                    Link("Call or text 988", destination: URL(string: "tel:988")!)
                }
            }
            .navigationTitle("Help now")
            .toolbar { Button("Close") { dismiss() } }
        }
    }
}
