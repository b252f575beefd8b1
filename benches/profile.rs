//! A fixed workload for instruction counting with callgrind (repeatable on a noisy machine,
//! unlike wall time). Not a criterion bench: it runs one scenario a fixed number of times.
//!
//! ```text
//! cargo bench --bench profile --no-run
//! valgrind --tool=callgrind target/release/deps/profile-* place_allocate 10000
//! ```
//!
//! Scenarios: `place`, `place_allocate` (place, validate, allocate), `lifecycle` (to
//! delivered), `import` (`import_orders` in batches of 1,000). The count defaults to
//! 10,000 orders. Without a known scenario (as under `cargo test` or `cargo bench`, which
//! pass only their own options) it prints this usage and does nothing. A third argument `sqlite` runs on an SQLite file (synchronous=NORMAL) in
//! a temporary folder instead of the memory store. `planner_nearest`, `planner_priority`
//! and `planner_fewest` plan 5 lines over 1,000 locations `n` times.
#![allow(clippy::expect_used, missing_docs)]

use ordo::*;

#[path = "common/mod.rs"]
mod common;
use common::{lifecycle, order, place_validate_allocate, stock_up};

/// The allocation planner: 5 lines over 1,000 locations (the shape of benches/allocation.rs),
/// planned `n` times with `strategy`.
fn planner(strategy: &str, n: u64) {
    use ordo::inventory::allocation::plan;
    let strategy = match strategy {
        "nearest" => AllocationStrategy::Nearest,
        "priority" => AllocationStrategy::Priority,
        _ => AllocationStrategy::FewestShipments,
    };
    let p = common::planner_problem(1000, 5, strategy);
    let mut shipments = 0;
    for _ in 0..n {
        shipments += plan(&p).location_count();
    }
    println!("planner: {n} plans, {shipments} shipments");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map_or("", String::as_str);
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    if !matches!(scenario, "place" | "place_allocate" | "lifecycle" | "import" | "planner_nearest" | "planner_priority" | "planner_fewest")
    {
        println!("usage: profile place|place_allocate|lifecycle|import|planner_nearest|planner_priority|planner_fewest [count] [sqlite]");
        return;
    }
    if let Some(strategy) = scenario.strip_prefix("planner_") {
        planner(strategy, n);
        return;
    }
    let dir = std::env::temp_dir().join(format!("ordo-profile-{}", std::process::id()));
    let oms = if args.get(2).is_some_and(|s| s == "sqlite") {
        std::fs::create_dir_all(&dir).expect("temp dir");
        Oms::open_with(dir.join("profile.db"), SqliteOptions::default().durability(Durability::Normal)).expect("open")
    } else {
        Oms::in_memory()
    };
    stock_up(&oms);
    if scenario == "import" {
        for start in (0..n).step_by(1000) {
            oms.import_orders((start..n.min(start + 1000)).map(order).collect()).expect("import");
        }
    }
    for i in (0..n).filter(|_| scenario != "import") {
        match scenario {
            "place" => drop(oms.place_order(order(i)).expect("place")),
            "place_allocate" => drop(place_validate_allocate(&oms, i)),
            _ => drop(lifecycle(&oms, i)),
        }
    }
    println!("{scenario}: {n} orders");
    drop(oms);
    let _ = std::fs::remove_dir_all(&dir);
}
