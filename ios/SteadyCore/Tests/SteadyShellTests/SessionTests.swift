// SteadySession's platform duties that the shared scenarios do not reach:
// the key and the database folder on first launch, a database without its
// key (restored to a new phone), the window below iOS's 64, time-sensitive
// delivery only when allowed, the lock-screen categories, and the reminder
// a notification carries in userInfo.
import Foundation
import SteadyCore
@testable import SteadyShell
import XCTest

final class SessionTests: XCTestCase {
    func testFirstLaunchProtectsTheFolderStoresOneKeyAndAsksForBackgroundRefresh() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        XCTAssertEqual(phone.files.protected, [phone.folder], "protected before the database opens")
        XCTAssertEqual(phone.keychain.stores.count, 1)
        XCTAssertEqual(phone.keychain.stores[0].key.count, 32)
        XCTAssertEqual(phone.keychain.stores[0].accessible, "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly")
        XCTAssertEqual(phone.refresh.refreshes, [phone.clock.date.addingTimeInterval(SteadySession.refreshInterval)])
        await session.close()

        let again = try await phone.relaunch()
        XCTAssertEqual(phone.keychain.stores.count, 1, "the stored key is reused")
        await again.close()
    }

    func testADatabaseWithoutItsKeyIsKeptAndTheCrisisCardStillWorks() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        await session.close()

        // Restored to a new phone: the files came back, the Keychain item
        // (this device only) did not.
        let restored = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        try FileManager.default.copyItem(at: phone.folder, to: restored.folder)
        guard case .cannotOpen(let failure) = await restored.launch() else {
            return XCTFail("a database without its key must not open")
        }
        XCTAssertTrue(failure.problem.message.hasPrefix("keyMissing"))
        XCTAssertEqual(failure.crisisCard.lines.map(\.call), ["911", "988", "1-800-662-4357"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: failure.databasePath), "never deleted")
        XCTAssertEqual(restored.keychain.stores.count, 0, "no new key over an old database")

        // With the patient's agreement it is set aside and a new one starts.
        let aside = try failure.setAside(now: restored.clock.date)
        XCTAssertTrue(FileManager.default.fileExists(atPath: aside))
        let fresh = try await restored.open()
        XCTAssertEqual(restored.keychain.stores.count, 1)
        await fresh.close()
    }

    func testTheWindowStaysBelowSixtyFourWhateverTheStoredCap() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        let settings = await session.screens.settings.screen.record!.reminders
        var many = settings
        many.cap = 64
        many.horizonDays = 30
        _ = try await session.setReminderSettings(many)
        _ = try await session.addMedication(NewMedication(name: "Naltrexone", times: ["08:00", "14:00", "20:00"]))
        let held = await phone.notifications.pending.count
        XCTAssertEqual(held, Int(pendingNotificationWindow), "the plan fills the window, never iOS's limit")
        await session.close()
    }

    func testOnlySessionsAndDosesAreTimeSensitiveAndOnlyWhenAllowed() async throws {
        let phone = TestPhone("2027-01-04T12:00:00Z", "America/New_York")
        let session = try await phone.open()
        _ = try await session.addMedication(NewMedication(name: "Naltrexone", times: ["20:00"]))
        var pending = await phone.notifications.pending.values
        XCTAssertFalse(pending.isEmpty)
        XCTAssertTrue(pending.allSatisfy { !$0.timeSensitive }, "off until the patient allows it")

        var discretion = Discretion()
        discretion.timeSensitiveReminders = true
        await session.setDiscretion(discretion)
        pending = await phone.notifications.pending.values
        XCTAssertTrue(pending.filter { $0.category == .dose }.allSatisfy(\.timeSensitive))
        XCTAssertTrue(pending.filter { $0.category == .checkin }.allSatisfy { !$0.timeSensitive })
        XCTAssertFalse(pending.filter { $0.category == .checkin }.isEmpty)
        await session.close()
    }

    func testEveryActionThatRecordsHealthDataNeedsTheDeviceUnlocked() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        let registered = await phone.notifications.categories
        XCTAssertEqual(Set(registered), Set(NotificationCategory.allCases))
        XCTAssertEqual(NotificationCategory.dose.actions.map(\.rawValue), ["taken", "snooze"])
        XCTAssertEqual(NotificationCategory.session.actions.map(\.rawValue), ["im_here", "snooze"])
        XCTAssertEqual(NotificationCategory.checkin.actions.map(\.rawValue), ["log_craving", "snooze"])
        XCTAssertEqual(NotificationAction.allCases.filter(\.recordsHealthData), [.taken, .imHere, .logCraving])
        let words = ([hiddenPreviewsPlaceholder] + NotificationAction.allCases.map(\.title)).joined(separator: " ").lowercased()
        for revealing in ["craving", "dose", "medication", "clinic", "therapy", "group", "drug", "alcohol"] {
            XCTAssertFalse(words.contains(revealing), "lock-screen words name \(revealing)")
        }
        await session.close()
    }

    func testTheClinicScreenSaysMessagesAreNotWatchedAroundTheClock() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        let notice = await session.screens.clinic.messagingNotice
        XCTAssertTrue(notice.contains("988"), notice)
        await session.close()
    }

    func testAReminderSurvivesTheTripThroughUserInfo() {
        let reminder = Reminder(
            id: "dose:med-1@2027-01-05T08:00", kind: .dose, fireAtMs: 1_799_150_400_000, local: "2027-01-05T08:00:00-05:00",
            timeZone: "America/New_York", title: "It's 08:00", body: "Time for your 08:00 routine.", priority: 2,
            subjectId: "med-1@2027-01-05T08:00", snoozed: false)
        XCTAssertEqual(Reminder(userInfo: reminder.userInfo), reminder)
        XCTAssertNil(Reminder(userInfo: ["id": "someone else's"]))
        let dose = DoseReference(reminder.subjectId)
        XCTAssertEqual(dose?.medicationId, "med-1")
        XCTAssertEqual(dose?.dueLocal, "2027-01-05T08:00")
    }

    func testAWriteTheCoreRefusesChangesNothingAndNamesTheField() async throws {
        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let session = try await phone.open()
        let today = await session.screens.today
        await today.quickLog(intensity: 11)
        let problem = await today.problem
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem!.message.contains("intensity"), problem!.message)
        let logged = await today.lastLogged
        XCTAssertNil(logged)
        await session.close()
    }
}

final class EnrollmentLinkTests: XCTestCase {
    func testTheClinicsQRCodeGivesTheCodeAndTheServer() {
        let link = EnrollmentLink(scanned: "steady://enroll?code=ABCD-EFGH&server=https%3A%2F%2Fclinic.example%2F")
        XCTAssertEqual(link, EnrollmentLink(code: "ABCD-EFGH", serverUrl: "https://clinic.example/"))
    }

    func testAnythingElseScannedEnrollsNothing() async throws {
        XCTAssertNil(EnrollmentLink(scanned: "ABCD-EFGH"))
        XCTAssertNil(EnrollmentLink(scanned: "https://elsewhere.example/?code=X&server=Y"))
        XCTAssertNil(EnrollmentLink(scanned: "steady://enroll?code=ABCD-EFGH"))

        let phone = TestPhone("2027-01-04T14:00:00Z", "America/New_York")
        let transport = phone.transport as! UnreachableClinic
        let session = try await phone.open()
        let clinic = await session.screens.clinic
        await clinic.enroll(scanned: "ABCD-EFGH", deviceName: nil)
        let problem = await clinic.problem
        XCTAssertTrue(problem?.message.hasPrefix("notAnEnrollmentCode") == true)
        XCTAssertEqual(transport.requests, [], "nothing was sent")
        await session.close()
    }
}
