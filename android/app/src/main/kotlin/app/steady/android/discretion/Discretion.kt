// Discretion on a shared phone or near an abusive partner: every choice is off
// until the patient turns it on, and kept only in app-private preferences. Turning
// one on enables the matching component (the neutral launcher alias, the widget, the
// quick-settings tile) or publishes the shortcuts; turning it off removes it again.
package app.steady.android.discretion

import android.content.ComponentName
import android.content.Context
import android.content.pm.PackageManager

class Discretion(private val context: Context) {
    data class Choices(
        val appLock: Boolean = false,
        val neutralIcon: Boolean = false,
        val widget: Boolean = false,
        val tile: Boolean = false,
        val shortcuts: Boolean = false,
    )

    private val prefs = context.getSharedPreferences("steady_discretion", Context.MODE_PRIVATE)

    fun choices() = Choices(
        appLock = prefs.getBoolean(APP_LOCK, false),
        neutralIcon = prefs.getBoolean(NEUTRAL_ICON, false),
        widget = prefs.getBoolean(WIDGET, false),
        tile = prefs.getBoolean(TILE, false),
        shortcuts = prefs.getBoolean(SHORTCUTS, false),
    )

    fun apply(choices: Choices) {
        prefs.edit()
            .putBoolean(APP_LOCK, choices.appLock)
            .putBoolean(NEUTRAL_ICON, choices.neutralIcon)
            .putBoolean(WIDGET, choices.widget)
            .putBoolean(TILE, choices.tile)
            .putBoolean(SHORTCUTS, choices.shortcuts)
            .apply()
        enable("${context.packageName}.android.Launcher", !choices.neutralIcon)
        enable("${context.packageName}.android.NeutralLauncher", choices.neutralIcon)
        enable(QuickLogWidget::class.java.name, choices.widget)
        enable(QuickLogTile::class.java.name, choices.tile)
        if (choices.shortcuts) Shortcuts.publish(context) else Shortcuts.remove(context)
    }

    private fun enable(component: String, on: Boolean) {
        val state = if (on) PackageManager.COMPONENT_ENABLED_STATE_ENABLED else PackageManager.COMPONENT_ENABLED_STATE_DISABLED
        context.packageManager.setComponentEnabledSetting(
            ComponentName(context, component), state, PackageManager.DONT_KILL_APP,
        )
    }

    private companion object {
        const val APP_LOCK = "app_lock"
        const val NEUTRAL_ICON = "neutral_icon"
        const val WIDGET = "widget"
        const val TILE = "tile"
        const val SHORTCUTS = "shortcuts"
    }
}
