//! Idempotency keys: a retry returns the first result; a reused key is a conflict.

use ordo::*;

use crate::common::*;

pub fn retried_command_returns_first_result_and_does_nothing_twice(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "i1", vec![NewLine::new("A", 2, d("10.00"))]);
    let a1 = w.oms.with_idempotency_key("alloc-i1").allocate_order(o.id).unwrap();
    let a2 = w.oms.with_idempotency_key("alloc-i1").allocate_order(o.id).unwrap();
    assert_eq!(a1, a2);
    assert_eq!(w.oms.shipments(o.id).unwrap().len(), 1);
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 2);
    let p = NewPayment::new(PaymentKind::Captured, d("5.00"), "EUR");
    w.oms.with_idempotency_key("cap-1").record_payment(o.id, p.clone()).unwrap();
    w.oms.with_idempotency_key("cap-1").record_payment(o.id, p).unwrap();
    assert_eq!(w.oms.get_order(o.id).unwrap().payment.captured.amount(), d("5.00"));
}

pub fn same_key_with_other_input_is_a_conflict_and_changes_nothing(b: Backend) {
    let w = world(b);
    let o = w.oms.place_order(new_order("i2", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    w.oms.with_idempotency_key("k").record_payment(o.id, NewPayment::new(PaymentKind::Authorized, d("10.00"), "EUR")).unwrap();
    let before = snapshot(&w.oms);
    let err = w.oms.with_idempotency_key("k").record_payment(o.id, NewPayment::new(PaymentKind::Authorized, d("9.00"), "EUR")).unwrap_err();
    assert!(matches!(err, Error::Conflict(ConflictError::IdempotencyKeyReused { .. })));
    let err = w.oms.with_idempotency_key("k").validate_order(o.id).unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    assert_eq!(snapshot(&w.oms), before);
}

pub fn a_failed_command_does_not_burn_its_key(b: Backend) {
    let w = world(b);
    let o = w.oms.place_order(new_order("i3", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    let err = w.oms.with_idempotency_key("k2").allocate_order(o.id).unwrap_err();
    assert_eq!(err.code(), "INVALID_TRANSITION");
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, d("10.00"), "EUR")).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let a = w.oms.with_idempotency_key("k2").allocate_order(o.id).unwrap();
    assert_eq!(a.shipments.len(), 1);
}
