#!/usr/bin/env bash
# Parses the phone apps' source files that cannot be compiled on Linux (Compose
# screens and Android adapters; SwiftUI views and iOS adapters) with each
# language's own parser, so a syntax error fails the test command rather than a
# phone build. Kotlin: the compiler's PSI parser (tools/kotlin-parse); Swift:
# `swiftc -parse`. Type checking needs the Android SDK or Xcode: see
# docs/phone-apps.md for the builds that do it. Also checks the iOS app icons
# (ios/SteadyApp/Resources/make-icons.py --check).
#
#   scripts/check-parse.sh
# Needs KOTLIN_LIB and SWIFT_ROOT (or swift on PATH), as scripts/toolchains.sh sets.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$ROOT/build/parse-check"
mkdir -p "$WORK"

mapfile -t kotlin < <(find android tests/kotlin \( -name '*.kt' -o -name '*.kts' \) -not -path '*/build/*' 2>/dev/null | sort)
mapfile -t swift < <(find ios -name '*.swift' -not -path '*/.build/*' -not -path '*/Generated/*' 2>/dev/null | sort)

status=0
if [ ${#kotlin[@]} -gt 0 ]; then
  cp_jars="$KOTLIN_LIB/kotlin-compiler.jar:$KOTLIN_LIB/kotlin-stdlib.jar"
  javac -nowarn -d "$WORK/kotlin-parse" -cp "$cp_jars" tools/kotlin-parse/KotlinParse.java
  printf 'kotlin: '
  java -cp "$cp_jars:$WORK/kotlin-parse" KotlinParse "${kotlin[@]}" 2>"$WORK/kotlin-parse.log" \
    || { status=1; cat "$WORK/kotlin-parse.log" >&2; }
fi

if [ ${#swift[@]} -gt 0 ]; then
  printf 'swift: '
  if [ -z "${SWIFT_ROOT:-}" ]; then
    swiftc -parse "${swift[@]}" && echo "parsed ${#swift[@]} files, 0 syntax errors" || status=1
  else
    inner=/steady-parse-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
    rm -rf "$SWIFT_ROOT$inner"
    mkdir -p "$SWIFT_ROOT$inner"
    tar -cf - "${swift[@]}" | tar -xf - -C "$SWIFT_ROOT$inner"
    exec 9>"$SWIFT_ROOT/.steady-swift.lock"
    flock 9
    mountpoint -q "$SWIFT_ROOT/proc" || mount -t proc proc "$SWIFT_ROOT/proc"
    trap 'umount "$SWIFT_ROOT/proc" 2>/dev/null || true' EXIT
    if chroot "$SWIFT_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root \
      /bin/bash -c "cd $inner && swiftc -parse ${swift[*]}" >"$WORK/swift-parse.log" 2>&1; then
      echo "parsed ${#swift[@]} files, 0 syntax errors"
    else
      status=1
      sed "s#$inner/##" "$WORK/swift-parse.log" >&2
      echo "parsed ${#swift[@]} files, $(grep -cE '^[^ ]+:[0-9]+:[0-9]+: error: ' "$WORK/swift-parse.log") syntax errors"
    fi
  fi
fi

# The iOS app icons (the asset catalogue's PNGs, drawn by make-icons.py) are
# present, 1024x1024 opaque RGB, and what the script draws.
python3 ios/SteadyApp/Resources/make-icons.py --check || status=1
exit "$status"
