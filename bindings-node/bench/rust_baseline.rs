//! The Rust side of bench.mjs: the same calls with the same inputs, timed the same way
//! (median over rounds of sequential calls), so the Node/Rust ratio compares like with
//! like. Built by bench.sh in a throwaway crate under target/ (not a workspace member).
#![allow(clippy::expect_used, missing_docs)]

use std::time::Instant;

use ordo::*;
use rust_decimal::Decimal;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn setup() -> Oms {
    let oms = Oms::in_memory();
    oms.add_channel(NewChannel::new("web", "Web")).expect("channel");
    let loc = oms.add_location(NewLocation::warehouse("nord", "Nord")).expect("location");
    for sku in ["A", "B", "C"] {
        oms.receive_stock(ReceiveStock::new(sku, loc.id, 1_000_000)).expect("stock");
    }
    oms
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

fn main() {
    let (rounds, calls) = (15, 2000u64);
    let oms = setup();
    let available: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                std::hint::black_box(oms.available("A", None).expect("available"));
            }
            t.elapsed().as_secs_f64() / calls as f64
        })
        .collect();
    let mut i = 0u64;
    let place: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                i += 1;
                std::hint::black_box(oms.place_order(order(i)).expect("place"));
            }
            t.elapsed().as_secs_f64() / calls as f64
        })
        .collect();
    println!("{{\"available\": {}, \"place_order\": {}}}", median(available), median(place));
}
