// The database key: 32 random bytes made once, encrypted (AES-GCM) under an
// Android Keystore key that never leaves the secure hardware, and stored in
// no_backup/. The Keystore key is not bound to user authentication: alarms and
// background sync must open the database while the phone is locked.
//
// When the Keystore key is gone (the app data restored to a new phone, a Keystore
// reset after an OS update, a factory reset of the secure element) the wrapped key
// cannot be read: KeyLostException. The app then shows the crisis card from the
// contacts copy and explains; only if the patient agrees does it set the old
// database aside untouched (setAsideDatabase) and make a new key. Re-enrolling pulls
// back what the clinic holds; nothing is deleted silently (docs/android.md).
package app.steady.android.platform

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import app.steady.shell.KeyLostException
import app.steady.shell.KeyVault
import java.io.File
import java.security.GeneralSecurityException
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

class KeystoreKeyVault(private val wrappedFile: File, private val databaseFile: File) : KeyVault {
    override fun databaseKey(): ByteArray {
        if (!wrappedFile.exists()) {
            if (databaseFile.exists()) throw KeyLostException("the database exists but its key file does not")
            return create()
        }
        val wrapping = keyStore().getKey(ALIAS, null) as? SecretKey
            ?: throw KeyLostException("the Keystore key is gone")
        return try {
            val stored = wrappedFile.readBytes()
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, wrapping, GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES))
            cipher.doFinal(stored, IV_BYTES, stored.size - IV_BYTES)
        } catch (e: GeneralSecurityException) {
            throw KeyLostException("the key file cannot be unwrapped")
        }
    }

    override fun replaceLostKey(): ByteArray {
        keyStore().deleteEntry(ALIAS)
        wrappedFile.delete()
        return create()
    }

    private fun create(): ByteArray {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        val wrapping = generator.generateKey()
        val key = ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrapping)
        val sealed = cipher.iv + cipher.doFinal(key)
        wrappedFile.parentFile?.mkdirs()
        val partial = File(wrappedFile.path + ".new")
        partial.writeBytes(sealed)
        check(partial.renameTo(wrappedFile)) { "could not store the wrapped key" }
        return key
    }

    private fun keyStore(): KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val ALIAS = "steady-database-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
        const val KEY_BYTES = 32
    }
}
