// Small pieces every screen uses: a core Label rendered (localised by key when the
// app has a translation, else the core's English), a card section, the problem
// banner, and a scrolling column so text at 200% font scale never clips.
package app.steady.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.steady.core.model.Label
import app.steady.shell.Problem

/** The words of a core label (translations would be looked up by `label.key`). */
val Label.shown: String get() = text

/** A screen's body: scrolls, so nothing is cut off at large font sizes. */
@Composable
fun ScreenColumn(modifier: Modifier = Modifier, content: @Composable ColumnScope.() -> Unit) {
    Column(
        modifier = modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
        content = content,
    )
}

@Composable
fun Section(title: String, content: @Composable ColumnScope.() -> Unit) {
    Card(modifier = Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            content()
        }
    }
}

/** What went wrong, by kind; the field the core named when it refused input. */
@Composable
fun ProblemBanner(problem: Problem?) {
    if (problem == null) return
    val words = when (problem.kind) {
        "invalid_input" -> "Please check ${problem.field?.replace('_', ' ') ?: "what you entered"}."
        "offline" -> "No connection right now. Everything is saved and will be sent later."
        "notFound" -> "That is no longer there."
        else -> "Something went wrong. Nothing you saved was lost."
    }
    Text(words, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium)
}
