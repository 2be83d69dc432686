#!/usr/bin/env bash
# Steady's main job on a fresh machine: builds the `steady` CLI and walks
# through a short session on an embedded, encrypted SQLite database — the same
# core the phone apps run.
#
#   scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"
cargo build -q -p steady-cli
STEADY="$CARGO_TARGET_DIR/debug/steady"

DEMO_DIR="${STEADY_DEMO_DIR:-$(mktemp -d)}"
export STEADY_DB="$DEMO_DIR/steady.db" STEADY_KEY_FILE="$DEMO_DIR/steady.key"
run() { echo "\$ steady $*"; "$STEADY" "$@"; echo; }

echo "Demo database in $DEMO_DIR (encrypted; the key is in steady.key, mode 0600)"
echo
run init
run --tz America/Chicago --now 2026-11-20T23:40:00Z craving log 7 --note "payday, old friends texting"
run --tz America/Chicago --now 2026-11-21T14:05:00Z craving log 3
run --tz America/Chicago --now 2026-11-22T01:15:00Z --json craving log 5
run --tz America/Chicago --now 2026-11-22T02:00:00Z craving list --days 7
echo "\$ grep -c 'old friends' steady.db   # the note is not readable in the file"
grep -c 'old friends' "$STEADY_DB" || true
