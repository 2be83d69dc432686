// Every phone screen from Kotlin: one call each, typed time (java.time.Instant
// and java.time.LocalDate), and the change listener firing after a local write.
package app.steady.tests

import app.steady.core.ChangeListener
import app.steady.core.SteadyException
import app.steady.core.model.ChangeArea
import app.steady.core.model.ChangeSet
import app.steady.core.model.ConsentState
import app.steady.core.model.EnrollmentState
import app.steady.core.model.NewCraving
import app.steady.core.model.NotificationText
import app.steady.core.model.ProgressRange
import app.steady.core.model.QuestionnaireSource
import app.steady.core.model.Screen
import app.steady.core.model.SeriesPeriod
import app.steady.core.model.SyncPhase
import java.time.Instant
import java.time.LocalDate
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** Collects every change set, as a shell's view model would. */
class Collect : ChangeListener {
    val seen = CopyOnWriteArrayList<ChangeSet>()
    override fun onChange(changes: ChangeSet) {
        seen.add(changes)
    }
    fun areas(): Set<ChangeArea> = seen.flatMap { it.areas }.toSet()
}

class ScreensTest {
    @Test
    fun `every screen is one call with typed dates and instants`() =
        withDb("2026-03-10T14:00:00Z", "America/New_York") { db ->
            val s = db.steady
            val today = s.today()
            assertEquals(SyncPhase.NOT_ENROLLED, today.sync.phase)
            assertEquals(0u, today.unreadMessages)
            assertEquals(listOf("phq9", "gad7"), today.questionnairesDue.map { it.questionnaire.id })

            val form = s.cravingForm()
            assertEquals("hungry", form.triggers.first().value)
            assertEquals("trigger.hungry", form.triggers.first().label.key)
            assertTrue(form.strongCravingThreshold in 1u..10u)

            val checkins = s.checkinsScreen()
            assertEquals(LocalDate.of(2026, 3, 10), checkins.daily.date)
            assertEquals(QuestionnaireSource.BUILT_IN, checkins.due[0].source)
            assertEquals(9, checkins.due[0].questionnaire.items.size)

            val week = s.scheduleWeek(LocalDate.of(2026, 3, 12))
            assertEquals(LocalDate.of(2026, 3, 9), week.weekStart)
            assertEquals(LocalDate.of(2026, 3, 16), week.nextWeek)
            assertEquals(7, week.days.size)
            assertTrue(week.days[1].isToday)

            s.logCraving(NewCraving(intensity = 8u))
            val progress = s.progressScreen(ProgressRange.LastWeek)
            assertEquals(LocalDate.of(2026, 3, 4), progress.firstDay)
            val counts = progress.series.first { it.key == "cravings.count" }
            assertEquals(SeriesPeriod.DAY, counts.period)
            assertEquals((4..10).map { LocalDate.of(2026, 3, it) }, counts.points.map { it.date })
            assertEquals(1.0, counts.points.last().value)
            assertNull(progress.series.first { it.key == "cravings.peak_intensity" }.points.first().value)
            assertFailsWith<SteadyException.InvalidInput> {
                s.progressScreen(ProgressRange.Since(LocalDate.of(2026, 3, 11)))
            }

            val clinic = s.clinicScreen()
            assertEquals(EnrollmentState.NotEnrolled, clinic.enrollment)
            assertTrue(clinic.consents.all { it.state == ConsentState.NOT_GRANTED && it.elements.size == 10 })

            val settings = s.settingsScreen()
            assertEquals(NotificationText.DISCREET, settings.notificationText)
            assertTrue(s.copingPlan().strategies.isNotEmpty())
            assertTrue(s.crisisCard().lines.isNotEmpty())

            // Instants are java.time.Instant: the PHQ-9 answered now is due again in 14 days.
            s.submitPhq9(List(9) { 0u })
            db.clock.now = Instant.parse("2026-03-24T14:00:00Z")
            val phq9 = s.checkinsScreen().due.first { it.questionnaire.id == "phq9" }
            assertEquals(Instant.parse("2026-03-10T14:00:00Z"), phq9.lastCompleted)
            assertEquals(Instant.parse("2026-03-24T14:00:00Z"), phq9.dueSince)
        }

    @Test
    fun `a listener hears a local write after it committed and a throwing one breaks nothing`() =
        withDb("2026-03-10T14:00:00Z", "America/New_York") { db ->
            val collect = Collect()
            val handle = db.steady.observe(collect)
            val thrower = db.steady.observe(object : ChangeListener {
                override fun onChange(changes: ChangeSet) = throw IllegalStateException("broken view model")
            })
            db.steady.logCraving(NewCraving(intensity = 4u))
            assertEquals(1, collect.seen.size)
            assertTrue(ChangeArea.CRAVINGS in collect.areas())
            assertTrue(Screen.TODAY in collect.seen[0].screens)
            assertEquals(1, db.steady.listCravings(Instant.EPOCH, FOREVER).size, "the write stands")

            handle.close()
            thrower.close()
            db.steady.logCraving(NewCraving(intensity = 2u))
            assertEquals(1, collect.seen.size, "closing the handle unregisters")
        }
}
