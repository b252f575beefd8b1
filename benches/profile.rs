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
//! 10,000 orders. A third argument `sqlite` runs on an SQLite file (synchronous=NORMAL) in
//! a temporary folder instead of the memory store. `planner_nearest`, `planner_priority`
//! and `planner_fewest` plan 5 lines over 1,000 locations `n` times.
#![allow(clippy::expect_used, missing_docs)]

use ordo::*;
use rust_decimal::Decimal;

fn order(i: u64) -> NewOrder {
    NewOrder::new(
        "web",
        "EUR",
        vec![
            NewLine::new("A", 1, Decimal::new(1999, 2)).tax_rate(Decimal::new(19, 2)),
            NewLine::new("B", 2, Decimal::new(500, 2)).tax_rate(Decimal::new(7, 2)),
            NewLine::new("C", 1, Decimal::new(12_50, 2)).tax_rate(Decimal::new(19, 2)),
        ],
    )
    .external_ref(format!("ext-{i}"))
    .customer(Customer::new("Anna Muster", "anna@example.de"))
    .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
    .payment_method(PaymentMethod::Invoice)
}

/// The allocation planner: 5 lines over 1,000 locations (the shape of benches/allocation.rs),
/// planned `n` times with `strategy`.
fn planner(strategy: &str, n: u64) {
    use ordo::inventory::allocation::{Problem, plan};
    let strategy = match strategy {
        "nearest" => AllocationStrategy::Nearest,
        "priority" => AllocationStrategy::Priority,
        _ => AllocationStrategy::FewestShipments,
    };
    let policy = AllocationPolicy { strategy, ..AllocationPolicy::default() };
    let mut p = Problem::new(policy, Some(GeoPoint::new(50.0, 10.0)));
    for l in 0..5 {
        p.add_demand(LineId::new(), &format!("SKU-{l:03}"), 3);
    }
    for i in 0..1000usize {
        let geo = GeoPoint::new(47.0 + (i % 60) as f64 * 0.1, 6.0 + (i % 90) as f64 * 0.1);
        let c = p.add_candidate(LocationId::new(), &format!("loc-{i:05}"), &format!("Location {i}"), (i % 7) as i32, Some(geo));
        for s in 0..5 {
            p.candidates[c].available[s] = if (i + s) % 3 == 0 { 2 } else { 0 };
        }
    }
    let mut shipments = 0;
    for _ in 0..n {
        shipments += plan(&p).location_count();
    }
    println!("planner: {n} plans, {shipments} shipments");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map_or("place_allocate", String::as_str);
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
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
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    for sku in ["A", "B", "C"] {
        oms.receive_stock(ReceiveStock::new(sku, loc.id, 1_000_000_000)).expect("stock");
    }
    if scenario == "import" {
        for start in (0..n).step_by(1000) {
            oms.import_orders((start..n.min(start + 1000)).map(order).collect()).expect("import");
        }
    }
    for i in (0..n).filter(|_| scenario != "import") {
        let o = oms.place_order(order(i)).expect("place");
        if scenario == "place" {
            continue;
        }
        oms.validate_order(o.id).expect("validate");
        let a = oms.allocate_order(o.id).expect("allocate");
        if scenario == "place_allocate" {
            continue;
        }
        let s = &a.shipments[0];
        oms.confirm_pick(s.id, vec![]).expect("pick");
        oms.pack_shipment(s.id, vec![Package::new(900)]).expect("pack");
        let tracking = format!("T{i}");
        oms.ship(s.id, ShipInput::new("DHL", tracking.clone())).expect("ship");
        oms.record_tracking_event(TrackingEventInput::by_tracking(tracking.clone(), "in_transit")).expect("in transit");
        oms.record_tracking_event(TrackingEventInput::by_tracking(tracking, "delivered")).expect("delivered");
    }
    println!("{scenario}: {n} orders");
    drop(oms);
    let _ = std::fs::remove_dir_all(&dir);
}
