// Alarms vanish on reboot and app update, and a clock or zone change moves every
// floating reminder: each of these replans and applies the diff (after a reboot or
// update, against nothing held).
package app.steady.android.reminders

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import app.steady.android.finishInBackground
import app.steady.shell.PlatformEvent

class RescheduleReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val event = when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED -> PlatformEvent.BOOT_COMPLETED
            Intent.ACTION_MY_PACKAGE_REPLACED -> PlatformEvent.PACKAGE_REPLACED
            Intent.ACTION_TIME_CHANGED -> PlatformEvent.TIME_SET
            Intent.ACTION_TIMEZONE_CHANGED -> PlatformEvent.TIMEZONE_CHANGED
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED -> PlatformEvent.EXACT_ALARMS_CHANGED
            else -> return
        }
        finishInBackground(context) { app -> app.session().platformEvent(event) }
    }
}
