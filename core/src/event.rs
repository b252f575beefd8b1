//! Domain events: the outbox and the timeline.
//!
//! Every command stores the events it produced in the same transaction as the change
//! (the **outbox**). A consumer reads them with [`Oms::poll_events`](crate::Oms::poll_events)
//! in the order they happened and acknowledges them with
//! [`Oms::ack_events`](crate::Oms::ack_events); unacknowledged events are delivered again
//! (at-least-once). The events of one order form its [`timeline`](crate::Oms::timeline).
//!
//! ## JSON schema, version 1
//!
//! ```json
//! { "seq": 17, "id": "0190…", "schema": 1, "at": "2026-11-29T10:00:00Z",
//!   "order_id": "0190…", "type": "shipment_shipped",
//!   "data": { "shipment_id": "…", "carrier": "DHL", "tracking_number": "…", … } }
//! ```
//!
//! `seq` is a store-wide, strictly increasing position; `type` names the event and
//! `data` carries its fields as listed on [`EventKind`]. Money is
//! `{"amount": "12.50", "currency": "EUR"}`. New event types and new fields may appear in
//! version 1; a change that removes or changes a field raises `schema`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::claims::{ClaimKind, ClaimResolution};
use crate::ids::{ClaimId, EventId, LineId, LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::inventory::PlannedAllocation;
use crate::money::Money;
use crate::order::OrderState;
use crate::payment::PaymentKind;
use crate::returns::Inspection;
use crate::shipment::TrackingStatus;
use crate::validation::HoldReason;

/// Current version of the event JSON schema.
pub const EVENT_SCHEMA_VERSION: u16 = 1;

/// A stored domain event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// Store-wide position, strictly increasing (assigned when stored).
    pub seq: u64,
    /// The event's id.
    pub id: EventId,
    /// Schema version of the JSON form.
    pub schema: u16,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The order it belongs to, if any.
    pub order_id: Option<OrderId>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// The event's type name, e.g. `"order_placed"`.
    #[must_use]
    pub fn type_name(&self) -> String {
        self.kind.type_name()
    }

    /// The event in its versioned JSON form.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Units of a line in an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineUnits {
    /// The order line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// Units.
    pub quantity: u32,
}

/// Everything that can happen, with its data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// An order was captured.
    OrderPlaced {
        /// Order number.
        number: String,
        /// Channel.
        channel: String,
        /// External reference.
        external_ref: Option<String>,
        /// Order total.
        total: Money,
    },
    /// Validation passed.
    OrderConfirmed,
    /// The order was put on hold.
    OrderHeld {
        /// Why.
        reasons: Vec<HoldReason>,
    },
    /// A hold was released.
    OrderReleased {
        /// The state the order returned to.
        state: OrderState,
        /// Who or why.
        note: Option<String>,
    },
    /// The customer must be told something (hold, delay, refund).
    CustomerNotificationRequired {
        /// Topic, e.g. `"order_on_hold"`.
        topic: String,
        /// What to tell them, in English.
        message: String,
    },
    /// The order's addresses or customer data changed.
    OrderEdited {
        /// Which fields.
        fields: Vec<String>,
        /// Order total before the edit.
        #[serde(default)]
        total_before: Option<Money>,
        /// Order total after the edit.
        #[serde(default)]
        total_after: Option<Money>,
        /// Money still to collect.
        #[serde(default)]
        to_collect: Option<Money>,
        /// Captured money above the new total, to refund.
        #[serde(default)]
        to_refund: Option<Money>,
    },
    /// A payment report was recorded.
    PaymentRecorded {
        /// What the provider reported.
        kind: PaymentKind,
        /// Amount.
        amount: Money,
        /// Provider reference.
        reference: Option<String>,
    },
    /// Stock was reserved and shipments created.
    OrderAllocated {
        /// What was reserved where.
        allocations: Vec<PlannedAllocation>,
        /// What waits for stock.
        backordered: Vec<LineUnits>,
        /// Why these locations.
        explanations: Vec<String>,
    },
    /// A shipment was created at a location.
    ShipmentCreated {
        /// The shipment.
        shipment_id: ShipmentId,
        /// The location.
        location: LocationId,
        /// Units.
        lines: Vec<LineUnits>,
    },
    /// A shipment was picked.
    ShipmentPicked {
        /// The shipment.
        shipment_id: ShipmentId,
        /// Units missing on the shelf (short pick), if any.
        short: Vec<LineUnits>,
    },
    /// A shipment was packed.
    ShipmentPacked {
        /// The shipment.
        shipment_id: ShipmentId,
        /// Number of packages.
        packages: usize,
    },
    /// A shipment was handed to the carrier.
    ShipmentShipped {
        /// The shipment.
        shipment_id: ShipmentId,
        /// Carrier.
        carrier: String,
        /// Service level.
        service: Option<String>,
        /// Tracking number.
        tracking_number: String,
        /// Tracking page.
        tracking_url: Option<String>,
        /// Money now due for capture (value of the shipped units, plus shipping with the
        /// first shipment), limited to what is not yet captured.
        capture_due: Money,
    },
    /// A pickup shipment waits at the store.
    ShipmentReadyForPickup {
        /// The shipment.
        shipment_id: ShipmentId,
        /// The store.
        location: LocationId,
    },
    /// The customer collected a pickup shipment (or took a counter sale).
    ShipmentHandedOver {
        /// The shipment.
        shipment_id: ShipmentId,
        /// Money now due for capture.
        capture_due: Money,
    },
    /// A pick list was created.
    PickListCreated {
        /// The list.
        pick_list_id: PickListId,
        /// The location.
        location: LocationId,
        /// Shipments on it.
        shipments: usize,
        /// Units to pick.
        units: u32,
    },
    /// A carrier status changed the shipment's state.
    ShipmentStatusChanged {
        /// The shipment.
        shipment_id: ShipmentId,
        /// Normalized status.
        status: TrackingStatus,
        /// Carrier's raw code.
        code: String,
    },
    /// A shipment was cancelled and its reservations released.
    ShipmentCancelled {
        /// The shipment.
        shipment_id: ShipmentId,
    },
    /// Units of a line were cancelled (e.g. out of stock and not backorderable).
    LineCancelled {
        /// The line.
        line: LineId,
        /// Its SKU.
        sku: String,
        /// Units cancelled.
        quantity: u32,
        /// What the customer paid for them (to refund if captured).
        amount: Money,
        /// Why.
        reason: String,
    },
    /// Every open unit was delivered.
    OrderCompleted,
    /// The order was cancelled.
    OrderCancelled {
        /// Why.
        reason: String,
        /// Captured money to give back.
        refund_due: Money,
    },
    /// A return was requested.
    ReturnRequested {
        /// The return.
        return_id: ReturnId,
        /// RMA number.
        rma_number: String,
        /// Units.
        lines: Vec<LineUnits>,
    },
    /// A return was approved.
    ReturnApproved {
        /// The return.
        return_id: ReturnId,
        /// Return label reference.
        label: Option<String>,
    },
    /// A return was rejected.
    ReturnRejected {
        /// The return.
        return_id: ReturnId,
        /// Why.
        reason: String,
    },
    /// A return was withdrawn.
    ReturnCancelled {
        /// The return.
        return_id: ReturnId,
        /// Why.
        reason: String,
    },
    /// Returned goods arrived.
    ReturnReceived {
        /// The return.
        return_id: ReturnId,
        /// Where.
        location: LocationId,
        /// Units received now.
        lines: Vec<LineUnits>,
    },
    /// Returned goods were inspected.
    ReturnInspected {
        /// The return.
        return_id: ReturnId,
        /// Decisions.
        dispositions: Vec<Inspection>,
    },
    /// A return was resolved; money is due to the customer.
    RefundDue {
        /// The return.
        return_id: ReturnId,
        /// Amount to refund or credit.
        amount: Money,
        /// `"refund"` or `"store_credit"`.
        resolution: String,
    },
    /// A return was resolved with a follow-up order (exchange or repair).
    FollowUpOrderPlaced {
        /// The return.
        return_id: ReturnId,
        /// The new order.
        order_id: OrderId,
        /// `"exchange"` or `"repair"`.
        resolution: String,
        /// What the customer still owes (exchanges for something dearer).
        amount_due: Money,
    },
    /// A claim was opened for a shipment.
    ClaimOpened {
        /// The claim.
        claim_id: ClaimId,
        /// The shipment.
        shipment_id: ShipmentId,
        /// What went wrong.
        kind: ClaimKind,
    },
    /// A claim was settled.
    ClaimResolved {
        /// The claim.
        claim_id: ClaimId,
        /// Replacement or refund.
        resolution: ClaimResolution,
        /// The replacement order.
        replacement_order: Option<OrderId>,
        /// Money due to the customer (refunds).
        refund: Money,
        /// The carrier's claim reference.
        carrier_reference: Option<String>,
    },
    /// A location's stock level changed.
    StockChanged {
        /// SKU.
        sku: String,
        /// Location.
        location: LocationId,
        /// New on-hand.
        on_hand: u32,
        /// New reserved.
        reserved: u32,
        /// New available.
        available: u32,
    },
}

impl EventKind {
    /// The type name, e.g. `"order_placed"`.
    #[must_use]
    pub fn type_name(&self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned)).unwrap_or_default()
    }
}
