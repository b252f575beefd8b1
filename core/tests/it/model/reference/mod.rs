//! The reference model: stock, orders, shipments, returns, checkout holds and money as plain
//! data, changed by rules written from ordo's documentation (README, DESIGN.md, the docs of
//! each `Oms` method and the state tables of `order::state`, `shipment` and `returns`).
//!
//! Nothing here calls into ordo; only its state enums are borrowed as vocabulary. Money is
//! whole cents (`i64`); times are seconds since the start of the run. A command either
//! applies completely or is refused with the error code ordo must give — [`Model::apply`]
//! works on a copy and keeps it only when the command succeeds, as a store transaction does.

use std::collections::BTreeMap;

use ordo::{OrderState, PaymentKind, ReturnState, ShipmentState};

mod data;
mod orders;
mod returns;
mod stock;

pub use self::data::*;

/// The SKUs of the world: `A` and `C` live at nord (`C` with one unit of safety stock), `B`
/// at sued and may be backordered, `Z` is never stocked (an unknown SKU).
pub const SKUS: [&str; 4] = ["A", "B", "C", "Z"];
pub const B: usize = 1;
pub const C: usize = 2;
pub const Z: usize = 3;

/// Days after delivery within which a return may be requested (the channel default).
const RETURN_WINDOW_SECS: i64 = 14 * 24 * 3600;

/// Stock locations: nord and sued ship (every channel may use them); the depot is a stock
/// room that does not ship, so orders and checkout holds never take stock from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    Nord,
    Sued,
    Depot,
}

impl Loc {
    pub const ALL: [Loc; 3] = [Loc::Nord, Loc::Sued, Loc::Depot];

    pub fn ships(self) -> bool {
        self != Loc::Depot
    }
}

/// The one shipping location a SKU is ever stocked at (receipts, transfers and restocks
/// go there or to the depot), so the location an allocation uses is known in advance.
pub fn home(sku: usize) -> Loc {
    if sku == B { Loc::Sued } else { Loc::Nord }
}

/// `B` has the backorder policy `allow` (and so is known without stock); the others `deny`.
pub fn backorderable(sku: usize) -> bool {
    sku == B
}

/// Safety stock: one unit of `C` at nord.
pub fn safety(sku: usize, loc: Loc) -> u32 {
    u32::from(sku == C && loc == Loc::Nord)
}

/// The error code ordo must answer a refused command with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal(pub &'static str);

const INVALID_INPUT: Refusal = Refusal("INVALID_INPUT");
const INVALID_TRANSITION: Refusal = Refusal("INVALID_TRANSITION");
const NOT_FOUND: Refusal = Refusal("NOT_FOUND");
const CONFLICT: Refusal = Refusal("CONFLICT");
const INSUFFICIENT_STOCK: Refusal = Refusal("INSUFFICIENT_STOCK");
const VALIDATION_FAILED: Refusal = Refusal("VALIDATION_FAILED");
const RETURN_WINDOW_CLOSED: Refusal = Refusal("RETURN_WINDOW_CLOSED");

type Res = Result<(), Refusal>;

/// A command with its arguments resolved to indices of the model's entities (orders, their
/// lines, shipments, returns, carts 0..3).
#[derive(Clone, Debug)]
pub enum Cmd {
    Receive {
        sku: usize,
        loc: Loc,
        qty: u32,
    },
    Adjust {
        sku: usize,
        loc: Loc,
        delta: i64,
    },
    Transfer {
        sku: usize,
        from: Loc,
        to: Loc,
        qty: u32,
    },
    /// Lines are (sku, quantity, unit price in cents); `market` orders come from the channel
    /// that cancels missing units instead of holding the order.
    Place {
        market: bool,
        prepaid: bool,
        shipping: bool,
        lines: Vec<(usize, u32, i64)>,
        cart: Option<usize>,
    },
    /// The same channel and external reference again, with the same content or not.
    PlaceAgain {
        order: usize,
        same: bool,
    },
    Pay {
        order: usize,
        kind: PaymentKind,
        cents: i64,
    },
    Validate {
        order: usize,
    },
    Allocate {
        order: usize,
    },
    CancelOrder {
        order: usize,
    },
    CancelLines {
        order: usize,
        line: usize,
        qty: u32,
    },
    HoldOrder {
        order: usize,
        code: &'static str,
    },
    ReleaseOrder {
        order: usize,
    },
    PickList {
        loc: Loc,
    },
    /// Lines found short: (order line, units found).
    Pick {
        shipment: usize,
        picked: Vec<(usize, u32)>,
    },
    Pack {
        shipment: usize,
    },
    Ship {
        shipment: usize,
        tracking: String,
    },
    Track {
        shipment: usize,
        code: &'static str,
    },
    /// Store credit is refunded like money.
    RequestReturn {
        order: usize,
        lines: Vec<(usize, u32)>,
        store_credit: bool,
    },
    ApproveReturn {
        ret: usize,
    },
    RejectReturn {
        ret: usize,
    },
    CancelReturn {
        ret: usize,
    },
    /// Lines (order line, units); empty means everything still expected.
    ReceiveReturn {
        ret: usize,
        loc: Loc,
        lines: Vec<(usize, u32)>,
    },
    /// Decisions: (order line, units, restock — else write off).
    InspectReturn {
        ret: usize,
        decisions: Vec<(usize, u32, bool)>,
    },
    ResolveReturn {
        ret: usize,
    },
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
}

#[derive(Clone, Debug)]
pub struct Model {
    /// Seconds since the start.
    pub now: i64,
    /// Levels that exist (touched by a movement or a safety-stock setting).
    pub levels: BTreeMap<(usize, Loc), Level>,
    pub orders: Vec<Order>,
    pub shipments: Vec<Shipment>,
    pub returns: Vec<Return>,
    /// Checkout holds by cart.
    pub holds: BTreeMap<usize, Hold>,
}

impl Model {
    /// The world before any command: `C` has a (still empty) level at nord that carries its
    /// safety stock.
    pub fn new() -> Self {
        let mut levels = BTreeMap::new();
        levels.insert((C, Loc::Nord), Level::default());
        Model { now: 0, levels, orders: Vec::new(), shipments: Vec::new(), returns: Vec::new(), holds: BTreeMap::new() }
    }

    /// Applies `cmd` completely, or refuses it and changes nothing.
    pub fn apply(&mut self, cmd: &Cmd) -> Res {
        let mut next = self.clone();
        next.exec(cmd)?;
        *self = next;
        Ok(())
    }

    fn exec(&mut self, cmd: &Cmd) -> Res {
        match cmd {
            Cmd::Receive { sku, loc, qty } => {
                if *qty == 0 {
                    return Err(INVALID_INPUT);
                }
                self.move_stock(*sku, *loc, i64::from(*qty), 0)?;
                self.fill_backorders(*sku);
            }
            Cmd::Adjust { sku, loc, delta } => {
                if *delta == 0 {
                    return Err(INVALID_INPUT);
                }
                if *delta < 0 && !self.levels.contains_key(&(*sku, *loc)) {
                    return Err(NOT_FOUND);
                }
                self.move_stock(*sku, *loc, *delta, 0)?;
                if *delta > 0 {
                    self.fill_backorders(*sku);
                }
            }
            Cmd::Transfer { sku, from, to, qty } => {
                if *qty == 0 || from == to {
                    return Err(INVALID_INPUT);
                }
                if self.available(*sku, *from) < *qty {
                    return Err(INSUFFICIENT_STOCK);
                }
                self.move_stock(*sku, *from, -i64::from(*qty), 0)?;
                self.move_stock(*sku, *to, i64::from(*qty), 0)?;
                self.fill_backorders(*sku);
            }
            Cmd::Place { market, prepaid, shipping, lines, cart } => {
                if lines.iter().any(|(_, q, _)| *q == 0) {
                    return Err(INVALID_INPUT);
                }
                let o = self.orders.len();
                let mut cart = *cart;
                if let Some(c) = cart {
                    self.sweep();
                    match self.holds.get_mut(&c) {
                        Some(h) if h.order.is_some() => return Err(CONFLICT),
                        Some(h) => h.order = Some(o),
                        None => cart = None,
                    }
                }
                let lines = lines
                    .iter()
                    .map(|&(sku, ordered, price)| Line { sku, price, q: Qty { ordered, ..Qty::default() }, refunded_units: 0, refunded: 0 })
                    .collect();
                self.orders.push(Order {
                    market: *market,
                    prepaid: *prepaid,
                    shipping: if *shipping { 490 } else { 0 },
                    lines,
                    state: OrderState::Placed,
                    held_from: None,
                    holds: Vec::new(),
                    pay: Payments::default(),
                    shipping_refunded: false,
                    cart,
                });
            }
            Cmd::PlaceAgain { same, .. } => {
                // The first result for the same content; a conflict for other content.
                if !same {
                    return Err(CONFLICT);
                }
            }
            Cmd::Pay { order, kind, cents } => {
                let total = self.orders[*order].total();
                let p = &mut self.orders[*order].pay;
                let exceeds = match kind {
                    PaymentKind::Captured => p.captured + cents > total,
                    PaymentKind::Refunded | PaymentKind::ChargedBack => p.refunded + cents > p.captured,
                    PaymentKind::Voided => *cents > p.open_authorization(),
                    _ => false,
                };
                if exceeds {
                    return Err(CONFLICT);
                }
                match kind {
                    PaymentKind::Authorized => p.authorized += cents,
                    PaymentKind::Captured => p.captured += cents,
                    PaymentKind::Voided => p.voided += cents,
                    PaymentKind::Refunded | PaymentKind::ChargedBack => p.refunded += cents,
                    _ => {}
                }
                p.last_failed = *kind == PaymentKind::Failed;
            }
            Cmd::Validate { order } => {
                if self.orders[*order].state != OrderState::Placed {
                    return Err(INVALID_TRANSITION);
                }
                let problems = self.problems(*order);
                let o = &mut self.orders[*order];
                if problems.is_empty() {
                    o.state = OrderState::Confirmed;
                } else {
                    o.hold(&problems);
                }
            }
            Cmd::Allocate { order } => {
                self.sweep();
                if !matches!(self.orders[*order].state, OrderState::Confirmed | OrderState::InFulfillment) {
                    return Err(INVALID_TRANSITION);
                }
                self.allocate(*order, "insufficient_stock");
            }
            Cmd::CancelOrder { order } => self.cancel_order(*order)?,
            Cmd::CancelLines { order, line, qty } => self.cancel_lines(*order, *line, *qty)?,
            Cmd::HoldOrder { order, code } => {
                let o = &mut self.orders[*order];
                let holdable = matches!(o.state, OrderState::Placed | OrderState::Confirmed | OrderState::InFulfillment);
                if o.state != OrderState::OnHold && !holdable {
                    return Err(INVALID_TRANSITION);
                }
                o.hold(&[code]);
            }
            Cmd::ReleaseOrder { order } => self.release_order(*order)?,
            Cmd::PickList { loc } => {
                let chosen: Vec<usize> = (0..self.shipments.len())
                    .filter(|&s| self.shipments[s].loc == *loc && self.shipments[s].state == ShipmentState::Pending)
                    .filter(|&s| self.orders[self.shipments[s].order].state == OrderState::InFulfillment)
                    .collect();
                if chosen.is_empty() {
                    return Err(INVALID_INPUT);
                }
                for s in chosen {
                    self.shipments[s].state = ShipmentState::Picking;
                }
            }
            Cmd::Pick { shipment, picked } => self.pick(*shipment, picked)?,
            Cmd::Pack { shipment } => {
                let s = &self.shipments[*shipment];
                if self.orders[s.order].state != OrderState::InFulfillment || s.state != ShipmentState::Picked {
                    return Err(INVALID_TRANSITION);
                }
                let (o, lines) = (s.order, s.lines.clone());
                for sl in lines {
                    self.orders[o].lines[sl.line].q.packed += sl.picked;
                }
                self.shipments[*shipment].state = ShipmentState::Packed;
            }
            Cmd::Ship { shipment, tracking } => {
                let s = &self.shipments[*shipment];
                if self.orders[s.order].state != OrderState::InFulfillment || s.state != ShipmentState::Packed {
                    return Err(INVALID_TRANSITION);
                }
                if self.shipments.iter().enumerate().any(|(i, x)| i != *shipment && x.tracking.as_ref() == Some(tracking)) {
                    return Err(CONFLICT);
                }
                let (o, loc, lines) = (s.order, s.loc, s.lines.clone());
                for sl in lines {
                    let line = &mut self.orders[o].lines[sl.line];
                    line.q.shipped += sl.picked;
                    let sku = line.sku;
                    self.shift(sku, loc, -i64::from(sl.picked), -i64::from(sl.picked));
                }
                let s = &mut self.shipments[*shipment];
                s.state = ShipmentState::Shipped;
                s.tracking = Some(tracking.clone());
            }
            Cmd::Track { shipment, code } => self.track(*shipment, code)?,
            Cmd::RequestReturn { order, lines, .. } => self.request_return(*order, lines)?,
            Cmd::ApproveReturn { ret } => self.move_return(*ret, &[ReturnState::Requested], ReturnState::Approved)?,
            Cmd::RejectReturn { ret } => self.move_return(*ret, &[ReturnState::Requested], ReturnState::Rejected)?,
            Cmd::CancelReturn { ret } => {
                self.move_return(*ret, &[ReturnState::Requested, ReturnState::Approved], ReturnState::Cancelled)?;
            }
            Cmd::ReceiveReturn { ret, loc, lines } => self.receive_return(*ret, *loc, lines)?,
            Cmd::InspectReturn { ret, decisions } => self.inspect_return(*ret, decisions)?,
            Cmd::ResolveReturn { ret } => self.resolve_return(*ret)?,
            Cmd::HoldStock { cart, lines, ttl } => self.hold_stock(*cart, lines, *ttl)?,
            Cmd::ReleaseStockHold { cart } => match self.holds.get(cart) {
                None => return Err(NOT_FOUND),
                Some(h) if h.order.is_some() => return Err(CONFLICT),
                Some(_) => self.release_hold(*cart),
            },
            Cmd::ReleaseExpiredHolds => self.sweep(),
            Cmd::Later { secs } => self.now += secs,
        }
        Ok(())
    }
}
