// The app's frame: a top bar whose first action opens the crisis card from every
// screen (one tap) and whose last is the quick exit, a bottom bar for the main
// screens, and the rest one tap further under "More". Screens only render the
// shell's state and forward events to their presenter.
package app.steady.android.ui

import androidx.compose.foundation.layout.padding
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Close
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.traversalIndex
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import app.steady.shell.SteadySession

/** Routes; `crisis` is reachable from the top bar of every one of them. */
object Routes {
    const val TODAY = "today"
    const val CRAVING = "craving"
    const val CHECKINS = "checkins"
    const val SCHEDULE = "schedule"
    const val PROGRESS = "progress"
    const val COPING = "coping"
    const val CRISIS = "crisis"
    const val CLINIC = "clinic"
    const val SETTINGS = "settings"
    const val MORE = "more"
}

private val bottom = listOf(
    Routes.TODAY to "Today",
    Routes.CHECKINS to "Check-ins",
    Routes.SCHEDULE to "Schedule",
    Routes.PROGRESS to "Progress",
    Routes.MORE to "More",
)

@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun SteadyApp(session: SteadySession, startRoute: String, onQuickExit: () -> Unit) {
    val nav = rememberNavController()
    val current by nav.currentBackStackEntryAsState()
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text("Steady") },
                actions = {
                    IconButton(
                        onClick = { nav.navigate(Routes.CRISIS) { launchSingleTop = true } },
                        modifier = Modifier.semantics { traversalIndex = -1f },
                    ) { Icon(Icons.Filled.Call, contentDescription = "Help now: crisis lines and your contacts") }
                    IconButton(onClick = onQuickExit) {
                        Icon(Icons.Filled.Close, contentDescription = "Quick exit: leave the app at once")
                    }
                },
            )
        },
        bottomBar = {
            NavigationBar {
                bottom.forEach { (route, label) ->
                    NavigationBarItem(
                        selected = current?.destination?.route == route,
                        onClick = { nav.navigate(route) { launchSingleTop = true; popUpTo(Routes.TODAY) } },
                        icon = {},
                        label = { Text(label) },
                        modifier = Modifier.semantics { contentDescription = label },
                    )
                }
            }
        },
    ) { padding ->
        NavHost(nav, startDestination = startRoute, modifier = Modifier.padding(padding)) {
            composable(Routes.TODAY) { TodayScreen(session, open = { nav.navigate(it) }) }
            composable(Routes.CRAVING) { CravingScreen(session, openCrisis = { nav.navigate(Routes.CRISIS) }) }
            composable(Routes.CHECKINS) { CheckinsScreen(session, openCrisis = { nav.navigate(Routes.CRISIS) }) }
            composable(Routes.SCHEDULE) { ScheduleScreen(session) }
            composable(Routes.PROGRESS) { ProgressScreen(session) }
            composable(Routes.COPING) { CopingScreen(session) }
            composable(Routes.CRISIS) { CrisisScreen(session) }
            composable(Routes.CLINIC) { ClinicScreen(session) }
            composable(Routes.SETTINGS) { SettingsScreen(session) }
            composable(Routes.MORE) { MoreScreen(open = { nav.navigate(it) }) }
        }
    }
}

@Composable
private fun MoreScreen(open: (String) -> Unit) {
    ScreenColumn {
        listOf(
            Routes.COPING to "Coping plan",
            Routes.CRISIS to "Help now",
            Routes.CLINIC to "Clinic, consent and messages",
            Routes.SETTINGS to "Settings",
        ).forEach { (route, label) -> TextButton(onClick = { open(route) }) { Text(label) } }
    }
}
