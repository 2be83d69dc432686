#!/usr/bin/env bash
# Builds the SteadyCore Swift package (generated bindings, the SteadyShell
# layer, tests) and runs one of its XCTest suites on Linux against the built
# libsteady_ffi.so.
#
#   scripts/test-swift.sh BINDINGS_DIR [SUITE]   (BINDINGS_DIR as written by
#       scripts/bindgen.sh; SUITE is a test target, SteadyCoreTests by default;
#       scripts/test-ios-shell.sh runs SteadyShellTests)
# Uses `swift` from PATH when there is one; otherwise the Debian 13 root in
# SWIFT_ROOT (scripts/toolchains.sh makes it), entered with chroot.
# Extra environment for the tests can be passed in STEADY_SWIFT_ENV
# ("NAME=value NAME2=value2").
set -euo pipefail
cd "$(dirname "$0")/.."
BINDINGS="${1:-$PWD/build/bindings}"
SUITE="${2:-SteadyCoreTests}"
PKG="$PWD/ios/SteadyCore"

if [ -z "${SWIFT_ROOT:-}" ]; then
  cd "$PKG"
  # shellcheck disable=SC2086
  env LD_LIBRARY_PATH="$BINDINGS/lib" ${STEADY_SWIFT_ENV:-} \
    swift test --disable-swift-testing --filter "$SUITE" -Xlinker -L"$BINDINGS/lib" 2>&1
  exit
fi

# Inside the root: a copy of the package (its .build cache is kept between runs)
# and the library, in a folder of this checkout's own so that two checkouts
# sharing one root do not overwrite each other's build.
INNER=/steady-swift-$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)
DEST="$SWIFT_ROOT$INNER"
mkdir -p "$DEST/pkg" "$DEST/lib"
rm -rf "$DEST/pkg/Sources" "$DEST/pkg/Tests" "$DEST/lib"/*
cp -a "$PKG/Package.swift" "$PKG/Sources" "$PKG/Tests" "$DEST/pkg/"
cp "$BINDINGS"/lib/libsteady_ffi.so "$DEST/lib/"

# One Swift run at a time per root: the run mounts and unmounts the root's /proc.
exec 9>"$SWIFT_ROOT/.steady-swift.lock"
flock 9
mountpoint -q "$SWIFT_ROOT/proc" || mount -t proc proc "$SWIFT_ROOT/proc"
trap 'umount "$SWIFT_ROOT/proc" 2>/dev/null || true' EXIT
# shellcheck disable=SC2086
chroot "$SWIFT_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root \
  LD_LIBRARY_PATH="$INNER/lib" ${STEADY_SWIFT_ENV:-} \
  /bin/bash -c "cd $INNER/pkg && swift test --disable-swift-testing --filter $SUITE -Xlinker -L$INNER/lib" 2>&1
