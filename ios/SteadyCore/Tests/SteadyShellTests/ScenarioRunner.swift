// Runs one scenario of the shared list (tests/scenarios/scenarios.json)
// through SteadySession and its screen models, with the real core and fakes
// only for the platform (notifications, Keychain, BGTaskScheduler, clock).
// Observations read what the models show now, never a fresh core call.
import ClinicStaff
import Foundation
import SteadyCore
import SteadyShell

/// The test clinic from the environment (scripts/test-clinic.sh), if any.
struct TestClinic {
    let url: String
    let staff: StaffClient

    static func fromEnvironment() -> TestClinic? {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["STEADY_CLINIC_URL"], let email = env["STEADY_STAFF_EMAIL"],
              let password = env["STEADY_STAFF_PASSWORD"],
              let staff = try? StaffClient(base: url, email: email, password: password) else { return nil }
        return TestClinic(url: url, staff: staff)
    }
}

struct ScenarioResult {
    var status = "pass"
    var reason: String?
    var failures: [String] = []
    var observed: [JSON] = []

    var json: JSON {
        .object([
            "status": .string(status), "reason": reason.map(JSON.string) ?? .null,
            "failures": .array(failures.map(JSON.string)), "observed": .array(observed),
        ])
    }
}

struct ScenarioFailure: Error, CustomStringConvertible {
    let description: String
}

@MainActor
final class ScenarioRun {
    private let scenario: JSON
    private let clinic: TestClinic?
    private var phone: TestPhone!
    private var session: SteadySession?
    /// Placeholder name → the id the core minted (or the clinic's patient id).
    private var names: [String: String] = [:]
    private var enrollmentCodes: [String: String] = [:]
    private var lastPatient: String?
    private var lastCraving: CravingLogged?
    private var phq9: Questionnaire?
    private var result = ScenarioResult()

    init(_ scenario: JSON, clinic: TestClinic?) {
        self.scenario = scenario
        self.clinic = clinic
    }

    func run() async -> ScenarioResult {
        if scenario["needs"]?.strings?.contains("clinic") == true, clinic == nil {
            result.status = "skipped"
            result.reason = "needs the test clinic (STEADY_CLINIC_URL): run through scripts/test-ios-shell.sh"
            return result
        }
        guard let now = scenario["clock"]?["now"]?.string, let zone = scenario["clock"]?["zone"]?.string else {
            return failed("the scenario has no clock")
        }
        phone = TestPhone(now, zone, transport: URLSessionTransport())
        // Steps are numbered from 1, as the Kotlin runner numbers them.
        for (offset, step) in (scenario["steps"]?.array ?? []).enumerated() {
            let index = offset + 1
            do {
                if let action = step["do"]?.string {
                    try await perform(action, step)
                } else if case .object(let expectations)? = step["expect"] {
                    await check(index, expectations)
                } else {
                    throw ScenarioFailure(description: "neither do nor expect")
                }
            } catch {
                result.failures.append("step \(index): \(error)")
                break
            }
        }
        await session?.close()
        if !result.failures.isEmpty {
            result.status = "fail"
            result.reason = result.failures.first
        }
        return result
    }

    private func failed(_ reason: String) -> ScenarioResult {
        result.status = "fail"
        result.reason = reason
        return result
    }

    private var screens: ScreenModels {
        get throws {
            guard let session else { throw ScenarioFailure(description: "the app is not launched") }
            return session.screens
        }
    }

    private func open() throws -> SteadySession {
        guard let session else { throw ScenarioFailure(description: "the app is not launched") }
        return session
    }

    // MARK: actions

    private func perform(_ action: String, _ step: JSON) async throws {
        switch action {
        case "launch":
            await session?.close()
            session = try await phone.open()
        case "set_clock":
            phone.clock.set(step["now"]?.string, zone: step["zone"]?.string)
        case "platform_event":
            try await platformEvent(step["event"]?.string ?? "")
        case "set_reminder_settings":
            try await setReminderSettings(step)
        case "add_medication":
            var input = NewMedication(name: step["name"]?.string ?? "", times: step["times"]?.strings ?? [])
            input.dose = step["dose"]?.string
            input.startDate = step["start_date"]?.string
            let doses = try screens.doses
            guard let medication = await doses.add(input) else {
                throw ScenarioFailure(description: doses.problem?.message ?? "not added")
            }
            name(step, medication.id)
        case "add_session_series":
            let schedule = try screens.schedule
            guard let series = await schedule.add(try sessionSeries(step)) else {
                throw ScenarioFailure(description: schedule.problem?.message ?? "not added")
            }
            name(step, series.id)
        case "log_craving":
            var craving = NewCraving(intensity: UInt8(step["intensity"]?.int ?? 0))
            craving.markedUnsafe = step["marked_unsafe"]?.bool ?? false
            craving.outcome = try step["outcome"]?.string.map(Self.outcome)
            craving.triggers = step["triggers"]?.strings ?? []
            // Today's row, the widget and the control all log through Today.
            let today = try screens.today
            await today.log(craving)
            if let problem = today.problem { throw ScenarioFailure(description: problem.message) }
            lastCraving = today.lastLogged
        case "fire_alarms":
            await phone.notifications.deliverDue(now: phone.clock.date)
            try await open().notificationsDelivered()
        case "notification_action":
            try await notificationAction(step)
        case "confirm_dose":
            try await confirmDose(step)
        case "submit_phq9":
            try await submitPhq9(step["answers"]?.array?.compactMap(\.int) ?? [])
        case "clinic_new_patient":
            let (patient, code) = try clinic!.staff.newPatient(step["name"]?.string ?? "")
            name(step, patient)
            enrollmentCodes[patient] = code
            lastPatient = patient
        case "clinic_add_record":
            let patient = try patientId(step)
            _ = try clinic!.staff.clinicRecord(
                patient, step["kind"]?.string ?? "", step["record"]?.foundation as? [String: Any] ?? [:])
        case "enroll":
            let patient = try patientId(step)
            // Typed: the code and the address; scanned: the dashboard's QR text.
            let clinicModel = try screens.clinic
            let code = enrollmentCodes[patient] ?? ""
            if step["via"]?.string == "scanned" {
                var link = URLComponents(string: "steady://enroll")!
                link.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "server", value: clinic!.url)]
                await clinicModel.enroll(scanned: link.string ?? "", deviceName: "iOS scenario")
            } else {
                await clinicModel.enroll(code: code, serverUrl: clinic!.url, deviceName: "iOS scenario")
            }
            if let problem = clinicModel.problem { throw ScenarioFailure(description: problem.message) }
        case "grant_consent":
            let clinicModel = try screens.clinic
            await clinicModel.grant(try categories(step), signature: step["signature"]?.string ?? "")
            if let problem = clinicModel.problem { throw ScenarioFailure(description: problem.message) }
        case "revoke_consent":
            let clinicModel = try screens.clinic
            await clinicModel.revoke(try categories(step))
            if let problem = clinicModel.problem { throw ScenarioFailure(description: problem.message) }
        case "run_background_sync":
            phone.refresh.syncPending = false
            _ = try await open().backgroundRefresh()
        default:
            throw ScenarioFailure(description: "unknown action \(action)")
        }
    }

    private func platformEvent(_ event: String) async throws {
        let session = try open()
        switch event {
        case "boot_completed", "package_replaced":
            await phone.notifications.dropAll()
            await session.refreshReminders()
        case "time_set", "timezone_changed":
            await session.clockChanged()
        default:
            throw ScenarioFailure(description: "unknown platform event \(event)")
        }
    }

    private func setReminderSettings(_ step: JSON) async throws {
        let model = try screens.settings
        guard var settings = model.screen.record?.reminders else {
            throw ScenarioFailure(description: "Settings shows no reminder settings")
        }
        if let days = step["horizon_days"]?.int { settings.horizonDays = UInt32(days) }
        if let leads = step["session_lead_minutes"]?.array { settings.sessionLeadMinutes = leads.compactMap(\.int).map { UInt32($0) } }
        if let lead = step["dose_lead_minutes"]?.int { settings.doseLeadMinutes = UInt32(lead) }
        if let followup = step["dose_followup_minutes"]?.int { settings.doseFollowupMinutes = UInt32(followup) }
        if let checkin = step["checkin_time"] { settings.checkinTime = checkin.string }
        if let detailed = step["detailed_text"]?.bool { settings.detailedText = detailed }
        await model.setReminders(settings)
        if let problem = model.problem { throw ScenarioFailure(description: problem.message) }
    }

    private func sessionSeries(_ step: JSON) throws -> SessionSeries {
        let weekdays = try (step["weekdays"]?.strings ?? []).map(Self.weekday)
        return SessionSeries(
            id: "", uid: nil, kind: try Self.sessionKind(step["kind"]?.string ?? ""), title: step["title"]?.string ?? "",
            location: nil, videoUrl: nil, timeZone: step["time_zone"]?.string ?? "",
            startLocal: step["start_local"]?.string ?? "", durationMin: UInt32(step["duration_minutes"]?.int ?? 0),
            recurrence: Recurrence(frequency: .weekly, interval: 1, weekdays: weekdays, until: nil, count: nil),
            changes: [], source: .patient)
    }

    private func notificationAction(_ step: JSON) async throws {
        let id = substitute(step["reminder"]?.string ?? "")
        guard let shown = await phone.notifications.everPosted[id] else {
            throw ScenarioFailure(description: "no notification \(id) was shown")
        }
        guard let action = NotificationAction(rawValue: step["action"]?.string ?? "") else {
            throw ScenarioFailure(description: "unknown action \(step["action"]?.string ?? "")")
        }
        let outcome = try await open().handle(
            action, reminder: shown.reminder, intensity: step["intensity"]?.int.map { UInt8($0) },
            snoozeFor: UInt32(step["minutes"]?.int ?? Int64(snoozeMinutes)))
        if case .cravingLogged(let logged) = outcome { lastCraving = logged }
    }

    private func confirmDose(_ step: JSON) async throws {
        let medication = try placeholder(step["medication"]?.string)
        let due = step["due_local"]?.string
        let status = try Self.doseStatus(step["status"]?.string ?? "")
        let doses = try screens.doses
        let shown = doses.days.record?.flatMap(\.doses).first {
            $0.dose.medicationId == medication && (due == nil || $0.dose.dueLocal == due)
        }
        guard let dose = shown else { throw ScenarioFailure(description: "Doses shows no dose \(due ?? "")") }
        await doses.confirm(dose, status)
        if let problem = doses.problem { throw ScenarioFailure(description: problem.message) }
    }

    private func submitPhq9(_ answers: [Int64]) async throws {
        let checkins = try screens.checkins
        if phq9 == nil {
            phq9 = checkins.screen.record?.due.first { $0.questionnaire.id == "phq9" }?.questionnaire
        }
        guard let phq9 else { throw ScenarioFailure(description: "Check-ins shows no PHQ-9") }
        let given = zip(phq9.items, answers).compactMap { item, answer -> QuestionnaireAnswer? in
            item.options.first { $0.weight == answer }.map {
                QuestionnaireAnswer(linkId: item.linkId, value: .choice(code: $0.code))
            }
        }
        await checkins.submit(questionnaireId: phq9.id, answers: given)
        if let problem = checkins.problem { throw ScenarioFailure(description: problem.message) }
    }

    // MARK: placeholders

    private func name(_ step: JSON, _ id: String) {
        if let name = step["as"]?.string { names[name] = id }
    }

    private func placeholder(_ name: String?) throws -> String {
        guard let name, let id = names[name] else { throw ScenarioFailure(description: "unknown name \(name ?? "")") }
        return id
    }

    private func patientId(_ step: JSON) throws -> String { try placeholder(step["patient"]?.string) }

    private func substitute(_ text: String) -> String {
        names.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    private func putBack(_ text: String) -> String {
        names.reduce(text) { $0.replacingOccurrences(of: $1.value, with: "{\($1.key)}") }
    }

    private func putBack(_ value: JSON) -> JSON {
        switch value {
        case .string(let text): return .string(putBack(text))
        case .array(let items): return .array(items.map(putBack))
        case .object(let fields): return .object(fields.mapValues(putBack))
        default: return value
        }
    }

    // MARK: expectations

    private func check(_ index: Int, _ expectations: [String: JSON]) async {
        let log = await phone.notifications.takeLog()
        let refreshed = await session?.takeObserverRefreshed() ?? []
        for (name, expected) in expectations.sorted(by: { $0.key < $1.key }) {
            do {
                var seen = try await observe(name, log: log, refreshed: refreshed)
                if name == "screens.refreshed_by_observer" {
                    // Must include the expected screens: recorded as the expected
                    // ones that were seen, so both shells' files compare equal.
                    let wanted = Set(expected.strings ?? [])
                    seen = .ids(Array(wanted.intersection(seen.strings ?? [])))
                }
                let observed = putBack(seen)
                result.observed.append(.object(["step": .int(Int64(index)), "name": .string(name), "value": observed]))
                if !matches(name, expected: expected, observed: observed) {
                    result.failures.append("step \(index) \(name): expected \(expected.text), saw \(observed.text)")
                }
            } catch {
                result.failures.append("step \(index) \(name): \(error)")
            }
        }
    }

    /// Exact equality; lists of ids compare as sets except where order is
    /// the point (README: questionnaires due, crisis calls, actions).
    private func matches(_ name: String, expected: JSON, observed: JSON) -> Bool {
        let ordered = ["today.questionnaires_due", "crisis.calls", "notification.last.actions"]
        if !ordered.contains(name), let want = expected.strings, let saw = observed.strings,
           expected.array?.count == want.count {
            return want.sorted() == saw.sorted()
        }
        return expected == observed
    }

    private func observe(
        _ name: String, log: (calls: [RecordingNotificationCenter.Call], posted: [PlannedNotification], dismissed: [String]),
        refreshed: Set<Screen>
    ) async throws -> JSON {
        let screens = try self.screens
        if name.hasPrefix("clinic.consent.") {
            let category = String(name.dropFirst("clinic.consent.".count))
            let card = screens.clinic.screen.record?.consents.first { Self.name(of: $0.category) == category }
            return card.map { .string(Self.name(of: $0.state)) } ?? .null
        }
        if name.hasPrefix("clinic.received.") {
            guard let clinic, let patient = lastPatient else { throw ScenarioFailure(description: "no clinic patient") }
            return .int(Int64(try clinic.staff.recordCount(patient, type: String(name.dropFirst("clinic.received.".count)))))
        }
        if name.hasPrefix("alarm.fire_at:") || name.hasPrefix("alarm.title:") {
            let id = substitute(String(name.drop { $0 != ":" }.dropFirst()))
            guard let held = await phone.notifications.pending[id] else { return .null }
            return name.hasPrefix("alarm.title:") ? .string(held.reminder.title) : .string(Self.utc(held.fireAt))
        }
        let today = screens.today.screen.record
        let last = await phone.notifications.lastPosted
        switch name {
        case "key.creations": return .int(Int64(phone.keychain.stores.count))
        case "today.date": return today.map { .string($0.date) } ?? .null
        case "today.checkin_due": return today.map { .bool($0.checkinDue) } ?? .null
        case "today.doses_due_now": return today.map { .int(Int64($0.dosesDueNow.count)) } ?? .null
        case "today.questionnaires_due": return .array((today?.questionnairesDue ?? []).map { .string($0.questionnaire.id) })
        case "today.next_session.title": return today?.nextSession.map { .string($0.title) } ?? .null
        case "today.sync.phase": return today.map { .string(Self.name(of: $0.sync.phase)) } ?? .null
        case "progress.cravings_today":
            let series = screens.progress.screen.record?.series.first { $0.key == "cravings.count" }
            guard let value = series?.points.last?.value, value > 0 else { return .null }
            return .number(value)
        case "schedule.sessions_this_week":
            let week = screens.schedule.screen.record
            return .int(Int64(week?.days.flatMap(\.sessions).filter { $0.occurrence.status != .cancelled }.count ?? 0))
        case "crisis.calls":
            let card = screens.crisis.raised ?? screens.crisis.card
            return .array((card?.lines ?? []).map { .string($0.call) })
        case "craving.response.crisis_card": return .bool(lastCraving?.crisisCard != nil)
        case "craving.response.strategies_offered": return .bool(!(lastCraving?.strategies.isEmpty ?? true))
        case "craving.response.offer_lapse": return .bool(lastCraving?.offerLapse ?? false)
        case "questionnaire.response.crisis_card": return .bool(screens.checkins.submitted?.crisisCard != nil)
        case "clinic.enrolled":
            guard let clinic = screens.clinic.screen.record else { return .null }
            if case .enrolled = clinic.enrollment { return .bool(true) }
            return .bool(false)
        case "clinic.clinic_name":
            if case .enrolled(let clinicName, _, _)? = screens.clinic.screen.record?.enrollment { return .string(clinicName) }
            return .null
        case "clinic.consent_categories": return .int(Int64(screens.clinic.screen.record?.consents.count ?? 0))
        case "clinic.consent_elements_each":
            let counts = Set((screens.clinic.screen.record?.consents ?? []).map(\.elements.count))
            return counts.count == 1 ? .int(Int64(counts.first!)) : .null
        case "sync.last.held": return await session?.lastSync.map { .int(Int64($0.held)) } ?? .null
        case "sync.last.clinic_changes": return await session?.lastSync.map { .int(Int64($0.clinicChanges)) } ?? .null
        case "background_sync.pending": return .bool(phone.refresh.syncPending)
        case "screens.refreshed_by_observer": return .ids(refreshed.map(Self.name(of:)))
        case "alarms.held": return .ids(Array(await phone.notifications.pending.keys))
        case "alarms.held_count": return .int(Int64(await phone.notifications.pending.count))
        case "alarms.cancelled":
            return .ids(Array(Set(log.calls.flatMap { if case .cancel(let ids) = $0 { return ids }; return [] })))
        case "alarms.set": return .ids(Array(Set(added(log.calls))))
        case "alarms.set_kinds":
            let kinds = Dictionary(grouping: added(log.calls)) { String($0.prefix { $0 != ":" }) }
            return .object(kinds.mapValues { .int(Int64($0.count)) })
        case "notifications.posted": return .ids(log.posted.map(\.id))
        case "notifications.dismissed": return .ids(log.dismissed)
        case "notification.last.title": return last.map { .string($0.reminder.title) } ?? .null
        case "notification.last.body": return last.map { .string($0.reminder.body) } ?? .null
        case "notification.last.lock_screen":
            guard let last else { return .null }
            let registered = await phone.notifications.categories.contains(last.category)
            // iOS hides the preview behind the category's neutral placeholder.
            return .string(registered && hiddenPreviewsPlaceholder == "Reminder" ? "secret" : "visible")
        case "notification.last.actions":
            return .array((last?.category.actions ?? []).map { .string($0.rawValue) })
        case "notification.last.actions_needing_unlock":
            return .ids((last?.category.actions ?? []).filter(\.recordsHealthData).map(\.rawValue))
        case "reminders.last_fired.late_minutes":
            return await session?.lastFiring.map { .int(Int64($0.lateMinutes)) } ?? .null
        case "reminders.late_recently": return screens.settings.delivery.map { .bool($0.lateRecently) } ?? .null
        case "settings.late_reminder_guidance": return .bool(screens.settings.showsLateReminderGuidance)
        default:
            throw ScenarioFailure(description: "unknown observation")
        }
    }

    private func added(_ calls: [RecordingNotificationCenter.Call]) -> [String] {
        calls.flatMap { if case .add(let ids) = $0 { return ids }; return [] }
    }

    // MARK: names of the core's values, as the scenario file writes them

    static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func name(of screen: Screen) -> String {
        switch screen {
        case .today: return "today"
        case .cravingForm: return "craving_form"
        case .checkIns: return "checkins"
        case .scheduleWeek: return "schedule"
        case .progress: return "progress"
        case .copingPlan: return "coping"
        case .clinic: return "clinic"
        case .settings: return "settings"
        case .reminderPlan: return "reminder_plan"
        }
    }

    static func name(of phase: SyncPhase) -> String {
        switch phase {
        case .notEnrolled: return "not_enrolled"
        case .idle: return "idle"
        case .running: return "running"
        case .offline: return "offline"
        case .needsAttention: return "needs_attention"
        }
    }

    static func name(of state: ConsentState) -> String {
        switch state {
        case .notGranted: return "not_granted"
        case .active: return "active"
        case .expired: return "expired"
        case .revoked: return "revoked"
        }
    }

    static let categoryNames: [(ConsentCategory, String)] = [
        (.attendance, "attendance"), (.medication, "medication"), (.cravings, "cravings"),
        (.checkins, "checkins"), (.lapses, "lapses"), (.notes, "notes"), (.messages, "messages"),
    ]

    static func name(of category: ConsentCategory) -> String {
        categoryNames.first { $0.0 == category }?.1 ?? "\(category)"
    }

    private func categories(_ step: JSON) throws -> [ConsentCategory] {
        try (step["categories"]?.strings ?? []).map { wanted in
            guard let category = Self.categoryNames.first(where: { $0.1 == wanted })?.0 else {
                throw ScenarioFailure(description: "unknown consent category \(wanted)")
            }
            return category
        }
    }

    static func outcome(_ name: String) throws -> CravingOutcome {
        switch name {
        case "passed": return .passed
        case "still_present": return .stillPresent
        case "used": return .used
        default: throw ScenarioFailure(description: "unknown outcome \(name)")
        }
    }

    static func doseStatus(_ name: String) throws -> DoseStatus {
        switch name {
        case "taken": return .taken
        case "skipped": return .skipped
        case "taken_late": return .takenLate
        default: throw ScenarioFailure(description: "unknown dose status \(name)")
        }
    }

    static func sessionKind(_ name: String) throws -> SessionKind {
        switch name {
        case "group": return .group
        case "individual": return .individual
        case "family": return .family
        case "other": return .other
        default: throw ScenarioFailure(description: "unknown session kind \(name)")
        }
    }

    static func weekday(_ name: String) throws -> Weekday {
        let days: [String: Weekday] = ["mon": .mon, "tue": .tue, "wed": .wed, "thu": .thu, "fri": .fri, "sat": .sat, "sun": .sun]
        guard let day = days[name] else { throw ScenarioFailure(description: "unknown weekday \(name)") }
        return day
    }
}
