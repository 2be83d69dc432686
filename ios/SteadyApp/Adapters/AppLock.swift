// The app lock the patient can turn on: Face ID, Touch ID or the device
// passcode (LocalAuthentication's deviceOwnerAuthentication), asked when the
// app comes to the foreground. The crisis card stays reachable while locked.
import Foundation
import LocalAuthentication
import Observation

@MainActor @Observable
final class AppLock {
    private(set) var locked: Bool

    /// Locked from the first frame when the patient turned the lock on.
    init(lockedAtLaunch: Bool) {
        locked = lockedAtLaunch
    }

    func lockIfEnabled(_ enabled: Bool) {
        if enabled { locked = true }
    }

    func unlock() async {
        let context = LAContext()
        let reason = "Unlock to continue"
        let ok = (try? await context.evaluatePolicy(.deviceOwnerAuthentication, localizedReason: reason)) ?? false
        if ok { locked = false }
    }
}
