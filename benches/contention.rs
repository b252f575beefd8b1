//! Two threads contending for one SKU on one shared `Oms`, against the same work on one
//! thread, in one run:
//!
//! - `contention/memory/{1_thread,2_threads}`: the memory store;
//! - `contention/sqlite_normal/{1_thread,2_threads}`: the SQLite store (`Durability::Normal`)
//!   on a file in a temporary directory.
//!
//! One iteration is one order of one unit of the hot SKU, placed, validated and (if
//! validation confirmed it) allocated; throughput is in orders. Every timed batch starts on
//! a fresh store holding stock for half the orders of the batch, so demand always exceeds
//! stock; after each batch the bench checks that exactly the stock was granted.
//!
//! Before the benches a fixed check runs on both stores (2 threads × 1000 orders for 1000
//! units) and prints its grant count (`contention grant check …`), also written to
//! `target/bench-results/contention.json` when run by `cargo bench`.
#![allow(clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ordo::*;
use rust_decimal::Decimal;

const HOT: &str = "HOT";

/// `cargo bench` passes `--bench`; under `cargo test` (one pass of every bench) keep it short.
fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Where the machine-readable results go: `$CARGO_TARGET_DIR/bench-results`, else the
/// workspace's `target/bench-results`.
fn results_dir() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"), PathBuf::from);
    target.join("bench-results")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Memory,
    SqliteNormal,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Memory => "memory",
            Backend::SqliteNormal => "sqlite_normal",
        }
    }
}

/// A fresh store for one batch: the temporary directory (SQLite) lives as long as the `Oms`.
struct Fresh {
    oms: Oms,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh OMS with one channel, one warehouse and `stock` units of the hot SKU.
fn fresh(backend: Backend, stock: u32) -> Fresh {
    static DB: AtomicU64 = AtomicU64::new(0);
    let (oms, dir) = match backend {
        Backend::Memory => (Oms::in_memory(), None),
        Backend::SqliteNormal => {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join(format!("contention-{}.db", DB.fetch_add(1, Ordering::Relaxed)));
            let oms = Oms::open_with(path, SqliteOptions::default().durability(Durability::Normal)).expect("open");
            (oms, Some(dir))
        }
    };
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    if stock > 0 {
        oms.receive_stock(ReceiveStock::new(HOT, loc.id, stock)).expect("stock");
    }
    Fresh { oms, _dir: dir }
}

fn order(thread: usize, i: u64) -> NewOrder {
    NewOrder::new("web", "EUR", vec![NewLine::new(HOT, 1, Decimal::new(500, 2))])
        .external_ref(format!("hot-{thread}-{i}"))
        .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
        .payment_method(PaymentMethod::Invoice)
}

/// Places, validates and allocates `n` one-unit orders of the hot SKU; returns the units
/// granted (allocated). Orders validation holds (no stock left) are not allocated.
fn work(oms: &Oms, thread: usize, n: u64) -> u64 {
    let mut granted = 0u64;
    for i in 0..n {
        let o = oms.place_order(order(thread, i)).expect("place");
        let o = oms.validate_order(o.id).expect("validate");
        if o.state != OrderState::Confirmed {
            continue;
        }
        let a = oms.allocate_order(o.id).expect("allocate");
        granted += u64::from(a.order.lines[0].quantities.allocated);
    }
    granted
}

/// `orders` orders split over `threads` threads on one shared OMS; the wall time from
/// the first thread's start to the last thread's end, and the units granted.
fn run(oms: &Oms, threads: usize, orders: u64) -> (Duration, u64) {
    let per = orders / threads as u64;
    let extra = orders % threads as u64;
    let start = Instant::now();
    let granted = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let n = per + u64::from(t == 0) * extra;
                s.spawn(move || work(oms, t, n))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("worker")).sum::<u64>()
    });
    (start.elapsed(), granted)
}

/// After a timed batch: exactly the stock was granted and the level is fully reserved.
fn check_levels(oms: &Oms, stock: u64, orders: u64, granted: u64) {
    assert_eq!(granted, stock.min(orders), "exactly the stock is granted");
    let levels = oms.stock(HOT).expect("stock");
    let reserved: u64 = levels.iter().map(|l| u64::from(l.reserved)).sum();
    assert_eq!(reserved, granted, "{levels:?}");
    assert!(levels.iter().all(|l| l.available() == 0), "{levels:?}");
}

/// After the grant check, also: the orders agree with the levels, every order that was not
/// granted is on hold, and the ledger verifies. Returns the orders not granted.
fn check(oms: &Oms, stock: u64, orders: u64, granted: u64) -> u64 {
    check_levels(oms, stock, orders, granted);
    let all = oms.list_orders(&OrderQuery::default()).expect("orders");
    assert_eq!(all.len() as u64, orders);
    let allocated: u64 = all.iter().flat_map(|o| &o.lines).map(|l| u64::from(l.quantities.allocated)).sum();
    assert_eq!(allocated, granted);
    let held = all.iter().filter(|o| o.state == OrderState::OnHold).count() as u64;
    assert_eq!(held, orders - granted, "every order not granted is held");
    assert_eq!(oms.verify_inventory().expect("verify"), vec![]);
    held
}

/// The fixed grant-count check: 2 threads, `2 × stock` one-unit orders.
fn grant_check(_: &mut Criterion) {
    let stock: u64 = if bench_mode() { 1000 } else { 50 };
    let orders = 2 * stock;
    let mut json = Vec::new();
    for backend in [Backend::Memory, Backend::SqliteNormal] {
        let f = fresh(backend, u32::try_from(stock).expect("stock"));
        let (elapsed, granted) = run(&f.oms, 2, orders);
        let held = check(&f.oms, stock, orders, granted);
        println!(
            "contention grant check ({}): 2 threads, {orders} orders of 1 unit, stock {stock}: granted {granted}, not granted {held} (held), exact: {} ({:.0} orders/s)",
            backend.name(),
            granted == stock,
            orders as f64 / elapsed.as_secs_f64()
        );
        json.push(format!(
            "\"{}\": {{\"threads\": 2, \"orders\": {orders}, \"stock\": {stock}, \"granted\": {granted}, \"not_granted\": {held}, \"exact\": {}}}",
            backend.name(),
            granted == stock
        ));
    }
    if bench_mode() {
        let dir = results_dir();
        std::fs::create_dir_all(&dir).expect("results dir");
        std::fs::write(dir.join("contention.json"), format!("{{{}}}\n", json.join(", "))).expect("write contention.json");
    }
}

fn contention(c: &mut Criterion) {
    for backend in [Backend::Memory, Backend::SqliteNormal] {
        let mut g = c.benchmark_group(format!("contention/{}", backend.name()));
        g.throughput(Throughput::Elements(1));
        if backend == Backend::SqliteNormal {
            // ~200 µs per order: fewer, longer samples keep the run short.
            g.sample_size(30);
        }
        for (threads, name) in [(1usize, "1_thread"), (2, "2_threads")] {
            g.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    let stock = iters / 2;
                    let f = fresh(backend, u32::try_from(stock).expect("stock"));
                    let (elapsed, granted) = run(&f.oms, threads, iters);
                    check_levels(&f.oms, stock, iters, granted);
                    elapsed
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, grant_check, contention);
criterion_main!(benches);
