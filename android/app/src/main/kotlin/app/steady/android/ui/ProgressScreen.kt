// Progress: the core's chart series drawn with Compose Canvas (one point per day or
// week, gaps left as gaps), each chart described in words for TalkBack.
package app.steady.android.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.steady.core.model.ChartSeries
import app.steady.core.model.ProgressRange
import app.steady.shell.ProgressEvent
import app.steady.shell.ProgressPresenter
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@Composable
fun ProgressScreen(session: SteadySession) {
    val presenter = remember(session) { ProgressPresenter(session) }
    val progress by presenter.state.collectAsState()
    val scope = rememberCoroutineScope()
    val p = progress ?: return
    ScreenColumn {
        Row {
            listOf(ProgressRange.LastWeek to "Week", ProgressRange.LastMonth to "Month", ProgressRange.Program to "Program")
                .forEach { (range, label) ->
                    FilterChip(selected = p.range == range, onClick = {
                        scope.launch { presenter.handle(ProgressEvent.ShowRange(range)) }
                    }, label = { Text(label) })
                }
        }
        Text("${p.firstDay} – ${p.lastDay}")
        p.series.forEach { series -> Chart(series) }
    }
}

@Composable
private fun Chart(series: ChartSeries) {
    val color = MaterialTheme.colorScheme.primary
    val values = series.points.mapNotNull { it.value }
    val max = (values.maxOrNull() ?: 0.0).coerceAtLeast(1.0)
    val words = "${series.label.shown}: " + series.points.joinToString { "${it.date} ${it.value?.let { v -> "%.1f".format(v) } ?: "no entry"}" }
    Section(series.label.shown + " (" + series.unit.shown + ")") {
        Canvas(Modifier.fillMaxWidth().height(120.dp).semantics { contentDescription = words }) {
            val step = if (series.points.size > 1) size.width / (series.points.size - 1) else size.width
            var previous: Offset? = null
            series.points.forEachIndexed { index, point ->
                val value = point.value
                if (value == null) {
                    previous = null
                } else {
                    val here = Offset(index * step, size.height - (value / max).toFloat() * size.height)
                    previous?.let { drawLine(color, it, here, strokeWidth = 4f) }
                    drawCircle(color, radius = 6f, center = here)
                    previous = here
                }
            }
        }
    }
}
