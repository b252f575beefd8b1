//! Who ordered and where it goes: customer, addresses, delivery and payment method.

use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::LocationId;

/// The customer who placed the order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Customer {
    /// The host's customer id, if any.
    pub id: Option<String>,
    /// Full name.
    pub name: String,
    /// E-mail address (checked by the address validator when present).
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Preferred language for messages (`"de"`, `"en"`).
    pub locale: Option<String>,
}

impl Customer {
    /// A customer with a name and an e-mail address.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Customer { name: name.into(), email: Some(email.into()), ..Self::default() }
    }
}

/// A postal address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Address {
    /// Recipient name.
    pub name: String,
    /// Company, if any.
    pub company: Option<String>,
    /// Street and house number.
    pub line1: String,
    /// Additional address line.
    pub line2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Region or state, where the country uses one.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. `"DE"`.
    pub country: String,
    /// Phone number for the carrier.
    pub phone: Option<String>,
    /// Coordinates, for nearest-location allocation (given by the host, e.g. from its
    /// geocoder).
    pub geo: Option<GeoPoint>,
}

impl Address {
    /// An address from its usual parts.
    pub fn new(
        name: impl Into<String>,
        line1: impl Into<String>,
        postal_code: impl Into<String>,
        city: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Address {
            name: name.into(),
            line1: line1.into(),
            postal_code: postal_code.into(),
            city: city.into(),
            country: country.into(),
            ..Self::default()
        }
    }

    /// The address as lines for a label or a packing slip.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        out.extend(self.company.clone());
        out.push(self.line1.clone());
        out.extend(self.line2.clone());
        out.push(format!("{} {}", self.postal_code, self.city).trim().to_owned());
        out.extend(self.region.clone());
        out.push(self.country.clone());
        out.retain(|l| !l.trim().is_empty());
        out
    }
}

/// How the goods reach the customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryMethod {
    /// Shipped to the order's shipping address.
    #[default]
    Ship,
    /// Picked up by the customer at a store.
    Pickup {
        /// The store.
        location: LocationId,
    },
}

/// How the customer pays; decides whether validation requires money up front.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMethod {
    /// Paid (authorized or captured) before fulfillment: card, wallet, bank transfer.
    #[default]
    Prepaid,
    /// Invoice: pay later.
    Invoice,
    /// Cash on delivery: pay later.
    CashOnDelivery,
    /// Pay at the store when picking up: pay later.
    PayAtPickup,
}

impl PaymentMethod {
    /// Whether the order may be fulfilled before money is authorized.
    #[must_use]
    pub fn is_pay_later(self) -> bool {
        !matches!(self, PaymentMethod::Prepaid)
    }
}
