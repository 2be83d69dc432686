#!/usr/bin/env bash
# The Android shell suite: compiles android/shell (plain Kotlin, no Android
# imports: SteadySession, the presenters, the adapter interfaces, the sync
# transport) with its JUnit 5 tests using kotlinc, and runs them on the JVM
# against the real core through JNA. The tests include every shared scenario of
# tests/scenarios/ (fakes only for the platform adapters); the scenarios that
# need a clinic talk to a real steady-clinic server on loopback, started here
# unless the caller (scripts/test.sh) already started one. Writes
# build/scenario-results/android.json and prints one count line:
#   android shell: N passed, M failed, S skipped (K scenarios)
#
#   scripts/test-android-shell.sh [BINDINGS_DIR]   (as written by scripts/bindgen.sh)
# Needs KOTLINC and KOTLIN_LIB (scripts/toolchains.sh sets them; it also installs
# Debian's libgoogle-gson-java, which the scenario runner reads JSON with) and
# CARGO_TARGET_DIR for the clinic server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BINDINGS="${1:-$ROOT/build/bindings}"
WORK="$ROOT/build/android-shell-test"
RESULTS="$ROOT/build/scenario-results/android.json"
rm -f "$RESULTS" "$WORK/shell.jar"
mkdir -p "$WORK"

J=/usr/share/java
DEPS="$J/jna.jar:$J/gson.jar:$J/junit-jupiter-api.jar:$J/opentest4j.jar:$J/apiguardian-api.jar"
KLIB="$KOTLIN_LIB/kotlin-stdlib.jar:$KOTLIN_LIB/kotlin-test.jar:$KOTLIN_LIB/kotlin-test-junit5.jar:$KOTLIN_LIB/kotlinx-coroutines-core-jvm.jar"

if [ -z "${STEADY_CLINIC_URL:-}" ]; then
  # shellcheck source=scripts/test-clinic.sh
  source scripts/test-clinic.sh
  start_test_clinic "$ROOT/build/android-shell-clinic" >&2
  trap stop_test_clinic EXIT
fi

# The generated bindings take minutes to compile: reuse the jar while they are unchanged.
mapfile -t generated < <(find "$BINDINGS/kotlin" -name '*.kt' | sort)
sum=$(cat "${generated[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$WORK/bindings.jar" ] || [ "$(cat "$WORK/bindings.sha256" 2>/dev/null)" != "$sum" ]; then
  rm -f "$WORK/bindings.jar"
  "$KOTLINC" -nowarn -d "$WORK/bindings.jar" -classpath "$J/jna.jar" "${generated[@]}" 2>&1 \
    | grep -v '^warning: unable to find kotlin-stdlib' || true
  [ -f "$WORK/bindings.jar" ] || { echo "android shell: bindings did not compile" >&2; exit 1; }
  echo "$sum" > "$WORK/bindings.sha256"
fi

mapfile -t sources < <(find android/shell/src/main android/shell/src/test -name '*.kt' | sort)
"$KOTLINC" -Werror -d "$WORK/shell.jar" -classpath "$WORK/bindings.jar:$DEPS:$KLIB" "${sources[@]}"

status=0
# shellcheck disable=SC2086
java -Djna.library.path="$BINDINGS/lib" \
  -Dsteady.scenarios="$ROOT/tests/scenarios/scenarios.json" \
  -Dsteady.scenario.results="$RESULTS" \
  -Dsteady.clinic.url="$STEADY_CLINIC_URL" \
  -Dsteady.staff.email="$STEADY_STAFF_EMAIL" -Dsteady.staff.password="$STEADY_STAFF_PASSWORD" \
  -jar "$J/junit-platform-console-standalone.jar" \
  -cp "$WORK/shell.jar:$WORK/bindings.jar:$DEPS:$KLIB" \
  --scan-classpath "$WORK/shell.jar" --fail-if-no-tests --disable-banner --disable-ansi-colors \
  --details=tree --details-theme=ascii 2>&1 | tee "$WORK/report.txt" || status=$?

passed=$(sed -nE 's/^\[ *([0-9]+) tests successful *\]/\1/p' "$WORK/report.txt" | tail -1)
failed=$(sed -nE 's/^\[ *([0-9]+) tests failed *\]/\1/p' "$WORK/report.txt" | tail -1)
skipped=$(sed -nE 's/^\[ *([0-9]+) tests aborted *\]/\1/p' "$WORK/report.txt" | tail -1)
scenarios=$(grep -c '"status"' "$RESULTS" 2>/dev/null || echo 0)
echo "android shell: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped ($scenarios scenarios)"
exit "$status"
