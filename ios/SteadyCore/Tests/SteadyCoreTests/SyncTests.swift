// Clinic sync from Swift over the iOS transport (URLSession, FoundationNetworking
// on Linux) against a real steady-clinic server that scripts/test.sh starts on
// loopback (scripts/test-clinic.sh passes its address in the environment).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SteadyCore
import XCTest

/// The clinic's staff API, just enough to set up and check a patient.
final class StaffClient {
    let base: String
    private var token = ""

    init(base: String, email: String, password: String) throws {
        self.base = base
        token = try field(call("POST", "/v1/staff/sessions", ["email": email, "password": password]), "token")
    }

    func newPatient(_ name: String) throws -> (patient: String, code: String) {
        let patient = try field(call("POST", "/v1/staff/patients", ["name": name]), "patient_id")
        let code = try field(call("POST", "/v1/staff/patients/\(patient)/enrollment-codes", nil), "code")
        return (patient, code)
    }

    func message(_ patient: String, _ body: String) throws -> String {
        try field(call("POST", "/v1/staff/patients/\(patient)/clinic-records/message",
                       ["from": "Dana", "body": body]), "record_id")
    }

    /// Writes a clinic record (`questionnaire`, `message`...) for the patient.
    func clinicRecord(_ patient: String, _ kind: String, _ body: [String: String]) throws -> String {
        try field(call("POST", "/v1/staff/patients/\(patient)/clinic-records/\(kind)", body), "record_id")
    }

    func recordIds(_ patient: String) throws -> [String] {
        let answer = try call("GET", "/v1/staff/patients/\(patient)/records", nil)
        let records = answer["records"] as? [[String: Any]] ?? []
        return records.compactMap { $0["record_id"] as? String }
    }

    private func call(_ method: String, _ path: String, _ body: [String: String]?) throws -> [String: Any] {
        var headers = [HttpHeader(name: "Content-Type", value: "application/json")]
        if !token.isEmpty { headers.append(HttpHeader(name: "Authorization", value: "Bearer \(token)")) }
        let bytes = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let answer = try URLSessionTransport().send(request: HttpRequest(
            method: method, url: base + path, headers: headers, body: bytes, timeoutMs: 10_000))
        guard (200..<300).contains(answer.status) else {
            throw NSError(domain: "staff \(method) \(path)", code: Int(answer.status))
        }
        return (try JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:]
    }

    private func field(_ json: [String: Any], _ name: String) throws -> String {
        guard let value = json[name] as? String else { throw NSError(domain: "staff: no \(name)", code: 0) }
        return value
    }
}

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
