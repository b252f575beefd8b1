//! The inventory network and allocation through `Oms`: strategies, eligibility, backorder
//! policies, checkout holds.

use chrono::Duration;
use ordo::*;

use crate::common::*;

fn policy(strategy: AllocationStrategy) -> AllocationPolicy {
    AllocationPolicy { strategy, ..AllocationPolicy::default() }
}

fn channel_with(w: &World, code: &str, p: AllocationPolicy) {
    w.oms.add_channel(NewChannel::new(code, code).allocation(p)).unwrap();
}

fn order_on(w: &World, channel: &str, ext: &str, lines: Vec<NewLine>) -> Order {
    let mut n = new_order(ext, lines).payment_method(PaymentMethod::Invoice);
    n.channel = channel.into();
    let o = w.oms.place_order(n).unwrap();
    w.oms.validate_order(o.id).unwrap()
}

fn allocated_at(a: &Allocation, loc: LocationId) -> u32 {
    a.plan.allocations.iter().filter(|x| x.location == loc).map(|x| x.quantity).sum()
}

pub fn strategies_choose_locations_as_documented(b: Backend) {
    let w = world(b);
    // nord (prio 1): A 10, B 5; sued (prio 2): B 5. A third, big store without priority.
    let big = w.oms.add_location(NewLocation { priority: Some(50), ..NewLocation::warehouse("big", "Big") }).unwrap().id;
    w.oms.receive_stock(ReceiveStock::new("B", big, 40)).unwrap();
    channel_with(&w, "prio", policy(AllocationStrategy::Priority));
    channel_with(&w, "stock", policy(AllocationStrategy::HighestStock));
    let a = w.oms.allocate_order(order_on(&w, "web", "f1", vec![NewLine::new("A", 1, d("1")), NewLine::new("B", 1, d("1"))]).id).unwrap();
    assert_eq!(a.shipments.len(), 1);
    assert_eq!(a.plan.explanations, vec!["Lager Nord: all 2 lines in stock, priority 1"]);
    let a = w.oms.allocate_order(order_on(&w, "prio", "p1", vec![NewLine::new("B", 6, d("1"))]).id).unwrap();
    assert_eq!((allocated_at(&a, w.nord), allocated_at(&a, w.sued)), (4, 2), "priority fills nord first (4 left), then sued");
    let a = w.oms.allocate_order(order_on(&w, "stock", "h1", vec![NewLine::new("B", 6, d("1"))]).id).unwrap();
    assert_eq!(allocated_at(&a, big), 6, "highest stock");
}

pub fn nearest_location_ships_to_the_customer(b: Backend) {
    let w = world(b);
    let muc = w
        .oms
        .add_location(NewLocation { geo: Some(GeoPoint::new(48.1351, 11.582)), ..NewLocation::warehouse("muc", "München") })
        .unwrap()
        .id;
    let ber =
        w.oms.add_location(NewLocation { geo: Some(GeoPoint::new(52.52, 13.405)), ..NewLocation::warehouse("ber", "Berlin") }).unwrap().id;
    for l in [muc, ber] {
        w.oms.receive_stock(ReceiveStock::new("N", l, 5)).unwrap();
    }
    channel_with(&w, "near", policy(AllocationStrategy::Nearest));
    let mut to = berlin();
    to.postal_code = "86150".into();
    to.city = "Augsburg".into();
    to.geo = Some(GeoPoint::new(48.3705, 10.8978));
    let mut n = new_order("near-1", vec![NewLine::new("N", 2, d("1"))]).ship_to(to).payment_method(PaymentMethod::Invoice);
    n.channel = "near".into();
    let o = w.oms.place_order(n).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let plan = w.oms.plan_allocation(o.id).unwrap();
    assert_eq!(plan.allocations[0].location, muc);
    assert_eq!(plan.explanations, vec!["München: 2 × N (57 km away, priority 100)".to_owned()]);
    assert_eq!(w.oms.stock("N").unwrap().iter().map(|l| l.reserved).sum::<u32>(), 0, "a dry run reserves nothing");
}

pub fn split_rules_and_eligibility_are_respected(b: Backend) {
    let w = world(b);
    channel_with(&w, "nosplit", AllocationPolicy { allow_split: false, ..AllocationPolicy::default() });
    channel_with(
        &w,
        "one",
        AllocationPolicy { strategy: AllocationStrategy::Priority, max_shipments: Some(1), ..AllocationPolicy::default() },
    );
    w.oms.add_channel(NewChannel::new("sued-only", "Süd only").locations(&["sued"])).unwrap();
    w.oms.set_backorder_policy("B", BackorderPolicy::Allow).unwrap();
    let a = w.oms.allocate_order(order_on(&w, "nosplit", "ns", vec![NewLine::new("B", 8, d("1"))]).id).unwrap();
    assert!(a.shipments.is_empty());
    assert_eq!(a.order.lines[0].quantities.backordered, 8);
    let a = w.oms.allocate_order(order_on(&w, "one", "one", vec![NewLine::new("B", 7, d("1"))]).id).unwrap();
    assert_eq!(a.shipments.len(), 1);
    assert_eq!((a.order.lines[0].quantities.allocated, a.order.lines[0].quantities.backordered), (5, 2));
    assert_eq!(w.oms.available("B", Some("sued-only")).unwrap(), 5);
    let a = w.oms.allocate_order(order_on(&w, "sued-only", "so", vec![NewLine::new("B", 1, d("1"))]).id).unwrap();
    assert_eq!(a.shipments[0].location, w.sued);
    w.oms.set_location_active(w.sued, false).unwrap();
    assert_eq!(w.oms.available("B", Some("sued-only")).unwrap(), 0);
    let o = order_on(&w, "sued-only", "so2", vec![NewLine::new("A", 1, d("1"))]);
    assert_eq!(o.state, OrderState::OnHold, "nord is not eligible for this channel");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn summed_demand_of_one_sku_is_checked_together(b: Backend) {
    let w = world(b);
    // Each line alone fits into nord's 10 units of A, both together do not.
    let o = w
        .oms
        .place_order(
            new_order("sum", vec![NewLine::new("A", 6, d("1")), NewLine::new("A", 6, d("1"))]).payment_method(PaymentMethod::Invoice),
        )
        .unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::OnHold);
    assert!(o.holds[0].message.contains("12 ordered, 10 available"), "{}", o.holds[0].message);
}

pub fn backorders_are_filled_oldest_first_when_stock_arrives(b: Backend) {
    let w = world(b);
    w.oms.set_backorder_policy("NEW", BackorderPolicy::Allow).unwrap();
    let first = order_on(&w, "web", "bo1", vec![NewLine::new("NEW", 2, d("1"))]);
    assert_eq!(first.state, OrderState::Confirmed, "backorderable SKUs do not hold");
    w.clock.advance(Duration::minutes(1));
    let second = order_on(&w, "web", "bo2", vec![NewLine::new("NEW", 1, d("1"))]);
    let a1 = w.oms.allocate_order(first.id).unwrap();
    w.oms.allocate_order(second.id).unwrap();
    assert_eq!(a1.order.lines[0].quantities.backordered, 2);
    assert_eq!(a1.order.state, OrderState::InFulfillment);
    w.oms.receive_stock(ReceiveStock::new("NEW", w.sued, 2)).unwrap();
    let (f, s) = (w.oms.get_order(first.id).unwrap(), w.oms.get_order(second.id).unwrap());
    assert_eq!((f.lines[0].quantities.allocated, s.lines[0].quantities.allocated), (2, 0), "the older order first");
    w.oms.receive_stock(ReceiveStock::new("NEW", w.nord, 5)).unwrap();
    let s = w.oms.get_order(second.id).unwrap();
    assert_eq!((s.lines[0].quantities.allocated, s.lines[0].quantities.backordered), (1, 0));
    assert_eq!(w.oms.available("NEW", None).unwrap(), 4);
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn preorders_pass_validation_without_stock(b: Backend) {
    let w = world(b);
    let expected = w.oms.now() + Duration::days(30);
    w.oms.set_backorder_policy("PRE", BackorderPolicy::Preorder { expected }).unwrap();
    assert_eq!(w.oms.sku_settings("PRE").unwrap().backorder, BackorderPolicy::Preorder { expected });
    assert_eq!(w.oms.sku_settings("OTHER").unwrap().backorder, BackorderPolicy::Deny);
    let o = order_on(&w, "web", "pre", vec![NewLine::new("PRE", 1, d("1"))]);
    assert_eq!(o.state, OrderState::Confirmed);
    let a = w.oms.allocate_order(o.id).unwrap();
    assert_eq!(a.order.lines[0].quantities.backordered, 1);
}

pub fn denied_shortage_holds_or_cancels_by_channel_policy(b: Backend) {
    let w = world(b);
    channel_with(&w, "cancel", AllocationPolicy { on_shortage: ShortagePolicy::CancelLine, ..AllocationPolicy::default() });
    // Validation sees 10 units; then 8 are found damaged before allocation.
    let held = order_on(&w, "web", "d1", vec![NewLine::new("A", 4, d("2.50"))]);
    let cut = order_on(&w, "cancel", "d2", vec![NewLine::new("A", 4, d("2.50"))]);
    w.oms.adjust_stock(AdjustStock::new("A", w.nord, -8, "water damage")).unwrap();
    let a = w.oms.allocate_order(held.id).unwrap();
    assert_eq!(a.order.state, OrderState::OnHold);
    assert_eq!(a.order.holds[0].code, HoldCode::InsufficientStock);
    assert!(a.shipments.is_empty());
    assert_eq!(w.oms.stock("A").unwrap()[0].reserved, 0, "a held order reserves nothing");
    let a = w.oms.allocate_order(cut.id).unwrap();
    let q = a.order.lines[0].quantities;
    assert_eq!((q.allocated, q.cancelled, q.backordered), (2, 2, 0));
    let cancelled = w.oms.timeline(cut.id).unwrap().into_iter().find_map(|t| match t.event.kind {
        EventKind::LineCancelled { quantity, amount, .. } => Some((quantity, amount.amount())),
        _ => None,
    });
    assert_eq!(cancelled, Some((2, d("5.00"))));
}

pub fn unknown_skus_are_never_accepted_silently(b: Backend) {
    let w = world(b);
    let o = order_on(&w, "web", "u1", vec![NewLine::new("GHOST", 1, d("1"))]);
    assert_eq!(o.holds[0].code, HoldCode::UnknownSku);
    w.oms.set_backorder_policy("GHOST", BackorderPolicy::Allow).unwrap();
    let o = w.oms.release_order(o.id, None).unwrap();
    assert_eq!(o.state, OrderState::Confirmed, "a SKU with settings is known");
}

pub fn checkout_holds_reserve_convert_and_expire(b: Backend) {
    let w = world(b);
    let hold = w.oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 3), HoldLine::new("A", 2)], 900)).unwrap();
    assert_eq!(hold.lines.iter().map(|l| l.quantity).sum::<u32>(), 5);
    assert_eq!(w.oms.available("A", None).unwrap(), 5);
    let before = snapshot(&w.oms);
    let err = w.oms.hold_stock(HoldRequest::new("cart-2", "web", vec![HoldLine::new("A", 6)], 900)).unwrap_err();
    assert!(matches!(err, Error::InsufficientStock { requested: 6, available: 5, .. }), "{err}");
    assert_eq!(snapshot(&w.oms), before, "all or nothing");
    for (req, field) in [
        (HoldRequest::new("", "web", vec![HoldLine::new("A", 1)], 60), "cart_ref"),
        (HoldRequest::new("c", "web", vec![], 60), "lines"),
        (HoldRequest::new("c", "web", vec![HoldLine::new("A", 0)], 60), "lines[0].quantity"),
        (HoldRequest::new("c", "web", vec![HoldLine::new("A", 1)], 0), "ttl_seconds"),
    ] {
        let e = w.oms.hold_stock(req).unwrap_err();
        assert!(matches!(&e, Error::Input(i) if i.field == field), "{e}");
    }
    // Someone else takes the rest; the cart's order still gets its 5 units.
    w.oms.hold_stock(HoldRequest::new("cart-3", "web", vec![HoldLine::new("A", 5)], 900)).unwrap();
    assert_eq!(w.oms.available("A", None).unwrap(), 0);
    let o = w
        .oms
        .place_order(new_order("c1", vec![NewLine::new("A", 5, d("1"))]).cart_ref("cart-1").payment_method(PaymentMethod::Invoice))
        .unwrap();
    assert_eq!(w.oms.stock_hold("cart-1").unwrap().order_id, Some(o.id));
    assert_eq!(w.oms.validate_order(o.id).unwrap().state, OrderState::Confirmed, "the hold counts as available for its order");
    w.clock.advance(Duration::hours(1));
    assert_eq!(w.oms.available("A", None).unwrap(), 5, "cart-3 lapsed; the converted hold did not");
    let a = w.oms.allocate_order(o.id).unwrap();
    assert_eq!(a.order.lines[0].quantities.allocated, 5);
    assert_eq!(w.oms.stock_hold("cart-1").unwrap_err().code(), "NOT_FOUND", "converted into the allocation");
    assert_eq!(w.oms.stock_hold("cart-3").unwrap_err().code(), "NOT_FOUND", "released lazily by allocate_order");
    let level = &w.oms.stock("A").unwrap()[0];
    assert_eq!((level.on_hand, level.reserved), (10, 5));
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

pub fn holds_can_be_replaced_released_and_swept(b: Backend) {
    let w = world(b);
    w.oms.hold_stock(HoldRequest::new("c", "web", vec![HoldLine::new("A", 4)], 60)).unwrap();
    w.oms.hold_stock(HoldRequest::new("c", "web", vec![HoldLine::new("A", 1)], 60)).unwrap();
    assert_eq!(w.oms.available("A", None).unwrap(), 9, "holding again replaces");
    w.oms.release_stock_hold("c").unwrap();
    assert_eq!(w.oms.available("A", None).unwrap(), 10);
    assert_eq!(w.oms.release_stock_hold("c").unwrap_err().code(), "NOT_FOUND");
    for i in 0..3 {
        w.oms.hold_stock(HoldRequest::new(format!("s{i}"), "web", vec![HoldLine::new("B", 1)], 60 * (i + 1))).unwrap();
    }
    w.clock.advance(Duration::seconds(121));
    assert_eq!(w.oms.release_expired_holds().unwrap(), 2);
    assert_eq!(w.oms.release_expired_holds().unwrap(), 0);
    assert_eq!(w.oms.stock_hold("s2").unwrap().lines[0].quantity, 1);
    let o = w.oms.place_order(new_order("h", vec![NewLine::new("B", 1, d("1"))]).cart_ref("s2")).unwrap();
    assert_eq!(w.oms.place_order(new_order("h2", vec![NewLine::new("B", 1, d("1"))]).cart_ref("s2")).unwrap_err().code(), "CONFLICT");
    w.oms.cancel_order(o.id, "abandoned").unwrap();
    assert_eq!(w.oms.available("B", None).unwrap(), 10, "cancelling releases the converted hold");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}
