// The clinic's enrollment QR code, as the dashboard draws it:
// `steady://enroll?code=…&server=…` (server/src/web/actions.rs). Scanning it fills the
// same two fields the patient could type; the core's enrollment steps check both.
package app.steady.shell

import java.net.URLDecoder

data class EnrollmentLink(val code: String, val serverUrl: String) {
    companion object {
        private const val PREFIX = "steady://enroll?"

        /** The code and server in a scanned text, or null when it is not Steady's enrollment link. */
        fun parse(text: String): EnrollmentLink? {
            val query = text.trim().takeIf { it.startsWith(PREFIX) }?.removePrefix(PREFIX) ?: return null
            val params = query.split('&').mapNotNull { pair ->
                val parts = pair.split('=', limit = 2)
                if (parts.size == 2) parts[0] to URLDecoder.decode(parts[1], Charsets.UTF_8) else null
            }.toMap()
            val code = params["code"]?.trim()?.takeIf { it.isNotEmpty() } ?: return null
            val server = params["server"]?.trim()?.takeIf { it.startsWith("https://") || it.startsWith("http://") }
                ?: return null
            return EnrollmentLink(code, server)
        }
    }
}
