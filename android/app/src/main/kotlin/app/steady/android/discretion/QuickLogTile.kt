// The opt-in quick-settings tile, labelled "Quick note": opens the quick craving log.
package app.steady.android.discretion

import android.app.PendingIntent
import android.os.Build
import android.service.quicksettings.TileService
import app.steady.android.QuickCravingActivity

class QuickLogTile : TileService() {
    override fun onClick() {
        val intent = QuickCravingActivity.intent(this, QuickCravingActivity.FROM_TILE)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.UPSIDE_DOWN_CAKE) {
            startActivityAndCollapse(PendingIntent.getActivity(this, 0, intent, PendingIntent.FLAG_IMMUTABLE))
        } else {
            @Suppress("DEPRECATION")
            startActivityAndCollapse(intent.addFlags(android.content.Intent.FLAG_ACTIVITY_NEW_TASK))
        }
    }
}
