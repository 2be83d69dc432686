// Today: the next session, doses due now, sober time, craving trend, coping
// shortcuts, the crisis card and what the clinic sent; the one-tap craving log.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class TodayModel {
    public private(set) var screen: ScreenState<Today> = .loading
    /// The answer to the last quick log: strategies to try, or the crisis card.
    public private(set) var lastLogged: CravingLogged?
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<Today, ShellProblem>) { screen = ScreenState(result) }

    /// One tap: the intensity alone; details can be added later from the
    /// craving form.
    public func quickLog(intensity: UInt8) async {
        await log(NewCraving(intensity: intensity))
    }

    /// The quick log with what the patient added on the spot (the widget
    /// and the control log the intensity alone).
    public func log(_ craving: NewCraving) async {
        guard let events else { return }
        lastLogged = await events.run { try await $0.logCraving(craving) }.keep(&problem)
        events.raise(lastLogged?.crisisCard)
    }

    public func confirm(_ dose: DoseDue, _ status: DoseStatus) async {
        _ = await events?.run {
            try await $0.confirmDose(medicationId: dose.medicationId, status: status, dueLocal: dose.dueLocal)
        }.keep(&problem)
    }

    public func record(_ session: SessionOccurrence, _ status: AttendanceStatus) async {
        _ = await events?.run { try await $0.recordAttendance(occurrenceId: session.id, status: status) }.keep(&problem)
    }

    public func dismissLastLogged() { lastLogged = nil }
}
