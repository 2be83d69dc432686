// Check-ins: the daily check-in, questionnaires due (built-in and
// clinic-assigned) and the last scores. A PHQ-9 item 9 answer above 0 comes
// back with the crisis card, which is raised at once.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class CheckinsModel {
    public private(set) var screen: ScreenState<CheckinsScreen> = .loading
    public private(set) var submitted: QuestionnaireSubmitted?
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<CheckinsScreen, ShellProblem>) { screen = ScreenState(result) }

    public func recordDaily(_ checkin: NewDailyCheckIn) async {
        _ = await events?.run { try await $0.recordDailyCheckin(checkin) }.keep(&problem)
    }

    public func submit(questionnaireId: String, answers: [QuestionnaireAnswer]) async {
        guard let events else { return }
        submitted = await events.run { try await $0.submitQuestionnaire(id: questionnaireId, answers: answers) }.keep(&problem)
        events.raise(submitted?.crisisCard)
    }
}
