// On a device or emulator: the Keystore-wrapped key survives a new vault object (a
// new process), and a lost Keystore key is reported, not replaced behind the
// patient's back.
package app.steady.android

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import app.steady.android.platform.KeystoreKeyVault
import app.steady.shell.KeyLostException
import java.io.File
import java.security.KeyStore
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Test
import org.junit.runner.RunWith

@RunWith(AndroidJUnit4::class)
class KeystoreKeyVaultTest {
    private val context = InstrumentationRegistry.getInstrumentation().targetContext
    private val dir = File(context.noBackupFilesDir, "vault-test").apply { deleteRecursively(); mkdirs() }

    @Test
    fun the_key_is_made_once_and_read_back() {
        val vault = KeystoreKeyVault(File(dir, "key.wrapped"), File(dir, "steady.db"))
        val key = vault.databaseKey()
        assertEquals(32, key.size)
        assertArrayEquals(key, KeystoreKeyVault(File(dir, "key.wrapped"), File(dir, "steady.db")).databaseKey())
    }

    @Test
    fun a_lost_keystore_key_is_reported_and_replaced_only_when_asked() {
        val vault = KeystoreKeyVault(File(dir, "key.wrapped"), File(dir, "steady.db"))
        val first = vault.databaseKey()
        KeyStore.getInstance("AndroidKeyStore").apply { load(null) }.deleteEntry("steady-database-key")
        assertThrows(KeyLostException::class.java) { vault.databaseKey() }
        val second = vault.replaceLostKey()
        assertEquals(32, second.size)
        assert(!first.contentEquals(second))
    }
}
