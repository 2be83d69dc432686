// Owns the launch: builds the adapters, opens SteadySession, registers the
// background refresh, and routes notification actions, quick actions and the
// widget's links to the right screen.
import Foundation
import Observation
import SteadyCore
import SteadyShell

@MainActor @Observable
final class Launcher {
    enum State {
        case launching
        case ready(SteadySession)
        case cannotOpen(CannotOpen)
    }

    private(set) var state: State = .launching
    let router = Router()
    let notifications = NotificationCenterScheduler()
    let preferences = DefaultsPreferences()

    var discretion: Discretion { preferences.discretion() }

    var session: SteadySession? {
        if case .ready(let session) = state { return session }
        return nil
    }

    var crisisCard: CrisisCard? {
        switch state {
        case .ready(let session): return session.crisisCard()
        case .cannotOpen(let failure): return failure.crisisCard
        case .launching: return nil
        }
    }

    static var folder: URL {
        FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("Steady", isDirectory: true)
    }

    private var adapters: PlatformAdapters {
        PlatformAdapters(
            notifications: notifications, keys: KeychainVault(), files: ProtectedFiles(),
            transport: URLSessionTransport(), refresh: BackgroundRefreshScheduler(), clock: SystemClock(),
            preferences: preferences)
    }

    func launch() async {
        state = .launching
        let launch = await SteadySession.launch(folder: Self.folder, adapters: adapters)
        switch launch {
        case .ready(let session): state = .ready(session)
        case .cannotOpen(let failure): state = .cannotOpen(failure)
        }
        QuickAction.install(enabled: discretion.quickActions)
    }

    /// The patient agreed: the unreadable database is renamed aside (never
    /// deleted) and a new one starts; enrolling again brings back what the
    /// clinic holds.
    func startAfresh(_ failure: CannotOpen) async {
        _ = try? failure.setAside(now: Date())
        await launch()
    }

    /// Launch, and each return to the foreground: refill the reminder window
    /// (the zone may have changed) and sync when enrolled.
    func cameToForeground() async {
        guard let session else { return }
        _ = await session.backgroundRefresh()
        QuickAction.install(enabled: discretion.quickActions)
    }

    func backgroundRefresh() async -> Bool {
        await session?.backgroundRefresh() ?? false
    }

    /// A notification action, after the system asked for authentication
    /// where the action records health data. `typed` is Log craving's text.
    func handle(actionIdentifier: String, userInfo: [AnyHashable: Any], typed: String?) async {
        guard let session, let reminder = Reminder(userInfo: userInfo) else { return }
        guard let action = NotificationAction(rawValue: actionIdentifier) else {
            router.show(.today)
            return
        }
        let intensity = typed.flatMap { UInt8($0.trimmingCharacters(in: .whitespaces)) }
        do {
            switch try await session.handle(action, reminder: reminder, intensity: intensity) {
            case .openCravingForm: router.show(.quickLog)
            case .cravingLogged(let logged):
                if let card = logged.crisisCard { router.show(.crisis, card: card) }
            case .recorded, .snoozed: break
            }
        } catch {
            // What the core refused (say "I'm here" before the session
            // started) is shown on Today the next time the patient looks.
            session.screens.today.problem = ShellProblem(error)
        }
    }

    /// A reminder shown while the app is open: the core records when.
    func delivered() async {
        await session?.notificationsDelivered()
    }

    /// The clock or the zone changed under the running app.
    func clockChanged() async {
        await session?.clockChanged()
    }

    /// Links from the widget and the control (`steady://quick-log`,
    /// `steady://crisis`), the clinic's enrollment QR code opened by the
    /// Camera app (`steady://enroll?code=…&server=…`) and quick actions.
    func open(_ url: URL) {
        switch url.host {
        case "crisis": router.show(.crisis)
        case "quick-log": router.show(.quickLog)
        case "settings": router.show(.settings)
        case "enroll":
            router.enrollment = EnrollmentLink(scanned: url.absoluteString)
            router.show(.settings)
        default: router.show(.today)
        }
    }
}

/// Which screen to bring forward from outside the app.
@MainActor @Observable
final class Router {
    enum Destination: Hashable {
        case today
        case quickLog
        case crisis
        case settings
    }

    var destination: Destination?
    var tab: Tab = .today
    /// A crisis card a notification action's record raised.
    var raisedCard: CrisisCard?
    /// The clinic's enrollment link opened from the Camera app, for the
    /// Clinic screen to fill in.
    var enrollment: EnrollmentLink?

    func show(_ destination: Destination, card: CrisisCard? = nil) {
        raisedCard = card
        switch destination {
        case .today:
            tab = .today
            self.destination = nil
        case .settings:
            tab = .more
            self.destination = nil
        case .quickLog, .crisis:
            self.destination = destination
        }
    }
}

enum Tab: Hashable {
    case today, checkins, schedule, progress, more
}
