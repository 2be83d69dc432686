// Schedules and reminders end to end from Swift: import a clinic calendar,
// plan reminders, diff two plans as the iOS shell does after a replan.
import Foundation
import SteadyCore
import XCTest

private let calendar = [
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
].joined(separator: "\r\n") + "\r\n"

final class ScheduleTests: XCTestCase {
    func testZoneRulesAreReadFromTheSystemTzDatabaseAndCanBeReadAgain() {
        let rules = timeZoneRules()
        XCTAssertTrue(rules.source.hasPrefix("zoneinfo directory "), rules.source)
        XCTAssertGreaterThan(rules.zones, 300)
        XCTAssertNotNil(rules.version)
        XCTAssertEqual(rules, reloadTimeZoneRules())
    }

    func testImportedCalendarGivesOccurrencesAndDiscreetSessionRemindersAcrossDst() throws {
        let db = try TestDb("2026-03-05T12:00:00Z", "America/New_York")
        XCTAssertEqual(try db.steady.importCalendar(ics: calendar).added, 1)
        XCTAssertEqual(try db.steady.importCalendar(ics: calendar).updated, 1)
        let week = try db.steady.occurrences(fromDate: LocalDate(year: 2026, month: 3, day: 6), toDate: LocalDate(year: 2026, month: 3, day: 12))
        XCTAssertEqual(week.map(\.startLocal), ["2026-03-06T18:00", "2026-03-09T18:00", "2026-03-11T18:00"])
        XCTAssertEqual(week[1].status, .cancelled)

        var settings = try db.steady.reminderSettings()
        settings.checkinTime = nil
        settings.doseFollowupMinutes = 0
        let sessions = try db.steady.planRemindersWith(settings: settings).filter { $0.kind == .session }
        XCTAssertEqual(sessions.map(\.local), [
            "2026-03-06T17:00:00-05:00", "2026-03-06T17:45:00-05:00",
            "2026-03-11T17:00:00-04:00", "2026-03-11T17:45:00-04:00",
        ])
        XCTAssertFalse(sessions.contains { $0.title.contains("group") || $0.body.contains("group") })
    }

    func testBrokenEventIsReportedAndAFileThatIsNoCalendarImportsNothing() throws {
        let db = try TestDb("2026-03-05T12:00:00Z", "America/New_York")
        let bad = calendar.replacingOccurrences(of: "FREQ=WEEKLY", with: "FREQ=FORTNIGHTLY")
        let summary = try db.steady.importCalendar(ics: bad)
        XCTAssertEqual(summary.added, 0)
        XCTAssertEqual(summary.skipped.map { $0.line }, [8])
        XCTAssertEqual(summary.skipped.map { $0.component }, ["RRULE"])
        XCTAssertThrowsError(try db.steady.importCalendar(ics: "not a calendar")) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "calendar line 1 (VCALENDAR)")
        }
        XCTAssertEqual(try db.steady.sessionSeries(), [])
    }

    func testDiffingTwoPlansCancelsAndAddsOnlyWhatChanged() throws {
        let db = try TestDb("2026-03-05T12:00:00Z", "America/New_York")
        _ = try db.steady.importCalendar(ics: calendar)
        let med = try db.steady.addMedication(input: NewMedication(name: "Naltrexone", times: ["08:00"]))
        let held = try db.steady.planReminders()
        let same = diffReminders(held: held, planned: try db.steady.planReminders())
        XCTAssertEqual(same.cancel, [])
        XCTAssertEqual(same.add, [])

        // The patient flies to London: doses follow the phone, sessions keep their instant.
        db.clock.zone = "Europe/London"
        let planned = try db.steady.planReminders()
        let diff = diffReminders(held: held, planned: planned)
        XCTAssertTrue(diff.cancel.contains { $0.hasPrefix("dose:\(med.id)@") })
        let londonDose = try XCTUnwrap(planned.first { $0.kind == .dose })
        XCTAssertTrue(londonDose.local.hasSuffix("T08:00:00+00:00"), londonDose.local)
        for added in diff.add where added.kind == .session {
            XCTAssertEqual(held.first { $0.id == added.id }?.fireAtMs, added.fireAtMs)
        }

        // Confirming a dose cancels its follow-up, nothing else.
        db.clock.now = ISO8601DateFormatter().date(from: "2026-03-06T08:10:00Z")!
        let beforeConfirm = try db.steady.planReminders()
        _ = try db.steady.confirmDose(medicationId: med.id, status: .taken, dueLocal: "2026-03-06T08:00")
        let afterConfirm = diffReminders(held: beforeConfirm, planned: try db.steady.planReminders())
        XCTAssertEqual(afterConfirm.cancel, ["followup:\(med.id)@2026-03-06T08:00"])
    }
}
