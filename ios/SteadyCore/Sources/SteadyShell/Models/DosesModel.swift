// Doses: the medications and this week's doses with their answers, from the
// same schedule week record (the core's one call for doses by day).
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class DosesModel {
    public private(set) var days: ScreenState<[ScheduleDay]> = .loading
    public private(set) var medications: ScreenState<[Medication]> = .loading
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ week: Result<ScheduleWeek, ShellProblem>, medications: Result<[Medication], ShellProblem>) {
        days = ScreenState(week.map { $0.days.filter { !$0.doses.isEmpty } })
        self.medications = ScreenState(medications)
    }

    /// A medication the patient enters (a clinic's plan arrives by sync).
    /// Returns it with the id the core gave it.
    @discardableResult
    public func add(_ medication: NewMedication) async -> Medication? {
        await events?.run { try await $0.addMedication(medication) }.keep(&problem)
    }

    public func confirm(_ dose: WeekDose, _ status: DoseStatus) async {
        _ = await events?.run {
            try await $0.confirmDose(medicationId: dose.dose.medicationId, status: status, dueLocal: dose.dose.dueLocal)
        }.keep(&problem)
    }
}
