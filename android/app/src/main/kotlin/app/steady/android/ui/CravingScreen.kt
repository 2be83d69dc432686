// The craving log: intensity first (one tap is enough), details optional (triggers,
// what was tried, how it ended). The core's response decides what follows: coping
// strategies for a strong craving, the crisis card when the patient feels unsafe, an
// offer to log a lapse when the outcome was "used" (information, never failure).
package app.steady.android.ui

import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.sizeIn
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.steady.core.model.CravingOutcome
import app.steady.core.model.NewCraving
import app.steady.core.model.NewLapse
import app.steady.shell.CravingEntry
import app.steady.shell.CravingEvent
import app.steady.shell.CravingPresenter
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun CravingScreen(session: SteadySession, openCrisis: () -> Unit, from: CravingEntry = CravingEntry.TODAY) {
    val presenter = remember(session) { CravingPresenter(session) }
    val form by presenter.form.collectAsState()
    val response by presenter.response.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val triggers = remember { mutableStateListOf<String>() }
    var outcome by remember { mutableStateOf<CravingOutcome?>(null) }
    var unsafe by remember { mutableStateOf(false) }
    val f = form ?: return
    ScreenColumn {
        ProblemBanner(problem)
        val answered = response
        if (answered != null) {
            CravingResponse(answered, openCrisis,
                onLapse = { scope.launch { presenter.handle(CravingEvent.LogLapse(NewLapse())) } },
                onDone = { scope.launch { presenter.handle(CravingEvent.Dismiss) } })
            return@ScreenColumn
        }
        Section("How strong is it? (${f.intensityLow.shown} 0 – ${f.intensityMax} ${f.intensityHigh.shown})") {
            FlowRow {
                (0..f.intensityMax.toInt()).forEach { level ->
                    Button(
                        onClick = {
                            val craving = NewCraving(intensity = level.toUByte(), triggers = triggers.toList(), outcome = outcome, markedUnsafe = unsafe)
                            scope.launch { presenter.handle(CravingEvent.Log(craving, from)) }
                        },
                        modifier = Modifier.sizeIn(minWidth = 48.dp, minHeight = 48.dp)
                            .semantics { contentDescription = "Log intensity $level" },
                    ) { Text("$level") }
                }
            }
        }
        Section("Details (optional)") {
            FlowRow {
                f.triggers.forEach { choice ->
                    FilterChip(
                        selected = choice.value in triggers,
                        onClick = { if (!triggers.remove(choice.value)) triggers.add(choice.value) },
                        label = { Text(choice.label.shown) },
                        modifier = Modifier.heightIn(min = 48.dp),
                    )
                }
            }
            FlowRow {
                f.outcomes.forEach { choice ->
                    FilterChip(
                        selected = outcome == choice.value,
                        onClick = { outcome = if (outcome == choice.value) null else choice.value },
                        label = { Text(choice.label.shown) },
                        modifier = Modifier.heightIn(min = 48.dp),
                    )
                }
            }
            androidx.compose.foundation.layout.Row {
                Checkbox(checked = unsafe, onCheckedChange = { unsafe = it })
                Text("I don't feel safe right now")
            }
        }
    }
}

@Composable
private fun CravingResponse(
    response: app.steady.core.model.CravingLogged,
    openCrisis: () -> Unit,
    onLapse: () -> Unit,
    onDone: () -> Unit,
) {
    response.crisisCard?.let { card ->
        CrisisCardView(card)
        OutlinedButton(onClick = openCrisis) { Text("More help") }
    }
    if (response.strategies.isNotEmpty()) {
        Section("Things that can help right now") {
            response.strategies.forEach { strategy ->
                Text(strategy.name)
                strategy.caution?.let { Text(it) }
            }
        }
    }
    if (response.offerLapse) {
        Section("Thank you for being honest") {
            Text("A lapse is information, not failure. Would you like to note what happened?")
            OutlinedButton(onClick = onLapse) { Text("Note it") }
        }
    }
    Button(onClick = onDone) { Text("Done") }
}
