// The clinic's enrollment QR code (and the link it opens from the Camera
// app): `steady://enroll?code=…&server=…`, as the clinic server prints it.
// Scanned or typed, the same code and server address reach the core's
// enrollment steps; a payload that is not such a link is taken as the code.
import Foundation

public struct EnrollmentLink: Sendable, Equatable {
    public let code: String
    public let serverUrl: String?

    public init(code: String, serverUrl: String?) {
        self.code = code
        self.serverUrl = serverUrl
    }

    /// Reads a scanned payload or an opened link.
    public init(scanned payload: String) {
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let parts = URLComponents(string: text), parts.scheme == "steady", parts.host == "enroll",
              let code = parts.queryItems?.first(where: { $0.name == "code" })?.value else {
            self.init(code: text, serverUrl: nil)
            return
        }
        self.init(code: code, serverUrl: parts.queryItems?.first { $0.name == "server" }?.value)
    }
}
