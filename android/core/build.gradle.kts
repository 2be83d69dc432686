// :core — the Rust core for Android: libsteady_ffi.so per ABI (cargo-ndk) and the
// Kotlin bindings generated from it by the workspace's pinned uniffi-bindgen. Both
// are build outputs under build/, never committed (docs/android.md). The generated
// Kotlin is plain Kotlin over JNA, so it is compiled in :shell (a JVM module cannot
// depend on an Android library); this module packages the native libraries and JNA's
// Android AAR.
import org.gradle.api.tasks.Exec

plugins {
    alias(libs.plugins.android.library)
}

val rustRoot: File = rootDir.resolve(providers.gradleProperty("steady.rustRoot").get()).canonicalFile
val rustProfile: String = providers.gradleProperty("steady.rustProfile").get()
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val jniOut = layout.buildDirectory.dir("rust/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi/kotlin")
val hostTarget = layout.buildDirectory.dir("rust/host-target")

android {
    namespace = "app.steady.core"
    compileSdk = libs.versions.target.sdk.get().toInt()
    defaultConfig {
        minSdk = libs.versions.min.sdk.get().toInt()
        consumerProguardFiles("consumer-rules.pro")
        ndk { abiFilters += abis }
    }
    sourceSets["main"].jniLibs.srcDir(jniOut)
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

/** The phone libraries: `cargo ndk` for each ABI, `-p steady-ffi` alone so features do not unify. */
val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds libsteady_ffi.so for ${abis.joinToString()} with cargo-ndk"
    workingDir = rustRoot
    inputs.dir(rustRoot.resolve("core/src"))
    inputs.dir(rustRoot.resolve("bindings/src"))
    inputs.file(rustRoot.resolve("Cargo.lock"))
    outputs.dir(jniOut)
    val profileFlag = if (rustProfile == "release") listOf("--release") else emptyList()
    commandLine(
        listOf("cargo", "ndk") + abis.flatMap { listOf("-t", it) } +
            listOf("-o", jniOut.get().asFile.absolutePath, "build") + profileFlag + listOf("-p", "steady-ffi"),
    )
}

/**
 * Kotlin bindings from a host build of the same crate (bindgen reads the metadata symbols of
 * an unstripped library; the Android Gradle plugin strips the phone libraries at packaging).
 */
val uniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings with the workspace's uniffi-bindgen"
    workingDir = rustRoot
    inputs.dir(rustRoot.resolve("core/src"))
    inputs.dir(rustRoot.resolve("bindings/src"))
    inputs.file(rustRoot.resolve("bindings/uniffi.toml"))
    inputs.file(rustRoot.resolve("core/uniffi.toml"))
    outputs.dir(bindingsOut)
    val target = hostTarget.get().asFile.absolutePath
    val out = bindingsOut.get().asFile.absolutePath
    environment("CARGO_TARGET_DIR", target)
    commandLine(
        "sh", "-c",
        "cargo build -q -p steady-ffi && cargo build -q -p uniffi-bindgen && " +
            "rm -rf '$out' && '$target/debug/uniffi-bindgen' generate '$target/debug/libsteady_ffi.so' " +
            "--language kotlin --no-format --out-dir '$out'",
    )
}

tasks.named("preBuild") { dependsOn(cargoNdk) }

dependencies {
    // UniFFI's generated code calls the library through JNA; the AAR carries JNA's own .so files.
    api("${libs.jna.aar.get().module}:${libs.versions.jna.get()}@aar")
}
