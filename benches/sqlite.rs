//! The SQLite store against a plain SQLite baseline, in one run:
//!
//! - `raw_insert/{full,normal}` (a): one row per transaction with rusqlite and the store's
//!   pragmas (WAL, `synchronous` FULL or NORMAL) — the ceiling for durable commits here.
//! - `place_validate_allocate/{full,normal}` (b): `place_order` + `validate_order` +
//!   `allocate_order`, three commands (three commits) per iteration; throughput is counted
//!   in commands so it compares with (a) directly.
//! - `lifecycle/{full,normal}` (c): one 3-line order through every step to delivered
//!   (eight commands).
//! - `import_1000/{full,normal}` (d): `import_orders` of 1000 3-line orders in one
//!   transaction; throughput in orders (`import_1000/memory`: the same on the memory
//!   store, the cost of the domain work alone).
//!
//! Before the benches it prints the database size per 3-line order. Run with
//! `cargo bench --bench sqlite -- --warm-up-time 1 --measurement-time 3`.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ordo::*;

#[path = "common/mod.rs"]
mod common;
use common::{db_bytes, order};

const DURABILITIES: [(&str, Durability); 2] = [("full", Durability::Full), ("normal", Durability::Normal)];

fn open(dir: &Path, name: &str, durability: Durability) -> Oms {
    let oms = Oms::open_with(dir.join(name), SqliteOptions::default().durability(durability)).expect("open");
    common::stock_up(&oms);
    oms
}

/// Bytes per 3-line order: placed only, and allocated (shipment, movements, events).
fn print_sizes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // `cargo bench` passes --bench; under `cargo test` (one pass of every bench) keep it short.
    let n = if std::env::args().any(|a| a == "--bench") { 5000u64 } else { 100 };
    let oms = open(dir.path(), "placed.db", Durability::Normal);
    let empty = db_bytes(&dir.path().join("placed.db"));
    oms.import_orders((0..n).map(order).collect()).expect("import");
    let placed = db_bytes(&dir.path().join("placed.db"));
    drop(oms);
    let oms = open(dir.path(), "allocated.db", Durability::Normal);
    for i in 0..n {
        common::place_validate_allocate(&oms, i);
    }
    let allocated = db_bytes(&dir.path().join("allocated.db"));
    println!(
        "database size per 3-line order ({n} orders): placed {} bytes, placed+validated+allocated {} bytes",
        (placed - empty) / n,
        (allocated - empty) / n
    );
}

fn raw_insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("raw_insert");
    g.throughput(Throughput::Elements(1));
    for (name, durability) in DURABILITIES {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = rusqlite::Connection::open(dir.path().join("raw.db")).expect("open");
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).expect("wal");
        conn.execute_batch(&SqliteOptions::default().durability(durability).pragmas()).expect("pragmas");
        conn.execute_batch("CREATE TABLE t (seq INTEGER PRIMARY KEY, id BLOB NOT NULL, doc TEXT NOT NULL)").expect("table");
        let doc = "x".repeat(200);
        g.bench_function(name, |b| {
            b.iter(|| {
                conn.prepare_cached("BEGIN IMMEDIATE").and_then(|mut s| s.execute([])).expect("begin");
                conn.prepare_cached("INSERT INTO t (id, doc) VALUES (?1, ?2)")
                    .and_then(|mut s| s.execute(rusqlite::params![uuid::Uuid::now_v7().as_bytes().as_slice(), doc]))
                    .expect("insert");
                conn.prepare_cached("COMMIT").and_then(|mut s| s.execute([])).expect("commit");
            })
        });
    }
    g.finish();
}

fn place_validate_allocate(c: &mut Criterion) {
    let mut g = c.benchmark_group("place_validate_allocate");
    g.throughput(Throughput::Elements(3));
    for (name, durability) in DURABILITIES {
        let dir = tempfile::tempdir().expect("tempdir");
        let oms = open(dir.path(), "b.db", durability);
        let mut i = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                common::place_validate_allocate(&oms, i)
            })
        });
    }
    g.finish();
}

fn lifecycle(c: &mut Criterion) {
    let mut g = c.benchmark_group("lifecycle");
    g.throughput(Throughput::Elements(1));
    for (name, durability) in DURABILITIES {
        let dir = tempfile::tempdir().expect("tempdir");
        let oms = open(dir.path(), "c.db", durability);
        let mut i = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                common::lifecycle(&oms, i)
            })
        });
    }
    g.finish();
}

fn import(c: &mut Criterion) {
    const BATCH: u64 = 1000;
    let mut g = c.benchmark_group("import_1000");
    g.throughput(Throughput::Elements(BATCH));
    g.sample_size(20);
    for (name, durability) in DURABILITIES {
        let dir = tempfile::tempdir().expect("tempdir");
        let oms = open(dir.path(), "d.db", durability);
        let mut next = 0u64;
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    next += BATCH;
                    (next - BATCH..next).map(order).collect::<Vec<_>>()
                },
                |batch| {
                    let results = oms.import_orders(batch).expect("import");
                    debug_assert!(results.iter().all(|r| matches!(r, ImportResult::Placed { .. })));
                    results
                },
                BatchSize::PerIteration,
            )
        });
    }
    // The same on the memory store: what the domain work alone costs.
    let oms = Oms::in_memory();
    common::stock_up(&oms);
    let mut next = 0u64;
    g.bench_function("memory", |b| {
        b.iter_batched(
            || {
                next += BATCH;
                (next - BATCH..next).map(order).collect::<Vec<_>>()
            },
            |batch| oms.import_orders(batch).expect("import"),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn sizes(_: &mut Criterion) {
    print_sizes();
}

criterion_group!(benches, sizes, raw_insert, place_validate_allocate, lifecycle, import);
criterion_main!(benches);
