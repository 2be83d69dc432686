// Launcher shortcuts, published only when the patient turns them on, with neutral
// labels: "Quick note" opens the quick craving log, "Help numbers" the crisis card
// (one tap from the launcher).
package app.steady.android.discretion

import android.content.Context
import android.content.Intent
import androidx.core.content.pm.ShortcutInfoCompat
import androidx.core.content.pm.ShortcutManagerCompat
import androidx.core.graphics.drawable.IconCompat
import app.steady.android.MainActivity
import app.steady.android.QuickCravingActivity
import app.steady.android.R

object Shortcuts {
    fun publish(context: Context) {
        val quick = ShortcutInfoCompat.Builder(context, "quick")
            .setShortLabel(context.getString(R.string.neutral_shortcut_quick))
            .setIcon(IconCompat.createWithResource(context, R.drawable.ic_neutral))
            .setIntent(QuickCravingActivity.intent(context, QuickCravingActivity.FROM_SHORTCUT).setAction(Intent.ACTION_VIEW))
            .build()
        val help = ShortcutInfoCompat.Builder(context, "help")
            .setShortLabel(context.getString(R.string.neutral_shortcut_help))
            .setIcon(IconCompat.createWithResource(context, R.drawable.ic_neutral))
            .setIntent(MainActivity.crisisIntent(context))
            .build()
        ShortcutManagerCompat.setDynamicShortcuts(context, listOf(quick, help))
    }

    fun remove(context: Context) = ShortcutManagerCompat.removeAllDynamicShortcuts(context)
}
