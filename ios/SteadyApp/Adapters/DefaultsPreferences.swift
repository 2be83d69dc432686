// The discretion switches in the app group's UserDefaults, so the widget and
// the control read the same "off until turned on". Not health data.
import Foundation
import SteadyShell
import WidgetKit

final class DefaultsPreferences: DevicePreferences, @unchecked Sendable {
    static let suite = "group.app.steady"
    private let defaults = UserDefaults(suiteName: DefaultsPreferences.suite) ?? .standard
    private let key = "discretion"

    func discretion() -> Discretion {
        guard let data = defaults.data(forKey: key),
              let value = try? JSONDecoder().decode(Discretion.self, from: data) else { return Discretion() }
        return value
    }

    func setDiscretion(_ discretion: Discretion) {
        defaults.set(try? JSONEncoder().encode(discretion), forKey: key)
        WidgetCenter.shared.reloadAllTimelines()
        if #available(iOS 18.0, *) { ControlCenter.shared.reloadAllControls() }
    }
}
