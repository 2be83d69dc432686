// The clinic's enrollment QR code (and the link it opens from the Camera
// app): `steady://enroll?code=…&server=…`, as the clinic server prints it.
// Scanned or typed, the same code and server address reach the core's
// enrollment steps; a scanned text that is not such a link enrolls nothing.
import Foundation

public struct EnrollmentLink: Sendable, Equatable {
    public let code: String
    public let serverUrl: String

    public init(code: String, serverUrl: String) {
        self.code = code
        self.serverUrl = serverUrl
    }

    /// Reads a scanned payload or an opened link; nil when it is not the
    /// clinic's enrollment link with both a code and a server.
    public init?(scanned payload: String) {
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let parts = URLComponents(string: text), parts.scheme == "steady", parts.host == "enroll",
              let code = parts.queryItems?.first(where: { $0.name == "code" })?.value, !code.isEmpty,
              let server = parts.queryItems?.first(where: { $0.name == "server" })?.value, !server.isEmpty
        else { return nil }
        self.init(code: code, serverUrl: server)
    }
}
