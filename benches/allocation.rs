//! The allocation planner over 10 → 10,000 candidate locations and 1 → 50 lines.
#![allow(clippy::expect_used, missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ordo::inventory::allocation::{Problem, plan};
use ordo::{AllocationPolicy, AllocationStrategy, GeoPoint, LineId, LocationId};

/// `lines` lines of distinct SKUs; every location holds a few units of some SKUs, so that
/// no single location has everything and the planner has to work.
fn problem(locations: usize, lines: usize, strategy: AllocationStrategy) -> Problem {
    let policy = AllocationPolicy { strategy, ..AllocationPolicy::default() };
    let mut p = Problem::new(policy, Some(GeoPoint::new(50.0, 10.0)));
    for l in 0..lines {
        p.add_demand(LineId::new(), &format!("SKU-{l:03}"), 3);
    }
    for i in 0..locations {
        let geo = GeoPoint::new(47.0 + (i % 60) as f64 * 0.1, 6.0 + (i % 90) as f64 * 0.1);
        let c = p.add_candidate(LocationId::new(), &format!("loc-{i:05}"), &format!("Location {i}"), (i % 7) as i32, Some(geo));
        for s in 0..lines {
            p.candidates[c].available[s] = if (i + s) % 3 == 0 { 2 } else { 0 };
        }
    }
    p
}

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
