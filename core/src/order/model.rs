//! The order aggregate.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::party::{Address, Customer, DeliveryMethod, PaymentMethod};
use super::pricing::{LineAmounts, OrderTotals, units_value};
use super::quantities::LineQuantities;
use super::state::{FulfillmentStatus, OrderState};
use crate::ids::{LineId, OrderId};
use crate::money::{Currency, Money};
use crate::payment::{PaymentRecord, PaymentStatus, PaymentSummary};
use crate::validation::HoldReason;

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderLine {
    /// The line's id.
    pub id: LineId,
    /// Stock-keeping unit.
    pub sku: String,
    /// Product name as sold.
    pub name: String,
    /// Price of one unit, gross or net as the order says.
    pub unit_price: Money,
    /// Tax rate as a fraction (0.19 for 19 %).
    pub tax_rate: Decimal,
    /// Computed amounts.
    pub amounts: LineAmounts,
    /// The quantity ledger.
    pub quantities: LineQuantities,
    /// Amount refunded for this line so far.
    pub refunded: Money,
    /// Units whose share has been refunded (cancelled or returned).
    pub refunded_units: u32,
}

impl OrderLine {
    /// The money for `count` units, after the `skip` units already accounted for: each unit's
    /// share of the line's gross amount, so that all units add up to the line exactly.
    #[must_use]
    pub fn units_value(&self, skip: u32, count: u32) -> Money {
        Money::rounded(units_value(self.amounts.gross, self.quantities.ordered, skip, count), self.amounts.gross.currency())
    }
}

/// A shipping charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShippingCharge {
    /// Amount as priced (gross or net).
    pub amount: Money,
    /// Tax rate on shipping.
    pub tax_rate: Decimal,
}

/// An order-level discount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Discount {
    /// Promotion or coupon code.
    pub code: String,
    /// Amount off the order, spread over the lines.
    pub amount: Money,
}

/// An order: who bought what, at which price, and how far it is along the order path.
///
/// Statuses are derived: [`Order::fulfillment_status`] from the lines' quantities,
/// [`Order::payment_status`] from the recorded payments. They are refreshed by every
/// change and serialized with the order, never set on their own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The order's id.
    pub id: OrderId,
    /// Human-readable order number, e.g. `"1042"`.
    pub number: String,
    /// Sales channel code.
    pub channel: String,
    /// The channel's own reference; unique per channel.
    pub external_ref: Option<String>,
    /// The checkout hold converted into this order's reservation, if any.
    pub cart_ref: Option<String>,
    /// Lifecycle state.
    pub state: OrderState,
    /// While on hold: the state to return to on release.
    pub held_from: Option<OrderState>,
    /// Active hold reasons (empty unless on hold).
    pub holds: Vec<HoldReason>,
    /// When the current hold began.
    pub held_since: Option<DateTime<Utc>>,
    /// Currency of every amount of the order.
    pub currency: Currency,
    /// Whether prices include tax (gross) or not (net).
    pub prices_include_tax: bool,
    /// The customer. Shared, not copied, between the versions of an order (the customer
    /// rarely changes while the order is copied on every change); read it through `Deref`,
    /// replace it with `Arc::new` or change it with `Arc::make_mut`.
    pub customer: Arc<Customer>,
    /// Where to ship (shared like `customer`).
    pub shipping_address: Option<Arc<Address>>,
    /// Where to bill (shared like `customer`; the same value as `shipping_address` when the
    /// order named no billing address).
    pub billing_address: Option<Arc<Address>>,
    /// Ship or pick up.
    pub delivery: DeliveryMethod,
    /// How the customer pays.
    pub payment_method: PaymentMethod,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// Order-level discounts.
    pub discounts: Vec<Discount>,
    /// Shipping charge.
    pub shipping: Option<ShippingCharge>,
    /// Computed totals.
    pub totals: OrderTotals,
    /// Payment events reported by the payment provider.
    pub payments: Vec<PaymentRecord>,
    /// Payment amounts summed up.
    pub payment: PaymentSummary,
    /// Derived payment status.
    pub payment_status: PaymentStatus,
    /// Derived fulfillment status.
    pub fulfillment_status: FulfillmentStatus,
    /// Free-text notes.
    pub notes: Vec<String>,
    /// Free-form key/value data of the host.
    pub metadata: BTreeMap<String, String>,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Claims about the order's shipments.
    #[serde(default)]
    pub claims: Vec<crate::claims::Claim>,
    /// Whether the shipping charge has been refunded (see `ShippingRefund`).
    #[serde(default)]
    pub shipping_refunded: bool,
    /// Optimistic-concurrency version, incremented by every stored change.
    pub version: u64,
    /// Fingerprint of the placement request, to tell a retry from a different order.
    pub fingerprint: u64,
}

impl Order {
    /// The line with `id`.
    #[must_use]
    pub fn line(&self, id: LineId) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.id == id)
    }

    pub(crate) fn line_mut(&mut self, id: LineId) -> Option<&mut OrderLine> {
        self.lines.iter_mut().find(|l| l.id == id)
    }

    /// Derived fulfillment status (also stored in [`Order::fulfillment_status`]).
    #[must_use]
    pub fn compute_fulfillment_status(&self) -> FulfillmentStatus {
        let (mut open, mut shipped, mut delivered) = (0u64, 0u64, 0u64);
        for l in &self.lines {
            open += u64::from(l.quantities.open());
            shipped += u64::from(l.quantities.shipped);
            delivered += u64::from(l.quantities.delivered);
        }
        match () {
            _ if open == 0 => FulfillmentStatus::Cancelled,
            _ if delivered >= open => FulfillmentStatus::Delivered,
            _ if delivered > 0 => FulfillmentStatus::PartiallyDelivered,
            _ if shipped >= open => FulfillmentStatus::Shipped,
            _ if shipped > 0 => FulfillmentStatus::PartiallyShipped,
            _ => FulfillmentStatus::Unfulfilled,
        }
    }

    /// Whether every open unit has been delivered.
    #[must_use]
    pub fn is_fully_delivered(&self) -> bool {
        self.compute_fulfillment_status() == FulfillmentStatus::Delivered
    }

    /// Whether any unit has shipped.
    #[must_use]
    pub fn any_shipped(&self) -> bool {
        self.lines.iter().any(|l| l.quantities.shipped > 0)
    }

    /// Puts the order on hold with `reason` (remembering the state to return to), or adds
    /// the reason when it is held already. The caller checks the transition table.
    pub(crate) fn add_hold(&mut self, reason: HoldReason, now: DateTime<Utc>) {
        if self.state != OrderState::OnHold {
            self.held_from = Some(self.state);
            self.state = OrderState::OnHold;
            self.held_since = Some(now);
        }
        self.holds.push(reason);
    }

    /// Clears every hold (on release or cancel).
    pub(crate) fn clear_holds(&mut self) {
        self.held_from = None;
        self.held_since = None;
        self.holds.clear();
    }

    /// Recomputes the derived fields. Called by every change before it is stored.
    pub(crate) fn refresh(&mut self, now: DateTime<Utc>) {
        self.fulfillment_status = self.compute_fulfillment_status();
        self.payment = PaymentSummary::of(&self.payments, self.currency);
        self.payment_status = self.payment.status(self.totals.total);
        self.updated_at = now;
    }

    /// Checks the quantity invariants of every line.
    ///
    /// # Errors
    /// The first broken invariant.
    pub fn check_invariants(&self) -> Result<(), String> {
        for l in &self.lines {
            l.quantities.check().map_err(|e| format!("line {} ({}): {e}", l.id, l.sku))?;
        }
        Ok(())
    }
}
