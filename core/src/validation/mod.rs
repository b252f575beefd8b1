//! Step 2 of the order path: validation, and the hold reasons it produces.
//!
//! [`Oms::validate_order`](crate::Oms::validate_order) runs every [`Validator`] over a
//! placed order. When none objects, the order is confirmed. Otherwise it goes **on hold**
//! with every reason found (a machine-readable [`HoldCode`] and a sentence for people), an
//! event tells the host that the customer must be informed, and the order appears in
//! [`Oms::exceptions`](crate::Oms::exceptions). Fixing the cause (recording a payment,
//! correcting the address with `edit_order`) and calling `release_order` validates again
//! and resumes the order.
//!
//! Built in: [`AddressValidator`] (completeness, ISO 3166-1 country, postal code format,
//! e-mail syntax), [`PaymentValidator`] (authorized or captured money covers the total,
//! unless the order is pay-later) and [`AvailabilityValidator`] (every SKU known, enough
//! stock in the network). Hosts add their own (a fraud check, say) with
//! [`OmsBuilder::validator`](crate::OmsBuilder::validator).

pub mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::order::{DeliveryMethod, Order};

/// Why an order is held. Hosts may use their own codes through [`HoldCode::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HoldCode {
    /// A required address field is missing.
    AddressIncomplete,
    /// The address is malformed (country, postal code, e-mail).
    AddressInvalid,
    /// Authorized or captured money does not cover the order total.
    PaymentMissing,
    /// A person must review the payment.
    PaymentReview,
    /// A fraud check objected.
    SuspectedFraud,
    /// An SKU of the order is not known to the inventory.
    UnknownSku,
    /// Not enough stock in the network.
    InsufficientStock,
    /// A backorder has waited too long.
    BackorderTooLong,
    /// A delivery failed or a parcel was lost or damaged.
    DeliveryProblem,
    /// A pick found less on the shelf than expected.
    ShortPick,
    /// The customer asked to wait.
    CustomerRequest,
    /// A returned item arrived damaged and a person must decide.
    DamagedReturn,
    /// Any other code, chosen by the host.
    Other(String),
}

impl HoldCode {
    /// The code as text, e.g. `"payment_missing"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            HoldCode::AddressIncomplete => "address_incomplete",
            HoldCode::AddressInvalid => "address_invalid",
            HoldCode::PaymentMissing => "payment_missing",
            HoldCode::PaymentReview => "payment_review",
            HoldCode::SuspectedFraud => "suspected_fraud",
            HoldCode::UnknownSku => "unknown_sku",
            HoldCode::InsufficientStock => "insufficient_stock",
            HoldCode::BackorderTooLong => "backorder_too_long",
            HoldCode::DeliveryProblem => "delivery_problem",
            HoldCode::ShortPick => "short_pick",
            HoldCode::CustomerRequest => "customer_request",
            HoldCode::DamagedReturn => "damaged_return",
            HoldCode::Other(s) => s,
        }
    }

    /// Parses a code; unknown text becomes [`HoldCode::Other`].
    #[must_use]
    pub fn parse(s: &str) -> Self {
        const KNOWN: [HoldCode; 12] = [
            HoldCode::AddressIncomplete,
            HoldCode::AddressInvalid,
            HoldCode::PaymentMissing,
            HoldCode::PaymentReview,
            HoldCode::SuspectedFraud,
            HoldCode::UnknownSku,
            HoldCode::InsufficientStock,
            HoldCode::BackorderTooLong,
            HoldCode::DeliveryProblem,
            HoldCode::ShortPick,
            HoldCode::CustomerRequest,
            HoldCode::DamagedReturn,
        ];
        KNOWN.into_iter().find(|k| k.as_str() == s).unwrap_or_else(|| HoldCode::Other(s.to_owned()))
    }

    /// Whether this reason comes from validation (and is checked again on release).
    #[must_use]
    pub fn is_validation(&self) -> bool {
        matches!(
            self,
            HoldCode::AddressIncomplete
                | HoldCode::AddressInvalid
                | HoldCode::PaymentMissing
                | HoldCode::UnknownSku
                | HoldCode::InsufficientStock
        )
    }
}

impl fmt::Display for HoldCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HoldCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HoldCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(HoldCode::parse(&String::deserialize(d)?))
    }
}

/// One reason an order is held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HoldReason {
    /// Machine-readable code.
    pub code: HoldCode,
    /// Sentence for the person who resolves it.
    pub message: String,
}

impl HoldReason {
    /// A reason with a code and a message.
    pub fn new(code: HoldCode, message: impl Into<String>) -> Self {
        HoldReason { code, message: message.into() }
    }
}

/// What validators may know besides the order itself.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ValidationContext {
    /// For each SKU of the order: units available in the network for the order's channel,
    /// or `None` when the SKU is unknown to the inventory.
    pub available: BTreeMap<String, Option<u64>>,
    /// SKUs that may be backordered (policy `allow` or `preorder`): a shortage is no
    /// reason to hold.
    pub backorderable: BTreeSet<String>,
}

/// A check an order must pass before it is confirmed.
pub trait Validator: Send + Sync {
    /// A short name for logs and the timeline.
    fn name(&self) -> &str;
    /// The reasons to hold the order; empty when it passes.
    fn validate(&self, order: &Order, ctx: &ValidationContext) -> Vec<HoldReason>;
}

/// Address completeness, ISO 3166-1 country, postal code format and e-mail syntax.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddressValidator;

impl Validator for AddressValidator {
    fn name(&self) -> &str {
        "address"
    }

    fn validate(&self, order: &Order, _: &ValidationContext) -> Vec<HoldReason> {
        let mut out = Vec::new();
        if let Some(email) = &order.customer.email
            && !rules::is_valid_email(email)
        {
            out.push(HoldReason::new(HoldCode::AddressInvalid, format!("e-mail address '{email}' is not valid")));
        }
        let shipped = matches!(order.delivery, DeliveryMethod::Ship);
        let billing = order.billing_address.as_ref().filter(|b| Some(*b) != order.shipping_address.as_ref());
        let addresses = [("shipping", order.shipping_address.as_ref(), shipped), ("billing", billing, false)];
        for (which, addr, required) in addresses {
            let Some(a) = addr else {
                if required {
                    out.push(HoldReason::new(HoldCode::AddressIncomplete, format!("{which} address is missing")));
                }
                continue;
            };
            let missing: Vec<&str> =
                [("name", &a.name), ("street", &a.line1), ("postal code", &a.postal_code), ("city", &a.city), ("country", &a.country)]
                    .into_iter()
                    .filter(|(_, v)| v.trim().is_empty())
                    .map(|(n, _)| n)
                    .collect();
            if !missing.is_empty() {
                out.push(HoldReason::new(HoldCode::AddressIncomplete, format!("{which} address lacks {}", missing.join(", "))));
                continue;
            }
            if !rules::is_country_code(a.country.trim()) {
                out.push(HoldReason::new(
                    HoldCode::AddressInvalid,
                    format!("{which} address: '{}' is not an ISO 3166-1 country code", a.country),
                ));
            } else if !rules::is_valid_postal_code(&a.country, &a.postal_code) {
                let expected = rules::postal_code_format(&a.country).map(|f| format!(" (expected {f})")).unwrap_or_default();
                out.push(HoldReason::new(
                    HoldCode::AddressInvalid,
                    format!("{which} address: postal code '{}' is not valid for {}{expected}", a.postal_code, a.country),
                ));
            }
        }
        out
    }
}

/// Authorized or captured money covers the order total, unless the order is pay-later
/// (invoice, cash on delivery, pay at pickup).
#[derive(Clone, Copy, Debug, Default)]
pub struct PaymentValidator;

impl Validator for PaymentValidator {
    fn name(&self) -> &str {
        "payment"
    }

    fn validate(&self, order: &Order, _: &ValidationContext) -> Vec<HoldReason> {
        if order.payment_method.is_pay_later() || order.payment.covers(order.totals.total) {
            return Vec::new();
        }
        let covered = order.payment.open_authorization() + order.payment.captured.amount();
        vec![HoldReason::new(
            HoldCode::PaymentMissing,
            format!("payment of {} {} not authorized (covered: {covered})", order.totals.total.amount(), order.currency),
        )]
    }
}

/// Every SKU is known to the inventory and the network holds enough for the order.
///
/// The summed demand of all lines of one SKU is checked together.
#[derive(Clone, Copy, Debug, Default)]
pub struct AvailabilityValidator;

impl Validator for AvailabilityValidator {
    fn name(&self) -> &str {
        "availability"
    }

    fn validate(&self, order: &Order, ctx: &ValidationContext) -> Vec<HoldReason> {
        let mut demand: BTreeMap<&str, u64> = BTreeMap::new();
        for l in &order.lines {
            *demand.entry(l.sku.as_str()).or_default() += u64::from(l.quantities.open());
        }
        let mut out = Vec::new();
        for (sku, want) in demand {
            match ctx.available.get(sku).copied().flatten() {
                None => out.push(HoldReason::new(HoldCode::UnknownSku, format!("SKU '{sku}' is not known to the inventory"))),
                Some(have) if have < want && !ctx.backorderable.contains(sku) => {
                    out.push(HoldReason::new(HoldCode::InsufficientStock, format!("SKU '{sku}': {want} ordered, {have} available")))
                }
                Some(_) => {}
            }
        }
        out
    }
}
