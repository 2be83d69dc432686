// Progress: the report (days since last use, share of sober days, longest
// streak, craving trend, attendance and adherence) and one chart series per
// measure, for the range the patient picks.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class ProgressModel {
    public private(set) var screen: ScreenState<ProgressScreen> = .loading
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<ProgressScreen, ShellProblem>) { screen = ScreenState(result) }

    public func show(range: ProgressRange) async {
        await events?.session.showProgress(range)
    }
}
