// Shared fixtures for the JVM tests: a real encrypted database in a temporary
// directory and a clock the test controls, implemented on the Kotlin side
// like the Android shell implements its own.
package app.steady.tests

import app.steady.core.PhoneClock
import app.steady.core.Steady
import java.io.File
import java.nio.file.Files
import java.time.Instant

class FixedClock(var now: Instant, var zone: String) : PhoneClock {
    override fun nowMs(): Long = now.toEpochMilli()
    override fun timeZone(): String = zone
}

class TestDb(now: String, zone: String) : AutoCloseable {
    val dir: File = Files.createTempDirectory("steady-kt").toFile()
    val path: String = File(dir, "steady.db").absolutePath
    val key: ByteArray = ByteArray(32) { (it * 7).toByte() }
    val clock = FixedClock(Instant.parse(now), zone)
    var steady: Steady = Steady.open(path, key, clock)
        private set

    fun reopen(): Steady {
        steady.closeDatabase()
        steady = Steady.open(path, key, clock)
        return steady
    }

    override fun close() {
        steady.closeDatabase()
        dir.deleteRecursively()
    }
}

/** The latest instant the core takes (Long.MAX_VALUE milliseconds). */
val FOREVER: Instant = Instant.ofEpochMilli(Long.MAX_VALUE)

/** Runs [body] against a fresh database and removes it afterwards. */
fun withDb(now: String, zone: String, body: (TestDb) -> Unit) = TestDb(now, zone).use(body)
