#!/usr/bin/env bash
# Every benchmark once, in test mode, so none can break unnoticed: the
# criterion benchmarks of the workspace (`cargo test --bench '*'`: each
# benchmark runs one iteration in the test profile, set-up included) and the
# clinic server's load benchmark (`steady-clinic bench`) with a few devices,
# on SQLite and, when STEADY_TEST_POSTGRES_URL is set, on PostgreSQL.
# Measures nothing: the numbers come from `cargo bench` and the release-like
# server build (docs/measurements.md). Prints one count line:
#   benches: N passed, M failed
set -uo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

passed=0
failed=0

# criterion prints "Testing <name>" then "Success" for each benchmark it ran.
if cargo test --workspace --bench '*' 2>&1 | tee "$LOG"; then
    n=$(grep -c '^Success' "$LOG" || true)
    passed=$((passed + n))
    [ "$n" -gt 0 ] || failed=$((failed + 1))
else
    passed=$((passed + $(grep -c '^Success' "$LOG" || true)))
    failed=$((failed + 1))
fi

cargo build -q -p steady-clinic || failed=$((failed + 1))
BIN="$TARGET/debug/steady-clinic"
server_bench() {
    local name="$1"
    shift
    if "$BIN" --json bench --devices 20 --clients 4 "$@" >"$LOG" 2>&1 \
        && grep -q '"devices":20' "$LOG"; then
        echo "steady-clinic bench ($name): ok"
        passed=$((passed + 1))
    else
        echo "steady-clinic bench ($name): FAILED"
        cat "$LOG"
        failed=$((failed + 1))
    fi
}
server_bench sqlite
if [ -n "${STEADY_TEST_POSTGRES_URL:-}" ]; then
    server_bench postgres --postgres "$STEADY_TEST_POSTGRES_URL"
fi

echo "benches: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
