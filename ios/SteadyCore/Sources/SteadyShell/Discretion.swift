// The switches that keep Steady unnoticed on a shared phone. All are off on
// a new install: widgets, the Control Center control and the Home Screen
// quick actions appear only once the patient turns them on, with neutral
// labels; the app lock and the neutral icon are the patient's choice too.
import Foundation

public struct Discretion: Codable, Sendable, Equatable {
    /// Face ID / passcode before any screen shows (the crisis card excepted).
    public var appLock = false
    /// The Home Screen widget and Lock Screen / Control Center control.
    public var quickLogControls = false
    /// The Home Screen quick actions (long press on the icon).
    public var quickActions = false
    /// The alternate icon with a neutral name.
    public var neutralIcon = false
    /// Session and dose reminders may break through Focus.
    public var timeSensitiveReminders = false

    public init() {}
}

/// The neutral words the system shows for Steady's opt-in surfaces: nothing
/// names treatment, cravings or a clinic.
public enum NeutralLabel {
    public static let quickLog = "Note a moment"
    public static let crisis = "Help now"
    public static let widget = "Check in"
    public static let alternateIconName = "NeutralIcon"
}
