// Background work with BGTaskScheduler: a periodic app refresh (the system
// picks when) that syncs and refills the reminder window, and a one-off
// processing task that needs the network, asked for after a write left
// consented records waiting. Both run SteadySession.backgroundRefresh. The
// identifiers are listed in Info.plist's BGTaskSchedulerPermittedIdentifiers
// (project.yml).
import BackgroundTasks
import Foundation
import SteadyShell

final class BackgroundRefreshScheduler: BackgroundRefresh, @unchecked Sendable {
    static let refresh = "app.steady.refresh"
    static let sync = "app.steady.sync"

    func scheduleRefresh(earliest: Date) throws {
        let request = BGAppRefreshTaskRequest(identifier: Self.refresh)
        request.earliestBeginDate = earliest
        try BGTaskScheduler.shared.submit(request)
    }

    func requestSync() throws {
        let request = BGProcessingTaskRequest(identifier: Self.sync)
        request.requiresNetworkConnectivity = true
        request.requiresExternalPower = false
        try BGTaskScheduler.shared.submit(request)
    }

    /// Registered once at launch, before the app finishes launching.
    static func register(run: @escaping @Sendable () async -> Bool) {
        for identifier in [refresh, sync] {
            BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
                let work = Task {
                    let ok = await run()
                    task.setTaskCompleted(success: ok)
                }
                task.expirationHandler = { work.cancel() }
            }
        }
    }
}
