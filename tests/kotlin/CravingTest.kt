// The craving slice end to end from Kotlin: open with a key, log, list,
// delete, errors, close and reopen.
package app.steady.tests

import app.steady.core.Steady
import app.steady.core.SteadyException
import app.steady.core.model.NewCraving
import java.io.File
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class CravingTest {
    private val hour = 3_600_000L

    @Test
    fun `a logged craving is listed with the phone's zone`() = withDb("2026-03-08T12:00:00Z", "America/New_York") { db ->
        val craving = db.steady.logCraving(NewCraving(intensity = 7u, note = "after the meeting"))
        assertEquals(7u.toUByte(), craving.intensity)
        assertEquals("America/New_York", craving.timeZone)
        assertEquals(Instant.parse("2026-03-08T12:00:00Z").toEpochMilli(), craving.occurredAtMs)
        val listed = db.steady.listCravings(Instant.EPOCH, FOREVER)
        assertEquals(listOf(craving), listed)
    }

    @Test
    fun `cravings are listed newest first and deleted ones are hidden`() = withDb("2026-03-08T12:00:00Z", "Europe/London") { db ->
        val now = db.clock.nowMs()
        val older = db.steady.logCraving(NewCraving(intensity = 3u, occurredAtMs = now - 2 * hour))
        val newer = db.steady.logCraving(NewCraving(intensity = 8u))
        assertEquals(listOf(newer, older), db.steady.listCravings(Instant.ofEpochMilli(now - 3 * hour), Instant.ofEpochMilli(now + 1)))
        db.steady.deleteCraving(newer.id)
        assertEquals(listOf(older), db.steady.listCravings(Instant.EPOCH, FOREVER))
    }

    @Test
    fun `bad input is a typed error naming the field and writes nothing`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        val tooStrong = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.logCraving(NewCraving(intensity = 11u))
        }
        assertEquals("intensity", tooStrong.field)
        val badZone = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.logCraving(NewCraving(intensity = 4u, timeZone = "Nowhere/Atlantis"))
        }
        assertEquals("time_zone", badZone.field)
        val longNote = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.logCraving(NewCraving(intensity = 4u, note = "x".repeat(5000)))
        }
        assertEquals("note", longNote.field)
        assertFailsWith<SteadyException.NotFound> {
            db.steady.deleteCraving("00000000-0000-4000-8000-000000000000")
        }
        assertTrue(db.steady.listCravings(Instant.EPOCH, FOREVER).isEmpty())
    }

    @Test
    fun `data survives close and reopen, and a wrong key is refused`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        val craving = db.steady.logCraving(NewCraving(intensity = 5u, note = "kept"))
        val reopened = db.reopen()
        assertEquals(listOf(craving), reopened.listCravings(Instant.EPOCH, FOREVER))
        val wrongKey = db.key.copyOf().also { it[0] = (it[0] + 1).toByte() }
        assertFailsWith<SteadyException.WrongKey> { Steady.open(db.path, wrongKey, db.clock) }
        assertFailsWith<SteadyException.InvalidInput> { Steady.open(db.path, ByteArray(3), db.clock) }
    }

    @Test
    fun `the file on disk holds no plaintext note`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        db.steady.logCraving(NewCraving(intensity = 6u, note = "kotlin-plaintext-marker"))
        db.steady.closeDatabase()
        val marker = "kotlin-plaintext-marker".toByteArray()
        db.dir.listFiles()!!.forEach { file: File ->
            val bytes = file.readBytes()
            val found = (0..bytes.size - marker.size).any { i -> marker.indices.all { bytes[i + it] == marker[it] } }
            assertFalse(found, "plaintext in ${file.name}")
        }
        db.reopen()
    }

    @Test
    fun `calls on a closed database fail instead of crashing`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        db.steady.closeDatabase()
        assertFailsWith<SteadyException.Closed> { db.steady.listCravings(Instant.EPOCH, Instant.ofEpochMilli(1)) }
        db.reopen()
    }
}

class PhoneClockFailureTest {
    @Test
    fun `a clock reporting an unknown zone gives an error naming it`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        db.clock.zone = "Not/AZone"
        val error = assertFailsWith<SteadyException.InvalidInput> {
            db.steady.logCraving(NewCraving(intensity = 2u))
        }
        assertEquals("clock.time_zone", error.field)
    }

    @Test
    fun `a clock that throws surfaces as an exception, not an abort`() = withDb("2026-03-08T12:00:00Z", "UTC") { db ->
        val throwing = object : app.steady.core.PhoneClock {
            override fun nowMs(): Long = throw IllegalStateException("clock unavailable")
            override fun timeZone(): String = "UTC"
        }
        // Opening reads the clock (to store the set-up day), so the failure
        // surfaces there, as an exception.
        assertFailsWith<Exception> {
            Steady.open(db.path + "-2", db.key, throwing).logCraving(NewCraving(intensity = 2u))
        }
        // The library is still usable afterwards.
        db.steady.logCraving(NewCraving(intensity = 3u))
        assertEquals(1, db.steady.listCravings(Instant.EPOCH, FOREVER).size)
    }
}
