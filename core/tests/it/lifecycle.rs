//! The order path end to end, with the quantities, amounts and states a user relies on.

use chrono::Duration;
use ordo::*;

use crate::common::*;

pub fn seven_steps_move_quantities_stock_and_money(b: Backend) {
    let w = world(b);
    let o = confirmed(
        &w,
        "s1",
        vec![NewLine::new("A", 3, d("10.00")).tax_rate(d("0.19")), NewLine::new("B", 2, d("5.00")).tax_rate(d("0.07"))],
    );
    assert_eq!(o.totals.total.amount(), d("40.00"));
    assert_eq!(o.payment_status, PaymentStatus::Authorized);

    let a = w.oms.allocate_order(o.id).unwrap();
    assert_eq!(a.shipments.len(), 1, "nord has everything");
    assert_eq!(a.shipments[0].location, w.nord);
    assert_eq!(a.plan.explanations, vec!["Lager Nord: all 2 lines in stock, priority 1"]);
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 3);
    let s = a.shipments[0].id;
    w.oms.confirm_pick(s, vec![]).unwrap();
    w.oms.pack_shipment(s, vec![Package::new(900)]).unwrap();
    let shipped = w.oms.ship(s, ShipInput::new("DHL", "JJD0001")).unwrap();
    assert_eq!(shipped.tracking_url.as_deref(), Some("https://t.example/JJD0001"));
    let a_level = &w.oms.stock("A").unwrap()[0];
    assert_eq!((a_level.on_hand, a_level.reserved), (7, 0));
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.fulfillment_status, FulfillmentStatus::Shipped);
    assert!(o.lines.iter().all(|l| l.quantities.shipped == l.quantities.ordered));
    let due = w.oms.timeline(o.id).unwrap().into_iter().find_map(|t| match t.event.kind {
        EventKind::ShipmentShipped { capture_due, .. } => Some(capture_due),
        _ => None,
    });
    assert_eq!(due.map(|m| m.amount()), Some(d("40.00")));
    assert_eq!(w.oms.status_message(o.id, "de").unwrap(), "Ihre Bestellung 1001 wurde versandt (DHL, Sendungsnummer JJD0001).");
    assert_eq!(w.oms.status_message(o.id, "en-GB").unwrap(), "Your order 1001 has been shipped (DHL, tracking number JJD0001).");
    assert_eq!(w.oms.status_message(o.id, "fr").unwrap_err().code(), "INVALID_INPUT");

    w.oms.record_tracking_event(TrackingEventInput::by_tracking("JJD0001", "out_for_delivery")).unwrap();
    assert_eq!(w.oms.status_message(o.id, "de").unwrap(), "Ihre Bestellung 1001 wird heute zugestellt (DHL, Sendungsnummer JJD0001).");
    w.oms.record_tracking_event(TrackingEventInput::by_tracking("JJD0001", "delivered")).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!((o.state, o.fulfillment_status), (OrderState::Completed, FulfillmentStatus::Delivered));
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn order_is_split_when_no_location_has_everything_and_backordered_beyond_stock(b: Backend) {
    let w = world(b);
    w.oms.set_backorder_policy("B", BackorderPolicy::Allow).unwrap();
    let o = confirmed(&w, "s2", vec![NewLine::new("B", 8, d("1.00"))]);
    let a = w.oms.allocate_order(o.id).unwrap();
    assert_eq!(a.shipments.len(), 2);
    assert_eq!(a.order.lines[0].quantities.allocated, 8);
    // Stock arrives nowhere else; a second order for more than what is left is backordered.
    w.oms.receive_stock(ReceiveStock::new("B", w.sued, 1)).unwrap();
    let o2 = confirmed(&w, "s3", vec![NewLine::new("B", 2, d("1.00"))]);
    // Between validation and allocation, two units turn out damaged.
    w.oms.adjust_stock(AdjustStock::new("B", w.sued, -2, "damaged in storage")).unwrap();
    let a2 = w.oms.allocate_order(o2.id).unwrap();
    let q = a2.order.lines[0].quantities;
    assert_eq!((q.allocated, q.backordered), (1, 1));
    assert_eq!(a2.plan.backorders.len(), 1);
    // New stock goes to the backorder on receipt.
    w.oms.receive_stock(ReceiveStock::new("B", w.sued, 3)).unwrap();
    let o2 = w.oms.get_order(o2.id).unwrap();
    assert_eq!((o2.lines[0].quantities.allocated, o2.lines[0].quantities.backordered), (2, 0));
    assert_eq!(w.oms.shipments(o2.id).unwrap().len(), 2);
    assert!(w.oms.allocate_order(o2.id).unwrap().shipments.is_empty(), "nothing left to allocate");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn safety_stock_is_never_allocated(b: Backend) {
    let w = world(b);
    w.oms.set_safety_stock("A", w.nord, 8).unwrap();
    assert_eq!(w.oms.available("A", Some("web")).unwrap(), 2);
    let o = w.oms.place_order(new_order("ss", vec![NewLine::new("A", 3, d("1.00"))]).payment_method(PaymentMethod::Invoice)).unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold);
    assert_eq!(o.holds[0].code, HoldCode::InsufficientStock);
}

pub fn short_pick_corrects_stock_backorders_and_asks_a_person(b: Backend) {
    let w = world(b);
    // Nord has exactly the 3 units the order needs; the shelf holds only 2.
    w.oms.adjust_stock(AdjustStock::new("A", w.nord, -7, "count")).unwrap();
    let o = confirmed(&w, "sp", vec![NewLine::new("A", 3, d("10.00"))]);
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    let line = o.lines[0].id;
    let before = snapshot(&w.oms);
    let twice = w.oms.confirm_pick(s.id, vec![PickedUnits::new(line, 2), PickedUnits::new(line, 3)]).unwrap_err();
    assert!(matches!(&twice, Error::Input(i) if i.field == "picked[1].line"), "{twice}");
    assert_eq!(snapshot(&w.oms), before, "a line listed twice is refused, not half-read");
    let picked = w.oms.confirm_pick(s.id, vec![PickedUnits::new(line, 2)]).unwrap();
    assert_eq!(picked.lines[0].quantity, 2);
    let level = &w.oms.stock("A").unwrap()[0];
    assert_eq!((level.on_hand, level.reserved), (2, 2));
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold, "no other location has A and A is not backorderable");
    assert_eq!(o.holds[0].code, HoldCode::ShortPick);
    assert_eq!((o.lines[0].quantities.allocated, o.lines[0].quantities.backordered), (2, 0));
    let ex = w.oms.exceptions().unwrap();
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].kind, ExceptionKind::OrderOnHold);
    assert!(ex[0].reasons[0].starts_with("short_pick"), "{:?}", ex[0].reasons);
    // Held orders do not move forward.
    assert_eq!(w.oms.pack_shipment(s.id, vec![Package::new(1)]).unwrap_err().code(), "INVALID_TRANSITION");
    let o = w.oms.release_order(o.id, Some("ship what we have".into())).unwrap();
    assert_eq!(o.state, OrderState::InFulfillment);
    w.oms.pack_shipment(s.id, vec![Package::new(1)]).unwrap();
    w.oms.ship(s.id, ShipInput::new("DHL", "SP1")).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.fulfillment_status, FulfillmentStatus::PartiallyShipped);
    assert!(w.oms.exceptions().unwrap().is_empty());
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn short_picks_are_reallocated_from_other_locations(b: Backend) {
    let w = world(b);
    // B: nord 5, sued 5. The order takes 4 from nord; the shelf has 3.
    let o = confirmed(&w, "sp2", vec![NewLine::new("B", 4, d("5.00"))]);
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    assert_eq!(s.location, w.nord);
    w.oms.confirm_pick(s.id, vec![PickedUnits::new(o.lines[0].id, 3)]).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::InFulfillment, "no person needed");
    assert_eq!((o.lines[0].quantities.allocated, o.lines[0].quantities.backordered), (4, 0));
    let shipments = w.oms.shipments(o.id).unwrap();
    assert_eq!(shipments.len(), 2);
    // After the correction nord has 4 on hand and 3 reserved: its books still show one more
    // unit (another bin, say), and fewest shipments takes it from there.
    assert_eq!(shipments[1].units(), 1);
    assert_eq!(shipments[1].state, ShipmentState::Pending);
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn carrier_events_never_go_backwards_and_duplicates_change_nothing(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "ce", vec![NewLine::new("A", 1, d("10.00"))]);
    let s = ship_all(&w, o.id).remove(0);
    let t = s.tracking_number.clone().unwrap();
    let at = w.oms.now();
    w.oms.record_tracking_event(TrackingEventInput::by_tracking(&t, "delivered").at(at)).unwrap();
    let late = w.oms.record_tracking_event(TrackingEventInput::by_tracking(&t, "in_transit").at(at - Duration::hours(5))).unwrap();
    assert_eq!(late.state, ShipmentState::Delivered);
    assert!(!late.tracking[1].applied);
    let dup = w.oms.record_tracking_event(TrackingEventInput::by_tracking(&t, "delivered").at(at)).unwrap();
    assert_eq!(dup, late);
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.lines[0].quantities.delivered, 1, "delivered counted once");
    assert_eq!(w.oms.record_tracking_event(TrackingEventInput::by_tracking(&t, "teleported")).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.record_tracking_event(TrackingEventInput::by_tracking("nope", "delivered")).unwrap_err().code(), "NOT_FOUND");
}

pub fn lost_parcels_land_in_the_exception_queue(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "lost", vec![NewLine::new("A", 1, d("10.00"))]);
    let s = ship_all(&w, o.id).remove(0);
    w.clock.advance(Duration::days(3));
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "lost")).unwrap();
    w.clock.advance(Duration::hours(2));
    let ex = w.oms.exceptions().unwrap();
    assert_eq!(ex.len(), 1);
    assert_eq!((ex[0].kind, ex[0].shipment_id, ex[0].age_seconds), (ExceptionKind::DeliveryProblem, Some(s.id), 7200));
}

pub fn validation_holds_with_reasons_and_release_revalidates(b: Backend) {
    let w = world(b);
    let mut bad = berlin();
    bad.postal_code = "1011".into();
    let o =
        w.oms.place_order(new_order("v1", vec![NewLine::new("A", 1, d("10.00")), NewLine::new("ZZZ", 1, d("1.00"))]).ship_to(bad)).unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold);
    let codes: Vec<&str> = o.holds.iter().map(|h| h.code.as_str()).collect();
    assert_eq!(codes, vec!["address_invalid", "payment_missing", "unknown_sku"]);
    assert!(o.holds[0].message.contains("expected 5 digits"), "{}", o.holds[0].message);
    let told = w.oms.timeline(o.id).unwrap().iter().any(|t| t.event_type == "customer_notification_required");
    assert!(told);
    let err = w.oms.release_order(o.id, None).unwrap_err();
    let Error::ValidationFailed { reasons, .. } = err else { panic!("{err}") };
    assert_eq!(reasons.len(), 3);
    assert_eq!(w.oms.get_order(o.id).unwrap().state, OrderState::OnHold);
    // The billing address was taken from the wrong shipping address: fix both.
    let fix = OrderChanges { shipping_address: Some(berlin()), billing_address: Some(berlin()), ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, fix).unwrap().order.holds.len(), 3, "editing does not release");
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, d("11.00"), "EUR")).unwrap();
    w.oms.receive_stock(ReceiveStock::new("ZZZ", w.sued, 1)).unwrap();
    let o = w.oms.release_order(o.id, None).unwrap();
    assert_eq!(o.state, OrderState::Confirmed);
    assert!(o.holds.is_empty() && o.held_since.is_none());
}

struct NoPoBoxes;
impl Validator for NoPoBoxes {
    fn name(&self) -> &str {
        "no-po-boxes"
    }
    fn validate(&self, order: &Order, _: &validation::ValidationContext) -> Vec<HoldReason> {
        match &order.shipping_address {
            Some(a) if a.line1.to_lowercase().contains("postfach") => {
                vec![HoldReason::new(HoldCode::Other("po_box".into()), "we cannot ship to a PO box")]
            }
            _ => vec![],
        }
    }
}

pub fn host_validators_run_after_the_built_in_ones(b: Backend) {
    let oms = Oms::builder(b.store()).validator(NoPoBoxes).build();
    oms.add_channel(NewChannel::new("web", "Web")).unwrap();
    let l = oms.add_location(NewLocation::warehouse("x", "X")).unwrap();
    oms.receive_stock(ReceiveStock::new("A", l.id, 1)).unwrap();
    let mut a = berlin();
    a.line1 = "Postfach 12".into();
    let o = oms
        .place_order(new_order("pb", vec![NewLine::new("A", 1, d("1.00"))]).ship_to(a.clone()).payment_method(PaymentMethod::Invoice))
        .unwrap();
    let o = oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold);
    let holds: Vec<(&str, &str)> = o.holds.iter().map(|h| (h.code.as_str(), h.message.as_str())).collect();
    assert_eq!(holds, vec![("po_box", "we cannot ship to a PO box")]);
    // With a built-in reason too (no stock for the second unit), the host's comes after it.
    let two = oms.place_order(new_order("pb2", vec![NewLine::new("A", 2, d("1.00"))]).ship_to(a)).unwrap();
    let two = oms.validate_order(two.id).unwrap();
    let codes: Vec<&str> = two.holds.iter().map(|h| h.code.as_str()).collect();
    assert_eq!(codes, vec!["payment_missing", "insufficient_stock", "po_box"]);
}

pub fn cancelling_releases_reservations_and_announces_the_refund(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "c1", vec![NewLine::new("A", 2, d("10.00"))]);
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, d("20.00"), "EUR")).unwrap();
    w.oms.allocate_order(o.id).unwrap();
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 2);
    let o = w.oms.cancel_order(o.id, "customer changed their mind").unwrap();
    assert_eq!(o.state, OrderState::Cancelled);
    assert_eq!(o.fulfillment_status, FulfillmentStatus::Cancelled);
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 0);
    assert_eq!(w.oms.shipments(o.id).unwrap()[0].state, ShipmentState::Cancelled);
    let refund = w.oms.timeline(o.id).unwrap().into_iter().find_map(|t| match t.event.kind {
        EventKind::OrderCancelled { refund_due, .. } => Some(refund_due.amount()),
        _ => None,
    });
    assert_eq!(refund, Some(d("20.00")));
    assert_eq!(w.oms.cancel_order(o.id, "again").unwrap_err().code(), "INVALID_TRANSITION");
    let o2 = confirmed(&w, "c2", vec![NewLine::new("A", 1, d("10.00"))]);
    ship_all(&w, o2.id);
    assert_eq!(w.oms.cancel_order(o2.id, "too late").unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn returns_refund_exactly_what_was_paid_and_respect_the_window(b: Backend) {
    let w = world(b);
    // 3 × 10.00 with a 1.00 order discount: the line pays 29.00, units 9.67 / 9.67 / 9.66.
    let o = w.oms.place_order(new_order("r1", vec![NewLine::new("A", 3, d("10.00"))]).discount("ONE", d("1.00"))).unwrap();
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, d("29.00"), "EUR")).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let s = ship_all(&w, o.id).remove(0);
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).unwrap();
    let line = o.lines[0].id;
    let mut refunds = Vec::new();
    for _ in 0..3 {
        let r = w.oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::DoesNotFit)).unwrap();
        w.oms.approve_return(r.id, None).unwrap();
        w.oms.receive_return(r.id, ReceiveReturn::all_at(w.sued)).unwrap();
        w.oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::Restock)]).unwrap();
        let r = w.oms.resolve_return(r.id).unwrap();
        refunds.push(r.refund.unwrap().amount());
    }
    assert_eq!(refunds, vec![d("9.67"), d("9.67"), d("9.66")]);
    assert_eq!(refunds.iter().sum::<rust_decimal::Decimal>(), d("29.00"));
    assert_eq!(w.oms.stock("A").unwrap().iter().find(|l| l.location == w.sued).unwrap().on_hand, 3);
    let err = w.oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::Other)).unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT", "nothing left to return");

    let o2 = confirmed(&w, "r2", vec![NewLine::new("A", 1, d("10.00"))]);
    let s2 = ship_all(&w, o2.id).remove(0);
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s2.id, "delivered")).unwrap();
    w.clock.advance(Duration::days(14));
    let req = || ReturnRequest::new(vec![ReturnUnits::new(o2.lines[0].id, 1)], ReturnReason::ChangedMind);
    assert_eq!(w.oms.request_return(o2.id, req()).unwrap().state, ReturnState::Requested, "day 14 is inside the window");
    w.clock.advance(Duration::seconds(1));
    let o3 = confirmed(&w, "r3", vec![NewLine::new("A", 1, d("10.00"))]);
    let s3 = ship_all(&w, o3.id).remove(0);
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s3.id, "delivered")).unwrap();
    w.clock.advance(Duration::days(15));
    let err =
        w.oms.request_return(o3.id, ReturnRequest::new(vec![ReturnUnits::new(o3.lines[0].id, 1)], ReturnReason::ChangedMind)).unwrap_err();
    assert_eq!(err.code(), "RETURN_WINDOW_CLOSED");
    // A withdrawn return frees its units for a new request.
    let o4 = confirmed(&w, "r4", vec![NewLine::new("A", 1, d("10.00"))]);
    ship_all(&w, o4.id);
    let req = || ReturnRequest::new(vec![ReturnUnits::new(o4.lines[0].id, 1)], ReturnReason::ChangedMind);
    let r = w.oms.request_return(o4.id, req()).unwrap();
    assert_eq!(w.oms.request_return(o4.id, req()).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.cancel_return(r.id, "kept it").unwrap().state, ReturnState::Cancelled);
    assert_eq!(w.oms.request_return(o4.id, req()).unwrap().rma_number, "R-1004-2");
}

pub fn write_offs_do_not_return_to_stock_and_inspection_needs_receipt(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "wo", vec![NewLine::new("A", 2, d("10.00"))]);
    ship_all(&w, o.id);
    let line = o.lines[0].id;
    let r = w.oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(line, 2)], ReturnReason::Damaged)).unwrap();
    assert_eq!(w.oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::Restock)]).unwrap_err().code(), "INVALID_TRANSITION");
    w.oms.approve_return(r.id, Some("LBL-1".into())).unwrap();
    w.oms.receive_return(r.id, ReceiveReturn { location: w.nord, lines: vec![ReturnUnits::new(line, 1)] }).unwrap();
    let before = snapshot(&w.oms);
    assert_eq!(w.oms.inspect_return(r.id, vec![Inspection::new(line, 2, Disposition::Restock)]).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(snapshot(&w.oms), before);
    assert_eq!(w.oms.cancel_return(r.id, "changed my mind").unwrap_err().code(), "INVALID_TRANSITION", "goods already arrived");
    let r1 = w.oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::WriteOff)]).unwrap();
    assert_eq!(r1.state, ReturnState::Inspected);
    assert_eq!(w.oms.stock("A").unwrap()[0].on_hand, 8);
    let ex = w.oms.exceptions().unwrap();
    assert!(ex.is_empty(), "{ex:?}");
    w.oms.receive_return(r.id, ReceiveReturn::all_at(w.nord)).unwrap();
    assert_eq!(w.oms.exceptions().unwrap()[0].kind, ExceptionKind::ReturnAwaitingInspection);
    w.oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::Restock)]).unwrap();
    assert_eq!(w.oms.stock("A").unwrap()[0].on_hand, 9);
    let r = w.oms.resolve_return(r.id).unwrap();
    assert_eq!(r.refund.unwrap().amount(), d("20.00"));
    assert_eq!(w.oms.get_order(o.id).unwrap().lines[0].quantities.returned, 2);
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn pickup_orders_take_stock_only_from_their_store(b: Backend) {
    let w = world(b);
    let store = w.oms.add_location(NewLocation::store("mitte", "Store Mitte")).unwrap();
    w.oms.receive_stock(ReceiveStock::new("A", store.id, 1)).unwrap();
    let o = w
        .oms
        .place_order(
            new_order("pu", vec![NewLine::new("A", 2, d("10.00"))])
                .delivery(DeliveryMethod::Pickup { location: store.id })
                .payment_method(PaymentMethod::PayAtPickup),
        )
        .unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold, "the store has 1, the warehouses do not count");
    assert_eq!(
        w.oms
            .place_order(new_order("pu2", vec![NewLine::new("A", 1, d("1"))]).delivery(DeliveryMethod::Pickup { location: w.nord }))
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
}

pub fn order_numbers_and_lookups(b: Backend) {
    let w = world(b);
    let a = w.oms.place_order(new_order("n1", vec![NewLine::new("A", 1, d("1.00"))])).unwrap();
    let b = w.oms.place_order(new_order("n2", vec![NewLine::new("A", 1, d("1.00"))])).unwrap();
    assert_eq!((a.number.as_str(), b.number.as_str()), ("1001", "1002"));
    assert_eq!(w.oms.find_order("1002").unwrap().id, b.id);
    assert_eq!(w.oms.find_order("web/n1").unwrap().id, a.id);
    assert_eq!(w.oms.find_order("9999").unwrap_err().code(), "NOT_FOUND");
    let q = OrderQuery { limit: Some(1), offset: 1, ..OrderQuery::default() };
    assert_eq!(w.oms.list_orders(&q).unwrap()[0].id, b.id);
}

pub fn manual_holds_return_to_where_they_came_from(b: Backend) {
    let w = world(b);
    let o = w.oms.place_order(new_order("mh", vec![NewLine::new("A", 1, d("10.00"))])).unwrap();
    let held = w.oms.hold_order(o.id, NewHold::new("customer_request", "wait until Monday")).unwrap();
    assert_eq!((held.state, held.held_from), (OrderState::OnHold, Some(OrderState::Placed)));
    let released = w.oms.release_order(o.id, None).unwrap();
    assert_eq!(released.state, OrderState::Placed, "a manual hold does not validate");
    // Unchanged data is no edit.
    let same = OrderChanges { shipping_address: Some(berlin()), ..OrderChanges::default() };
    assert_eq!(w.oms.edit_order(o.id, same).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.get_order(o.id).unwrap().version, released.version);
}

pub fn an_order_delivered_while_held_completes_on_release(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "dh", vec![NewLine::new("A", 1, d("10.00"))]);
    let s = ship_all(&w, o.id).remove(0);
    w.oms.hold_order(o.id, NewHold::new("payment_review", "chargeback risk")).unwrap();
    w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!((o.state, o.fulfillment_status), (OrderState::OnHold, FulfillmentStatus::Delivered));
    let o = w.oms.release_order(o.id, None).unwrap();
    assert_eq!(o.state, OrderState::Completed);
    assert_eq!(w.oms.timeline(o.id).unwrap().last().unwrap().event_type, "order_completed");
}
