// Lock-screen actions the shared scenarios do not reach: Later (snooze) and
// I'm here, each through SteadySession.handle as the app's notification
// delegate calls it, with the reminder the notification carried.
import Foundation
import SteadyCore
import SteadyShell
import XCTest

final class NotificationActionTests: XCTestCase {
    func testLaterMovesTheReminderAndReplacesOnlyIt() async throws {
        let phone = TestPhone("2027-01-04T12:55:00Z", "America/New_York")
        let session = try await phone.open()
        _ = try await session.addMedication(NewMedication(name: "Naltrexone", times: ["08:00"]))
        phone.clock.set("2027-01-04T13:00:00Z")
        await phone.notifications.deliverDue(now: phone.clock.date)
        try await session.notificationsDelivered()
        let last = await phone.notifications.lastPosted
        let shown = try XCTUnwrap(last)
        _ = await phone.notifications.takeLog()

        let outcome = try await session.handle(.snooze, reminder: shown.reminder)
        guard case .snoozed = outcome else { return XCTFail("expected snoozed, got \(outcome)") }
        let pending = await phone.notifications.pending[shown.id]
        let held = try XCTUnwrap(pending)
        XCTAssertEqual(held.fireAt, phone.clock.date.addingTimeInterval(Double(snoozeMinutes) * 60))
        XCTAssertTrue(held.reminder.snoozed)
        let log = await phone.notifications.takeLog()
        XCTAssertEqual(log.dismissed, [shown.id])
        XCTAssertEqual(log.calls.compactMap { if case .add(let ids) = $0 { return ids }; return nil }.flatMap { $0 }, [shown.id],
                       "only the snoozed reminder is added again")
        await session.close()
    }

    func testImHereFromTheFifteenMinuteReminderRecordsTheArrivalBeforeTheSessionStarts() async throws {
        let phone = TestPhone("2027-01-04T20:00:00Z", "America/New_York")
        let session = try await phone.open()
        let series = try await session.saveSessionSeries(SessionSeries(
            id: "", uid: nil, kind: .group, title: "Evening group", location: nil, videoUrl: nil,
            timeZone: "America/New_York", startLocal: "2027-01-04T18:00", durationMin: 90, recurrence: nil,
            changes: [], source: .patient))
        phone.clock.set("2027-01-04T22:45:00Z")  // the 15-minute reminder
        await phone.notifications.deliverDue(now: phone.clock.date)
        try await session.notificationsDelivered()
        let last = await phone.notifications.lastPosted
        let shown = try XCTUnwrap(last)
        XCTAssertEqual(shown.category, .session)
        // The core takes an arrival from an hour before the start (its
        // refusal earlier is tested in the core).
        _ = try await session.handle(.imHere, reminder: shown.reminder)
        let week = await session.screens.schedule.screen.record
        let mark = week?.days.flatMap(\.sessions).first { $0.occurrence.seriesId == series.id }?.attendance
        XCTAssertEqual(mark?.status, .attended, "the Schedule screen shows it through the observer")
        await session.close()
    }
}
