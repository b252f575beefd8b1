//! What the benches share: one 3-line order, one stocked warehouse, the order path, the
//! planner's problem shape and the database size, so that every figure measures the same
//! work. Included by each bench with `#[path = "common/mod.rs"] mod common;`; a bench uses
//! only some of it.
#![allow(dead_code, clippy::expect_used)]

use std::path::Path;

use ordo::inventory::allocation::Problem;
use ordo::*;
use rust_decimal::Decimal;

/// The order every bench places: three lines (19 % and 7 % tax), a customer, a shipping
/// address in Berlin, paid by invoice (so that it validates without a payment).
pub fn order(i: u64) -> NewOrder {
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

/// Channel `web` and warehouse `nord` holding a billion units of A, B and C (no bench
/// runs out).
pub fn stock_up(oms: &Oms) -> LocationId {
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    for sku in ["A", "B", "C"] {
        oms.receive_stock(ReceiveStock::new(sku, loc.id, 1_000_000_000)).expect("stock");
    }
    loc.id
}

/// Places, validates and allocates order `i` (three commands).
pub fn place_validate_allocate(oms: &Oms, i: u64) -> Allocation {
    let o = oms.place_order(order(i)).expect("place");
    oms.validate_order(o.id).expect("validate");
    oms.allocate_order(o.id).expect("allocate")
}

/// Order `i` through every step to delivered (eight commands).
pub fn lifecycle(oms: &Oms, i: u64) -> Shipment {
    let a = place_validate_allocate(oms, i);
    let s = &a.shipments[0];
    oms.confirm_pick(s.id, vec![]).expect("pick");
    oms.pack_shipment(s.id, vec![Package::new(900)]).expect("pack");
    let tracking = format!("T{i}");
    oms.ship(s.id, ShipInput::new("DHL", tracking.clone())).expect("ship");
    oms.record_tracking_event(TrackingEventInput::by_tracking(tracking.clone(), "in_transit")).expect("in transit");
    oms.record_tracking_event(TrackingEventInput::by_tracking(tracking, "delivered")).expect("delivered")
}

/// `lines` lines of distinct SKUs over `locations` candidates; every location holds a few
/// units of some SKUs, so that no single location has everything and the planner has to
/// work.
pub fn planner_problem(locations: usize, lines: usize, strategy: AllocationStrategy) -> Problem {
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

/// Size of the database file after a checkpoint (the WAL folded in).
#[cfg(feature = "sqlite")]
pub fn db_bytes(path: &Path) -> u64 {
    let c = rusqlite::Connection::open(path).expect("open");
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0)).expect("page_count");
    let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page_size");
    u64::try_from(pages * size).expect("size")
}
