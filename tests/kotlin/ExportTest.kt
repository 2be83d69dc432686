// The patient's record from Kotlin: a plain export (with its warning and the
// backup offered first), the encrypted backup restored on a new phone, and a
// JSON export imported on a fresh install. Bundles and CSV files go to
// $STEADY_EXPORT_OUT for the independent validator (scripts/test-fhir.sh).
package app.steady.tests

import app.steady.core.Steady
import app.steady.core.SteadyException
import app.steady.core.model.ExportFormat
import app.steady.core.model.NewCraving
import app.steady.core.model.PatientExport
import java.io.File
import java.nio.file.Files
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class ExportTest {
    private val passphrase = "correct horse battery"

    private fun handToValidator(name: String, export: PatientExport) {
        val out = System.getenv("STEADY_EXPORT_OUT") ?: return
        val dir = File(out, "kotlin-$name").apply { mkdirs() }
        export.files.forEach { File(dir, it.name).writeText(it.content) }
    }

    private fun fill(db: TestDb) {
        db.steady.logCraving(NewCraving(intensity = 6u, note = "after work, \"again\""))
        db.steady.logCraving(NewCraving(intensity = 9u, markedUnsafe = true))
        db.steady.submitPhq9(listOf(1u, 2u, 1u, 0u, 0u, 1u, 0u, 0u, 1u))
        db.steady.submitGad7(listOf(1u, 1u, 0u, 0u, 1u, 0u, 0u))
    }

    @Test
    fun `plain exports warn first and hold the whole record`() = withDb("2026-03-10T14:00:00Z", "America/Chicago") { db ->
        fill(db)
        val fhir = db.steady.exportRecord(ExportFormat.FHIR)
        assertTrue(fhir.warning.contains("not encrypted"))
        assertEquals("encrypted_backup", fhir.saferOption)
        val bundle = fhir.files.single()
        assertEquals("application/fhir+json", bundle.mediaType)
        listOf("\"Bundle\"", "\"44261-6\"", "\"44249-1\"", "\"44260-8\"", "\"70274-6\"", "\"Flag\"", "-05:00")
            .forEach { assertTrue(bundle.content.contains(it), it) }
        handToValidator("fhir", fhir)
        val csv = db.steady.exportRecord(ExportFormat.CSV)
        val cravings = csv.files.first { it.name == "cravings.csv" }.content
        assertTrue(cravings.startsWith("id,occurred_at,time_zone,intensity"))
        assertTrue(cravings.contains("\"after work, \"\"again\"\"\""))
        handToValidator("csv", csv)
    }

    @Test
    fun `a backup restores on a new phone and a wrong passphrase changes nothing`() = withDb("2026-03-10T14:00:00Z", "America/Chicago") { db ->
        fill(db)
        val backup = db.steady.createBackup(passphrase)
        val newPhone = Files.createTempDirectory("steady-kt-restore").toFile()
        try {
            val path = File(newPhone, "steady.db").absolutePath
            val newKey = ByteArray(32) { 3 }
            assertFailsWith<SteadyException.WrongPassphrase> {
                Steady.restoreBackup(path, newKey, db.clock, backup, "not my passphrase")
            }
            val damaged = backup.copyOf().also { it[it.size - 5] = (it[it.size - 5].toInt() xor 1).toByte() }
            assertFailsWith<SteadyException.DamagedBackup> {
                Steady.restoreBackup(path, newKey, db.clock, damaged, passphrase)
            }
            assertFalse(File(path).exists())
            val restored = Steady.restoreBackup(path, newKey, db.clock, backup, passphrase)
            assertEquals(db.steady.listCravings(Instant.EPOCH, FOREVER), restored.listCravings(Instant.EPOCH, FOREVER))
            assertEquals(db.steady.today(), restored.today())
            restored.closeDatabase()
        } finally {
            newPhone.deleteRecursively()
        }
    }

    @Test
    fun `a JSON export imports on a fresh install, once`() = withDb("2026-03-10T14:00:00Z", "America/Chicago") { db ->
        fill(db)
        val json = db.steady.exportRecord(ExportFormat.JSON).files.single().content
        TestDb("2026-03-10T14:00:00Z", "America/Chicago").use { fresh ->
            val imported = fresh.steady.importRecord(json)
            assertTrue(imported.rows > 0u)
            assertEquals(db.steady.progress(null), fresh.steady.progress(null))
            assertEquals(db.steady.listCravings(Instant.EPOCH, FOREVER), fresh.steady.listCravings(Instant.EPOCH, FOREVER))
            val again = assertFailsWith<SteadyException.InvalidInput> { fresh.steady.importRecord(json) }
            assertEquals("export", again.field)
        }
    }
}
