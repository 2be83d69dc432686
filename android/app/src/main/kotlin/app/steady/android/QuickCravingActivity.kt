// The quick craving log as a small sheet over whatever was on screen: opened by the
// notification action (after the device was unlocked, as the action requires), the
// widget, the tile or a shortcut. One tap on an intensity logs it; the core's
// response (strategies, crisis card, lapse offer) shows in the same sheet.
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
import app.steady.android.reminders.NotificationActionReceiver
import app.steady.android.ui.CravingScreen
import app.steady.android.ui.SteadyTheme
import app.steady.shell.CravingEntry
import app.steady.shell.SteadySession
import kotlinx.coroutines.launch

class QuickCravingActivity : FragmentActivity() {
    private var session by mutableStateOf<SteadySession?>(null)
    private var unlocked by mutableStateOf(false)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        val app = application as SteadyApplication
        val from = when (intent.getStringExtra(EXTRA_FROM)) {
            FROM_NOTIFICATION -> CravingEntry.NOTIFICATION
            FROM_WIDGET -> CravingEntry.WIDGET
            FROM_TILE -> CravingEntry.TILE
            else -> CravingEntry.TODAY
        }
        val reminder = NotificationActionReceiver.tapped(intent.extras)
        lifecycleScope.launch {
            val open = app.session()
            // Opened from a notification: it has done its job.
            reminder?.let { app.platform.notifier.dismiss(it.reminderId) }
            session = open
        }
        if (Discretion(this).choices().appLock) AppLock.unlock(this) { unlocked = true } else unlocked = true
        setContent {
            SteadyTheme {
                val open = session
                if (open != null && unlocked) {
                    CravingScreen(open, openCrisis = { startActivity(MainActivity.crisisIntent(this)); finish() }, from = from)
                }
            }
        }
    }

    companion object {
        private const val EXTRA_FROM = "from"
        const val FROM_NOTIFICATION = "notification"
        const val FROM_WIDGET = "widget"
        const val FROM_TILE = "tile"
        const val FROM_SHORTCUT = "shortcut"

        fun intent(context: Context, from: String): Intent =
            Intent(context, QuickCravingActivity::class.java).putExtra(EXTRA_FROM, from)
                .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
    }
}
