// The one owner of Steady's core handle in the iOS app. Every call into the
// core runs on this actor (short local SQLite transactions, never on the main
// thread); after each call that wrote, the screens the core's change observer
// named are read again and handed to their @Observable models on the main
// actor. Sync and enrollment are the core's sans-IO steps over an async
// transport (ADR 0003): no thread waits on the network.
import Foundation
import SteadyCore

/// How launching went.
public enum Launch: Sendable {
    case ready(SteadySession)
    /// The database is there but cannot be opened (the key is missing after a
    /// restore to a new phone, the key does not fit, the file is damaged). The
    /// crisis card still works; the file is never deleted (docs/adr/0012).
    case cannotOpen(CannotOpen)
}

public struct CannotOpen: Sendable {
    public let databasePath: String
    public let problem: ShellProblem
    public let crisisCard: CrisisCard
    /// Only with the patient's agreement: renames the unreadable database
    /// aside, untouched, so that a new one can start (and a clinic's synced
    /// records come back after enrolling again).
    public func setAside(now: Date) throws -> String {
        try setAsideDatabase(path: databasePath, nowMs: Int64(now.timeIntervalSince1970 * 1000))
    }
}

public actor SteadySession {
    public nonisolated let screens: ScreenModels
    private let steady: Steady
    private let adapters: PlatformAdapters
    private let inbox = ChangeInbox()
    private var listener: ListenerHandle?
    private var lastSyncReport: SyncReport?
    /// The last delivery told to the core, with the lateness it measured.
    public private(set) var lastFiring: ReminderFiring?
    /// Deliveries already told to the core (reminder id and delivery time),
    /// for the last two days: shown notifications stay in Notification
    /// Center, so each is read many times.
    private var recordedDeliveries: [String: Date] = [:]
    private var week: LocalDate?
    private var progressRange: ProgressRange = .lastWeek

    /// How often the app asks to be woken to sync and refill the window.
    public static let refreshInterval: TimeInterval = 4 * 3600

    /// Opens (or creates) the database in `folder` and fills every screen.
    public static func launch(folder: URL, adapters: PlatformAdapters) async -> Launch {
        let path = folder.appendingPathComponent("steady.db").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try adapters.files.protect(folder: folder)
            let steady = try Steady.open(path: path, key: try databaseKey(adapters.keys, path), clock: adapters.clock)
            let screens = await MainActor.run { ScreenModels() }
            let session = SteadySession(steady: steady, adapters: adapters, screens: screens)
            await session.start()
            return .ready(session)
        } catch {
            return .cannotOpen(CannotOpen(
                databasePath: path, problem: ShellProblem(error),
                crisisCard: crisisCardWithoutDatabase(databasePath: path)))
        }
    }

    /// The key for the database at `path`: the stored one, or a new random
    /// one when neither key nor database exists yet. A database without its
    /// key (restored to a new phone: the key never leaves the device) is not
    /// opened with a new key; it is reported as such.
    static func databaseKey(_ keys: KeyVault, _ path: String) throws -> Data {
        if let key = try keys.readKey() { return key }
        if FileManager.default.fileExists(atPath: path) { throw ShellError.keyMissing }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        try keys.storeKey(key)
        return key
    }

    private init(steady: Steady, adapters: PlatformAdapters, screens: ScreenModels) {
        self.steady = steady
        self.adapters = adapters
        self.screens = screens
    }

    private func start() async {
        listener = steady.observe(listener: inbox)
        await adapters.notifications.register(NotificationCategory.allCases)
        await screens.attach(self)
        await refresh(Self.everyScreen)
        await notificationsDelivered()
        if isEnrolled { _ = try? await sync() }
        try? adapters.refresh.scheduleRefresh(earliest: now.addingTimeInterval(Self.refreshInterval))
    }

    var isEnrolled: Bool { ((try? steady.enrollment()) ?? nil) != nil }

    /// Stops listening and closes the database.
    public func close() {
        listener?.cancel()
        listener = nil
        steady.closeDatabase()
    }

    var now: Date { Date(timeIntervalSince1970: Double(adapters.clock.nowMs()) / 1000) }

    // MARK: screens

    static let everyScreen: [Screen] = [
        .today, .cravingForm, .checkIns, .scheduleWeek, .progress, .copingPlan, .clinic, .settings,
    ]

    /// Reads the named screens again and hands them to their models.
    func refresh(_ stale: [Screen]) async {
        for screen in stale {
            switch screen {
            case .today:
                let state = read { try steady.today() }
                await MainActor.run { screens.today.show(state) }
            case .cravingForm:
                let state = read { try steady.cravingForm() }
                await MainActor.run { screens.craving.show(state) }
            case .checkIns:
                let state = read { try steady.checkinsScreen() }
                await MainActor.run { screens.checkins.show(state) }
            case .scheduleWeek:
                let state = read { try steady.scheduleWeek(day: week) }
                let medications = read { try steady.medications() }
                await MainActor.run {
                    screens.schedule.show(state)
                    screens.doses.show(state, medications: medications)
                }
            case .progress:
                let state = read { try steady.progressScreen(range: progressRange) }
                await MainActor.run { screens.progress.show(state) }
            case .copingPlan:
                let state = read { try steady.copingPlan() }
                let card = steady.crisisCard()
                await MainActor.run {
                    screens.coping.show(state)
                    screens.crisis.show(card)
                }
            case .clinic:
                let state = read { try steady.clinicScreen() }
                let notice = steady.messagingNotice()
                await MainActor.run { screens.clinic.show(state, messagingNotice: notice) }
            case .settings:
                let state = read { try steady.settingsScreen() }
                let delivery = try? steady.reminderDelivery()
                let discretion = adapters.preferences.discretion()
                await MainActor.run { screens.settings.show(state, delivery: delivery, discretion: discretion) }
            case .reminderPlan:
                await refreshReminders()
            }
        }
    }

    private func read<T>(_ call: () throws -> T) -> Result<T, ShellProblem> {
        Result { try call() }.mapError(ShellProblem.init)
    }

    /// Runs one write, then refreshes what the core said changed (the reminder
    /// plan last). The write's error is rethrown after the refresh.
    private func write<T>(_ call: () throws -> T) async throws -> T {
        let result = Result { try call() }
        await settle()
        return try result.get()
    }

    private func settle() async {
        let stale = inbox.take()
        let screensToRead = Self.everyScreen.filter(stale.contains)
        observerRefreshed.formUnion(screensToRead)
        await refresh(screensToRead)
        if stale.contains(.reminderPlan) { await refreshReminders() }
        if !stale.isEmpty { requestSyncIfWaiting() }
    }

    /// Screens read again because the change observer named them, since the
    /// last call (for tests and diagnostics; no record content).
    private var observerRefreshed: Set<Screen> = []

    public func takeObserverRefreshed() -> Set<Screen> {
        defer { observerRefreshed = [] }
        return observerRefreshed
    }

    /// After a write that left consented records waiting for the next sync,
    /// asks the platform for a one-off sync (never for records held back for
    /// want of consent: those stay on the phone).
    private func requestSyncIfWaiting() {
        guard let state = try? steady.syncState(), state.waiting.contains(where: { $0.reason == .nextSync }) else { return }
        try? adapters.refresh.requestSync()
    }

    // MARK: events from the screens

    public func logCraving(_ input: NewCraving) async throws -> CravingLogged {
        try await write { try steady.logCravingWithSupport(input: input) }
    }

    public func amendCraving(id: String, change: CravingAmendment) async throws -> CravingLogged {
        try await write { try steady.amendCraving(id: id, change: change) }
    }

    public func logLapse(_ input: NewLapse) async throws -> LapseLogged {
        try await write { try steady.logLapse(input: input) }
    }

    public func recordDailyCheckin(_ input: NewDailyCheckIn) async throws -> DailyCheckIn {
        try await write { try steady.recordDailyCheckin(input: input) }
    }

    public func submitQuestionnaire(id: String, answers: [QuestionnaireAnswer]) async throws -> QuestionnaireSubmitted {
        try await write { try steady.submitQuestionnaire(questionnaireId: id, answers: answers) }
    }

    public func recordAttendance(occurrenceId: String, status: AttendanceStatus) async throws -> AttendanceRecord {
        try await write { try steady.recordAttendance(occurrenceId: occurrenceId, status: status) }
    }

    public func confirmDose(medicationId: String, status: DoseStatus, dueLocal: String?) async throws -> DoseConfirmation {
        try await write { try steady.confirmDose(medicationId: medicationId, status: status, dueLocal: dueLocal) }
    }

    public func addMedication(_ input: NewMedication) async throws -> Medication {
        try await write { try steady.addMedication(input: input) }
    }

    public func saveSessionSeries(_ series: SessionSeries) async throws -> SessionSeries {
        try await write { try steady.saveSessionSeries(series: series) }
    }

    public func showWeek(of day: LocalDate?) async {
        week = day
        await refresh([.scheduleWeek])
    }

    public func showProgress(_ range: ProgressRange) async {
        progressRange = range
        await refresh([.progress])
    }

    public func addToCopingPlan(_ section: PlanSection, text: String) async throws -> PlanEntry {
        try await write { try steady.addToCopingPlan(section: section, text: text) }
    }

    public func addSupportContact(name: String, phone: String) async throws -> SupportContact {
        try await write { try steady.addSupportContact(name: name, phone: phone) }
    }

    public func removeFromCopingPlan(id: String) async throws {
        try await write { try steady.removeFromCopingPlan(id: id) }
    }

    public func setStrongCravingThreshold(_ threshold: UInt8) async throws {
        try await write { try steady.setStrongCravingThreshold(threshold: threshold) }
    }

    public func grantConsent(_ grant: ConsentGrant) async throws -> [Consent] {
        try await write { try steady.grantConsent(grant: grant) }
    }

    public func revokeConsent(_ categories: [ConsentCategory]) async throws -> [Consent] {
        try await write { try steady.revokeConsent(categories: categories) }
    }

    public func markClinicMessagesRead() async throws {
        try await write { try steady.markClinicMessagesRead() }
    }

    public func sendMessage(_ body: String, inReplyTo: String?) async throws -> MessageSent {
        try await write { try steady.sendMessage(body: body, inReplyTo: inReplyTo) }
    }

    public func setReminderSettings(_ settings: ReminderSettings) async throws -> ReminderSettings {
        try await write { try steady.setReminderSettings(settings: settings) }
    }

    public func setProgramSettings(_ settings: ProgramSettings) async throws -> ProgramSettings {
        try await write { try steady.setProgramSettings(settings: settings) }
    }

    public func setTrackedSubstances(_ substances: [String]) async throws -> [String] {
        try await write { try steady.setTrackedSubstances(substances: substances) }
    }

    /// The patient's discretion switches. Turning time-sensitive reminders on
    /// or off changes how every pending notification is delivered, so the
    /// whole window is handed to the platform again (the core's plan is the
    /// same; only its delivery changed).
    public func setDiscretion(_ discretion: Discretion) async {
        let before = adapters.preferences.discretion()
        adapters.preferences.setDiscretion(discretion)
        if before.timeSensitiveReminders != discretion.timeSensitiveReminders {
            let held = await adapters.notifications.pendingReminders()
            await adapters.notifications.cancel(ids: held.map(\.id))
        }
        await refresh([.settings])
        await refreshReminders()
    }

    /// The crisis card: never fails, whatever the database's state.
    public nonisolated func crisisCard() -> CrisisCard {
        steady.crisisCard()
    }

    // MARK: clinic

    /// Redeems the clinic's code, then syncs (which brings the clinic's
    /// schedule and messages).
    public func enroll(code: String, serverUrl: String, deviceName: String?) async throws -> EnrollmentInfo {
        let session = try steady.startEnrollment(code: code, serverUrl: serverUrl, deviceName: deviceName)
        let answer: Result<HttpResponse, TransportError>
        do {
            answer = .success(try await adapters.transport.exchange(session.request()))
        } catch let error as TransportError {
            answer = .failure(error)
        }
        let info = try await write {
            switch answer {
            case .success(let response): return try session.receive(response: response)
            case .failure(let error): return try session.transportFailed(error: error)
            }
        }
        _ = try? await sync()
        return info
    }

    /// One sync: each step is a short transaction here; the network waits
    /// happen in the transport, off this actor's queue. Screens refresh as the
    /// steps commit, and the reminder window after the run.
    public func sync() async throws -> SyncReport {
        let run = try steady.startSync()
        while let request = try run.nextRequest() {
            await settle()
            do {
                let response = try await adapters.transport.exchange(request)
                try run.receive(response: response)
            } catch let error as TransportError {
                try run.transportFailed(error: error)
                break
            }
        }
        let report = try run.report()
        lastSyncReport = report
        await settle()
        await refreshReminders()
        return report
    }

    // MARK: reminders

    /// Plans the window, diffs it with what the platform holds, and applies
    /// only the difference (cancel first, then add). On launch, in background
    /// refresh, after each sync and whenever the core says the plan changed.
    @discardableResult
    public func refreshReminders() async -> ReminderDiff {
        let planned: [Reminder]
        do {
            var settings = try steady.reminderSettings()
            settings.cap = min(settings.cap, pendingNotificationWindow)
            planned = try steady.planRemindersWith(settings: settings)
        } catch {
            return ReminderDiff(cancel: [], add: [])
        }
        let held = await adapters.notifications.pendingReminders()
        let diff = diffReminders(held: held, planned: planned)
        let discretion = adapters.preferences.discretion()
        if !diff.cancel.isEmpty { await adapters.notifications.cancel(ids: diff.cancel) }
        if !diff.add.isEmpty {
            try? await adapters.notifications.add(diff.add.map { PlannedNotification($0, discretion: discretion) })
        }
        return diff
    }

    /// Tells the core when each reminder the platform showed was delivered,
    /// so that lateness is measured by the core, as on Android; then replans
    /// (a recorded firing changes the plan). Called when a notification is
    /// presented in the foreground (willPresent), on launch, on each return
    /// to the foreground and in background refresh.
    public func notificationsDelivered() async {
        let since = now.addingTimeInterval(-2 * 86_400)
        recordedDeliveries = recordedDeliveries.filter { $0.value > since }
        let shown = await adapters.notifications.delivered(since: since)
        var recorded = false
        for delivery in shown.sorted(by: { $0.deliveredAt < $1.deliveredAt }) {
            let key = "\(delivery.reminder.id) \(delivery.reminder.fireAtMs)"
            guard recordedDeliveries[key] == nil else { continue }
            recordedDeliveries[key] = delivery.deliveredAt
            recorded = true
            lastFiring = try? await write {
                try steady.recordReminderFired(
                    reminderId: delivery.reminder.id,
                    plannedAt: Date(timeIntervalSince1970: Double(delivery.reminder.fireAtMs) / 1000),
                    firedAt: min(delivery.deliveredAt, now))
            }
        }
        // The late-reminder guidance on Settings follows the firings.
        if recorded { await refresh([.settings]) }
        await refreshReminders()
    }

    /// A lock-screen action on one of Steady's notifications. Actions that
    /// record health data reach here only after the device was unlocked
    /// (their category asks for `.authenticationRequired`). The reminder is
    /// the one the notification carried (its userInfo); `intensity` is what
    /// the patient typed into Log craving's text field, if anything.
    public func handle(
        _ action: NotificationAction, reminder: Reminder, intensity: UInt8? = nil, snoozeFor minutes: UInt32 = snoozeMinutes
    ) async throws -> NotificationOutcome {
        await adapters.notifications.dismiss(ids: [reminder.id])
        switch action {
        case .taken:
            guard let dose = DoseReference(reminder.subjectId) else { throw ShellError.unknownReminder }
            _ = try await confirmDose(medicationId: dose.medicationId, status: .taken, dueLocal: dose.dueLocal)
            return .recorded
        case .imHere:
            _ = try await recordAttendance(occurrenceId: reminder.subjectId, status: .attended)
            return .recorded
        case .snooze:
            _ = try await write { try steady.snoozeReminder(id: reminder.id, minutes: minutes) }
            return .snoozed
        case .logCraving:
            guard let intensity else { return .openCravingForm }
            return .cravingLogged(try await logCraving(NewCraving(intensity: intensity)))
        }
    }

    // MARK: background

    /// Background app refresh: sync when enrolled, refill the reminder
    /// window, ask to be woken again. Returns false when something failed
    /// (the platform is told, and retries later).
    public func backgroundRefresh() async -> Bool {
        var ok = true
        await notificationsDelivered()
        if isEnrolled {
            do { _ = try await sync() } catch { ok = false }
        }
        try? adapters.refresh.scheduleRefresh(earliest: now.addingTimeInterval(Self.refreshInterval))
        return ok
    }

    /// The last sync's report (what was held back, what the clinic sent).
    public var lastSync: SyncReport? { lastSyncReport }

    /// The phone's clock or zone changed (UIApplication's
    /// significantTimeChangeNotification, NSSystemTimeZoneDidChange): replan;
    /// floating doses follow the phone, sessions keep their instant. The zone
    /// rules are read again first: an iOS update may have changed the tz data.
    public func clockChanged() async {
        _ = reloadTimeZoneRules()
        await refresh([.today, .scheduleWeek, .checkIns])
        await refreshReminders()
    }
}

/// What the app does after a notification action.
public enum NotificationOutcome: Sendable {
    case recorded
    case snoozed
    case openCravingForm
    case cravingLogged(CravingLogged)
}

/// A dose id, `<medication id>@<local due YYYY-MM-DDTHH:MM>` (docs/reminders.md).
struct DoseReference {
    let medicationId: String
    let dueLocal: String

    init?(_ doseId: String) {
        guard let at = doseId.lastIndex(of: "@") else { return nil }
        medicationId = String(doseId[..<at])
        dueLocal = String(doseId[doseId.index(after: at)...])
    }
}
