//! Input at and beyond the documented limits (`ordo::limits`): amounts, quantities, sizes.
//! Every refusal is typed, names the field, and stores nothing; input at a limit passes.

use std::time::Instant;

use ordo::*;
use serde_json::json;

use crate::common::*;

fn field(e: &Error) -> String {
    e.variant_and_details().1["field"].as_str().unwrap_or_default().to_owned()
}

pub fn amounts_beyond_the_range_are_typed_errors_never_overflows(b: Backend) {
    let w = world(b);
    let before = snapshot(&w.oms);
    let decimal_max = d("79228162514264337593543950335");
    for qty in [1, 2] {
        let e = w.oms.place_order(new_order(&format!("huge-{qty}"), vec![NewLine::new("A", qty, decimal_max)])).unwrap_err();
        assert_eq!(e.code(), "INVALID_AMOUNT", "{e}");
    }
    // 10¹³ EUR × 1,000,000 units: each part in range, the product not.
    let e = w.oms.place_order(new_order("product", vec![NewLine::new("A", 1_000_000, d("10000000.00"))])).unwrap_err();
    assert_eq!(e.code(), "INVALID_AMOUNT");
    assert_eq!(e.variant_and_details().0, "OutOfRange");
    assert_eq!(field(&e), "lines[0]: unit_price × quantity");
    let e = w
        .oms
        .place_order(new_order("sum", vec![NewLine::new("A", 1, d("9999999999999.99")), NewLine::new("B", 1, d("0.01"))]))
        .unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_AMOUNT", "the order's subtotal"));
    assert_eq!(snapshot(&w.oms), before);

    // At the limit: accepted; an edit that would pass it is refused and changes nothing.
    let o = w.oms.place_order(new_order("max", vec![NewLine::new("A", 1, d("9999999999999.99")).tax_rate(d("0.19"))])).unwrap();
    assert_eq!(o.totals.total.amount(), d("9999999999999.99"));
    assert_eq!(o.totals.tax.amount(), d("1596638655462.18"));
    let before = snapshot(&w.oms);
    let changes: OrderChanges =
        serde_json::from_value(json!({"lines": [{"type": "set_quantity", "line": o.lines[0].id, "quantity": 2}]})).unwrap();
    let e = w.oms.edit_order(o.id, changes).unwrap_err();
    assert_eq!(e.code(), "INVALID_AMOUNT");
    let add: OrderChanges =
        serde_json::from_value(json!({"lines": [{"type": "add", "line": {"sku": "B", "quantity": 1, "unit_price": "0.01"}}]})).unwrap();
    assert_eq!(w.oms.edit_order(o.id, add).unwrap_err().code(), "INVALID_AMOUNT");
    let e = w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, d("10000000000000"), "EUR")).unwrap_err();
    assert_eq!(e.code(), "INVALID_AMOUNT");
    assert_eq!(snapshot(&w.oms), before);
}

pub fn quantities_have_one_range_with_typed_errors(b: Backend) {
    let w = world(b);
    let before = snapshot(&w.oms);
    for delta in [i64::MAX, i64::MIN, i64::from(limits::MAX_QUANTITY) + 1] {
        let e = w.oms.adjust_stock(AdjustStock::new("A", w.nord, delta, "count")).unwrap_err();
        assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "delta"), "{delta}: {e}");
    }
    let e = w.oms.receive_stock(ReceiveStock::new("A", w.nord, u32::MAX)).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "quantity"));
    // A level may not pass the limit either: that is bad input, not a shortage.
    let e = w.oms.receive_stock(ReceiveStock::new("A", w.nord, limits::MAX_QUANTITY)).unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT", "{e}");
    assert!(e.to_string().contains("on_hand of A"), "{e}");
    // A shortage stays a shortage.
    let e = w.oms.adjust_stock(AdjustStock::new("A", w.nord, -11, "count")).unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_STOCK");
    assert_eq!(snapshot(&w.oms), before);
    let level = w.oms.receive_stock(ReceiveStock::new("A", w.nord, limits::MAX_QUANTITY - 10)).unwrap();
    assert_eq!(level.on_hand, limits::MAX_QUANTITY);
    assert_eq!(w.oms.adjust_stock(AdjustStock::new("A", w.nord, 1, "count")).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn oversized_input_is_refused_before_any_work(b: Backend) {
    let w = world(b);
    let before = snapshot(&w.oms);
    let big = "S".repeat(50 * 1024 * 1024);
    let started = Instant::now();
    let e = w.oms.place_order(new_order("big-sku", vec![NewLine::new(big.as_str(), 1, d("1.00"))])).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "lines[0].sku"));
    let e = w.oms.receive_stock(ReceiveStock::new(big.as_str(), w.nord, 1)).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "sku"));
    let e = w.oms.cancel_order(OrderId::new(), &big).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "reason"));
    let mut order = new_order("big-note", vec![NewLine::new("A", 1, d("1.00"))]);
    order.notes.push(big.clone());
    let e = w.oms.place_order(order).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "notes[0]"));
    let mut order = new_order("meta", vec![NewLine::new("A", 1, d("1.00"))]);
    order.metadata.insert("gift".into(), big.clone());
    let e = w.oms.place_order(order).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "metadata.gift"));
    // A list far beyond the limit, by name: refused before a single line is decoded.
    let lines: Vec<_> = (0..100_000).map(|i| json!({"sku": format!("S{i}"), "quantity": 1, "unit_price": "1.00"})).collect();
    let args = json!({"order": {"channel": "web", "currency": "EUR", "lines": lines}});
    let e = ordo::ops::execute(&w.oms, "place_order", &args).unwrap_err();
    assert_eq!((e.code(), field(&e).as_str()), ("INVALID_INPUT", "order.lines"));
    // Nested deeper than the limit, in metadata. (A `serde_json::Value` drops recursively, so
    // the test builds only a few hundred levels; the bindings refuse deeper input before
    // they build a value of it.)
    let mut deep = json!("leaf");
    for _ in 0..300 {
        deep = json!({ "x": deep });
    }
    let args = json!({"order": {"channel": "web", "currency": "EUR", "lines": [], "metadata": deep}});
    let e = ordo::ops::execute(&w.oms, "place_order", &args).unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
    assert!(e.to_string().contains(&format!("nested more than {} levels", limits::MAX_INPUT_DEPTH)), "{e}");
    assert_eq!(snapshot(&w.oms), before);
    // Refusing all of that reads each input once: well under a second even in a debug build
    // (a loose bound, only to catch work that grows with the input's size).
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    drop(deep);

    // Exactly at the limits: accepted.
    let mut order = new_order(&"r".repeat(limits::MAX_ID_BYTES), vec![NewLine::new("S".repeat(limits::MAX_ID_BYTES), 1, d("1.00"))]);
    order.notes.push("n".repeat(limits::MAX_NOTE_BYTES));
    for i in 0..limits::MAX_MAP_ENTRIES {
        order.metadata.insert(format!("k{i}"), "v".repeat(64));
    }
    let o = w.oms.place_order(order).unwrap();
    assert_eq!(o.metadata.len(), limits::MAX_MAP_ENTRIES);
    let mut order = new_order("too-many", vec![NewLine::new("A", 1, d("1.00"))]);
    for i in 0..=limits::MAX_MAP_ENTRIES {
        order.metadata.insert(format!("k{i}"), String::new());
    }
    assert_eq!(field(&w.oms.place_order(order).unwrap_err()), "metadata");
}
