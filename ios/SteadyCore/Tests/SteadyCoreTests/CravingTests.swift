// The craving slice end to end from Swift: open with a key, log, list,
// delete, errors, close and reopen.
import Foundation
import SteadyCore
import XCTest

final class CravingTests: XCTestCase {
    let hour: Int64 = 3_600_000

    func testLoggedCravingIsListedWithThePhonesZone() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "America/New_York")
        let craving = try db.steady.logCraving(input: NewCraving(intensity: 7, note: "after the meeting"))
        XCTAssertEqual(craving.intensity, 7)
        XCTAssertEqual(craving.timeZone, "America/New_York")
        XCTAssertEqual(craving.occurredAtMs, db.clock.nowMs())
        XCTAssertEqual(try db.steady.listCravings(from: .distantPast, to: .distantFuture), [craving])
    }

    func testNewestFirstAndDeletedHidden() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "Europe/London")
        let now = db.clock.nowMs()
        let older = try db.steady.logCraving(input: NewCraving(intensity: 3, occurredAtMs: now - 2 * hour))
        let newer = try db.steady.logCraving(input: NewCraving(intensity: 8))
        XCTAssertEqual(try db.steady.listCravings(from: date(now - 3 * hour), to: date(now + 1)), [newer, older])
        try db.steady.deleteCraving(id: newer.id)
        XCTAssertEqual(try db.steady.listCravings(from: .distantPast, to: .distantFuture), [older])
    }

    func testBadInputIsATypedErrorNamingTheFieldAndWritesNothing() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "UTC")
        let cases: [(NewCraving, String)] = [
            (NewCraving(intensity: 11), "intensity"),
            (NewCraving(intensity: 4, timeZone: "Nowhere/Atlantis"), "time_zone"),
            (NewCraving(intensity: 4, note: String(repeating: "x", count: 5000)), "note"),
        ]
        for (input, expected) in cases {
            XCTAssertThrowsError(try db.steady.logCraving(input: input)) { error in
                guard case SteadyError.InvalidInput(let field, _) = error else {
                    return XCTFail("expected InvalidInput, got \(error)")
                }
                XCTAssertEqual(field, expected)
            }
        }
        XCTAssertThrowsError(try db.steady.deleteCraving(id: "00000000-0000-4000-8000-000000000000")) { error in
            guard case SteadyError.NotFound = error else { return XCTFail("expected NotFound, got \(error)") }
        }
        XCTAssertEqual(try db.steady.listCravings(from: .distantPast, to: .distantFuture), [])
    }

    func testDataSurvivesReopenAndAWrongKeyIsRefused() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "UTC")
        let craving = try db.steady.logCraving(input: NewCraving(intensity: 5, note: "kept"))
        let reopened = try db.reopen()
        XCTAssertEqual(try reopened.listCravings(from: .distantPast, to: .distantFuture), [craving])
        var wrongKey = db.key
        wrongKey[0] ^= 1
        XCTAssertThrowsError(try Steady.open(path: db.path, key: wrongKey, clock: db.clock)) { error in
            guard case SteadyError.WrongKey = error else { return XCTFail("expected WrongKey, got \(error)") }
        }
    }

    func testTheFileOnDiskHoldsNoPlaintextNote() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "UTC")
        _ = try db.steady.logCraving(input: NewCraving(intensity: 6, note: "swift-plaintext-marker"))
        db.steady.closeDatabase()
        let marker = Data("swift-plaintext-marker".utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: db.dir.path) {
            let bytes = try Data(contentsOf: db.dir.appendingPathComponent(name))
            XCTAssertNil(bytes.range(of: marker), "plaintext in \(name)")
        }
        try db.reopen()
    }

    func testABrokenPhoneClockIsAnErrorNotACrash() throws {
        let db = try TestDb("2026-03-08T12:00:00Z", "UTC")
        db.clock.zone = "Not/AZone"
        XCTAssertThrowsError(try db.steady.logCraving(input: NewCraving(intensity: 2))) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "clock.time_zone")
        }
    }
}
