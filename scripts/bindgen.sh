#!/usr/bin/env bash
# Builds libsteady_ffi and generates the Kotlin and Swift bindings from it.
# Generated code is build output: it goes under OUT (default build/bindings)
# and into the gitignored source folders of the Swift package.
#
#   scripts/bindgen.sh [debug|release] [OUT]
#
# Layout written:
#   OUT/lib/libsteady_ffi.so          the library the JVM and Swift tests load
#   OUT/kotlin/app/steady/core/...    generated Kotlin (two packages, one per crate)
#   ios/SteadyCore/Sources/SteadyCoreFFI/   C headers + module.modulemap
#   ios/SteadyCore/Sources/SteadyCore/Generated/  generated Swift
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PROFILE="${1:-debug}"
OUT="${2:-$ROOT/build/bindings}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

profile_flag=()
[ "$PROFILE" = release ] && profile_flag=(--release)
cargo build -q -p steady-ffi "${profile_flag[@]}"
cargo build -q -p uniffi-bindgen
LIB="$TARGET_DIR/$PROFILE/libsteady_ffi.so"
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/kotlin" "$OUT/swift"
cp "$LIB" "$OUT/lib/"

"$BINDGEN" generate "$LIB" --language kotlin --no-format --out-dir "$OUT/kotlin" >/dev/null

# Both crates use the Swift module SteadyCore, so bindgen would write both into
# SteadyCore.swift; generate them one crate at a time and keep each file.
for crate in steady_core steady_ffi; do
  tmp="$OUT/swift/$crate"
  "$BINDGEN" generate "$LIB" --crate "$crate" --language swift --no-format --out-dir "$tmp" >/dev/null
  mv "$tmp/SteadyCore.swift" "$OUT/swift/$crate.swift"
  mv "$tmp/${crate}FFI.h" "$OUT/swift/"
  rmdir "$tmp"
done

PKG="$ROOT/ios/SteadyCore"
FFI_DIR="$PKG/Sources/SteadyCoreFFI"
GEN_DIR="$PKG/Sources/SteadyCore/Generated"
rm -rf "$FFI_DIR" "$GEN_DIR"
mkdir -p "$FFI_DIR" "$GEN_DIR"
cp "$OUT"/swift/*FFI.h "$FFI_DIR/"
cp "$OUT"/swift/*.swift "$GEN_DIR/"
cat > "$FFI_DIR/module.modulemap" <<'MAP'
module SteadyCoreFFI {
    header "steady_coreFFI.h"
    header "steady_ffiFFI.h"
    link "steady_ffi"
    export *
}
MAP
echo "bindings: $OUT (library $PROFILE)"
