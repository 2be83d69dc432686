// :shell — plain Kotlin/JVM, no Android imports: SteadySession (the core handle on one
// background dispatcher, each screen a StateFlow refreshed by the core's change
// listener), one presenter per screen, the platform adapter interfaces, and the
// generated UniFFI bindings (pure Kotlin over JNA, produced by :core's uniffiBindings
// task). Its tests run on the JVM against the real core library and play
// tests/scenarios/ (scripts/test-android-shell.sh runs the same sources with kotlinc).
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin { jvmToolchain(17) }

val generatedBindings = project(":core").layout.buildDirectory.dir("generated/uniffi/kotlin")
val hostLibrary = project(":core").layout.buildDirectory.dir("rust/host-target/debug")

sourceSets["main"].kotlin.srcDir(generatedBindings)
tasks.named("compileKotlin") { dependsOn(":core:uniffiBindings") }

dependencies {
    api(libs.kotlinx.coroutines.core)
    // The app brings JNA's Android AAR through :core; the JVM tests use the plain jar.
    compileOnly(libs.jna.jvm)
    testImplementation(libs.jna.jvm)
    testImplementation(libs.gson)
    testImplementation(libs.junit.jupiter)
    testImplementation(libs.kotlin.test.junit5)
    testRuntimeOnly(libs.junit.platform.launcher)
}

tasks.test {
    useJUnitPlatform()
    systemProperty("jna.library.path", hostLibrary.get().asFile.absolutePath)
    systemProperty("steady.scenarios", rootDir.resolve("../tests/scenarios/scenarios.json").absolutePath)
    systemProperty("steady.scenario.results", layout.buildDirectory.file("scenario-results/android.json").get().asFile.absolutePath)
    listOf("steady.clinic.url", "steady.staff.email", "steady.staff.password").forEach { key ->
        providers.systemProperty(key).orNull?.let { systemProperty(key, it) }
    }
}
