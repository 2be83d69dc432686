// On a device or emulator: the AlarmManager adapter holds exactly the diff it is
// given, remembers it across instances (a new process), and forgets it on a drop.
package app.steady.android

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import app.steady.android.reminders.AlarmScheduler
import app.steady.core.model.Reminder
import app.steady.core.model.ReminderKind
import org.junit.Assert.assertEquals
import org.junit.Test
import org.junit.runner.RunWith

@RunWith(AndroidJUnit4::class)
class AlarmSchedulerTest {
    private val context = InstrumentationRegistry.getInstrumentation().targetContext

    private fun reminder(id: String, kind: ReminderKind, inMinutes: Long) = Reminder(
        id = id, kind = kind, fireAtMs = System.currentTimeMillis() + inMinutes * 60_000,
        local = "", timeZone = "UTC", title = "It's 08:00", body = "Time for your 08:00 routine.",
        priority = 2u, subjectId = id.substringAfter(':'), snoozed = false,
    )

    @Test
    fun holds_the_diff_and_forgets_on_drop() {
        val scheduler = AlarmScheduler(context)
        scheduler.droppedAll()
        scheduler.apply(emptyList(), listOf(reminder("dose:m@1", ReminderKind.DOSE, 30), reminder("checkin:d", ReminderKind.CHECKIN, 60)))
        scheduler.apply(listOf("checkin:d"), emptyList())
        assertEquals(listOf("dose:m@1"), AlarmScheduler(context).held().map { it.id })
        scheduler.droppedAll()
        assertEquals(emptyList<String>(), AlarmScheduler(context).held().map { it.id })
    }
}
