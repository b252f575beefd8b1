#!/usr/bin/env bash
# Node vs Rust, one run, release builds: a trivial call (`available`) and `placeOrder`.
# 1. the criterion bench benches/place_order.rs (memory/place_order);
# 2. bench/rust_baseline.rs: the same calls as bench.mjs, timed the same way, in Rust;
# 3. bench.mjs against a release build of the package (napi build --release).
# Afterwards the debug build is restored for test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
[[ -x "$here/node_modules/.bin/napi" ]] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== criterion: benches/place_order.rs (memory/place_order)"
(cd "$root" && cargo bench -p ordo --bench place_order -- --noplot 'memory/place_order$' 2>&1 | grep -E "^memory/place_order|time:|thrpt:")

echo "== Rust baseline (bindings-node/bench/rust_baseline.rs, release)"
base="$root/target/node-bench-rust"
mkdir -p "$base/src"
cp "$here/bench/rust_baseline.rs" "$base/src/main.rs"
cat > "$base/Cargo.toml" <<TOML
[package]
name = "ordo-node-bench-baseline"
version = "0.0.0"
edition = "2024"
publish = false
[workspace]
[dependencies]
ordo = { path = "$root/core", default-features = false }
rust_decimal = "1.43"
TOML
rust_json="$(cd "$base" && CARGO_TARGET_DIR="$base/target" cargo run --quiet --release)"
echo "$rust_json"

echo "== Node (release build)"
(cd "$here" && npx napi build --platform --release >/dev/null 2>&1)
node_json="$(cd "$here" && node bench.mjs --json)"
echo "$node_json"
results="${CARGO_TARGET_DIR:-$root/target}/bench-results"
mkdir -p "$results"
node - "$rust_json" "$node_json" "$results/node.json" <<'JS'
const [rust, node] = process.argv.slice(2, 4).map((s) => JSON.parse(s))
const us = (s) => `${(s * 1e6).toFixed(2).padStart(8)} µs`
const rows = [
  ['Rust available', rust.available, rust.available],
  ['Node await oms.available', node.available, rust.available],
  ['Rust place_order', rust.place_order, rust.place_order],
  ['Node await oms.placeOrder', node.place_order, rust.place_order],
  ['Node placeOrder, 64 in flight', node.place_order_64_in_flight, rust.place_order],
  ['Node await of a resolved Promise', node.noop_promise, null],
]
console.log(`${''.padEnd(34)}${'median/call'.padStart(12)}${'vs Rust'.padStart(10)}${'per second'.padStart(14)}`)
for (const [name, v, ref] of rows) {
  const ratio = ref ? `${(v / ref).toFixed(1)}x`.padStart(10) : ''.padStart(10)
  console.log(`${name.padEnd(34)}${us(v)}${ratio}${Math.round(1 / v).toLocaleString('en').padStart(14)}`)
}
// Machine-readable copy for benches/report/report.py: seconds per call, ratios to Rust,
// and the overhead per call (binding minus Rust) in µs.
const out = {
  unit: 'seconds per call (median)',
  rust,
  node,
  ratio: { available: node.available / rust.available, place_order: node.place_order / rust.place_order },
  overhead_us: {
    available: (node.available - rust.available) * 1e6,
    place_order: (node.place_order - rust.place_order) * 1e6,
  },
}
require('fs').writeFileSync(process.argv[4], JSON.stringify(out) + '\n')
console.log(`results written to ${process.argv[4]}`)
JS
echo "== restoring the debug build for test.sh"
(cd "$here" && npx napi build --platform >/dev/null 2>&1)
