// Enrollment and sync without blocking a thread in the core: the core hands out
// each request and takes each answer (docs/adr/0003-sync-steps.md); the shell
// carries them with whatever suspending HTTP client it has (OkHttp's or the
// JVM's async client; HttpUrlConnectionTransport on Dispatchers.IO also works).
// Each core step is a short local transaction: call these from a background
// dispatcher, never the main thread.
package app.steady.sync

import app.steady.core.Steady
import app.steady.core.TransportException
import app.steady.core.model.EnrollmentInfo
import app.steady.core.model.HttpRequest
import app.steady.core.model.HttpResponse
import app.steady.core.model.SyncReport

/** Sends one request exactly as built by the core, suspending until the answer. */
fun interface SuspendingTransport {
    /** Any HTTP answer is returned; throws [TransportException] only when none came. */
    suspend fun send(request: HttpRequest): HttpResponse
}

object SteadySync {
    /** Redeems the clinic's enrollment code at [serverUrl]. */
    suspend fun enroll(
        steady: Steady,
        code: String,
        serverUrl: String,
        transport: SuspendingTransport,
        deviceName: String? = null,
    ): EnrollmentInfo {
        steady.startEnrollment(code, serverUrl, deviceName).use { session ->
            val response = try {
                transport.send(session.request())
            } catch (e: TransportException) {
                return session.transportFailed(e)
            }
            return session.receive(response)
        }
    }

    /** Pushes what the patient consented to share, then pulls the clinic's changes. */
    suspend fun sync(steady: Steady, transport: SuspendingTransport): SyncReport {
        // Closing the run at once (not at garbage collection) ends its
        // "running" sync state even when this coroutine is cancelled.
        steady.startSync().use { run ->
            while (true) {
                val request = run.nextRequest() ?: break
                val response = try {
                    transport.send(request)
                } catch (e: TransportException) {
                    run.transportFailed(e)
                    break
                }
                run.receive(response)
            }
            return run.report()
        }
    }
}
