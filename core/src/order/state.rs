//! The order lifecycle as an explicit transition table.
//!
//! | from            | command   | to                                   |
//! |-----------------|-----------|--------------------------------------|
//! | placed          | confirm   | confirmed (validation passed)        |
//! | placed          | hold      | on_hold                              |
//! | confirmed       | hold      | on_hold                              |
//! | in_fulfillment  | hold      | on_hold                              |
//! | on_hold         | release   | the state it was held from; `confirmed` after re-validation; `completed` when everything was delivered meanwhile |
//! | confirmed       | allocate  | in_fulfillment                       |
//! | in_fulfillment  | allocate  | in_fulfillment (backorders)          |
//! | in_fulfillment  | fulfill   | in_fulfillment (pick, pack, ship)    |
//! | in_fulfillment  | complete  | completed (every open unit delivered)|
//! | placed          | cancel    | cancelled                            |
//! | confirmed       | cancel    | cancelled                            |
//! | on_hold         | cancel    | cancelled                            |
//! | in_fulfillment  | cancel    | cancelled (only while nothing shipped)|
//!
//! Every other combination is [`Error::InvalidTransition`](crate::Error::InvalidTransition)
//! naming the order, its state and the command. Holding an order in fulfillment is allowed
//! so that a short pick or a delivery problem can stop it until a person decides.

use serde::{Deserialize, Serialize};

/// Where an order is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Captured, not yet validated.
    Placed,
    /// Validation passed; ready for allocation.
    Confirmed,
    /// Stopped until a person (or a fix) releases it; see the order's holds.
    OnHold,
    /// Allocated (fully, partially or backordered) and being fulfilled.
    InFulfillment,
    /// Every unit that was not cancelled has been delivered.
    Completed,
    /// Cancelled before everything shipped.
    Cancelled,
}

/// The commands that move an order between states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderCommand {
    /// Validation passed.
    Confirm,
    /// Put on hold.
    Hold,
    /// Release a hold.
    Release,
    /// Reserve stock and create shipments.
    Allocate,
    /// Pick, pack, ship or deliver a shipment of the order.
    Fulfill,
    /// Everything delivered.
    Complete,
    /// Cancel the order.
    Cancel,
}

impl OrderCommand {
    /// The command's name as used in errors.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            OrderCommand::Confirm => "confirm",
            OrderCommand::Hold => "hold",
            OrderCommand::Release => "release",
            OrderCommand::Allocate => "allocate",
            OrderCommand::Fulfill => "fulfill",
            OrderCommand::Complete => "complete",
            OrderCommand::Cancel => "cancel",
        }
    }
}

use OrderCommand as C;
use OrderState as S;

/// The table of allowed transitions: (from, command, to). `Release` goes back to the state
/// the order was held from; the table lists the states it may return to.
pub const ORDER_TRANSITIONS: &[(OrderState, OrderCommand, OrderState)] = &[
    (S::Placed, C::Confirm, S::Confirmed),
    (S::Placed, C::Hold, S::OnHold),
    (S::Confirmed, C::Hold, S::OnHold),
    (S::InFulfillment, C::Hold, S::OnHold),
    (S::OnHold, C::Release, S::Placed),
    (S::OnHold, C::Release, S::Confirmed),
    (S::OnHold, C::Release, S::InFulfillment),
    (S::OnHold, C::Release, S::Completed),
    (S::Confirmed, C::Allocate, S::InFulfillment),
    (S::InFulfillment, C::Allocate, S::InFulfillment),
    (S::InFulfillment, C::Fulfill, S::InFulfillment),
    (S::InFulfillment, C::Complete, S::Completed),
    (S::Placed, C::Cancel, S::Cancelled),
    (S::Confirmed, C::Cancel, S::Cancelled),
    (S::OnHold, C::Cancel, S::Cancelled),
    (S::InFulfillment, C::Cancel, S::Cancelled),
];

impl OrderState {
    /// Whether `command` is allowed in this state (and, for release, back to `to`).
    #[must_use]
    pub fn allows(self, command: OrderCommand) -> bool {
        ORDER_TRANSITIONS.iter().any(|(from, c, _)| *from == self && *c == command)
    }

    /// The state after `command`, if the table allows it. For `Release` pass the state the
    /// order was held from as `release_to`.
    #[must_use]
    pub fn next(self, command: OrderCommand, release_to: Option<OrderState>) -> Option<OrderState> {
        ORDER_TRANSITIONS
            .iter()
            .find(|(from, c, to)| *from == self && *c == command && (command != C::Release || Some(*to) == release_to))
            .map(|(_, _, to)| *to)
    }

    /// Whether no further lifecycle command applies.
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, S::Completed | S::Cancelled)
    }
}

/// Derived fulfillment status of an order, computed from its lines' quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfillmentStatus {
    /// Nothing shipped yet.
    Unfulfilled,
    /// Some, not all, open units shipped.
    PartiallyShipped,
    /// All open units shipped, none delivered yet.
    Shipped,
    /// Some, not all, open units delivered.
    PartiallyDelivered,
    /// All open units delivered.
    Delivered,
    /// Every unit was cancelled.
    Cancelled,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_drives_transitions() {
        assert_eq!(S::Placed.next(C::Confirm, None), Some(S::Confirmed));
        assert_eq!(S::Confirmed.next(C::Confirm, None), None);
        assert_eq!(S::OnHold.next(C::Release, Some(S::Confirmed)), Some(S::Confirmed));
        assert_eq!(S::OnHold.next(C::Release, Some(S::Completed)), Some(S::Completed));
        assert_eq!(S::OnHold.next(C::Release, Some(S::Cancelled)), None);
        assert!(!S::Completed.allows(C::Cancel));
        assert!(!S::Cancelled.allows(C::Hold));
        assert!(S::Completed.is_final());
    }
}
