// The coping plan: warning signs, strategies, reasons, support contacts and
// safe places, and the strong-craving threshold.
import Foundation
import Observation
import SteadyCore

@MainActor @Observable
public final class CopingPlanModel {
    public private(set) var screen: ScreenState<CopingPlan> = .loading
    public var problem: ShellProblem?
    @ObservationIgnored var events: SessionEvents?

    nonisolated init() {}

    func show(_ result: Result<CopingPlan, ShellProblem>) { screen = ScreenState(result) }

    public func add(_ section: PlanSection, text: String) async {
        _ = await events?.run { try await $0.addToCopingPlan(section, text: text) }.keep(&problem)
    }

    public func addContact(name: String, phone: String) async {
        _ = await events?.run { try await $0.addSupportContact(name: name, phone: phone) }.keep(&problem)
    }

    public func remove(id: String) async {
        _ = await events?.run { try await $0.removeFromCopingPlan(id: id) }.keep(&problem)
    }

    public func setStrongCravingThreshold(_ threshold: UInt8) async {
        _ = await events?.run { try await $0.setStrongCravingThreshold(threshold) }.keep(&problem)
    }
}
