// The reminder plan held with AlarmManager. With exact alarms allowed, sessions and
// doses use setAlarmClock (Doze lets it through and the system shows the next alarm)
// and the others setExactAndAllowWhileIdle; without the permission (Android 14 denies
// SCHEDULE_EXACT_ALARM to new installs) everything is setAndAllowWhileIdle, which may
// be up to an hour late: the Settings and Today screens say so and link to the
// setting. Only the core's diff is applied: cancel first, then set.
package app.steady.android.reminders

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.os.Build
import app.steady.android.MainActivity
import app.steady.core.model.Reminder
import app.steady.core.model.ReminderKind
import app.steady.shell.ReminderScheduler

class AlarmScheduler(private val context: Context) : ReminderScheduler {
    private val alarms: AlarmManager = context.getSystemService(AlarmManager::class.java)
    private val held = HeldAlarms(context)

    override fun held(): List<Reminder> = held.all()

    override fun apply(cancel: List<String>, set: List<Reminder>) {
        cancel.forEach { id ->
            alarms.cancel(fireIntent(id))
            held.remove(id)
        }
        set.forEach { reminder ->
            hold(reminder)
            held.put(reminder)
        }
    }

    override fun fired(id: String) = held.remove(id)

    override fun droppedAll() = held.clear()

    override fun exactAlarmsAllowed(): Boolean =
        Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()

    private fun hold(reminder: Reminder) {
        val operation = fireIntent(reminder.id)
        if (!exactAlarmsAllowed()) {
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.fireAtMs, operation)
            return
        }
        when (reminder.kind) {
            ReminderKind.SESSION, ReminderKind.DOSE -> {
                val show = PendingIntent.getActivity(
                    context, 0, Intent(context, MainActivity::class.java), PendingIntent.FLAG_IMMUTABLE,
                )
                alarms.setAlarmClock(AlarmManager.AlarmClockInfo(reminder.fireAtMs, show), operation)
            }
            else -> alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.fireAtMs, operation)
        }
    }

    private fun fireIntent(id: String): PendingIntent = PendingIntent.getBroadcast(
        context,
        held.codeFor(id),
        Intent(context, AlarmReceiver::class.java).setAction(AlarmReceiver.ACTION_FIRE).putExtra(AlarmReceiver.EXTRA_ID, id),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )
}
