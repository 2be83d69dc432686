// Posts reminder notifications. One channel per kind of reminder, every channel and
// every notification VISIBILITY_SECRET with a neutral public version: nothing shows on
// the lock screen. The text is the core's (discreet unless the patient chose
// detailed text; never message text, self-harm content, substances, results or
// balances). Every action that records health data (Taken, I'm here, Log how I feel)
// requires device authentication; Snooze does not.
package app.steady.android.reminders

import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import app.steady.android.MainActivity
import app.steady.android.QuickCravingActivity
import app.steady.android.R
import app.steady.core.model.ReminderKind
import app.steady.shell.LockScreen
import app.steady.shell.NotificationAction
import app.steady.shell.Notifier
import app.steady.shell.ReminderNotice

class ReminderNotifier(private val context: Context) : Notifier {
    private val codes = HeldAlarms(context)

    override fun post(notice: ReminderNotice) {
        val manager = NotificationManagerCompat.from(context)
        if (!manager.areNotificationsEnabled()) return // the app explains this where it asked
        val open = PendingIntent.getActivity(
            context, codes.codeFor(notice.reminderId), Intent(context, MainActivity::class.java),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val public = NotificationCompat.Builder(context, channelFor(notice.kind))
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(context.getString(R.string.notification_public_title))
            .setContentText(context.getString(R.string.notification_public_body))
            .build()
        val builder = NotificationCompat.Builder(context, channelFor(notice.kind))
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(notice.title)
            .setContentText(notice.body)
            .setContentIntent(open)
            .setAutoCancel(true)
            .setCategory(NotificationCompat.CATEGORY_REMINDER)
            .setVisibility(visibility(notice.lockScreen))
            .setPublicVersion(public)
        notice.actions.forEach { builder.addAction(action(notice, it)) }
        try {
            manager.notify(codes.codeFor(notice.reminderId), builder.build())
        } catch (e: SecurityException) {
            // POST_NOTIFICATIONS was revoked between the check and the post: nothing to show.
        }
    }

    override fun dismiss(reminderId: String) {
        NotificationManagerCompat.from(context).cancel(codes.codeFor(reminderId))
    }

    private fun action(notice: ReminderNotice, action: NotificationAction): NotificationCompat.Action {
        val code = codes.codeFor(notice.reminderId + "#" + action.key)
        val intent = if (action == NotificationAction.LOG_CRAVING) {
            PendingIntent.getActivity(
                context, code,
                QuickCravingActivity.intent(context, QuickCravingActivity.FROM_NOTIFICATION)
                    .putExtras(NotificationActionReceiver.extras(notice, action)),
                PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
            )
        } else {
            PendingIntent.getBroadcast(
                context, code,
                Intent(context, NotificationActionReceiver::class.java).putExtras(NotificationActionReceiver.extras(notice, action)),
                PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
            )
        }
        val label = when (action) {
            NotificationAction.TAKEN -> R.string.action_taken
            NotificationAction.SNOOZE -> R.string.action_snooze
            NotificationAction.LOG_CRAVING -> R.string.action_log_craving
            NotificationAction.IM_HERE -> R.string.action_im_here
        }
        return NotificationCompat.Action.Builder(0, context.getString(label), intent)
            .setAuthenticationRequired(action.needsUnlock)
            .build()
    }

    companion object {
        private const val SESSIONS = "sessions"
        private const val DOSES = "doses"
        private const val CHECKINS = "checkins"

        fun channelFor(kind: ReminderKind): String = when (kind) {
            ReminderKind.SESSION -> SESSIONS
            ReminderKind.DOSE, ReminderKind.FOLLOWUP -> DOSES
            ReminderKind.CHECKIN, ReminderKind.QUESTIONNAIRE -> CHECKINS
        }

        fun visibility(lockScreen: LockScreen): Int = when (lockScreen) {
            LockScreen.SECRET -> NotificationCompat.VISIBILITY_SECRET
        }

        fun createChannels(context: Context) {
            val manager = context.getSystemService(NotificationManager::class.java)
            listOf(
                Triple(SESSIONS, R.string.channel_sessions, NotificationManager.IMPORTANCE_HIGH),
                Triple(DOSES, R.string.channel_doses, NotificationManager.IMPORTANCE_HIGH),
                Triple(CHECKINS, R.string.channel_checkins, NotificationManager.IMPORTANCE_DEFAULT),
            ).forEach { (id, name, importance) ->
                val channel = NotificationChannel(id, context.getString(name), importance)
                channel.lockscreenVisibility = android.app.Notification.VISIBILITY_SECRET
                channel.setShowBadge(false)
                manager.createNotificationChannel(channel)
            }
        }
    }
}
