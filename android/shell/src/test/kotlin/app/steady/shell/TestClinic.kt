// The clinic side of the scenarios: the real steady-clinic server that
// scripts/test-android-shell.sh starts on loopback, driven through its staff API.
package app.steady.shell

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.net.HttpURLConnection
import java.net.URI

class TestClinic(val url: String, email: String, password: String) {
    data class Patient(val id: String, val code: String)

    private val token: String = call(
        "POST", "/v1/staff/sessions", null,
        JsonObject().apply { addProperty("email", email); addProperty("password", password) },
    )["token"].asString

    fun newPatient(name: String): Patient {
        val id = call("POST", "/v1/staff/patients", token, JsonObject().apply { addProperty("name", name) })["patient_id"].asString
        val code = call("POST", "/v1/staff/patients/$id/enrollment-codes", token, null)["code"].asString
        return Patient(id, code)
    }

    fun addRecord(patientId: String, kind: String, record: JsonObject) {
        call("POST", "/v1/staff/patients/$patientId/clinic-records/$kind", token, record)
    }

    /** Records of [recordType] the clinic holds for the patient (not deleted). */
    fun received(patientId: String, recordType: String): Int =
        call("GET", "/v1/staff/patients/$patientId/records", token, null)["records"].asJsonArray
            .map { it.asJsonObject }
            .count { it["record_type"].asString == recordType && !it["deleted"].asBoolean }

    private fun call(method: String, path: String, bearer: String?, body: JsonObject?): JsonObject {
        val c = URI(url + path).toURL().openConnection() as HttpURLConnection
        c.requestMethod = method
        c.setRequestProperty("Content-Type", "application/json")
        bearer?.let { c.setRequestProperty("Authorization", "Bearer $it") }
        if (body != null) {
            c.doOutput = true
            c.outputStream.use { it.write(body.toString().toByteArray()) }
        }
        val status = c.responseCode
        val text = (if (status >= 400) c.errorStream else c.inputStream)?.use { it.readBytes().decodeToString() } ?: ""
        check(status in 200..299) { "$method $path: $status" }
        return JsonParser.parseString(text).asJsonObject
    }

    companion object {
        // One staff sign-in for the whole run (sign-ins are rate limited).
        private val shared: TestClinic? by lazy {
            System.getProperty("steady.clinic.url")?.let { url ->
                TestClinic(url, System.getProperty("steady.staff.email"), System.getProperty("steady.staff.password"))
            }
        }

        /** The clinic scripts/test-clinic.sh started, or null when the tests run without one. */
        fun fromSystem(): TestClinic? = shared
    }
}
