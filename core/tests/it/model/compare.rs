//! Reads ordo's state through its queries and lists every difference from the model, one
//! readable line each ("order 2 line 0 (A) shipped: model 2, ordo 1").

use std::collections::BTreeSet;

use chrono::Duration;
use ordo::*;
use rust_decimal::Decimal;

use super::commands::{Ordo, cart, epoch};
use super::reference::{self as m, Loc, Model, SKUS};

/// Money of the model (cents) as ordo shows it.
fn eur(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn same<T: PartialEq + std::fmt::Debug>(out: &mut Vec<String>, what: impl std::fmt::Display, model: T, ordo: T) {
    if model != ordo {
        out.push(format!("{what}: model {model:?}, ordo {ordo:?}"));
    }
}

/// Every difference between ordo and the model; empty when they agree.
pub fn diff(o: &mut Ordo, model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    orders(o, model, &mut out);
    shipments(o, model, &mut out);
    returns(o, model, &mut out);
    stock(o, model, &mut out);
    holds(o, model, &mut out);
    out
}

fn orders(o: &Ordo, model: &Model, out: &mut Vec<String>) {
    let listed = o.w.oms.list_orders(&OrderQuery::default()).unwrap();
    same(out, "number of orders", model.orders.len(), listed.len());
    for (i, mo) in model.orders.iter().enumerate() {
        let Some(oo) = o.orders.get(i).and_then(|id| listed.iter().find(|x| x.id == *id)) else {
            out.push(format!("order {i}: missing in ordo"));
            continue;
        };
        let at = |what: &str| format!("order {i} {what}");
        same(out, at("state"), mo.state, oo.state);
        same(out, at("held from"), mo.held_from, oo.held_from);
        let codes: BTreeSet<&str> = mo.holds.iter().copied().collect();
        same(out, at("hold reasons"), codes, oo.holds.iter().map(|h| h.code.as_str()).collect());
        same(out, at("cart"), mo.cart.map(cart), oo.cart_ref.clone());
        same(out, at("total"), eur(mo.total()), oo.totals.total.amount());
        let p = &oo.payment;
        same(out, at("authorized"), eur(mo.pay.authorized), p.authorized.amount());
        same(out, at("captured"), eur(mo.pay.captured), p.captured.amount());
        same(out, at("voided"), eur(mo.pay.voided), p.voided.amount());
        same(out, at("refunds recorded"), eur(mo.pay.refunded), p.refunded.amount());
        same(out, at("payment status"), mo.payment_status(), oo.payment_status);
        same(out, at("fulfillment status"), mo.fulfillment_status(), oo.fulfillment_status);
        same(out, at("shipping refunded"), mo.shipping_refunded, oo.shipping_refunded);
        same(out, at("lines"), mo.lines.len(), oo.lines.len());
        for (j, (ml, ol)) in mo.lines.iter().zip(&oo.lines).enumerate() {
            let at = |what: &str| format!("order {i} line {j} ({}) {what}", SKUS[ml.sku]);
            let (q, r) = (ml.q, ol.quantities);
            let pairs = [
                ("ordered", q.ordered, r.ordered),
                ("cancelled", q.cancelled, r.cancelled),
                ("allocated", q.allocated, r.allocated),
                ("backordered", q.backordered, r.backordered),
                ("picked", q.picked, r.picked),
                ("packed", q.packed, r.packed),
                ("shipped", q.shipped, r.shipped),
                ("delivered", q.delivered, r.delivered),
                ("returned", q.returned, r.returned),
                ("refunded units", ml.refunded_units, ol.refunded_units),
            ];
            for (name, mv, ov) in pairs {
                same(out, at(name), mv, ov);
            }
            same(out, at("refunded"), eur(ml.refunded), ol.refunded.amount());
        }
    }
}

/// Compares shipments; a shipment ordo created is matched to the model's new one of the
/// same order and location (a command creates at most one per order and location).
fn shipments(o: &mut Ordo, model: &Model, out: &mut Vec<String>) {
    o.shipments.resize(model.shipments.len(), None);
    for (i, id) in o.orders.clone().into_iter().enumerate() {
        for s in o.w.oms.shipments(id).unwrap() {
            let known = o.shipments.iter().position(|x| *x == Some(s.id));
            let k = known.or_else(|| {
                let new = (0..model.shipments.len())
                    .find(|&k| o.shipments[k].is_none() && model.shipments[k].order == i && o.loc(model.shipments[k].loc) == s.location);
                if let Some(k) = new {
                    o.shipments[k] = Some(s.id);
                }
                new
            });
            let Some(k) = k else {
                out.push(format!("order {i}: ordo has a shipment the model does not: {:?} at {}", s.state, s.location));
                continue;
            };
            let ms = &model.shipments[k];
            let at = |what: &str| format!("shipment {k} (order {i}, {:?}) {what}", ms.loc);
            same(out, at("order"), o.orders[ms.order], s.order_id);
            same(out, at("location"), o.loc(ms.loc), s.location);
            same(out, at("state"), ms.state, s.state);
            let ordo_lines: Vec<(usize, u32, u32)> = s
                .lines
                .iter()
                .map(|l| (o.lines[i].iter().position(|x| *x == l.line).unwrap_or(usize::MAX), l.quantity, l.picked))
                .collect();
            let model_lines: Vec<(usize, u32, u32)> = ms.lines.iter().map(|l| (l.line, l.quantity, l.picked)).collect();
            same(out, at("lines (line, planned, picked)"), model_lines, ordo_lines);
            same(out, at("tracking number"), ms.tracking.clone(), s.tracking_number.clone());
            same(out, at("delivered at"), ms.delivered_at.map(|t| epoch() + Duration::seconds(t)), s.delivered_at);
        }
    }
    for (k, id) in o.shipments.iter().enumerate() {
        if id.is_none() {
            let ms = &model.shipments[k];
            out.push(format!("shipment {k} (order {}, {:?}, {:?}) is missing in ordo", ms.order, ms.loc, ms.state));
        }
    }
}

fn returns(o: &Ordo, model: &Model, out: &mut Vec<String>) {
    let orders: BTreeSet<usize> = model.returns.iter().map(|r| r.order).collect();
    for i in orders {
        let listed = o.w.oms.returns(o.orders[i]).unwrap();
        same(out, format!("order {i} number of returns"), model.returns.iter().filter(|r| r.order == i).count(), listed.len());
        for (k, mr) in model.returns.iter().enumerate().filter(|(_, r)| r.order == i) {
            let Some(or) = listed.iter().find(|r| Some(r.id) == o.returns.get(k).copied()) else {
                out.push(format!("return {k} (order {i}) is missing in ordo"));
                continue;
            };
            let at = |what: &str| format!("return {k} (order {i}) {what}");
            same(out, at("state"), mr.state, or.state);
            same(out, at("location"), mr.location.map(|l| o.loc(l)), or.received_at_location);
            same(out, at("refund"), mr.refund.map(eur), or.refund.map(|m| m.amount()));
            let model_lines: Vec<_> = mr.lines.iter().map(|l| (l.line, l.quantity, l.received, l.restocked, l.written_off)).collect();
            let ordo_lines: Vec<_> = or
                .lines
                .iter()
                .map(|l| {
                    (o.lines[i].iter().position(|x| *x == l.line).unwrap_or(usize::MAX), l.quantity, l.received, l.restocked, l.written_off)
                })
                .collect();
            same(out, at("lines (line, quantity, received, restocked, written off)"), model_lines, ordo_lines);
        }
    }
}

fn stock(o: &Ordo, model: &Model, out: &mut Vec<String>) {
    let levels = o.w.oms.stock_levels(None).unwrap();
    let mut seen = BTreeSet::new();
    for l in &levels {
        let (Some(sku), Some(loc)) = (SKUS.iter().position(|s| *s == l.sku), Loc::ALL.into_iter().find(|x| o.loc(*x) == l.location)) else {
            out.push(format!("ordo has stock the model does not know: {l:?}"));
            continue;
        };
        seen.insert((sku, loc));
        let at = |what: &str| format!("stock {} at {loc:?} {what}", l.sku);
        if !model.levels.contains_key(&(sku, loc)) {
            out.push(at("exists in ordo only"));
        }
        let ml = model.level(sku, loc);
        same(out, at("on hand"), ml.on_hand, l.on_hand);
        same(out, at("reserved"), ml.reserved, l.reserved);
        same(out, at("safety stock"), m::safety(sku, loc), l.safety_stock);
        same(out, at("available"), model.available(sku, loc), l.available());
    }
    for key in model.levels.keys().filter(|k| !seen.contains(k)) {
        out.push(format!("stock {} at {:?} exists in the model only", SKUS[key.0], key.1));
    }
    for (sku, name) in SKUS.iter().enumerate() {
        // Network availability counts lapsed checkout holds that were not released yet.
        let want: u64 = Loc::ALL.iter().map(|l| u64::from(model.available(sku, *l) + model.lapsed(sku, *l))).sum();
        same(out, format!("available {name} in the network"), want, o.w.oms.available(name, None).unwrap());
    }
}

fn holds(o: &Ordo, model: &Model, out: &mut Vec<String>) {
    for c in 0..3 {
        let got = match o.w.oms.stock_hold(&cart(c)) {
            Ok(h) => Some(h),
            Err(e) if e.code() == "NOT_FOUND" => None,
            Err(e) => panic!("stock_hold: {e}"),
        };
        let at = |what: &str| format!("checkout hold {} {what}", cart(c));
        match (model.holds.get(&c), got) {
            (None, None) => {}
            (Some(_), None) => out.push(at("exists in the model only")),
            (None, Some(h)) => out.push(at(&format!("exists in ordo only: {h:?}"))),
            (Some(mh), Some(h)) => {
                let mut model_lines: Vec<_> = mh.lines.iter().map(|(s, l, q)| (SKUS[*s].to_owned(), o.loc(*l), *q)).collect();
                let mut ordo_lines: Vec<_> = h.lines.iter().map(|l| (l.sku.clone(), l.location, l.quantity)).collect();
                model_lines.sort();
                ordo_lines.sort();
                same(out, at("lines"), model_lines, ordo_lines);
                same(out, at("order"), mh.order.map(|i| o.orders[i]), h.order_id);
                same(out, at("expires at"), epoch() + Duration::seconds(mh.expires_at), h.expires_at);
            }
        }
    }
}
