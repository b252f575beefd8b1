//! The model's entities: stock levels, orders with their line ledgers and payments,
//! shipments, returns and checkout holds, with the statuses the docs derive from them.

use ordo::{FulfillmentStatus, OrderState, PaymentStatus, ReturnState, ShipmentState};

use super::Loc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Level {
    pub on_hand: u32,
    pub reserved: u32,
}

/// The per-line quantity ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Qty {
    pub ordered: u32,
    pub cancelled: u32,
    pub allocated: u32,
    pub backordered: u32,
    pub picked: u32,
    pub packed: u32,
    pub shipped: u32,
    pub delivered: u32,
    pub returned: u32,
}

impl Qty {
    pub fn open(&self) -> u32 {
        self.ordered - self.cancelled
    }
}

#[derive(Clone, Debug)]
pub struct Line {
    pub sku: usize,
    /// Gross unit price in cents; without discounts every unit's share of the line is this.
    pub price: i64,
    pub q: Qty,
    pub refunded_units: u32,
    pub refunded: i64,
}

/// Sums of the payment reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Payments {
    pub authorized: i64,
    pub captured: i64,
    pub voided: i64,
    pub refunded: i64,
    pub last_failed: bool,
}

impl Payments {
    pub fn open_authorization(&self) -> i64 {
        (self.authorized - self.captured - self.voided).max(0)
    }
}

#[derive(Clone, Debug)]
pub struct Order {
    pub market: bool,
    pub prepaid: bool,
    pub shipping: i64,
    pub lines: Vec<Line>,
    pub state: OrderState,
    pub held_from: Option<OrderState>,
    pub holds: Vec<&'static str>,
    pub pay: Payments,
    pub shipping_refunded: bool,
    pub cart: Option<usize>,
}

impl Order {
    pub fn total(&self) -> i64 {
        self.lines.iter().map(|l| l.price * i64::from(l.q.ordered)).sum::<i64>() + self.shipping
    }

    pub fn open(&self) -> u32 {
        self.lines.iter().map(|l| l.q.open()).sum()
    }

    pub(super) fn delivered(&self) -> u32 {
        self.lines.iter().map(|l| l.q.delivered).sum()
    }

    pub(super) fn shipped(&self) -> u32 {
        self.lines.iter().map(|l| l.q.shipped).sum()
    }

    pub fn fully_delivered(&self) -> bool {
        self.open() > 0 && self.delivered() >= self.open()
    }

    /// Holds the order (remembering where it was) or adds reasons to a held one.
    pub(super) fn hold(&mut self, codes: &[&'static str]) {
        if self.state != OrderState::OnHold {
            self.held_from = Some(self.state);
            self.state = OrderState::OnHold;
        }
        self.holds.extend_from_slice(codes);
    }

    pub(super) fn clear_holds(&mut self) {
        self.held_from = None;
        self.holds.clear();
    }

    /// The table of the `FulfillmentStatus` docs.
    pub fn fulfillment_status(&self) -> FulfillmentStatus {
        let (open, shipped, delivered) = (self.open(), self.shipped(), self.delivered());
        match () {
            _ if open == 0 => FulfillmentStatus::Cancelled,
            _ if delivered >= open => FulfillmentStatus::Delivered,
            _ if delivered > 0 => FulfillmentStatus::PartiallyDelivered,
            _ if shipped >= open => FulfillmentStatus::Shipped,
            _ if shipped > 0 => FulfillmentStatus::PartiallyShipped,
            _ => FulfillmentStatus::Unfulfilled,
        }
    }

    /// The table of the `payment` module docs.
    pub fn payment_status(&self) -> PaymentStatus {
        let p = &self.pay;
        match () {
            _ if p.refunded > 0 && p.refunded >= p.captured => PaymentStatus::Refunded,
            _ if p.refunded > 0 => PaymentStatus::PartiallyRefunded,
            _ if p.captured > 0 && p.captured >= self.total() => PaymentStatus::Paid,
            _ if p.captured > 0 => PaymentStatus::PartiallyPaid,
            _ if p.open_authorization() > 0 => PaymentStatus::Authorized,
            _ if p.voided > 0 => PaymentStatus::Voided,
            _ if p.last_failed => PaymentStatus::Failed,
            _ => PaymentStatus::Unpaid,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SLine {
    pub line: usize,
    pub quantity: u32,
    pub picked: u32,
}

#[derive(Clone, Debug)]
pub struct Shipment {
    pub order: usize,
    pub loc: Loc,
    pub state: ShipmentState,
    pub lines: Vec<SLine>,
    pub delivered_at: Option<i64>,
    pub tracking: Option<String>,
}

/// Whether a shipment has left its location (the `ShipmentState::has_shipped` docs).
pub fn has_shipped(s: ShipmentState) -> bool {
    use ShipmentState as S;
    !matches!(s, S::Pending | S::Picking | S::Picked | S::Packed | S::ReadyForPickup | S::Cancelled)
}

/// Whether a shipment still holds its reservation (not shipped, not cancelled).
pub fn holds_reservation(s: ShipmentState) -> bool {
    use ShipmentState as S;
    matches!(s, S::Pending | S::Picking | S::Picked | S::Packed | S::ReadyForPickup)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RLine {
    pub line: usize,
    pub quantity: u32,
    pub received: u32,
    pub restocked: u32,
    pub written_off: u32,
}

impl RLine {
    pub(super) fn uninspected(&self) -> u32 {
        self.received - self.restocked - self.written_off
    }
}

#[derive(Clone, Debug)]
pub struct Return {
    pub order: usize,
    pub state: ReturnState,
    pub lines: Vec<RLine>,
    pub location: Option<Loc>,
    pub refund: Option<i64>,
}

/// A checkout hold: (sku, location, units), when it lapses, and the order it became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub lines: Vec<(usize, Loc, u32)>,
    pub expires_at: i64,
    pub order: Option<usize>,
}

impl Hold {
    pub(super) fn held(&self, sku: usize, loc: Loc) -> u32 {
        self.lines.iter().filter(|(s, l, _)| *s == sku && *l == loc).map(|(_, _, q)| q).sum()
    }
}
