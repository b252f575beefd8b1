//! Golden refund cases from `tests/golden/refunds.json`, run end to end through `Oms`.

use std::path::Path;

use ordo::*;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::common::*;

#[derive(Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    currency: String,
    #[serde(default = "yes")]
    prices_include_tax: bool,
    #[serde(default)]
    shipping_refund: ShippingRefund,
    lines: Vec<NewLine>,
    #[serde(default)]
    discounts: Vec<String>,
    #[serde(default)]
    shipping: Option<NewShipping>,
    total: String,
    returns: Vec<ReturnCase>,
}

#[derive(Deserialize)]
struct NewShipping {
    amount: String,
    tax_rate: String,
}

#[derive(Deserialize)]
struct ReturnCase {
    lines: Vec<(usize, u32)>,
    refund: String,
}

fn yes() -> bool {
    true
}

fn dec(s: &str) -> Decimal {
    parse_decimal(s).unwrap()
}

pub fn golden_refunds_are_exact(b: Backend) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/refunds.json");
    let table: Table = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(table.cases.len() >= 8);
    for case in table.cases {
        let w = world(b);
        let channel = NewChannel { shipping_refund: case.shipping_refund, ..NewChannel::new("golden", "Golden") };
        w.oms.add_channel(channel).unwrap();
        for l in &case.lines {
            w.oms.receive_stock(ReceiveStock::new(&l.sku, w.nord, 100)).unwrap();
        }
        let mut new = NewOrder::new("golden", &case.currency, case.lines.clone()).ship_to(berlin());
        new.prices_include_tax = case.prices_include_tax;
        for (i, d) in case.discounts.iter().enumerate() {
            new = new.discount(format!("D{i}"), dec(d));
        }
        if let Some(s) = &case.shipping {
            new = new.shipping(dec(&s.amount), dec(&s.tax_rate));
        }
        let o = w.oms.place_order(new).unwrap();
        assert_eq!(o.totals.total.amount(), dec(&case.total), "{}: total", case.name);
        w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Captured, o.totals.total.amount(), &case.currency)).unwrap();
        w.oms.validate_order(o.id).unwrap();
        for s in ship_all(&w, o.id) {
            w.oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).unwrap();
        }
        let mut refunded = Decimal::ZERO;
        for (k, rc) in case.returns.iter().enumerate() {
            let units: Vec<ReturnUnits> = rc.lines.iter().map(|(i, q)| ReturnUnits::new(o.lines[*i].id, *q)).collect();
            let r = w.oms.request_return(o.id, ReturnRequest::new(units, ReturnReason::ChangedMind)).unwrap();
            w.oms.approve_return(r.id, None).unwrap();
            w.oms.receive_return(r.id, ReceiveReturn::all_at(w.nord)).unwrap();
            let inspections = rc.lines.iter().map(|(i, q)| Inspection::new(o.lines[*i].id, *q, Disposition::Restock)).collect();
            w.oms.inspect_return(r.id, inspections).unwrap();
            let r = w.oms.resolve_return(r.id).unwrap();
            let refund = r.refund.unwrap();
            assert_eq!(refund.amount(), dec(&rc.refund), "{}: return {k}", case.name);
            assert_eq!(refund.amount().scale(), refund.currency().minor_units(), "{}: minor units", case.name);
            w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Refunded, refund.amount(), &case.currency)).unwrap();
            refunded += refund.amount();
        }
        let o = w.oms.get_order(o.id).unwrap();
        assert!(refunded <= o.payment.captured.amount(), "{}: refunds exceed the capture", case.name);
        let everything = o.lines.iter().all(|l| l.quantities.returned == l.quantities.ordered);
        if everything && case.shipping_refund == ShippingRefund::WhenAllReturned {
            assert_eq!(refunded, o.totals.total.amount(), "{}: everything back, everything refunded", case.name);
            assert_eq!(o.payment_status, PaymentStatus::Refunded, "{}", case.name);
        }
    }
}
