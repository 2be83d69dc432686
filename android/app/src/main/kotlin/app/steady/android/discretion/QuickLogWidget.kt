// The opt-in home-screen widget: one neutral "Quick note" button opening the quick
// craving log. It shows nothing of the record.
package app.steady.android.discretion

import android.app.PendingIntent
import android.appwidget.AppWidgetManager
import android.appwidget.AppWidgetProvider
import android.content.Context
import android.widget.RemoteViews
import app.steady.android.QuickCravingActivity
import app.steady.android.R

class QuickLogWidget : AppWidgetProvider() {
    override fun onUpdate(context: Context, manager: AppWidgetManager, ids: IntArray) {
        val open = PendingIntent.getActivity(
            context, 0, QuickCravingActivity.intent(context, QuickCravingActivity.FROM_WIDGET),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val views = RemoteViews(context.packageName, R.layout.quick_log_widget)
        views.setOnClickPendingIntent(R.id.quick_log, open)
        ids.forEach { manager.updateAppWidget(it, views) }
    }
}
