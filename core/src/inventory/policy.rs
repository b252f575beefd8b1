//! Allocation and backorder policies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How the planner orders candidate locations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationStrategy {
    /// One location for the whole order when one has everything; otherwise the smallest
    /// set of locations (greedy: the location covering most of what is left first).
    #[default]
    FewestShipments,
    /// Locations in priority order (lower number first), each line filled from the first
    /// location that has stock, split where needed.
    Priority,
    /// Locations by great-circle distance to the shipping address's coordinates (locations
    /// without coordinates last), split where needed.
    Nearest,
    /// Locations with the most available units of the order's SKUs first.
    HighestStock,
}

/// What happens when a SKU whose backorder policy is `deny` is short at allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortagePolicy {
    /// Reserve nothing and hold the order (`insufficient_stock`) for a person.
    #[default]
    Hold,
    /// Reserve what is there and cancel the missing units of the line.
    CancelLine,
}

/// A channel's allocation rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct AllocationPolicy {
    /// How candidate locations are ordered.
    pub strategy: AllocationStrategy,
    /// Whether an order may ship from several locations.
    pub allow_split: bool,
    /// At most this many shipments (locations) per allocation; `None` for no limit.
    pub max_shipments: Option<u32>,
    /// What to do when a `deny` SKU is short.
    pub on_shortage: ShortagePolicy,
}

impl Default for AllocationPolicy {
    fn default() -> Self {
        AllocationPolicy {
            strategy: AllocationStrategy::FewestShipments,
            allow_split: true,
            max_shipments: None,
            on_shortage: ShortagePolicy::Hold,
        }
    }
}

/// Whether a SKU may be sold without stock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BackorderPolicy {
    /// Never: a shortage holds the order or cancels the line (channel policy).
    #[default]
    Deny,
    /// Yes: missing units wait for stock and are allocated, oldest order first, when it
    /// arrives.
    Allow,
    /// Yes, as a pre-order with an expected availability date.
    Preorder {
        /// When stock is expected.
        expected: DateTime<Utc>,
    },
}

impl BackorderPolicy {
    /// Whether missing units may wait for stock.
    #[must_use]
    pub fn allows_backorder(self) -> bool {
        !matches!(self, BackorderPolicy::Deny)
    }
}

/// Settings of one SKU. A SKU with settings is known to the inventory even without stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkuSettings {
    /// The SKU.
    pub sku: String,
    /// Backorder policy.
    pub backorder: BackorderPolicy,
}

/// Whether the shipping charge is refunded with returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShippingRefund {
    /// Once every unit of the order has been returned or cancelled (the EU rule for a full
    /// withdrawal).
    #[default]
    WhenAllReturned,
    /// Never.
    Never,
}
