//! Payments as the payment provider reports them.
//!
//! ordo never talks to a provider. The host records what the provider reported
//! ([`PaymentKind`]) with [`Oms::record_payment`](crate::Oms::record_payment); ordo sums the
//! amounts up ([`PaymentSummary`]) and derives the order's [`PaymentStatus`]. It says what
//! is due (capture on shipment, refund after a return) through events.
//!
//! The payment status is derived in this order of precedence:
//!
//! | condition                                            | status               |
//! |------------------------------------------------------|----------------------|
//! | refunded (incl. charge-backs) > 0 and ≥ captured     | `refunded`           |
//! | refunded > 0                                         | `partially_refunded` |
//! | captured ≥ order total                               | `paid`               |
//! | captured > 0                                         | `partially_paid`     |
//! | authorized, not captured or voided, > 0              | `authorized`         |
//! | something was voided                                 | `voided`             |
//! | the last report was a failure                        | `failed`             |
//! | otherwise                                            | `unpaid`             |

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::PaymentId;
use crate::money::{Currency, Money};

/// What the payment provider reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// An amount was authorized (reserved on the customer's card or account).
    Authorized,
    /// An amount was captured (taken); several partial captures are allowed.
    Captured,
    /// An authorization was voided (released without capture).
    Voided,
    /// A payment attempt failed.
    Failed,
    /// An amount was refunded to the customer.
    Refunded,
    /// The customer's bank reversed an amount.
    ChargedBack,
}

/// A recorded payment report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentRecord {
    /// The record's id.
    pub id: PaymentId,
    /// What happened.
    pub kind: PaymentKind,
    /// The amount.
    pub amount: Money,
    /// The provider's reference (transaction id).
    pub reference: Option<String>,
    /// When it happened (as reported, else when recorded).
    pub at: DateTime<Utc>,
}

/// Input of [`Oms::record_payment`](crate::Oms::record_payment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// What happened.
    pub kind: PaymentKind,
    /// The amount, in the order's currency (must not be negative).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Currency code; must be the order's.
    pub currency: String,
    /// The provider's reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// When it happened; defaults to now.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

impl NewPayment {
    /// A payment report of `kind` for `amount` in `currency`.
    pub fn new(kind: PaymentKind, amount: Decimal, currency: impl Into<String>) -> Self {
        NewPayment { kind, amount, currency: currency.into(), reference: None, at: None }
    }

    /// With the provider's reference.
    #[must_use]
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
}

/// Derived payment status of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Nothing authorized or captured.
    Unpaid,
    /// Authorized, not captured.
    Authorized,
    /// Part of the total captured.
    PartiallyPaid,
    /// The total captured.
    Paid,
    /// Part of the captured money refunded.
    PartiallyRefunded,
    /// All captured money refunded.
    Refunded,
    /// The authorization was voided.
    Voided,
    /// The last payment attempt failed.
    Failed,
}

/// Payment amounts of an order, summed from its records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentSummary {
    /// Sum authorized.
    pub authorized: Money,
    /// Sum captured.
    pub captured: Money,
    /// Sum voided.
    pub voided: Money,
    /// Sum refunded, charge-backs included.
    pub refunded: Money,
    /// Whether the latest report was a failure.
    pub last_failed: bool,
}

impl PaymentSummary {
    /// Sums `records` (all in `currency`).
    #[must_use]
    pub fn of(records: &[PaymentRecord], currency: Currency) -> Self {
        let (mut a, mut c, mut v, mut r) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for p in records {
            let x = p.amount.amount();
            match p.kind {
                PaymentKind::Authorized => a += x,
                PaymentKind::Captured => c += x,
                PaymentKind::Voided => v += x,
                PaymentKind::Refunded | PaymentKind::ChargedBack => r += x,
                PaymentKind::Failed => {}
            }
        }
        let m = |d| Money::rounded(d, currency);
        PaymentSummary {
            authorized: m(a),
            captured: m(c),
            voided: m(v),
            refunded: m(r),
            last_failed: records.last().is_some_and(|p| p.kind == PaymentKind::Failed),
        }
    }

    /// Authorized money neither captured nor voided.
    #[must_use]
    pub fn open_authorization(&self) -> Decimal {
        (self.authorized.amount() - self.captured.amount() - self.voided.amount()).max(Decimal::ZERO)
    }

    /// Money captured and not refunded.
    #[must_use]
    pub fn net_captured(&self) -> Decimal {
        self.captured.amount() - self.refunded.amount()
    }

    /// Whether authorized plus captured money covers `total`.
    #[must_use]
    pub fn covers(&self, total: Money) -> bool {
        self.open_authorization() + self.captured.amount() >= total.amount()
    }

    /// The status for an order of `total` (see the module docs for the rules).
    #[must_use]
    pub fn status(&self, total: Money) -> PaymentStatus {
        let (c, r) = (self.captured.amount(), self.refunded.amount());
        match () {
            _ if r > Decimal::ZERO && r >= c => PaymentStatus::Refunded,
            _ if r > Decimal::ZERO => PaymentStatus::PartiallyRefunded,
            _ if c > Decimal::ZERO && c >= total.amount() => PaymentStatus::Paid,
            _ if c > Decimal::ZERO => PaymentStatus::PartiallyPaid,
            _ if self.open_authorization() > Decimal::ZERO => PaymentStatus::Authorized,
            _ if self.voided.amount() > Decimal::ZERO => PaymentStatus::Voided,
            _ if self.last_failed => PaymentStatus::Failed,
            _ => PaymentStatus::Unpaid,
        }
    }
}
