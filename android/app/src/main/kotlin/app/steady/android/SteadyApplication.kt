// The app process: builds the platform adapters once and opens the one
// SteadySession lazily (an alarm receiver may be the first to need it). The
// database, its contacts copy and the wrapped key live in no_backup/steady/, which
// Android never backs up or transfers.
package app.steady.android

import android.app.Application
import android.content.BroadcastReceiver
import android.content.Context
import android.util.Log
import app.steady.android.platform.KeystoreKeyVault
import app.steady.android.platform.PlatformTransport
import app.steady.android.platform.SystemPhoneClock
import app.steady.android.platform.WorkManagerSync
import app.steady.android.reminders.AlarmScheduler
import app.steady.android.reminders.ReminderNotifier
import app.steady.shell.Platform
import app.steady.shell.Problem
import app.steady.shell.SteadySession
import java.io.File
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

class SteadyApplication : Application() {
    lateinit var platform: Platform
        private set

    /**
     * Work that must outlive a receiver's onReceive (with goAsync) or a screen. A failure is
     * logged by its kind only (never record content) and shown on next launch.
     */
    val appScope = CoroutineScope(
        SupervisorJob() + Dispatchers.Default + CoroutineExceptionHandler { _, e ->
            Log.w("Steady", "background step failed: ${Problem.of(e).kind}")
        },
    )

    private val sessionLock = Mutex()
    private var session: SteadySession? = null

    val databaseFile: File by lazy { File(noBackupFilesDir, "steady/steady.db").also { it.parentFile?.mkdirs() } }

    override fun onCreate() {
        super.onCreate()
        ReminderNotifier.createChannels(this)
        platform = Platform(
            clock = SystemPhoneClock,
            keyVault = KeystoreKeyVault(File(noBackupFilesDir, "steady/key.wrapped"), databaseFile),
            scheduler = AlarmScheduler(this),
            notifier = ReminderNotifier(this),
            transport = PlatformTransport,
            backgroundSync = WorkManagerSync(this),
        )
    }

    /** The session, opened on first use. Throws what opening throws (see MainActivity's failure screen). */
    suspend fun session(): SteadySession = sessionLock.withLock {
        session ?: SteadySession.open(databaseFile.absolutePath, platform).also { session = it }
    }

    /** After the patient agreed to start afresh: forget the failed session so the next call opens anew. */
    suspend fun forgetSession() = sessionLock.withLock {
        session?.close()
        session = null
    }
}

/** Runs [work] with the app after onReceive returns, keeping the receiver alive until it ends. */
fun BroadcastReceiver.finishInBackground(context: Context, work: suspend (SteadyApplication) -> Unit) {
    val app = context.applicationContext as SteadyApplication
    val pending = goAsync()
    app.appScope.launch {
        try {
            work(app)
        } finally {
            pending.finish()
        }
    }
}
