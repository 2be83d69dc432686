// One @Observable model per screen, all on the main actor, all fed by
// SteadySession when the core's change observer names their screen. A model
// holds the core's record for its screen as it is, and forwards the screen's
// events to the session; the SwiftUI views render the record and decide
// nothing.
import Foundation
import Observation
import SteadyCore

/// A screen's record as last read: loading, shown, or the core's error.
public enum ScreenState<Record> {
    case loading
    case shown(Record)
    case failed(ShellProblem)

    public var record: Record? {
        if case .shown(let record) = self { return record }
        return nil
    }

    init(_ result: Result<Record, ShellProblem>) {
        switch result {
        case .success(let record): self = .shown(record)
        case .failure(let problem): self = .failed(problem)
        }
    }
}

@MainActor
public final class ScreenModels {
    public let today = TodayModel()
    public let craving = CravingLogModel()
    public let checkins = CheckinsModel()
    public let schedule = ScheduleModel()
    public let doses = DosesModel()
    public let progress = ProgressModel()
    public let coping = CopingPlanModel()
    public let crisis = CrisisModel()
    public let clinic = ClinicModel()
    public let settings = SettingsModel()

    nonisolated init() {}

    func attach(_ session: SteadySession) {
        let events = SessionEvents(session: session, crisis: crisis)
        today.events = events
        craving.events = events
        checkins.events = events
        schedule.events = events
        doses.events = events
        progress.events = events
        coping.events = events
        clinic.events = events
        settings.events = events
        crisis.show(session.crisisCard())
    }
}

/// The models' way to the session: runs one event, keeps its error for the
/// screen, and raises the crisis card when the core returned one.
@MainActor
final class SessionEvents {
    let session: SteadySession
    let crisis: CrisisModel

    init(session: SteadySession, crisis: CrisisModel) {
        self.session = session
        self.crisis = crisis
    }

    /// Runs `event` on the session; its error becomes the screen's problem
    /// (see `keep`).
    func run<T>(_ event: (SteadySession) async throws -> T) async -> Result<T, ShellProblem> {
        do {
            return .success(try await event(session))
        } catch {
            return .failure(ShellProblem(error))
        }
    }

    func raise(_ card: CrisisCard?) {
        if let card { crisis.raise(card) }
    }
}

extension Result where Failure == ShellProblem {
    /// The value, clearing the screen's problem; or nil, keeping the error.
    func keep(_ problem: inout ShellProblem?) -> Success? {
        switch self {
        case .success(let value):
            problem = nil
            return value
        case .failure(let error):
            problem = error
            return nil
        }
    }
}
