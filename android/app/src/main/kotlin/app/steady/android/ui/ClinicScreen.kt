// The clinic: enroll by typing the code or scanning the clinic's QR code (Google's
// code scanner, no camera permission; the shell reads the link), each consent category as its own card with every
// element of the consent shown before signing, revoke, what was shared (the
// accounting of disclosures), and messages with the clinic's own "when a human
// reads this" notice.
package app.steady.android.ui

import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import app.steady.core.model.ConsentCard
import app.steady.core.model.ConsentState
import app.steady.core.model.EnrollmentState
import app.steady.shell.ClinicEvent
import app.steady.shell.ClinicPresenter
import app.steady.shell.EnrollmentLink
import com.google.mlkit.vision.codescanner.GmsBarcodeScanning
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@Composable
fun ClinicScreen(session: SteadySession, scannedCode: String? = null) {
    val presenter = remember(session) { ClinicPresenter(session) }
    val clinic by presenter.state.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val c = clinic ?: return
    fun send(event: ClinicEvent) = scope.launch { presenter.handle(event) }
    LaunchedEffect(c.unreadMessages) { if (c.unreadMessages > 0u) presenter.handle(ClinicEvent.MessagesRead) }
    ScreenColumn {
        ProblemBanner(problem)
        when (val e = c.enrollment) {
            EnrollmentState.NotEnrolled -> Enroll(scannedCode) { code, server -> send(ClinicEvent.Enroll(code, server, null)) }
            is EnrollmentState.Enrolled -> Section(e.clinicName) {
                Text(c.sync.label.shown)
                OutlinedButton(onClick = { send(ClinicEvent.SyncNow) }) { Text("Sync now") }
            }
        }
        c.consents.forEach { card -> ConsentCardView(card, c.patientName ?: "", ::send) }
        if (c.shared.isNotEmpty()) {
            Section("What was shared") {
                c.shared.forEach { d -> Text("${d.sharedAt} · ${d.description.shown} → ${d.recipient} (${d.purpose})") }
            }
        }
        if (c.enrollment is EnrollmentState.Enrolled) {
            Section("Messages") {
                c.messages.forEach { m -> Text("${m.from}: ${m.body}") }
                var body by remember { mutableStateOf("") }
                OutlinedTextField(body, { body = it }, label = { Text("Write to your clinic") })
                Button(onClick = { send(ClinicEvent.Send(body, null)); body = "" }, enabled = body.isNotBlank(),
                    modifier = Modifier.heightIn(min = 48.dp)) { Text("Send") }
            }
        }
    }
}

@Composable
private fun Enroll(scannedCode: String?, onEnroll: (String, String) -> Unit) {
    val context = LocalContext.current
    var code by remember(scannedCode) { mutableStateOf(scannedCode ?: "") }
    var server by remember { mutableStateOf("") }
    var unreadable by remember { mutableStateOf(false) }
    Section("Connect with your clinic") {
        Text("Your clinic gives you a code. Nothing is shared until you agree, category by category.")
        OutlinedButton(onClick = {
            GmsBarcodeScanning.getClient(context).startScan().addOnSuccessListener { barcode ->
                val link = barcode.rawValue?.let(EnrollmentLink::parse)
                unreadable = link == null
                if (link != null) {
                    code = link.code
                    server = link.serverUrl
                }
            }
        }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Scan the clinic's code") }
        if (unreadable) Text("That is not a Steady code. You can type the code and address instead.")
        OutlinedTextField(code, { code = it }, label = { Text("Code") })
        OutlinedTextField(server, { server = it }, label = { Text("Clinic address") })
        Button(onClick = { onEnroll(code, server) }, enabled = code.isNotBlank() && server.isNotBlank(),
            modifier = Modifier.heightIn(min = 48.dp)) { Text("Connect") }
    }
}

@Composable
private fun ConsentCardView(card: ConsentCard, patientName: String, send: (ClinicEvent) -> Unit) {
    var signature by remember(card.category) { mutableStateOf(patientName) }
    Section(card.title.shown + " · " + card.stateLabel.shown) {
        card.elements.forEach { element ->
            Text(element.heading.shown)
            Text(element.text)
        }
        if (card.heldRecords > 0u) Text("${card.heldRecords} entries are kept on this phone until you agree.")
        if (card.state == ConsentState.ACTIVE) {
            OutlinedButton(onClick = { send(ClinicEvent.Revoke(listOf(card.category))) },
                modifier = Modifier.heightIn(min = 48.dp)) { Text("Stop sharing") }
        } else {
            OutlinedTextField(signature, { signature = it }, label = { Text("Sign with your name") })
            Button(onClick = { send(ClinicEvent.Grant(listOf(card.category), signature, null)) }, enabled = signature.isNotBlank(),
                modifier = Modifier.heightIn(min = 48.dp)) { Text("I agree to share this") }
        }
    }
}
