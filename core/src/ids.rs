//! Typed identifiers.
//!
//! Every aggregate has its own id type, a newtype over a UUID v7 (time-ordered, so ids
//! sort by creation time and index well). Mixing up an [`OrderId`] and a [`ShipmentId`]
//! is a compile error. Ids print and parse in the usual hyphenated UUID form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::InputError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered (UUID v7) id.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID.
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            #[must_use]
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = InputError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| InputError::new(
                    stringify!($name),
                    format!("'{s}' is not a UUID"),
                ))
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// Identifies an [`Order`](crate::Order).
    OrderId
);
id_type!(
    /// Identifies one line of an order.
    LineId
);
id_type!(
    /// Identifies a stock [`Location`](crate::Location) (warehouse or store).
    LocationId
);
id_type!(
    /// Identifies a [`Shipment`](crate::Shipment).
    ShipmentId
);
id_type!(
    /// Identifies a [`Return`](crate::Return) (RMA).
    ReturnId
);
id_type!(
    /// Identifies a recorded payment event.
    PaymentId
);
id_type!(
    /// Identifies a domain [`Event`](crate::Event).
    EventId
);
id_type!(
    /// Identifies a stock movement in the inventory ledger.
    MovementId
);
id_type!(
    /// Identifies a [`PickList`](crate::PickList).
    PickListId
);
id_type!(
    /// Identifies a [`Claim`](crate::Claim).
    ClaimId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_sort_by_creation() {
        let a = OrderId::new();
        let b = OrderId::new();
        assert!(a < b, "v7 ids are time ordered");
        let parsed: OrderId = a.to_string().parse().unwrap();
        assert_eq!(parsed, a);
        assert!("not-a-uuid".parse::<OrderId>().is_err());
    }
}
