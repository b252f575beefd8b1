//! The inventory network: sales channels and stock locations.

use serde::{Deserialize, Serialize};

use super::policy::{AllocationPolicy, ShippingRefund};
use crate::error::{InputError, Result};
use crate::geo::GeoPoint;
use crate::ids::LocationId;
use crate::order::Address;

/// Default return window: the EU's 14-day right of withdrawal.
pub const DEFAULT_RETURN_WINDOW_DAYS: u32 = 14;

/// A sales channel: web shop, marketplace, store/POS, …
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Channel {
    /// Unique code, e.g. `"web"`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Days after delivery within which a return may be requested.
    pub return_window_days: u32,
    /// How orders of this channel are allocated.
    pub allocation: AllocationPolicy,
    /// Codes of the locations this channel may use; empty means every location that
    /// serves the channel.
    pub locations: Vec<String>,
    /// Whether shipping is refunded with returns.
    #[serde(default)]
    pub shipping_refund: ShippingRefund,
}

impl Channel {
    /// Whether `location` may supply orders of this channel (active, serving the channel,
    /// and listed by the channel when it lists locations).
    #[must_use]
    pub fn may_use(&self, location: &Location) -> bool {
        location.active && location.serves(&self.code) && (self.locations.is_empty() || self.locations.contains(&location.code))
    }
}

/// Input of [`Oms::add_channel`](crate::Oms::add_channel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewChannel {
    /// Unique code, e.g. `"web"`.
    pub code: String,
    /// Display name; defaults to the code.
    #[serde(default)]
    pub name: String,
    /// Return window in days; defaults to 14.
    #[serde(default)]
    pub return_window_days: Option<u32>,
    /// Allocation rules; defaults to fewest shipments, split allowed, hold on shortage.
    #[serde(default)]
    pub allocation: AllocationPolicy,
    /// Codes of the locations the channel may use; empty for all serving it.
    #[serde(default)]
    pub locations: Vec<String>,
    /// Whether shipping is refunded with returns (default: once everything came back).
    #[serde(default)]
    pub shipping_refund: ShippingRefund,
}

impl NewChannel {
    /// A channel with a code and a name.
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Self {
        NewChannel {
            code: code.into(),
            name: name.into(),
            return_window_days: None,
            allocation: AllocationPolicy::default(),
            locations: Vec::new(),
            shipping_refund: ShippingRefund::default(),
        }
    }

    /// With a return window.
    #[must_use]
    pub fn return_window_days(mut self, days: u32) -> Self {
        self.return_window_days = Some(days);
        self
    }

    /// With allocation rules.
    #[must_use]
    pub fn allocation(mut self, policy: AllocationPolicy) -> Self {
        self.allocation = policy;
        self
    }

    /// Restricted to the locations with these codes.
    #[must_use]
    pub fn locations(mut self, codes: &[&str]) -> Self {
        self.locations = codes.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    pub(crate) fn build(&self) -> Result<Channel> {
        let code = code("code", &self.code)?;
        if self.allocation.max_shipments == Some(0) {
            return Err(InputError::new("allocation.max_shipments", "must be at least 1").into());
        }
        Ok(Channel {
            allocation: self.allocation.clone(),
            locations: self.locations.iter().map(|c| c.trim().to_owned()).collect(),
            shipping_refund: self.shipping_refund,
            name: if self.name.trim().is_empty() { code.clone() } else { self.name.trim().to_owned() },
            code,
            return_window_days: self.return_window_days.unwrap_or(DEFAULT_RETURN_WINDOW_DAYS),
        })
    }
}

/// Whether a location is a warehouse or a store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// A warehouse or distribution centre.
    #[default]
    Warehouse,
    /// A retail store (ship-from-store, pickup, counter sales).
    Store,
}

/// A place that holds stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// The location's id.
    pub id: LocationId,
    /// Unique short code, e.g. `"nord"`.
    pub code: String,
    /// Display name, e.g. `"Lager Nord"`.
    pub name: String,
    /// Warehouse or store.
    pub kind: LocationKind,
    /// Postal address.
    pub address: Option<Address>,
    /// Coordinates, for nearest-location allocation.
    pub geo: Option<GeoPoint>,
    /// Allocation priority: lower numbers are tried first.
    pub priority: i32,
    /// Channel codes served; empty means every channel.
    pub channels: Vec<String>,
    /// Whether orders are shipped from here.
    pub ships: bool,
    /// Whether customers can pick up here.
    pub pickup: bool,
    /// Inactive locations are never allocated from.
    pub active: bool,
}

impl Location {
    /// Whether this location serves `channel`.
    #[must_use]
    pub fn serves(&self, channel: &str) -> bool {
        self.channels.is_empty() || self.channels.iter().any(|c| c == channel)
    }
}

/// Input of [`Oms::add_location`](crate::Oms::add_location).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    /// Unique short code.
    pub code: String,
    /// Display name; defaults to the code.
    #[serde(default)]
    pub name: String,
    /// Warehouse (default) or store.
    #[serde(default)]
    pub kind: LocationKind,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Address>,
    /// Coordinates.
    #[serde(default)]
    pub geo: Option<GeoPoint>,
    /// Priority (lower first); default 100.
    #[serde(default)]
    pub priority: Option<i32>,
    /// Channels served; empty for all.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Ships orders; default true for warehouses and stores.
    #[serde(default)]
    pub ships: Option<bool>,
    /// Offers pickup; default true for stores, false for warehouses.
    #[serde(default)]
    pub pickup: Option<bool>,
}

impl NewLocation {
    /// A warehouse with a code and a name.
    pub fn warehouse(code: impl Into<String>, name: impl Into<String>) -> Self {
        NewLocation {
            code: code.into(),
            name: name.into(),
            kind: LocationKind::Warehouse,
            address: None,
            geo: None,
            priority: None,
            channels: Vec::new(),
            ships: None,
            pickup: None,
        }
    }

    /// A store with a code and a name.
    pub fn store(code: impl Into<String>, name: impl Into<String>) -> Self {
        NewLocation { kind: LocationKind::Store, ..Self::warehouse(code, name) }
    }

    /// With a priority (lower numbers first).
    #[must_use]
    pub fn priority(mut self, p: i32) -> Self {
        self.priority = Some(p);
        self
    }

    pub(crate) fn build(&self) -> Result<Location> {
        let code = code("code", &self.code)?;
        if self.geo.is_some_and(|g| !g.is_valid()) {
            return Err(InputError::new("geo", "latitude must be within ±90 and longitude within ±180").into());
        }
        let store = self.kind == LocationKind::Store;
        Ok(Location {
            id: LocationId::new(),
            name: if self.name.trim().is_empty() { code.clone() } else { self.name.trim().to_owned() },
            code,
            kind: self.kind,
            address: self.address.clone(),
            geo: self.geo,
            priority: self.priority.unwrap_or(100),
            channels: self.channels.iter().map(|c| c.trim().to_owned()).collect(),
            ships: self.ships.unwrap_or(true),
            pickup: self.pickup.unwrap_or(store),
            active: true,
        })
    }
}

fn code(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 64 || !v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(InputError::new(field, format!("'{value}' must be 1 to 64 letters, digits, '-', '_' or '.'")).into());
    }
    Ok(v.to_owned())
}
