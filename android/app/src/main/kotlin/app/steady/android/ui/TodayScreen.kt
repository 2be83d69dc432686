// Today: the next session, doses due now, the check-in, sober time without shame,
// questionnaires due, unread messages, the sync state, and one tap to log a craving.
// When the core measured late reminders (or exact alarms are refused) a card says
// why and leads to the guidance.
package app.steady.android.ui

import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.steady.core.model.AttendanceStatus
import app.steady.core.model.DoseStatus
import app.steady.shell.SteadySession
import app.steady.shell.TodayEvent
import app.steady.shell.TodayPresenter
import kotlinx.coroutines.launch

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun TodayScreen(session: SteadySession, open: (String) -> Unit) {
    val presenter = remember(session) { TodayPresenter(session) }
    val today by presenter.state.collectAsState()
    val settings by presenter.settings.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val t = today ?: return
    ScreenColumn {
        ProblemBanner(problem)
        Button(
            onClick = { open(Routes.CRAVING) },
            modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp),
        ) { Text("Log a craving") }
        NotificationPermission()
        if (settings?.showLateReminderGuidance == true) {
            LateReminderCard(settings!!, onOpen = { open(Routes.SETTINGS) })
        }
        t.nextSession?.let { next ->
            Section("Next session") {
                Text("${next.title} · ${next.startLocal.substringAfter('T')}")
                next.location?.let { Text(it) }
                OutlinedButton(onClick = {
                    scope.launch { presenter.handle(TodayEvent.Attended(next.id, AttendanceStatus.ATTENDED)) }
                }) { Text("I'm here") }
            }
        }
        if (t.dosesDueNow.isNotEmpty()) {
            Section("Due now") {
                t.dosesDueNow.forEach { dose ->
                    Text("${dose.name} ${dose.dose ?: ""} · ${dose.dueLocal.substringAfter('T')}")
                    FlowRow {
                        Button(onClick = {
                            scope.launch { presenter.handle(TodayEvent.DoseAnswered(dose.medicationId, dose.dueLocal, DoseStatus.TAKEN)) }
                        }) { Text("Taken") }
                        OutlinedButton(onClick = {
                            scope.launch { presenter.handle(TodayEvent.DoseAnswered(dose.medicationId, dose.dueLocal, DoseStatus.SKIPPED)) }
                        }) { Text("Skipped") }
                    }
                }
            }
        }
        Section("Your days") {
            Text("${t.sober.daysSinceLastUse} days in a row")
            Text("${t.sober.soberDaysInProgram} of ${t.sober.daysInProgram} days in the program · longest ${t.sober.longestStreakDays}")
        }
        if (t.checkinDue || t.questionnairesDue.isNotEmpty()) {
            Section("Check-ins") {
                if (t.checkinDue) Text("Today's check-in is waiting.")
                t.questionnairesDue.forEach { Text(it.title) }
                OutlinedButton(onClick = { open(Routes.CHECKINS) }) { Text("Open check-ins") }
            }
        }
        if (t.copingShortcuts.isNotEmpty()) {
            Section("What helped before") {
                t.copingShortcuts.forEach { Text(it.name) }
                OutlinedButton(onClick = { open(Routes.COPING) }) { Text("Coping plan") }
            }
        }
        if (t.unreadMessages > 0u) {
            OutlinedButton(onClick = { open(Routes.CLINIC) }) { Text("${t.unreadMessages} new messages from your clinic") }
        }
        Text(t.sync.label.shown)
    }
}
