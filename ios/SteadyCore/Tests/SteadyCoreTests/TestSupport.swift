// Shared fixtures for the Swift tests: a real encrypted database in a
// temporary directory and a clock the test controls, implemented on the Swift
// side as the iOS shell implements its own.
import Foundation
import SteadyCore

final class FixedClock: PhoneClock, @unchecked Sendable {
    var now: Date
    var zone: String

    init(_ iso: String, _ zone: String) {
        self.now = ISO8601DateFormatter().date(from: iso)!
        self.zone = zone
    }

    func nowMs() -> Int64 { Int64((now.timeIntervalSince1970 * 1000).rounded()) }
    func timeZone() -> String { zone }
}

final class TestDb {
    let dir: URL
    let path: String
    let key: Data
    let clock: FixedClock
    private(set) var steady: Steady

    init(_ now: String, _ zone: String) throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("steady-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("steady.db").path
        key = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 * 7) })
        clock = FixedClock(now, zone)
        steady = try Steady.open(path: path, key: key, clock: clock)
    }

    @discardableResult
    func reopen() throws -> Steady {
        steady.closeDatabase()
        steady = try Steady.open(path: path, key: key, clock: clock)
        return steady
    }

    deinit {
        steady.closeDatabase()
        try? FileManager.default.removeItem(at: dir)
    }
}

/// The instant `ms` Unix milliseconds stand for.
func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
