// The phone's clock and zone as the core reads them. Android resets Java's default
// zone in the app process when TIMEZONE_CHANGED arrives, so this follows travel.
package app.steady.android.platform

import app.steady.core.PhoneClock
import java.time.ZoneId

object SystemPhoneClock : PhoneClock {
    override fun nowMs(): Long = System.currentTimeMillis()
    override fun timeZone(): String = ZoneId.systemDefault().id
}
