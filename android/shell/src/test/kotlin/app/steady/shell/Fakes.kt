// Fakes for the platform adapters only (never for the core): each records what the
// Android app would have asked AlarmManager, the Keystore, NotificationManager or
// WorkManager to do, so tests and scenarios can assert it. They outlive a session,
// as the phone outlives the app process.
package app.steady.shell

import app.steady.core.PhoneClock
import app.steady.core.model.Reminder
import app.steady.sync.HttpUrlConnectionTransport
import app.steady.sync.SuspendingTransport
import java.security.SecureRandom
import java.time.Instant
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

class FakeClock(var now: Instant, var zone: String) : PhoneClock {
    override fun nowMs(): Long = now.toEpochMilli()
    override fun timeZone(): String = zone
}

/** The Keystore-wrapped key file: created once, readable until the platform key is "lost". */
class FakeKeyVault : KeyVault {
    private var stored: ByteArray? = null
    var creations = 0
        private set
    var platformKeyLost = false

    override fun databaseKey(): ByteArray {
        if (platformKeyLost && stored != null) throw KeyLostException("the wrapping key is gone")
        return stored ?: create()
    }

    override fun replaceLostKey(): ByteArray {
        platformKeyLost = false
        return create()
    }

    private fun create(): ByteArray {
        creations++
        return ByteArray(32).also { SecureRandom().nextBytes(it); stored = it }
    }
}

/** AlarmManager as the app drives it: the held alarms and every apply asked of it. */
class FakeScheduler(var exactAllowed: Boolean = true) : ReminderScheduler {
    val alarms = linkedMapOf<String, Reminder>()
    /** Every apply, in order: what was cancelled and what was set. */
    val applies = mutableListOf<Pair<List<String>, List<Reminder>>>()
    var drops = 0

    override fun held(): List<Reminder> = alarms.values.toList()

    override fun apply(cancel: List<String>, set: List<Reminder>) {
        cancel.forEach { alarms.remove(it) }
        set.forEach { alarms[it.id] = it }
        applies.add(cancel to set)
    }

    override fun fired(id: String) {
        alarms.remove(id)
    }

    override fun droppedAll() {
        alarms.clear()
        drops++
    }

    override fun exactAlarmsAllowed(): Boolean = exactAllowed
}

class FakeNotifier : Notifier {
    val posted = mutableListOf<ReminderNotice>()
    val dismissed = mutableListOf<String>()
    override fun post(notice: ReminderNotice) {
        posted.add(notice)
    }
    override fun dismiss(reminderId: String) {
        dismissed.add(reminderId)
    }
}

/** WorkManager's unique one-off work: asked for or not; the test runs it. */
class FakeBackgroundSync : BackgroundSync {
    var pending = false
    var periodic = false
    var requests = 0
    override fun schedulePeriodic() {
        periodic = true
    }
    override fun requestOneOff() {
        pending = true
        requests++
    }
}

/** The real JVM transport, off the core thread as the app runs OkHttp/HttpURLConnection. */
val jvmTransport = SuspendingTransport { request ->
    withContext(Dispatchers.IO) { HttpUrlConnectionTransport().send(request) }
}

/** One phone: its clock and its platform, kept across app launches. */
class FakePhone(now: String, zone: String) {
    val clock = FakeClock(Instant.parse(now), zone)
    val keyVault = FakeKeyVault()
    val scheduler = FakeScheduler()
    val notifier = FakeNotifier()
    val backgroundSync = FakeBackgroundSync()
    val platform = Platform(clock, keyVault, scheduler, notifier, jvmTransport, backgroundSync)
}
