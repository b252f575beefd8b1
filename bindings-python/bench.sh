#!/usr/bin/env bash
# Python vs Rust, one run, release builds: a trivial call (`available`) and `place_order`.
# 1. the criterion bench benches/place_order.rs (memory/place_order);
# 2. bench/rust_baseline.rs: the same calls as bench.py, timed the same way, in Rust;
# 3. bench.py against a release build of the Python package (maturin develop --release).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="${ORDO_PY_VENV:-$root/target/py-venv}"
[[ -x "$venv/bin/maturin" ]] || bash "$here/test.sh"   # creates the venv with the pinned tools

echo "== criterion: benches/place_order.rs (memory/place_order)"
(cd "$root" && cargo bench -p ordo --bench place_order -- --noplot 'memory/place_order$' 2>&1 | grep -E "^memory/place_order|time:|thrpt:")

echo "== Rust baseline (bench/rust_baseline.rs, release)"
base="$root/target/py-bench-rust"
mkdir -p "$base/src"
cp "$here/bench/rust_baseline.rs" "$base/src/main.rs"
cat > "$base/Cargo.toml" <<TOML
[package]
name = "ordo-py-bench-baseline"
version = "0.0.0"
edition = "2024"
publish = false
[workspace]
[dependencies]
ordo = { path = "$root/core", default-features = false }
rust_decimal = "1.43"
[profile.release]
debug = false
TOML
rust_json="$(cd "$base" && CARGO_TARGET_DIR="$root/target/py-bench-rust/target" cargo run --quiet --release)"
echo "$rust_json"

echo "== Python (release build)"
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --release --quiet >/dev/null 2>&1)
py_json="$("$venv/bin/python" "$here/bench.py" --json)"
results="${CARGO_TARGET_DIR:-$root/target}/bench-results"
mkdir -p "$results"
"$venv/bin/python" - "$rust_json" "$py_json" "$results/python.json" <<'PY'
import json, sys
rust, py = json.loads(sys.argv[1]), json.loads(sys.argv[2])
us = lambda s: f"{s * 1e6:8.2f} µs"
print(f"{'':28}{'median/call':>12}{'vs Rust':>10}{'per second':>14}")
rows = [
    ("Rust available", rust["available"], rust["available"]),
    ("Python oms.available", py["available"], rust["available"]),
    ("  native method only", py["available_native"], rust["available"]),
    ("Rust place_order", rust["place_order"], rust["place_order"]),
    ("Python oms.place_order", py["place_order"], rust["place_order"]),
    ("  native method only", py["place_order_native"], rust["place_order"]),
    ("  Python input conversion", py["convert_in"], None),
    ("  Order.from_json", py["convert_out"], None),
    ("Python no-op call", py["noop_python_call"], None),
]
for name, v, ref in rows:
    ratio = f"{v / ref:9.1f}x" if ref else " " * 10
    print(f"{name:<28}{us(v)}{ratio}{1 / v:>14,.0f}")
# Machine-readable copy for benches/report/report.py: seconds per call, ratios to Rust,
# and the overhead per call (binding minus Rust) in µs.
out = {
    "unit": "seconds per call (median)",
    "rust": rust,
    "python": py,
    "ratio": {k: py[k] / rust[k] for k in ("available", "place_order")},
    "overhead_us": {k: (py[k] - rust[k]) * 1e6 for k in ("available", "place_order")},
}
with open(sys.argv[3], "w") as f:
    f.write(json.dumps(out) + "\n")
print(f"results written to {sys.argv[3]}")
PY
echo "== restoring the debug build for test.sh"
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --quiet >/dev/null 2>&1)
