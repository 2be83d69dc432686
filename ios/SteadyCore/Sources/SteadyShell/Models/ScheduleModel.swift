// The schedule week: sessions with attendance and doses, day by day in the
// phone's zone, and moving between weeks.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class ScheduleModel {
    public private(set) var screen: ScreenState<ScheduleWeek> = .loading
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<ScheduleWeek, ShellProblem>) { screen = ScreenState(result) }

    /// The week holding `day`; nil for this week.
    public func showWeek(of day: LocalDate?) async {
        await events?.session.showWeek(of: day)
    }

    /// A session series the patient enters (the clinic's arrive by sync).
    /// Returns it with the id the core gave it.
    @discardableResult
    public func add(_ series: SessionSeries) async -> SessionSeries? {
        await events?.run { try await $0.saveSessionSeries(series) }.keep(&problem)
    }

    public func record(_ session: WeekSession, _ status: AttendanceStatus) async {
        _ = await events?.run {
            try await $0.recordAttendance(occurrenceId: session.occurrence.id, status: status)
        }.keep(&problem)
    }
}
