#!/usr/bin/env bash
# Installs, idempotently, the toolchains Steady's test command needs on a Debian
# x86-64 machine, and caches them outside the repository:
#   - Debian packages: JNA, Gson and JUnit 5 (Kotlin tests), debootstrap, PostgreSQL.
#   - kotlinc 2.x from the npm package `kotlin-compiler` (Debian's kotlin is 1.3).
#   - Swift 6 in a Debian 13 root (swiftlang does not install on Debian 12).
# A `kotlinc` or `swift` already on PATH is used as it is.
#
# Source it to get the variables below, or run it to just install:
#   STEADY_CACHE   cache root (default: ~/.cache/steady)
#   KOTLINC        path of the kotlinc to use
#   KOTLIN_LIB     directory holding kotlin-stdlib.jar and kotlin-test*.jar
#   SWIFT_ROOT     Debian 13 root holding swiftlang, or empty when swift is on PATH
set -euo pipefail

STEADY_CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
KOTLIN_VERSION="2.4.20"
mkdir -p "$STEADY_CACHE"

log() { echo "toolchains: $*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

install_debian_packages() {
  apt_install libjna-java libgoogle-gson-java junit5 debootstrap postgresql libssl-dev perl make
}

install_kotlin() {
  if command -v kotlinc >/dev/null 2>&1 && kotlinc -version 2>&1 | grep -q 'kotlinc-jvm 2\.'; then
    KOTLINC="$(command -v kotlinc)"
    KOTLIN_LIB="$(cd "$(dirname "$(readlink -f "$KOTLINC")")/../lib" && pwd)"
    return 0
  fi
  local dir="$STEADY_CACHE/kotlinc-$KOTLIN_VERSION"
  if [ ! -x "$dir/bin/kotlinc" ]; then
    log "fetching kotlin-compiler@$KOTLIN_VERSION from npm"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null)
    tar -xzf "$tmp"/kotlin-compiler-*.tgz -C "$tmp"
    rm -rf "$dir"
    # The npm package wraps the JetBrains distribution under package/.
    if [ -d "$tmp/package/kotlinc" ]; then
      mv "$tmp/package/kotlinc" "$dir"
    else
      mv "$tmp/package" "$dir"
    fi
    chmod +x "$dir"/bin/*
    rm -rf "$tmp"
  fi
  KOTLINC="$dir/bin/kotlinc"
  KOTLIN_LIB="$dir/lib"
}

install_swift() {
  if command -v swift >/dev/null 2>&1; then
    SWIFT_ROOT=""
    return 0
  fi
  local root="$STEADY_CACHE/swift-root"
  if [ ! -f "$root/.steady-ready" ]; then
    log "building a Debian 13 root with swiftlang in $root (a few minutes, ~3 GB)"
    rm -rf "$root"
    debootstrap --variant=minbase trixie "$root" >&2
    mount_proc "$root"
    chroot "$root" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends \
      swiftlang libc6-dev gcc >&2
    umount_proc "$root"
    touch "$root/.steady-ready"
  fi
  SWIFT_ROOT="$root"
}

mount_proc() {
  mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"
}

umount_proc() {
  if mountpoint -q "$1/proc"; then umount "$1/proc"; fi
}

install_debian_packages
install_kotlin
install_swift
export STEADY_CACHE KOTLINC KOTLIN_LIB SWIFT_ROOT
