#!/usr/bin/env bash
# Steady's main job on a fresh machine: builds the clinic server and the
# `steady` CLI, then starts the clinic server on its embedded default (a SQLite
# file, loopback only) seeded with demo data: a staff account and three
# simulated patients whose phones run the real core and sync over HTTP. It
# keeps serving until Ctrl-C and prints an enrollment code for the CLI.
#
#   scripts/demo.sh            # serves on http://127.0.0.1:8686
#   STEADY_DEMO_LISTEN=127.0.0.1:9000 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"
cargo build -q -p steady-clinic -p steady-cli
BIN="$CARGO_TARGET_DIR/debug"
LISTEN="${STEADY_DEMO_LISTEN:-127.0.0.1:8686}"
DIR="${STEADY_DEMO_DIR:-$(mktemp -d)}"
mkdir -p "$DIR"
rm -f "$DIR"/clinic.db*

cat <<TEXT
Steady demo: clinic data in $DIR/clinic.db, simulated phones in $DIR/phones.

Clinician dashboard: http://$LISTEN/dashboard
  sign in as staff@demo.steady / demo password 123

Enroll the steady CLI as a patient from another terminal, with the code printed below:
  alias steady=$BIN/steady
  export STEADY_DB=$DIR/me/steady.db
  steady init
  steady enroll CODE --server http://$LISTEN
  steady consent grant cravings attendance messages --signature "Your Name"
  steady craving log 6 --trigger stress && steady sync
  steady schedule list          # the session series the clinic set, received by sync
  steady today
  steady message list           # the care team's messages; steady message send "..."
Stop the server with Ctrl-C.

TEXT
exec "$BIN/steady-clinic" demo --db "$DIR/clinic.db" --phones "$DIR/phones" --listen "$LISTEN"
