// Clinic sync from Swift over the iOS transport (URLSession, FoundationNetworking
// on Linux) against a real steady-clinic server that scripts/test.sh starts on
// loopback (scripts/test-clinic.sh passes its address in the environment).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ClinicStaff
import SteadyCore
import XCTest

final class SyncTests: XCTestCase {
    private var url = ""
    private var staff: StaffClient!
    private let transport = URLSessionTransport()

    override func setUpWithError() throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["STEADY_CLINIC_URL"], let email = env["STEADY_STAFF_EMAIL"],
              let password = env["STEADY_STAFF_PASSWORD"] else {
            XCTFail("STEADY_CLINIC_URL and staff credentials missing: run through scripts/test.sh")
            return
        }
        self.url = url
        staff = try StaffClient(base: url, email: email, password: password)
    }

    func testAConsentedCravingReachesTheClinicAndTheClinicsMessageReachesThePhone() throws {
        let db = try TestDb("2027-01-04T15:00:00Z", "America/New_York")
        let (patient, code) = try staff.newPatient("Sam Rivera")
        let message = try staff.message(patient, "See you Monday")
        let enrolled = try db.steady.enroll(code: code, serverUrl: url, transport: transport, deviceName: "Swift test")
        XCTAssertEqual(enrolled.clinicName, "Riverside IOP")

        let craving = try db.steady.logCraving(input: NewCraving(intensity: 6))
        let before = try db.steady.sync(transport: transport)
        XCTAssertEqual(before.held, 1)
        XCTAssertFalse(try staff.recordIds(patient).contains(craving.id), "nothing leaves before consent")

        _ = try db.steady.grantConsent(grant: ConsentGrant(categories: [.cravings], signature: "Sam Rivera"))
        let report = try db.steady.sync(transport: transport)
        XCTAssertEqual(report.applied, 2, "the consent and the craving")
        XCTAssertEqual(report.rejected, [])
        XCTAssertTrue(try staff.recordIds(patient).contains(craving.id))
        XCTAssertEqual(try db.steady.clinicRecords(kind: "message").map(\.recordId), [message])
    }

    func testACodeUsedTwiceIsRefusedWithTheClinicsReason() throws {
        let (_, code) = try staff.newPatient("Alex Doe")
        let first = try TestDb("2027-01-04T15:00:00Z", "Europe/London")
        _ = try first.steady.enroll(code: code, serverUrl: url, transport: transport)
        let second = try TestDb("2027-01-04T15:00:00Z", "Europe/London")
        XCTAssertThrowsError(try second.steady.enroll(code: code, serverUrl: url, transport: transport)) { error in
            guard case SteadyError.SyncRefused(let status, _) = error else {
                return XCTFail("expected SyncRefused, got \(error)")
            }
            XCTAssertEqual(status, 410)
        }
    }

    func testAnUnreachableClinicIsARetryableError() throws {
        let db = try TestDb("2027-01-04T15:00:00Z", "Europe/London")
        // Port 9 (discard) is closed on loopback in the test environment.
        XCTAssertThrowsError(try db.steady.enroll(code: "ABCD-EFGH", serverUrl: "http://127.0.0.1:9", transport: transport)) { error in
            guard case SteadyError.SyncUnavailable = error else {
                return XCTFail("expected SyncUnavailable, got \(error)")
            }
        }
    }
}
