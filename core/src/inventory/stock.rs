//! Stock levels and the append-only movement ledger.
//!
//! Every change of a level is a [`Movement`] with its effect on `on_hand` and `reserved`,
//! so levels can be rebuilt from the ledger and audited
//! ([`Oms::verify_inventory`](crate::Oms::verify_inventory)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError, Result};
use crate::ids::{LocationId, MovementId, OrderId};
use crate::limits::MAX_QUANTITY;

/// Stock of one SKU at one location. Its JSON form also carries the derived `available`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct StockLevel {
    /// The SKU.
    pub sku: String,
    /// The location.
    pub location: LocationId,
    /// Units physically there.
    pub on_hand: u32,
    /// Units promised to orders.
    pub reserved: u32,
    /// Units kept back from allocation.
    pub safety_stock: u32,
}

impl Serialize for StockLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("StockLevel", 6)?;
        st.serialize_field("sku", &self.sku)?;
        st.serialize_field("location", &self.location)?;
        st.serialize_field("on_hand", &self.on_hand)?;
        st.serialize_field("reserved", &self.reserved)?;
        st.serialize_field("safety_stock", &self.safety_stock)?;
        st.serialize_field("available", &self.available())?;
        st.end()
    }
}

impl StockLevel {
    /// An empty level.
    #[must_use]
    pub fn new(sku: &str, location: LocationId) -> Self {
        StockLevel { sku: sku.to_owned(), location, on_hand: 0, reserved: 0, safety_stock: 0 }
    }

    /// `on_hand − reserved − safety_stock`, never below zero.
    #[must_use]
    pub fn available(&self) -> u32 {
        self.on_hand.saturating_sub(self.reserved).saturating_sub(self.safety_stock)
    }

    /// Applies a movement's deltas, refusing to break `reserved ≤ on_hand` (with
    /// `InsufficientStock`) and to take a level beyond
    /// [`MAX_QUANTITY`](crate::limits::MAX_QUANTITY) (with `InvalidInput`).
    pub(crate) fn apply(&mut self, on_hand: i64, reserved: i64) -> Result<()> {
        let max = i64::from(MAX_QUANTITY);
        let oh = i64::from(self.on_hand).saturating_add(on_hand);
        let rs = i64::from(self.reserved).saturating_add(reserved);
        if oh > max || rs > max {
            let (field, value) = if oh > max { ("on_hand", oh) } else { ("reserved", rs) };
            return Err(InputError::new(
                "quantity",
                format!("{field} of {} at {} would become {value}, above the largest stock level {MAX_QUANTITY}", self.sku, self.location),
            )
            .into());
        }
        let (Ok(oh), Ok(rs)) = (u32::try_from(oh), u32::try_from(rs)) else {
            return Err(self.shortage(on_hand, reserved));
        };
        if rs > oh {
            return Err(self.shortage(on_hand, reserved));
        }
        self.on_hand = oh;
        self.reserved = rs;
        Ok(())
    }

    fn shortage(&self, on_hand: i64, reserved: i64) -> Error {
        Error::InsufficientStock {
            sku: self.sku.clone(),
            location: Some(self.location.to_string()),
            requested: u32::try_from(on_hand.unsigned_abs().max(reserved.unsigned_abs())).unwrap_or(u32::MAX),
            available: self.on_hand.saturating_sub(self.reserved),
        }
    }
}

/// Kind of stock movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Goods received.
    Received,
    /// Counted or corrected, with a reason.
    Adjusted,
    /// Reserved for an order.
    Reserved,
    /// Reservation released.
    Released,
    /// Shipped or handed over (reservation consumed).
    Shipped,
    /// Returned goods put back into stock.
    Restocked,
    /// Returned goods written off.
    WrittenOff,
    /// Moved between locations (one movement out, one in).
    Transferred,
    /// Returned goods sent back to the vendor.
    ReturnedToVendor,
}

/// One entry of the append-only inventory ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Movement {
    /// The movement's id.
    pub id: MovementId,
    /// The SKU.
    pub sku: String,
    /// The location.
    pub location: LocationId,
    /// What happened.
    pub kind: MovementKind,
    /// Change of `on_hand`.
    pub on_hand_delta: i64,
    /// Change of `reserved`.
    pub reserved_delta: i64,
    /// Why (adjustments, write-offs).
    pub reason: Option<String>,
    /// The order concerned, if any.
    pub order_id: Option<OrderId>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A difference between a stored level and the level rebuilt from the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventoryDiscrepancy {
    /// The SKU.
    pub sku: String,
    /// The location.
    pub location: LocationId,
    /// Stored `on_hand`.
    pub stored_on_hand: u32,
    /// `on_hand` rebuilt from the ledger.
    pub ledger_on_hand: i64,
    /// Stored `reserved`.
    pub stored_reserved: u32,
    /// `reserved` rebuilt from the ledger.
    pub ledger_reserved: i64,
}
