// The database key in the Keychain: a generic password item readable after
// the first unlock since boot (background refresh must open the database),
// on this device only (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly: not
// in backups, not in iCloud Keychain). On a restore to a new phone the item
// does not follow, so the old database (excluded from backups anyway) cannot
// be opened: docs/ios.md says what the patient sees.
import Foundation
import Security
import SteadyShell

final class KeychainVault: KeyVault, @unchecked Sendable {
    private let service = "app.steady.database-key"
    private let account = "steady.db"

    func readKey() throws -> Data? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecReturnData as String: true,
            kSecMatchLimit as String: kSecMatchLimitOne,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess: return item as? Data
        case errSecItemNotFound: return nil
        default: throw KeychainError(status: status)
        }
    }

    func storeKey(_ key: Data) throws {
        let item: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecValueData as String: key,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
            kSecAttrSynchronizable as String: false,
        ]
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
    }
}

struct KeychainError: Error, CustomStringConvertible {
    let status: OSStatus
    var description: String { "keychain status \(status)" }
}
