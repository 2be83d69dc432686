// The one window with health data: FLAG_SECURE (no screenshots, a blank app-switcher
// thumbnail), the app lock when the patient turned it on, then the session's screens.
// If the database cannot be opened (wrong or lost key, damaged file) the crisis card
// still shows, from the contacts copy beside the database, and nothing is deleted.
package app.steady.android

import android.content.Context
import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.lifecycleScope
import app.steady.android.discretion.AppLock
import app.steady.android.discretion.Discretion
import app.steady.android.ui.OpenFailureScreen
import app.steady.android.ui.Routes
import app.steady.android.ui.SteadyApp
import app.steady.android.ui.SteadyTheme
import app.steady.core.SteadyException
import app.steady.shell.KeyLostException
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

class MainActivity : FragmentActivity() {
    private var session by mutableStateOf<SteadySession?>(null)
    private var failure by mutableStateOf<Throwable?>(null)
    private var unlocked by mutableStateOf(false)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        val app = application as SteadyApplication
        val start = if (intent?.getBooleanExtra(EXTRA_CRISIS, false) == true) Routes.CRISIS else Routes.TODAY
        setContent {
            SteadyTheme {
                val failed = failure
                val open = session
                when {
                    failed != null -> OpenFailureScreen(app, failed, onStartAfresh = { reopen() })
                    open != null && unlocked -> SteadyApp(open, start, onQuickExit = ::quickExit)
                    else -> Unit
                }
            }
        }
        reopen()
    }

    override fun onStart() {
        super.onStart()
        if (!Discretion(this).choices().appLock) {
            unlocked = true
        } else if (!unlocked) {
            AppLock.unlock(this) { unlocked = true }
        }
    }

    override fun onStop() {
        super.onStop()
        // Locked again whenever Steady leaves the screen.
        if (Discretion(this).choices().appLock) unlocked = false
    }

    private fun reopen() {
        val app = application as SteadyApplication
        lifecycleScope.launch {
            try {
                session = app.session()
                failure = null
            } catch (e: SteadyException) {
                failure = e
            } catch (e: KeyLostException) {
                failure = e
            }
        }
    }

    /** Leaves at once: the task is removed from recents and the home screen shows. */
    private fun quickExit() {
        unlocked = false
        startActivity(Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_HOME).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        finishAndRemoveTask()
    }

    companion object {
        private const val EXTRA_CRISIS = "open_crisis_card"

        fun crisisIntent(context: Context): Intent =
            Intent(context, MainActivity::class.java).setAction(Intent.ACTION_VIEW).putExtra(EXTRA_CRISIS, true)
    }
}
