// The schedule week with attendance, and the doses of each day: move between
// weeks, record attendance ("I was there", late, missed, excused), answer a dose
// (taken, skipped, taken late). Which sessions fall on which day is the core's.
package app.steady.shell

import app.steady.core.model.AttendanceStatus
import app.steady.core.model.DoseStatus
import app.steady.core.model.ScheduleWeek
import java.time.LocalDate
import kotlinx.coroutines.flow.StateFlow

sealed interface ScheduleEvent {
    data class ShowWeek(val day: LocalDate?) : ScheduleEvent
    data class Attendance(val occurrenceId: String, val status: AttendanceStatus) : ScheduleEvent
    data class Dose(val medicationId: String, val dueLocal: String, val status: DoseStatus) : ScheduleEvent
}

class SchedulePresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<ScheduleWeek?> = session.scheduleWeek

    suspend fun handle(event: ScheduleEvent) {
        attempt {
            when (event) {
                is ScheduleEvent.ShowWeek -> session.showWeek(event.day)
                is ScheduleEvent.Attendance -> session.call { it.recordAttendance(event.occurrenceId, event.status) }
                is ScheduleEvent.Dose -> session.call { it.confirmDose(event.medicationId, event.status, event.dueLocal) }
            }
        }
    }
}
