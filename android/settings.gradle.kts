// Steady for Android: three modules, each with one job (docs/android.md).
//   :core   generated UniFFI bindings + the Rust library per ABI (built, never committed)
//   :shell  plain Kotlin/JVM: SteadySession, presenters, platform adapter interfaces
//   :app    Compose + Material 3 screens and the Android adapters
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "steady-android"
include(":core", ":shell", ":app")
