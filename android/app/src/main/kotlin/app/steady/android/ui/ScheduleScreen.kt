// The schedule week: each day's sessions with their attendance and each day's doses
// with their answer, as the core placed them on the phone's days. Attendance and
// dose answers go to the core; "what counts as missed" is the core's.
package app.steady.android.ui

import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.steady.core.model.AttendanceStatus
import app.steady.core.model.DoseStatus
import app.steady.shell.ScheduleEvent
import app.steady.shell.SchedulePresenter
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ScheduleScreen(session: SteadySession) {
    val presenter = remember(session) { SchedulePresenter(session) }
    val week by presenter.state.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val w = week ?: return
    fun send(event: ScheduleEvent) = scope.launch { presenter.handle(event) }
    ScreenColumn {
        ProblemBanner(problem)
        FlowRow {
            TextButton(onClick = { send(ScheduleEvent.ShowWeek(w.previousWeek)) }) { Text("Previous week") }
            if (!w.isCurrentWeek) TextButton(onClick = { send(ScheduleEvent.ShowWeek(null)) }) { Text("This week") }
            TextButton(onClick = { send(ScheduleEvent.ShowWeek(w.nextWeek)) }) { Text("Next week") }
        }
        w.days.forEach { day ->
            Section("${day.weekday.name.lowercase().replaceFirstChar { it.uppercase() }} ${day.date}" + if (day.isToday) " (today)" else "") {
                if (day.sessions.isEmpty() && day.doses.isEmpty()) Text("Nothing planned")
                day.sessions.forEach { s ->
                    Text("${s.occurrence.title} · ${s.occurrence.startLocal.substringAfter('T')} · ${s.statusLabel.shown}")
                    s.attendance?.let { Text(it.label.shown) }
                    FlowRow {
                        OutlinedButton(onClick = { send(ScheduleEvent.Attendance(s.occurrence.id, AttendanceStatus.ATTENDED)) },
                            modifier = Modifier.heightIn(min = 48.dp)) { Text("I was there") }
                        OutlinedButton(onClick = { send(ScheduleEvent.Attendance(s.occurrence.id, AttendanceStatus.EXCUSED)) },
                            modifier = Modifier.heightIn(min = 48.dp)) { Text("Excused") }
                    }
                }
                day.doses.forEach { d ->
                    Text("${d.dose.name} · ${d.dose.dueLocal.substringAfter('T')} · ${d.answerLabel.shown}")
                    if (d.dose.confirmation == null) {
                        FlowRow {
                            OutlinedButton(onClick = { send(ScheduleEvent.Dose(d.dose.medicationId, d.dose.dueLocal, DoseStatus.TAKEN)) },
                                modifier = Modifier.heightIn(min = 48.dp)) { Text("Taken") }
                            OutlinedButton(onClick = { send(ScheduleEvent.Dose(d.dose.medicationId, d.dose.dueLocal, DoseStatus.SKIPPED)) },
                                modifier = Modifier.heightIn(min = 48.dp)) { Text("Skipped") }
                        }
                    }
                }
            }
        }
    }
}
