#!/usr/bin/env bash
# Compiles the generated Kotlin bindings and the JUnit 5 tests in tests/kotlin
# (plus the Android shell module's main sources) with kotlinc 2.x, and
# runs them on the JVM with JNA against the built libsteady_ffi.so.
#
#   scripts/test-kotlin.sh BINDINGS_DIR     (as written by scripts/bindgen.sh)
# Needs KOTLINC and KOTLIN_LIB (scripts/toolchains.sh sets them).
# Extra system properties for the tests can be passed in STEADY_JVM_PROPS.
set -euo pipefail
cd "$(dirname "$0")/.."
BINDINGS="${1:-$PWD/build/bindings}"
WORK="$BINDINGS/../kotlin-test"
rm -rf "$WORK"
mkdir -p "$WORK"

J=/usr/share/java
DEPS="$J/jna.jar:$J/junit-jupiter-api.jar:$J/opentest4j.jar:$J/apiguardian-api.jar"
# kotlinx-coroutines (shipped with kotlinc) runs the suspending sync tests.
KLIB="$KOTLIN_LIB/kotlin-stdlib.jar:$KOTLIN_LIB/kotlin-test.jar:$KOTLIN_LIB/kotlin-test-junit5.jar:$KOTLIN_LIB/kotlinx-coroutines-core-jvm.jar"

mapfile -t generated < <(find "$BINDINGS/kotlin" -name '*.kt' | sort)
"$KOTLINC" -nowarn -d "$WORK/bindings.jar" -classpath "$J/jna.jar" "${generated[@]}" 2>&1 \
  | grep -v '^warning: unable to find kotlin-stdlib' || true
[ -f "$WORK/bindings.jar" ] || { echo "kotlin: bindings did not compile" >&2; exit 1; }

# The Android shell module (plain Kotlin, no Android APIs: the sync transport the
# tests use) compiled with the tests; its own suite is scripts/test-android-shell.sh.
mapfile -t sources < <(find tests/kotlin android/shell/src/main -name '*.kt' 2>/dev/null | sort)
"$KOTLINC" -Werror -d "$WORK/tests.jar" \
  -classpath "$WORK/bindings.jar:$DEPS:$KLIB" "${sources[@]}"

# shellcheck disable=SC2086
java -Djna.library.path="$BINDINGS/lib" ${STEADY_JVM_PROPS:-} \
  -jar "$J/junit-platform-console-standalone.jar" \
  -cp "$WORK/tests.jar:$WORK/bindings.jar:$DEPS:$KLIB" \
  --scan-classpath "$WORK/tests.jar" --fail-if-no-tests --disable-banner --disable-ansi-colors --details=tree \
  --details-theme=ascii 2>&1 | tee "$WORK/report.txt"
