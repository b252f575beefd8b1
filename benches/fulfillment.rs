//! Pick-list creation for 10,000 open shipments at one location (memory store).
#![allow(clippy::expect_used, missing_docs)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ordo::*;
use rust_decimal::Decimal;

const SHIPMENTS: u64 = 10_000;

/// An OMS with `SHIPMENTS` allocated orders (3 lines over 20 SKUs) at one warehouse.
fn warehouse_with_open_shipments() -> (Oms, LocationId) {
    let oms = Oms::in_memory();
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location").id;
    for s in 0..20 {
        let sku = format!("SKU-{s:02}");
        oms.receive_stock(ReceiveStock::new(&sku, loc, 1_000_000)).expect("stock");
        oms.set_bin(&sku, loc, Some(&format!("A-{:02}-{}", 20 - s, s % 3))).expect("bin");
    }
    for i in 0..SHIPMENTS {
        let lines = (0..3).map(|k| NewLine::new(format!("SKU-{:02}", (i + k * 7) % 20), 1 + (k as u32), Decimal::new(999, 2))).collect();
        let o = oms
            .place_order(
                NewOrder::new("web", "EUR", lines)
                    .external_ref(format!("o-{i}"))
                    .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
                    .payment_method(PaymentMethod::Invoice),
            )
            .expect("place");
        oms.validate_order(o.id).expect("validate");
        oms.allocate_order(o.id).expect("allocate");
    }
    (oms, loc)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("fulfillment");
    g.sample_size(10);
    g.throughput(Throughput::Elements(SHIPMENTS));
    g.bench_function("create_pick_list_10000_shipments", |b| {
        b.iter_batched(
            warehouse_with_open_shipments,
            |(oms, loc)| {
                let list = oms.create_pick_list(NewPickList::new(loc)).expect("pick list");
                assert_eq!(list.shipments.len() as u64, SHIPMENTS);
                list
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
