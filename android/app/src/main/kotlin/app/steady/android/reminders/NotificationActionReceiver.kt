// Taken, Snooze and I'm here from a notification, handled by the shell's
// NotificationActions (the same table on both phones). The platform has already
// asked for device authentication where the action records health data.
package app.steady.android.reminders

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Bundle
import app.steady.android.finishInBackground
import app.steady.core.model.ReminderKind
import app.steady.shell.NotificationAction
import app.steady.shell.NotificationActions
import app.steady.shell.ReminderNotice
import app.steady.shell.TappedReminder

class NotificationActionReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val tapped = tapped(intent.extras) ?: return
        val action = intent.getStringExtra(EXTRA_ACTION)?.let(NotificationAction::fromKey) ?: return
        finishInBackground(context) { app -> NotificationActions(app.session()).tapped(tapped, action) }
    }

    companion object {
        private const val EXTRA_ID = "reminder_id"
        private const val EXTRA_KIND = "reminder_kind"
        private const val EXTRA_SUBJECT = "reminder_subject"
        private const val EXTRA_ACTION = "reminder_action"

        fun extras(notice: ReminderNotice, action: NotificationAction): Bundle = Bundle().apply {
            putString(EXTRA_ID, notice.reminderId)
            putString(EXTRA_KIND, notice.kind.name)
            putString(EXTRA_SUBJECT, notice.subjectId)
            putString(EXTRA_ACTION, action.key)
        }

        /** The reminder a notification action or the quick log opened from one is about. */
        fun tapped(extras: Bundle?): TappedReminder? {
            val id = extras?.getString(EXTRA_ID) ?: return null
            val kind = extras.getString(EXTRA_KIND)?.let { runCatching { ReminderKind.valueOf(it) }.getOrNull() } ?: return null
            val subject = extras.getString(EXTRA_SUBJECT) ?: return null
            return TappedReminder(id, kind, subject)
        }
    }
}
