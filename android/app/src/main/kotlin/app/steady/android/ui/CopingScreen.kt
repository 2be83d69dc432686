// The coping plan: warning signs, strategies (built-in ones with their cautions,
// e.g. TIPP), reasons, safe places and support contacts; add and remove entries.
package app.steady.android.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.steady.core.model.PlanEntry
import app.steady.core.model.PlanSection
import app.steady.shell.CopingEvent
import app.steady.shell.CopingPresenter
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@Composable
fun CopingScreen(session: SteadySession) {
    val presenter = remember(session) { CopingPresenter(session) }
    val plan by presenter.plan.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val p = plan ?: return
    fun send(event: CopingEvent) = scope.launch { presenter.handle(event) }
    ScreenColumn {
        ProblemBanner(problem)
        Entries("Warning signs", p.warningSigns, PlanSection.WARNING_SIGN, ::send)
        Section("Strategies") {
            p.strategies.forEach { s ->
                Text(s.name + if (s.helpedCount > 0u) " · helped ${s.helpedCount} times" else "")
                s.caution?.let { Text(it) }
                s.entryId?.let { id -> TextButton(onClick = { send(CopingEvent.Remove(id)) }) { Text("Remove ${s.name}") } }
            }
            AddLine("Add a strategy") { send(CopingEvent.Add(PlanSection.STRATEGY, it)) }
        }
        Entries("Reasons", p.reasons, PlanSection.REASON, ::send)
        Entries("Safe places", p.safePlaces, PlanSection.SAFE_PLACE, ::send)
        Section("Support contacts") {
            p.supportContacts.forEach { c ->
                Text("${c.name} · ${c.phone}")
                TextButton(onClick = { send(CopingEvent.Remove(c.id)) }) { Text("Remove ${c.name}") }
            }
            var name by remember { mutableStateOf("") }
            var phone by remember { mutableStateOf("") }
            OutlinedTextField(name, { name = it }, label = { Text("Name") })
            OutlinedTextField(phone, { phone = it }, label = { Text("Phone") })
            Button(onClick = { send(CopingEvent.AddContact(name, phone)); name = ""; phone = "" },
                modifier = Modifier.heightIn(min = 48.dp)) { Text("Add contact") }
        }
    }
}

@Composable
private fun Entries(title: String, entries: List<PlanEntry>, section: PlanSection, send: (CopingEvent) -> Unit) {
    Section(title) {
        entries.forEach { e ->
            Row {
                Text(e.text)
                TextButton(onClick = { send(CopingEvent.Remove(e.id)) }) { Text("Remove") }
            }
        }
        AddLine("Add") { send(CopingEvent.Add(section, it)) }
    }
}

@Composable
private fun AddLine(label: String, onAdd: (String) -> Unit) {
    var text by remember { mutableStateOf("") }
    OutlinedTextField(text, { text = it }, label = { Text(label) })
    Button(onClick = { onAdd(text); text = "" }, enabled = text.isNotBlank(), modifier = Modifier.heightIn(min = 48.dp)) { Text(label) }
}
