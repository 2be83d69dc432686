#!/usr/bin/env bash
# Checks that the modules of the core, the CLI and the clinic server only
# import downwards: any module cycle fails (tools/layers, docs/adr/0005). Prints
# each cycle with one file:line per edge, then one count line:
#
#   layers: N crates without a cycle, M failed (a cycle, or a crate that does not parse)
#
#   scripts/test-layers.sh [CRATE_ROOT.rs...]   (default: core, cli, server)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"

roots=("$@")
[ ${#roots[@]} -gt 0 ] || roots=(core/src/lib.rs cli/src/main.rs server/src/lib.rs)

cargo build -q -p steady-layers
checker="$CARGO_TARGET_DIR/debug/steady-layers"
clean=0
cyclic=0
for root in "${roots[@]}"; do
  status=0
  timeout 120 "$checker" "$root" || status=$?
  case "$status" in
    0) clean=$((clean + 1)) ;;
    *) cyclic=$((cyclic + 1)) ;;
  esac
done
echo "layers: $clean crates without a cycle, $cyclic failed"
[ "$cyclic" -eq 0 ]
