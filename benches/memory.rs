//! Peak memory: resident memory per order held by the memory store, and SQLite bytes per
//! order. Not a criterion bench: it places a fixed number of orders once and measures.
//!
//! - memory store: `N` 3-line orders (default 1,000,000) placed with `import_orders` in
//!   batches of 10,000; resident memory (`VmRSS` in /proc/self/status) after the set-up and
//!   after the orders, read every `N / 10` orders too; bytes per order = growth / `N`.
//!   For scale, the size of one such order serialized as JSON (`order_json_bytes`).
//! - SQLite (`Durability::Normal`): `M` 3-line orders (default 20,000), once only placed
//!   (`import_orders`), once placed, validated and allocated one by one; bytes per order =
//!   growth of the checkpointed database file / `M`.
//!
//! ```text
//! cargo bench -p ordo --bench memory              # N = 1,000,000, M = 20,000
//! cargo bench -p ordo --bench memory -- 200000    # N = 200,000
//! cargo bench -p ordo --bench memory -- 200000 5000
//! ```
//!
//! Prints one JSON line and writes it to `target/bench-results/memory.json`. Without
//! `--bench` (as under `cargo test --benches`) it runs 2,000 and 200 orders and writes
//! nothing.
#![allow(clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use ordo::*;

#[path = "common/mod.rs"]
mod common;
use common::{db_bytes, order, place_validate_allocate, stock_up};

const BATCH: u64 = 10_000;

/// A field of /proc/self/status in bytes (`VmRSS`, `VmHWM`); 0 where there is none.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

fn import(oms: &Oms, from: u64, to: u64) {
    let results = oms.import_orders((from..to).map(order).collect()).expect("import");
    assert!(results.iter().all(|r| matches!(r, ImportResult::Placed { .. })), "every order placed");
}

/// Resident memory per order held by the memory store; the growth every `n / 10` orders.
fn memory_store(n: u64) -> serde_json::Value {
    let oms = Oms::in_memory();
    stock_up(&oms);
    // One small batch first, so that one-off allocations (thread pools, caches) are in the
    // baseline and not counted per order.
    import(&oms, u64::MAX - 100, u64::MAX);
    // The size of one such order as JSON: a yardstick for the bytes per order.
    let sample = oms.place_order(order(u64::MAX - 200)).expect("place");
    let json_bytes = serde_json::to_vec(&sample).expect("json").len();
    drop(sample);
    let before = status_bytes("VmRSS");
    let step = (n / 10).max(1);
    let mut curve = vec![serde_json::json!({"orders": 0, "rss_bytes": before})];
    let mut placed = 0u64;
    while placed < n {
        let to = (placed + BATCH).min(n).min((placed / step + 1) * step);
        import(&oms, placed, to);
        placed = to;
        if placed.is_multiple_of(step) || placed == n {
            curve.push(serde_json::json!({"orders": placed, "rss_bytes": status_bytes("VmRSS")}));
        }
    }
    let after = status_bytes("VmRSS");
    let count = oms.list_orders(&OrderQuery { limit: Some(1), ..OrderQuery::default() }).expect("orders").len();
    assert_eq!(count, 1, "the orders are held");
    serde_json::json!({
        "memory_orders": n,
        "memory_rss_before_bytes": before,
        "memory_rss_after_bytes": after,
        "memory_rss_peak_bytes": status_bytes("VmHWM"),
        "memory_rss_bytes_per_order": after.saturating_sub(before) as f64 / n as f64,
        "memory_rss_curve": curve,
        "order_json_bytes": json_bytes,
    })
}

/// Database bytes per 3-line order: placed only, and placed, validated and allocated.
fn sqlite(m: u64) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = |name: &str| {
        let oms = Oms::open_with(dir.path().join(name), SqliteOptions::default().durability(Durability::Normal)).expect("open");
        stock_up(&oms);
        oms
    };
    let oms = open("placed.db");
    let empty = db_bytes(&dir.path().join("placed.db"));
    let mut placed = 0;
    while placed < m {
        let to = (placed + BATCH).min(m);
        import(&oms, placed, to);
        placed = to;
    }
    drop(oms);
    let placed_bytes = db_bytes(&dir.path().join("placed.db"));
    let oms = open("allocated.db");
    let empty_allocated = db_bytes(&dir.path().join("allocated.db"));
    for i in 0..m {
        place_validate_allocate(&oms, i);
    }
    drop(oms);
    let allocated_bytes = db_bytes(&dir.path().join("allocated.db"));
    serde_json::json!({
        "sqlite_orders": m,
        "sqlite_bytes_per_order_placed": placed_bytes.saturating_sub(empty) as f64 / m as f64,
        "sqlite_bytes_per_order_allocated": allocated_bytes.saturating_sub(empty_allocated) as f64 / m as f64,
    })
}

/// Counts from the command line: the positional numbers, skipping the values of other
/// `--options` (criterion's, when `cargo bench -p ordo -- --measurement-time 2` runs every
/// bench).
fn counts(args: &[String]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with("--") {
            let takes_value = a != "--bench" && !a.contains('=') && args.get(i + 1).is_some_and(|v| !v.starts_with("--"));
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        if let Ok(n) = a.replace(['_', ','], "").parse::<u64>() {
            out.push(n.max(1));
        }
        i += 1;
    }
    out
}

fn results_dir() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"), PathBuf::from);
    target.join("bench-results")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    let counts = counts(&args);
    let n = counts.first().copied().unwrap_or(if bench { 1_000_000 } else { 2_000 });
    let m = counts.get(1).copied().unwrap_or(if bench { 20_000 } else { 200 });
    let t = std::time::Instant::now();
    let mut result = memory_store(n);
    let memory_secs = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let sql = sqlite(m);
    let sqlite_secs = t.elapsed().as_secs_f64();
    if let (Some(r), Some(s)) = (result.as_object_mut(), sql.as_object()) {
        r.extend(s.clone());
        r.insert("orders".into(), n.into());
        r.insert("memory_seconds".into(), memory_secs.into());
        r.insert("sqlite_seconds".into(), sqlite_secs.into());
    }
    let line = result.to_string();
    println!("{line}");
    if bench {
        let dir = results_dir();
        std::fs::create_dir_all(&dir).expect("results dir");
        std::fs::write(dir.join("memory.json"), format!("{line}\n")).expect("write memory.json");
        eprintln!("memory: {} written", dir.join("memory.json").display());
    }
}
