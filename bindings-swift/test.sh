#!/usr/bin/env bash
# Swift and Kotlin tests of ordo-swift (uniffi), with the real compilers:
#   1. builds the library (debug; cdylib + staticlib) in the workspace's build dir,
#   2. generates the Swift and Kotlin bindings with uniffi-bindgen (into swift/Sources and
#      kotlin/generated; not committed),
#   3. compiles and runs the Kotlin tests (npm kotlin-compiler, OpenJDK 17, Debian libjna-java),
#   4. runs the Swift tests (XCTest) with Swift 6.0.3 from Debian trixie in a chroot kept in
#      $ORDO_SWIFT_CHROOT (default /var/cache/ordo-swift-chroot; created once, reused).
# Installs what it needs (apt, npm) when run as root, as CI does. SKIP_SWIFT=1 skips step 4.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
cd "$ROOT"
CARGO=${CARGO:-cargo}
HOST=$(rustc -vV | sed -n 's/^host: //p')
# Same target as `make test` (see the Makefile), so the workspace compiles once.
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-$HOST}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
LIBDIR=$TARGET_DIR/$CARGO_BUILD_TARGET/debug
KOTLIN_VERSION=2.4.20
t0=$SECONDS
step() { echo "== ordo-swift: $* ($((SECONDS - t0)) s)"; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "missing Debian packages: ${missing[*]} (run as root or install them)" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

step "build"
$CARGO build --quiet -p ordo-swift -p uniffi-bindgen
LIB=$LIBDIR/libordo_ffi.so

step "generate bindings"
GEN=$TARGET_DIR/ordo-swift-gen
rm -rf "$GEN"
"$LIBDIR/uniffi-bindgen" generate --library "$LIB" --language swift --language kotlin --no-format --out-dir "$GEN" >/dev/null
mkdir -p "$HERE/swift/Sources/ordoFFI" "$HERE/swift/Sources/Ordo" "$HERE/kotlin/generated"
cp "$GEN/ordoFFI.h" "$HERE/swift/Sources/ordoFFI/ordoFFI.h"
# SwiftPM wants the name module.modulemap; `use "Darwin"` only means something on Apple platforms.
grep -v 'use "Darwin"' "$GEN/ordoFFI.modulemap" > "$HERE/swift/Sources/ordoFFI/module.modulemap"
cp "$GEN/Ordo.swift" "$HERE/swift/Sources/Ordo/Ordo.swift"
cp "$GEN/ordo/ordo.kt" "$HERE/kotlin/generated/ordo.kt"

step "Kotlin"
apt_install default-jdk-headless libjna-java
KOTLIN_CACHE=${ORDO_KOTLIN_CACHE:-/var/cache/ordo-kotlin}
mkdir -p "$KOTLIN_CACHE" 2>/dev/null && [ -w "$KOTLIN_CACHE" ] || KOTLIN_CACHE=$TARGET_DIR/kotlin-compiler
KC=$KOTLIN_CACHE/node_modules/kotlin-compiler
if [ "$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$KC/package.json" 2>/dev/null)" != "$KOTLIN_VERSION" ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix "$KOTLIN_CACHE" "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
fi
JNA=/usr/share/java/jna.jar
OUT=$TARGET_DIR/ordo-kotlin
mkdir -p "$OUT"
JAR=$OUT/ordo-test.jar
SRCS=("$HERE/kotlin/generated/ordo.kt" "$HERE/kotlin/OrdoExtensions.kt" "$HERE/kotlin/OrdoTest.kt")
# kotlinc takes ≈ 30 s: recompile only when a source changed.
if [ ! -f "$JAR" ] || ! cmp -s <(cat "${SRCS[@]}") "$OUT/sources.kt"; then
  "$KC/bin/kotlinc" "${SRCS[@]}" -cp "$JNA" -nowarn -d "$JAR"
  cat "${SRCS[@]}" > "$OUT/sources.kt"
fi
java -cp "$JAR:$JNA:$KC/lib/kotlin-stdlib.jar" -Djna.library.path="$LIBDIR" OrdoTestKt "$ROOT/tests/scenarios"

if [ "${SKIP_SWIFT:-0}" = 1 ]; then step "Swift skipped (SKIP_SWIFT=1)"; exit 0; fi

step "Swift"
CHROOT=${ORDO_SWIFT_CHROOT:-/var/cache/ordo-swift-chroot}
export ORDO_SWIFT_CHROOT=$CHROOT
bash "$HERE/chroot-setup.sh"
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" || true; done
}
trap cleanup EXIT
bind() {
  mkdir -p "$CHROOT$1"
  mountpoint -q "$CHROOT$1" || { mount --bind "$1" "$CHROOT$1"; MOUNTS+=("$CHROOT$1"); }
}
for d in /proc /sys /dev /dev/pts "$ROOT"; do bind "$d"; done
case "$TARGET_DIR/" in "$ROOT"/*) ;; *) bind "$TARGET_DIR" ;; esac
chroot "$CHROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LD_LIBRARY_PATH="$LIBDIR" \
  bash -c "cd '$HERE/swift' && swift test --disable-swift-testing --scratch-path '$TARGET_DIR/swift-build' -Xlinker -L'$LIBDIR' 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Build|Planning)'; exit \${PIPESTATUS[0]}"
step "done"
