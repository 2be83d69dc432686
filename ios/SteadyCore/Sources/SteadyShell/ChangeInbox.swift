// The core's change observer for the session: the core calls it on the
// writing thread, after each commit, naming the screens that are stale (ADR
// 0002). It only gathers them; SteadySession takes them after the call that
// wrote and refreshes exactly those screens.
import Foundation
import SteadyCore

final class ChangeInbox: ChangeListener, @unchecked Sendable {
    private let lock = NSLock()
    private var stale: Set<Screen> = []

    func onChange(changes: ChangeSet) throws {
        lock.lock()
        defer { lock.unlock() }
        stale.formUnion(changes.screens)
    }

    /// The screens named since the last take, emptied.
    func take() -> Set<Screen> {
        lock.lock()
        defer { lock.unlock() }
        let taken = stale
        stale = []
        return taken
    }
}
