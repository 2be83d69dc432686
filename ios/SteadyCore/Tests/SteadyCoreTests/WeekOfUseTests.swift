// What a week of real use found (issue 10), from Swift as the iOS shell
// calls it: the crisis card with no readable database, damaged files refused
// and kept, the bad-day responses, check-in substances, and a questionnaire
// the clinic assigns arriving by sync, due, answered and synced back.
import Foundation
import ClinicStaff
import SteadyCore
import XCTest

final class WeekOfUseTests: XCTestCase {
    let now = "2027-01-04T15:00:00Z"

    func testTheCrisisCardNeedsNoOpenDatabaseAndKeepsTheContacts() throws {
        let db = try TestDb(now, "America/New_York")
        _ = try db.steady.addSupportContact(name: "Sam Rivera", phone: "555 0100")
        db.steady.closeDatabase()
        XCTAssertThrowsError(try Steady.open(path: db.path, key: Data(repeating: 1, count: 32), clock: db.clock)) { error in
            guard case SteadyError.WrongKey = error else { return XCTFail("expected WrongKey, got \(error)") }
        }
        let card = crisisCardWithoutDatabase(databasePath: db.path)
        XCTAssertEqual(card.lines.map(\.call), ["911", "988", "1-800-662-4357"])
        XCTAssertEqual(card.lines[1].text, "988")
        XCTAssertTrue(card.lines[2].description.contains("not crisis counselling"))
        XCTAssertEqual(card.supportContacts.map(\.name), ["Sam Rivera"])
        let missing = crisisCardWithoutDatabase(databasePath: db.dir.appendingPathComponent("nowhere.db").path)
        XCTAssertEqual(missing.lines.count, 3)
        try db.reopen()
    }

    func testAnEmptyOrForeignFileIsRefusedToldApartAndLeftUntouched() throws {
        let db = try TestDb(now, "UTC")
        let empty = db.dir.appendingPathComponent("empty.db")
        try Data().write(to: empty)
        XCTAssertThrowsError(try Steady.open(path: empty.path, key: db.key, clock: db.clock)) { error in
            guard case SteadyError.DatabaseDamaged(let reason) = error else {
                return XCTFail("expected DatabaseDamaged, got \(error)")
            }
            XCTAssertTrue(reason.contains("empty"), reason)
        }
        XCTAssertEqual(try Data(contentsOf: empty).count, 0, "never replaced by a new database")
        let text = db.dir.appendingPathComponent("notes.db")
        try Data("name,phone\nSam,555 0100\n".utf8).write(to: text)
        XCTAssertThrowsError(try Steady.open(path: text.path, key: db.key, clock: db.clock)) { error in
            guard case SteadyError.NotSteadyDatabase = error else {
                return XCTFail("expected NotSteadyDatabase, got \(error)")
            }
        }
        XCTAssertEqual(crisisCardWithoutDatabase(databasePath: empty.path).lines.count, 3)
        // With the patient's agreement: set aside untouched, then start afresh.
        let aside = try setAsideDatabase(path: empty.path, nowMs: db.clock.nowMs())
        XCTAssertTrue(aside.hasSuffix(".damaged-20270104T150000Z"), aside)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: aside)).count, 0)
        try Steady.open(path: empty.path, key: db.key, clock: db.clock).closeDatabase()
    }

    func testAnUnsafeCravingAmendedToPassedDoesNotRepeatTheResponse() throws {
        let db = try TestDb(now, "America/New_York")
        let logged = try db.steady.logCravingWithSupport(input: NewCraving(intensity: 9, markedUnsafe: true))
        XCTAssertTrue(logged.crisisCard?.clinicNotice?.contains("988") ?? false)
        XCTAssertFalse(logged.strategies.isEmpty)
        let amended = try db.steady.amendCraving(id: logged.craving.id, change: CravingAmendment(outcome: .passed))
        XCTAssertNil(amended.crisisCard)
        XCTAssertEqual(amended.strategies, [])
        let used = try db.steady.logCravingWithSupport(input: NewCraving(intensity: 9, outcome: .used))
        XCTAssertTrue(used.offerLapse)
        XCTAssertEqual(used.strategies, [])
    }

    func testAnOpioidLapseCarriesOverdoseGuidance() throws {
        let db = try TestDb(now, "America/New_York")
        let heroin = try db.steady.logLapse(input: NewLapse(substances: ["heroin"]))
        let guidance = try XCTUnwrap(heroin.overdoseGuidance)
        XCTAssertEqual(guidance.neverUseAlone.call, "1-800-484-3731")
        XCTAssertTrue(guidance.steps.contains { $0.contains("naloxone") })
        XCTAssertTrue(guidance.steps.contains { $0.contains("911") })
        XCTAssertNil(try db.steady.logLapse(input: NewLapse(substances: ["alcohol"])).overdoseGuidance)
    }

    func testTheProgramStartsOnTheSetUpDayFiveYearsWorkAndImpossibleDatesAreRefused() throws {
        let db = try TestDb("2026-01-01T15:00:00Z", "America/New_York")
        db.clock.now = ISO8601DateFormatter().date(from: "2026-01-20T15:00:00Z")!
        _ = try db.steady.logLapse(input: NewLapse(substances: ["alcohol"]))
        let report = try db.steady.progress(since: nil)
        XCTAssertEqual(report.programStart, "2026-01-01")
        XCTAssertEqual(report.sober.soberDaysInProgram, 19)
        _ = try db.steady.setProgramSettings(
            settings: ProgramSettings(programStartDate: "2021-01-20", weeklyProgramHours: 9))
        XCTAssertEqual(try db.steady.progress(since: nil).sober.daysInProgram, 1827)
        let refusals: [(() throws -> Void, String)] = [
            ({ _ = try db.steady.setProgramSettings(settings: ProgramSettings(programStartDate: "2026-02-01")) },
             "program_start_date"),
            ({ _ = try db.steady.progress(since: LocalDate(year: 1800, month: 1, day: 1)) }, "since"),
        ]
        for (call, expected) in refusals {
            XCTAssertThrowsError(try call()) { error in
                guard case SteadyError.InvalidInput(let field, _) = error else {
                    return XCTFail("expected InvalidInput, got \(error)")
                }
                XCTAssertEqual(field, expected)
            }
        }
    }

    func testAnOwnCopingStrategyCarriesTheIdThatRemovesIt() throws {
        let db = try TestDb(now, "UTC")
        let entry = try db.steady.addToCopingPlan(section: .strategy, text: "Walk the dog")
        XCTAssertEqual(try db.steady.copingPlan().strategies.last?.entryId, entry.id)
        try db.steady.removeFromCopingPlan(id: entry.id)
        XCTAssertFalse(try db.steady.copingPlan().strategies.contains { $0.name == "Walk the dog" })
    }

    func testADailyCheckInNamesWhatWasUsed() throws {
        let db = try TestDb(now, "America/New_York")
        let checkin = try db.steady.recordDailyCheckin(
            input: NewDailyCheckIn(usedToday: true, substances: ["alcohol"], mood: 2))
        XCTAssertEqual(checkin.substances, ["alcohol"])
        XCTAssertThrowsError(try db.steady.recordDailyCheckin(
            input: NewDailyCheckIn(usedToday: false, substances: ["alcohol"], mood: 3))) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "substances")
        }
    }
}

final class AssignedQuestionnaireTests: XCTestCase {
    func testAQuestionnaireTheClinicAssignsIsDueRemindedAndItsAnswersReachTheClinic() throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["STEADY_CLINIC_URL"], let email = env["STEADY_STAFF_EMAIL"],
              let password = env["STEADY_STAFF_PASSWORD"] else {
            return XCTFail("STEADY_CLINIC_URL and staff credentials missing: run through scripts/test.sh")
        }
        let staff = try StaffClient(base: url, email: email, password: password)
        let transport = URLSessionTransport()
        let db = try TestDb("2027-01-04T15:00:00Z", "America/New_York")
        let (patient, code) = try staff.newPatient("Robin Lee")
        let assignment = try staff.clinicRecord(patient, "questionnaire", [
            "instrument": "phq9", "title": "Weekly mood", "weekday": "mon", "time": "09:00",
        ])
        _ = try db.steady.enroll(code: code, serverUrl: url, transport: transport, deviceName: "Swift test")
        _ = try db.steady.sync(transport: transport)
        let assigned = try db.steady.assignedQuestionnaires()
        XCTAssertEqual(assigned.map(\.assignmentId), [assignment])
        XCTAssertEqual(assigned.first?.questionnaireId, "phq9")
        XCTAssertEqual(assigned.first?.dueNow, true)
        db.clock.now = ISO8601DateFormatter().date(from: "2027-01-10T15:00:00Z")!
        let reminders = try db.steady.planReminders().filter { $0.kind == .questionnaire }
        XCTAssertEqual(reminders.first?.subjectId, assignment)

        XCTAssertThrowsError(try db.steady.grantConsent(
            grant: ConsentGrant(categories: [.checkins], signature: "Robin"))) { error in
            guard case SteadyError.InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "signature")
        }
        _ = try db.steady.grantConsent(grant: ConsentGrant(categories: [.checkins], signature: "Robin Lee"))
        let answered = try db.steady.submitPhq9(answers: [1, 1, 0, 0, 1, 0, 0, 0, 0])
        XCTAssertEqual(try db.steady.assignedQuestionnaires().first?.dueNow, false)
        _ = try db.steady.sync(transport: transport)
        XCTAssertTrue(try staff.recordIds(patient).contains(answered.response.id))
    }
}
