#!/usr/bin/env bash
# Builds the release libsteady_ffi.so (opt-level z, LTO, one codegen unit, SQLCipher
# with vendored OpenSSL), checks bindings can be generated from it, then strips
# a copy — stripping happens only at packaging time, because bindgen reads the
# metadata symbols — and prints both sizes.
#
#   scripts/measure-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"
OUT="$PWD/build/size"
scripts/bindgen.sh release "$OUT/bindings" >/dev/null
LIB="$CARGO_TARGET_DIR/release/libsteady_ffi.so"
cp "$LIB" "$OUT/libsteady_ffi.so"
strip --strip-all "$OUT/libsteady_ffi.so"
unstripped=$(stat -c %s "$LIB")
stripped=$(stat -c %s "$OUT/libsteady_ffi.so")
printf 'libsteady_ffi.so (x86-64, release): %s bytes unstripped, %s bytes stripped (%.2f MB)\n' \
  "$unstripped" "$stripped" "$(echo "$stripped / 1048576" | bc -l)"
