// The alternate, neutral app icon (its name and picture give nothing away),
// switched when the patient asks in Settings. The icon set is in the asset
// catalogue; project.yml lists it as an alternate icon.
import SteadyShell
import UIKit

enum AppIcon {
    @MainActor
    static func apply(neutral: Bool) async {
        let wanted = neutral ? NeutralLabel.alternateIconName : nil
        guard UIApplication.shared.supportsAlternateIcons,
              UIApplication.shared.alternateIconName != wanted else { return }
        try? await UIApplication.shared.setAlternateIconName(wanted)
    }
}
