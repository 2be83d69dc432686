// Launch-time duties UIKit still owns: the background refresh handler
// (registered before launch finishes), notification actions (the
// UNUserNotificationCenter delegate) and Home Screen quick actions.
import SteadyShell
import SwiftUI
import UIKit
import UserNotifications

@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    let launcher = Launcher()
    /// SwiftUI's adaptor owns the delegate; the scene delegate reaches it here.
    static weak var current: AppDelegate?

    func application(
        _ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        AppDelegate.current = self
        let launcher = self.launcher
        // Travel and clock changes: replan (doses follow the phone's zone).
        for name in [UIApplication.significantTimeChangeNotification, Notification.Name.NSSystemTimeZoneDidChange] {
            NotificationCenter.default.addObserver(forName: name, object: nil, queue: .main) { _ in
                Task { await launcher.clockChanged() }
            }
        }
        BackgroundRefreshScheduler.register { await launcher.backgroundRefresh() }
        Task { await launcher.launch() }
        return true
    }

    func application(
        _ application: UIApplication, configurationForConnecting session: UISceneSession,
        options: UIScene.ConnectionOptions
    ) -> UISceneConfiguration {
        if let item = options.shortcutItem { open(item) }
        let configuration = UISceneConfiguration(name: nil, sessionRole: session.role)
        configuration.delegateClass = SceneDelegate.self
        return configuration
    }

    func open(_ item: UIApplicationShortcutItem) {
        switch QuickAction(rawValue: item.type) {
        case .crisis: launcher.router.show(.crisis)
        case .quickLog: launcher.router.show(.quickLog)
        case nil: break
        }
    }

    // A reminder arriving while the app is open shows as a banner too, and
    // its delivery is recorded at once (lateness measured by the core).
    func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        await launcher.delivered()
        return [.banner, .sound, .list]
    }

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse
    ) async {
        let userInfo = response.notification.request.content.userInfo
        let typed = (response as? UNTextInputNotificationResponse)?.userText
        await launcher.handle(actionIdentifier: response.actionIdentifier, userInfo: userInfo, typed: typed)
    }
}

/// Quick actions chosen while the app is already running.
final class SceneDelegate: NSObject, UIWindowSceneDelegate {
    func windowScene(
        _ windowScene: UIWindowScene, performActionFor shortcutItem: UIApplicationShortcutItem
    ) async -> Bool {
        guard let delegate = await AppDelegate.current else { return false }
        await delegate.open(shortcutItem)
        return true
    }
}
