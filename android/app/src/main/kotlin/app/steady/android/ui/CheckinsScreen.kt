// Check-ins: the daily check-in (mood, strongest craving, whether anything was
// used) and every questionnaire due, built-in or clinic-assigned, one item at a
// time with its options. The crisis card follows a PHQ-9 item 9 answer above 0 at
// once, because the core returns it with the submission.
package app.steady.android.ui

import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Slider
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableFloatStateOf
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.steady.core.model.AnswerValue
import app.steady.core.model.DueQuestionnaire
import app.steady.core.model.ItemKind
import app.steady.core.model.NewDailyCheckIn
import app.steady.core.model.QuestionnaireAnswer
import app.steady.shell.CheckinsEvent
import app.steady.shell.CheckinsPresenter
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

@Composable
fun CheckinsScreen(session: SteadySession, openCrisis: () -> Unit) {
    val presenter = remember(session) { CheckinsPresenter(session) }
    val state by presenter.state.collectAsState()
    val submitted by presenter.submitted.collectAsState()
    val problem by presenter.problem.collectAsState()
    val scope = rememberCoroutineScope()
    val screen = state ?: return
    ScreenColumn {
        ProblemBanner(problem)
        submitted?.crisisCard?.let { card ->
            CrisisCardView(card)
            Button(onClick = openCrisis) { Text("More help") }
        }
        if (!screen.daily.done) {
            DailyCheckin { checkin -> scope.launch { presenter.handle(CheckinsEvent.Daily(checkin)) } }
        } else {
            Text(screen.daily.label.shown)
        }
        screen.due.forEach { due ->
            QuestionnaireForm(due) { answers ->
                scope.launch { presenter.handle(CheckinsEvent.Questionnaire(due.questionnaire.id, answers)) }
            }
        }
        screen.lastScores.forEach { score ->
            Text("${score.title}: ${score.score} ${score.band?.label ?: ""} · ${score.changeLabel.shown}")
        }
    }
}

@Composable
private fun DailyCheckin(onSave: (NewDailyCheckIn) -> Unit) {
    var mood by remember { mutableFloatStateOf(5f) }
    var craving by remember { mutableFloatStateOf(0f) }
    var used by remember { mutableStateOf(false) }
    Section("Today's check-in") {
        Text("Mood: ${mood.toInt()} of 10")
        Slider(value = mood, onValueChange = { mood = it }, valueRange = 0f..10f, steps = 9,
            modifier = Modifier.semantics { contentDescription = "Mood from 0 to 10" })
        Text("Strongest craving today: ${craving.toInt()} of 10")
        Slider(value = craving, onValueChange = { craving = it }, valueRange = 0f..10f, steps = 9,
            modifier = Modifier.semantics { contentDescription = "Strongest craving from 0 to 10" })
        androidx.compose.foundation.layout.Row {
            Text("I used today")
            Switch(checked = used, onCheckedChange = { used = it })
        }
        Button(onClick = {
            onSave(NewDailyCheckIn(usedToday = used, mood = mood.toInt().toUByte(), strongestCraving = craving.toInt().toUByte()))
        }, modifier = Modifier.heightIn(min = 48.dp)) { Text("Save") }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun QuestionnaireForm(due: DueQuestionnaire, onSubmit: (List<QuestionnaireAnswer>) -> Unit) {
    val answers = remember(due.questionnaire.id) { mutableStateMapOf<String, AnswerValue>() }
    Section(due.title) {
        due.questionnaire.items.forEach { item ->
            Text(item.text)
            when (item.kind) {
                ItemKind.CHOICE -> FlowRow {
                    item.options.forEach { option ->
                        FilterChip(
                            selected = answers[item.linkId] == AnswerValue.Choice(option.code),
                            onClick = { answers[item.linkId] = AnswerValue.Choice(option.code) },
                            label = { Text(option.display) },
                            modifier = Modifier.heightIn(min = 48.dp),
                        )
                    }
                }
                ItemKind.INTEGER -> FlowRow {
                    ((item.minValue ?: 0L)..(item.maxValue ?: 10L)).forEach { n ->
                        FilterChip(
                            selected = answers[item.linkId] == AnswerValue.Number(n),
                            onClick = { answers[item.linkId] = AnswerValue.Number(n) },
                            label = { Text("$n") },
                            modifier = Modifier.heightIn(min = 48.dp),
                        )
                    }
                }
                ItemKind.TEXT -> OutlinedTextField(
                    value = (answers[item.linkId] as? AnswerValue.Text)?.value ?: "",
                    onValueChange = { answers[item.linkId] = AnswerValue.Text(it) },
                    label = { Text("Your answer") },
                )
                ItemKind.BOOLEAN -> FlowRow {
                    listOf(true to "Yes", false to "No").forEach { (value, words) ->
                        FilterChip(
                            selected = answers[item.linkId] == AnswerValue.YesNo(value),
                            onClick = { answers[item.linkId] = AnswerValue.YesNo(value) },
                            label = { Text(words) },
                            modifier = Modifier.heightIn(min = 48.dp),
                        )
                    }
                }
            }
        }
        Button(
            enabled = due.questionnaire.items.all { !it.required || it.linkId in answers },
            onClick = { onSubmit(answers.map { (link, value) -> QuestionnaireAnswer(link, value) }) },
            modifier = Modifier.heightIn(min = 48.dp),
        ) { Text("Send") }
    }
}
