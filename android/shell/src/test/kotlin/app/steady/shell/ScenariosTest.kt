// Runs the shared phone scenarios (tests/scenarios/scenarios.json, format in its
// README) through the Android shell: SteadySession, the presenters and the
// notification actions over the real core, with fakes only for the platform
// adapters. Each scenario is one JUnit test; the results go to
// build/scenario-results/android.json for comparison with the iOS shell's.
package app.steady.shell

import app.steady.core.model.ConsentCategory
import app.steady.core.model.CravingLogged
import app.steady.core.model.CravingOutcome
import app.steady.core.model.DoseStatus
import app.steady.core.model.EnrollmentState
import app.steady.core.model.Frequency
import app.steady.core.model.NewCraving
import app.steady.core.model.NewMedication
import app.steady.core.model.OccurrenceStatus
import app.steady.core.model.QuestionnaireSubmitted
import app.steady.core.model.Recurrence
import app.steady.core.model.ScheduleSource
import app.steady.core.model.Screen
import app.steady.core.model.SessionKind
import app.steady.core.model.SessionSeries
import app.steady.core.model.Weekday
import com.google.gson.GsonBuilder
import com.google.gson.JsonArray
import com.google.gson.JsonElement
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.temporal.ChronoUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assumptions
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import kotlin.test.fail

class ScenariosTest {
    @TestFactory
    fun `shared phone scenarios`(): List<DynamicTest> {
        val file = JsonParser.parseString(scenarioFile().readText()).asJsonObject
        check(file["format"].asInt == 1) { "scenario format ${file["format"]} is not 1" }
        return file["scenarios"].asJsonArray.map { it.asJsonObject }.map { scenario ->
            DynamicTest.dynamicTest(scenario["id"].asString) { runAndReport(scenario) }
        }
    }

    private fun runAndReport(scenario: JsonObject) {
        val id = scenario["id"].asString
        val needsClinic = scenario["needs"]?.asJsonArray?.any { it.asString == "clinic" } == true
        val clinic = TestClinic.fromSystem()
        if (needsClinic && clinic == null) {
            Results.record(id, "skipped", "no test clinic (run through scripts/test-android-shell.sh)", emptyList(), JsonArray())
            Assumptions.abort<Unit>("needs the test clinic")
        }
        val run = ScenarioRun(scenario, clinic)
        try {
            runBlocking { run.play() }
        } catch (e: Throwable) {
            run.failures.add("step ${run.step}: ${e.javaClass.simpleName}: ${e.message}")
        } finally {
            run.close()
        }
        val status = if (run.failures.isEmpty()) "pass" else "fail"
        Results.record(id, status, run.failures.firstOrNull(), run.failures, run.observed)
        if (run.failures.isNotEmpty()) fail(run.failures.joinToString("\n"))
    }

    private fun scenarioFile(): File =
        File(System.getProperty("steady.scenarios") ?: "tests/scenarios/scenarios.json")
}

/** Collects every scenario's outcome and rewrites the results file after each. */
object Results {
    private val scenarios = JsonObject()
    private val gson = GsonBuilder().setPrettyPrinting().serializeNulls().create()

    @Synchronized
    fun record(id: String, status: String, reason: String?, failures: List<String>, observed: JsonArray) {
        scenarios.add(
            id,
            JsonObject().apply {
                addProperty("status", status)
                addProperty("reason", reason)
                add("failures", JsonArray().apply { failures.forEach { add(it) } })
                add("observed", observed)
            },
        )
        val out = File(System.getProperty("steady.scenario.results") ?: "build/scenario-results/android.json")
        out.parentFile?.mkdirs()
        val doc = JsonObject().apply {
            addProperty("format", 1)
            addProperty("shell", "android")
            add("scenarios", scenarios)
        }
        out.writeText(gson.toJson(doc) + "\n")
    }
}

/** One scenario on one fresh phone. */
class ScenarioRun(private val scenario: JsonObject, private val clinic: TestClinic?) : AutoCloseable {
    private val clock = scenario["clock"].asJsonObject
    private val phone = FakePhone(clock["now"].asString, clock["zone"].asString)
    private val dir: File = Files.createTempDirectory("steady-scenario").toFile()
    private val dbPath = File(dir, "steady.db").absolutePath
    private var session: SteadySession? = null

    /** Placeholder name -> id the core minted. */
    private val refs = linkedMapOf<String, String>()
    private val patients = mutableMapOf<String, TestClinic.Patient>()
    private var lastCraving: CravingLogged? = null
    private var lastQuestionnaire: QuestionnaireSubmitted? = null

    // What happened since the previous expectation.
    private var appliesSeen = 0
    private var postedSeen = 0
    private var dismissedSeen = 0
    private val refreshed = mutableSetOf<Screen>()

    var step = 0
        private set
    val failures = mutableListOf<String>()
    val observed = JsonArray()

    private fun live(): SteadySession = session ?: error("the app is not launched")

    suspend fun play() {
        for (element in scenario["steps"].asJsonArray) {
            step++
            val s = element.asJsonObject
            when {
                s.has("do") -> act(s["do"].asString, s)
                s.has("expect") -> expect(s["expect"].asJsonObject)
                else -> error("a step needs \"do\" or \"expect\"")
            }
        }
    }

    private suspend fun act(action: String, s: JsonObject) {
        when (action) {
            "launch" -> {
                session?.close()
                session = null
                session = SteadySession.open(dbPath, phone.platform)
            }
            "set_clock" -> {
                s.str("now")?.let { phone.clock.now = Instant.parse(it) }
                s.str("zone")?.let { phone.clock.zone = it }
            }
            "platform_event" -> live().platformEvent(PlatformEvent.valueOf(s["event"].asString.uppercase()))
            "set_reminder_settings" -> {
                val current = checkNotNull(live().settings.value).screen.reminders
                val settings = current.copy(
                    horizonDays = s.uint("horizon_days") ?: current.horizonDays,
                    sessionLeadMinutes = s.uints("session_lead_minutes") ?: current.sessionLeadMinutes,
                    doseLeadMinutes = s.uint("dose_lead_minutes") ?: current.doseLeadMinutes,
                    doseFollowupMinutes = s.uint("dose_followup_minutes") ?: current.doseFollowupMinutes,
                    checkinTime = if (s.has("checkin_time")) s.str("checkin_time") else current.checkinTime,
                    detailedText = s["detailed_text"]?.asBoolean ?: current.detailedText,
                )
                SettingsPresenter(live()).run {
                    handle(SettingsEvent.Reminders(settings))
                    problem.value?.let { error("settings refused: $it") }
                }
            }
            "add_medication" -> refs[s["as"].asString] = live().call {
                it.addMedication(
                    NewMedication(
                        name = s["name"].asString,
                        dose = s.str("dose"),
                        times = s["times"].asJsonArray.map { t -> t.asString },
                        startDate = s.str("start_date"),
                    ),
                )
            }.id
            "add_session_series" -> refs[s["as"].asString] = live().call {
                it.saveSessionSeries(
                    SessionSeries(
                        id = "", uid = null,
                        kind = SessionKind.valueOf(s["kind"].asString.uppercase()),
                        title = s["title"].asString, location = null, videoUrl = null,
                        timeZone = s["time_zone"].asString,
                        startLocal = s["start_local"].asString,
                        durationMin = s["duration_minutes"].asInt.toUInt(),
                        recurrence = Recurrence(
                            frequency = Frequency.WEEKLY, interval = 1u,
                            weekdays = s["weekdays"].asJsonArray.map { d -> Weekday.valueOf(d.asString.uppercase()) },
                            until = null, count = null,
                        ),
                        changes = emptyList(),
                        source = ScheduleSource.PATIENT,
                    ),
                )
            }.id
            "log_craving" -> {
                val presenter = CravingPresenter(live())
                val craving = NewCraving(
                    intensity = s["intensity"].asInt.toUByte(),
                    markedUnsafe = s["marked_unsafe"]?.asBoolean ?: false,
                    outcome = s.str("outcome")?.let { CravingOutcome.valueOf(it.uppercase()) },
                    triggers = s["triggers"]?.asJsonArray?.map { it.asString } ?: emptyList(),
                )
                presenter.handle(CravingEvent.Log(craving, CravingEntry.valueOf(s["from"].asString.uppercase())))
                presenter.problem.value?.let { error("craving refused: $it") }
                lastCraving = presenter.response.value
            }
            "fire_alarms" -> {
                val now = phone.clock.now.toEpochMilli()
                phone.scheduler.held().filter { it.fireAtMs <= now }.sortedBy { it.fireAtMs }
                    .forEach { live().reminderFired(it.id) }
            }
            "notification_action" -> {
                val id = resolve(s["reminder"].asString)
                val notice = phone.notifier.posted.lastOrNull { it.reminderId == id } ?: error("no notification $id was posted")
                val action = NotificationAction.fromKey(s["action"].asString) ?: error("unknown action ${s["action"]}")
                val logged = NotificationActions(live()).tapped(
                    TappedReminder(notice.reminderId, notice.kind, notice.subjectId),
                    action,
                    intensity = s["intensity"]?.asInt?.toUByte(),
                    snoozeMinutes = s.uint("minutes") ?: NotificationActions.DEFAULT_SNOOZE_MINUTES,
                )
                if (logged != null) lastCraving = logged
            }
            "confirm_dose" -> SchedulePresenter(live()).run {
                val medication = refs.getValue(s["medication"].asString)
                handle(ScheduleEvent.Dose(medication, s["due_local"].asString, DoseStatus.valueOf(s["status"].asString.uppercase())))
                problem.value?.let { error("dose refused: $it") }
            }
            "submit_phq9" -> CheckinsPresenter(live()).run {
                handle(CheckinsEvent.Phq9(s["answers"].asJsonArray.map { it.asInt.toUInt() }))
                problem.value?.let { error("PHQ-9 refused: $it") }
                lastQuestionnaire = submitted.value
            }
            "clinic_new_patient" -> patients[s["as"].asString] = needClinic().newPatient(s["name"].asString)
            "clinic_add_record" -> needClinic().addRecord(patient(s).id, s["kind"].asString, s["record"].asJsonObject)
            "enroll" -> ClinicPresenter(live()).run {
                // Scanned: the dashboard's QR link, read by the shell; typed: the two fields as they are.
                val typed = EnrollmentLink(patient(s).code, needClinic().url)
                val link = when (s["via"].asString) {
                    "scanned" -> EnrollmentLink.parse("steady://enroll?code=${typed.code}&server=${typed.serverUrl}")
                    else -> typed
                } ?: error("the scanned link was not read")
                handle(ClinicEvent.Enroll(link.code, link.serverUrl, "Scenario phone"))
                problem.value?.let { error("enrollment failed: $it") }
            }
            "grant_consent" -> ClinicPresenter(live()).run {
                handle(ClinicEvent.Grant(categories(s), s["signature"].asString, null))
                problem.value?.let { error("consent refused: $it") }
            }
            "revoke_consent" -> ClinicPresenter(live()).run {
                handle(ClinicEvent.Revoke(categories(s)))
                problem.value?.let { error("revocation refused: $it") }
            }
            "run_background_sync" -> {
                phone.backgroundSync.pending = false
                live().sync()
            }
            else -> error("unknown action $action")
        }
        session?.awaitIdle()
        session?.let { drainRefreshes(it) }
    }

    private fun drainRefreshes(s: SteadySession) {
        while (true) refreshed.add(s.refreshedByObserver.poll() ?: return)
    }

    private fun expect(expected: JsonObject) {
        for ((name, want) in expected.entrySet()) {
            val wanted = resolveAll(want)
            val seen = observe(name)
            val (matches, shown) = compare(name, wanted, seen)
            observed.add(
                JsonObject().apply {
                    addProperty("step", step)
                    addProperty("name", abstract(name))
                    add("value", abstractAll(shown))
                },
            )
            if (!matches) failures.add("step $step $name: expected $want, saw ${abstractAll(seen)}")
        }
        appliesSeen = phone.scheduler.applies.size
        postedSeen = phone.notifier.posted.size
        dismissedSeen = phone.notifier.dismissed.size
        refreshed.clear()
    }

    /** Whether [seen] satisfies [wanted], and the value to record (comparable across shells). */
    private fun compare(name: String, wanted: JsonElement, seen: JsonElement): Pair<Boolean, JsonElement> {
        if (name == "screens.refreshed_by_observer") {
            val want = wanted.asJsonArray.map { it.asString }.toSet()
            val got = seen.asJsonArray.map { it.asString }.toSet()
            return (got.containsAll(want)) to strings(want.intersect(got).sorted())
        }
        if (name in SETS && wanted.isJsonArray && seen.isJsonArray) {
            val want = wanted.asJsonArray.map { it.asString }.sorted()
            val got = seen.asJsonArray.map { it.asString }.sorted()
            return (want == got) to strings(got)
        }
        if (name == "alarms.set_kinds") {
            val want = wanted.asJsonObject.entrySet().associate { it.key to it.value.asInt }
            val got = seen.asJsonObject.entrySet().associate { it.key to it.value.asInt }
            return (want == got) to seen
        }
        return same(wanted, seen) to seen
    }

    private fun same(a: JsonElement, b: JsonElement): Boolean = when {
        a.isJsonPrimitive && b.isJsonPrimitive && a.asJsonPrimitive.isNumber && b.asJsonPrimitive.isNumber ->
            a.asDouble == b.asDouble
        else -> a == b
    }

    private fun observe(name: String): JsonElement {
        val s = live()
        val today = s.today.value
        return when {
            name == "key.creations" -> num(phone.keyVault.creations)
            name == "today.date" -> str(today?.date)
            name == "today.sync.phase" -> str(today?.sync?.phase?.name?.lowercase())
            name == "today.checkin_due" -> bool(today?.checkinDue)
            name == "today.doses_due_now" -> num(today?.dosesDueNow?.size)
            name == "today.questionnaires_due" -> strings(today?.questionnairesDue?.map { it.questionnaire.id } ?: emptyList())
            name == "today.next_session.title" -> str(today?.nextSession?.title)
            name == "crisis.calls" -> strings(s.crisisCard.value?.lines?.map { it.call } ?: emptyList())
            name == "progress.cravings_today" -> {
                val value = s.progress.value?.series?.firstOrNull { it.key == "cravings.count" }?.points?.lastOrNull()?.value
                if (value == null || value == 0.0) JsonNull.INSTANCE else num(value.toInt())
            }
            name == "schedule.sessions_this_week" -> num(
                s.scheduleWeek.value?.days?.sumOf { day -> day.sessions.count { it.occurrence.status != OccurrenceStatus.CANCELLED } },
            )
            name == "craving.response.crisis_card" -> bool(lastCraving?.let { it.crisisCard != null })
            name == "craving.response.strategies_offered" -> bool(lastCraving?.strategies?.isNotEmpty())
            name == "craving.response.offer_lapse" -> bool(lastCraving?.offerLapse)
            name == "questionnaire.response.crisis_card" -> bool(lastQuestionnaire?.let { it.crisisCard != null })
            name == "clinic.enrolled" -> bool(s.clinic.value?.let { it.enrollment !is EnrollmentState.NotEnrolled })
            name == "clinic.clinic_name" -> str((s.clinic.value?.enrollment as? EnrollmentState.Enrolled)?.clinicName)
            name == "clinic.consent_categories" -> num(s.clinic.value?.consents?.size)
            name == "clinic.consent_elements_each" ->
                num(s.clinic.value?.consents?.map { it.elements.size }?.distinct()?.singleOrNull())
            name.startsWith("clinic.consent.") -> {
                val category = name.removePrefix("clinic.consent.")
                str(s.clinic.value?.consents?.firstOrNull { it.category.name.lowercase() == category }?.state?.name?.lowercase())
            }
            name.startsWith("clinic.received.") ->
                num(needClinic().received(patients.values.single().id, name.removePrefix("clinic.received.")))
            name == "sync.last.held" -> num(s.lastSync.value?.held?.toInt())
            name == "sync.last.clinic_changes" -> num(s.lastSync.value?.clinicChanges?.toInt())
            name == "background_sync.pending" -> bool(phone.backgroundSync.pending)
            name == "screens.refreshed_by_observer" -> strings(refreshed.mapNotNull { SCREEN_NAMES[it] }.sorted())
            name == "alarms.held" -> strings(phone.scheduler.alarms.keys.toList())
            name == "alarms.held_count" -> num(phone.scheduler.alarms.size)
            name == "alarms.cancelled" -> strings(newApplies().flatMap { it.first })
            name == "alarms.set" -> strings(newApplies().flatMap { it.second }.map { it.id })
            name == "alarms.set_kinds" -> JsonObject().apply {
                newApplies().flatMap { it.second }.groupingBy { it.kind.name.lowercase() }.eachCount()
                    .forEach { (kind, count) -> addProperty(kind, count) }
            }
            name.startsWith("alarm.fire_at:") -> str(
                phone.scheduler.alarms[resolve(name.removePrefix("alarm.fire_at:"))]?.let {
                    Instant.ofEpochMilli(it.fireAtMs).truncatedTo(ChronoUnit.SECONDS).toString()
                },
            )
            name.startsWith("alarm.title:") -> str(phone.scheduler.alarms[resolve(name.removePrefix("alarm.title:"))]?.title)
            name == "notifications.posted" -> strings(phone.notifier.posted.drop(postedSeen).map { it.reminderId })
            name == "notifications.dismissed" -> strings(phone.notifier.dismissed.drop(dismissedSeen))
            name == "notification.last.title" -> str(phone.notifier.posted.lastOrNull()?.title)
            name == "notification.last.body" -> str(phone.notifier.posted.lastOrNull()?.body)
            name == "notification.last.lock_screen" -> str(phone.notifier.posted.lastOrNull()?.lockScreen?.name?.lowercase())
            name == "notification.last.actions" -> strings(phone.notifier.posted.lastOrNull()?.actions?.map { it.key } ?: emptyList())
            name == "notification.last.actions_needing_unlock" ->
                strings(phone.notifier.posted.lastOrNull()?.actions?.filter { it.needsUnlock }?.map { it.key } ?: emptyList())
            name == "reminders.last_fired.late_minutes" -> num(s.lastFiring.value?.lateMinutes?.toInt())
            name == "reminders.late_recently" -> bool(s.settings.value?.delivery?.lateRecently)
            name == "settings.late_reminder_guidance" -> bool(s.settings.value?.showLateReminderGuidance)
            else -> error("unknown observation $name")
        }
    }

    private fun newApplies() = phone.scheduler.applies.drop(appliesSeen)

    private fun needClinic(): TestClinic = clinic ?: error("this step needs the test clinic")
    private fun patient(s: JsonObject) = patients.getValue(s["patient"].asString)
    private fun categories(s: JsonObject) = s["categories"].asJsonArray.map { ConsentCategory.valueOf(it.asString.uppercase()) }

    private fun resolve(text: String): String =
        refs.entries.fold(text) { acc, (name, id) -> acc.replace("{$name}", id) }

    private fun abstract(text: String): String =
        refs.entries.fold(text) { acc, (name, id) -> acc.replace(id, "{$name}") }

    private fun resolveAll(e: JsonElement): JsonElement = map(e, ::resolve)
    private fun abstractAll(e: JsonElement): JsonElement = map(e, ::abstract)

    private fun map(e: JsonElement, f: (String) -> String): JsonElement = when {
        e.isJsonPrimitive && e.asJsonPrimitive.isString -> str(f(e.asString))
        e.isJsonArray -> JsonArray().apply { e.asJsonArray.forEach { add(map(it, f)) } }
        else -> e
    }

    override fun close() {
        session?.close()
        dir.deleteRecursively()
    }

    companion object {
        private val SETS = setOf(
            "alarms.held", "alarms.cancelled", "alarms.set", "notifications.posted", "notifications.dismissed",
        )
        val SCREEN_NAMES = mapOf(
            Screen.TODAY to "today", Screen.PROGRESS to "progress", Screen.SCHEDULE_WEEK to "schedule",
            Screen.CLINIC to "clinic", Screen.CHECK_INS to "checkins", Screen.SETTINGS to "settings",
            Screen.COPING_PLAN to "coping", Screen.CRAVING_FORM to "craving_form",
        )
    }
}

private fun JsonObject.str(name: String): String? = get(name)?.takeUnless { it.isJsonNull }?.asString
private fun JsonObject.uint(name: String): UInt? = get(name)?.takeUnless { it.isJsonNull }?.asInt?.toUInt()
private fun JsonObject.uints(name: String): List<UInt>? = get(name)?.asJsonArray?.map { it.asInt.toUInt() }

private fun str(value: String?): JsonElement = value?.let { com.google.gson.JsonPrimitive(it) } ?: JsonNull.INSTANCE
private fun num(value: Int?): JsonElement = value?.let { com.google.gson.JsonPrimitive(it) } ?: JsonNull.INSTANCE
private fun bool(value: Boolean?): JsonElement = value?.let { com.google.gson.JsonPrimitive(it) } ?: JsonNull.INSTANCE
private fun strings(values: List<String>): JsonElement = JsonArray().apply { values.forEach { add(it) } }
