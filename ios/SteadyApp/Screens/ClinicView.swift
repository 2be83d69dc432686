// The clinic: enroll by typing or scanning the clinic's code, then consent
// per category with every element of the consent shown, revoke, what was
// shared and when, messages (never watched around the clock: the core's
// notice says so), and sync.
import SteadyCore
import SteadyShell
import SwiftUI
import VisionKit

struct ClinicView: View {
    let model: ClinicModel
    let crisis: CrisisModel
    let router: Router
    @State private var code = ""
    @State private var serverUrl = ""
    @State private var scanning = false
    @State private var signature = ""
    @State private var draft = ""

    private func fill(_ link: EnrollmentLink) {
        code = link.code
        serverUrl = link.serverUrl
    }

    var body: some View {
        ScreenBody(state: model.screen) { clinic in
            List {
                switch clinic.enrollment {
                case .notEnrolled:
                    Section("Connect to your clinic") {
                        TextField("Clinic address", text: $serverUrl).textContentType(.URL).keyboardType(.URL)
                        TextField("Code", text: $code).textInputAutocapitalization(.characters)
                        if DataScannerViewController.isSupported {
                            Button("Scan the code") { scanning = true }
                        }
                        Button("Connect") { Task { await model.enroll(code: code, serverUrl: serverUrl, deviceName: nil) } }
                    }
                case .enrolled(let clinicName, _, let enrolledAt):
                    Section(clinicName) {
                        Text("Connected \(enrolledAt.dayAndTime)")
                        Text(words(clinic.sync.label))
                        Button(model.syncing ? "Sending…" : "Sync now") { Task { await model.sync() } }
                            .disabled(model.syncing)
                    }
                }
                Section("What you share") {
                    ForEach(clinic.consents, id: \.title.key) { consent in
                        ConsentCardView(consent: consent, signature: $signature, model: model)
                    }
                    TextField("Your full name, to sign", text: $signature).textContentType(.name)
                }
                if !clinic.shared.isEmpty {
                    Section("What was shared") {
                        ForEach(Array(clinic.shared.enumerated()), id: \.offset) { _, disclosure in
                            VStack(alignment: .leading) {
                                Text(words(disclosure.description))
                                Text("\(disclosure.recipient) · \(disclosure.sharedAt.dayAndTime)").font(.footnote)
                                Text(disclosure.purpose).font(.footnote).foregroundStyle(.secondary)
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
                Section("Messages") {
                    ForEach(clinic.messages, id: \.id) { message in
                        VStack(alignment: .leading) {
                            Text(message.from).font(.headline)
                            Text(message.body)
                            Text(message.sentAt.dayAndTime).font(.footnote).foregroundStyle(.secondary)
                        }
                        .accessibilityElement(children: .combine)
                    }
                    Text(model.messagingNotice).font(.footnote)
                    TextField("Write to your clinic", text: $draft, axis: .vertical)
                    Button("Send") { Task { await model.send(draft); draft = "" } }
                }
                ProblemBanner(problem: model.problem)
            }
            .task { if clinic.unreadMessages > 0 { await model.markMessagesRead() } }
        }
        .navigationTitle("Clinic")
        .steadyChrome(crisis)
        .sheet(isPresented: $scanning) {
            CodeScanner { scanned in
                scanning = false
                Task { await model.enroll(scanned: scanned, deviceName: nil) }
            }
        }
        .onAppear { if let link = router.enrollment { fill(link); router.enrollment = nil } }
    }
}

struct ConsentCardView: View {
    let consent: ConsentCard
    @Binding var signature: String
    let model: ClinicModel

    var body: some View {
        DisclosureGroup {
            ForEach(consent.elements, id: \.key) { element in
                VStack(alignment: .leading) {
                    Text(words(element.heading)).font(.subheadline.bold())
                    Text(element.text)
                }
                .accessibilityElement(children: .combine)
            }
            if consent.consent == nil || consent.state != .active {
                Button("Share this, signed \(signature)") { Task { await model.grant([consent.category], signature: signature) } }
                    .disabled(signature.isEmpty)
            } else {
                Button("Stop sharing", role: .destructive) { Task { await model.revoke([consent.category]) } }
            }
        } label: {
            VStack(alignment: .leading) {
                Text(words(consent.title))
                Text(words(consent.stateLabel)).font(.footnote).foregroundStyle(.secondary)
            }
        }
    }
}

/// Reads the clinic's enrollment code from its QR code with the camera.
struct CodeScanner: UIViewControllerRepresentable {
    let found: (String) -> Void

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(recognizedDataTypes: [.barcode(symbologies: [.qr])])
        scanner.delegate = context.coordinator
        try? scanner.startScanning()
        return scanner
    }

    func updateUIViewController(_ controller: DataScannerViewController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(found: found) }

    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        let found: (String) -> Void
        init(found: @escaping (String) -> Void) { self.found = found }

        func dataScanner(_ scanner: DataScannerViewController, didAdd items: [RecognizedItem], allItems: [RecognizedItem]) {
            for case .barcode(let barcode) in items {
                if let value = barcode.payloadStringValue { found(value) }
            }
        }
    }
}
