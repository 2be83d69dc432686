// The clinic: enroll by code (typed or scanned), consent per category with
// every element shown, revoke, what was shared, messages, and sync.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class ClinicModel {
    public private(set) var screen: ScreenState<ClinicScreen> = .loading
    public private(set) var lastSync: SyncReport?
    /// Shown above the message field: when someone will read it, and 988 /
    /// 911 for now (messages are not watched around the clock).
    public private(set) var messagingNotice = ""

    public private(set) var syncing = false
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<ClinicScreen, ShellProblem>, messagingNotice: String) {
        screen = ScreenState(result)
        self.messagingNotice = messagingNotice
    }

    public func enroll(code: String, serverUrl: String, deviceName: String?) async {
        _ = await events?.run { try await $0.enroll(code: code, serverUrl: serverUrl, deviceName: deviceName) }.keep(&problem)
    }

    /// The clinic's QR code, scanned: its code and server go to the same
    /// enrollment steps as typed ones; any other text enrolls nothing.
    public func enroll(scanned payload: String, deviceName: String?) async {
        guard let link = EnrollmentLink(scanned: payload) else {
            problem = ShellProblem(ShellError.notAnEnrollmentCode)
            return
        }
        await enroll(code: link.code, serverUrl: link.serverUrl, deviceName: deviceName)
    }

    public func grant(_ categories: [ConsentCategory], signature: String) async {
        _ = await events?.run {
            try await $0.grantConsent(ConsentGrant(categories: categories, signature: signature))
        }.keep(&problem)
    }

    public func revoke(_ categories: [ConsentCategory]) async {
        _ = await events?.run { try await $0.revokeConsent(categories) }.keep(&problem)
    }

    public func markMessagesRead() async {
        _ = await events?.run { try await $0.markClinicMessagesRead() }.keep(&problem)
    }

    public func send(_ body: String, inReplyTo: String? = nil) async {
        _ = await events?.run { try await $0.sendMessage(body, inReplyTo: inReplyTo) }.keep(&problem)
    }

    public func sync() async {
        syncing = true
        lastSync = await events?.run { try await $0.sync() }.keep(&problem) ?? lastSync
        syncing = false
    }
}
