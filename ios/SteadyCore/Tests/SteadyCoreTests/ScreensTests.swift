// Every phone screen from Swift with typed time (Date, LocalDate), the change
// listener after a local write and after a sync, and a sync driven with
// async/await over URLSession against the real test clinic: no thread waits on
// a semaphore.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ClinicStaff
import SteadyCore
import XCTest

/// Collects every change set, as a shell's view model would.
final class Collect: ChangeListener, @unchecked Sendable {
    private let lock = NSLock()
    private var sets: [ChangeSet] = []

    func onChange(changes: ChangeSet) throws {
        lock.lock(); defer { lock.unlock() }
        sets.append(changes)
    }

    var seen: [ChangeSet] {
        lock.lock(); defer { lock.unlock() }
        return sets
    }

    var areas: Set<ChangeArea> { Set(seen.flatMap(\.areas)) }
}

struct Broken: Error {}

final class Throws: ChangeListener, @unchecked Sendable {
    func onChange(changes: ChangeSet) throws { throw Broken() }
}

final class ScreensTests: XCTestCase {
    func testEveryScreenIsOneCallWithTypedDatesAndInstants() throws {
        let db = try TestDb("2026-03-10T14:00:00Z", "America/New_York")
        let s = db.steady
        let today = try s.today()
        XCTAssertEqual(today.sync.phase, .notEnrolled)
        XCTAssertEqual(today.questionnairesDue.map(\.questionnaire.id), ["phq9", "gad7"])

        let form = try s.cravingForm()
        XCTAssertEqual(form.triggers.first?.label.key, "trigger.hungry")

        let checkins = try s.checkinsScreen()
        XCTAssertEqual(checkins.daily.date, LocalDate(year: 2026, month: 3, day: 10))
        XCTAssertEqual(checkins.daily.date.description, "2026-03-10")
        XCTAssertEqual(checkins.due[0].questionnaire.items.count, 9)

        let week = try s.scheduleWeek(day: LocalDate(year: 2026, month: 3, day: 12))
        XCTAssertEqual(week.weekStart, LocalDate(year: 2026, month: 3, day: 9))
        XCTAssertEqual(week.days.count, 7)
        XCTAssertTrue(week.days[1].isToday)

        _ = try s.logCraving(input: NewCraving(intensity: 8))
        let progress = try s.progressScreen(range: .lastWeek)
        let counts = progress.series.first { $0.key == "cravings.count" }!
        XCTAssertEqual(counts.points.map(\.date), (4...10).map { LocalDate(year: 2026, month: 3, day: $0) })
        XCTAssertEqual(counts.points.last?.value, 1.0)
        XCTAssertThrowsError(try s.progressScreen(range: .since(date: LocalDate(year: 2026, month: 3, day: 11))))

        let clinic = try s.clinicScreen()
        XCTAssertEqual(clinic.enrollment, .notEnrolled)
        XCTAssertTrue(clinic.consents.allSatisfy { $0.elements.count == 10 })
        XCTAssertEqual(try s.settingsScreen().notificationText, .discreet)
        XCTAssertFalse(try s.copingPlan().strategies.isEmpty)
        XCTAssertFalse(s.crisisCard().lines.isEmpty)
        XCTAssertEqual(try s.syncState().phase, .notEnrolled)

        // Instants are Dates: a PHQ-9 answered now is due again in 14 days.
        _ = try s.submitPhq9(answers: Array(repeating: 0, count: 9))
        db.clock.now = db.clock.now.addingTimeInterval(14 * 86_400)
        let phq9 = try s.checkinsScreen().due.first { $0.questionnaire.id == "phq9" }!
        XCTAssertEqual(phq9.lastCompleted, ISO8601DateFormatter().date(from: "2026-03-10T14:00:00Z"))
        XCTAssertEqual(phq9.dueSince, db.clock.now)
    }

    func testAListenerHearsALocalWriteAndAThrowingOneBreaksNothing() throws {
        let db = try TestDb("2026-03-10T14:00:00Z", "America/New_York")
        let collect = Collect()
        var handle: ListenerHandle? = db.steady.observe(listener: collect)
        let thrower = db.steady.observe(listener: Throws())
        _ = try db.steady.logCraving(input: NewCraving(intensity: 4))
        XCTAssertEqual(collect.seen.count, 1)
        XCTAssertTrue(collect.areas.contains(.cravings))
        XCTAssertTrue(collect.seen[0].screens.contains(.today))
        XCTAssertNotNil(handle)
        handle = nil  // releasing the handle unregisters
        thrower.cancel()
        _ = try db.steady.logCraving(input: NewCraving(intensity: 2))
        XCTAssertEqual(collect.seen.count, 1)
    }

    func testAnAsyncSyncBringsTheClinicsMessageAndTheListenerHearsIt() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["STEADY_CLINIC_URL"], let email = env["STEADY_STAFF_EMAIL"],
              let password = env["STEADY_STAFF_PASSWORD"] else {
            return XCTFail("STEADY_CLINIC_URL and staff credentials missing: run through scripts/test.sh")
        }
        let staff = try StaffClient(base: url, email: email, password: password)
        let transport = URLSessionTransport()
        let db = try TestDb("2027-01-04T15:00:00Z", "America/New_York")
        let (patient, code) = try staff.newPatient("Sam Rivera")
        let enrolled = try await db.steady.enrollNow(code: code, serverUrl: url, deviceName: "Swift async test", transport: transport)
        XCTAssertEqual(enrolled.clinicName, "Riverside IOP")
        _ = try db.steady.grantConsent(grant: ConsentGrant(categories: [.cravings], signature: "Sam Rivera"))
        let craving = try db.steady.logCraving(input: NewCraving(intensity: 6))
        _ = try staff.message(patient, "See you Monday")

        let collect = Collect()
        let handle = db.steady.observe(listener: collect)
        let report = try await db.steady.syncNow(transport: transport)
        handle.cancel()
        XCTAssertEqual(report.applied, 2, "the consent and the craving")
        XCTAssertTrue(collect.areas.contains(.clinic), "the pulled message is signalled")
        XCTAssertTrue(try staff.recordIds(patient).contains(craving.id))

        let clinic = try db.steady.clinicScreen()
        XCTAssertEqual(clinic.messages.map(\.body), ["See you Monday"])
        XCTAssertEqual(clinic.sync.phase, .idle)
        XCTAssertEqual(clinic.sync.lastSuccess, db.clock.now)
        XCTAssertEqual(try db.steady.today().unreadMessages, 1)
        try db.steady.markClinicMessagesRead()
        XCTAssertEqual(try db.steady.today().unreadMessages, 0)
    }
}
