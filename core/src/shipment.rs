//! Shipments: the units of one order that leave from one location together.
//!
//! Allocation creates one shipment per location. Its lifecycle:
//!
//! | from                                               | command / carrier status | to                  |
//! |----------------------------------------------------|--------------------------|---------------------|
//! | pending                                            | create_pick_list         | picking             |
//! | pending, picking                                   | confirm_pick             | picked              |
//! | pending                                            | confirm_pick, nothing found | cancelled        |
//! | picked                                             | pack                     | packed              |
//! | packed                                             | ship                     | shipped             |
//! | packed (pickup orders)                             | ready_for_pickup         | ready_for_pickup    |
//! | ready_for_pickup                                   | hand_over                | picked_up           |
//! | shipped                                            | in_transit               | in_transit          |
//! | shipped, in_transit, delivery_failed               | out_for_delivery         | out_for_delivery    |
//! | shipped, in_transit, out_for_delivery              | delivery_failed          | delivery_failed     |
//! | shipped, in_transit, out_for_delivery, delivery_failed | delivered            | delivered           |
//! | shipped, in_transit, out_for_delivery, delivery_failed | lost, damaged, returned_to_sender | (same name) |
//! | pending, picking, picked, packed, ready_for_pickup | cancel                   | cancelled           |
//!
//! A carrier status that is not allowed from the current state is out of order (it
//! arrived late) and is kept in the tracking history without changing the state: no state
//! goes backwards, and a duplicate event changes nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{LineId, LocationId, OrderId, PickListId, ShipmentId};

/// Where a shipment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentState {
    /// Stock reserved, waiting to be picked.
    Pending,
    /// On a pick list, being picked.
    Picking,
    /// Picked from the shelves.
    Picked,
    /// Packed.
    Packed,
    /// Handed to the carrier.
    Shipped,
    /// On its way.
    InTransit,
    /// With the driver.
    OutForDelivery,
    /// A delivery attempt failed.
    DeliveryFailed,
    /// Delivered.
    Delivered,
    /// Lost by the carrier.
    Lost,
    /// Damaged in transit.
    Damaged,
    /// Sent back to the shipper.
    ReturnedToSender,
    /// Packed at the store, waiting for the customer (pickup orders).
    ReadyForPickup,
    /// Handed to the customer at the store.
    PickedUp,
    /// Cancelled before shipping.
    Cancelled,
}

impl ShipmentState {
    /// Whether the shipment is with the carrier (shipped, not yet at an end).
    #[must_use]
    pub fn is_in_flight(self) -> bool {
        matches!(self, Self::Shipped | Self::InTransit | Self::OutForDelivery | Self::DeliveryFailed)
    }

    /// Whether the shipment left the location (any state from shipped on, except cancelled).
    #[must_use]
    pub fn has_shipped(self) -> bool {
        !matches!(self, Self::Pending | Self::Picking | Self::Picked | Self::Packed | Self::ReadyForPickup | Self::Cancelled)
    }

    /// Whether the shipment still holds a reservation (not yet shipped or handed over).
    #[must_use]
    pub fn holds_reservation(self) -> bool {
        matches!(self, Self::Pending | Self::Picking | Self::Picked | Self::Packed | Self::ReadyForPickup)
    }

    /// Whether the state needs a person (failed delivery, lost, damaged, returned).
    #[must_use]
    pub fn is_problem(self) -> bool {
        matches!(self, Self::DeliveryFailed | Self::Lost | Self::Damaged | Self::ReturnedToSender)
    }
}

/// Normalized carrier status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackingStatus {
    /// Moving through the carrier's network.
    InTransit,
    /// With the driver.
    OutForDelivery,
    /// A delivery attempt failed.
    DeliveryFailed,
    /// Delivered.
    Delivered,
    /// Lost.
    Lost,
    /// Damaged.
    Damaged,
    /// Returned to sender.
    ReturnedToSender,
}

impl TrackingStatus {
    /// The shipment state this status leads to.
    #[must_use]
    pub fn state(self) -> ShipmentState {
        match self {
            Self::InTransit => ShipmentState::InTransit,
            Self::OutForDelivery => ShipmentState::OutForDelivery,
            Self::DeliveryFailed => ShipmentState::DeliveryFailed,
            Self::Delivered => ShipmentState::Delivered,
            Self::Lost => ShipmentState::Lost,
            Self::Damaged => ShipmentState::Damaged,
            Self::ReturnedToSender => ShipmentState::ReturnedToSender,
        }
    }

    /// Parses a normalized status name (`"in_transit"`, …).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// What moves a shipment: a command of the warehouse or a status from the carrier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentCommand {
    /// Put on a pick list.
    StartPicking,
    /// Confirm the pick.
    Pick,
    /// Record the packages.
    Pack,
    /// Hand to the carrier.
    Ship,
    /// Cancel before shipping.
    Cancel,
    /// Ready at the store for the customer.
    ReadyForPickup,
    /// Handed to the customer at the store.
    HandOver,
    /// A carrier status.
    Carrier(TrackingStatus),
}

impl ShipmentCommand {
    /// The command's name as used in errors.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::StartPicking => "put on a pick list",
            Self::Pick => "pick",
            Self::ReadyForPickup => "make ready for pickup",
            Self::HandOver => "hand over",
            Self::Pack => "pack",
            Self::Ship => "ship",
            Self::Cancel => "cancel",
            Self::Carrier(_) => "record a carrier event for",
        }
    }
}

use ShipmentCommand as SC;
use ShipmentState as SS;
use TrackingStatus as TS;

/// The table of allowed shipment transitions: (from, command, to). A pick that finds
/// nothing on the shelf cancels the shipment.
pub const SHIPMENT_TRANSITIONS: &[(ShipmentState, ShipmentCommand, ShipmentState)] = &[
    (SS::Pending, SC::StartPicking, SS::Picking),
    (SS::Pending, SC::Pick, SS::Picked),
    (SS::Pending, SC::Pick, SS::Cancelled),
    (SS::Picking, SC::Pick, SS::Picked),
    (SS::Picking, SC::Pick, SS::Cancelled),
    (SS::Picked, SC::Pack, SS::Packed),
    (SS::Packed, SC::Ship, SS::Shipped),
    (SS::Packed, SC::ReadyForPickup, SS::ReadyForPickup),
    (SS::ReadyForPickup, SC::HandOver, SS::PickedUp),
    (SS::Pending, SC::Cancel, SS::Cancelled),
    (SS::Picking, SC::Cancel, SS::Cancelled),
    (SS::Picked, SC::Cancel, SS::Cancelled),
    (SS::Packed, SC::Cancel, SS::Cancelled),
    (SS::ReadyForPickup, SC::Cancel, SS::Cancelled),
    (SS::Shipped, SC::Carrier(TS::InTransit), SS::InTransit),
    (SS::Shipped, SC::Carrier(TS::OutForDelivery), SS::OutForDelivery),
    (SS::InTransit, SC::Carrier(TS::OutForDelivery), SS::OutForDelivery),
    (SS::DeliveryFailed, SC::Carrier(TS::OutForDelivery), SS::OutForDelivery),
    (SS::Shipped, SC::Carrier(TS::DeliveryFailed), SS::DeliveryFailed),
    (SS::InTransit, SC::Carrier(TS::DeliveryFailed), SS::DeliveryFailed),
    (SS::OutForDelivery, SC::Carrier(TS::DeliveryFailed), SS::DeliveryFailed),
    (SS::Shipped, SC::Carrier(TS::Delivered), SS::Delivered),
    (SS::InTransit, SC::Carrier(TS::Delivered), SS::Delivered),
    (SS::OutForDelivery, SC::Carrier(TS::Delivered), SS::Delivered),
    (SS::DeliveryFailed, SC::Carrier(TS::Delivered), SS::Delivered),
    (SS::Shipped, SC::Carrier(TS::Lost), SS::Lost),
    (SS::InTransit, SC::Carrier(TS::Lost), SS::Lost),
    (SS::OutForDelivery, SC::Carrier(TS::Lost), SS::Lost),
    (SS::DeliveryFailed, SC::Carrier(TS::Lost), SS::Lost),
    (SS::Shipped, SC::Carrier(TS::Damaged), SS::Damaged),
    (SS::InTransit, SC::Carrier(TS::Damaged), SS::Damaged),
    (SS::OutForDelivery, SC::Carrier(TS::Damaged), SS::Damaged),
    (SS::DeliveryFailed, SC::Carrier(TS::Damaged), SS::Damaged),
    (SS::Shipped, SC::Carrier(TS::ReturnedToSender), SS::ReturnedToSender),
    (SS::InTransit, SC::Carrier(TS::ReturnedToSender), SS::ReturnedToSender),
    (SS::OutForDelivery, SC::Carrier(TS::ReturnedToSender), SS::ReturnedToSender),
    (SS::DeliveryFailed, SC::Carrier(TS::ReturnedToSender), SS::ReturnedToSender),
];

impl ShipmentState {
    /// Whether the table allows `command` in this state.
    #[must_use]
    pub fn allows(self, command: ShipmentCommand) -> bool {
        SHIPMENT_TRANSITIONS.iter().any(|(from, c, _)| *from == self && *c == command)
    }
}

/// Units of one order line in a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShipmentLine {
    /// The order line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// Units planned (reserved at the location).
    pub quantity: u32,
    /// Units picked.
    pub picked: u32,
}

/// A package of a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Weight in grams.
    #[serde(default)]
    pub weight_grams: u32,
    /// Length × width × height in millimetres.
    #[serde(default)]
    pub dimensions_mm: Option<[u32; 3]>,
    /// Free-text reference (box type, seal number).
    #[serde(default)]
    pub reference: Option<String>,
    /// Which units are in this package (optional; at most the picked units per line).
    #[serde(default)]
    pub contents: Vec<PackageItem>,
}

/// Units of an order line in a package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageItem {
    /// The order line.
    pub line: LineId,
    /// Units.
    pub quantity: u32,
}

impl Package {
    /// A package of `weight_grams`.
    #[must_use]
    pub fn new(weight_grams: u32) -> Self {
        Package { weight_grams, dimensions_mm: None, reference: None, contents: Vec::new() }
    }
}

/// A carrier status update as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackingRecord {
    /// The carrier's raw code.
    pub code: String,
    /// The normalized status.
    pub status: TrackingStatus,
    /// When the carrier saw it.
    pub at: DateTime<Utc>,
    /// Whether it changed the state (false for late or duplicate events).
    pub applied: bool,
}

/// Units of one order leaving one location together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shipment {
    /// The shipment's id.
    pub id: ShipmentId,
    /// The order.
    pub order_id: OrderId,
    /// The location it ships from.
    pub location: LocationId,
    /// Lifecycle state.
    pub state: ShipmentState,
    /// Its lines.
    pub lines: Vec<ShipmentLine>,
    /// Packages, once packed.
    pub packages: Vec<Package>,
    /// Carrier, once shipped.
    pub carrier: Option<String>,
    /// Carrier service level.
    pub service: Option<String>,
    /// Tracking number given by the carrier.
    pub tracking_number: Option<String>,
    /// The pick list it is on, if any.
    #[serde(default)]
    pub pick_list: Option<PickListId>,
    /// Tracking page, from the carrier's configured template.
    pub tracking_url: Option<String>,
    /// Carrier events received.
    pub tracking: Vec<TrackingRecord>,
    /// Created by allocation.
    pub created_at: DateTime<Utc>,
    /// Handed to the carrier.
    pub shipped_at: Option<DateTime<Utc>>,
    /// Delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: u64,
}

impl Shipment {
    /// Total units planned.
    #[must_use]
    pub fn units(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}
