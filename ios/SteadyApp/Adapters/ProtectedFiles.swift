// The database folder: complete-until-first-user-authentication protection
// (readable by background refresh after the first unlock, encrypted by the
// system before it) on the folder, so the database, its -wal/-shm files and
// the crisis contacts file beside it inherit it; and excluded from iCloud and
// iTunes backups.
import Foundation
import SteadyShell

final class ProtectedFiles: DatabaseFiles, @unchecked Sendable {
    func protect(folder: URL) throws {
        try FileManager.default.setAttributes(
            [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication],
            ofItemAtPath: folder.path)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        var url = folder
        try url.setResourceValues(values)
        for file in (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [] {
            try FileManager.default.setAttributes(
                [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication],
                ofItemAtPath: file.path)
        }
    }
}
