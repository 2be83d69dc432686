// What the shell needs from the phone, as interfaces: the app module implements
// them over AlarmManager, the Keystore, NotificationManager, WorkManager and the
// platform HTTP client; the JVM tests implement them with fakes that record what
// the phone was asked to do. Nothing here decides a rule: the core does.
package app.steady.shell

import app.steady.core.PhoneClock
import app.steady.core.model.Reminder
import app.steady.core.model.ReminderKind
import app.steady.sync.SuspendingTransport

/** Holds the core's reminder plan as platform alarms (AlarmManager on Android). */
interface ReminderScheduler {
    /** The reminders the platform holds now (the app keeps this list itself: AlarmManager cannot list). */
    fun held(): List<Reminder>

    /**
     * Cancels [cancel] first, then sets [set]: exactly the core's diff. Called after every
     * replan, even with an empty diff.
     */
    fun apply(cancel: List<String>, set: List<Reminder>)

    /** The alarm [id] fired: the platform no longer holds it. */
    fun fired(id: String)

    /** The platform dropped every alarm (boot, app update): nothing is held any more. */
    fun droppedAll()

    /** Exact alarms are allowed (`canScheduleExactAlarms()`); otherwise they may be up to an hour late. */
    fun exactAlarmsAllowed(): Boolean
}

/** Gives the database key: 32 random bytes created once, wrapped by a key the platform never exports. */
interface KeyVault {
    /**
     * The key, created on first use. Throws [KeyLostException] when a stored key exists but
     * can no longer be unwrapped (restore to a new phone, OS reset of the Keystore).
     */
    fun databaseKey(): ByteArray

    /** Forgets the lost key and creates a new one (only after the patient agreed to start afresh). */
    fun replaceLostKey(): ByteArray
}

class KeyLostException(reason: String) : Exception(reason)

/** A notification the shell posts when a reminder fires. Text is the core's (discreet unless chosen). */
data class ReminderNotice(
    val reminderId: String,
    val kind: ReminderKind,
    val subjectId: String,
    val title: String,
    val body: String,
    val actions: List<NotificationAction>,
    val lockScreen: LockScreen = LockScreen.SECRET,
)

/**
 * How a notification shows on a locked screen. Steady's reminders are always secret
 * (Android `VISIBILITY_SECRET`, iOS hidden previews): even discreet text tells a
 * shoulder-surfer that something is scheduled. One place for the app to map it.
 */
enum class LockScreen { SECRET }

/** Actions on a reminder notification; all but [SNOOZE] record health data and need the device unlocked. */
enum class NotificationAction(val key: String, val needsUnlock: Boolean) {
    TAKEN("taken", true),
    SNOOZE("snooze", false),
    LOG_CRAVING("log_craving", true),
    IM_HERE("im_here", true),
    ;

    companion object {
        /** The same table as tests/scenarios/README.md, so both phones offer the same actions. */
        fun forKind(kind: ReminderKind): List<NotificationAction> = when (kind) {
            ReminderKind.SESSION -> listOf(IM_HERE, SNOOZE)
            ReminderKind.DOSE, ReminderKind.FOLLOWUP -> listOf(TAKEN, SNOOZE)
            ReminderKind.CHECKIN, ReminderKind.QUESTIONNAIRE -> listOf(LOG_CRAVING, SNOOZE)
        }

        fun fromKey(key: String): NotificationAction? = entries.firstOrNull { it.key == key }
    }
}

/** Posts and removes notifications (channels, lock-screen visibility and actions are the app's). */
interface Notifier {
    fun post(notice: ReminderNotice)
    fun dismiss(reminderId: String)
}

/** Runs sync in the background (WorkManager on Android: network constraint, backoff). */
interface BackgroundSync {
    /** Periodic sync while enrolled. */
    fun schedulePeriodic()

    /** One sync soon (unique work: asking twice keeps one). */
    fun requestOneOff()
}

/** Everything platform-specific a session uses. */
class Platform(
    val clock: PhoneClock,
    val keyVault: KeyVault,
    val scheduler: ReminderScheduler,
    val notifier: Notifier,
    val transport: SuspendingTransport,
    val backgroundSync: BackgroundSync,
)
