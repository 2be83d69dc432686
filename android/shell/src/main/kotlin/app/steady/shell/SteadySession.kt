// The one owner of the core handle. Every core call runs on a single background
// thread ("steady-core"), so calls never overlap and the main thread never waits
// on SQLite. Each screen is a StateFlow of the record the core decided; the core's
// change listener says which screens are stale after every committed write (local
// or from sync) and the session refreshes exactly those, replans the reminders when
// told to, and asks for a background sync when something consented is waiting.
// See docs/adr/0060-android-shell.md.
package app.steady.shell

import app.steady.core.ChangeListener
import app.steady.core.ListenerHandle
import app.steady.core.Steady
import app.steady.core.crisisCardWithoutDatabase
import app.steady.core.diffReminders
import app.steady.core.reloadTimeZoneRules
import app.steady.core.model.ChangeArea
import app.steady.core.model.ChangeSet
import app.steady.core.model.CheckinsScreen
import app.steady.core.model.ClinicScreen
import app.steady.core.model.CopingPlan
import app.steady.core.model.CravingForm
import app.steady.core.model.CrisisCard
import app.steady.core.model.EnrollmentInfo
import app.steady.core.model.ProgressRange
import app.steady.core.model.ProgressScreen
import app.steady.core.model.ReminderDelivery
import app.steady.core.model.ReminderDiff
import app.steady.core.model.ReminderFiring
import app.steady.core.model.ScheduleWeek
import app.steady.core.model.Screen
import app.steady.core.model.SettingsScreen
import app.steady.core.model.SyncPhase
import app.steady.core.model.SyncReport
import app.steady.core.model.Today
import app.steady.core.model.WaitReason
import app.steady.sync.SteadySync
import java.time.Instant
import java.time.LocalDate
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext

/** The Settings screen with what only the phone knows: whether exact alarms are allowed. */
data class SettingsState(
    val screen: SettingsScreen,
    val delivery: ReminderDelivery,
    val exactAlarmsAllowed: Boolean,
) {
    /** Say that reminders may be late, with the way to the system setting. */
    val showLateReminderGuidance: Boolean get() = delivery.lateRecently || !exactAlarmsAllowed
}

/** Why the platform asks for a replan. */
enum class PlatformEvent(val droppedAlarms: Boolean) {
    BOOT_COMPLETED(true),
    PACKAGE_REPLACED(true),
    TIME_SET(false),
    TIMEZONE_CHANGED(false),

    /** Exact alarms were allowed or refused: every alarm is set again the new way. */
    EXACT_ALARMS_CHANGED(true),
}

class SteadySession private constructor(
    private val steady: Steady,
    val platform: Platform,
    private val executor: ExecutorService,
    databasePath: String,
) : AutoCloseable {
    private val dispatcher = executor.asCoroutineDispatcher()
    private val job = SupervisorJob()
    private val problemHandler = CoroutineExceptionHandler { _, e -> _problem.value = Problem.of(e) }
    private val scope = CoroutineScope(job + dispatcher + problemHandler)
    private val syncLock = Mutex()
    private var listener: ListenerHandle? = null

    private val _today = MutableStateFlow<Today?>(null)
    private val _cravingForm = MutableStateFlow<CravingForm?>(null)
    private val _checkins = MutableStateFlow<CheckinsScreen?>(null)
    private val _week = MutableStateFlow<ScheduleWeek?>(null)
    private val _progress = MutableStateFlow<ProgressScreen?>(null)
    private val _coping = MutableStateFlow<CopingPlan?>(null)
    // The crisis card never waits for a screen: the copy beside the database is there at once.
    private val _crisis = MutableStateFlow<CrisisCard?>(crisisCardWithoutDatabase(databasePath))
    private val _clinic = MutableStateFlow<ClinicScreen?>(null)
    private val _settings = MutableStateFlow<SettingsState?>(null)
    private val _lastSync = MutableStateFlow<SyncReport?>(null)
    private val _lastFiring = MutableStateFlow<ReminderFiring?>(null)
    private val _problem = MutableStateFlow<Problem?>(null)

    val today: StateFlow<Today?> = _today.asStateFlow()
    val cravingForm: StateFlow<CravingForm?> = _cravingForm.asStateFlow()
    val checkins: StateFlow<CheckinsScreen?> = _checkins.asStateFlow()
    val scheduleWeek: StateFlow<ScheduleWeek?> = _week.asStateFlow()
    val progress: StateFlow<ProgressScreen?> = _progress.asStateFlow()
    val copingPlan: StateFlow<CopingPlan?> = _coping.asStateFlow()
    val crisisCard: StateFlow<CrisisCard?> = _crisis.asStateFlow()
    val clinic: StateFlow<ClinicScreen?> = _clinic.asStateFlow()
    val settings: StateFlow<SettingsState?> = _settings.asStateFlow()
    val lastSync: StateFlow<SyncReport?> = _lastSync.asStateFlow()
    val lastFiring: StateFlow<ReminderFiring?> = _lastFiring.asStateFlow()

    /** The last failure of a background step, in words safe to show (never record content). */
    val problem: StateFlow<Problem?> = _problem.asStateFlow()

    @Volatile private var weekDay: LocalDate? = null
    @Volatile private var progressRange: ProgressRange = ProgressRange.LastWeek

    /** Screens the change listener refreshed, in order (read by tests and diagnostics). */
    internal val refreshedByObserver = ConcurrentLinkedQueue<Screen>()

    companion object {
        /**
         * Opens the database at [databasePath] with the vault's key and starts the session:
         * every screen loaded, the reminder plan applied, and a sync when enrolled.
         * Throws what `Steady.open` throws (wrong key, damaged database: show
         * `crisisCardWithoutDatabase` and never delete the file) or [KeyLostException].
         */
        suspend fun open(databasePath: String, platform: Platform): SteadySession {
            val executor = Executors.newSingleThreadExecutor { task -> Thread(task, "steady-core").apply { isDaemon = true } }
            val steady = try {
                withContext(executor.asCoroutineDispatcher()) {
                    Steady.open(databasePath, platform.keyVault.databaseKey(), platform.clock)
                }
            } catch (e: Throwable) {
                executor.shutdown()
                throw e
            }
            return SteadySession(steady, platform, executor, databasePath).also { it.start() }
        }
    }

    private fun start() {
        listener = steady.observe(object : ChangeListener {
            // Called on the writing thread after the commit: queue, never work here.
            override fun onChange(changes: ChangeSet) {
                scope.launch { onChanges(changes) }
            }
        })
        scope.launch {
            // One screen that cannot load must not keep the others (or the crisis card) away.
            Screen.entries.forEach(::refreshSafely)
            if (steady.syncState().phase != SyncPhase.NOT_ENROLLED) {
                platform.backgroundSync.schedulePeriodic()
                scope.launch { sync() }
            }
        }
    }

    private fun onChanges(changes: ChangeSet) {
        for (screen in changes.screens) {
            refreshSafely(screen)
            if (screen != Screen.REMINDER_PLAN) refreshedByObserver.add(screen)
        }
        if (ChangeArea.SYNC in changes.areas) askForSyncIfWaiting()
    }

    /** A write that left something consented waiting gets a background sync soon. */
    private fun askForSyncIfWaiting() {
        val state = steady.syncState()
        val enrolledIdle = state.phase != SyncPhase.NOT_ENROLLED && state.phase != SyncPhase.RUNNING
        if (enrolledIdle && state.waiting.any { it.reason == WaitReason.NEXT_SYNC }) {
            platform.backgroundSync.requestOneOff()
        }
    }

    private fun refreshSafely(screen: Screen) {
        runCatching { refreshNow(screen) }.onFailure { _problem.value = Problem.of(it) }
    }

    private fun refreshNow(screen: Screen) {
        when (screen) {
            Screen.TODAY -> {
                val today = steady.today()
                _today.value = today
                _crisis.value = today.crisisCard
            }
            Screen.CRAVING_FORM -> _cravingForm.value = steady.cravingForm()
            Screen.CHECK_INS -> _checkins.value = steady.checkinsScreen()
            Screen.SCHEDULE_WEEK -> _week.value = steady.scheduleWeek(weekDay)
            Screen.PROGRESS -> _progress.value = steady.progressScreen(progressRange)
            Screen.COPING_PLAN -> {
                _coping.value = steady.copingPlan()
                _crisis.value = steady.crisisCard()
            }
            Screen.CLINIC -> _clinic.value = steady.clinicScreen()
            Screen.SETTINGS -> _settings.value = SettingsState(
                steady.settingsScreen(),
                steady.reminderDelivery(),
                platform.scheduler.exactAlarmsAllowed(),
            )
            Screen.REMINDER_PLAN -> applyPlanNow()
        }
    }

    private fun applyPlanNow(): ReminderDiff {
        val planned = steady.planReminders()
        val diff = diffReminders(platform.scheduler.held(), planned)
        platform.scheduler.apply(diff.cancel, diff.add)
        return diff
    }

    /** Runs [block] with the core on the core thread. Writes are signalled to the screens after commit. */
    suspend fun <T> call(block: (Steady) -> T): T = withContext(dispatcher) { block(steady) }

    /** Shows the schedule week holding [day] (null: this week). */
    suspend fun showWeek(day: LocalDate?) = withContext(dispatcher) {
        weekDay = day
        refreshNow(Screen.SCHEDULE_WEEK)
    }

    /** Shows progress over [range]. */
    suspend fun showProgress(range: ProgressRange) = withContext(dispatcher) {
        progressRange = range
        refreshNow(Screen.PROGRESS)
    }

    /** Plans the reminders and hands the platform exactly the diff against what it holds. */
    suspend fun applyReminderPlan(): ReminderDiff = withContext(dispatcher) { applyPlanNow() }

    /**
     * Boot, app update, time or zone change: alarms may be gone and every date may have moved.
     * The zone rules are read again first: a tz data update from the system may have moved a
     * zone's clocks.
     */
    suspend fun platformEvent(event: PlatformEvent) = withContext(dispatcher) {
        if (event.droppedAlarms) platform.scheduler.droppedAll()
        reloadTimeZoneRules()
        applyPlanNow()
        Screen.entries.filter { it != Screen.REMINDER_PLAN }.forEach(::refreshSafely)
    }

    /**
     * The alarm for [reminderId] fired: records when (the core measures lateness), posts the
     * notification with the core's text and the kind's actions. Null for an alarm no longer held.
     */
    suspend fun reminderFired(reminderId: String): ReminderFiring? = withContext(dispatcher) {
        val reminder = platform.scheduler.held().firstOrNull { it.id == reminderId } ?: return@withContext null
        platform.scheduler.fired(reminderId)
        val firing = steady.recordReminderFired(reminderId, Instant.ofEpochMilli(reminder.fireAtMs), null)
        platform.notifier.post(
            ReminderNotice(
                reminder.id,
                reminder.kind,
                reminder.subjectId,
                reminder.title,
                reminder.body,
                NotificationAction.forKind(reminder.kind),
            ),
        )
        _lastFiring.value = firing
        firing
    }

    /** Pushes what is consented and pulls the clinic's changes; then replans the reminders. */
    suspend fun sync(): SyncReport = syncLock.withLock {
        withContext(dispatcher) {
            val report = SteadySync.sync(steady, platform.transport)
            _lastSync.value = report
            applyPlanNow()
            report
        }
    }

    /** Redeems the clinic's code (typed or scanned), then syncs and keeps syncing in the background. */
    suspend fun enroll(code: String, serverUrl: String, deviceName: String?): EnrollmentInfo {
        val info = withContext(dispatcher) {
            SteadySync.enroll(steady, code.trim(), serverUrl.trim(), platform.transport, deviceName)
        }
        platform.backgroundSync.schedulePeriodic()
        sync()
        return info
    }

    /** Waits until every queued refresh, replan and sync has finished (tests, background work). */
    suspend fun awaitIdle() {
        while (true) {
            val running = job.children.filter { it.isActive }.toList()
            if (running.isEmpty()) {
                withContext(dispatcher) {}
                if (job.children.none { it.isActive }) return
            } else {
                running.joinAll()
            }
        }
    }

    /** Stops listening and closes the database; the session cannot be used afterwards. */
    override fun close() {
        listener?.close()
        scope.cancel()
        executor.submit { steady.closeDatabase() }.get()
        executor.shutdown()
    }
}
