// When Steady's database cannot be opened: the crisis card first (from the contacts
// copy beside the database, docs/adr/0010), then what happened in plain words.
// Nothing is deleted. Only if the patient chooses to start afresh is the old file
// set aside untouched (setAsideDatabase) and a new key made; enrolling again brings
// back what the clinic holds.
package app.steady.android.ui

import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.steady.android.SteadyApplication
import app.steady.core.SteadyException
import app.steady.core.crisisCardWithoutDatabase
import app.steady.core.setAsideDatabase
import app.steady.shell.KeyLostException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

@Composable
fun OpenFailureScreen(app: SteadyApplication, failure: Throwable, onStartAfresh: () -> Unit) {
    val scope = rememberCoroutineScope()
    val card = remember { crisisCardWithoutDatabase(app.databaseFile.absolutePath) }
    ScreenColumn {
        CrisisCardView(card)
        val why = when (failure) {
            is KeyLostException -> "This phone can no longer unlock Steady's saved record (this happens after restoring to a new phone or a system reset)."
            is SteadyException.DatabaseDamaged -> "Steady's saved record is damaged."
            else -> "Steady's saved record cannot be opened."
        }
        Section("Your record") {
            Text(why)
            Text("Nothing has been deleted. You can start afresh: the old record is kept aside, untouched, and what your clinic holds comes back when you connect again.")
            Button(
                onClick = {
                    scope.launch {
                        withContext(Dispatchers.IO) {
                            app.forgetSession()
                            setAsideDatabase(app.databaseFile.absolutePath, System.currentTimeMillis())
                            app.platform.keyVault.replaceLostKey()
                        }
                        onStartAfresh()
                    }
                },
                modifier = Modifier.heightIn(min = 48.dp),
            ) { Text("Start afresh") }
        }
    }
}
