// Enrollment and sync without blocking a thread: the core hands out each
// request and takes each answer (docs/adr/0003-sync-steps.md); URLSession
// carries them with async/await. Each core step is a short local transaction.
import Foundation

/// Anything that carries one request the core built to the clinic and
/// suspends until the answer: URLSessionTransport on the phone, a recording
/// fake in tests. Throws TransportError when no answer came.
public protocol AsyncHttpExchange: Sendable {
    func exchange(_ request: HttpRequest) async throws -> HttpResponse
}

extension URLSessionTransport: AsyncHttpExchange {}

extension Steady {
    /// Redeems the clinic's enrollment code at `serverUrl`.
    public func enrollNow(
        code: String, serverUrl: String, deviceName: String? = nil, transport: some AsyncHttpExchange
    ) async throws -> EnrollmentInfo {
        let session = try startEnrollment(code: code, serverUrl: serverUrl, deviceName: deviceName)
        let response: HttpResponse
        do {
            response = try await transport.exchange(session.request())
        } catch let error as TransportError {
            return try session.transportFailed(error: error)
        }
        return try session.receive(response: response)
    }

    /// Pushes what the patient consented to share, then pulls the clinic's
    /// changes. Nothing is lost if it throws: sync again later.
    public func syncNow(transport: some AsyncHttpExchange) async throws -> SyncReport {
        let run = try startSync()
        while let request = try run.nextRequest() {
            let response: HttpResponse
            do {
                response = try await transport.exchange(request)
            } catch let error as TransportError {
                try run.transportFailed(error: error)
                break
            }
            try run.receive(response: response)
        }
        return try run.report()
    }
}
