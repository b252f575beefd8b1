//! A fixed workload for instruction counting with callgrind (repeatable on a noisy machine,
//! unlike wall time). Not a criterion bench: it runs one scenario a fixed number of times.
//!
//! ```text
//! cargo bench --bench profile --no-run
//! valgrind --tool=callgrind target/release/deps/profile-* place_allocate 10000
//! ```
//!
//! Scenarios: `place`, `place_allocate` (place, validate, allocate), `lifecycle` (to
//! delivered). The count defaults to 10,000 orders.
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scenario = args.first().map_or("place_allocate", String::as_str);
    let n: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let oms = Oms::in_memory();
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    for sku in ["A", "B", "C"] {
        oms.receive_stock(ReceiveStock::new(sku, loc.id, 1_000_000_000)).expect("stock");
    }
    for i in 0..n {
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
}
