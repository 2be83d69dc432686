// Reading the clinic's enrollment QR code.
package app.steady.shell

import kotlin.test.assertEquals
import kotlin.test.assertNull
import org.junit.jupiter.api.Test

class EnrollmentLinkTest {
    @Test
    fun `the dashboard's link gives the code and the server`() {
        assertEquals(
            EnrollmentLink("K7M-4QX-92B", "http://127.0.0.1:8686"),
            EnrollmentLink.parse("steady://enroll?code=K7M-4QX-92B&server=http://127.0.0.1:8686\n"),
        )
        assertEquals(
            EnrollmentLink("abc", "https://clinic.example/steady"),
            EnrollmentLink.parse("steady://enroll?server=https%3A%2F%2Fclinic.example%2Fsteady&code=abc"),
        )
    }

    @Test
    fun `anything else is not an enrollment`() {
        assertNull(EnrollmentLink.parse("https://example.com/?code=abc&server=https://x"))
        assertNull(EnrollmentLink.parse("steady://enroll?code=&server=https://x"))
        assertNull(EnrollmentLink.parse("steady://enroll?code=abc&server=javascript:alert(1)"))
        assertNull(EnrollmentLink.parse("steady://enroll?code=abc"))
    }
}
