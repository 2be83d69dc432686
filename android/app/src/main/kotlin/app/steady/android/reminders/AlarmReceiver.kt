// An alarm fired: the session records when (the core measures lateness the same way
// on both phones), then posts the notification with the core's text.
package app.steady.android.reminders

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import app.steady.android.finishInBackground

class AlarmReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val id = intent.getStringExtra(EXTRA_ID) ?: return
        finishInBackground(context) { app -> app.session().reminderFired(id) }
    }

    companion object {
        const val ACTION_FIRE = "app.steady.action.REMINDER"
        const val EXTRA_ID = "reminder_id"
    }
}
