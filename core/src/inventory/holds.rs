//! Checkout holds: stock set aside for a cart for a limited time.
//!
//! [`Oms::hold_stock`](crate::Oms::hold_stock) reserves stock for a cart reference with a
//! time-to-live. Placing an order with that `cart_ref` converts the hold into the order's
//! own reservation (it no longer expires); allocation then uses exactly those units. Holds
//! that expire are released lazily by the next command that reserves stock (`hold_stock`,
//! `place_order` with a cart, `allocate_order`, a receipt, adjustment or transfer that fills
//! backorders, the re-allocation after a short pick), and by
//! [`Oms::release_expired_holds`](crate::Oms::release_expired_holds); until then they count
//! as reserved in the stock levels (and as available in [`Oms::available`](crate::Oms::available)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{LocationId, OrderId};

/// Units of a SKU wanted by a cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldLine {
    /// The SKU.
    pub sku: String,
    /// Units (≥ 1).
    pub quantity: u32,
}

impl HoldLine {
    /// `quantity` units of `sku`.
    pub fn new(sku: impl Into<String>, quantity: u32) -> Self {
        HoldLine { sku: sku.into(), quantity }
    }
}

/// Units held at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HeldUnits {
    /// The SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// Units.
    pub quantity: u32,
}

/// Stock set aside for a cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StockHold {
    /// The cart reference.
    pub cart_ref: String,
    /// The channel the cart belongs to.
    pub channel: String,
    /// What is held where.
    pub lines: Vec<HeldUnits>,
    /// When the hold lapses (unless converted).
    pub expires_at: DateTime<Utc>,
    /// The order it was converted into, if placed.
    pub order_id: Option<OrderId>,
}

impl StockHold {
    /// Whether the hold has lapsed at `now` (converted holds never lapse).
    #[must_use]
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.order_id.is_none() && self.expires_at <= now
    }

    /// Units of `sku` held at `location`.
    #[must_use]
    pub fn held(&self, sku: &str, location: LocationId) -> u32 {
        self.lines.iter().filter(|l| l.sku == sku && l.location == location).map(|l| l.quantity).sum()
    }
}
