#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz, libFuzzer, nightly) of the core's
# parsers of outside input: iCalendar import, clinic questionnaire
# definitions, sync pull payloads, the date/time argument parsers, and every
# write a phone shell makes through the FFI (ffi_writes).
# Bounded: FUZZ_SECONDS per target (default 30; the long tier sets e.g. 600).
# The instrumented build and the growing corpora are cached under
# ${STEADY_CACHE:-~/.cache/steady}; seeds live in fuzz/seeds, and inputs that
# once crashed live in fuzz/regressions and are replayed first, every run.
# Prints one count line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
TARGETS=(ical_import questionnaire_definition pull_payload local_dates ffi_writes)

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi

FUZZ_TARGET_DIR="$CACHE/fuzz-target"
cd "$ROOT/fuzz"
cargo +nightly fuzz build --target-dir "$FUZZ_TARGET_DIR" >/dev/null

passed=0
failed=0
for target in "${TARGETS[@]}"; do
    corpus="$CACHE/fuzz-corpus/$target"
    mkdir -p "$corpus" "$ROOT/fuzz/regressions/$target"
    status=0
    # Every input that ever crashed a target must keep passing.
    if [ -n "$(ls -A "$ROOT/fuzz/regressions/$target")" ]; then
        cargo +nightly fuzz run --target-dir "$FUZZ_TARGET_DIR" "$target" \
            "$ROOT/fuzz/regressions/$target" -- -runs=0 || status=$?
    fi
    if [ "$status" = 0 ]; then
        log="$CACHE/fuzz-$target.log"
        cargo +nightly fuzz run --target-dir "$FUZZ_TARGET_DIR" "$target" \
            "$corpus" "$ROOT/fuzz/seeds/$target" -- \
            -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 >"$log" 2>&1 || status=$?
        grep -E 'stat::number_of_executed_units|ERROR|panicked|Done' "$log" || true
    fi
    if [ "$status" = 0 ]; then
        echo "fuzz $target: ok"
        passed=$((passed + 1))
    else
        echo "fuzz $target: FAILED (the crashing input is in fuzz/artifacts/$target; copy it to fuzz/regressions/$target)"
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed targets passed, $failed failed (${SECONDS_PER_TARGET}s each)"
[ "$failed" -eq 0 ]
