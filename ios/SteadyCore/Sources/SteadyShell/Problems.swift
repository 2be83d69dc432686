// What a screen shows when a core call failed: the core's typed error, in
// words that name what was wrong and never the patient's data (the core's
// errors carry field names and reasons, not record content).
import Foundation
import SteadyCore

public struct ShellProblem: Error, Sendable, Equatable {
    public let message: String

    public init(_ error: Error) {
        switch error {
        case let problem as ShellProblem: message = problem.message
        case let shell as ShellError: message = shell.description
        default: message = String(describing: error)
        }
    }
}

/// The shell's own failures, outside the core.
public enum ShellError: Error, Sendable, CustomStringConvertible {
    /// A database exists but this device holds no key for it: restored from
    /// a backup to a new phone, where the Keychain item (this device only)
    /// did not follow.
    case keyMissing
    /// A notification's userInfo does not describe one of Steady's reminders.
    case unknownReminder
    /// No session: the app did not finish launching.
    case notOpen
    /// A scanned code that is not the clinic's enrollment link.
    case notAnEnrollmentCode

    public var description: String {
        switch self {
        case .keyMissing: return "keyMissing: this phone holds no key for the database"
        case .unknownReminder: return "unknownReminder: the notification is not one of Steady's reminders"
        case .notOpen: return "notOpen: Steady is not open yet"
        case .notAnEnrollmentCode: return "notAnEnrollmentCode: this is not a clinic's enrollment code (steady://enroll?code=…&server=…)"
        }
    }
}
