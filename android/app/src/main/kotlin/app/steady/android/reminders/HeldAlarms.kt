// What this phone holds in AlarmManager, kept in app-private preferences (excluded
// from backup) because AlarmManager cannot list its alarms: each held reminder as
// the core planned it, and a stable request code per reminder id (ids are strings,
// PendingIntent codes are ints, and a hash alone can collide; docs/reminders.md).
package app.steady.android.reminders

import android.content.Context
import app.steady.core.model.Reminder
import app.steady.core.model.ReminderKind
import org.json.JSONObject

class HeldAlarms(context: Context) {
    private val prefs = context.getSharedPreferences("steady_alarms", Context.MODE_PRIVATE)

    fun all(): List<Reminder> = prefs.all.keys.filter { it.startsWith(HELD) }
        .mapNotNull { prefs.getString(it, null)?.let(::decode) }

    fun put(reminder: Reminder) {
        prefs.edit().putString(HELD + reminder.id, encode(reminder)).apply()
    }

    fun remove(id: String) {
        prefs.edit().remove(HELD + id).apply()
    }

    fun clear() {
        val editor = prefs.edit()
        prefs.all.keys.filter { it.startsWith(HELD) }.forEach { editor.remove(it) }
        editor.apply()
    }

    /** The request code (and notification id) for [id], allocated once. */
    @Synchronized
    fun codeFor(id: String): Int {
        val existing = prefs.getInt(CODE + id, 0)
        if (existing != 0) return existing
        val next = prefs.getInt(NEXT_CODE, 1)
        prefs.edit().putInt(CODE + id, next).putInt(NEXT_CODE, next + 1).apply()
        return next
    }

    private fun encode(r: Reminder): String = JSONObject()
        .put("id", r.id).put("kind", r.kind.name).put("fireAtMs", r.fireAtMs).put("local", r.local)
        .put("timeZone", r.timeZone).put("title", r.title).put("body", r.body)
        .put("priority", r.priority.toInt()).put("subjectId", r.subjectId).put("snoozed", r.snoozed)
        .toString()

    private fun decode(text: String): Reminder? = runCatching {
        val o = JSONObject(text)
        Reminder(
            id = o.getString("id"),
            kind = ReminderKind.valueOf(o.getString("kind")),
            fireAtMs = o.getLong("fireAtMs"),
            local = o.getString("local"),
            timeZone = o.getString("timeZone"),
            title = o.getString("title"),
            body = o.getString("body"),
            priority = o.getInt("priority").toUByte(),
            subjectId = o.getString("subjectId"),
            snoozed = o.getBoolean("snoozed"),
        )
    }.getOrNull()

    private companion object {
        const val HELD = "held:"
        const val CODE = "code:"
        const val NEXT_CODE = "next-code"
    }
}
