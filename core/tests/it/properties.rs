//! Random sequences of inventory and order commands keep every inventory invariant.

use chrono::Duration;
use ordo::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::*;

#[derive(Clone, Debug)]
enum Op {
    Receive(usize, bool, u32),
    Adjust(usize, bool, i64),
    Order(usize, u32, bool),
    Pick(usize, u32),
    PackShip(usize),
    Deliver(usize),
    Cancel(usize),
    Hold(usize, u32, u32),
    Later(i64),
    ReturnRestock(usize),
}

const SKUS: [&str; 3] = ["A", "B", "X"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, any::<bool>(), 1..6u32).prop_map(|(s, l, q)| Op::Receive(s, l, q)),
        (0..3usize, any::<bool>(), -4..4i64).prop_map(|(s, l, q)| Op::Adjust(s, l, q)),
        (0..3usize, 1..5u32, any::<bool>()).prop_map(|(s, q, c)| Op::Order(s, q, c)),
        (0..8usize, 0..4u32).prop_map(|(i, q)| Op::Pick(i, q)),
        (0..8usize).prop_map(Op::PackShip),
        (0..8usize).prop_map(Op::Deliver),
        (0..8usize).prop_map(Op::Cancel),
        (0..3usize, 1..4u32, 1..120u32).prop_map(|(s, q, t)| Op::Hold(s, q, t)),
        (1..200i64).prop_map(Op::Later),
        (0..8usize).prop_map(Op::ReturnRestock),
    ]
}

/// Runs `op`; returns its result and whether it is one command (a refused single command
/// must change nothing; a chain may stop half-way).
fn apply(w: &World, n: usize, op: &Op) -> (Result<()>, bool) {
    let oms = &w.oms;
    let loc = |l: bool| if l { w.nord } else { w.sued };
    let orders = oms.list_orders(&OrderQuery::default()).unwrap();
    let shipments: Vec<Shipment> = orders.iter().flat_map(|o| oms.shipments(o.id).unwrap()).collect();
    let pick = |i: usize| shipments.get(i % shipments.len().max(1)).cloned();
    let single = !matches!(op, Op::Order(..) | Op::PackShip(_) | Op::Later(_) | Op::ReturnRestock(_));
    let result = match op {
        Op::Receive(s, l, q) => oms.receive_stock(ReceiveStock::new(SKUS[*s], loc(*l), *q)).map(|_| ()),
        Op::Adjust(s, l, d) => oms.adjust_stock(AdjustStock::new(SKUS[*s], loc(*l), *d, "count")).map(|_| ()),
        Op::Order(s, q, cart) => {
            let mut o = new_order(&format!("p{n}"), vec![NewLine::new(SKUS[*s], *q, d("3.00"))]).payment_method(PaymentMethod::Invoice);
            if *cart {
                o = o.cart_ref(format!("cart-{s}"));
            }
            oms.place_order(o).and_then(|o| oms.validate_order(o.id)).and_then(|o| oms.allocate_order(o.id)).map(|_| ())
        }
        Op::Pick(i, q) => match pick(*i) {
            Some(s) => oms.confirm_pick(s.id, s.lines.iter().map(|l| PickedUnits::new(l.line, (*q).min(l.quantity))).collect()).map(|_| ()),
            None => Ok(()),
        },
        Op::PackShip(i) => match pick(*i) {
            Some(s) => oms
                .pack_shipment(s.id, vec![Package::new(100)])
                .and_then(|_| oms.ship(s.id, ShipInput::new("DHL", format!("T{}", s.id))))
                .map(|_| ()),
            None => Ok(()),
        },
        Op::Deliver(i) => match pick(*i) {
            Some(s) => oms.record_tracking_event(TrackingEventInput::for_shipment(s.id, "delivered")).map(|_| ()),
            None => Ok(()),
        },
        Op::Cancel(i) => match orders.get(i % orders.len().max(1)) {
            Some(o) => oms.cancel_order(o.id, "test").map(|_| ()),
            None => Ok(()),
        },
        Op::Hold(s, q, ttl) => {
            oms.hold_stock(HoldRequest::new(format!("cart-{s}"), "web", vec![HoldLine::new(SKUS[*s], *q)], *ttl)).map(|_| ())
        }
        Op::Later(secs) => {
            w.clock.advance(Duration::seconds(*secs));
            oms.release_expired_holds().map(|_| ())
        }
        Op::ReturnRestock(i) => match orders.get(i % orders.len().max(1)) {
            Some(o) if o.lines[0].quantities.shipped > 0 => {
                let line = o.lines[0].id;
                oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::Other))
                    .and_then(|r| oms.approve_return(r.id, None))
                    .and_then(|r| oms.receive_return(r.id, ReceiveReturn::all_at(w.sued)))
                    .and_then(|r| oms.inspect_return(r.id, vec![Inspection::new(line, 1, Disposition::Restock)]))
                    .map(|_| ())
            }
            _ => Ok(()),
        },
    };
    (result, single)
}

/// The codes of commands refused for a reason of the domain (a random sequence runs into
/// them all the time); anything else (`STORAGE`, a money error, …) is a bug.
const REFUSALS: [&str; 7] =
    ["INVALID_INPUT", "INVALID_TRANSITION", "NOT_FOUND", "CONFLICT", "INSUFFICIENT_STOCK", "VALIDATION_FAILED", "RETURN_WINDOW_CLOSED"];

/// What a refused command must leave as it was: every stock level, the ledger, the outbox
/// and every order.
fn snapshot(oms: &Oms) -> (Vec<StockLevel>, usize, usize, Vec<Order>) {
    (
        oms.stock_levels(None).unwrap(),
        oms.movements(None).unwrap().len(),
        oms.poll_events(100_000).unwrap().len(),
        oms.list_orders(&OrderQuery::default()).unwrap(),
    )
}

fn check(w: &World) -> Result<(), TestCaseError> {
    let oms = &w.oms;
    prop_assert_eq!(oms.verify_inventory().unwrap(), vec![]);
    let orders = oms.list_orders(&OrderQuery::default()).unwrap();
    for o in &orders {
        prop_assert!(o.check_invariants().is_ok(), "{:?}", o.check_invariants());
    }
    for sku in SKUS {
        let levels = oms.stock(sku).unwrap();
        prop_assert!(levels.iter().all(|l| l.reserved <= l.on_hand));
        // Reserved = units in unshipped shipments + units in live checkout holds.
        let reserved: u32 = levels.iter().map(|l| l.reserved).sum();
        let in_shipments: u32 = orders
            .iter()
            .flat_map(|o| oms.shipments(o.id).unwrap())
            .filter(|s| matches!(s.state, ShipmentState::Pending | ShipmentState::Picked | ShipmentState::Packed))
            .flat_map(|s| s.lines)
            .filter(|l| l.sku == sku)
            .map(|l| l.quantity)
            .sum();
        let in_holds: u32 = (0..3)
            .filter_map(|i| oms.stock_hold(&format!("cart-{i}")).ok())
            .flat_map(|h| h.lines)
            .filter(|l| l.sku == sku)
            .map(|l| l.quantity)
            .sum();
        prop_assert_eq!(reserved, in_shipments + in_holds, "reserved {} of {}", reserved, sku);
    }
    Ok(())
}

pub fn random_command_sequences_keep_inventory_invariants(b: Backend) {
    let cases = match b {
        Backend::Memory => 96,
        #[allow(unreachable_patterns)]
        _ => 16,
    };
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&proptest::collection::vec(op(), 1..40), |ops| {
            let w = world(b);
            for (n, op) in ops.iter().enumerate() {
                let before = snapshot(&w.oms);
                let (result, single) = apply(&w, n, op);
                if let Err(e) = result {
                    prop_assert!(REFUSALS.contains(&e.code()), "{:?} failed with {}: {}", op, e.code(), e);
                    if single {
                        prop_assert!(snapshot(&w.oms) == before, "the refused {:?} ({}) changed something", op, e);
                    }
                }
                check(&w)?;
            }
            Ok(())
        })
        .unwrap();
}
