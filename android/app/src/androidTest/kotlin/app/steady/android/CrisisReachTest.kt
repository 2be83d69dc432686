// On a device or emulator: the crisis card is one tap from Today (the top bar's
// "Help now" action), and the window is FLAG_SECURE.
package app.steady.android

import android.view.WindowManager
import androidx.compose.ui.test.junit4.createAndroidComposeRule
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.test.ext.junit.runners.AndroidJUnit4
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith

@RunWith(AndroidJUnit4::class)
class CrisisReachTest {
    @get:Rule
    val rule = createAndroidComposeRule<MainActivity>()

    @Test
    fun the_crisis_card_is_one_tap_away_and_the_window_is_secure() {
        rule.waitUntil(10_000) { rule.onAllNodesWithContentDescriptionCount("Help now: crisis lines and your contacts") > 0 }
        rule.onNodeWithContentDescription("Help now: crisis lines and your contacts").performClick()
        rule.onNodeWithText("Call 988").assertExists()
        val flags = rule.activity.window.attributes.flags
        assertTrue(flags and WindowManager.LayoutParams.FLAG_SECURE != 0)
    }

    private fun androidx.compose.ui.test.junit4.AndroidComposeTestRule<*, *>.onAllNodesWithContentDescriptionCount(text: String): Int =
        onAllNodes(androidx.compose.ui.test.hasContentDescription(text)).fetchSemanticsNodes().size
}
