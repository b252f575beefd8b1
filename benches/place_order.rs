//! Placing orders in memory: `place_order` alone, place + validate + allocate, and the
//! full lifecycle (place, validate, allocate, pick, pack, ship, in transit, delivered).
#![allow(clippy::expect_used, missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ordo::Oms;

#[path = "common/mod.rs"]
mod common;
use common::{lifecycle, order, place_validate_allocate, stock_up};

fn setup() -> Oms {
    let oms = Oms::in_memory();
    stock_up(&oms);
    oms
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory");
    g.throughput(Throughput::Elements(1));
    let oms = setup();
    let mut i = 0u64;
    g.bench_function("place_order", |b| {
        b.iter(|| {
            i += 1;
            oms.place_order(order(i)).expect("place")
        })
    });
    let oms = setup();
    let mut i = 0u64;
    g.bench_function("place_validate_allocate", |b| {
        b.iter(|| {
            i += 1;
            place_validate_allocate(&oms, i)
        })
    });
    let oms = setup();
    let mut i = 0u64;
    g.bench_function("lifecycle", |b| {
        b.iter(|| {
            i += 1;
            lifecycle(&oms, i)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
