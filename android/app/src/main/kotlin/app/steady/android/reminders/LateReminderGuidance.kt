// When the core has measured late reminders, or exact alarms are refused, the
// patient is told why and shown the way out: the exact-alarm setting (Android 12+),
// the battery-optimisation list, and what their phone's maker adds on top (the
// most common cause of "reminders late or missing" in reminder apps' issue trackers).
package app.steady.android.reminders

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.provider.Settings

data class LateReminderGuidance(val why: String, val steps: List<String>)

object LateReminders {
    fun guidance(exactAlarmsAllowed: Boolean, manufacturer: String = Build.MANUFACTURER): LateReminderGuidance {
        val why = if (!exactAlarmsAllowed) {
            "This phone does not let Steady set exact alarms, so reminders may come up to an hour late."
        } else {
            "Some reminders arrived late: the phone's battery saving held them back."
        }
        return LateReminderGuidance(why, maker(manufacturer.lowercase()) + GENERAL)
    }

    private fun maker(name: String): List<String> = when {
        name in setOf("xiaomi", "redmi", "poco") -> listOf(
            "Settings → Apps → Steady → Autostart: on.",
            "Settings → Apps → Steady → Battery saver: No restrictions.",
        )
        name == "samsung" -> listOf(
            "Settings → Battery → Background usage limits: remove Steady from Sleeping and Deep sleeping apps.",
            "Add Steady to Never sleeping apps.",
        )
        name in setOf("huawei", "honor") -> listOf(
            "Settings → Battery → App launch → Steady: Manage manually, with all three switches on.",
        )
        name in setOf("oneplus", "oppo", "realme") -> listOf(
            "Settings → Battery → Battery optimisation → Steady: Don't optimise.",
            "Settings → Apps → Steady → Battery usage: Allow background activity.",
        )
        name in setOf("vivo", "iqoo") -> listOf(
            "Settings → Battery → Background power consumption management → Steady: Allow.",
        )
        else -> emptyList()
    }

    private val GENERAL = listOf("Android settings → Apps → Steady → Battery: Unrestricted.")

    /** The exact-alarm permission page for Steady (Android 12+). */
    fun exactAlarmSettings(context: Context): Intent? =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
            Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.parse("package:${context.packageName}"))
        } else {
            null
        }

    /** The system list of apps under battery optimisation. */
    fun batterySettings(): Intent = Intent(Settings.ACTION_IGNORE_BATTERY_OPTIMIZATION_SETTINGS)
}
