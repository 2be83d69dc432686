// Steady's Material 3 theme: calm colours, light and dark following the system,
// type in sp so the system font scale (up to 200%) applies everywhere.
package app.steady.android.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

private val Light = lightColorScheme(
    primary = Color(0xFF2F6F62),
    secondary = Color(0xFF4F6354),
    error = Color(0xFFB3261E),
)

private val Dark = darkColorScheme(
    primary = Color(0xFF8FD3C2),
    secondary = Color(0xFFB5CCBA),
    error = Color(0xFFF2B8B5),
)

@Composable
fun SteadyTheme(content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (isSystemInDarkTheme()) Dark else Light, content = content)
}
