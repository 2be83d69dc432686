// Craving details and amendments, the daily check-in, questionnaires (PHQ-9
// with its crisis card, a clinic instrument from FHIR JSON), the coping plan
// and the crisis card, end to end from Kotlin.
package app.steady.tests

import app.steady.core.SteadyException
import app.steady.core.model.AnswerValue
import app.steady.core.model.CravingAmendment
import app.steady.core.model.CravingOutcome
import app.steady.core.model.CrisisReason
import app.steady.core.model.NewCraving
import app.steady.core.model.NewDailyCheckIn
import app.steady.core.model.Place
import app.steady.core.model.PlanSection
import app.steady.core.model.QuestionnaireAnswer
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class CheckinsTest {
    private val now = "2026-03-10T14:00:00Z"
    private val zone = "America/New_York"

    @Test
    fun `a detailed craving is logged, amended, and keeps its history`() = withDb(now, zone) { db ->
        val logged = db.steady.logCravingWithSupport(
            NewCraving(
                intensity = 6u,
                triggers = listOf("Stress", "my ex"),
                copingTried = listOf("urge_surfing"),
                place = Place.HOME,
                durationMinutes = 20u,
            )
        )
        assertNull(logged.crisisCard)
        assertTrue(logged.strategies.isEmpty())
        assertEquals(listOf("stress", "my ex"), logged.craving.triggers)

        val amended = db.steady.amendCraving(
            logged.craving.id,
            CravingAmendment(outcome = CravingOutcome.PASSED, note = "went for a walk"),
        )
        assertEquals(2u, amended.craving.revision)
        assertEquals(CravingOutcome.PASSED, amended.craving.outcome)
        val history = db.steady.cravingHistory(logged.craving.id)
        assertEquals(listOf(logged.craving, amended.craving), history)

        val bad = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.amendCraving(logged.craving.id, CravingAmendment(durationMinutes = 5000u))
        }
        assertEquals("duration_minutes", bad.field)
    }

    @Test
    fun `a strong craving brings the strategies that helped most first`() = withDb(now, zone) { db ->
        db.steady.logCraving(
            NewCraving(intensity = 5u, copingTried = listOf("paced_breathing"), outcome = CravingOutcome.PASSED)
        )
        val strong = db.steady.logCravingWithSupport(NewCraving(intensity = 9u))
        assertEquals("paced_breathing", strong.strategies.first().key)
        assertEquals(1u, strong.strategies.first().helpedCount)
        val tipp = strong.strategies.first { it.key == "tipp" }
        assertNotNull(tipp.caution)
    }

    @Test
    fun `a daily check-in is recorded once a day and a second amends it`() = withDb(now, zone) { db ->
        val first = db.steady.recordDailyCheckin(NewDailyCheckIn(usedToday = false, mood = 4u, sleepQuality = 3u))
        assertEquals("2026-03-10", first.localDate)
        val second = db.steady.recordDailyCheckin(NewDailyCheckIn(usedToday = false, mood = 2u))
        assertEquals(first.id, second.id)
        assertEquals(2u, second.revision)
        assertEquals(listOf(first, second), db.steady.dailyCheckinHistory(LocalDate.of(2026, 3, 10)))
        val bad = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.recordDailyCheckin(NewDailyCheckIn(usedToday = false, mood = 6u))
        }
        assertEquals("mood", bad.field)
    }

    @Test
    fun `a PHQ-9 with item 9 at 1 returns the crisis card and is flagged`() = withDb(now, zone) { db ->
        db.steady.addSupportContact("Sam", "+1 555 0100")
        val submitted = db.steady.submitPhq9(listOf(1u, 1u, 0u, 0u, 0u, 0u, 0u, 0u, 1u))
        assertEquals(3L, submitted.response.score)
        assertEquals("none_minimal", submitted.response.band?.code)
        assertTrue(submitted.response.flaggedForClinic)
        val card = assertNotNull(submitted.crisisCard)
        assertEquals(CrisisReason.SELF_HARM_THOUGHTS, card.reason)
        assertEquals("988", card.lines[1].call)
        assertEquals("988", card.lines[1].text)
        assertEquals("1-800-662-4357", card.lines[2].call)
        assertEquals("Sam", card.supportContacts.single().name)

        val calm = db.steady.submitGad7(List(7) { 2u })
        assertEquals("moderate", calm.response.band?.code)
        assertNull(calm.crisisCard)
        val bad = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.submitPhq9(List(9) { if (it == 4) 4u else 0u })
        }
        assertEquals("item5", bad.field)
    }

    @Test
    fun `a clinic questionnaire loads from FHIR JSON and is scored`() = withDb(now, zone) { db ->
        val weight = "http://hl7.org/fhir/StructureDefinition/itemWeight"
        val definition = """
            {"resourceType": "Questionnaire", "id": "weekly-recovery", "title": "Weekly recovery check",
             "item": [
               {"linkId": "urges", "type": "choice", "required": true, "answerOption": [
                 {"valueCoding": {"code": "never"}, "extension": [{"url": "$weight", "valueDecimal": 0}]},
                 {"valueCoding": {"code": "daily"}, "extension": [{"url": "$weight", "valueDecimal": 3}]}]},
               {"linkId": "sponsor", "type": "boolean"}]}
        """.trimIndent()
        val loaded = db.steady.loadQuestionnaire(definition)
        assertEquals("Weekly recovery check", loaded.title)
        val response = db.steady.submitQuestionnaire(
            "weekly-recovery",
            listOf(
                QuestionnaireAnswer("urges", AnswerValue.Choice("daily")),
                QuestionnaireAnswer("sponsor", AnswerValue.YesNo(true)),
            ),
        ).response
        assertEquals(3L, response.score)

        val malformed = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.loadQuestionnaire(definition.replace("\"boolean\"", "\"group\""))
        }
        assertEquals("item.sponsor", malformed.field)
    }

    @Test
    fun `the coping plan and the crisis card are there offline`() = withDb(now, zone) { db ->
        db.steady.addToCopingPlan(PlanSection.WARNING_SIGN, "skipping meals")
        db.steady.addToCopingPlan(PlanSection.STRATEGY, "walk the dog")
        val plan = db.steady.copingPlan()
        assertEquals("skipping meals", plan.warningSigns.single().text)
        assertEquals("walk the dog", plan.strategies.last().key)
        assertFalse(plan.strategies.last().builtIn)
        assertEquals(8u.toUByte(), plan.strongCravingThreshold)
        val card = db.steady.crisisCard()
        assertEquals(CrisisReason.REQUESTED, card.reason)
        assertEquals(3, card.lines.size)
    }
}
