#!/usr/bin/env bash
# Browser tests of the clinician dashboard: Debian's Chromium driven by
# Playwright (npm playwright-core), with axe-core on every page, against a
# real `steady-clinic demo` server on loopback and the `steady` CLI as a
# patient's phone. Installs what is missing, idempotently: the `chromium`
# Debian package and the npm packages in $STEADY_CACHE/browser (outside the
# repository). Screenshots go to build/browser-screenshots. Prints
# "browser: N passed, M failed". Bounded to 10 minutes.
#
#   scripts/test-browser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STEADY_CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$STEADY_CACHE/target}"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (Debian)"
  apt-get install -y -q chromium > /dev/null
fi
NODE_DIR="$STEADY_CACHE/browser"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ] || [ ! -d "$NODE_DIR/node_modules/axe-core" ]; then
  echo "installing playwright-core and axe-core (npm) into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent playwright-core axe-core)
fi

cargo build -q -p steady-clinic -p steady-cli
BIN="$CARGO_TARGET_DIR/debug"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2> /dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The demo clinic on a free loopback port; its report is one JSON line.
"$BIN/steady-clinic" --json demo --db "$WORK/clinic.db" --phones "$WORK/phones" \
  --listen 127.0.0.1:0 > "$WORK/demo.json" 2> "$WORK/demo.log" &
SERVER_PID=$!
for _ in $(seq 1 240); do
  if [ -s "$WORK/demo.json" ]; then break; fi
  if ! kill -0 "$SERVER_PID" 2> /dev/null; then
    cat "$WORK/demo.log" >&2
    echo "browser: 0 passed, 1 failed (the demo server did not start)"
    exit 1
  fi
  sleep 0.5
done

mkdir -p "$ROOT/build/browser-screenshots"
DEMO_JSON="$WORK/demo.json" STEADY_BIN="$BIN/steady" WORK_DIR="$WORK" \
  SHOTS_DIR="$ROOT/build/browser-screenshots" NODE_PATH="$NODE_DIR/node_modules" \
  timeout 600 node tests/browser/dashboard.mjs
