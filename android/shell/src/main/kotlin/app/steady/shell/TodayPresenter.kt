// Today: the home screen as the core decided it, and what can be done from it in
// one tap (log a craving, take a dose, say "I'm here"). The crisis card is one tap
// away from here and from every other screen (the app's top bar).
package app.steady.shell

import app.steady.core.model.AttendanceStatus
import app.steady.core.model.DoseStatus
import app.steady.core.model.Today
import kotlinx.coroutines.flow.StateFlow

sealed interface TodayEvent {
    data class DoseAnswered(val medicationId: String, val dueLocal: String, val status: DoseStatus) : TodayEvent
    data class Attended(val occurrenceId: String, val status: AttendanceStatus) : TodayEvent
    data object Refresh : TodayEvent
}

class TodayPresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<Today?> = session.today
    val settings: StateFlow<SettingsState?> = session.settings

    suspend fun handle(event: TodayEvent) {
        attempt {
            when (event) {
                is TodayEvent.DoseAnswered -> session.call { it.confirmDose(event.medicationId, event.status, event.dueLocal) }
                is TodayEvent.Attended -> session.call { it.recordAttendance(event.occurrenceId, event.status) }
                TodayEvent.Refresh -> session.sync()
            }
        }
    }
}
