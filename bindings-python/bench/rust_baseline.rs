//! The Rust side of bench.py: the same calls, same inputs, timed the same way (median of
//! rounds), so the Python/Rust ratio compares like with like. Built by bench.sh in a
//! throwaway crate under target/ (not a workspace member).

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
    let rounds = 15;
    let oms = setup();
    let n = 20_000;
    let mut avail = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(oms.available(std::hint::black_box("A"), None).expect("available"));
        }
        avail.push(t.elapsed().as_secs_f64() / f64::from(n));
    }
    let oms = setup();
    let n = 2_000u32;
    let mut place = Vec::new();
    let mut i = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..n {
            i += 1;
            std::hint::black_box(oms.place_order(order(i)).expect("place"));
        }
        place.push(t.elapsed().as_secs_f64() / f64::from(n));
    }
    println!("{{\"available\": {}, \"place_order\": {}}}", median(avail), median(place));
}
