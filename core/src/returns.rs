//! Returns (RMA): the customer sends units back.
//!
//! | from                 | command  | to        |
//! |----------------------|----------|-----------|
//! | requested            | approve  | approved  |
//! | requested            | reject   | rejected  |
//! | approved, received   | receive  | received (partial receipts allowed) |
//! | received, inspected  | inspect  | inspected once every received unit is inspected |
//! | inspected            | resolve  | resolved  |
//! | requested, approved  | cancel   | cancelled |
//!
//! Only shipped units can be returned, within the channel's return window counted from
//! delivery (14 days by default, the EU withdrawal period). Inspection decides per unit:
//! restock (back into available stock at the receiving location) or write off. The
//! refund for returned units is their share of what the customer paid for the line (see
//! [`pricing`](crate::order)), so refunds are exact to the minor unit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{LineId, LocationId, OrderId, ReturnId};
use crate::money::Money;

/// Where a return is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    /// Asked for by the customer.
    Requested,
    /// Accepted; the customer may send the goods.
    Approved,
    /// Refused.
    Rejected,
    /// Goods (some or all) received.
    Received,
    /// Every received unit inspected.
    Inspected,
    /// Refunded or credited.
    Resolved,
    /// Withdrawn.
    Cancelled,
}

/// The commands that move a return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnCommand {
    /// Accept the request.
    Approve,
    /// Refuse the request.
    Reject,
    /// Book goods received.
    Receive,
    /// Decide what happens to received goods.
    Inspect,
    /// Refund or credit.
    Resolve,
    /// Withdraw the return.
    Cancel,
}

impl ReturnCommand {
    /// The command's name as used in errors.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Receive => "receive",
            Self::Inspect => "inspect",
            Self::Resolve => "resolve",
            Self::Cancel => "cancel",
        }
    }
}

use ReturnCommand as RC;
use ReturnState as RS;

/// The table of allowed return transitions: (from, command, to). Inspection stays
/// `received` until every received unit has a decision.
pub const RETURN_TRANSITIONS: &[(ReturnState, ReturnCommand, ReturnState)] = &[
    (RS::Requested, RC::Approve, RS::Approved),
    (RS::Requested, RC::Reject, RS::Rejected),
    (RS::Approved, RC::Receive, RS::Received),
    (RS::Received, RC::Receive, RS::Received),
    (RS::Inspected, RC::Receive, RS::Received),
    (RS::Received, RC::Inspect, RS::Received),
    (RS::Received, RC::Inspect, RS::Inspected),
    (RS::Inspected, RC::Resolve, RS::Resolved),
    (RS::Requested, RC::Cancel, RS::Cancelled),
    (RS::Approved, RC::Cancel, RS::Cancelled),
];

impl ReturnState {
    /// Whether the table allows `command` in this state.
    #[must_use]
    pub fn allows(self, command: ReturnCommand) -> bool {
        RETURN_TRANSITIONS.iter().any(|(from, c, _)| *from == self && *c == command)
    }
}

/// Why the customer returns the goods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReturnReason {
    /// Does not fit.
    DoesNotFit,
    /// Arrived damaged.
    Damaged,
    /// Wrong item delivered.
    WrongItem,
    /// Not as described.
    NotAsDescribed,
    /// Changed their mind.
    #[default]
    ChangedMind,
    /// Anything else (see the note).
    Other,
}

/// What the customer wants instead of the goods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Resolution {
    /// Money back.
    #[default]
    Refund,
    /// Credit with the shop.
    StoreCredit,
    /// Other goods instead: a linked replacement order (see [`ReturnLine::exchange_sku`]),
    /// with the price difference due or refunded.
    Exchange,
    /// The goods repaired and sent back (all units must be inspected as `repair`).
    Repair,
}

impl Resolution {
    /// The resolution's name, e.g. `"store_credit"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Resolution::Refund => "refund",
            Resolution::StoreCredit => "store_credit",
            Resolution::Exchange => "exchange",
            Resolution::Repair => "repair",
        }
    }
}

/// What inspection decided for some units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Disposition {
    /// Back into stock at the receiving location.
    Restock,
    /// Not sellable; written off.
    WriteOff,
    /// To be repaired (and sent back, with resolution `repair`).
    Repair,
    /// Sent back to the vendor (warranty, recall).
    ReturnToVendor,
}

/// An inspection decision for some units of a return line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// The order line.
    pub line: LineId,
    /// Units decided.
    pub quantity: u32,
    /// What happens to them.
    pub disposition: Disposition,
    /// Why (e.g. the damage found).
    #[serde(default)]
    pub note: Option<String>,
}

impl Inspection {
    /// `quantity` units of `line` get `disposition`.
    #[must_use]
    pub fn new(line: LineId, quantity: u32, disposition: Disposition) -> Self {
        Inspection { line, quantity, disposition, note: None }
    }
}

/// One line of a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReturnLine {
    /// The order line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// Units the customer announced.
    pub quantity: u32,
    /// Units received.
    pub received: u32,
    /// Units restocked.
    pub restocked: u32,
    /// Units written off.
    pub written_off: u32,
    /// Units sent to repair.
    #[serde(default)]
    pub repaired: u32,
    /// Units sent back to the vendor.
    #[serde(default)]
    pub returned_to_vendor: u32,
    /// For exchanges: the SKU the customer gets instead (defaults to the same SKU).
    #[serde(default)]
    pub exchange_sku: Option<String>,
    /// For exchanges: the unit price of the replacement (defaults to the line's price).
    #[serde(default)]
    pub exchange_unit_price: Option<Money>,
}

impl ReturnLine {
    /// Units received but not yet inspected.
    #[must_use]
    pub fn uninspected(&self) -> u32 {
        self.received.saturating_sub(self.restocked + self.written_off + self.repaired + self.returned_to_vendor)
    }
}

/// A return merchandise authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Return {
    /// The return's id.
    pub id: ReturnId,
    /// Human-readable RMA number, e.g. `"R-1042-1"`.
    pub rma_number: String,
    /// The order.
    pub order_id: OrderId,
    /// Lifecycle state.
    pub state: ReturnState,
    /// Why.
    pub reason: ReturnReason,
    /// Free-text note from the customer.
    pub note: Option<String>,
    /// What the customer wants.
    pub resolution: Resolution,
    /// The lines.
    pub lines: Vec<ReturnLine>,
    /// Return label reference, given on approval.
    pub label: Option<String>,
    /// Why it was rejected or withdrawn.
    pub rejection: Option<String>,
    /// Where the goods arrived.
    pub received_at_location: Option<LocationId>,
    /// When goods of this return last arrived.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// The money refunded or credited on resolution (for exchanges: the difference in the
    /// customer's favour).
    pub refund: Option<Money>,
    /// For exchanges: the difference the customer still owes.
    #[serde(default)]
    pub amount_due: Option<Money>,
    /// The replacement (exchange) or repair order created on resolution.
    #[serde(default)]
    pub follow_up_order: Option<OrderId>,
    /// When it was requested.
    pub requested_at: DateTime<Utc>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: u64,
}
