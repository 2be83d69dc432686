// The crisis card: emergency, 988 and SAMHSA lines and the patient's own contacts,
// each a call (or text) button. It works offline and, through
// crisisCardWithoutDatabase, even when the database cannot be opened.
package app.steady.android.ui

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import app.steady.core.model.CrisisCard
import app.steady.shell.SteadySession

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun CrisisScreen(session: SteadySession) {
    val card by session.crisisCard.collectAsState()
    ScreenColumn { card?.let { CrisisCardView(it) } }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun CrisisCardView(card: CrisisCard) {
    val context = LocalContext.current
    fun dial(number: String) = context.startActivity(Intent(Intent.ACTION_DIAL, Uri.parse("tel:$number")))
    fun text(number: String) = context.startActivity(Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:$number")))
    Section("Help now") {
        card.clinicNotice?.let { Text(it) }
        card.lines.forEach { line ->
            Text(line.name)
            Text(line.description)
            FlowRow {
                Button(onClick = { dial(line.call) }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Call ${line.call}") }
                line.text?.let { number ->
                    OutlinedButton(onClick = { text(number) }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Text $number") }
                }
            }
        }
        card.supportContacts.forEach { contact ->
            Button(onClick = { dial(contact.phone) }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Call ${contact.name}") }
        }
    }
}
