// The app's entry: launches SteadySession with the real adapters, shows the
// screens (or, when the database cannot be opened, the crisis card and what
// happened), covers the window whenever the scene leaves the foreground, and
// asks for the app lock when the patient turned it on.
import SteadyCore
import SteadyShell
import SwiftUI

@main
struct SteadyApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var phase
    @State private var lock = AppLock(lockedAtLaunch: DefaultsPreferences().discretion().appLock)

    var body: some Scene {
        WindowGroup {
            ZStack {
                LaunchView(launcher: delegate.launcher)
                if phase != .active {
                    PrivacyCover()
                } else if lock.locked {
                    LockView(lock: lock, crisisCard: delegate.launcher.crisisCard)
                }
            }
            .onOpenURL { delegate.launcher.open($0) }
        }
        .onChange(of: phase) { _, newPhase in
            if newPhase == .background {
                lock.lockIfEnabled(delegate.launcher.discretion.appLock)
            }
            if newPhase == .active {
                Task { await delegate.launcher.cameToForeground() }
            }
        }
    }
}

/// What the app shows once launching finished.
struct LaunchView: View {
    let launcher: Launcher

    var body: some View {
        switch launcher.state {
        case .launching:
            ProgressView().accessibilityLabel("Opening")
        case .ready(let session):
            RootView(screens: session.screens, router: launcher.router)
        case .cannotOpen(let failure):
            CannotOpenView(failure: failure, startAfresh: { Task { await launcher.startAfresh(failure) } })
        }
    }
}
