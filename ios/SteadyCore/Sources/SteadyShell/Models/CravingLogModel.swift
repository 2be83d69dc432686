// The craving form (triggers, place, company, coping tried, outcome, all
// optional) and the core's response: strategies for a strong craving, the
// crisis card when marked unsafe, the offer to log a lapse when used.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class CravingLogModel {
    public private(set) var screen: ScreenState<CravingForm> = .loading
    public private(set) var response: CravingLogged?
    public private(set) var lapse: LapseLogged?
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<CravingForm, ShellProblem>) { screen = ScreenState(result) }

    public func log(_ craving: NewCraving) async {
        guard let events else { return }
        response = await events.run { try await $0.logCraving(craving) }.keep(&problem)
        events.raise(response?.crisisCard)
    }

    /// Adds details to the craving just logged (from a quick log).
    public func amend(id: String, _ change: CravingAmendment) async {
        guard let events else { return }
        response = await events.run { try await $0.amendCraving(id: id, change: change) }.keep(&problem)
        events.raise(response?.crisisCard)
    }

    /// Accepts the offer to log a lapse after "used".
    public func logLapse(_ input: NewLapse) async {
        lapse = await events?.run { try await $0.logLapse(input) }.keep(&problem)
    }

    public func startOver() {
        response = nil
        lapse = nil
        problem = nil
    }
}
