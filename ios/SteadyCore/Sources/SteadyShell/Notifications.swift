// What the app asks UNUserNotificationCenter to hold, as plain data: the
// core's reminder (its discreet or detailed text, already decided), the
// category whose actions the lock screen offers, and whether it may break
// through Focus. The app's adapter turns this into UNNotificationRequest; the
// tests compare it. No text is made here: titles and bodies are the core's.
import Foundation
import SteadyCore

/// One pending local notification.
public struct PlannedNotification: Sendable, Equatable {
    public let reminder: Reminder
    public let fireAt: Date
    public let category: NotificationCategory
    /// `.timeSensitive` only for sessions and doses, and only when the
    /// patient allowed it in Settings; otherwise `.active`.
    public let timeSensitive: Bool

    public var id: String { reminder.id }

    public init(_ reminder: Reminder, discretion: Discretion) {
        self.reminder = reminder
        self.fireAt = Date(timeIntervalSince1970: Double(reminder.fireAtMs) / 1000)
        self.category = NotificationCategory(for: reminder.kind)
        self.timeSensitive = discretion.timeSensitiveReminders && category.mayBeTimeSensitive
    }
}

/// The notification categories the app registers, each with its actions.
public enum NotificationCategory: String, Sendable, CaseIterable {
    case session = "steady.session"
    case dose = "steady.dose"
    case checkin = "steady.checkin"

    init(for kind: ReminderKind) {
        switch kind {
        case .session: self = .session
        case .dose, .followup: self = .dose
        case .checkin, .questionnaire: self = .checkin
        }
    }

    var mayBeTimeSensitive: Bool { self != .checkin }

    public var actions: [NotificationAction] {
        switch self {
        case .session: return [.imHere, .snooze]
        case .dose: return [.taken, .snooze]
        case .checkin: return [.logCraving, .snooze]
        }
    }
}

/// A lock-screen action. Its title is neutral (it shows on a locked phone);
/// an action that records health data needs the device unlocked
/// (`.authenticationRequired`).
public enum NotificationAction: String, Sendable, CaseIterable {
    case taken = "taken"
    case imHere = "im_here"
    case logCraving = "log_craving"
    case snooze = "snooze"

    public var title: String {
        switch self {
        case .taken: return "Done"
        case .imHere: return "I'm here"
        case .logCraving: return "Note a moment"
        case .snooze: return "Later"
        }
    }

    public var recordsHealthData: Bool { self != .snooze }

    /// Asks for the craving's strength (0–10) in the notification itself
    /// (a text-input action); without one, the app opens the craving form.
    public var takesIntensity: Bool { self == .logCraving }
}

/// The text the lock screen shows instead of hidden previews: neutral, for
/// every category (`hiddenPreviewsBodyPlaceholder`).
public let hiddenPreviewsPlaceholder = "Reminder"

/// How many notifications the app keeps pending: below iOS's limit of 64,
/// leaving room for a snoozed one and the system's own.
public let pendingNotificationWindow: UInt32 = 60

/// Minutes a "Later" action moves a reminder by.
public let snoozeMinutes: UInt32 = 10
