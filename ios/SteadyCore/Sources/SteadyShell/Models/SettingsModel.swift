// Settings: notification text (discreet or detailed, with the core's
// examples), reminder times, quiet hours, the program, tracked substances,
// the late-reminder guidance when the core says reminders arrived late, and
// the discretion switches kept on this device.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class SettingsModel {
    public private(set) var screen: ScreenState<SettingsScreen> = .loading
    public private(set) var discretion = Discretion()
    /// How reminders arrived lately: when late, Settings explains why
    /// (Low Power Mode, Focus, notification settings) and links to them.
    public private(set) var delivery: ReminderDelivery?
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<SettingsScreen, ShellProblem>, delivery: ReminderDelivery?, discretion: Discretion) {
        screen = ScreenState(result)
        self.delivery = delivery
        self.discretion = discretion
    }

    public func setReminders(_ settings: ReminderSettings) async {
        _ = await events?.run { try await $0.setReminderSettings(settings) }.keep(&problem)
    }

    public func setProgram(_ settings: ProgramSettings) async {
        _ = await events?.run { try await $0.setProgramSettings(settings) }.keep(&problem)
    }

    public func setTrackedSubstances(_ substances: [String]) async {
        _ = await events?.run { try await $0.setTrackedSubstances(substances) }.keep(&problem)
    }

    public func setDiscretion(_ discretion: Discretion) async {
        await events?.session.setDiscretion(discretion)
    }
}

extension SettingsModel {
    /// Settings explains late reminders (and links to the notification
    /// settings) only when the core measured some.
    public var showsLateReminderGuidance: Bool { delivery?.lateRecently ?? false }
}
