//! Pick lists: wave picking across the open shipments of one location.
//!
//! [`Oms::create_pick_list`](crate::Oms::create_pick_list) gathers pending shipments of one
//! location (oldest first) into a [`PickList`]: one line per SKU with its bin, the summed
//! quantity and where each unit goes (order, shipment, line), sorted by bin so the picker
//! walks the aisles once. The shipments move to `picking`; each is then confirmed with
//! [`Oms::confirm_pick`](crate::Oms::confirm_pick) as the units are sorted into parcels.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{LineId, LocationId, OrderId, PickListId, ShipmentId};

/// Where picked units of a SKU go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PickTarget {
    /// The order.
    pub order_id: OrderId,
    /// Its number.
    pub order_number: String,
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// The order line.
    pub line: LineId,
    /// Units.
    pub quantity: u32,
}

/// One SKU to pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PickLine {
    /// Bin (shelf position) at the location, if known.
    pub bin: Option<String>,
    /// The SKU.
    pub sku: String,
    /// Product name as sold.
    pub name: String,
    /// Units to pick in total.
    pub quantity: u32,
    /// Where they go.
    pub targets: Vec<PickTarget>,
}

/// A pick list (wave) for one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PickList {
    /// The list's id.
    pub id: PickListId,
    /// The location.
    pub location: LocationId,
    /// The shipments it covers, oldest first.
    pub shipments: Vec<ShipmentId>,
    /// SKUs to pick, sorted by bin (no bin last), then SKU.
    pub lines: Vec<PickLine>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl PickList {
    /// Total units on the list.
    #[must_use]
    pub fn units(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Sorts lines by bin (no bin last), then SKU; targets oldest shipment first.
    pub(crate) fn sort(&mut self) {
        self.lines.sort_by(|a, b| match (&a.bin, &b.bin) {
            (Some(x), Some(y)) => x.cmp(y).then_with(|| a.sku.cmp(&b.sku)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.sku.cmp(&b.sku),
        });
        for l in &mut self.lines {
            l.targets.sort_by_key(|t| t.shipment_id);
        }
    }
}

/// Input of [`Oms::create_pick_list`](crate::Oms::create_pick_list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPickList {
    /// The location whose shipments are picked.
    pub location: LocationId,
    /// At most this many shipments (oldest first); `None` for all pending ones.
    #[serde(default)]
    pub max_shipments: Option<u32>,
}

impl NewPickList {
    /// All pending shipments of `location`.
    #[must_use]
    pub fn new(location: LocationId) -> Self {
        NewPickList { location, max_shipments: None }
    }

    /// At most `n` shipments.
    #[must_use]
    pub fn max_shipments(mut self, n: u32) -> Self {
        self.max_shipments = Some(n);
        self
    }
}
