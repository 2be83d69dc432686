// The craving log: one tap with an intensity (from Today, a notification action,
// the widget or the quick-settings tile), details optional. The response is the
// core's: coping strategies for a strong craving, the crisis card when unsafe, an
// offer to log a lapse when the outcome was "used".
package app.steady.shell

import app.steady.core.model.CravingForm
import app.steady.core.model.CravingLogged
import app.steady.core.model.NewCraving
import app.steady.core.model.NewLapse
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** Where the quick log was opened; the record is the same, the app only counts nothing. */
enum class CravingEntry { TODAY, NOTIFICATION, WIDGET, TILE }

sealed interface CravingEvent {
    data class Log(val craving: NewCraving, val from: CravingEntry) : CravingEvent
    data class LogLapse(val lapse: NewLapse) : CravingEvent
    data object Dismiss : CravingEvent
}

class CravingPresenter(private val session: SteadySession) : ScreenPresenter() {
    val form: StateFlow<CravingForm?> = session.cravingForm
    private val _response = MutableStateFlow<CravingLogged?>(null)
    /** The response to the last craving logged here, until dismissed. */
    val response: StateFlow<CravingLogged?> = _response.asStateFlow()

    suspend fun handle(event: CravingEvent) {
        attempt {
            when (event) {
                is CravingEvent.Log -> _response.value = session.call { it.logCravingWithSupport(event.craving) }
                is CravingEvent.LogLapse -> {
                    session.call { it.logLapse(event.lapse) }
                    _response.value = null
                }
                CravingEvent.Dismiss -> _response.value = null
            }
        }
    }
}
