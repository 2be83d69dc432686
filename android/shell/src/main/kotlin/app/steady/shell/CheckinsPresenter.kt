// Check-ins and questionnaires: the daily check-in, the built-in PHQ-9 and GAD-7
// and what the clinic assigned, as the core lists them due. A PHQ-9 item 9 answer
// above 0 comes back with the crisis card, shown at once.
package app.steady.shell

import app.steady.core.model.CheckinsScreen
import app.steady.core.model.NewDailyCheckIn
import app.steady.core.model.QuestionnaireAnswer
import app.steady.core.model.QuestionnaireSubmitted
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

sealed interface CheckinsEvent {
    data class Daily(val checkin: NewDailyCheckIn) : CheckinsEvent
    data class Phq9(val answers: List<UInt>) : CheckinsEvent
    data class Gad7(val answers: List<UInt>) : CheckinsEvent
    data class Questionnaire(val id: String, val answers: List<QuestionnaireAnswer>) : CheckinsEvent
    data object Dismiss : CheckinsEvent
}

class CheckinsPresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<CheckinsScreen?> = session.checkins
    private val _submitted = MutableStateFlow<QuestionnaireSubmitted?>(null)
    val submitted: StateFlow<QuestionnaireSubmitted?> = _submitted.asStateFlow()

    suspend fun handle(event: CheckinsEvent) {
        attempt {
            when (event) {
                is CheckinsEvent.Daily -> session.call { it.recordDailyCheckin(event.checkin) }
                is CheckinsEvent.Phq9 -> _submitted.value = session.call { it.submitPhq9(event.answers) }
                is CheckinsEvent.Gad7 -> _submitted.value = session.call { it.submitGad7(event.answers) }
                is CheckinsEvent.Questionnaire ->
                    _submitted.value = session.call { it.submitQuestionnaire(event.id, event.answers) }
                CheckinsEvent.Dismiss -> _submitted.value = null
            }
        }
    }
}
