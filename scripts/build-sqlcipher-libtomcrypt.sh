#!/usr/bin/env bash
# Builds SQLCipher on LibTomCrypt as a static library, from the sources the
# `sqlcipher-src` crate ships (the crate libsqlite3-sys already uses for
# `bundled-sqlcipher`), with the same SQLite options libsqlite3-sys uses.
# Same file format as SQLCipher on OpenSSL (AES-256-CBC + HMAC-SHA512 per
# page, raw 32-byte key), no OpenSSL. Prints the directory holding
# libsqlcipher.a and sqlite3.h, for
#   SQLCIPHER_LIB_DIR=DIR SQLCIPHER_INCLUDE_DIR=DIR SQLCIPHER_STATIC=1 \
#     cargo build -p steady-ffi --no-default-features --features libtomcrypt
# Idempotent: the archive is cached under $STEADY_CACHE.
#
#   scripts/build-sqlcipher-libtomcrypt.sh [CC]
set -euo pipefail
cd "$(dirname "$0")/.."
CC="${1:-${CC:-cc}}"
VERSION=420.0.0+sqlcipher-4.20.0-sqlite-3.54.1-libtomcrypt-1.18.2
SRC=""
for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    if [ -d "$registry/sqlcipher-src-$VERSION/sqlcipher" ]; then
        SRC="$registry/sqlcipher-src-$VERSION/sqlcipher"
    fi
done
if [ -z "$SRC" ]; then
    cargo fetch -q >/dev/null
    SRC=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"sqlcipher-src-$VERSION"/sqlcipher | head -1)
fi
# Size first, position-independent (it goes into a shared library), each
# function in its own section so the final link drops what is unused, and no
# unwind tables: nothing unwinds through C frames (rusqlite catches a panic
# in every callback it hands SQLite before it could cross them).
COMMON=(-Os -fPIC -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
    -fno-unwind-tables -w -I "$SRC/libtomcrypt/headers")
LTC=(-DLTC_SOURCE -DLTC_NO_TEST -DLTC_NO_FILE)
# SQLite's options: libsqlite3-sys's bundled build, plus SQLCipher's, without
# the extensions Steady never uses (full-text search, R-tree, dbstat, soundex,
# column metadata, STAT4, loadable extensions) and the APIs it never calls
# (deprecated and UTF-16 interfaces, shared cache, sqlite3_complete,
# sqlite3_get_table, Tcl variables, memory statistics, serialization, the
# authorizer, progress callbacks, introspection pragmas, test hooks) — none
# of them touches the file format. JSON stays: the week screen queries with json_each.
SQLITE=(-DSQLITE_CORE -DSQLITE_DEFAULT_FOREIGN_KEYS=1 -DSQLITE_ENABLE_API_ARMOR
    -DSQLITE_ENABLE_JSON1 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_DEPRECATED
    -DSQLITE_OMIT_UTF16 -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_COMPLETE
    -DSQLITE_OMIT_GET_TABLE -DSQLITE_OMIT_TCL_VARIABLE -DSQLITE_DEFAULT_MEMSTATUS=0
    -DSQLITE_OMIT_DESERIALIZE -DSQLITE_OMIT_AUTHORIZATION -DSQLITE_OMIT_PROGRESS_CALLBACK
    -DSQLITE_OMIT_INTROSPECTION_PRAGMAS -DSQLITE_UNTESTABLE
    -DSQLITE_THREADSAFE=1 -DSQLITE_USE_URI -DHAVE_USLEEP=1 -DHAVE_ISNAN
    -D_POSIX_THREAD_SAFE_FUNCTIONS -DHAVE_LOCALTIME_R
    -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_LIBTOMCRYPT -DSQLITE_TEMP_STORE=2
    -DSQLITE_EXTRA_INIT=sqlcipher_extra_init -DSQLITE_EXTRA_SHUTDOWN=sqlcipher_extra_shutdown
    -DHAVE_STDINT_H=1)
# The cache is keyed by the target and the options, so a change rebuilds.
KEY=$(printf '%s ' "${COMMON[@]}" "${LTC[@]}" "${SQLITE[@]}" "$VERSION" | sha256sum | cut -c1-12)
OUT="${STEADY_CACHE:-$HOME/.cache/steady}/sqlcipher-libtomcrypt/$("$CC" -dumpmachine)-$KEY"
if [ -f "$OUT/libsqlcipher.a" ]; then
    echo "$OUT"
    exit 0
fi
mkdir -p "$OUT/obj"
sources=$(sed -n 's/^ *"\(libtomcrypt\/[^"]*\.c\)",$/\1/p' \
    "$(dirname "$SRC")/src/libtomcrypt_sources.rs")
n=0
pids=()
for source in $sources; do
    n=$((n + 1))
    "$CC" "${COMMON[@]}" "${LTC[@]}" -c "$SRC/$source" -o "$OUT/obj/ltc-$n.o" &
    pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then
        wait "${pids[0]}"
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
"$CC" "${COMMON[@]}" "${SQLITE[@]}" -c "$SRC/sqlcipher.c" -o "$OUT/obj/sqlcipher.o"
ar rcs "$OUT/libsqlcipher.a.tmp" "$OUT"/obj/*.o
mv "$OUT/libsqlcipher.a.tmp" "$OUT/libsqlcipher.a"
cp "$SRC/sqlite3.h" "$OUT/"
rm -rf "$OUT/obj"
echo "$OUT"
