// Craving details and amendments, the daily check-in, questionnaires (PHQ-9
// with its crisis card, a clinic instrument from FHIR JSON), the coping plan
// and the crisis card, end to end from Swift.
import Foundation
import SteadyCore
import XCTest

final class CheckinsTests: XCTestCase {
    func makeDb() throws -> TestDb {
        try TestDb("2026-03-10T14:00:00Z", "America/New_York")
    }

    func invalidField(_ body: () throws -> Void) -> String? {
        do {
            try body()
        } catch SteadyError.InvalidInput(let field, _) {
            return field
        } catch {
            XCTFail("expected InvalidInput, got \(error)")
        }
        return nil
    }

    func testDetailedCravingIsAmendedAndKeepsItsHistory() throws {
        let db = try makeDb()
        let logged = try db.steady.logCravingWithSupport(input: NewCraving(
            intensity: 6, durationMinutes: 20, triggers: ["Stress", "my ex"], place: .home,
            copingTried: ["urge_surfing"]))
        XCTAssertNil(logged.crisisCard)
        XCTAssertEqual(logged.craving.triggers, ["stress", "my ex"])

        let amended = try db.steady.amendCraving(
            id: logged.craving.id,
            change: CravingAmendment(note: "went for a walk", outcome: .passed))
        XCTAssertEqual(amended.craving.revision, 2)
        XCTAssertEqual(amended.craving.outcome, .passed)
        XCTAssertEqual(try db.steady.cravingHistory(id: logged.craving.id), [logged.craving, amended.craving])

        XCTAssertEqual(invalidField {
            _ = try db.steady.amendCraving(id: logged.craving.id, change: CravingAmendment(durationMinutes: 5000))
        }, "duration_minutes")
    }

    func testUnsafeCravingBringsTheCrisisCard() throws {
        let db = try makeDb()
        let logged = try db.steady.logCravingWithSupport(input: NewCraving(intensity: 9, markedUnsafe: true))
        XCTAssertEqual(logged.crisisCard?.reason, .cravingMarkedUnsafe)
        XCTAssertTrue(logged.craving.flaggedForClinic)
        XCTAssertEqual(logged.strategies.count, 8)
    }

    func testDailyCheckInOncePerDayASecondAmendsIt() throws {
        let db = try makeDb()
        let first = try db.steady.recordDailyCheckin(input: NewDailyCheckIn(usedToday: false, mood: 4))
        XCTAssertEqual(first.localDate, "2026-03-10")
        let second = try db.steady.recordDailyCheckin(input: NewDailyCheckIn(usedToday: true, mood: 2))
        XCTAssertEqual(second.id, first.id)
        XCTAssertEqual(second.revision, 2)
        XCTAssertEqual(try db.steady.dailyCheckinHistory(localDate: LocalDate(year: 2026, month: 3, day: 10)), [first, second])
        XCTAssertEqual(invalidField {
            _ = try db.steady.recordDailyCheckin(input: NewDailyCheckIn(usedToday: false, mood: 0))
        }, "mood")
    }

    func testPhq9Item9AboveZeroReturnsTheCrisisCard() throws {
        let db = try makeDb()
        _ = try db.steady.addSupportContact(name: "Sam", phone: "+1 555 0100")
        let submitted = try db.steady.submitPhq9(answers: [1, 1, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(submitted.response.score, 3)
        XCTAssertTrue(submitted.response.flaggedForClinic)
        let card = try XCTUnwrap(submitted.crisisCard)
        XCTAssertEqual(card.reason, .selfHarmThoughts)
        XCTAssertEqual(card.lines[1].call, "988")
        XCTAssertEqual(card.lines[1].text, "988")
        XCTAssertEqual(card.lines[2].call, "1-800-662-4357")
        XCTAssertEqual(card.supportContacts.map(\.name), ["Sam"])

        let gad = try db.steady.submitGad7(answers: [3, 3, 3, 3, 3, 0, 0])
        XCTAssertEqual(gad.response.band?.code, "severe")
        XCTAssertNil(gad.crisisCard)
        XCTAssertEqual(invalidField {
            _ = try db.steady.submitPhq9(answers: [0, 0, 0, 0, 4, 0, 0, 0, 0])
        }, "item5")
    }

    func testClinicQuestionnaireLoadsFromFhirJsonAndIsScored() throws {
        let db = try makeDb()
        let weight = "http://hl7.org/fhir/StructureDefinition/itemWeight"
        let definition = """
            {"resourceType": "Questionnaire", "id": "weekly-recovery", "title": "Weekly recovery check",
             "item": [
               {"linkId": "urges", "type": "choice", "required": true, "answerOption": [
                 {"valueCoding": {"code": "never"}, "extension": [{"url": "\(weight)", "valueDecimal": 0}]},
                 {"valueCoding": {"code": "daily"}, "extension": [{"url": "\(weight)", "valueDecimal": 3}]}]},
               {"linkId": "sponsor", "type": "boolean"}]}
            """
        let loaded = try db.steady.loadQuestionnaire(fhirJson: definition)
        XCTAssertEqual(loaded.title, "Weekly recovery check")
        let response = try db.steady.submitQuestionnaire(
            questionnaireId: "weekly-recovery",
            answers: [
                QuestionnaireAnswer(linkId: "urges", value: .choice(code: "daily")),
                QuestionnaireAnswer(linkId: "sponsor", value: .yesNo(value: true)),
            ]).response
        XCTAssertEqual(response.score, 3)
        XCTAssertEqual(invalidField {
            _ = try db.steady.loadQuestionnaire(
                fhirJson: definition.replacingOccurrences(of: "\"boolean\"", with: "\"group\""))
        }, "item.sponsor")
    }

    func testCopingPlanAndCrisisCardAreThereOffline() throws {
        let db = try makeDb()
        _ = try db.steady.addToCopingPlan(section: .warningSign, text: "skipping meals")
        _ = try db.steady.addToCopingPlan(section: .strategy, text: "walk the dog")
        let plan = try db.steady.copingPlan()
        XCTAssertEqual(plan.warningSigns.map(\.text), ["skipping meals"])
        XCTAssertEqual(plan.strategies.last?.key, "walk the dog")
        XCTAssertEqual(plan.strongCravingThreshold, 8)
        let card = db.steady.crisisCard()
        XCTAssertEqual(card.reason, .requested)
        XCTAssertEqual(card.lines.count, 3)
    }
}
