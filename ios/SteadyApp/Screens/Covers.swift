// What hides Steady: the privacy cover over the window whenever the scene is
// not active (the app switcher's snapshot shows only this), the lock screen
// of the app lock (with the crisis card still one tap away), and the view
// shown when the database cannot be opened.
import SteadyCore
import SteadyShell
import SwiftUI

struct PrivacyCover: View {
    var body: some View {
        ZStack {
            Color(uiColor: .systemBackground).ignoresSafeArea()
            Image(systemName: "circle.grid.2x2").font(.largeTitle).foregroundStyle(.secondary)
        }
        .accessibilityHidden(true)
    }
}

struct LockView: View {
    let lock: AppLock
    let crisisCard: CrisisCard?
    @State private var showCrisis = false

    var body: some View {
        ZStack {
            Color(uiColor: .systemBackground).ignoresSafeArea()
            VStack(spacing: 24) {
                Button("Unlock") { Task { await lock.unlock() } }
                    .buttonStyle(.borderedProminent)
                Button("Help now") { showCrisis = true }
            }
        }
        .task { await lock.unlock() }
        .sheet(isPresented: $showCrisis) { CrisisCardView(card: crisisCard, notice: nil) }
    }
}

struct CannotOpenView: View {
    let failure: CannotOpen
    let startAfresh: () -> Void
    @State private var confirming = false

    var body: some View {
        NavigationStack {
            List {
                Section {
                    Text("Steady cannot open your record on this phone. It is kept as it is; nothing was deleted.")
                    Text(failure.problem.message).font(.footnote).foregroundStyle(.secondary)
                }
                Section("Help now") {
                    ForEach(failure.crisisCard.lines, id: \.name) { line in
                        Link("Call \(line.name) · \(line.call)", destination: phoneLink("tel", line.call))
                    }
                    ForEach(failure.crisisCard.supportContacts, id: \.id) { contact in
                        Link("Call \(contact.name)", destination: phoneLink("tel", contact.phone))
                    }
                }
                Section {
                    Button("Start afresh (your clinic's copy comes back when you connect again)") { confirming = true }
                }
            }
            .navigationTitle("Steady")
            .confirmationDialog("Set the old record aside and start a new one?", isPresented: $confirming) {
                Button("Start afresh", role: .destructive, action: startAfresh)
            }
        }
    }
}
