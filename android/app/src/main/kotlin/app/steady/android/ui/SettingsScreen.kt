// Settings: notification text (discreet by default, with the core's own examples),
// reminder lead times and the check-in time, the late-reminder guidance, and the
// discretion switches (app lock, neutral icon, widget, tile, shortcuts), each off
// until the patient turns it on.
package app.steady.android.ui

import android.Manifest
import android.content.pm.PackageManager
import android.os.Build
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import app.steady.android.discretion.Discretion
import app.steady.android.reminders.LateReminders
import app.steady.core.model.NotificationText
import app.steady.shell.SettingsEvent
import app.steady.shell.SettingsPresenter
import app.steady.shell.SettingsState
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@Composable
fun SettingsScreen(session: SteadySession) {
    val presenter = remember(session) { SettingsPresenter(session) }
    val state by presenter.state.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val s = state ?: return
    ScreenColumn {
        ProblemBanner(problem)
        NotificationPermission()
        if (s.showLateReminderGuidance) LateReminderCard(s, onOpen = null)
        Section("Notification text") {
            s.screen.notificationTextChoices.forEach { choice ->
                Row {
                    RadioButton(selected = s.screen.notificationText == choice.value, onClick = {
                        val settings = s.screen.reminders.copy(detailedText = choice.value == NotificationText.DETAILED)
                        scope.launch { presenter.handle(SettingsEvent.Reminders(settings)) }
                    })
                    Text("${choice.label.shown}: “${choice.exampleTitle} — ${choice.exampleBody}”")
                }
            }
        }
        Section("Reminders") {
            Text("Sessions: ${s.screen.sessionLeadMinutes.joinToString { "$it min" }} before")
            Text("Daily check-in: ${s.screen.checkinTime ?: "off"}")
            Text("Quiet hours: ${s.screen.quietStart ?: "–"} to ${s.screen.quietEnd ?: "–"}")
        }
        DiscretionSettings()
    }
}

/** Why reminders may be late, what to change on this phone, and the way to the settings. */
@Composable
fun LateReminderCard(state: SettingsState, onOpen: (() -> Unit)?) {
    val context = LocalContext.current
    val guidance = LateReminders.guidance(state.exactAlarmsAllowed)
    Section("Reminders may be late") {
        Text(guidance.why)
        if (onOpen != null) {
            OutlinedButton(onClick = onOpen) { Text("What to do") }
        } else {
            guidance.steps.forEach { Text("• $it") }
            LateReminders.exactAlarmSettings(context)?.takeIf { !state.exactAlarmsAllowed }?.let { intent ->
                Button(onClick = { context.startActivity(intent) }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Allow exact reminders") }
            }
            Button(onClick = { context.startActivity(LateReminders.batterySettings()) }, modifier = Modifier.heightIn(min = 48.dp)) {
                Text("Open battery settings")
            }
        }
    }
}

/** POST_NOTIFICATIONS asked in context (Today and Settings), with what happens without it. */
@Composable
fun NotificationPermission() {
    if (Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU) return
    val context = LocalContext.current
    var granted by remember {
        mutableStateOf(ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED)
    }
    var denied by remember { mutableStateOf(false) }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { ok -> granted = ok; denied = !ok }
    if (granted) return
    Section("Reminders need notifications") {
        Text("Steady reminds you of sessions, doses and check-ins with notifications that never say what they are about on the lock screen.")
        if (denied) Text("Without notifications no reminder will appear; you will see what is due only when you open Steady.")
        Button(onClick = { ask.launch(Manifest.permission.POST_NOTIFICATIONS) }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Allow notifications") }
    }
}

@Composable
private fun DiscretionSettings() {
    val context = LocalContext.current
    val discretion = remember { Discretion(context) }
    var choices by remember { mutableStateOf(discretion.choices()) }
    fun set(change: (Discretion.Choices) -> Discretion.Choices) {
        choices = change(choices)
        discretion.apply(choices)
    }
    Section("Privacy on a shared phone") {
        SwitchRow("Lock Steady with your PIN or fingerprint", choices.appLock) { on -> set { it.copy(appLock = on) } }
        SwitchRow("Show a plain “Notes” icon instead of Steady", choices.neutralIcon) { on -> set { it.copy(neutralIcon = on) } }
        SwitchRow("Home-screen button for a quick note", choices.widget) { on -> set { it.copy(widget = on) } }
        SwitchRow("Quick-settings tile for a quick note", choices.tile) { on -> set { it.copy(tile = on) } }
        SwitchRow("Launcher shortcuts (quick note, help numbers)", choices.shortcuts) { on -> set { it.copy(shortcuts = on) } }
    }
}

@Composable
private fun SwitchRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(Modifier.heightIn(min = 48.dp)) {
        Text(label, Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = onChange)
    }
}
