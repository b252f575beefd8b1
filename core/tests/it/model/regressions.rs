//! Bugs the model found, each as the shortest command sequence that showed it.

use ordo::*;

use crate::common::*;

/// Cancelling every unit of an order with `cancel_lines` cancels the order; the checkout
/// hold it had converted must be released with it, as `cancel_order` does.
pub fn cancelling_every_unit_releases_the_converted_checkout_hold(b: Backend) {
    let w = world(b);
    w.oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 1)], 600)).unwrap();
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 1);
    let o = w.oms.place_order(new_order("r-1", vec![NewLine::new("A", 1, d("3.00"))]).cart_ref("cart-1")).unwrap();
    let o = w.oms.cancel_lines(o.id, vec![CancelUnits::new(o.lines[0].id, 1)], "customer asked").unwrap();
    assert_eq!(o.state, OrderState::Cancelled);
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 0, "the cancelled order's checkout hold still reserves stock");
    assert_eq!(w.oms.stock_hold("cart-1").unwrap_err().code(), "NOT_FOUND");
}

/// A short pick whose missing units the channel cancels leaves an order whose every open
/// unit was delivered: the order completes, as it does when `cancel_lines` leaves it so.
pub fn an_order_whose_short_units_are_cancelled_completes_when_the_rest_was_delivered(b: Backend) {
    let w = world(b);
    let cancel = AllocationPolicy { on_shortage: ShortagePolicy::CancelLine, ..AllocationPolicy::default() };
    w.oms.add_channel(NewChannel::new("market", "Marketplace").allocation(cancel)).unwrap();
    // A only at nord, C only at sued: the order ships from both.
    w.oms.receive_stock(ReceiveStock::new("C", w.sued, 3)).unwrap();
    let mut new = new_order("r-2", vec![NewLine::new("A", 10, d("3.00")), NewLine::new("C", 3, d("3.00"))]);
    new.channel = "market".into();
    new.payment_method = PaymentMethod::Invoice;
    let o = w.oms.place_order(new).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let shipments = w.oms.allocate_order(o.id).unwrap().shipments;
    let (a, rest): (Vec<_>, Vec<_>) = shipments.into_iter().partition(|s| s.lines.iter().any(|l| l.sku == "A"));
    for (i, s) in rest.iter().enumerate() {
        w.oms.confirm_pick(s.id, vec![]).unwrap();
        w.oms.pack_shipment(s.id, vec![Package::new(500)]).unwrap();
        w.oms.ship(s.id, ShipInput::new("DHL", format!("R2-{i}"))).unwrap();
        w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).unwrap();
    }
    // Nothing of A is on the shelf: the market channel cancels the missing units.
    let a = &a[0];
    let line = a.lines.iter().find(|l| l.sku == "A").unwrap();
    w.oms.confirm_pick(a.id, vec![PickedUnits::new(line.line, 0)]).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.lines[0].quantities.cancelled, 10);
    assert_eq!(o.fulfillment_status, FulfillmentStatus::Delivered);
    assert_eq!(o.state, OrderState::Completed);
}

/// Lapsed checkout holds are released by the next command that reserves stock — a receipt
/// that fills backorders too, so the backorder gets the lapsed hold's units as well.
pub fn backorders_filled_by_a_receipt_get_the_units_of_lapsed_holds(b: Backend) {
    let w = world(b);
    w.oms.set_backorder_policy("B", BackorderPolicy::Allow).unwrap();
    w.oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("B", 10)], 30)).unwrap();
    let o = w.oms.place_order(new_order("r-3", vec![NewLine::new("B", 2, d("3.00"))]).payment_method(PaymentMethod::Invoice)).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let o = w.oms.allocate_order(o.id).unwrap().order;
    assert_eq!(o.lines[0].quantities.backordered, 2);
    w.clock.advance(chrono::Duration::seconds(60));
    w.oms.receive_stock(ReceiveStock::new("B", w.sued, 1)).unwrap();
    let q = w.oms.get_order(o.id).unwrap().lines[0].quantities;
    assert_eq!((q.allocated, q.backordered), (2, 0), "the lapsed hold still blocks 10 units of B");
    assert_eq!(w.oms.stock_hold("cart-1").unwrap_err().code(), "NOT_FOUND");
}

/// The same for the re-allocation after a short pick.
pub fn a_short_pick_is_reallocated_from_the_units_of_lapsed_holds(b: Backend) {
    let w = world(b);
    w.oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 8)], 30)).unwrap();
    let o = confirmed(&w, "r-4", vec![NewLine::new("A", 2, d("3.00"))]);
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    w.clock.advance(chrono::Duration::seconds(60));
    w.oms.confirm_pick(s.id, vec![PickedUnits::new(o.lines[0].id, 1)]).unwrap();
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::InFulfillment, "{:?}", o.holds);
    assert_eq!(o.lines[0].quantities.allocated, 2);
}
