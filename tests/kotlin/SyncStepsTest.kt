// Clinic sync from Kotlin without blocking a thread on the network: the core's
// sync steps (SteadySync) over the JVM's asynchronous HttpClient, suspended in
// coroutines, against the real steady-clinic server scripts/test.sh starts.
package app.steady.tests

import app.steady.core.TransportException
import app.steady.core.model.ChangeArea
import app.steady.core.model.ConsentCategory
import app.steady.core.model.ConsentGrant
import app.steady.core.model.EnrollmentState
import app.steady.core.model.HttpHeader
import app.steady.core.model.HttpRequest
import app.steady.core.model.HttpResponse
import app.steady.core.model.NewCraving
import app.steady.core.model.Screen
import app.steady.core.model.SyncPhase
import app.steady.core.model.WaitReason
import app.steady.sync.SteadySync
import app.steady.sync.SuspendingTransport
import java.net.ServerSocket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest.BodyPublishers
import java.net.http.HttpResponse.BodyHandlers
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

/** The JVM's asynchronous HTTP client: sendAsync + await suspends, no thread waits. */
class AsyncHttpTransport : SuspendingTransport {
    private val client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    val threadsUsed = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()

    override suspend fun send(request: HttpRequest): HttpResponse {
        val builder = java.net.http.HttpRequest.newBuilder(URI(request.url))
            .timeout(Duration.ofMillis(request.timeoutMs.toLong()))
            .method(request.method, if (request.method == "GET") BodyPublishers.noBody() else BodyPublishers.ofByteArray(request.body))
        request.headers.forEach { builder.header(it.name, it.value) }
        val answer = try {
            client.sendAsync(builder.build(), BodyHandlers.ofByteArray()).await()
        } catch (e: HttpTimeoutException) {
            throw TransportException.Timeout("no answer within ${request.timeoutMs} ms")
        } catch (e: java.io.IOException) {
            throw TransportException.Network(e.javaClass.simpleName)
        }
        threadsUsed.add(Thread.currentThread().name)
        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
        return HttpResponse(answer.statusCode().toUShort(), headers, answer.body())
    }
}

class SyncStepsTest {
    private val url = property("steady.clinic.url")
    private val staff = StaffClient(url, property("steady.staff.email"), property("steady.staff.password"))
    private val http = AsyncHttpTransport()

    @Test
    fun `a suspended sync brings the clinic's message and the listener hears it`() =
        withDb("2027-01-04T15:00:00Z", "America/New_York") { db ->
            runBlocking {
                val (patient, code) = staff.newPatient("Sam Rivera")
                val enrolled = SteadySync.enroll(db.steady, code, url, http, "JVM coroutine test")
                assertEquals("Riverside IOP", enrolled.clinicName)
                db.steady.grantConsent(ConsentGrant(listOf(ConsentCategory.CRAVINGS), signature = "Sam Rivera"))
                val craving = db.steady.logCraving(NewCraving(intensity = 6u))
                staff.message(patient, "See you Monday")

                val collect = Collect()
                db.steady.observe(collect).use {
                    val report = SteadySync.sync(db.steady, http)
                    assertEquals(2u, report.applied, "the consent and the craving")
                    assertEquals(1u, report.clinicChanges)
                    assertTrue(ChangeArea.CLINIC in collect.areas(), "the pulled message is signalled")
                    assertTrue(collect.seen.any { Screen.TODAY in it.screens })
                }
                assertTrue(staff.records(patient).contains(craving.id))

                val clinic = db.steady.clinicScreen()
                val enrollment = clinic.enrollment as EnrollmentState.Enrolled
                assertEquals(Instant.parse("2027-01-04T15:00:00Z"), enrollment.enrolledAt)
                assertEquals(listOf("See you Monday"), clinic.messages.map { it.body })
                assertEquals(1, clinic.shared.size)
                assertEquals(SyncPhase.IDLE, clinic.sync.phase)
                assertEquals(Instant.parse("2027-01-04T15:00:00Z"), clinic.sync.lastSuccess)
                assertEquals(1u, db.steady.today().unreadMessages)
                db.steady.markClinicMessagesRead()
                assertEquals(0u, db.steady.today().unreadMessages)
                assertTrue(http.threadsUsed.isNotEmpty())
            }
        }

    @Test
    fun `an unreachable clinic leaves the sync state offline with what waits and why`() =
        withDb("2027-01-04T15:00:00Z", "Europe/London") { db ->
            runBlocking {
                val (_, code) = staff.newPatient("Alex Doe")
                SteadySync.enroll(db.steady, code, url, http)
                db.steady.logCraving(NewCraving(intensity = 3u))
                val closed = ServerSocket(0).use { it.localPort }
                val unreachable = SuspendingTransport { request ->
                    http.send(request.copy(url = request.url.replace(url, "http://127.0.0.1:$closed")))
                }
                assertFailsWith<app.steady.core.SteadyException.SyncUnavailable> {
                    SteadySync.sync(db.steady, unreachable)
                }
                val state = db.steady.syncState()
                assertEquals(SyncPhase.OFFLINE, state.phase)
                assertEquals(WaitReason.NO_CONSENT, state.waiting.single().reason)
            }
        }
}
