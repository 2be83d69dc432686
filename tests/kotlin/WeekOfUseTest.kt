// What a week of real use found (issue 10), from Kotlin as the Android shell
// calls it: the crisis card with no readable database, damaged files refused
// and kept, the bad-day responses, check-in substances, and a questionnaire
// the clinic assigns arriving by sync, due, answered and synced back.
package app.steady.tests

import app.steady.core.Steady
import app.steady.core.SteadyException
import app.steady.core.crisisCardWithoutDatabase
import app.steady.core.setAsideDatabase
import app.steady.core.model.ConsentCategory
import app.steady.core.model.ConsentGrant
import app.steady.core.model.CravingAmendment
import app.steady.core.model.CravingOutcome
import app.steady.core.model.NewCraving
import app.steady.core.model.NewDailyCheckIn
import app.steady.core.model.NewLapse
import app.steady.core.model.PlanSection
import app.steady.core.model.ProgramSettings
import app.steady.core.model.ReminderKind
import app.steady.sync.HttpUrlConnectionTransport
import java.io.File
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class WeekOfUseTest {
    private val now = "2027-01-04T15:00:00Z"

    @Test
    fun `the crisis card needs no open database and keeps the patient's contacts`() = withDb(now, "America/New_York") { db ->
        db.steady.addSupportContact("Sam Rivera", "555 0100")
        db.steady.closeDatabase()
        val wrongKey = ByteArray(32) { 1 }
        assertFailsWith<SteadyException.WrongKey> { Steady.open(db.path, wrongKey, db.clock) }
        val card = crisisCardWithoutDatabase(db.path)
        assertEquals(listOf("911", "988", "1-800-662-4357"), card.lines.map { it.call })
        assertEquals("988", card.lines[1].text)
        assertTrue(card.lines[2].description.contains("not crisis counselling"))
        assertEquals(listOf("Sam Rivera"), card.supportContacts.map { it.name })
        val missing = crisisCardWithoutDatabase(File(db.dir, "nowhere.db").path)
        assertEquals(3, missing.lines.size)
        db.reopen()
    }

    @Test
    fun `an empty or foreign database file is refused, told apart and left untouched`() = withDb(now, "UTC") { db ->
        val empty = File(db.dir, "empty.db").apply { writeBytes(ByteArray(0)) }
        val damaged = assertFailsWith<SteadyException.DatabaseDamaged> { Steady.open(empty.path, db.key, db.clock) }
        assertTrue(damaged.reason.contains("empty"), damaged.reason)
        assertEquals(0L, empty.length(), "never replaced by a new database")
        val text = File(db.dir, "notes.db").apply { writeText("name,phone\nSam,555 0100\n") }
        assertFailsWith<SteadyException.NotSteadyDatabase> { Steady.open(text.path, db.key, db.clock) }
        assertEquals("name,phone\nSam,555 0100\n", text.readText())
        assertEquals(3, crisisCardWithoutDatabase(empty.path).lines.size)
        // With the patient's agreement: set aside untouched, then start afresh.
        val aside = File(setAsideDatabase(empty.path, db.clock.nowMs()))
        assertTrue(aside.name.startsWith("empty.db.damaged-"), aside.name)
        assertEquals(0L, aside.length())
        Steady.open(empty.path, db.key, db.clock).closeDatabase()
    }

    @Test
    fun `an unsafe craving amended to passed does not repeat the strong-craving response`() = withDb(now, "America/New_York") { db ->
        val logged = db.steady.logCravingWithSupport(NewCraving(intensity = 9u, markedUnsafe = true))
        val card = assertNotNull(logged.crisisCard)
        assertTrue(assertNotNull(card.clinicNotice).contains("988"))
        assertTrue(logged.strategies.isNotEmpty())
        val amended = db.steady.amendCraving(logged.craving.id, CravingAmendment(outcome = CravingOutcome.PASSED))
        assertNull(amended.crisisCard)
        assertEquals(emptyList(), amended.strategies)
        val used = db.steady.logCravingWithSupport(NewCraving(intensity = 9u, outcome = CravingOutcome.USED))
        assertTrue(used.offerLapse)
        assertEquals(emptyList(), used.strategies)
    }

    @Test
    fun `an opioid lapse carries overdose-risk guidance and an alcohol one does not`() = withDb(now, "America/New_York") { db ->
        val heroin = db.steady.logLapse(NewLapse(substances = listOf("heroin")))
        val guidance = assertNotNull(heroin.overdoseGuidance)
        assertEquals("1-800-484-3731", guidance.neverUseAlone.call)
        assertTrue(guidance.steps.any { it.contains("naloxone") } && guidance.steps.any { it.contains("911") })
        assertNull(db.steady.logLapse(NewLapse(substances = listOf("alcohol"))).overdoseGuidance)
    }

    @Test
    fun `the program starts on the set-up day, five years of progress work, impossible dates are refused`() =
        withDb("2026-01-01T15:00:00Z", "America/New_York") { db ->
            db.clock.now = Instant.parse("2026-01-20T15:00:00Z")
            db.steady.logLapse(NewLapse(substances = listOf("alcohol")))
            val report = db.steady.progress(null)
            assertEquals("2026-01-01", report.programStart)
            assertEquals(19u, report.sober.soberDaysInProgram)
            db.steady.setProgramSettings(ProgramSettings(programStartDate = "2021-01-20", weeklyProgramHours = 9.0))
            assertEquals(1827u, db.steady.progress(null).sober.daysInProgram)
            val future = assertFailsWith<SteadyException.InvalidInput> {
                db.steady.setProgramSettings(ProgramSettings(programStartDate = "2026-02-01"))
            }
            assertEquals("program_start_date", future.field)
            val ancient = assertFailsWith<SteadyException.InvalidInput> { db.steady.progress(java.time.LocalDate.of(1800, 1, 1)) }
            assertEquals("since", ancient.field)
        }

    @Test
    fun `an own coping strategy carries the id that removes it`() = withDb(now, "UTC") { db ->
        val entry = db.steady.addToCopingPlan(PlanSection.STRATEGY, "Walk the dog")
        assertEquals(entry.id, db.steady.copingPlan().strategies.last().entryId)
        db.steady.removeFromCopingPlan(entry.id)
        assertTrue(db.steady.copingPlan().strategies.none { it.name == "Walk the dog" })
    }

    @Test
    fun `a daily check-in names what was used`() = withDb(now, "America/New_York") { db ->
        val checkin = db.steady.recordDailyCheckin(NewDailyCheckIn(usedToday = true, substances = listOf("alcohol"), mood = 2u))
        assertEquals(listOf("alcohol"), checkin.substances)
        val refused = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.recordDailyCheckin(NewDailyCheckIn(usedToday = false, substances = listOf("alcohol"), mood = 3u))
        }
        assertEquals("substances", refused.field)
    }
}

class AssignedQuestionnaireTest {
    private val url = assertNotNull(System.getProperty("steady.clinic.url"), "run through scripts/test.sh")
    private val staff = StaffClient(url, System.getProperty("steady.staff.email"), System.getProperty("steady.staff.password"))
    private val transport = HttpUrlConnectionTransport()

    @Test
    fun `a questionnaire the clinic assigns arrives, is due, is reminded and its answers reach the clinic`() =
        withDb("2027-01-04T15:00:00Z", "America/New_York") { db ->
            val (patient, code) = staff.newPatient("Robin Lee")
            val assignment = staff.clinicRecord(
                patient, "questionnaire",
                """{"instrument":"phq9","title":"Weekly mood","weekday":"mon","time":"09:00"}""",
            )
            db.steady.enroll(code, url, transport, "JVM test")
            db.steady.sync(transport)
            val assigned = db.steady.assignedQuestionnaires()
            assertEquals(listOf(assignment), assigned.map { it.assignmentId })
            assertEquals("phq9", assigned[0].questionnaireId)
            assertTrue(assigned[0].dueNow)
            db.clock.now = java.time.Instant.parse("2027-01-10T15:00:00Z")
            val reminder = db.steady.planReminders().first { it.kind == ReminderKind.QUESTIONNAIRE }
            assertEquals(assignment, reminder.subjectId)

            val oneName = assertFailsWith<SteadyException.InvalidInput> {
                db.steady.grantConsent(ConsentGrant(listOf(ConsentCategory.CHECKINS), signature = "Robin"))
            }
            assertEquals("signature", oneName.field)
            db.steady.grantConsent(ConsentGrant(listOf(ConsentCategory.CHECKINS), signature = "Robin Lee"))
            val answered = db.steady.submitPhq9(listOf(1u, 1u, 0u, 0u, 1u, 0u, 0u, 0u, 0u))
            assertTrue(!db.steady.assignedQuestionnaires()[0].dueNow)
            db.steady.sync(transport)
            assertTrue(staff.records(patient).contains(answered.response.id))
        }
}

