// Home Screen quick actions, only when the patient turned them on (dynamic
// shortcut items, none in Info.plist), with neutral titles: one opens the
// crisis card, one the quick craving log.
import SteadyShell
import UIKit

enum QuickAction: String {
    case crisis = "app.steady.crisis"
    case quickLog = "app.steady.quick-log"

    @MainActor
    static func install(enabled: Bool) {
        UIApplication.shared.shortcutItems = enabled ? [
            UIApplicationShortcutItem(
                type: QuickAction.crisis.rawValue, localizedTitle: NeutralLabel.crisis, localizedSubtitle: nil,
                icon: UIApplicationShortcutIcon(systemImageName: "phone"), userInfo: nil),
            UIApplicationShortcutItem(
                type: QuickAction.quickLog.rawValue, localizedTitle: NeutralLabel.quickLog, localizedSubtitle: nil,
                icon: UIApplicationShortcutIcon(systemImageName: "square.and.pencil"), userInfo: nil),
        ] : []
    }
}
