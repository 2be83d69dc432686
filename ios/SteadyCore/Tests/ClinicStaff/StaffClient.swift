// The clinic's staff API for tests: just enough to set up a patient on the
// real steady-clinic server scripts/test-clinic.sh starts on loopback, and to
// check what reached it. Shared by the SteadyCore and SteadyShell test suites.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SteadyCore

/// The clinic's staff API, just enough to set up and check a patient.
public final class StaffClient {
    public let base: String
    private var token = ""

    public init(base: String, email: String, password: String) throws {
        self.base = base
        token = try field(call("POST", "/v1/staff/sessions", ["email": email, "password": password]), "token")
    }

    public func newPatient(_ name: String) throws -> (patient: String, code: String) {
        let patient = try field(call("POST", "/v1/staff/patients", ["name": name]), "patient_id")
        let code = try field(call("POST", "/v1/staff/patients/\(patient)/enrollment-codes", nil), "code")
        return (patient, code)
    }

    public func message(_ patient: String, _ body: String) throws -> String {
        try field(call("POST", "/v1/staff/patients/\(patient)/clinic-records/message",
                       ["from": "Dana", "body": body]), "record_id")
    }

    /// Writes a clinic record (`questionnaire`, `message`...) for the patient.
    public func clinicRecord(_ patient: String, _ kind: String, _ body: [String: Any]) throws -> String {
        try field(call("POST", "/v1/staff/patients/\(patient)/clinic-records/\(kind)", body), "record_id")
    }

    public func recordIds(_ patient: String) throws -> [String] {
        try records(patient).compactMap { $0["record_id"] as? String }
    }

    /// How many records of `type` (`craving`, `attendance`...) the clinic
    /// holds for the patient.
    public func recordCount(_ patient: String, type: String) throws -> Int {
        try records(patient).filter { $0["record_type"] as? String == type && $0["deleted"] as? Bool != true }.count
    }

    private func records(_ patient: String) throws -> [[String: Any]] {
        let answer = try call("GET", "/v1/staff/patients/\(patient)/records", nil)
        return answer["records"] as? [[String: Any]] ?? []
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
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
