#!/usr/bin/env bash
# The phone library's size budget: builds it as shipped (scripts/measure-size.sh:
# release, LTO, SQLCipher on LibTomCrypt, `-p steady-ffi` alone), fails when
# the stripped x86-64 library is over the budget, and checks that a database
# written by the earlier vendored-OpenSSL build opens in that build
# (core/tests/file_format.rs). Prints one count line:
#   size: N passed, M failed
#
# The budget is the size reached plus a small margin, not yet the 4 MB
# target: docs/measurements.md says where the bytes go and what reaches
# 4 MB. A cold release build takes several minutes; with the target cached,
# only the LTO link runs again.
set -uo pipefail
cd "$(dirname "$0")/.."
# Measured 7,181,008 B on 2026-12-02 (docs/measurements.md) + 3%.
BUDGET_BYTES="${STEADY_SIZE_BUDGET_BYTES:-7400000}"
passed=0
failed=0
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

if scripts/measure-size.sh 2>&1 | tee "$LOG"; then
    stripped=$(sed -nE 's/^size: ([0-9]+) bytes stripped.*/\1/p' "$LOG")
    if [ -n "$stripped" ] && [ "$stripped" -le "$BUDGET_BYTES" ]; then
        echo "size budget: $stripped <= $BUDGET_BYTES bytes"
        passed=$((passed + 1))
    else
        echo "size budget: ${stripped:-?} bytes is over the budget of $BUDGET_BYTES"
        failed=$((failed + 1))
    fi
else
    echo "size: the phone library did not build"
    failed=$((failed + 1))
fi

sqlcipher=$(scripts/build-sqlcipher-libtomcrypt.sh)
if SQLCIPHER_LIB_DIR="$sqlcipher" SQLCIPHER_INCLUDE_DIR="$sqlcipher" SQLCIPHER_STATIC=1 \
    cargo test -q -p steady-core --no-default-features --features libtomcrypt \
    --test file_format 2>&1 | tee "$LOG"; then
    passed=$((passed + $(grep -E '^test result:' "$LOG" | awk '{s+=$4} END {print s+0}')))
else
    failed=$((failed + 1))
fi

echo "size: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
