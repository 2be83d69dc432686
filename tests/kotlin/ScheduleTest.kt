// Schedules and reminders end to end from Kotlin: import a clinic calendar,
// plan reminders, diff two plans as the Android shell does after a replan.
package app.steady.tests

import app.steady.core.SteadyException
import app.steady.core.diffReminders
import app.steady.core.reloadTimeZoneRules
import app.steady.core.timeZoneRules
import app.steady.core.model.DoseStatus
import app.steady.core.model.NewMedication
import app.steady.core.model.OccurrenceStatus
import app.steady.core.model.ReminderKind
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

private val CALENDAR = listOf(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "BEGIN:VEVENT",
    "UID:group@clinic.example",
    "SUMMARY:Evening group",
    "DTSTART;TZID=America/New_York:20260302T180000",
    "DURATION:PT3H",
    "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "EXDATE;TZID=America/New_York:20260309T180000",
    "END:VEVENT",
    "END:VCALENDAR",
).joinToString("\r\n", postfix = "\r\n")

class ScheduleTest {
    @Test
    fun `zone rules are read from the system tz database and can be read again`() {
        val rules = timeZoneRules()
        assertTrue(rules.source.startsWith("zoneinfo directory "), rules.source)
        assertTrue(rules.zones > 300u, "${rules.zones} zones")
        assertTrue(rules.version != null, "the release is stated")
        assertEquals(rules, reloadTimeZoneRules())
    }

    @Test
    fun `an imported calendar gives occurrences and discreet session reminders across DST`() =
        withDb("2026-03-05T12:00:00Z", "America/New_York") { db ->
            assertEquals(1u, db.steady.importCalendar(CALENDAR).added)
            assertEquals(1u, db.steady.importCalendar(CALENDAR).updated)
            val week = db.steady.occurrences(LocalDate.of(2026, 3, 6), LocalDate.of(2026, 3, 12))
            assertEquals(listOf("2026-03-06T18:00", "2026-03-09T18:00", "2026-03-11T18:00"), week.map { it.startLocal })
            assertEquals(OccurrenceStatus.CANCELLED, week[1].status)

            val settings = db.steady.reminderSettings().copy(checkinTime = null, doseFollowupMinutes = 0u)
            val sessions = db.steady.planRemindersWith(settings).filter { it.kind == ReminderKind.SESSION }
            assertEquals(
                listOf(
                    "2026-03-06T17:00:00-05:00", "2026-03-06T17:45:00-05:00",
                    "2026-03-11T17:00:00-04:00", "2026-03-11T17:45:00-04:00",
                ),
                sessions.map { it.local },
            )
            assertTrue(sessions.none { it.title.contains("group") || it.body.contains("group") })
        }

    @Test
    fun `a broken event is reported with its line and a file that is no calendar imports nothing`() =
        withDb("2026-03-05T12:00:00Z", "America/New_York") { db ->
            val summary = db.steady.importCalendar(CALENDAR.replace("FREQ=WEEKLY", "FREQ=FORTNIGHTLY"))
            assertEquals(0u, summary.added)
            assertEquals(8u, summary.skipped.single().line)
            assertEquals("RRULE", summary.skipped.single().component)
            val error = assertFailsWith<SteadyException.InvalidInput> {
                db.steady.importCalendar("not a calendar")
            }
            assertEquals("calendar line 1 (VCALENDAR)", error.field)
            assertTrue(db.steady.sessionSeries().isEmpty())
        }

    @Test
    fun `diffing two plans cancels and adds only what changed`() =
        withDb("2026-03-05T12:00:00Z", "America/New_York") { db ->
            db.steady.importCalendar(CALENDAR)
            val med = db.steady.addMedication(NewMedication(name = "Naltrexone", times = listOf("08:00")))
            val held = db.steady.planReminders()
            val same = diffReminders(held, db.steady.planReminders())
            assertTrue(same.cancel.isEmpty() && same.add.isEmpty())

            // The patient flies to London: doses follow the phone, sessions keep their instant.
            db.clock.zone = "Europe/London"
            val planned = db.steady.planReminders()
            val diff = diffReminders(held, planned)
            assertTrue(diff.cancel.any { it.startsWith("dose:${med.id}@") })
            val londonDose = planned.first { it.kind == ReminderKind.DOSE }
            assertTrue(londonDose.local.endsWith("T08:00:00Z") || londonDose.local.endsWith("T08:00:00+00:00"))
            for (added in diff.add.filter { it.kind == ReminderKind.SESSION }) {
                assertEquals(held.first { it.id == added.id }.fireAtMs, added.fireAtMs)
            }
            assertTrue(diff.add.all { added -> planned.any { it.id == added.id } })

            // Confirming a dose cancels its reminder and follow-up, nothing else.
            db.clock.now = java.time.Instant.parse("2026-03-06T08:10:00Z")
            val beforeConfirm = db.steady.planReminders()
            db.steady.confirmDose(med.id, DoseStatus.TAKEN, "2026-03-06T08:00")
            val afterConfirm = diffReminders(beforeConfirm, db.steady.planReminders())
            assertEquals(listOf("followup:${med.id}@2026-03-06T08:00"), afterConfirm.cancel)
        }
}
