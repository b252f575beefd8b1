//! After-sales: exchanges, repairs, claims, edits and partial cancellations.

use ordo::*;

use crate::common::*;

fn delivered(w: &World, ext: &str, lines: Vec<NewLine>) -> Order {
    let o = confirmed(w, ext, lines);
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, o.totals.total.amount(), "EUR")).unwrap();
    for s in ship_all(w, o.id) {
        w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).unwrap();
    }
    w.oms.get_order(o.id).unwrap()
}

fn returned(w: &World, o: &Order, request: ReturnRequest, disposition: Disposition) -> Return {
    let r = w.oms.request_return(o.id, request).unwrap();
    w.oms.approve_return(r.id, None).unwrap();
    let r = w.oms.receive_return(r.id, ReceiveReturn::all_at(w.nord)).unwrap();
    let inspections = r.lines.iter().map(|l| Inspection::new(l.line, l.received, disposition)).collect();
    w.oms.inspect_return(r.id, inspections).unwrap();
    w.oms.resolve_return(r.id).unwrap()
}

pub fn exchanges_place_a_linked_order_and_settle_the_difference(b: Backend) {
    let w = world(b);
    w.oms.receive_stock(ReceiveStock::new("SHIRT-L", w.sued, 5)).unwrap();
    let o = delivered(&w, "ex", vec![NewLine::new("A", 1, d("20.00")).tax_rate(d("0.19"))]);
    let line = o.lines[0].id;
    // Same price, other size: nothing due, nothing refunded.
    let mut req = ReturnRequest::new(vec![ReturnUnits::new(line, 1).exchange_for("SHIRT-L", None)], ReturnReason::DoesNotFit);
    req.resolution = Resolution::Exchange;
    let r = returned(&w, &o, req, Disposition::Restock);
    assert_eq!((r.refund.unwrap().amount(), r.amount_due), (d("0.00"), None));
    let replacement = w.oms.get_order(r.follow_up_order.unwrap()).unwrap();
    assert_eq!(replacement.lines[0].sku, "SHIRT-L");
    assert_eq!(replacement.payment_status, PaymentStatus::Paid, "paid with the returned value");
    assert_eq!(replacement.shipping_address, o.shipping_address);
    assert_eq!(replacement.metadata.get("follow_up_of").map(String::as_str), Some("1001"));
    // It goes through validation and allocation like any order.
    assert_eq!(w.oms.validate_order(replacement.id).unwrap().state, OrderState::Confirmed);
    assert_eq!(w.oms.allocate_order(replacement.id).unwrap().shipments[0].location, w.sued);

    // Dearer replacement: the difference is due.
    let o2 = delivered(&w, "ex2", vec![NewLine::new("A", 1, d("20.00"))]);
    let mut req =
        ReturnRequest::new(vec![ReturnUnits::new(o2.lines[0].id, 1).exchange_for("SHIRT-L", Some(d("25.50")))], ReturnReason::DoesNotFit);
    req.resolution = Resolution::Exchange;
    let r2 = returned(&w, &o2, req, Disposition::Restock);
    assert_eq!(r2.amount_due.map(|m| m.amount()), Some(d("5.50")));
    let rep2 = w.oms.get_order(r2.follow_up_order.unwrap()).unwrap();
    assert_eq!(rep2.payment_status, PaymentStatus::PartiallyPaid);

    // Cheaper replacement: the difference is refunded.
    let o3 = delivered(&w, "ex3", vec![NewLine::new("A", 1, d("20.00"))]);
    let mut req =
        ReturnRequest::new(vec![ReturnUnits::new(o3.lines[0].id, 1).exchange_for("SHIRT-L", Some(d("12.00")))], ReturnReason::DoesNotFit);
    req.resolution = Resolution::Exchange;
    let r3 = returned(&w, &o3, req, Disposition::Restock);
    assert_eq!((r3.refund.map(|m| m.amount()), r3.amount_due), (Some(d("8.00")), None));
    assert_eq!(
        w.oms.status_message(o3.id, "en").unwrap(),
        "Your exchange R-1005-1 for order 1005 is complete; the replacement is on its way."
    );

    // Unknown SKUs are refused; exchange fields need the exchange resolution.
    let mut bad = ReturnRequest::new(vec![ReturnUnits::new(o3.lines[0].id, 1).exchange_for("NOPE", None)], ReturnReason::DoesNotFit);
    bad.resolution = Resolution::Exchange;
    let o4 = delivered(&w, "ex4", vec![NewLine::new("A", 1, d("20.00"))]);
    bad.lines[0].line = o4.lines[0].id;
    assert_eq!(w.oms.request_return(o4.id, bad.clone()).unwrap_err().code(), "NOT_FOUND");
    bad.resolution = Resolution::Refund;
    assert_eq!(w.oms.request_return(o4.id, bad).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn repairs_send_the_goods_back_for_free(b: Backend) {
    let w = world(b);
    let o = delivered(&w, "rep", vec![NewLine::new("A", 1, d("89.00"))]);
    let line = o.lines[0].id;
    let mut req = ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::Damaged);
    req.resolution = Resolution::Repair;
    let r = w.oms.request_return(o.id, req).unwrap();
    w.oms.approve_return(r.id, None).unwrap();
    w.oms.receive_return(r.id, ReceiveReturn::all_at(w.nord)).unwrap();
    w.oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::Repair)]).unwrap();
    let on_hand = w.oms.stock("A").unwrap()[0].on_hand;
    let r = w.oms.resolve_return(r.id).unwrap();
    assert_eq!(r.refund.map(|m| m.amount()), Some(d("0.00")));
    let repair = w.oms.get_order(r.follow_up_order.unwrap()).unwrap();
    assert_eq!((repair.totals.total.amount(), repair.lines[0].sku.as_str()), (d("0.00"), "A"));
    assert_eq!(w.oms.stock("A").unwrap()[0].on_hand, on_hand + 1, "the repaired unit is back on the shelf");
    assert_eq!(w.oms.validate_order(repair.id).unwrap().state, OrderState::Confirmed);
    assert_eq!(w.oms.allocate_order(repair.id).unwrap().order.lines[0].quantities.allocated, 1);
    assert_eq!(w.oms.get_order(o.id).unwrap().lines[0].refunded_units, 0);
    // A repair needs every unit inspected as `repair`.
    let o2 = delivered(&w, "rep2", vec![NewLine::new("A", 1, d("89.00"))]);
    let mut req = ReturnRequest::new(vec![ReturnUnits::new(o2.lines[0].id, 1)], ReturnReason::Damaged);
    req.resolution = Resolution::Repair;
    let r2 = w.oms.request_return(o2.id, req).unwrap();
    w.oms.approve_return(r2.id, None).unwrap();
    w.oms.receive_return(r2.id, ReceiveReturn::all_at(w.nord)).unwrap();
    w.oms.inspect_return(r2.id, vec![Inspection::new(o2.lines[0].id, 1, Disposition::ReturnToVendor)]).unwrap();
    assert_eq!(w.oms.resolve_return(r2.id).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.movements(Some("A")).unwrap().last().unwrap().kind, MovementKind::ReturnedToVendor);
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn edits_preview_then_apply_line_changes_with_reallocation(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "ed", vec![NewLine::new("A", 2, d("10.00")).tax_rate(d("0.19")), NewLine::new("B", 1, d("5.00"))]);
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, d("25.00"), "EUR")).unwrap();
    w.oms.allocate_order(o.id).unwrap();
    let (a, b_line) = (o.lines[0].id, o.lines[1].id);
    let changes = OrderChanges {
        lines: vec![
            LineChange::SetQuantity { line: a, quantity: 1 },
            LineChange::Remove { line: b_line },
            LineChange::Add { line: NewLine::new("B", 3, d("2.00")).name("Spoon") },
        ],
        dry_run: true,
        ..OrderChanges::default()
    };
    let before = snapshot(&w.oms);
    let preview = w.oms.edit_order(o.id, changes.clone()).unwrap();
    assert!(!preview.applied);
    assert_eq!(snapshot(&w.oms), before, "a dry run stores nothing");
    assert_eq!((preview.total_before.amount(), preview.total_after.amount()), (d("25.00"), d("16.00")));
    assert_eq!((preview.to_refund.amount(), preview.to_collect.amount()), (d("9.00"), d("0.00")));
    assert_eq!(preview.released.iter().map(|u| (u.sku.as_str(), u.quantity)).collect::<Vec<_>>(), vec![("A", 1), ("B", 1)]);
    assert_eq!(preview.to_allocate.iter().map(|u| (u.sku.as_str(), u.quantity)).collect::<Vec<_>>(), vec![("B", 3)]);
    let applied = w.oms.edit_order(o.id, OrderChanges { dry_run: false, ..changes }).unwrap();
    assert!(applied.applied);
    let o = applied.order;
    assert_eq!(o.totals.total.amount(), d("16.00"));
    assert_eq!(
        o.lines.iter().map(|l| (l.sku.as_str(), l.quantities.ordered, l.quantities.allocated)).collect::<Vec<_>>(),
        vec![("A", 1, 1), ("B", 3, 3)]
    );
    let reserved = |sku: &str| w.oms.stock(sku).unwrap().iter().map(|l| l.reserved).sum::<u32>();
    assert_eq!((reserved("A"), reserved("B")), (1, 3));
    let edited = w.oms.timeline(o.id).unwrap().into_iter().find(|t| t.event_type == "order_edited").unwrap();
    assert_eq!(edited.summary, "Changed: lines; total 25.00 EUR → 16.00 EUR");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn shipped_or_picked_units_cannot_be_edited_away(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "ed2", vec![NewLine::new("A", 3, d("10.00"))]);
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    w.oms.confirm_pick(s.id, vec![]).unwrap();
    let before = snapshot(&w.oms);
    let set = |q| OrderChanges { lines: vec![LineChange::SetQuantity { line: o.lines[0].id, quantity: q }], ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, set(2)).unwrap_err().code(), "INVALID_INPUT");
    let remove = OrderChanges { lines: vec![LineChange::Remove { line: o.lines[0].id }], ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, remove).unwrap_err().code(), "INVALID_INPUT");
    let to_pickup = OrderChanges { delivery: Some(DeliveryMethod::Pickup { location: w.nord }), ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, to_pickup).unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(snapshot(&w.oms), before);
    // More of a picked line is fine: the extra unit is allocated.
    let more = w.oms.edit_order(o.id, set(4)).unwrap();
    assert_eq!(more.order.lines[0].quantities.allocated, 4);
}

pub fn open_units_of_lines_can_be_cancelled(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "cl", vec![NewLine::new("A", 3, d("10.00")), NewLine::new("B", 1, d("6.00"))]);
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, d("36.00"), "EUR")).unwrap();
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    let o = w.oms.cancel_lines(o.id, vec![CancelUnits::new(o.lines[0].id, 2)], "customer asked").unwrap();
    assert_eq!((o.lines[0].quantities.cancelled, o.lines[0].quantities.allocated), (2, 1));
    assert_eq!(w.oms.get_shipment(s.id).unwrap().lines[0].quantity, 1);
    let amount = w.oms.timeline(o.id).unwrap().into_iter().find_map(|t| match t.event.kind {
        EventKind::LineCancelled { amount, reason, .. } => Some((amount.amount(), reason)),
        _ => None,
    });
    assert_eq!(amount, Some((d("20.00"), "customer asked".to_owned())));
    assert_eq!(w.oms.cancel_lines(o.id, vec![CancelUnits::new(o.lines[0].id, 2)], "again").unwrap_err().code(), "INVALID_INPUT");
    // Ship the rest, then cancelling the last units cannot touch what shipped.
    w.oms.confirm_pick(s.id, vec![]).unwrap();
    assert_eq!(w.oms.cancel_lines(o.id, vec![CancelUnits::new(o.lines[1].id, 1)], "x").unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
    // Cancelling everything that is left cancels the order.
    let o2 = confirmed(&w, "cl2", vec![NewLine::new("A", 1, d("10.00"))]);
    let o2 = w.oms.cancel_lines(o2.id, vec![CancelUnits::new(o2.lines[0].id, 1)], "out of stock").unwrap();
    assert_eq!(o2.state, OrderState::Cancelled);
}

pub fn claims_settle_lost_and_damaged_parcels(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "cl-lost", vec![NewLine::new("A", 2, d("15.00"))]);
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, d("30.00"), "EUR")).unwrap();
    let s = ship_all(&w, o.id).remove(0);
    assert_eq!(w.oms.open_claim(s.id, NewClaim::new(ClaimKind::WrongItem)).unwrap_err().code(), "INVALID_TRANSITION", "not delivered");
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "lost")).unwrap();
    assert_eq!(w.oms.exceptions().unwrap()[0].kind, ExceptionKind::DeliveryProblem);
    let c = w.oms.open_claim(s.id, NewClaim { carrier_reference: Some("DHL-CL-77".into()), ..NewClaim::new(ClaimKind::Lost) }).unwrap();
    assert_eq!((c.number.as_str(), c.state), ("C-1001-1", ClaimState::Open));
    let ex = w.oms.exceptions().unwrap();
    assert_eq!(ex.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![ExceptionKind::ClaimOpen], "the claim replaces the delivery problem");
    assert_eq!(w.oms.open_claim(s.id, NewClaim::new(ClaimKind::Lost)).unwrap_err().code(), "CONFLICT");
    let settled = w.oms.resolve_claim(s.id, ClaimSettlement::new(ClaimResolution::Replacement)).unwrap();
    let replacement = w.oms.get_order(settled.replacement_order.unwrap()).unwrap();
    assert_eq!((replacement.lines[0].quantities.ordered, replacement.totals.total.amount()), (2, d("0.00")));
    assert_eq!(w.oms.validate_order(replacement.id).unwrap().state, OrderState::Confirmed);
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::Completed, "every unit is delivered or covered by a settled claim");
    assert_eq!(o.claims[0].carrier_reference.as_deref(), Some("DHL-CL-77"));
    assert_eq!(w.oms.resolve_claim(s.id, ClaimSettlement::new(ClaimResolution::Refund)).unwrap_err().code(), "INVALID_TRANSITION");
    assert!(w.oms.exceptions().unwrap().is_empty());

    // Damaged on arrival, after completion: refunded.
    let o2 = confirmed(&w, "cl-dmg", vec![NewLine::new("A", 1, d("15.00"))]);
    w.oms.record_payment(o2.id, NewPayment::new(PaymentKind::Captured, d("15.00"), "EUR")).unwrap();
    let s2 = ship_all(&w, o2.id).remove(0);
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s2.id, "delivered")).unwrap();
    w.oms.open_claim(s2.id, NewClaim::new(ClaimKind::Damaged)).unwrap();
    assert_eq!(w.oms.exceptions().unwrap()[0].kind, ExceptionKind::ClaimOpen);
    let c2 =
        w.oms.resolve_claim(s2.id, ClaimSettlement { resolution: ClaimResolution::Refund, carrier_reference: Some("X-1".into()) }).unwrap();
    assert_eq!(c2.refund.map(|m| m.amount()), Some(d("15.00")));
    assert_eq!(w.oms.claims(o2.id).unwrap()[0].state, ClaimState::Resolved);
}

pub fn old_backorders_ask_for_attention(b: Backend) {
    let w = world(b);
    w.oms.set_backorder_policy("LATE", BackorderPolicy::Allow).unwrap();
    let o = confirmed(&w, "late", vec![NewLine::new("LATE", 2, d("1.00"))]);
    w.oms.allocate_order(o.id).unwrap();
    assert!(w.oms.exceptions().unwrap().is_empty());
    w.clock.advance(chrono::Duration::days(8));
    let ex = w.oms.exceptions().unwrap();
    assert_eq!(ex.len(), 1);
    assert_eq!((ex[0].kind, ex[0].reasons[0].as_str()), (ExceptionKind::BackorderOverdue, "2 × LATE backordered"));
}

pub fn refused_after_sales_commands_change_nothing(b: Backend) {
    let w = world(b);
    let o = delivered(&w, "bad-as", vec![NewLine::new("A", 2, d("10.00"))]);
    let line = o.lines[0].id;
    let r = returned(&w, &o, ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::ChangedMind), Disposition::Restock);
    let before = snapshot(&w.oms);
    let returns_before = w.oms.returns(o.id).unwrap();
    // More than delivered, the same unit twice, refunding twice, an unknown exchange SKU,
    // editing shipped quantities, releasing an order that is not held.
    assert_eq!(
        w.oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(line, 2)], ReturnReason::Other)).unwrap_err().code(),
        "INVALID_INPUT"
    );
    assert_eq!(w.oms.resolve_return(r.id).unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Refunded, d("20.01"), "EUR")).unwrap_err().code(), "CONFLICT");
    let mut ex = ReturnRequest::new(vec![ReturnUnits::new(line, 1).exchange_for("GHOST", None)], ReturnReason::DoesNotFit);
    ex.resolution = Resolution::Exchange;
    assert_eq!(w.oms.request_return(o.id, ex).unwrap_err().code(), "NOT_FOUND");
    let shrink = OrderChanges { lines: vec![LineChange::SetQuantity { line, quantity: 1 }], ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, shrink).unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(w.oms.release_order(o.id, None).unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(w.oms.cancel_lines(o.id, vec![CancelUnits::new(line, 1)], "x").unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(snapshot(&w.oms), before);
    assert_eq!(w.oms.returns(o.id).unwrap(), returns_before);
}
