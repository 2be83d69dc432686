#!/usr/bin/env bash
# Steady's one test command: installs what is missing (idempotently, cached
# outside the repo), then runs every suite and prints how many tests of each
# ran. Exits non-zero if anything fails.
#
#   scripts/test.sh
#
# Suites: formatting and lints, Rust (every workspace crate), schemathesis
# against the clinic server, fuzzing of the core's parsers and FFI writes,
# Kotlin on the JVM, the Android shell with the shared phone scenarios
# (scripts/test-android-shell.sh), Swift on Linux against the generated
# bindings, the iOS shell (scripts/test-ios-shell.sh) and the check that both
# phones agree on every scenario (scripts/compare-scenarios.sh), the independent FHIR/CSV
# validator over every export those suites wrote, the calendar corpus (every
# occurrence compared with Python's recurring_ical_events), and the clinician
# dashboard in Chromium (scripts/test-browser.sh), and the module layers of the
# core, the CLI and the server (scripts/test-layers.sh: no import cycle).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

# shellcheck source=scripts/toolchains.sh
source scripts/toolchains.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$STEADY_CACHE/target}"
LOGS="$ROOT/build/test-logs"
mkdir -p "$LOGS"

declare -A PASSED FAILED
section() { printf '\n=== %s ===\n' "$*"; }
# counts SUITE LOG STATUS PASSED-SED FAILED-SED: the suite's counts, read from
# its log's count line; a suite that exited non-zero has at least one failure.
counts() {
    local suite="$1" log="$2" status="$3"
    PASSED[$suite]=$(sed -nE "$4" "$log" | tail -1)
    FAILED[$suite]=$(sed -nE "$5" "$log" | tail -1)
    PASSED[$suite]=${PASSED[$suite]:-0}
    FAILED[$suite]=${FAILED[$suite]:-0}
    if [ "$status" != 0 ] && [ "${FAILED[$suite]}" -eq 0 ]; then FAILED[$suite]=1; fi
}

section "format and lints"
cargo fmt --all -- --check
cargo clippy -q --workspace --all-targets -- -D warnings
echo "fmt and clippy clean"

section "module layers (no import cycle in core, cli, server)"
layers_status=0
scripts/test-layers.sh > "$LOGS/layers.txt" 2>&1 || layers_status=$?
cat "$LOGS/layers.txt"
counts layers "$LOGS/layers.txt" "$layers_status" \
    's/^layers: ([0-9]+) crates without a cycle.*/\1/p' \
    's/^layers: [0-9]+ crates without a cycle, ([0-9]+) failed.*/\1/p'

# Every suite writes the FHIR Bundles and CSV files it produces here, for the
# independent validator (scripts/test-fhir.sh) at the end.
export STEADY_EXPORT_OUT="$ROOT/build/export-out"
rm -rf "$STEADY_EXPORT_OUT"
mkdir -p "$STEADY_EXPORT_OUT"

section "Rust"
# The clinic server's storage tests and the sync suites run on SQLite and,
# with this throwaway loopback cluster, on PostgreSQL too.
eval "$(scripts/postgres.sh start)"
rust_status=0
cargo test --workspace 2>&1 | tee "$LOGS/rust.txt" || rust_status=$?

section "benchmarks (test mode)"
# Every criterion benchmark once and the server's load benchmark with 20
# devices on both backends (about a minute once the build is cached).
benches_status=0
scripts/test-benches.sh > "$LOGS/benches.txt" 2>&1 || benches_status=$?
grep -E '^(Testing|Success|steady-clinic bench|benches:)' "$LOGS/benches.txt" | tail -n 20
counts benches "$LOGS/benches.txt" "$benches_status" \
    's/^benches: ([0-9]+) passed.*/\1/p' \
    's/^benches: [0-9]+ passed, ([0-9]+) failed.*/\1/p'

section "schemathesis (clinic server API)"
# Generated requests against the served OpenAPI document, on SQLite and on
# the PostgreSQL cluster above; bounded by SCHEMATHESIS_SECONDS per backend.
schemathesis_status=0
scripts/test-schemathesis.sh > "$LOGS/schemathesis.txt" 2>&1 || schemathesis_status=$?
tail -n 30 "$LOGS/schemathesis.txt"
counts schemathesis "$LOGS/schemathesis.txt" "$schemathesis_status" \
    's/^schemathesis: ([0-9]+) backends passed.*/\1/p' \
    's/^schemathesis: [0-9]+ backends passed, ([0-9]+) failed.*/\1/p'
scripts/postgres.sh stop
PASSED[rust]=$(grep -E '^test result:' "$LOGS/rust.txt" | awk '{s+=$4} END {print s+0}')
FAILED[rust]=$(grep -E '^test result:' "$LOGS/rust.txt" | awk '{s+=$6} END {print s+0}')
[ "$rust_status" = 0 ] || FAILED[rust]=$(( ${FAILED[rust]} > 0 ? ${FAILED[rust]} : 1 ))

section "phone library size budget"
# Release LTO build of libsteady_ffi.so as shipped (SQLCipher on LibTomCrypt),
# stripped and held to its budget, plus the LibTomCrypt build opening a
# database the OpenSSL build wrote. Cold: several minutes; cached: the LTO link.
size_status=0
scripts/check-size.sh > "$LOGS/size.txt" 2>&1 || size_status=$?
grep -E '^(libsteady_ffi|size)' "$LOGS/size.txt" | tail -n 5
counts size "$LOGS/size.txt" "$size_status" \
    's/^size: ([0-9]+) passed.*/\1/p' \
    's/^size: [0-9]+ passed, ([0-9]+) failed.*/\1/p'

section "fuzzing (core parsers)"
# cargo fuzz on nightly, FUZZ_SECONDS per target (default 30); the
# instrumented build and corpora are cached under $STEADY_CACHE.
fuzz_status=0
scripts/test-fuzz.sh > "$LOGS/fuzz.txt" 2>&1 || fuzz_status=$?
grep -E '^fuzz' "$LOGS/fuzz.txt" || tail -n 30 "$LOGS/fuzz.txt"
counts fuzz "$LOGS/fuzz.txt" "$fuzz_status" \
    's/^fuzz: ([0-9]+) targets passed.*/\1/p' \
    's/^fuzz: [0-9]+ targets passed, ([0-9]+) failed.*/\1/p'

section "bindings"
scripts/bindgen.sh debug "$ROOT/build/bindings"

# The Kotlin and Swift transports sync with a real clinic server on loopback.
# shellcheck source=scripts/test-clinic.sh
source scripts/test-clinic.sh
start_test_clinic "$ROOT/build/test-clinic"
trap stop_test_clinic EXIT

section "Kotlin (JVM)"
kotlin_status=0
scripts/test-kotlin.sh "$ROOT/build/bindings" > "$LOGS/kotlin.txt" 2>&1 || kotlin_status=$?
grep -vE '^\s+(at |[0-9]+: )' "$LOGS/kotlin.txt" | tail -n 60
counts kotlin "$LOGS/kotlin.txt" "$kotlin_status" \
    's/^\[ *([0-9]+) tests successful *\]/\1/p' \
    's/^\[ *([0-9]+) tests failed *\]/\1/p'

section "Android shell (JVM, shared scenarios)"
android_status=0
scripts/test-android-shell.sh "$ROOT/build/bindings" > "$LOGS/android-shell.txt" 2>&1 || android_status=$?
grep -vE '^\s+(at |[0-9]+: )' "$LOGS/android-shell.txt" | tail -n 40
android_line=$(grep -E '^android shell: [0-9]+ passed' "$LOGS/android-shell.txt" | tail -1 || true)
PASSED[android]=$(echo "$android_line" | sed -nE 's/^android shell: ([0-9]+) passed.*/\1/p')
FAILED[android]=$(echo "$android_line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
PASSED[android]=${PASSED[android]:-0}
FAILED[android]=${FAILED[android]:-0}
[ "$android_status" = 0 ] || FAILED[android]=$(( ${FAILED[android]} > 0 ? ${FAILED[android]} : 1 ))

section "Swift (Linux)"
swift_status=0
# Inside the Swift root the tests see another file system: they write their
# exports to a folder of the root, copied out after the run.
swift_export="$STEADY_EXPORT_OUT/swift"
if [ -n "${SWIFT_ROOT:-}" ]; then
  swift_export="/steady-export-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  rm -rf "${SWIFT_ROOT:?}$swift_export"
  mkdir -p "$SWIFT_ROOT$swift_export"
fi
STEADY_SWIFT_ENV="${STEADY_SWIFT_ENV:-} STEADY_EXPORT_OUT=$swift_export" \
  scripts/test-swift.sh "$ROOT/build/bindings" > "$LOGS/swift.txt" 2>&1 || swift_status=$?
if [ -n "${SWIFT_ROOT:-}" ]; then
  cp -r "$SWIFT_ROOT$swift_export/." "$STEADY_EXPORT_OUT/"
fi
grep -E "Test Case .*(passed|failed)|error:|Executed" "$LOGS/swift.txt" | tail -n 80 || true
swift_line=$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$LOGS/swift.txt" | tail -1 || true)
PASSED[swift]=$(echo "$swift_line" | sed -nE 's/.*Executed ([0-9]+) tests?, with ([0-9]+) failures?.*/\1 \2/p' | awk '{print $1-$2}')
FAILED[swift]=$(echo "$swift_line" | sed -nE 's/.*with ([0-9]+) failures?.*/\1/p')
PASSED[swift]=${PASSED[swift]:-0}
FAILED[swift]=${FAILED[swift]:-0}
[ "$swift_status" = 0 ] || FAILED[swift]=$(( ${FAILED[swift]} > 0 ? ${FAILED[swift]} : 1 ))

section "iOS shell (SteadyShell on Linux, shared scenarios)"
ios_shell_status=0
scripts/test-ios-shell.sh "$ROOT/build/bindings" > "$LOGS/ios-shell-summary.txt" 2>&1 || ios_shell_status=$?
tail -n 40 "$LOGS/ios-shell-summary.txt"
ios_shell_line=$(grep -E '^ios-shell: [0-9]+ passed, [0-9]+ failed' "$LOGS/ios-shell-summary.txt" | tail -1 || true)
PASSED[ios_shell]=$(echo "$ios_shell_line" | sed -nE 's/^ios-shell: ([0-9]+) passed.*/\1/p')
FAILED[ios_shell]=$(echo "$ios_shell_line" | sed -nE 's/.* ([0-9]+) failed$/\1/p')
PASSED[ios_shell]=${PASSED[ios_shell]:-0}
FAILED[ios_shell]=${FAILED[ios_shell]:-0}
[ "$ios_shell_status" = 0 ] || FAILED[ios_shell]=$(( ${FAILED[ios_shell]} > 0 ? ${FAILED[ios_shell]} : 1 ))

section "Android and iOS agree on every scenario"
# After both shell suites: each wrote build/scenario-results/<shell>.json.
scenarios_status=0
scripts/compare-scenarios.sh > "$LOGS/compare-scenarios.txt" 2>&1 || scenarios_status=$?
tail -n 40 "$LOGS/compare-scenarios.txt"
scenarios_line=$(grep -E '^scenarios compared: [0-9]+ agree, [0-9]+ differ' "$LOGS/compare-scenarios.txt" | tail -1 || true)
PASSED[scenarios]=$(echo "$scenarios_line" | sed -nE 's/^scenarios compared: ([0-9]+) agree.*/\1/p')
FAILED[scenarios]=$(echo "$scenarios_line" | sed -nE 's/.* ([0-9]+) differ$/\1/p')
PASSED[scenarios]=${PASSED[scenarios]:-0}
FAILED[scenarios]=${FAILED[scenarios]:-0}
[ "$scenarios_status" = 0 ] || FAILED[scenarios]=$(( ${FAILED[scenarios]} > 0 ? ${FAILED[scenarios]} : 1 ))

section "Browser (clinician dashboard, Chromium + axe-core)"
browser_status=0
scripts/test-browser.sh > "$LOGS/browser.txt" 2>&1 || browser_status=$?
grep -vE '^\s+at ' "$LOGS/browser.txt" | tail -n 40
browser_line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed' "$LOGS/browser.txt" | tail -1 || true)
PASSED[browser]=$(echo "$browser_line" | sed -nE 's/^browser: ([0-9]+) passed.*/\1/p')
FAILED[browser]=$(echo "$browser_line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
PASSED[browser]=${PASSED[browser]:-0}
FAILED[browser]=${FAILED[browser]:-0}
[ "$browser_status" = 0 ] || FAILED[browser]=$(( ${FAILED[browser]} > 0 ? ${FAILED[browser]} : 1 ))

section "calendar corpus"
corpus_status=0
scripts/test-calendar-corpus.sh > "$LOGS/calendar-corpus.txt" 2>&1 || corpus_status=$?
grep -E "^  (skipped|MISMATCH)|^calendar corpus:" "$LOGS/calendar-corpus.txt" | tail -n 40 || true
counts corpus "$LOGS/calendar-corpus.txt" "$corpus_status" \
    's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' \
    's/^([0-9]+) passed, ([0-9]+) failed$/\2/p'

section "FHIR and CSV (independent validator)"
fhir_status=0
scripts/test-fhir.sh "$STEADY_EXPORT_OUT" > "$LOGS/fhir.txt" 2>&1 || fhir_status=$?
tail -n 30 "$LOGS/fhir.txt"
fhir_line=$(grep -E '^fhir: [0-9]+ bundles' "$LOGS/fhir.txt" | tail -1 || true)
PASSED[fhir]=$(echo "$fhir_line" | sed -nE 's/^fhir: ([0-9]+) bundles .* ([0-9]+) CSV files .*/\1 \2/p' | awk '{print $1+$2}')
FAILED[fhir]=$(echo "$fhir_line" | sed -nE 's/.* ([0-9]+) failed$/\1/p')
PASSED[fhir]=${PASSED[fhir]:-0}
FAILED[fhir]=${FAILED[fhir]:-0}
[ "$fhir_status" = 0 ] || FAILED[fhir]=$(( ${FAILED[fhir]} > 0 ? ${FAILED[fhir]} : 1 ))

section "phone UI sources (parse check)"
# Compose and SwiftUI code cannot be compiled here; it must at least parse.
parse_status=0
scripts/check-parse.sh || parse_status=$?

section "Android instrumented tests (only where an Android SDK exists)"
instrumented_status=0
scripts/android-instrumented.sh || instrumented_status=$?

section "summary"
total_passed=0
total_failed=0
for suite in rust benches size schemathesis fuzz kotlin android swift ios_shell scenarios fhir corpus browser layers; do
  printf '%-12s %5d passed, %d failed\n' "$suite" "${PASSED[$suite]}" "${FAILED[$suite]}"
  total_passed=$((total_passed + PASSED[$suite]))
  total_failed=$((total_failed + FAILED[$suite]))
  if [ "${PASSED[$suite]}" -eq 0 ]; then
    echo "$suite ran no test" >&2
    total_failed=$((total_failed + 1))
  fi
done
if [ "$parse_status" != 0 ]; then
  echo "phone UI sources do not parse" >&2
  total_failed=$((total_failed + 1))
fi
if [ "$instrumented_status" != 0 ]; then
  echo "Android instrumented tests failed" >&2
  total_failed=$((total_failed + 1))
fi
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
