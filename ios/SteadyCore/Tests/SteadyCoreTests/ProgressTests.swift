// Progress from Swift: program settings, the full report and the Today
// screen, with values counted by hand.
import Foundation
import SteadyCore
import XCTest

final class ProgressTests: XCTestCase {
    private func ms(_ iso: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970 * 1000)
    }

    /// Program from 03-01 with 9 weekly hours, sober since 02-20, two cravings.
    private func seed(_ db: TestDb) throws {
        _ = try db.steady.setProgramSettings(settings: ProgramSettings(
            programStartDate: "2026-03-01",
            weeklyProgramHours: 9.0,
            sobrietyDates: [SobrietyDate(substance: nil, firstSoberDate: "2026-02-20")]
        ))
        _ = try db.steady.logCraving(input: NewCraving(intensity: 6, occurredAtMs: ms("2026-03-10T12:00:00Z")))
        _ = try db.steady.logCraving(input: NewCraving(intensity: 4, occurredAtMs: ms("2026-03-12T12:00:00Z")))
    }

    func testTheReportCountsSoberDaysCravingsAndTheTrend() throws {
        let db = try TestDb("2026-03-14T16:00:00Z", "America/New_York")
        try seed(db)
        let report = try db.steady.progress(since: nil)
        XCTAssertEqual(report.asOfDate, "2026-03-14")
        // Feb 20..28 (9) + Mar 1..14 (14) = 23 days; milestone 14, next 30.
        XCTAssertEqual(report.sober.daysSinceLastUse, 23)
        XCTAssertEqual(report.sober.milestoneReached, 14)
        XCTAssertEqual(report.sober.daysToNextMilestone, 7)
        XCTAssertEqual(report.cravings.total, 2)
        XCTAssertEqual(report.cravings.meanIntensity, 5.0)
        XCTAssertEqual(report.cravings.days.count, 14)
        // Daily peaks: nothing 03-01..03-07; 6 and 4 since: 10 / 7 = 1.429.
        XCTAssertEqual(report.cravings.last7DaysMeanPeak, 1.429)
        XCTAssertEqual(report.cravings.trend, .rising)
        XCTAssertEqual(try db.steady.progress(since: LocalDate(year: 2026, month: 3, day: 10)).cravings.days.count, 5)
    }

    func testTodayShowsSoberTimeTheTrendAndTheCrisisCard() throws {
        let db = try TestDb("2026-03-14T16:00:00Z", "America/New_York")
        try seed(db)
        let today = try db.steady.today()
        XCTAssertEqual(today.date, "2026-03-14")
        XCTAssertTrue(today.checkinDue)
        XCTAssertNil(today.nextSession)
        XCTAssertEqual(today.dosesDueNow, [])
        XCTAssertEqual(today.sober.daysSinceLastUse, 23)
        XCTAssertEqual(today.cravingTrend, .rising)
        XCTAssertTrue(today.crisisCard.lines.contains { $0.call == "988" })
    }

    func testBadSettingsAndDatesAreTypedErrorsNamingTheField() throws {
        let db = try TestDb("2026-03-14T16:00:00Z", "UTC")
        XCTAssertThrowsError(try db.steady.setProgramSettings(settings: ProgramSettings(weeklyProgramHours: 0))) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(field, "weekly_program_hours")
        }
        // A typed date cannot be malformed; a date after today is still refused.
        XCTAssertThrowsError(try db.steady.progress(since: LocalDate(year: 2099, month: 1, day: 1))) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(field, "since")
        }
        XCTAssertEqual(try db.steady.programSettings(), ProgramSettings())
    }

    func testAttendanceAndTheNextSessionComeFromTheSchedule() throws {
        let db = try TestDb("2026-03-14T16:00:00Z", "America/New_York")
        try seed(db)
        let series = try db.steady.saveSessionSeries(series: SessionSeries(
            id: "", uid: nil, kind: .group, title: "Group", location: nil, videoUrl: nil,
            timeZone: "America/New_York", startLocal: "2026-03-02T18:00", durationMin: 120,
            recurrence: Recurrence(frequency: .weekly, interval: 1, weekdays: [.mon, .wed], until: nil, count: nil),
            changes: [], source: .clinic
        ))
        _ = try db.steady.recordAttendance(occurrenceId: "\(series.id)@2026-03-02T18:00", status: .attended)
        _ = try db.steady.recordAttendance(occurrenceId: "\(series.id)@2026-03-04T18:00", status: .missed)
        _ = try db.steady.recordAttendance(occurrenceId: "\(series.id)@2026-03-09T18:00", status: .attended)
        // 03-11 is left unrecorded: unconfirmed, never counted as missed.
        let attendance = try db.steady.progress(since: nil).attendance
        XCTAssertEqual(attendance.overall.attended, 2)
        XCTAssertEqual(attendance.overall.missed, 1)
        XCTAssertEqual(attendance.overall.unconfirmed, 1)
        XCTAssertEqual(attendance.overall.rate, 0.667)
        // Week 03-02: 2 h of 4 offered -> not met; week 03-09: 2 h + 2 h unconfirmed -> pending.
        XCTAssertEqual(attendance.weeks.map { $0.plan }, [.noSessions, .notMet, .pending])
        XCTAssertEqual(attendance.weeksMeetingPlanInARow, 0)
        XCTAssertEqual(try db.steady.today().nextSession?.id, "\(series.id)@2026-03-16T18:00")
    }
}
