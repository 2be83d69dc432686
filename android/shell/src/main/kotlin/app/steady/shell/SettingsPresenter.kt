// Settings: reminder times and lead times, discreet or detailed notification text,
// quiet hours, program settings, and the late-reminder guidance when the core has
// measured late deliveries or the phone refuses exact alarms.
package app.steady.shell

import app.steady.core.model.ProgramSettings
import app.steady.core.model.ReminderSettings
import kotlinx.coroutines.flow.StateFlow

sealed interface SettingsEvent {
    data class Reminders(val settings: ReminderSettings) : SettingsEvent
    data class Program(val settings: ProgramSettings) : SettingsEvent
    data class TrackedSubstances(val substances: List<String>) : SettingsEvent
}

class SettingsPresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<SettingsState?> = session.settings

    suspend fun handle(event: SettingsEvent) {
        attempt {
            when (event) {
                is SettingsEvent.Reminders -> session.call { it.setReminderSettings(event.settings) }
                is SettingsEvent.Program -> session.call { it.setProgramSettings(event.settings) }
                is SettingsEvent.TrackedSubstances -> session.call { it.setTrackedSubstances(event.substances) }
            }
        }
    }
}
