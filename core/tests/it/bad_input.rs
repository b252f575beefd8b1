//! Bad input gets a typed error that says what and where, and nothing is stored.

use ordo::*;

use crate::common::*;

fn rejects(w: &World, order: NewOrder, code: &str, mention: &str) {
    let before = snapshot(&w.oms);
    let err = w.oms.place_order(order).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert!(err.to_string().contains(mention), "'{err}' should mention '{mention}'");
    assert_eq!(snapshot(&w.oms), before, "a refused order must store nothing");
}

pub fn refused_orders_store_nothing(b: Backend) {
    let w = world(b);
    let line = || NewLine::new("A", 1, d("10.00"));
    rejects(&w, new_order("x1", vec![]), "INVALID_INPUT", "lines");
    rejects(&w, new_order("x2", vec![NewLine::new("A", 0, d("1"))]), "INVALID_INPUT", "lines[0].quantity");
    rejects(&w, new_order("x3", vec![line(), NewLine::new(" ", 1, d("1"))]), "INVALID_INPUT", "lines[1].sku");
    rejects(&w, new_order("x4", vec![NewLine::new("A", 1, d("-1"))]), "INVALID_AMOUNT", "lines[0].unit_price");
    rejects(&w, new_order("x5", vec![NewLine::new("A", 1, d("1.005"))]), "INVALID_AMOUNT", "1.005");
    rejects(&w, new_order("x6", vec![line().tax_rate(d("19"))]), "INVALID_INPUT", "tax_rate");
    rejects(&w, new_order("x7", vec![line().discount(d("10.01"))]), "INVALID_INPUT", "discount");
    rejects(&w, new_order("x8", vec![line()]).discount("BIG", d("10.01")), "INVALID_INPUT", "discounts");
    let mut o = new_order("x9", vec![line()]);
    o.currency = "EURO".into();
    rejects(&w, o, "UNKNOWN_CURRENCY", "EURO");
    let mut o = new_order("x10", vec![line()]);
    o.channel = "nope".into();
    rejects(&w, o, "NOT_FOUND", "channel nope");
    let mut o = new_order("x11", vec![line()]);
    o.shipping_address = None;
    rejects(&w, o, "INVALID_INPUT", "shipping_address");
    let jpy = NewOrder::new("web", "JPY", vec![NewLine::new("A", 1, d("100.5"))]).ship_to(berlin());
    rejects(&w, jpy, "INVALID_AMOUNT", "JPY");
    rejects(&w, new_order("x12", vec![line()]).delivery(DeliveryMethod::Pickup { location: LocationId::new() }), "NOT_FOUND", "location");
}

pub fn duplicate_external_reference_with_other_content_is_a_conflict(b: Backend) {
    let w = world(b);
    let first = w.oms.place_order(new_order("shop-1", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    let again = w.oms.place_order(new_order("shop-1", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(first.number, again.number);
    let before = snapshot(&w.oms);
    let err = w.oms.place_order(new_order("shop-1", vec![NewLine::new("A", 2, d("10.00"))])).unwrap_err();
    assert!(matches!(err, Error::Conflict(ConflictError::DuplicateOrder { .. })), "{err}");
    assert_eq!(snapshot(&w.oms), before);
    assert_eq!(w.oms.list_orders(&OrderQuery::default()).unwrap().len(), 1);
}

pub fn invalid_transitions_name_state_and_command_and_change_nothing(b: Backend) {
    let w = world(b);
    let o = w.oms.place_order(new_order("t1", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    let before = snapshot(&w.oms);
    let err = w.oms.allocate_order(o.id).unwrap_err();
    match &err {
        Error::InvalidTransition { entity, state, command, .. } => {
            assert_eq!((*entity, state.as_str(), *command), ("order", "placed", "allocate"));
        }
        other => panic!("{other}"),
    }
    assert_eq!(err.to_string(), "cannot allocate order 1001: it is placed");
    let err = w.oms.release_order(o.id, None).unwrap_err();
    assert_eq!(err.code(), "INVALID_TRANSITION");
    assert_eq!(snapshot(&w.oms), before);
}

pub fn payments_that_do_not_add_up_are_refused(b: Backend) {
    let w = world(b);
    let o = w.oms.place_order(new_order("p1", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    let before = snapshot(&w.oms);
    let cases = [
        (NewPayment::new(PaymentKind::Captured, d("10.01"), "EUR"), "CONFLICT"),
        (NewPayment::new(PaymentKind::Refunded, d("0.01"), "EUR"), "CONFLICT"),
        (NewPayment::new(PaymentKind::Voided, d("1"), "EUR"), "CONFLICT"),
        (NewPayment::new(PaymentKind::Captured, d("1"), "USD"), "CURRENCY_MISMATCH"),
        (NewPayment::new(PaymentKind::Captured, d("-1"), "EUR"), "INVALID_AMOUNT"),
        (NewPayment::new(PaymentKind::Captured, d("0.001"), "EUR"), "INVALID_AMOUNT"),
        (NewPayment::new(PaymentKind::Captured, d("1"), "XYZ"), "UNKNOWN_CURRENCY"),
    ];
    for (p, code) in cases {
        assert_eq!(w.oms.record_payment(o.id, p).unwrap_err().code(), code);
    }
    assert_eq!(snapshot(&w.oms), before);
    assert_eq!(w.oms.get_order(o.id).unwrap().payment_status, PaymentStatus::Unpaid);
}

pub fn stock_commands_refuse_bad_input(b: Backend) {
    let w = world(b);
    let before = snapshot(&w.oms);
    assert_eq!(w.oms.receive_stock(ReceiveStock::new("A", w.nord, 0)).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.receive_stock(ReceiveStock::new("", w.nord, 1)).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.receive_stock(ReceiveStock::new("A", LocationId::new(), 1)).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(w.oms.adjust_stock(AdjustStock::new("A", w.nord, -11, "count")).unwrap_err().code(), "INSUFFICIENT_STOCK");
    assert_eq!(w.oms.adjust_stock(AdjustStock::new("A", w.nord, -1, " ")).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.add_location(NewLocation::warehouse("nord", "again")).unwrap_err().code(), "CONFLICT");
    assert_eq!(w.oms.add_location(NewLocation::warehouse("a b", "bad code")).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.add_channel(NewChannel::new("web", "again")).unwrap_err().code(), "CONFLICT");
    assert_eq!(snapshot(&w.oms), before);
}
