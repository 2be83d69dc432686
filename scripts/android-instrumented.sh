#!/usr/bin/env bash
# Builds the Android app and runs its instrumented tests (android/app/src/androidTest:
# the Keystore key vault, the AlarmManager adapter, the crisis card one tap from
# Today with FLAG_SECURE) on a connected device or a running emulator, and the shell
# module's JVM tests through Gradle. Needs an Android SDK (ANDROID_HOME), the NDK,
# cargo-ndk, the Android Rust targets and Gradle; without ANDROID_HOME it prints why
# it skips and exits 0 (the Linux build machines have no SDK; docs/android.md).
#
#   scripts/android-instrumented.sh
set -euo pipefail
cd "$(dirname "$0")/../android"

if [ -z "${ANDROID_HOME:-}" ]; then
  echo "android instrumented: skipped: ANDROID_HOME is not set (no Android SDK on this machine)"
  exit 0
fi
if ! command -v cargo-ndk >/dev/null 2>&1; then
  echo "android instrumented: skipped: cargo-ndk is not installed (cargo install cargo-ndk)"
  exit 0
fi
gradle_cmd=(./gradlew)
if [ ! -x ./gradlew ]; then
  if ! command -v gradle >/dev/null 2>&1; then
    echo "android instrumented: skipped: neither ./gradlew nor gradle is available (gradle wrapper once to add it)"
    exit 0
  fi
  gradle_cmd=(gradle)
fi
if ! "$ANDROID_HOME/platform-tools/adb" get-state >/dev/null 2>&1; then
  echo "android instrumented: skipped: no device or emulator attached (adb get-state)"
  exit 0
fi

"${gradle_cmd[@]}" --no-daemon :shell:test :app:assembleDebug :app:connectedDebugAndroidTest
echo "android instrumented: passed"
