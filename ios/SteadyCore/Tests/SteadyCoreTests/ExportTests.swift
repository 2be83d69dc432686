// The patient's record from Swift: a plain export (with its warning and the
// backup offered first), the encrypted backup restored on a new phone, and a
// JSON export imported on a fresh install. Bundles and CSV files go to
// $STEADY_EXPORT_OUT for the independent validator (scripts/test-fhir.sh).
import Foundation
import SteadyCore
import XCTest

final class ExportTests: XCTestCase {
    let passphrase = "correct horse battery"

    private func handToValidator(_ name: String, _ export: PatientExport) throws {
        guard let out = ProcessInfo.processInfo.environment["STEADY_EXPORT_OUT"] else { return }
        let dir = URL(fileURLWithPath: out).appendingPathComponent("swift-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in export.files {
            try file.content.write(to: dir.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
    }

    private func fill(_ db: TestDb) throws {
        _ = try db.steady.logCraving(input: NewCraving(intensity: 6, note: "after work, \"again\""))
        _ = try db.steady.logCraving(input: NewCraving(intensity: 9, markedUnsafe: true))
        _ = try db.steady.submitPhq9(answers: [1, 2, 1, 0, 0, 1, 0, 0, 1])
        _ = try db.steady.submitGad7(answers: [1, 1, 0, 0, 1, 0, 0])
    }

    func testPlainExportsWarnFirstAndHoldTheWholeRecord() throws {
        let db = try TestDb("2026-03-10T14:00:00Z", "Europe/Berlin")
        try fill(db)
        let fhir = try db.steady.exportRecord(format: .fhir)
        XCTAssertTrue(fhir.warning.contains("not encrypted"))
        XCTAssertEqual(fhir.saferOption, "encrypted_backup")
        XCTAssertEqual(fhir.files.count, 1)
        for needle in ["\"Bundle\"", "\"44261-6\"", "\"44249-1\"", "\"44260-8\"", "\"70274-6\"", "\"Flag\"", "+01:00"] {
            XCTAssertTrue(fhir.files[0].content.contains(needle), needle)
        }
        try handToValidator("fhir", fhir)
        let csv = try db.steady.exportRecord(format: .csv)
        let cravings = csv.files.first { $0.name == "cravings.csv" }!.content
        XCTAssertTrue(cravings.hasPrefix("id,occurred_at,time_zone,intensity"))
        XCTAssertTrue(cravings.contains("\"after work, \"\"again\"\"\""))
        try handToValidator("csv", csv)
    }

    func testABackupRestoresOnANewPhoneAndAWrongPassphraseChangesNothing() throws {
        let db = try TestDb("2026-03-10T14:00:00Z", "Europe/Berlin")
        try fill(db)
        let backup = try db.steady.createBackup(passphrase: passphrase)
        let newPhone = FileManager.default.temporaryDirectory
            .appendingPathComponent("steady-swift-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: newPhone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: newPhone) }
        let path = newPhone.appendingPathComponent("steady.db").path
        let newKey = Data(repeating: 3, count: 32)
        XCTAssertThrowsError(try Steady.restoreBackup(path: path, key: newKey, clock: db.clock, backup: backup, passphrase: "not my passphrase")) { error in
            guard case SteadyError.WrongPassphrase = error else { return XCTFail("expected WrongPassphrase, got \(error)") }
        }
        var damaged = backup
        damaged[damaged.count - 5] ^= 1
        XCTAssertThrowsError(try Steady.restoreBackup(path: path, key: newKey, clock: db.clock, backup: damaged, passphrase: passphrase)) { error in
            guard case SteadyError.DamagedBackup = error else { return XCTFail("expected DamagedBackup, got \(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let restored = try Steady.restoreBackup(path: path, key: newKey, clock: db.clock, backup: backup, passphrase: passphrase)
        XCTAssertEqual(try restored.listCravings(from: .distantPast, to: .distantFuture), try db.steady.listCravings(from: .distantPast, to: .distantFuture))
        XCTAssertEqual(try restored.today(), try db.steady.today())
        restored.closeDatabase()
    }

    func testAJsonExportImportsOnAFreshInstallOnce() throws {
        let db = try TestDb("2026-03-10T14:00:00Z", "Europe/Berlin")
        try fill(db)
        let json = try db.steady.exportRecord(format: .json).files[0].content
        let fresh = try TestDb("2026-03-10T14:00:00Z", "Europe/Berlin")
        let imported = try fresh.steady.importRecord(json: json)
        XCTAssertGreaterThan(imported.rows, 0)
        XCTAssertEqual(try fresh.steady.progress(since: nil), try db.steady.progress(since: nil))
        XCTAssertThrowsError(try fresh.steady.importRecord(json: json)) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else { return XCTFail("expected InvalidInput, got \(error)") }
            XCTAssertEqual(field, "export")
        }
    }
}
