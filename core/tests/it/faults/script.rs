//! The lifecycle script the fault tests run, the [`Rig`] it runs on (an `Oms` over a
//! [`FaultyStore`], reopened from its file for SQLite), and [`observe`]: everything the
//! public queries show, to compare before and after a failed command.

use chrono::{Duration, TimeZone, Utc};
use ordo::*;
use serde::Serialize;
use serde_json::Value;

use super::store::{FaultyStore, Plan};
use crate::common::*;

/// An `Oms` over a [`FaultyStore`] of one backend; for SQLite the database file outlives the
/// `Oms`, so [`Rig::reopen`] can close and open it again.
pub struct Rig {
    pub plan: Plan,
    pub clock: ManualClock,
    pub oms: Oms,
    sqlite: Option<(tempfile::TempDir, SqliteOptions)>,
}

impl Rig {
    pub fn new(b: Backend) -> Rig {
        Rig::with_options(b, SqliteOptions::default().durability(Durability::Normal))
    }

    pub fn with_options(b: Backend, options: SqliteOptions) -> Rig {
        let plan = Plan::default();
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
        if matches!(b, Backend::Sqlite) {
            let dir = tempfile::tempdir().unwrap();
            let mut rig = Rig { plan, clock, oms: Oms::in_memory(), sqlite: Some((dir, options)) };
            rig.reopen();
            rig
        } else {
            let oms = Rig::build(FaultyStore::new(b.store(), plan.clone()), &clock);
            Rig { plan, clock, oms, sqlite: None }
        }
    }

    fn build(store: impl Store + 'static, clock: &ManualClock) -> Oms {
        Oms::builder(store).clock(clock.clone()).carrier("DHL", "https://t.example/{tracking}").build()
    }

    pub fn db(&self) -> Option<std::path::PathBuf> {
        self.sqlite.as_ref().map(|(dir, _)| dir.path().join("ordo.db"))
    }

    /// Closes the database and opens it again from the file (SQLite); a no-op otherwise.
    /// Returns whether it reopened.
    pub fn reopen(&mut self) -> bool {
        let Some((_, options)) = &self.sqlite else { return false };
        let options = options.clone();
        let db = self.db().unwrap();
        // Close first: the last connection folds the WAL back into the file.
        self.oms = Oms::in_memory();
        let store = SqliteStore::open(&db, options).unwrap();
        self.oms = Rig::build(FaultyStore::new(store, self.plan.clone()), &self.clock);
        true
    }
}

/// What the steps learn from earlier commands.
#[derive(Default)]
pub struct Ids {
    nord: Option<LocationId>,
    sued: Option<LocationId>,
    mitte: Option<LocationId>,
    o1: Option<Order>,
    o1_nord: Option<ShipmentId>,
    o1_sued: Option<ShipmentId>,
    o2: Option<Order>,
    o3: Option<OrderId>,
    ret: Option<ReturnId>,
    exchange: Option<ReturnId>,
    pick_lists: Vec<PickListId>,
}

/// Checkout carts of the script (their holds are part of the snapshot).
const CARTS: [&str; 3] = ["cart-1", "cart-2", "cart-3"];

/// One step: a command (or a clock change, which calls no store).
pub struct Step {
    pub name: &'static str,
    pub run: fn(&Oms, &ManualClock, &mut Ids) -> Result<()>,
}

macro_rules! step {
    ($name:literal, |$oms:ident, $clock:ident, $ids:ident| $body:expr) => {
        Step {
            name: $name,
            run: |$oms: &Oms, $clock: &ManualClock, $ids: &mut Ids| {
                let _ = (&$oms, &$clock, &$ids);
                $body
            },
        }
    };
}

fn counter_sale(store: LocationId) -> CounterSale {
    CounterSale {
        location: store,
        channel: "web".into(),
        currency: "EUR".into(),
        lines: vec![NewLine::new("A", 1, d("11.90")).tax_rate(d("0.19"))],
        discounts: vec![],
        customer: None,
        payment: CounterPayment::cash(d("20.00")),
        external_ref: Some("till-1/1".into()),
    }
}

/// The full lifecycle, one command per step.
pub fn script() -> Vec<Step> {
    vec![
        step!("add_channel", |oms, c, ids| oms.add_channel(NewChannel::new("web", "Web shop")).map(drop)),
        step!("add_location nord", |oms, c, ids| {
            ids.nord = Some(oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1))?.id);
            Ok(())
        }),
        step!("add_location sued", |oms, c, ids| {
            ids.sued = Some(oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2))?.id);
            Ok(())
        }),
        step!("add_location mitte", |oms, c, ids| {
            ids.mitte = Some(oms.add_location(NewLocation::store("mitte", "Filiale Mitte"))?.id);
            Ok(())
        }),
        step!("update_channel", |oms, c, ids| oms.update_channel(NewChannel::new("web", "Web shop DE")).map(drop)),
        step!("receive_stock A nord", |oms, c, ids| oms.receive_stock(ReceiveStock::new("A", ids.nord.unwrap(), 10)).map(drop)),
        step!("receive_stock B nord", |oms, c, ids| oms.receive_stock(ReceiveStock::new("B", ids.nord.unwrap(), 3)).map(drop)),
        step!("receive_stock B sued", |oms, c, ids| oms.receive_stock(ReceiveStock::new("B", ids.sued.unwrap(), 6)).map(drop)),
        step!("receive_stock A mitte", |oms, c, ids| oms.receive_stock(ReceiveStock::new("A", ids.mitte.unwrap(), 4)).map(drop)),
        step!("set_backorder_policy C", |oms, c, ids| oms.set_backorder_policy("C", BackorderPolicy::Allow).map(drop)),
        step!("set_safety_stock", |oms, c, ids| oms.set_safety_stock("B", ids.sued.unwrap(), 1).map(drop)),
        step!("set_bin", |oms, c, ids| oms.set_bin("A", ids.nord.unwrap(), Some("A-01")).map(drop)),
        step!("hold_stock cart-1", |oms, c, ids| {
            oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 2)], 900)).map(drop)
        }),
        step!("hold_stock cart-2", |oms, c, ids| oms
            .hold_stock(HoldRequest::new("cart-2", "web", vec![HoldLine::new("B", 1)], 60))
            .map(drop)),
        step!("hold_stock cart-3", |oms, c, ids| oms
            .hold_stock(HoldRequest::new("cart-3", "web", vec![HoldLine::new("A", 1)], 900))
            .map(drop)),
        step!("hold_stock cart-3 replaced", |oms, c, ids| {
            oms.hold_stock(HoldRequest::new("cart-3", "web", vec![HoldLine::new("A", 2), HoldLine::new("B", 1)], 900)).map(drop)
        }),
        step!("place_order o1 (idempotency key, converts cart-1)", |oms, c, ids| {
            let o = oms.with_idempotency_key("place-o1").place_order(
                new_order("o1", vec![NewLine::new("A", 2, d("10.00")).tax_rate(d("0.19")), NewLine::new("B", 4, d("5.00"))])
                    .cart_ref("cart-1"),
            )?;
            ids.o1 = Some(o);
            Ok(())
        }),
        step!("place_order o1 retried with its key", |oms, c, ids| {
            let o = oms.with_idempotency_key("place-o1").place_order(
                new_order("o1", vec![NewLine::new("A", 2, d("10.00")).tax_rate(d("0.19")), NewLine::new("B", 4, d("5.00"))])
                    .cart_ref("cart-1"),
            )?;
            assert_eq!(o.id, ids.o1.as_ref().unwrap().id, "the retry returns the first result");
            Ok(())
        }),
        step!("record_payment o1 (idempotency key)", |oms, c, ids| {
            let o = ids.o1.as_ref().unwrap();
            oms.with_idempotency_key("pay-o1")
                .record_payment(o.id, NewPayment::new(PaymentKind::Authorized, o.totals.total.amount(), "EUR"))
                .map(drop)
        }),
        step!("validate_order o1", |oms, c, ids| {
            assert_eq!(oms.validate_order(ids.o1.as_ref().unwrap().id)?.state, OrderState::Confirmed);
            Ok(())
        }),
        step!("allocate_order o1", |oms, c, ids| {
            let a = oms.allocate_order(ids.o1.as_ref().unwrap().id)?;
            assert_eq!(a.shipments.len(), 2, "B is split over both warehouses");
            ids.o1_nord = a.shipments.iter().find(|s| Some(s.location) == ids.nord).map(|s| s.id);
            ids.o1_sued = a.shipments.iter().find(|s| Some(s.location) == ids.sued).map(|s| s.id);
            Ok(())
        }),
        step!("create_pick_list nord", |oms, c, ids| {
            ids.pick_lists.push(oms.create_pick_list(NewPickList::new(ids.nord.unwrap()))?.id);
            Ok(())
        }),
        step!("confirm_pick nord", |oms, c, ids| oms.confirm_pick(ids.o1_nord.unwrap(), vec![]).map(drop)),
        step!("pack_shipment nord", |oms, c, ids| oms.pack_shipment(ids.o1_nord.unwrap(), vec![Package::new(900)]).map(drop)),
        step!("ship nord", |oms, c, ids| oms.ship(ids.o1_nord.unwrap(), ShipInput::new("DHL", "T-1")).map(drop)),
        step!("record_tracking_event in_transit", |oms, c, ids| {
            oms.record_tracking_event(TrackingEventInput::by_tracking("T-1", "in_transit")).map(drop)
        }),
        step!("record_tracking_event delivered", |oms, c, ids| {
            oms.record_tracking_event(TrackingEventInput::by_tracking("T-1", "delivered")).map(drop)
        }),
        step!("confirm_pick sued", |oms, c, ids| oms.confirm_pick(ids.o1_sued.unwrap(), vec![]).map(drop)),
        step!("pack_shipment sued", |oms, c, ids| oms.pack_shipment(ids.o1_sued.unwrap(), vec![Package::new(400)]).map(drop)),
        step!("ship sued", |oms, c, ids| oms.ship(ids.o1_sued.unwrap(), ShipInput::new("DHL", "T-2")).map(drop)),
        step!("record_tracking_event lost", |oms, c, ids| oms
            .record_tracking_event(TrackingEventInput::by_tracking("T-2", "lost"))
            .map(drop)),
        step!("open_claim lost", |oms, c, ids| oms.open_claim(ids.o1_sued.unwrap(), NewClaim::new(ClaimKind::Lost)).map(drop)),
        step!("resolve_claim replacement", |oms, c, ids| {
            oms.resolve_claim(ids.o1_sued.unwrap(), ClaimSettlement::new(ClaimResolution::Replacement)).map(drop)
        }),
        step!("request_return refund", |oms, c, ids| {
            let line = ids.o1.as_ref().unwrap().lines[0].id;
            ids.ret = Some(
                oms.request_return(
                    ids.o1.as_ref().unwrap().id,
                    ReturnRequest::new(vec![ReturnUnits::new(line, 1)], ReturnReason::DoesNotFit),
                )?
                .id,
            );
            Ok(())
        }),
        step!("approve_return", |oms, c, ids| oms.approve_return(ids.ret.unwrap(), Some("LBL-1".into())).map(drop)),
        step!("receive_return", |oms, c, ids| oms.receive_return(ids.ret.unwrap(), ReceiveReturn::all_at(ids.nord.unwrap())).map(drop)),
        step!("inspect_return", |oms, c, ids| {
            let line = ids.o1.as_ref().unwrap().lines[0].id;
            oms.inspect_return(ids.ret.unwrap(), vec![Inspection::new(line, 1, Disposition::Restock)]).map(drop)
        }),
        step!("resolve_return refund", |oms, c, ids| oms.resolve_return(ids.ret.unwrap()).map(drop)),
        step!("request_return exchange", |oms, c, ids| {
            let line = ids.o1.as_ref().unwrap().lines[0].id;
            let mut request = ReturnRequest::new(vec![ReturnUnits::new(line, 1).exchange_for("B", None)], ReturnReason::WrongItem);
            request.resolution = Resolution::Exchange;
            ids.exchange = Some(oms.request_return(ids.o1.as_ref().unwrap().id, request)?.id);
            Ok(())
        }),
        step!("approve_return exchange", |oms, c, ids| oms.approve_return(ids.exchange.unwrap(), None).map(drop)),
        step!("receive_return exchange", |oms, c, ids| {
            oms.receive_return(ids.exchange.unwrap(), ReceiveReturn::all_at(ids.nord.unwrap())).map(drop)
        }),
        step!("inspect_return write-off", |oms, c, ids| {
            let line = ids.o1.as_ref().unwrap().lines[0].id;
            oms.inspect_return(ids.exchange.unwrap(), vec![Inspection::new(line, 1, Disposition::WriteOff)]).map(drop)
        }),
        step!("resolve_return exchange", |oms, c, ids| oms.resolve_return(ids.exchange.unwrap()).map(drop)),
        step!("(clock: two minutes later)", |oms, clock, ids| {
            clock.advance(Duration::minutes(2));
            Ok(())
        }),
        step!("release_expired_holds", |oms, c, ids| {
            assert_eq!(oms.release_expired_holds()?, 1, "cart-2 lapsed");
            Ok(())
        }),
        step!("release_stock_hold cart-3", |oms, c, ids| oms.release_stock_hold("cart-3").map(drop)),
        step!("place_order o2", |oms, c, ids| {
            let new = new_order("o2", vec![NewLine::new("A", 3, d("10.00")), NewLine::new("C", 1, d("3.00"))])
                .payment_method(PaymentMethod::Invoice);
            ids.o2 = Some(oms.place_order(new)?);
            Ok(())
        }),
        step!("validate_order o2", |oms, c, ids| oms.validate_order(ids.o2.as_ref().unwrap().id).map(drop)),
        step!("allocate_order o2 (C backordered)", |oms, c, ids| {
            let a = oms.allocate_order(ids.o2.as_ref().unwrap().id)?;
            assert_eq!(a.order.lines[1].quantities.backordered, 1);
            Ok(())
        }),
        step!("edit_order o2", |oms, c, ids| {
            let o = ids.o2.as_ref().unwrap();
            let changes = OrderChanges {
                lines: vec![
                    LineChange::SetQuantity { line: o.lines[0].id, quantity: 2 },
                    LineChange::Add { line: NewLine::new("B", 1, d("5.00")) },
                ],
                ..OrderChanges::default()
            };
            oms.edit_order(o.id, changes).map(drop)
        }),
        step!("cancel_lines o2", |oms, c, ids| {
            let o = ids.o2.as_ref().unwrap();
            oms.cancel_lines(o.id, vec![CancelUnits::new(o.lines[1].id, 1)], "out of stock").map(drop)
        }),
        step!("hold_order o2", |oms, c, ids| {
            oms.hold_order(ids.o2.as_ref().unwrap().id, NewHold::new("customer_call", "customer asked to wait")).map(drop)
        }),
        step!("release_order o2", |oms, c, ids| oms.release_order(ids.o2.as_ref().unwrap().id, Some("go".into())).map(drop)),
        step!("cancel_order o2", |oms, c, ids| oms.cancel_order(ids.o2.as_ref().unwrap().id, "customer cancelled").map(drop)),
        step!("place_order o3 (C backordered)", |oms, c, ids| {
            let o = oms.place_order(new_order("o3", vec![NewLine::new("C", 2, d("3.00"))]).payment_method(PaymentMethod::Invoice))?;
            ids.o3 = Some(o.id);
            Ok(())
        }),
        step!("validate_order o3", |oms, c, ids| oms.validate_order(ids.o3.unwrap()).map(drop)),
        step!("allocate_order o3", |oms, c, ids| oms.allocate_order(ids.o3.unwrap()).map(drop)),
        step!("receive_stock C fills the backorder", |oms, c, ids| {
            oms.receive_stock(ReceiveStock::new("C", ids.nord.unwrap(), 5))?;
            Ok(())
        }),
        step!("sell_at_counter", |oms, c, ids| oms.sell_at_counter(counter_sale(ids.mitte.unwrap())).map(drop)),
        step!("import_orders (savepoints, two refused items)", |oms, c, ids| {
            let results = oms.import_orders(vec![
                new_order("i1", vec![NewLine::new("A", 1, d("10.00"))]),
                NewOrder::new("web", "XYZ", vec![NewLine::new("A", 1, d("10.00"))]).external_ref("i2").ship_to(berlin()),
                new_order("o1", vec![NewLine::new("A", 9, d("1.00"))]),
                new_order("i3", vec![NewLine::new("B", 1, d("5.00"))]),
            ])?;
            let placed: Vec<bool> = results.iter().map(|r| matches!(r, ImportResult::Placed { .. })).collect();
            assert_eq!(placed, [true, false, false, true], "{results:?}");
            Ok(())
        }),
        step!("adjust_stock", |oms, c, ids| oms.adjust_stock(AdjustStock::new("A", ids.nord.unwrap(), -1, "count")).map(drop)),
        step!("transfer_stock", |oms, c, ids| {
            oms.transfer_stock(TransferStock::new("B", ids.sued.unwrap(), ids.nord.unwrap(), 1)).map(drop)
        }),
        step!("set_location_active", |oms, c, ids| oms.set_location_active(ids.sued.unwrap(), false).map(drop)),
        step!("ack_events", |oms, c, ids| {
            // The ids come from a query: queries are never faulted.
            let pending: Vec<EventId> = oms.poll_events(25)?.iter().map(|e| e.id).collect();
            assert_eq!(oms.ack_events(&pending)?, 25);
            Ok(())
        }),
    ]
}

/// Everything the public queries show.
#[derive(Debug, PartialEq, Serialize)]
pub struct Observed {
    orders: Vec<Order>,
    shipments: Vec<Vec<Shipment>>,
    returns: Vec<Vec<Return>>,
    claims: Vec<Vec<Claim>>,
    timelines: Vec<Vec<TimelineEntry>>,
    status_messages: Vec<String>,
    stock: Vec<StockLevel>,
    movements: Vec<Movement>,
    pending_events: Vec<Event>,
    exceptions: Vec<ExceptionItem>,
    channels: Vec<Channel>,
    locations: Vec<Location>,
    discrepancies: Vec<InventoryDiscrepancy>,
    sku_settings: Vec<SkuSettings>,
    available: Vec<u64>,
    holds: Vec<Option<StockHold>>,
    pick_lists: Vec<PickList>,
}

/// Observes the store through every public query.
pub fn observe(oms: &Oms, ids: &Ids) -> Observed {
    let orders = oms.list_orders(&OrderQuery::default()).unwrap();
    let shipments = orders.iter().map(|o| oms.shipments(o.id).unwrap()).collect();
    let returns = orders.iter().map(|o| oms.returns(o.id).unwrap()).collect();
    let claims = orders.iter().map(|o| oms.claims(o.id).unwrap()).collect();
    let timelines = orders.iter().map(|o| oms.timeline(o.id).unwrap()).collect();
    let status_messages = orders.iter().map(|o| oms.status_message(o.id, "en").unwrap()).collect();
    let hold = |cart: &str| match oms.stock_hold(cart) {
        Ok(h) => Some(h),
        Err(e) if e.code() == "NOT_FOUND" => None,
        Err(e) => panic!("stock_hold({cart}): {e}"),
    };
    Observed {
        shipments,
        returns,
        claims,
        timelines,
        status_messages,
        stock: oms.stock_levels(None).unwrap(),
        movements: oms.movements(None).unwrap(),
        pending_events: oms.poll_events(10_000).unwrap(),
        exceptions: oms.exceptions().unwrap(),
        channels: oms.channels().unwrap(),
        locations: oms.locations().unwrap(),
        discrepancies: oms.verify_inventory().unwrap(),
        sku_settings: ["A", "B", "C"].iter().map(|s| oms.sku_settings(s).unwrap()).collect(),
        available: ["A", "B", "C"].iter().map(|s| oms.available(s, None).unwrap()).collect(),
        holds: CARTS.iter().map(|c| hold(c)).collect(),
        pick_lists: ids.pick_lists.iter().map(|id| oms.pick_list(*id).unwrap()).collect(),
        orders,
    }
}

/// Panics naming the first part of `now` that differs from `before`.
pub fn assert_same(before: &Observed, now: &Observed, what: &str) {
    if before == now {
        return;
    }
    let (a, b) = (serde_json::to_value(before).unwrap(), serde_json::to_value(now).unwrap());
    let (Value::Object(a), Value::Object(b)) = (a, b) else { unreachable!() };
    for (k, va) in &a {
        let vb = &b[k];
        if va != vb {
            let (ea, eb) = match (va, vb) {
                (Value::Array(x), Value::Array(y)) => match x.iter().zip(y).find(|(p, q)| p != q) {
                    Some((p, q)) => (p.clone(), q.clone()),
                    None => (serde_json::json!({ "items": x.len() }), serde_json::json!({ "items": y.len() })),
                },
                _ => (va.clone(), vb.clone()),
            };
            panic!(
                "{what}: `{k}` changed\nbefore: {}\nafter:  {}",
                serde_json::to_string_pretty(&ea).unwrap(),
                serde_json::to_string_pretty(&eb).unwrap()
            );
        }
    }
    panic!("{what}: the state changed: {before:?} vs {now:?}");
}
