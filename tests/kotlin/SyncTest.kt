// Clinic sync from Kotlin over the Android transport (HttpURLConnection)
// against a real steady-clinic server that scripts/test.sh starts on loopback
// (scripts/test-clinic.sh passes its address as system properties).
package app.steady.tests

import app.steady.core.SteadyException
import app.steady.core.model.ConsentCategory
import app.steady.core.model.ConsentGrant
import app.steady.core.model.ConsentState
import app.steady.core.model.HttpRequest
import app.steady.core.model.NewCraving
import app.steady.core.TransportException
import app.steady.sync.HttpUrlConnectionTransport
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The clinic's staff API, just enough to set up and check a patient. */
class StaffClient(private val base: String, email: String, password: String) {
    private val token: String =
        field(call("POST", "/v1/staff/sessions", null, """{"email":"$email","password":"$password"}"""), "token")

    fun newPatient(name: String): Pair<String, String> {
        val patient = field(call("POST", "/v1/staff/patients", token, """{"name":"$name"}"""), "patient_id")
        val code = field(call("POST", "/v1/staff/patients/$patient/enrollment-codes", token, null), "code")
        return patient to code
    }

    fun message(patient: String, body: String): String = field(
        call("POST", "/v1/staff/patients/$patient/clinic-records/message", token, """{"from":"Dana","body":"$body"}"""),
        "record_id",
    )

    /** Writes a clinic record (`questionnaire`, `message`...) for the patient. */
    fun clinicRecord(patient: String, kind: String, json: String): String =
        field(call("POST", "/v1/staff/patients/$patient/clinic-records/$kind", token, json), "record_id")

    fun records(patient: String): String = call("GET", "/v1/staff/patients/$patient/records", token, null)

    private fun call(method: String, path: String, bearer: String?, body: String?): String {
        val c = URI(base + path).toURL().openConnection() as HttpURLConnection
        c.requestMethod = method
        c.setRequestProperty("Content-Type", "application/json")
        bearer?.let { c.setRequestProperty("Authorization", "Bearer $it") }
        if (body != null) {
            c.doOutput = true
            c.outputStream.use { it.write(body.toByteArray()) }
        }
        val status = c.responseCode
        val text = (if (status >= 400) c.errorStream else c.inputStream)?.use { it.readBytes().decodeToString() } ?: ""
        check(status in 200..299) { "$method $path: $status $text" }
        return text
    }

    private fun field(json: String, name: String): String =
        assertNotNull(Regex("\"$name\"\\s*:\\s*\"([^\"]+)\"").find(json), "$name in $json").groupValues[1]
}

internal fun property(name: String): String =
    assertNotNull(System.getProperty(name), "system property $name: run through scripts/test.sh, which starts the clinic")

class SyncTest {
    private val url = property("steady.clinic.url")
    private val staff = StaffClient(url, property("steady.staff.email"), property("steady.staff.password"))
    private val transport = HttpUrlConnectionTransport()

    @Test
    fun `a consented craving reaches the clinic and the clinic's message reaches the phone`() =
        withDb("2027-01-04T15:00:00Z", "America/New_York") { db ->
            val (patient, code) = staff.newPatient("Sam Rivera")
            val message = staff.message(patient, "See you Monday")
            val enrolled = db.steady.enroll(code, url, transport, "JVM test")
            assertEquals("Riverside IOP", enrolled.clinicName)

            val craving = db.steady.logCraving(NewCraving(intensity = 6u, note = "private"))
            val before = db.steady.sync(transport)
            assertEquals(1u, before.held)
            assertTrue(!staff.records(patient).contains(craving.id), "nothing leaves before consent")

            db.steady.grantConsent(ConsentGrant(listOf(ConsentCategory.CRAVINGS), signature = "Sam Rivera"))
            val report = db.steady.sync(transport)
            assertEquals(2u, report.applied, "the consent and the craving")
            assertEquals(emptyList(), report.rejected)
            val atClinic = staff.records(patient)
            assertTrue(atClinic.contains(craving.id))
            assertTrue(!atClinic.contains("private"), "notes stay on the phone without notes consent")

            val onPhone = db.steady.clinicRecords("message").map { it.recordId }
            assertEquals(listOf(message), onPhone)
            val cravings = db.steady.consentStatus().first { it.category == ConsentCategory.CRAVINGS }
            assertEquals(ConsentState.ACTIVE, cravings.state)
        }

    @Test
    fun `a code used twice is refused with the clinic's reason`() =
        withDb("2027-01-04T15:00:00Z", "Europe/London") { db ->
            val (_, code) = staff.newPatient("Alex Doe")
            db.steady.enroll(code, url, transport, null)
            val again = TestDb("2027-01-04T15:00:00Z", "Europe/London")
            again.use {
                val refused = assertFailsWith<SteadyException.SyncRefused> {
                    it.steady.enroll(code, url, transport, null)
                }
                assertEquals(410u.toUShort(), refused.status)
            }
        }

    @Test
    fun `an unreachable clinic is a retryable error and the transport reports a network failure`() =
        withDb("2027-01-04T15:00:00Z", "Europe/London") { db ->
            val closed = ServerSocket(0).use { it.localPort }
            assertFailsWith<SteadyException.SyncUnavailable> {
                db.steady.enroll("ABCD-EFGH", "http://127.0.0.1:$closed", transport, null)
            }
            assertFailsWith<TransportException.Network> {
                transport.send(HttpRequest("POST", "http://127.0.0.1:$closed/v1/enroll", emptyList(), ByteArray(0), 1000u))
            }
        }
}
