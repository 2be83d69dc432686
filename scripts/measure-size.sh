#!/usr/bin/env bash
# Builds the phone library as shipped — release libsteady_ffi.so (opt-level z,
# LTO, one codegen unit), built with `-p steady-ffi` alone so the server's
# crypto choice cannot unify in, SQLCipher on LibTomCrypt
# (scripts/build-sqlcipher-libtomcrypt.sh; CRYPTO=openssl for the earlier
# vendored-OpenSSL build) — checks bindings can be generated from it, then
# strips a copy (stripping happens only at packaging time: bindgen reads the
# metadata symbols) and prints both sizes and the build time.
#
#   scripts/measure-size.sh                        # x86-64 (the build machine)
#   TARGET=aarch64-linux-android CC=$NDK/toolchains/llvm/prebuilt/linux-x86_64/bin/aarch64-linux-android24-clang \
#     STRIP=$NDK/toolchains/llvm/prebuilt/linux-x86_64/bin/llvm-strip scripts/measure-size.sh
#
# Last line: `size: <stripped bytes> bytes stripped, <unstripped> unstripped, built in <s> s`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${STEADY_CACHE:-$HOME/.cache/steady}/target}"
CRYPTO="${CRYPTO:-libtomcrypt}"
OUT="$PWD/build/size"
mkdir -p "$OUT"
start=$(date +%s)

target_flag=()
lib_dir="$CARGO_TARGET_DIR/release"
if [ -n "${TARGET:-}" ]; then
    target_flag=(--target "$TARGET")
    lib_dir="$CARGO_TARGET_DIR/$TARGET/release"
fi
case "$CRYPTO" in
    libtomcrypt)
        sqlcipher=$(scripts/build-sqlcipher-libtomcrypt.sh "${CC:-cc}")
        SQLCIPHER_LIB_DIR="$sqlcipher" SQLCIPHER_INCLUDE_DIR="$sqlcipher" SQLCIPHER_STATIC=1 \
            cargo build -q --release -p steady-ffi "${target_flag[@]}" \
            --no-default-features --features libtomcrypt
        ;;
    openssl)
        cargo build -q --release -p steady-ffi "${target_flag[@]}"
        ;;
    *)
        echo "CRYPTO must be libtomcrypt or openssl" >&2
        exit 2
        ;;
esac
seconds=$(($(date +%s) - start))
LIB="$lib_dir/libsteady_ffi.so"

# The metadata bindgen reads must be in the library as built.
cargo build -q -p uniffi-bindgen
rm -rf "$OUT/kotlin"
"$CARGO_TARGET_DIR/debug/uniffi-bindgen" generate "$LIB" --language kotlin --no-format \
    --out-dir "$OUT/kotlin" >/dev/null

cp "$LIB" "$OUT/libsteady_ffi.so"
"${STRIP:-strip}" --strip-all "$OUT/libsteady_ffi.so"
unstripped=$(stat -c %s "$LIB")
stripped=$(stat -c %s "$OUT/libsteady_ffi.so")
printf 'libsteady_ffi.so (%s, release, SQLCipher on %s): %.2f MB stripped\n' \
    "${TARGET:-x86-64}" "$CRYPTO" "$(echo "$stripped / 1048576" | bc -l)"
echo "size: $stripped bytes stripped, $unstripped unstripped, built in $seconds s"
