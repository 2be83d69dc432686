// The platform adapters SteadyShell needs and cannot have on Linux: the app
// target implements them over UNUserNotificationCenter, the Keychain,
// URLSession, BGTaskScheduler and the system clock; the tests implement them
// with fakes that record what the app would ask the platform to do. Nothing
// here decides anything: the core plans, the adapters carry it out.
import Foundation
import SteadyCore

/// Holds the reminders the core planned as local notifications (iOS:
/// UNUserNotificationCenter, at most 64 pending).
public protocol NotificationScheduler: Sendable {
    /// Registers the categories (their actions, which need the device
    /// unlocked, and the neutral hidden-preview placeholder). Once per launch.
    func register(_ categories: [NotificationCategory]) async
    /// The reminders pending now, as they were added (the app keeps each
    /// reminder in its request's userInfo, so a relaunch reads them back).
    func pendingReminders() async -> [Reminder]
    /// Removes pending notifications by reminder id; called before `add`.
    func cancel(ids: [String]) async
    /// Adds notifications; an id already pending is replaced by the platform.
    func add(_ notifications: [PlannedNotification]) async throws
    /// Reminders shown since `since`, with when the platform delivered them
    /// (iOS: UNNotification.date of the delivered notifications).
    func delivered(since: Date) async -> [DeliveredReminder]
    /// Removes shown notifications (after the patient acted on one).
    func dismiss(ids: [String]) async
}

/// A reminder the platform showed (as its notification carried it), and when.
public struct DeliveredReminder: Sendable, Equatable {
    public let reminder: Reminder
    public let deliveredAt: Date

    public init(reminder: Reminder, deliveredAt: Date) {
        self.reminder = reminder
        self.deliveredAt = deliveredAt
    }
}

/// Keeps the database key on this device only (iOS: the Keychain with
/// kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, never synced).
public protocol KeyVault: Sendable {
    /// The stored key, or nil when this device holds none.
    func readKey() throws -> Data?
    /// Stores a new key; fails rather than overwrite one already stored.
    func storeKey(_ key: Data) throws
}

/// Protects the database folder (iOS: complete-until-first-authentication
/// file protection and exclusion from backups) before the database opens.
public protocol DatabaseFiles: Sendable {
    func protect(folder: URL) throws
}

/// Asks the platform to wake the app for a refresh (iOS: BGTaskScheduler's
/// BGAppRefreshTaskRequest; the system picks the moment).
public protocol BackgroundRefresh: Sendable {
    /// The periodic refresh: sync when enrolled and refill the reminder window.
    func scheduleRefresh(earliest: Date) throws
    /// A one-off sync as soon as the network allows, after a write that left
    /// consented records waiting (iOS: a BGProcessingTaskRequest that
    /// requires network connectivity).
    func requestSync() throws
}

/// Sends one request the core built and hands back the answer without
/// blocking a thread (iOS: URLSessionTransport.exchange).
public typealias ClinicTransport = AsyncHttpExchange

/// Device-local switches that are not health data and stay off the core's
/// database: they must be readable before the database opens (the app lock)
/// or by the system (widgets, quick actions). iOS: UserDefaults.
public protocol DevicePreferences: Sendable {
    func discretion() -> Discretion
    func setDiscretion(_ discretion: Discretion)
}

/// The time source: PhoneClock is the core's own clock protocol.
public typealias ShellClock = PhoneClock

/// The phone's clock and current zone, read each time the core asks, so a
/// zone change while the app runs is seen at the next call.
public final class SystemClock: PhoneClock, @unchecked Sendable {
    public init() {}

    public func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public func timeZone() -> String { TimeZone.current.identifier }
}

/// Everything SteadySession is given by its platform.
public struct PlatformAdapters: Sendable {
    public let notifications: NotificationScheduler
    public let keys: KeyVault
    public let files: DatabaseFiles
    public let transport: ClinicTransport
    public let refresh: BackgroundRefresh
    public let clock: ShellClock
    public let preferences: DevicePreferences

    public init(
        notifications: NotificationScheduler, keys: KeyVault, files: DatabaseFiles,
        transport: ClinicTransport, refresh: BackgroundRefresh, clock: ShellClock,
        preferences: DevicePreferences
    ) {
        self.notifications = notifications
        self.keys = keys
        self.files = files
        self.transport = transport
        self.refresh = refresh
        self.clock = clock
        self.preferences = preferences
    }
}
