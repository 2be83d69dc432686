// Background sync with WorkManager: a periodic job while enrolled and a one-off
// job after a write that left something consented waiting, both only with a
// network and with exponential backoff. Unique names keep one of each.
package app.steady.android.platform

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import app.steady.android.SteadyApplication
import app.steady.core.model.SyncPhase
import app.steady.shell.BackgroundSync
import java.util.concurrent.TimeUnit

class WorkManagerSync(private val context: Context) : BackgroundSync {
    private val constraints = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    override fun schedulePeriodic() {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(6, TimeUnit.HOURS)
            .setConstraints(constraints)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 1, TimeUnit.MINUTES)
            .build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
    }

    override fun requestOneOff() {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(constraints)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(SOON, ExistingWorkPolicy.KEEP, request)
    }

    private companion object {
        const val PERIODIC = "steady-sync-periodic"
        const val SOON = "steady-sync-soon"
    }
}

/** One sync through the session; an offline ending is retried with WorkManager's backoff. */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val session = (applicationContext as SteadyApplication).session()
        session.sync()
        session.awaitIdle()
        val phase = session.call { it.syncState() }.phase
        return if (phase == SyncPhase.OFFLINE) Result.retry() else Result.success()
    }
}
