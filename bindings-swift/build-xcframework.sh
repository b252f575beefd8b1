#!/usr/bin/env bash
# Builds Ordo.xcframework for iOS (device + simulator) and macOS. Run on a Mac with Xcode
# and rustup; not run in CI (Linux). Output: bindings-swift/build/Ordo.xcframework, plus the
# generated Swift sources in bindings-swift/swift/Sources/Ordo (use them with the
# XCFramework as a `binaryTarget` named `ordoFFI`, or add both to an Xcode project).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/build
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
cd "$ROOT"

rustup target add "${TARGETS[@]}"
for t in "${TARGETS[@]}"; do cargo build --release -p ordo-swift --target "$t"; done
cargo build --release -p uniffi-bindgen

# Swift sources, C header and module map, generated from the (host) library's metadata.
rm -rf "$OUT" && mkdir -p "$OUT/headers"
target/release/uniffi-bindgen generate --library target/aarch64-apple-darwin/release/libordo_ffi.dylib \
  --language swift --out-dir "$OUT/gen"
cp "$OUT/gen/Ordo.swift" "$HERE/swift/Sources/Ordo/Ordo.swift"
cp "$OUT/gen/ordoFFI.h" "$OUT/headers/"
cp "$OUT/gen/ordoFFI.modulemap" "$OUT/headers/module.modulemap"

# One static library per platform: simulators and macOS are fat (arm64 + x86_64).
lib() { echo "target/$1/release/libordo_ffi.a"; }
mkdir -p "$OUT/ios-sim" "$OUT/macos"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$OUT/ios-sim/libordo_ffi.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$OUT/macos/libordo_ffi.a"

xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$OUT/headers" \
  -library "$OUT/ios-sim/libordo_ffi.a" -headers "$OUT/headers" \
  -library "$OUT/macos/libordo_ffi.a" -headers "$OUT/headers" \
  -output "$OUT/Ordo.xcframework"
echo "built $OUT/Ordo.xcframework"
