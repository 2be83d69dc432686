// Fakes for the platform adapters only (the core is real): each records what
// the iOS app would ask UNUserNotificationCenter, the Keychain, the file
// system, BGTaskScheduler or UserDefaults to do, so tests can assert it.
import Foundation
import SteadyCore
import SteadyShell

/// UNUserNotificationCenter as the app uses it: registered categories,
/// pending requests by id (kept whatever their number, so a test sees when
/// the shell would pass iOS's 64, where iOS silently drops the rest),
/// notifications shown and dismissed, and every cancel and add in order.
actor RecordingNotificationCenter: NotificationScheduler {
    enum Call: Equatable {
        case cancel([String])
        case add([String])
    }

    private(set) var categories: [NotificationCategory] = []
    private(set) var pending: [String: PlannedNotification] = [:]
    private(set) var calls: [Call] = []
    /// Shown, in order; each stays in Notification Center until dismissed.
    private(set) var posted: [PlannedNotification] = []
    private(set) var dismissed: [String] = []
    private var shown: [DeliveredReminder] = []

    func register(_ categories: [NotificationCategory]) async { self.categories = categories }

    func pendingReminders() async -> [Reminder] {
        pending.values.map(\.reminder).sorted { ($0.fireAtMs, $0.id) < ($1.fireAtMs, $1.id) }
    }

    func cancel(ids: [String]) async {
        calls.append(.cancel(ids))
        ids.forEach { pending[$0] = nil }
    }

    func add(_ notifications: [PlannedNotification]) async throws {
        calls.append(.add(notifications.map(\.id)))
        for notification in notifications { pending[notification.id] = notification }
    }

    func delivered(since: Date) async -> [DeliveredReminder] {
        shown.filter { $0.deliveredAt > since }
    }

    func dismiss(ids: [String]) async {
        dismissed.append(contentsOf: ids)
        shown.removeAll { ids.contains($0.reminder.id) }
    }

    /// The system shows every pending notification due by `now`, at `now`.
    func deliverDue(now: Date) {
        let due = pending.values.filter { $0.fireAt <= now }.sorted { ($0.fireAt, $0.id) < ($1.fireAt, $1.id) }
        for notification in due {
            pending[notification.id] = nil
            posted.append(notification)
            everPosted[notification.id] = notification
            lastPosted = notification
            shown.append(DeliveredReminder(reminder: notification.reminder, deliveredAt: now))
        }
    }

    /// What the scenario's platform events drop (the app is reinstalled or
    /// updated; the scenarios' reboot drops them too, as on Android).
    func dropAll() { pending = [:] }

    /// Calls, posts and dismissals since the last take.
    func takeLog() -> (calls: [Call], posted: [PlannedNotification], dismissed: [String]) {
        defer {
            calls = []
            posted = []
            dismissed = []
        }
        return (calls, posted, dismissed)
    }

    /// The last notification shown, and every one shown by id (not reset by
    /// takeLog).
    private(set) var lastPosted: PlannedNotification?
    private(set) var everPosted: [String: PlannedNotification] = [:]
}

/// The Keychain item the app keeps the database key in, with the attribute
/// the app must use.
final class RecordingKeychain: KeyVault, @unchecked Sendable {
    private let lock = NSLock()
    private var key: Data?
    private(set) var stores: [(key: Data, accessible: String)] = []

    init(key: Data? = nil) { self.key = key }

    func readKey() throws -> Data? {
        lock.lock(); defer { lock.unlock() }
        return key
    }

    func storeKey(_ key: Data) throws {
        lock.lock(); defer { lock.unlock() }
        if self.key != nil { throw KeyOverwritten() }
        self.key = key
        stores.append((key, "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly"))
    }
}

struct KeyOverwritten: Error {}

final class RecordingFiles: DatabaseFiles, @unchecked Sendable {
    private(set) var protected: [URL] = []
    func protect(folder: URL) throws { protected.append(folder) }
}

/// BGTaskScheduler: the periodic refresh asked for, and whether a one-off
/// sync is waiting to run.
final class RecordingRefresh: BackgroundRefresh, @unchecked Sendable {
    private(set) var refreshes: [Date] = []
    var syncPending = false
    func scheduleRefresh(earliest: Date) throws { refreshes.append(earliest) }
    func requestSync() throws { syncPending = true }
}

final class MemoryPreferences: DevicePreferences, @unchecked Sendable {
    private var value = Discretion()
    func discretion() -> Discretion { value }
    func setDiscretion(_ discretion: Discretion) { value = discretion }
}

/// The phone's clock and zone, moved by the test.
final class TestClock: PhoneClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Date
    private var zone: String

    init(_ iso: String, _ zone: String) {
        self.now = ISO8601DateFormatter().date(from: iso)!
        self.zone = zone
    }

    func nowMs() -> Int64 {
        lock.lock(); defer { lock.unlock() }
        return Int64((now.timeIntervalSince1970 * 1000).rounded())
    }

    func timeZone() -> String {
        lock.lock(); defer { lock.unlock() }
        return zone
    }

    func set(_ iso: String? = nil, zone: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        if let iso { now = ISO8601DateFormatter().date(from: iso)! }
        if let zone { self.zone = zone }
    }

    func advance(minutes: Double) {
        lock.lock(); defer { lock.unlock() }
        now = now.addingTimeInterval(minutes * 60)
    }

    var date: Date { Date(timeIntervalSince1970: Double(nowMs()) / 1000) }
}

/// A transport for tests that must not reach a clinic: records each request
/// and fails it as unreachable. Scenarios that sync use the real
/// URLSessionTransport against the test clinic instead.
final class UnreachableClinic: ClinicTransport, @unchecked Sendable {
    private(set) var requests: [String] = []
    func exchange(_ request: HttpRequest) async throws -> HttpResponse {
        requests.append(request.url)
        throw TransportError.Network(reason: "unreachable in this test")
    }
}

/// A phone: its folder, adapters and clock, opened through SteadySession.
final class TestPhone {
    let folder: URL
    let clock: TestClock
    let notifications = RecordingNotificationCenter()
    let keychain: RecordingKeychain
    let files = RecordingFiles()
    let refresh = RecordingRefresh()
    let preferences = MemoryPreferences()
    let transport: ClinicTransport

    init(_ now: String, _ zone: String, transport: ClinicTransport = UnreachableClinic(), keychain: RecordingKeychain = RecordingKeychain()) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("steady-shell-\(UUID().uuidString)")
        clock = TestClock(now, zone)
        self.transport = transport
        self.keychain = keychain
    }

    /// The same phone after the app process ended: same files, Keychain,
    /// notifications and clock.
    func relaunch() async throws -> SteadySession { try await open() }

    var adapters: PlatformAdapters {
        PlatformAdapters(
            notifications: notifications, keys: keychain, files: files, transport: transport,
            refresh: refresh, clock: clock, preferences: preferences)
    }

    func launch() async -> Launch { await SteadySession.launch(folder: folder, adapters: adapters) }

    func open() async throws -> SteadySession {
        switch await launch() {
        case .ready(let session): return session
        case .cannotOpen(let failure): throw failure.problem
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
