//! Generated commands: what proptest draws ([`Op`]), how it is resolved against the model's
//! entities ([`resolve`]), and how the resolved [`Cmd`] runs on ordo ([`run`]).
//!
//! An `Op` names entities by [`Index`] into those that exist when it runs. With `fit` set
//! (three times in four) it picks among the entities the command suits by their state
//! (a `Pack` takes a picked shipment), so that sequences get far along the order path; the
//! rest pick from all entities, which yields refused commands in every state. Quantities
//! and amounts are drawn to be valid, one too many, or zero. A third of the commands are
//! [`Op::Advance`]: the next step along the order path for some order (pay, validate,
//! allocate, pick, pack, ship, deliver, return, approve, receive, inspect, resolve), so
//! that sequences of 60 steps reach refunds.

use chrono::{Duration, TimeZone, Utc};
use ordo::*;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

use super::reference::{self as m, Cmd, Loc, Model, SKUS};
use crate::common::*;

/// Which entity a command is for.
#[derive(Clone, Debug)]
pub struct Pick {
    fit: bool,
    index: Index,
}

/// How many units or how much money, relative to what the state allows.
#[derive(Clone, Copy, Debug)]
pub enum Amount {
    One,
    All,
    TooMany,
    Zero,
}

#[derive(Clone, Debug)]
pub enum Op {
    Receive {
        sku: usize,
        depot: bool,
        qty: u32,
    },
    Adjust {
        sku: usize,
        depot: bool,
        delta: i64,
    },
    Transfer {
        sku: usize,
        to_depot: bool,
        qty: u32,
        same: bool,
    },
    Place {
        lines: Vec<(usize, u32, usize)>,
        market: bool,
        prepaid: bool,
        shipping: bool,
        cart: Option<usize>,
    },
    PlaceAgain {
        order: Pick,
        same: bool,
    },
    Pay {
        order: Pick,
        kind: PaymentKind,
        amount: Amount,
    },
    Validate(Pick),
    Allocate(Pick),
    CancelOrder(Pick),
    CancelLines {
        order: Pick,
        line: Index,
        amount: Amount,
    },
    HoldOrder {
        order: Pick,
        manual: bool,
    },
    ReleaseOrder(Pick),
    PickList {
        sued: bool,
    },
    Pick {
        shipment: Pick,
        short: Option<(Index, Amount)>,
    },
    Pack(Pick),
    Ship {
        shipment: Pick,
        reuse: bool,
    },
    Track {
        shipment: Pick,
        code: &'static str,
    },
    RequestReturn {
        order: Pick,
        lines: Vec<(Index, Amount)>,
        store_credit: bool,
    },
    ApproveReturn(Pick),
    RejectReturn(Pick),
    CancelReturn(Pick),
    ReceiveReturn {
        ret: Pick,
        at: u8,
        part: Option<(Index, Amount)>,
    },
    InspectReturn {
        ret: Pick,
        decisions: Vec<(Index, Amount, bool)>,
    },
    ResolveReturn(Pick),
    HoldStock {
        cart: usize,
        lines: Vec<(usize, u32)>,
        ttl: u32,
    },
    ReleaseStockHold {
        cart: usize,
    },
    ReleaseExpiredHolds,
    Later {
        secs: i64,
    },
    /// The next step along the order path for an order (see [`advance`]), or for the
    /// oldest order that has one.
    Advance(Pick, bool),
}

const PRICES: [i64; 3] = [300, 999, 1250];
const CODES: [&str; 9] =
    ["delivered", "delivered", "delivered", "delivered", "in_transit", "out_for_delivery", "delivery_failed", "lost", "teleported"];

fn pick() -> impl Strategy<Value = Pick> {
    (prop::bool::weighted(0.75), any::<Index>()).prop_map(|(fit, index)| Pick { fit, index })
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![4 => Just(Amount::One), 4 => Just(Amount::All), 1 => Just(Amount::TooMany), 1 => Just(Amount::Zero)]
}

fn order_sku() -> impl Strategy<Value = usize> {
    prop_oneof![4 => Just(0usize), 3 => Just(1usize), 3 => Just(2usize), 1 => Just(3usize)]
}

/// One generated command.
pub fn op() -> impl Strategy<Value = Op> {
    let line = (order_sku(), prop_oneof![1 => Just(0u32), 20 => 1..=5u32], 0..PRICES.len());
    let kind = prop_oneof![
        6 => Just(PaymentKind::Authorized),
        4 => Just(PaymentKind::Captured),
        2 => Just(PaymentKind::Refunded),
        1 => Just(PaymentKind::Voided),
        1 => Just(PaymentKind::Failed),
        1 => Just(PaymentKind::ChargedBack),
    ];
    prop_oneof![
        6 => (0..3usize, any::<bool>(), prop_oneof![1 => Just(0u32), 12 => 1..=6u32]).prop_map(|(sku, depot, qty)| Op::Receive { sku, depot, qty }),
        3 => (0..4usize, any::<bool>(), -4..=4i64).prop_map(|(sku, depot, delta)| Op::Adjust { sku, depot, delta }),
        3 => (0..3usize, any::<bool>(), 0..=4u32, prop::bool::weighted(0.1))
            .prop_map(|(sku, to_depot, qty, same)| Op::Transfer { sku, to_depot, qty, same }),
        7 => (
            prop::collection::vec(line, 1..=3),
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.6),
            any::<bool>(),
            prop::option::weighted(0.35, 0..3usize)
        )
            .prop_map(|(lines, market, prepaid, shipping, cart)| Op::Place { lines, market, prepaid, shipping, cart }),
        1 => (pick(), any::<bool>()).prop_map(|(order, same)| Op::PlaceAgain { order, same }),
        6 => (pick(), kind, amount()).prop_map(|(order, kind, amount)| Op::Pay { order, kind, amount }),
        6 => pick().prop_map(Op::Validate),
        6 => pick().prop_map(Op::Allocate),
        2 => pick().prop_map(Op::CancelOrder),
        2 => (pick(), any::<Index>(), amount()).prop_map(|(order, line, amount)| Op::CancelLines { order, line, amount }),
        2 => (pick(), any::<bool>()).prop_map(|(order, manual)| Op::HoldOrder { order, manual }),
        3 => pick().prop_map(Op::ReleaseOrder),
        1 => any::<bool>().prop_map(|sued| Op::PickList { sued }),
        7 => (pick(), prop::option::weighted(0.3, (any::<Index>(), amount()))).prop_map(|(shipment, short)| Op::Pick { shipment, short }),
        5 => pick().prop_map(Op::Pack),
        5 => (pick(), prop::bool::weighted(0.05)).prop_map(|(shipment, reuse)| Op::Ship { shipment, reuse }),
        5 => (pick(), prop::sample::select(CODES.to_vec())).prop_map(|(shipment, code)| Op::Track { shipment, code }),
        3 => (pick(), prop::collection::vec((any::<Index>(), amount()), 1..=2), prop::bool::weighted(0.2))
            .prop_map(|(order, lines, store_credit)| Op::RequestReturn { order, lines, store_credit }),
        3 => pick().prop_map(Op::ApproveReturn),
        1 => pick().prop_map(Op::RejectReturn),
        1 => pick().prop_map(Op::CancelReturn),
        3 => (pick(), 0..3u8, prop::option::weighted(0.3, (any::<Index>(), amount()))).prop_map(|(ret, at, part)| Op::ReceiveReturn { ret, at, part }),
        3 => (pick(), prop::collection::vec((any::<Index>(), amount(), any::<bool>()), 1..=2))
            .prop_map(|(ret, decisions)| Op::InspectReturn { ret, decisions }),
        3 => pick().prop_map(Op::ResolveReturn),
        3 => (0..3usize, prop::collection::vec((0..4usize, prop_oneof![1 => Just(0u32), 6 => 1..=3u32]), 1..=2), prop::sample::select(vec![0u32, 30, 120, 600, 3600, 3600]))
            .prop_map(|(cart, lines, ttl)| Op::HoldStock { cart, lines, ttl }),
        1 => (0..3usize).prop_map(|cart| Op::ReleaseStockHold { cart }),
        1 => Just(Op::ReleaseExpiredHolds),
        2 => prop::sample::select(vec![30i64, 300, 3600, 86_400, 15 * 86_400]).prop_map(|secs| Op::Later { secs }),
        50 => (pick(), any::<bool>()).prop_map(|(p, oldest)| Op::Advance(p, oldest)),
    ]
}

/// The entity `p` names among `0..n`, preferring those `fits` when `p.fit`.
fn choose(p: &Pick, n: usize, fits: impl Fn(usize) -> bool) -> Option<usize> {
    let fitting: Vec<usize> = (0..n).filter(|&i| fits(i)).collect();
    if p.fit && !fitting.is_empty() {
        return Some(fitting[p.index.index(fitting.len())]);
    }
    (n > 0).then(|| p.index.index(n))
}

/// Units for `a` when `max` are allowed.
fn units(a: Amount, max: u32) -> u32 {
    match a {
        Amount::One => 1,
        Amount::All => max.max(1),
        Amount::TooMany => max + 1,
        Amount::Zero => 0,
    }
}

/// Resolves a generated command against the model's entities; `None` when it names an
/// entity kind of which none exists yet.
pub fn resolve(model: &Model, op: &Op) -> Option<Cmd> {
    use OrderState as S;
    let orders = &model.orders;
    let ships = &model.shipments;
    let rets = &model.returns;
    let order_state = |o: usize| orders[o].state;
    let in_fulfillment = |s: usize| order_state(ships[s].order) == S::InFulfillment;
    Some(match op {
        Op::Receive { sku, depot, qty } => Cmd::Receive { sku: *sku, loc: if *depot { Loc::Depot } else { m::home(*sku) }, qty: *qty },
        Op::Adjust { sku, depot, delta } => {
            // Z is never stocked: only take-aways (refused) for it.
            let delta = if *sku == m::Z { -delta.abs().max(1) } else { *delta };
            Cmd::Adjust { sku: *sku, loc: if *depot { Loc::Depot } else { m::home(*sku) }, delta }
        }
        Op::Transfer { sku, to_depot, qty, same } => {
            let (from, to) = match (same, to_depot) {
                (true, _) => (m::home(*sku), m::home(*sku)),
                (false, true) => (m::home(*sku), Loc::Depot),
                (false, false) => (Loc::Depot, m::home(*sku)),
            };
            Cmd::Transfer { sku: *sku, from, to, qty: *qty }
        }
        Op::Place { lines, market, prepaid, shipping, cart } => Cmd::Place {
            market: *market,
            prepaid: *prepaid,
            shipping: *shipping,
            lines: lines.iter().map(|(sku, q, p)| (*sku, *q, PRICES[*p])).collect(),
            cart: *cart,
        },
        Op::PlaceAgain { order, same } => Cmd::PlaceAgain { order: choose(order, orders.len(), |_| true)?, same: *same },
        Op::Pay { order, kind, amount } => {
            let o = choose(order, orders.len(), |o| order_state(o) == S::Placed || matches!(kind, PaymentKind::Refunded))?;
            let (total, p) = (orders[o].total(), orders[o].pay);
            let room = match kind {
                PaymentKind::Captured => total - p.captured,
                PaymentKind::Refunded | PaymentKind::ChargedBack => p.captured - p.refunded,
                PaymentKind::Voided => p.open_authorization(),
                _ => total,
            };
            let cents = match amount {
                Amount::One => 100.min(room.max(0)),
                Amount::All => room.max(0),
                Amount::TooMany => room.max(0) + 1,
                Amount::Zero => 0,
            };
            Cmd::Pay { order: o, kind: *kind, cents }
        }
        Op::Validate(p) => Cmd::Validate { order: choose(p, orders.len(), |o| order_state(o) == S::Placed)? },
        Op::Allocate(p) => Cmd::Allocate {
            order: choose(p, orders.len(), |o| {
                order_state(o) == S::Confirmed
                    || (order_state(o) == S::InFulfillment && orders[o].lines.iter().any(|l| l.q.open() > l.q.allocated))
            })?,
        },
        Op::CancelOrder(p) => Cmd::CancelOrder {
            order: choose(p, orders.len(), |o| {
                !matches!(order_state(o), S::Completed | S::Cancelled) && orders[o].lines.iter().all(|l| l.q.shipped == 0)
            })?,
        },
        Op::CancelLines { order, line, amount } => {
            let o = choose(order, orders.len(), |o| !matches!(order_state(o), S::Completed | S::Cancelled))?;
            let l = line.index(orders[o].lines.len());
            let q = orders[o].lines[l].q;
            Cmd::CancelLines { order: o, line: l, qty: units(*amount, q.open() - q.picked) }
        }
        Op::HoldOrder { order, manual } => Cmd::HoldOrder {
            order: choose(order, orders.len(), |o| matches!(order_state(o), S::Placed | S::Confirmed | S::InFulfillment))?,
            code: if *manual { "customer_request" } else { "payment_missing" },
        },
        Op::ReleaseOrder(p) => Cmd::ReleaseOrder { order: choose(p, orders.len(), |o| order_state(o) == S::OnHold)? },
        Op::PickList { sued } => Cmd::PickList { loc: if *sued { Loc::Sued } else { Loc::Nord } },
        Op::Pick { shipment, short } => {
            let s = choose(shipment, ships.len(), |s| {
                matches!(ships[s].state, ShipmentState::Pending | ShipmentState::Picking) && in_fulfillment(s)
            })?;
            let picked = match (short, ships[s].lines.is_empty()) {
                (Some((line, amount)), false) => {
                    let sl = ships[s].lines[line.index(ships[s].lines.len())];
                    let found = match amount {
                        Amount::One => 1.min(sl.quantity),
                        Amount::All => sl.quantity.saturating_sub(1),
                        Amount::TooMany => sl.quantity + 1,
                        Amount::Zero => 0,
                    };
                    vec![(sl.line, found)]
                }
                _ => Vec::new(),
            };
            Cmd::Pick { shipment: s, picked }
        }
        Op::Pack(p) => Cmd::Pack { shipment: choose(p, ships.len(), |s| ships[s].state == ShipmentState::Picked && in_fulfillment(s))? },
        Op::Ship { shipment, reuse } => {
            let s = choose(shipment, ships.len(), |s| ships[s].state == ShipmentState::Packed && in_fulfillment(s))?;
            let other = ships.iter().filter_map(|x| x.tracking.clone()).next();
            let tracking = if *reuse { other.unwrap_or_else(|| format!("T-{s}")) } else { format!("T-{s}") };
            Cmd::Ship { shipment: s, tracking }
        }
        Op::Track { shipment, code } => Cmd::Track {
            shipment: choose(shipment, ships.len(), |s| {
                matches!(
                    ships[s].state,
                    ShipmentState::Shipped | ShipmentState::InTransit | ShipmentState::OutForDelivery | ShipmentState::DeliveryFailed
                )
            })?,
            code,
        },
        Op::RequestReturn { order, lines, store_credit } => {
            let o = choose(order, orders.len(), |o| orders[o].lines.iter().any(|l| l.q.shipped > 0))?;
            let n = orders[o].lines.len();
            let lines = lines
                .iter()
                .map(|(line, amount)| {
                    let l = line.index(n);
                    (l, units(*amount, orders[o].lines[l].q.shipped))
                })
                .collect();
            Cmd::RequestReturn { order: o, lines, store_credit: *store_credit }
        }
        Op::ApproveReturn(p) => Cmd::ApproveReturn { ret: choose(p, rets.len(), |r| rets[r].state == ReturnState::Requested)? },
        Op::RejectReturn(p) => Cmd::RejectReturn { ret: choose(p, rets.len(), |r| rets[r].state == ReturnState::Requested)? },
        Op::CancelReturn(p) => {
            Cmd::CancelReturn { ret: choose(p, rets.len(), |r| matches!(rets[r].state, ReturnState::Requested | ReturnState::Approved))? }
        }
        Op::ReceiveReturn { ret, at, part } => {
            let r = choose(ret, rets.len(), |r| {
                matches!(rets[r].state, ReturnState::Approved | ReturnState::Received)
                    && rets[r].lines.iter().any(|l| l.received < l.quantity)
            })?;
            let rt = &rets[r];
            // Goods go back to the one shipping location of all their SKUs, or to the depot;
            // `at` 2 names a location other than the one used before (refused).
            let homes: Vec<Loc> = rt.lines.iter().map(|l| m::home(orders[rt.order].lines[l.line].sku)).collect();
            let home = if homes.iter().all(|h| *h == homes[0]) { homes[0] } else { Loc::Depot };
            let loc = match (at, rt.location) {
                (0, _) => home,
                (2, Some(Loc::Depot)) => home,
                (2, Some(_)) => Loc::Depot,
                _ => Loc::Depot,
            };
            let lines = match part {
                Some((line, amount)) => {
                    let rl = rt.lines[line.index(rt.lines.len())];
                    vec![(rl.line, units(*amount, rl.quantity - rl.received))]
                }
                None => Vec::new(),
            };
            Cmd::ReceiveReturn { ret: r, loc, lines }
        }
        Op::InspectReturn { ret, decisions } => {
            let r = choose(ret, rets.len(), |r| rets[r].state == ReturnState::Received)?;
            let rt = &rets[r];
            let decisions = decisions
                .iter()
                .map(|(line, amount, restock)| {
                    let rl = rt.lines[line.index(rt.lines.len())];
                    (rl.line, units(*amount, rl.received - rl.restocked - rl.written_off), *restock)
                })
                .collect();
            Cmd::InspectReturn { ret: r, decisions }
        }
        Op::ResolveReturn(p) => Cmd::ResolveReturn { ret: choose(p, rets.len(), |r| rets[r].state == ReturnState::Inspected)? },
        Op::HoldStock { cart, lines, ttl } => Cmd::HoldStock { cart: *cart, lines: lines.clone(), ttl: *ttl },
        Op::ReleaseStockHold { cart } => Cmd::ReleaseStockHold { cart: *cart },
        Op::ReleaseExpiredHolds => Cmd::ReleaseExpiredHolds,
        Op::Later { secs } => Cmd::Later { secs: *secs },
        Op::Advance(p, oldest) => {
            let first = (0..orders.len()).find(|&o| advance(model, o, &p.index).is_some()).filter(|_| *oldest);
            // Nothing to take further: a new order of one unit.
            let new = Cmd::Place { market: false, prepaid: false, shipping: true, lines: vec![(0, 1, PRICES[0])], cart: None };
            let Some(o) = first.or_else(|| choose(p, orders.len(), |o| advance(model, o, &p.index).is_some())) else { return Some(new) };
            return advance(model, o, &p.index).or(Some(new));
        }
    })
}

/// The command that takes order `o` one step further along the order path: pay and
/// validate, release, allocate, pick, pack, ship and deliver its shipments, then return a
/// unit and take the return through approval, receipt, inspection and refund.
pub fn advance(model: &Model, o: usize, which: &Index) -> Option<Cmd> {
    use OrderState as S;
    use ShipmentState as SS;
    let order = &model.orders[o];
    if let Some(r) = model
        .returns
        .iter()
        .position(|r| r.order == o && !matches!(r.state, ReturnState::Resolved | ReturnState::Rejected | ReturnState::Cancelled))
    {
        let rt = &model.returns[r];
        let sku = |line: usize| order.lines[line].sku;
        return Some(match rt.state {
            ReturnState::Requested => Cmd::ApproveReturn { ret: r },
            ReturnState::Received => {
                let decisions = rt
                    .lines
                    .iter()
                    .filter(|l| l.received > l.restocked + l.written_off)
                    .map(|l| (l.line, l.received - l.restocked - l.written_off, true))
                    .collect();
                Cmd::InspectReturn { ret: r, decisions }
            }
            ReturnState::Inspected => Cmd::ResolveReturn { ret: r },
            _ => {
                let homes: Vec<Loc> = rt.lines.iter().map(|l| m::home(sku(l.line))).collect();
                let loc = rt.location.unwrap_or(if homes.iter().all(|h| *h == homes[0]) { homes[0] } else { Loc::Depot });
                Cmd::ReceiveReturn { ret: r, loc, lines: Vec::new() }
            }
        });
    }
    match order.state {
        S::Placed if order.prepaid && order.pay.open_authorization() + order.pay.captured < order.total() => {
            let cents = order.total() - order.pay.open_authorization() - order.pay.captured;
            Some(Cmd::Pay { order: o, kind: PaymentKind::Authorized, cents })
        }
        S::Placed => Some(Cmd::Validate { order: o }),
        S::OnHold => {
            // Fix what holds it first: pay, cancel unknown SKUs, receive what is missing.
            let problems = if order.held_from == Some(S::Placed) { model.problems(o) } else { Vec::new() };
            let mut want = [0u32; 4];
            for l in &order.lines {
                want[l.sku] += l.q.open() - l.q.allocated;
            }
            let short = (0..m::Z).find(|&k| !m::backorderable(k) && want[k] > model.available(k, m::home(k)));
            if problems.contains(&"payment_missing") {
                Some(Cmd::Pay { order: o, kind: PaymentKind::Authorized, cents: order.total() })
            } else if problems.contains(&"unknown_sku") {
                Some(Cmd::CancelOrder { order: o })
            } else if let Some(k) = short {
                Some(Cmd::Receive { sku: k, loc: m::home(k), qty: want[k] - model.available(k, m::home(k)) })
            } else {
                Some(Cmd::ReleaseOrder { order: o })
            }
        }
        S::Confirmed => Some(Cmd::Allocate { order: o }),
        S::InFulfillment => {
            let steps: Vec<Cmd> = model
                .shipments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.order == o)
                .filter_map(|(k, s)| match s.state {
                    SS::Pending if which.index(4) == 0 => Some(Cmd::PickList { loc: s.loc }),
                    SS::Pending | SS::Picking => Some(Cmd::Pick { shipment: k, picked: Vec::new() }),
                    SS::Picked => Some(Cmd::Pack { shipment: k }),
                    SS::Packed => Some(Cmd::Ship { shipment: k, tracking: format!("T-{k}") }),
                    SS::Shipped | SS::InTransit | SS::OutForDelivery | SS::DeliveryFailed => {
                        Some(Cmd::Track { shipment: k, code: "delivered" })
                    }
                    _ => None,
                })
                .collect();
            let next = (!steps.is_empty()).then(|| steps[which.index(steps.len())].clone());
            next.or_else(|| order.lines.iter().any(|l| l.q.open() > l.q.allocated).then_some(Cmd::Allocate { order: o }))
        }
        S::Completed => {
            let in_returns = |line: usize| -> u32 {
                model
                    .returns
                    .iter()
                    .filter(|r| r.order == o && !matches!(r.state, ReturnState::Rejected | ReturnState::Cancelled))
                    .flat_map(|r| &r.lines)
                    .filter(|l| l.line == line)
                    .map(|l| l.quantity)
                    .sum()
            };
            let line = (0..order.lines.len()).find(|&l| order.lines[l].q.shipped > in_returns(l))?;
            Some(Cmd::RequestReturn { order: o, lines: vec![(line, 1)], store_credit: false })
        }
        S::Cancelled => None,
    }
}

/// ordo's side of the world: the handle, its clock, and the ids of everything the model
/// knows by index.
pub struct Ordo {
    pub w: World,
    pub locs: [LocationId; 3],
    pub orders: Vec<OrderId>,
    pub lines: Vec<Vec<LineId>>,
    /// What each order was placed with (to place it again).
    pub placed: Vec<NewOrder>,
    /// External references handed out so far.
    refs: usize,
    /// Filled in when a shipment the model created is found in ordo.
    pub shipments: Vec<Option<ShipmentId>>,
    pub returns: Vec<ReturnId>,
}

/// The start of the clock.
pub fn epoch() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub fn cart(c: usize) -> String {
    format!("cart-{c}")
}

impl Ordo {
    /// Channels `web` (hold on shortage) and `market` (cancel missing units), warehouses nord
    /// (priority 1) and sued (priority 2), a depot that does not ship, `B` backorderable,
    /// one unit of safety stock for `C` at nord.
    pub fn new(b: Backend) -> Self {
        let clock = ManualClock::new(epoch());
        let oms = Oms::builder(b.store()).clock(clock.clone()).build();
        oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
        let cancel = AllocationPolicy { on_shortage: ShortagePolicy::CancelLine, ..AllocationPolicy::default() };
        oms.add_channel(NewChannel::new("market", "Marketplace").allocation(cancel)).unwrap();
        let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1)).unwrap().id;
        let sued = oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2)).unwrap().id;
        let depot =
            oms.add_location(NewLocation { ships: Some(false), ..NewLocation::warehouse("depot", "Depot").priority(3) }).unwrap().id;
        oms.set_backorder_policy(SKUS[m::B], BackorderPolicy::Allow).unwrap();
        oms.set_safety_stock(SKUS[m::C], nord, 1).unwrap();
        let w = World { oms, clock, nord, sued };
        Ordo {
            w,
            locs: [nord, sued, depot],
            orders: Vec::new(),
            refs: 0,
            lines: Vec::new(),
            placed: Vec::new(),
            shipments: Vec::new(),
            returns: Vec::new(),
        }
    }

    pub fn loc(&self, l: Loc) -> LocationId {
        self.locs[l as usize]
    }

    /// Runs `cmd` on ordo and records the ids of what it created.
    pub fn run(&mut self, model: &Model, cmd: &Cmd) -> Result<()> {
        let oms = self.w.oms.clone();
        let eur = |cents: i64| Decimal::new(cents, 2);
        match cmd {
            Cmd::Receive { sku, loc, qty } => drop(oms.receive_stock(ReceiveStock::new(SKUS[*sku], self.loc(*loc), *qty))?),
            Cmd::Adjust { sku, loc, delta } => drop(oms.adjust_stock(AdjustStock::new(SKUS[*sku], self.loc(*loc), *delta, "count"))?),
            Cmd::Transfer { sku, from, to, qty } => {
                drop(oms.transfer_stock(TransferStock::new(SKUS[*sku], self.loc(*from), self.loc(*to), *qty))?)
            }
            Cmd::Place { market, prepaid, shipping, lines, cart: c } => {
                self.refs += 1;
                let lines = lines.iter().map(|(sku, q, p)| NewLine::new(SKUS[*sku], *q, eur(*p)).tax_rate(d("0.19"))).collect();
                let mut new = new_order(&format!("m-{}", self.refs), lines);
                new.channel = if *market { "market" } else { "web" }.into();
                new.payment_method = if *prepaid { PaymentMethod::Prepaid } else { PaymentMethod::Invoice };
                if *shipping {
                    new = new.shipping(d("4.90"), d("0.19"));
                }
                if let Some(c) = c {
                    new = new.cart_ref(cart(*c));
                }
                let order = oms.place_order(new.clone())?;
                self.placed.push(new);
                self.orders.push(order.id);
                self.lines.push(order.lines.iter().map(|l| l.id).collect());
            }
            Cmd::PlaceAgain { order, same } => {
                let mut new = self.placed[*order].clone();
                if !same {
                    new.lines[0].quantity += 1;
                }
                let again = oms.place_order(new)?;
                assert_eq!(again.id, self.orders[*order], "placing the same order again returns the first");
            }
            Cmd::Pay { order, kind, cents } => drop(oms.record_payment(self.orders[*order], NewPayment::new(*kind, eur(*cents), "EUR"))?),
            Cmd::Validate { order } => drop(oms.validate_order(self.orders[*order])?),
            Cmd::Allocate { order } => drop(oms.allocate_order(self.orders[*order])?),
            Cmd::CancelOrder { order } => drop(oms.cancel_order(self.orders[*order], "customer asked")?),
            Cmd::CancelLines { order, line, qty } => {
                drop(oms.cancel_lines(self.orders[*order], vec![CancelUnits::new(self.lines[*order][*line], *qty)], "customer asked")?);
            }
            Cmd::HoldOrder { order, code } => drop(oms.hold_order(self.orders[*order], NewHold::new(*code, "held by the model test"))?),
            Cmd::ReleaseOrder { order } => drop(oms.release_order(self.orders[*order], None)?),
            Cmd::PickList { loc } => drop(oms.create_pick_list(NewPickList::new(self.loc(*loc)))?),
            Cmd::Pick { shipment, picked } => {
                let o = model.shipments[*shipment].order;
                let picked = picked.iter().map(|(l, q)| PickedUnits::new(self.lines[o][*l], *q)).collect();
                drop(oms.confirm_pick(self.shipment(*shipment), picked)?);
            }
            Cmd::Pack { shipment } => drop(oms.pack_shipment(self.shipment(*shipment), vec![Package::new(500)])?),
            Cmd::Ship { shipment, tracking } => drop(oms.ship(self.shipment(*shipment), ShipInput::new("DHL", tracking.clone()))?),
            Cmd::Track { shipment, code } => {
                drop(oms.record_tracking_event(TrackingEventInput::for_shipment(self.shipment(*shipment), *code))?)
            }
            Cmd::RequestReturn { order, lines, store_credit } => {
                let units = lines.iter().map(|(l, q)| ReturnUnits::new(self.lines[*order][*l], *q)).collect();
                let mut request = ReturnRequest::new(units, ReturnReason::DoesNotFit);
                if *store_credit {
                    request.resolution = Resolution::StoreCredit;
                }
                let r = oms.request_return(self.orders[*order], request)?;
                self.returns.push(r.id);
            }
            Cmd::ApproveReturn { ret } => drop(oms.approve_return(self.returns[*ret], None)?),
            Cmd::RejectReturn { ret } => drop(oms.reject_return(self.returns[*ret], "worn")?),
            Cmd::CancelReturn { ret } => drop(oms.cancel_return(self.returns[*ret], "kept it")?),
            Cmd::ReceiveReturn { ret, loc, lines } => {
                let o = model.returns[*ret].order;
                let lines = lines.iter().map(|(l, q)| ReturnUnits::new(self.lines[o][*l], *q)).collect();
                drop(oms.receive_return(self.returns[*ret], ReceiveReturn { location: self.loc(*loc), lines })?);
            }
            Cmd::InspectReturn { ret, decisions } => {
                let o = model.returns[*ret].order;
                let decisions = decisions
                    .iter()
                    .map(|(l, q, restock)| {
                        Inspection::new(self.lines[o][*l], *q, if *restock { Disposition::Restock } else { Disposition::WriteOff })
                    })
                    .collect();
                drop(oms.inspect_return(self.returns[*ret], decisions)?);
            }
            Cmd::ResolveReturn { ret } => drop(oms.resolve_return(self.returns[*ret])?),
            Cmd::HoldStock { cart: c, lines, ttl } => {
                let lines = lines.iter().map(|(sku, q)| HoldLine::new(SKUS[*sku], *q)).collect();
                drop(oms.hold_stock(HoldRequest::new(cart(*c), "web", lines, *ttl))?);
            }
            Cmd::ReleaseStockHold { cart: c } => drop(oms.release_stock_hold(&cart(*c))?),
            Cmd::ReleaseExpiredHolds => drop(oms.release_expired_holds()?),
            Cmd::Later { secs } => self.w.clock.advance(Duration::seconds(*secs)),
        }
        Ok(())
    }

    fn shipment(&self, s: usize) -> ShipmentId {
        self.shipments[s].expect("every shipment the model knows was found in ordo")
    }
}
