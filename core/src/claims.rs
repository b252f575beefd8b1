//! Claims: a parcel was lost or damaged, or the customer got the wrong or too few items.
//!
//! A claim belongs to a shipment (one per shipment) and is kept with its order. It is
//! resolved with a **replacement** (a free follow-up order with the same units, allocated
//! like any order) or a **refund** (the units' exact value), recording the carrier's claim
//! reference. Once every unit of an order is delivered or covered by a resolved claim, the
//! order is completed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ClaimId, OrderId, ShipmentId};
use crate::money::Money;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The carrier lost the parcel.
    Lost,
    /// The goods arrived (or came back) damaged.
    Damaged,
    /// The customer got other goods than ordered.
    WrongItem,
    /// Units were missing from the parcel.
    MissingItem,
}

/// Where a claim is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Waiting for a decision.
    Open,
    /// Settled.
    Resolved,
}

/// How a claim is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimResolution {
    /// The same units again, free of charge.
    Replacement,
    /// The units' value back.
    Refund,
}

/// A claim about a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Claim {
    /// The claim's id.
    pub id: ClaimId,
    /// Human-readable number, e.g. `"C-1042-1"`.
    pub number: String,
    /// The order.
    pub order_id: OrderId,
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// What went wrong.
    pub kind: ClaimKind,
    /// Open or resolved.
    pub state: ClaimState,
    /// The carrier's claim reference.
    pub carrier_reference: Option<String>,
    /// Notes.
    pub note: Option<String>,
    /// How it was settled.
    pub resolution: Option<ClaimResolution>,
    /// The replacement order, for replacements.
    pub replacement_order: Option<OrderId>,
    /// The refund, for refunds.
    pub refund: Option<Money>,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Input of [`Oms::open_claim`](crate::Oms::open_claim).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClaim {
    /// What went wrong.
    pub kind: ClaimKind,
    /// The carrier's claim reference, if already known.
    #[serde(default)]
    pub carrier_reference: Option<String>,
    /// Notes.
    #[serde(default)]
    pub note: Option<String>,
}

impl NewClaim {
    /// A claim of `kind`.
    #[must_use]
    pub fn new(kind: ClaimKind) -> Self {
        NewClaim { kind, carrier_reference: None, note: None }
    }
}
