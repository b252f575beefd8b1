//! Placing orders in memory: `place_order` alone, place + validate + allocate, and the
//! full lifecycle (place, validate, allocate, pick, pack, ship, in transit, delivered).
#![allow(clippy::expect_used, missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ordo::*;
use rust_decimal::Decimal;

fn setup() -> (Oms, LocationId) {
    let oms = Oms::in_memory();
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    for sku in ["A", "B", "C"] {
        oms.receive_stock(ReceiveStock::new(sku, loc.id, 1_000_000_000)).expect("stock");
    }
    (oms, loc.id)
}

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
    .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory");
    g.throughput(Throughput::Elements(1));
    let (oms, _) = setup();
    let mut i = 0u64;
    g.bench_function("place_order", |b| {
        b.iter(|| {
            i += 1;
            oms.place_order(order(i)).expect("place")
        })
    });
    let (oms, _) = setup();
    let mut i = 0u64;
    g.bench_function("place_validate_allocate", |b| {
        b.iter(|| {
            i += 1;
            let o = oms.place_order(order(i).payment_method(PaymentMethod::Invoice)).expect("place");
            oms.validate_order(o.id).expect("validate");
            oms.allocate_order(o.id).expect("allocate")
        })
    });
    let (oms, _) = setup();
    let mut i = 0u64;
    g.bench_function("lifecycle", |b| {
        b.iter(|| {
            i += 1;
            let o = oms.place_order(order(i).payment_method(PaymentMethod::Invoice)).expect("place");
            oms.validate_order(o.id).expect("validate");
            let a = oms.allocate_order(o.id).expect("allocate");
            let s = &a.shipments[0];
            oms.confirm_pick(s.id, vec![]).expect("pick");
            oms.pack_shipment(s.id, vec![Package::new(900)]).expect("pack");
            let tracking = format!("T{i}");
            oms.ship(s.id, ShipInput::new("DHL", tracking.clone())).expect("ship");
            oms.record_tracking_event(TrackingEventInput::by_tracking(tracking.clone(), "in_transit")).expect("in transit");
            oms.record_tracking_event(TrackingEventInput::by_tracking(tracking, "delivered")).expect("delivered")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
