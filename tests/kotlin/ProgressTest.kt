// Progress from Kotlin: program settings, the full report and the Today
// screen, with values counted by hand.
package app.steady.tests

import app.steady.core.SteadyException
import app.steady.core.model.AttendanceStatus
import app.steady.core.model.CravingTrend
import app.steady.core.model.Frequency
import app.steady.core.model.NewCraving
import app.steady.core.model.ProgramSettings
import app.steady.core.model.Recurrence
import app.steady.core.model.ScheduleSource
import app.steady.core.model.SessionKind
import app.steady.core.model.SessionSeries
import app.steady.core.model.SobrietyDate
import app.steady.core.model.WeekPlan
import app.steady.core.model.Weekday
import java.time.Instant
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class ProgressTest {
    private fun ms(iso: String) = Instant.parse(iso).toEpochMilli()

    /** Program from 03-01 with 9 weekly hours, sober since 02-20, two cravings. */
    private fun seed(db: TestDb) {
        db.steady.setProgramSettings(
            ProgramSettings(
                programStartDate = "2026-03-01",
                weeklyProgramHours = 9.0,
                sobrietyDates = listOf(SobrietyDate(substance = null, firstSoberDate = "2026-02-20")),
            )
        )
        db.steady.logCraving(NewCraving(intensity = 6u, occurredAtMs = ms("2026-03-10T12:00:00Z")))
        db.steady.logCraving(NewCraving(intensity = 4u, occurredAtMs = ms("2026-03-12T12:00:00Z")))
    }

    @Test
    fun `the report counts sober days, cravings and the trend`() = withDb("2026-03-14T16:00:00Z", "America/New_York") { db ->
        seed(db)
        val report = db.steady.progress(null)
        assertEquals("2026-03-14", report.asOfDate)
        assertEquals("2026-03-01", report.programStart)
        // Feb 20..28 (9) + Mar 1..14 (14) = 23 days; milestone 14, next 30.
        assertEquals(23u, report.sober.daysSinceLastUse)
        assertEquals(14u, report.sober.milestoneReached)
        assertEquals(30u, report.sober.nextMilestoneDays)
        assertEquals(7u, report.sober.daysToNextMilestone)
        assertEquals(2u, report.cravings.total)
        assertEquals(5.0, report.cravings.meanIntensity)
        assertEquals(14, report.cravings.days.size)
        // Daily peaks: nothing 03-01..03-07; 6 and 4 since: 10 / 7 = 1.429.
        assertEquals(1.429, report.cravings.last7DaysMeanPeak)
        assertEquals(CravingTrend.RISING, report.cravings.trend)
        assertEquals(5, db.steady.progress(LocalDate.of(2026, 3, 10)).cravings.days.size)
    }

    @Test
    fun `today shows sober time, the trend and the crisis card`() = withDb("2026-03-14T16:00:00Z", "America/New_York") { db ->
        seed(db)
        val today = db.steady.today()
        assertEquals("2026-03-14", today.date)
        assertEquals("America/New_York", today.timeZone)
        assertTrue(today.checkinDue)
        assertNull(today.nextSession)
        assertTrue(today.dosesDueNow.isEmpty())
        assertEquals(23u, today.sober.daysSinceLastUse)
        assertEquals(CravingTrend.RISING, today.cravingTrend)
        assertTrue(today.crisisCard.lines.any { it.call == "988" })
    }

    @Test
    fun `bad settings and dates are typed errors naming the field`() = withDb("2026-03-14T16:00:00Z", "UTC") { db ->
        val hours = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.setProgramSettings(ProgramSettings(weeklyProgramHours = 0.0))
        }
        assertEquals("weekly_program_hours", hours.field)
        // A typed date cannot be malformed; a date after today is still refused.
        val since = assertFailsWith<SteadyException.InvalidInput> { db.steady.progress(LocalDate.of(2099, 1, 1)) }
        assertEquals("since", since.field)
        assertEquals(ProgramSettings(), db.steady.programSettings())
    }

    @Test
    fun `attendance and the next session come from the schedule`() = withDb("2026-03-14T16:00:00Z", "America/New_York") { db ->
        seed(db)
        val series = db.steady.saveSessionSeries(
            SessionSeries(
                id = "", uid = null, kind = SessionKind.GROUP, title = "Group", location = null,
                videoUrl = null, timeZone = "America/New_York", startLocal = "2026-03-02T18:00",
                durationMin = 120u,
                recurrence = Recurrence(Frequency.WEEKLY, 1u, listOf(Weekday.MON, Weekday.WED), null, null),
                changes = listOf(), source = ScheduleSource.CLINIC,
            )
        )
        db.steady.recordAttendance("${series.id}@2026-03-02T18:00", AttendanceStatus.ATTENDED)
        db.steady.recordAttendance("${series.id}@2026-03-04T18:00", AttendanceStatus.MISSED)
        db.steady.recordAttendance("${series.id}@2026-03-09T18:00", AttendanceStatus.ATTENDED)
        // 03-11 is left unrecorded: unconfirmed, never counted as missed.
        val attendance = db.steady.progress(null).attendance
        assertEquals(2u, attendance.overall.attended)
        assertEquals(1u, attendance.overall.missed)
        assertEquals(1u, attendance.overall.unconfirmed)
        assertEquals(0.667, attendance.overall.rate)
        assertEquals(4.0, attendance.hoursAttended)
        // Week 03-02: 2 h of 4 offered -> not met; week 03-09: 2 h + 2 h unconfirmed -> pending.
        assertEquals(listOf(WeekPlan.NO_SESSIONS, WeekPlan.NOT_MET, WeekPlan.PENDING), attendance.weeks.map { it.plan })
        assertEquals(0u, attendance.weeksMeetingPlanInARow)
        assertEquals("${series.id}@2026-03-16T18:00", db.steady.today().nextSession?.id)
    }
}
