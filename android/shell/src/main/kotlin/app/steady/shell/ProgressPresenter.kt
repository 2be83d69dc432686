// Progress with charts: the core gives every series already bucketed (one point
// per day or week, gaps as null) and the sober-time facts worded without shame.
package app.steady.shell

import app.steady.core.model.ProgressRange
import app.steady.core.model.ProgressScreen
import kotlinx.coroutines.flow.StateFlow

sealed interface ProgressEvent {
    data class ShowRange(val range: ProgressRange) : ProgressEvent
}

class ProgressPresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<ProgressScreen?> = session.progress

    suspend fun handle(event: ProgressEvent) {
        attempt {
            when (event) {
                is ProgressEvent.ShowRange -> session.showProgress(event.range)
            }
        }
    }
}
