// What went wrong, in words safe to show and to log: the kind of failure and the
// field the core named, never a message that could quote what the patient wrote.
package app.steady.shell

import app.steady.core.SteadyException
import app.steady.core.TransportException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

data class Problem(val kind: String, val field: String? = null) {
    companion object {
        fun of(error: Throwable): Problem = when (error) {
            is SteadyException.InvalidInput -> Problem("invalid_input", error.field)
            is SteadyException -> Problem(error.javaClass.simpleName.replaceFirstChar { it.lowercase() })
            is TransportException -> Problem("offline")
            is KeyLostException -> Problem("key_lost")
            else -> Problem("internal")
        }
    }
}

/** What every presenter shares: the last failure of an event, shown by its screen. */
abstract class ScreenPresenter {
    private val _problem = MutableStateFlow<Problem?>(null)
    val problem: StateFlow<Problem?> = _problem.asStateFlow()

    /** Runs an event; a refusal or an offline transport becomes [problem] instead of a crash. */
    protected suspend fun attempt(block: suspend () -> Unit) {
        try {
            block()
            _problem.value = null
        } catch (e: SteadyException) {
            _problem.value = Problem.of(e)
        } catch (e: TransportException) {
            _problem.value = Problem.of(e)
        }
    }
}
