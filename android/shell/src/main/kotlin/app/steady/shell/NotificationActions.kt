// What a tap on a notification action does, the same for every reminder kind on
// both phones (tests/scenarios/README.md): Taken confirms the dose the reminder is
// about, I'm here records attendance, Log craving opens the quick log with its
// intensity, Snooze asks the core to move the reminder. The app has already made
// the platform require device authentication for every action but Snooze.
package app.steady.shell

import app.steady.core.model.AttendanceStatus
import app.steady.core.model.CravingLogged
import app.steady.core.model.DoseStatus
import app.steady.core.model.NewCraving
import app.steady.core.model.ReminderKind

/** What the notification carried: enough to act without the alarm still being held. */
data class TappedReminder(val reminderId: String, val kind: ReminderKind, val subjectId: String)

class NotificationActions(private val session: SteadySession) {
    /** Returns the craving response when the action logged one (the app shows it). */
    suspend fun tapped(
        reminder: TappedReminder,
        action: NotificationAction,
        intensity: UByte? = null,
        snoozeMinutes: UInt = DEFAULT_SNOOZE_MINUTES,
    ): CravingLogged? {
        var logged: CravingLogged? = null
        session.call { steady ->
            when (action) {
                NotificationAction.TAKEN -> {
                    // A dose id is `<medication id>@<local due time>` (docs/reminders.md).
                    val medication = reminder.subjectId.substringBefore('@')
                    val due = reminder.subjectId.substringAfter('@')
                    steady.confirmDose(medication, DoseStatus.TAKEN, due)
                }
                NotificationAction.IM_HERE -> steady.recordAttendance(reminder.subjectId, AttendanceStatus.ATTENDED)
                NotificationAction.SNOOZE -> steady.snoozeReminder(reminder.reminderId, snoozeMinutes)
                NotificationAction.LOG_CRAVING -> {
                    val level = requireNotNull(intensity) { "the quick log gives an intensity" }
                    logged = steady.logCravingWithSupport(NewCraving(intensity = level))
                }
            }
        }
        session.platform.notifier.dismiss(reminder.reminderId)
        return logged
    }

    companion object {
        const val DEFAULT_SNOOZE_MINUTES: UInt = 10u
    }
}
