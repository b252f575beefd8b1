//! The allocation planner over 10 → 10,000 candidate locations and 1 → 50 lines.
#![allow(clippy::expect_used, missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ordo::AllocationStrategy;
use ordo::inventory::allocation::plan;

#[path = "common/mod.rs"]
mod common;
use common::planner_problem as problem;

fn bench(c: &mut Criterion) {
    for strategy in [AllocationStrategy::FewestShipments, AllocationStrategy::Priority, AllocationStrategy::Nearest] {
        let mut g = c.benchmark_group(format!("planner/{strategy:?}"));
        for lines in [1usize, 5, 20, 50] {
            for locations in [10usize, 100, 1_000, 10_000] {
                let p = problem(locations, lines, strategy);
                g.throughput(Throughput::Elements((locations * lines) as u64));
                g.bench_with_input(BenchmarkId::new(format!("{lines}_lines"), locations), &p, |b, p| b.iter(|| plan(p)));
            }
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
