//! Steps 4 to 6 in depth: pick lists, packing slips, pickup in store, counter sales.

use ordo::*;

use crate::common::*;

fn invoice_order(w: &World, ext: &str, lines: Vec<NewLine>) -> Order {
    let o = w.oms.place_order(new_order(ext, lines).payment_method(PaymentMethod::Invoice)).unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    w.oms.allocate_order(o.id).unwrap().order
}

pub fn pick_lists_group_shipments_by_bin_and_trace_every_unit(b: Backend) {
    let w = world(b);
    w.oms.set_bin("A", w.nord, Some("B-07")).unwrap();
    w.oms.set_bin("B", w.nord, Some("A-01")).unwrap();
    let o1 = invoice_order(&w, "pl1", vec![NewLine::new("A", 2, d("1")).name("Alpha"), NewLine::new("B", 1, d("1"))]);
    let o2 = invoice_order(&w, "pl2", vec![NewLine::new("A", 1, d("1"))]);
    let held = invoice_order(&w, "pl3", vec![NewLine::new("B", 1, d("1"))]);
    w.oms.hold_order(held.id, NewHold::new("payment_review", "check")).unwrap();
    let list = w.oms.create_pick_list(NewPickList::new(w.nord)).unwrap();
    assert_eq!(list.shipments.len(), 2, "the held order's shipment waits");
    assert_eq!(
        list.lines.iter().map(|l| (l.bin.as_deref().unwrap_or(""), l.sku.as_str(), l.quantity)).collect::<Vec<_>>(),
        vec![("A-01", "B", 1), ("B-07", "A", 3)]
    );
    let a = &list.lines[1];
    assert_eq!(a.name, "Alpha");
    assert_eq!(a.targets.iter().map(|t| (t.order_number.as_str(), t.quantity)).collect::<Vec<_>>(), vec![("1001", 2), ("1002", 1)]);
    assert_eq!(w.oms.pick_list(list.id).unwrap(), list);
    for s in &list.shipments {
        let s = w.oms.get_shipment(*s).unwrap();
        assert_eq!((s.state, s.pick_list), (ShipmentState::Picking, Some(list.id)));
    }
    assert_eq!(w.oms.create_pick_list(NewPickList::new(w.nord)).unwrap_err().code(), "INVALID_INPUT", "nothing left to pick");
    assert_eq!(w.oms.create_pick_list(NewPickList::new(LocationId::new())).unwrap_err().code(), "NOT_FOUND");
    // Confirming from `picking` works like from `pending`.
    let s1 = w.oms.shipments(o1.id).unwrap().remove(0);
    assert_eq!(w.oms.confirm_pick(s1.id, vec![]).unwrap().state, ShipmentState::Picked);
    // The other shipment of the list is untouched: still being picked, on the same list.
    let s2 = w.oms.shipments(o2.id).unwrap().remove(0);
    assert_eq!((s2.state, s2.pick_list), (ShipmentState::Picking, Some(list.id)));
    assert_eq!(w.oms.get_order(o2.id).unwrap().lines[0].quantities.picked, 0);
    assert_eq!(w.oms.get_order(o1.id).unwrap().lines.iter().map(|l| l.quantities.picked).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(w.oms.set_bin("A", w.nord, Some(" ")).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.set_bin("A", w.nord, None).unwrap(), None);
}

pub fn pick_lists_take_the_oldest_shipments_first(b: Backend) {
    let w = world(b);
    for i in 0..3 {
        invoice_order(&w, &format!("old{i}"), vec![NewLine::new("A", 1, d("1"))]);
    }
    let first = w.oms.create_pick_list(NewPickList::new(w.nord).max_shipments(2)).unwrap();
    let second = w.oms.create_pick_list(NewPickList::new(w.nord).max_shipments(2)).unwrap();
    assert_eq!((first.shipments.len(), second.shipments.len()), (2, 1));
    assert!(first.shipments.iter().all(|s| *s < second.shipments[0]));
    assert_eq!(w.oms.create_pick_list(NewPickList::new(w.nord).max_shipments(0)).unwrap_err().code(), "INVALID_INPUT");
}

pub fn packing_slips_say_what_is_inside_and_what_follows(b: Backend) {
    let w = world(b);
    w.oms.set_backorder_policy("B", BackorderPolicy::Allow).unwrap();
    let mut o = new_order("ps", vec![NewLine::new("A", 2, d("5")).name("Mug <large> & co"), NewLine::new("B", 12, d("1")).name("Spoon")]);
    o.customer.locale = Some("de".into());
    let o = w.oms.place_order(o.payment_method(PaymentMethod::Invoice)).unwrap();
    w.oms.validate_order(o.id).unwrap();
    let a = w.oms.allocate_order(o.id).unwrap();
    assert_eq!(a.order.lines[1].quantities.backordered, 2);
    let nord = a.shipments.iter().find(|s| s.location == w.nord).unwrap();
    assert_eq!(w.oms.packing_slip(nord.id, "en").unwrap_err().code(), "INVALID_TRANSITION", "not picked yet");
    w.oms.confirm_pick(nord.id, vec![]).unwrap();
    let slip = w.oms.packing_slip(nord.id, "de").unwrap();
    assert_eq!(slip.order_number, "1001");
    assert_eq!(slip.ship_from, vec!["Lager Nord"]);
    assert_eq!(slip.ship_to[0], "Anna Muster");
    let lines: Vec<(&str, u32, u32)> = slip.lines.iter().map(|l| (l.sku.as_str(), l.quantity, l.to_come)).collect();
    assert_eq!(lines, vec![("A", 2, 0), ("B", 5, 7)], "5 spoons here; 5 from Süd and 2 backordered follow");
    assert!(slip.return_instructions.contains("14 Tagen"));
    let text = slip.to_text();
    assert!(text.starts_with("Lieferschein — Bestellung 1001"), "{text}");
    assert!(text.contains("(+7 folgt)"), "{text}");
    let html = slip.to_html();
    assert!(html.contains("Mug &lt;large&gt; &amp; co"), "{html}");
    assert!(!html.contains("<large>"));
    let en = w.oms.packing_slip(nord.id, "en").unwrap().to_text();
    assert!(en.starts_with("Packing slip — Order 1001"), "{en}");
    assert_eq!(w.oms.packing_slip(nord.id, "xx").unwrap_err().code(), "INVALID_INPUT");
}

pub fn package_contents_must_match_the_picked_units(b: Backend) {
    let w = world(b);
    let o = invoice_order(&w, "pc", vec![NewLine::new("A", 2, d("1"))]);
    let s = w.oms.shipments(o.id).unwrap().remove(0);
    w.oms.confirm_pick(s.id, vec![]).unwrap();
    let line = o.lines[0].id;
    let too_many = Package { contents: vec![PackageItem { line, quantity: 3 }], ..Package::new(100) };
    assert_eq!(w.oms.pack_shipment(s.id, vec![too_many]).unwrap_err().code(), "INVALID_INPUT");
    let stranger = Package { contents: vec![PackageItem { line: LineId::new(), quantity: 1 }], ..Package::new(100) };
    assert_eq!(w.oms.pack_shipment(s.id, vec![stranger]).unwrap_err().code(), "INVALID_INPUT");
    let p1 = Package { contents: vec![PackageItem { line, quantity: 1 }], ..Package::new(100) };
    let p2 = Package { contents: vec![PackageItem { line, quantity: 1 }], dimensions_mm: Some([300, 200, 100]), ..Package::new(150) };
    assert_eq!(w.oms.pack_shipment(s.id, vec![p1, p2]).unwrap().packages.len(), 2);
}

pub fn pickup_orders_are_made_ready_and_handed_over(b: Backend) {
    let w = world(b);
    let store = w.oms.add_location(NewLocation::store("mitte", "Filiale Mitte")).unwrap().id;
    w.oms.receive_stock(ReceiveStock::new("A", store, 3)).unwrap();
    let o = w
        .oms
        .place_order(
            new_order("pu", vec![NewLine::new("A", 2, d("10.00"))])
                .delivery(DeliveryMethod::Pickup { location: store })
                .payment_method(PaymentMethod::PayAtPickup),
        )
        .unwrap();
    w.oms.validate_order(o.id).unwrap();
    let s = w.oms.allocate_order(o.id).unwrap().shipments.remove(0);
    w.oms.confirm_pick(s.id, vec![]).unwrap();
    w.oms.pack_shipment(s.id, vec![Package::new(300)]).unwrap();
    assert_eq!(w.oms.hand_over(s.id).unwrap_err().code(), "INVALID_TRANSITION", "not ready yet");
    assert_eq!(w.oms.ship(s.id, ShipInput::new("DHL", "X1")).unwrap_err().code(), "INVALID_TRANSITION");
    let ready = w.oms.ready_for_pickup(s.id).unwrap();
    assert_eq!(ready.state, ShipmentState::ReadyForPickup);
    let slip = w.oms.packing_slip(s.id, "en").unwrap();
    assert!(slip.ship_to.is_empty());
    let told = w.oms.timeline(o.id).unwrap().into_iter().any(|t| {
        matches!(&t.event.kind, EventKind::CustomerNotificationRequired { topic, message } if topic == "ready_for_pickup" && message.contains("Filiale Mitte"))
    });
    assert!(told);
    let done = w.oms.hand_over(s.id).unwrap();
    assert_eq!(done.state, ShipmentState::PickedUp);
    let o = w.oms.get_order(o.id).unwrap();
    assert_eq!((o.state, o.fulfillment_status), (OrderState::Completed, FulfillmentStatus::Delivered));
    let level = w.oms.stock("A").unwrap().into_iter().find(|l| l.location == store).unwrap();
    assert_eq!((level.on_hand, level.reserved), (1, 0));
    let due = w.oms.timeline(o.id).unwrap().into_iter().find_map(|t| match t.event.kind {
        EventKind::ShipmentHandedOver { capture_due, .. } => Some(capture_due.amount()),
        _ => None,
    });
    assert_eq!(due, Some(d("20.00")), "pay at pickup: everything is due now");
    // A shipped order cannot be made ready for pickup.
    let o2 = confirmed(&w, "not-pickup", vec![NewLine::new("A", 1, d("1"))]);
    let s2 = w.oms.allocate_order(o2.id).unwrap().shipments.remove(0);
    w.oms.confirm_pick(s2.id, vec![]).unwrap();
    w.oms.pack_shipment(s2.id, vec![Package::new(1)]).unwrap();
    assert_eq!(w.oms.ready_for_pickup(s2.id).unwrap_err().code(), "INVALID_TRANSITION");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

fn pos_sale(store: LocationId, ext: &str, lines: Vec<NewLine>, payment: CounterPayment) -> CounterSale {
    CounterSale {
        location: store,
        channel: "web".into(),
        currency: "EUR".into(),
        lines,
        discounts: vec![],
        customer: None,
        payment,
        external_ref: Some(ext.into()),
    }
}

pub fn counter_sales_sell_pay_and_hand_over_in_one_step(b: Backend) {
    let w = world(b);
    let store = w.oms.add_location(NewLocation::store("mitte", "Filiale Mitte")).unwrap().id;
    w.oms.receive_stock(ReceiveStock::new("A", store, 5)).unwrap();
    w.oms.receive_stock(ReceiveStock::new("BOOK", store, 5)).unwrap();
    let lines = || {
        vec![
            NewLine::new("A", 2, d("11.90")).name("Mug").tax_rate(d("0.19")),
            NewLine::new("BOOK", 1, d("10.70")).name("Book").tax_rate(d("0.07")),
        ]
    };
    let sale = w.oms.sell_at_counter(pos_sale(store, "till-1/1", lines(), CounterPayment::cash(d("50.00")))).unwrap();
    assert_eq!(sale.order.state, OrderState::Completed);
    assert_eq!(sale.order.payment_status, PaymentStatus::Paid);
    assert_eq!(sale.shipment.state, ShipmentState::PickedUp);
    let r = &sale.receipt;
    assert_eq!((r.total.amount(), r.change.map(|m| m.amount())), (d("34.50"), Some(d("15.50"))));
    let taxes: Vec<(Decimal, Decimal, Decimal)> = r.taxes.iter().map(|t| (t.rate, t.net.amount(), t.tax.amount())).collect();
    assert_eq!(taxes, vec![(d("0.07"), d("10.00"), d("0.70")), (d("0.19"), d("20.00"), d("3.80"))]);
    let text = r.to_text();
    let expected = [
        "             Filiale Mitte              ",
        "      #1001  2026-03-02 09:00 UTC       ",
        "----------------------------------------",
        "2 × Mug                            23.80",
        "1 × Book                           10.70",
        "----------------------------------------",
        "TOTAL EUR                          34.50",
        "  incl. 7% tax on 10.00             0.70",
        "  incl. 19% tax on 20.00            3.80",
        "Paid (cash)                        50.00",
        "Change                             15.50",
        "",
    ];
    assert_eq!(text, expected.join("\n"));
    assert_eq!(w.oms.counter_receipt(sale.order.id).unwrap(), sale.receipt);
    let again = w.oms.sell_at_counter(pos_sale(store, "till-1/1", lines(), CounterPayment::cash(d("50.00")))).unwrap();
    assert_eq!(again.order.id, sale.order.id, "a retried sale is the same sale");
    let level = |sku: &str| w.oms.stock(sku).unwrap().into_iter().find(|l| l.location == store).unwrap().on_hand;
    assert_eq!((level("A"), level("BOOK")), (3, 4));
    // Not enough at the counter, or not enough cash: nothing is sold.
    let before = snapshot(&w.oms);
    let err = w
        .oms
        .sell_at_counter(pos_sale(store, "till-1/2", vec![NewLine::new("A", 4, d("11.90"))], CounterPayment::card("t-9")))
        .unwrap_err();
    assert_eq!(err.code(), "INSUFFICIENT_STOCK");
    let err = w
        .oms
        .sell_at_counter(pos_sale(store, "till-1/3", vec![NewLine::new("A", 1, d("11.90"))], CounterPayment::cash(d("10.00"))))
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert_eq!(snapshot(&w.oms), before);
    let card =
        w.oms.sell_at_counter(pos_sale(store, "till-1/4", vec![NewLine::new("A", 1, d("11.90"))], CounterPayment::card("t-10"))).unwrap();
    assert_eq!((card.receipt.tendered, card.receipt.payment_reference.as_deref()), (None, Some("t-10")));
    assert_eq!(w.oms.counter_receipt(confirmed(&w, "web-1", vec![NewLine::new("A", 1, d("1"))]).id).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

use rust_decimal::Decimal;
