// SteadySession's own duties beyond the shared scenarios: opening fails loudly and
// keeps the file, the plan is always handed over as a diff, writes that cannot be
// shared ask for no sync, notification actions reach the core, and problems never
// carry what the patient wrote.
package app.steady.shell

import app.steady.core.SteadyException
import app.steady.core.model.AttendanceStatus
import app.steady.core.model.NewCraving
import app.steady.core.model.NewMedication
import app.steady.core.model.ReminderKind
import java.io.File
import java.nio.file.Files
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

class SessionTest {
    private val dir: File = Files.createTempDirectory("steady-session").toFile()
    private val db = File(dir, "steady.db").absolutePath
    private val phone = FakePhone("2027-01-04T14:00:00Z", "America/New_York")

    @AfterEach
    fun cleanUp() {
        dir.deleteRecursively()
    }

    private fun <T> withSession(body: suspend (SteadySession) -> T): T = runBlocking {
        val session = SteadySession.open(db, phone.platform)
        try {
            session.awaitIdle()
            body(session)
        } finally {
            session.close()
        }
    }

    @Test
    fun `a lost key is reported and the database is left in place`() {
        withSession { it.call { s -> s.logCraving(NewCraving(intensity = 3u)) } }
        phone.keyVault.platformKeyLost = true
        assertFailsWith<KeyLostException> { runBlocking { SteadySession.open(db, phone.platform) } }
        assertTrue(File(db).exists(), "the record is never deleted")
        assertEquals(1, phone.keyVault.creations, "no new key behind the patient's back")
    }

    @Test
    fun `another key cannot open the record`() {
        withSession { }
        val stranger = FakePhone("2027-01-04T14:00:00Z", "America/New_York")
        assertFailsWith<SteadyException> { runBlocking { SteadySession.open(db, stranger.platform) } }
        assertTrue(File(db).exists())
    }

    @Test
    fun `every replan hands the platform the diff, even an empty one`() = withSession { session ->
        val before = phone.scheduler.applies.size
        val diff = session.applyReminderPlan()
        assertTrue(diff.cancel.isEmpty() && diff.add.isEmpty())
        assertEquals(before + 1, phone.scheduler.applies.size)
    }

    @Test
    fun `a write that cannot be shared asks for no sync`() = withSession { session ->
        session.call { it.logCraving(NewCraving(intensity = 5u)) }
        session.awaitIdle()
        assertFalse(phone.backgroundSync.pending, "not enrolled: nothing can leave the phone")
        assertFalse(phone.backgroundSync.periodic)
    }

    @Test
    fun `the crisis card is there from the first moment, with the patient's contacts`() {
        withSession { it.call { s -> s.addSupportContact("Alex", "555-0100") } }
        runBlocking {
            val session = SteadySession.open(db, phone.platform)
            try {
                // Read before any screen has loaded.
                val card = assertNotNull(session.crisisCard.value)
                assertEquals(listOf("911", "988", "1-800-662-4357"), card.lines.map { it.call })
                assertEquals(listOf("Alex"), card.supportContacts.map { it.name })
            } finally {
                session.close()
            }
        }
    }

    @Test
    fun `an alarm no longer held posts nothing`() = withSession { session ->
        assertNull(session.reminderFired("checkin:1999-01-01"))
        assertTrue(phone.notifier.posted.isEmpty())
    }

    @Test
    fun `snooze from a notification moves the alarm and keeps its id`() = withSession { session ->
        phone.clock.now = Instant.parse("2027-01-05T01:00:00Z")
        assertNotNull(session.reminderFired("checkin:2027-01-04"))
        NotificationActions(session).tapped(
            TappedReminder("checkin:2027-01-04", ReminderKind.CHECKIN, "2027-01-04"),
            NotificationAction.SNOOZE,
            snoozeMinutes = 15u,
        )
        session.awaitIdle()
        val moved = phone.scheduler.alarms.getValue("checkin:2027-01-04")
        assertEquals(Instant.parse("2027-01-05T01:15:00Z").toEpochMilli(), moved.fireAtMs)
        assertTrue(moved.snoozed)
        assertEquals(listOf("checkin:2027-01-04"), phone.notifier.dismissed)
    }

    @Test
    fun `taken from a dose notification confirms that dose`() = withSession { session ->
        val medication = session.call {
            it.addMedication(NewMedication(name = "Naltrexone", times = listOf("10:00"), startDate = "2027-01-04"))
        }.id
        phone.clock.now = Instant.parse("2027-01-04T15:00:00Z")
        NotificationActions(session).tapped(
            TappedReminder("dose:$medication@2027-01-04T10:00", ReminderKind.DOSE, "$medication@2027-01-04T10:00"),
            NotificationAction.TAKEN,
        )
        session.awaitIdle()
        val dose = session.call { it.dosesDue(java.time.LocalDate.of(2027, 1, 4), java.time.LocalDate.of(2027, 1, 4)) }.single()
        assertNotNull(dose.confirmation)
        assertEquals(0, session.today.value?.dosesDueNow?.size)
    }

    @Test
    fun `I'm here records attendance for the session the reminder was about`() = withSession { session ->
        val series = session.call {
            it.saveSessionSeries(
                app.steady.core.model.SessionSeries(
                    id = "", uid = null, kind = app.steady.core.model.SessionKind.GROUP, title = "Group",
                    location = null, videoUrl = null, timeZone = "America/New_York", startLocal = "2027-01-04T09:30",
                    durationMin = 60u, recurrence = null, changes = emptyList(),
                    source = app.steady.core.model.ScheduleSource.PATIENT,
                ),
            )
        }.id
        val occurrence = "$series@2027-01-04T09:30"
        phone.clock.now = Instant.parse("2027-01-04T14:40:00Z")
        NotificationActions(session).tapped(
            TappedReminder("session:$occurrence:15", ReminderKind.SESSION, occurrence),
            NotificationAction.IM_HERE,
        )
        session.awaitIdle()
        val marked = session.scheduleWeek.value!!.days.flatMap { it.sessions }.single { it.occurrence.id == occurrence }
        assertEquals(AttendanceStatus.ATTENDED, marked.attendance?.status)
    }

    @Test
    fun `every kind has its actions and only snooze works without unlocking`() {
        ReminderKind.entries.forEach { kind ->
            val actions = NotificationAction.forKind(kind)
            assertTrue(NotificationAction.SNOOZE in actions, "$kind can be snoozed")
            assertEquals(actions.filter { it != NotificationAction.SNOOZE }, actions.filter { it.needsUnlock })
        }
    }

    @Test
    fun `a problem names the field, never the words typed`() = withSession { session ->
        val presenter = CravingPresenter(session)
        presenter.handle(CravingEvent.Log(NewCraving(intensity = 11u, note = "at Jo's place"), CravingEntry.TODAY))
        val problem = assertNotNull(presenter.problem.value)
        assertEquals(Problem("invalid_input", "intensity"), problem)
        assertFalse(problem.toString().contains("Jo"))
    }
}
