#!/usr/bin/env bash
# The iOS shell suite: SteadyShell's XCTest suite on Linux against the real
# core library, including every scenario of tests/scenarios/scenarios.json
# (fakes only for the platform adapters). Writes
# build/scenario-results/ios.json and prints one count line:
#
#   ios-shell: N passed, M failed
#
# (unit tests, scenarios, and the check that neither SteadyShell nor the app
# calls a logger; a scenario skipped for want of the test clinic counts as
# failed: the whole list must run).
#
#   scripts/test-ios-shell.sh [BINDINGS_DIR]
# Uses the test clinic from the environment (STEADY_CLINIC_URL, as
# scripts/test-clinic.sh exports it) or starts its own on loopback. Needs
# SWIFT_ROOT or swift on PATH (scripts/toolchains.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BINDINGS="${1:-$ROOT/build/bindings}"
LOG="$ROOT/build/test-logs/ios-shell.txt"
RESULTS="$ROOT/build/scenario-results/ios.json"
mkdir -p "$(dirname "$LOG")" "$(dirname "$RESULTS")"
rm -f "$RESULTS"

if [ -z "${SWIFT_ROOT+set}" ]; then
  # shellcheck source=scripts/toolchains.sh
  source scripts/toolchains.sh
fi
[ -f "$BINDINGS/lib/libsteady_ffi.so" ] || scripts/bindgen.sh debug "$BINDINGS"

if [ -z "${STEADY_CLINIC_URL:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"
  # shellcheck source=scripts/test-clinic.sh
  source scripts/test-clinic.sh
  start_test_clinic "$ROOT/build/test-clinic-ios"
  trap stop_test_clinic EXIT
fi

# The list goes in, the results come out, through a folder the tests can
# see (inside the Swift root when the toolchain lives there).
share="$ROOT/build/scenario-io-ios"
inside="$share"
if [ -n "${SWIFT_ROOT:-}" ]; then
  inside="/steady-scenarios-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  share="$SWIFT_ROOT$inside"
fi
rm -rf "$share"
mkdir -p "$share"
cp tests/scenarios/scenarios.json "$share/"

# No health data in logs: the shell and the app log nothing at all.
log_calls=$(grep -rnE '\b(os_log|NSLog|print|debugPrint|dump)\(|Logger\(' \
  ios/SteadyCore/Sources/SteadyShell ios/SteadyApp --include='*.swift' || true)
if [ -n "$log_calls" ]; then
  echo "ios-shell: log calls in the shell or the app (no record content may be logged):" >&2
  echo "$log_calls" >&2
  log_check_failed=1
else
  echo "no log calls in SteadyShell or the app"
  log_check_failed=0
fi

status=0
STEADY_SWIFT_ENV="${STEADY_SWIFT_ENV:-} STEADY_SCENARIOS=$inside/scenarios.json STEADY_SCENARIO_RESULTS=$inside/ios.json" \
  timeout 1500 scripts/test-swift.sh "$BINDINGS" SteadyShellTests >"$LOG" 2>&1 || status=$?
[ -f "$share/ios.json" ] && cp "$share/ios.json" "$RESULTS"

grep -E "^scenario |Test Case .*(passed|failed)|error:|ios shell scenarios:" "$LOG" | tail -n 60 || true
# Unit tests count one each; the scenario list is one XCTest case, counted
# as its scenarios.
cases() { grep -E "Test Case '.*' $1" "$LOG" | grep -vc testEveryScenarioOfTheSharedList || true; }
unit_passed=$(cases passed)
unit_failed=$(cases failed)
scen=$(grep -E '^ios shell scenarios: ' "$LOG" | tail -1 || true)
s_pass=$(echo "$scen" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p')
s_fail=$(echo "$scen" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
s_skip=$(echo "$scen" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
passed=$((unit_passed + ${s_pass:-0} + 1 - log_check_failed))
failed=$((unit_failed + ${s_fail:-0} + ${s_skip:-0} + log_check_failed))
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1
[ -f "$RESULTS" ] || { echo "ios-shell: no results file written" >&2; failed=$((failed > 0 ? failed : 1)); }
echo "ios-shell: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
