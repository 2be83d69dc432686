// The crisis card: always there (read when the app opens and whenever the
// support contacts change), and raised over every screen when a record calls
// for it (an unsafe craving, a PHQ-9 item 9 answer above 0).
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class CrisisModel {
    public private(set) var card: CrisisCard?
    /// Set when the core returned a card with a record: the app shows it at
    /// once, over whatever screen is open.
    public private(set) var raised: CrisisCard?

    nonisolated init() {}

    func show(_ card: CrisisCard) { self.card = card }

    func raise(_ card: CrisisCard) { raised = card }

    public func dismissRaised() { raised = nil }
}
