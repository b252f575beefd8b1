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
