#!/usr/bin/env bash
# Builds SteadyCoreFFI.xcframework for the iOS app (run on a Mac with Xcode and
# the Rust iOS targets installed: `rustup target add aarch64-apple-ios
# aarch64-apple-ios-sim x86_64-apple-ios`). The Swift package's binary target
# points at ios/SteadyCore/build/SteadyCoreFFI.xcframework on Apple platforms.
#
# It cannot run on the Linux build machines (no Xcode there); the same
# generated Swift and headers are compiled and tested on Linux by
# scripts/test-swift.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$ROOT/ios/SteadyCore"
OUT="$PKG/build"

# Headers, module map and Swift sources come from the host library.
scripts/bindgen.sh release "$ROOT/build/bindings"

for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo build --release -p steady-ffi --target "$target"
done

rm -rf "$OUT" && mkdir -p "$OUT/sim" "$OUT/headers"
lipo -create \
  "$TARGET_DIR/aarch64-apple-ios-sim/release/libsteady_ffi.a" \
  "$TARGET_DIR/x86_64-apple-ios/release/libsteady_ffi.a" \
  -output "$OUT/sim/libsteady_ffi.a"
cp "$PKG"/Sources/SteadyCoreFFI/*.h "$PKG/Sources/SteadyCoreFFI/module.modulemap" "$OUT/headers/"
# Static library: the module map must not ask the linker for a dynamic one.
sed -i '' '/link "steady_ffi"/d' "$OUT/headers/module.modulemap"

xcodebuild -create-xcframework \
  -library "$TARGET_DIR/aarch64-apple-ios/release/libsteady_ffi.a" -headers "$OUT/headers" \
  -library "$OUT/sim/libsteady_ffi.a" -headers "$OUT/headers" \
  -output "$OUT/SteadyCoreFFI.xcframework"
echo "built $OUT/SteadyCoreFFI.xcframework"
