//! Input of [`Oms::place_order`](crate::Oms::place_order) and its checks.

use std::collections::BTreeMap;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::{Discount, Order, OrderLine, ShippingCharge};
use super::party::{Address, Customer, DeliveryMethod, PaymentMethod};
use super::pricing::{PriceInput, compute, line_subtotal};
use super::quantities::LineQuantities;
use super::state::{FulfillmentStatus, OrderState};
use crate::error::{InputError, MoneyError, Result};
use crate::ids::{LineId, OrderId};
use crate::money::{Currency, Money};
use crate::payment::{PaymentStatus, PaymentSummary};

/// Largest quantity accepted on one line.
pub const MAX_LINE_QUANTITY: u32 = 1_000_000;
/// Largest number of lines accepted on one order.
pub const MAX_LINES: usize = 1_000;

/// A line of a new order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLine {
    /// Stock-keeping unit (non-empty).
    pub sku: String,
    /// Product name; defaults to the SKU.
    #[serde(default)]
    pub name: String,
    /// Units (1 ..= 1,000,000).
    pub quantity: u32,
    /// Price of one unit, gross or net as the order says; exact in the order's currency.
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    /// Tax rate as a fraction, 0 ≤ rate < 1 (0.19 for 19 %).
    #[serde(default, with = "rust_decimal::serde::str")]
    pub tax_rate: Decimal,
    /// Discount on the whole line (not per unit), 0 ≤ discount ≤ line subtotal.
    #[serde(default, with = "rust_decimal::serde::str")]
    pub discount: Decimal,
}

impl NewLine {
    /// A line of `quantity` units of `sku` at `unit_price`.
    pub fn new(sku: impl Into<String>, quantity: u32, unit_price: Decimal) -> Self {
        NewLine { sku: sku.into(), name: String::new(), quantity, unit_price, tax_rate: Decimal::ZERO, discount: Decimal::ZERO }
    }

    /// With a product name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// With a tax rate (0.19 for 19 %).
    #[must_use]
    pub fn tax_rate(mut self, rate: Decimal) -> Self {
        self.tax_rate = rate;
        self
    }

    /// With a discount on the whole line.
    #[must_use]
    pub fn discount(mut self, amount: Decimal) -> Self {
        self.discount = amount;
        self
    }
}

/// An order-level discount of a new order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDiscount {
    /// Coupon or promotion code.
    pub code: String,
    /// Amount off the order (spread over the lines).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A shipping charge of a new order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewShipping {
    /// Amount as priced (gross or net like the lines).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Tax rate on shipping.
    #[serde(default, with = "rust_decimal::serde::str")]
    pub tax_rate: Decimal,
}

/// Everything needed to place an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// Sales channel code (must have been added with `add_channel`).
    pub channel: String,
    /// The channel's order reference; (channel, external_ref) is unique.
    #[serde(default)]
    pub external_ref: Option<String>,
    /// The cart whose checkout hold (see `hold_stock`) becomes this order's reservation.
    #[serde(default)]
    pub cart_ref: Option<String>,
    /// ISO 4217 currency code of every amount.
    pub currency: String,
    /// Whether prices include tax (default) or are net.
    #[serde(default = "yes")]
    pub prices_include_tax: bool,
    /// The customer.
    #[serde(default)]
    pub customer: Customer,
    /// Where to ship (required for delivery by carrier).
    #[serde(default)]
    pub shipping_address: Option<Address>,
    /// Where to bill; defaults to the shipping address.
    #[serde(default)]
    pub billing_address: Option<Address>,
    /// Ship or pick up.
    #[serde(default)]
    pub delivery: DeliveryMethod,
    /// How the customer pays.
    #[serde(default)]
    pub payment_method: PaymentMethod,
    /// The lines (at least one).
    pub lines: Vec<NewLine>,
    /// Order-level discounts.
    #[serde(default)]
    pub discounts: Vec<NewDiscount>,
    /// Shipping charge.
    #[serde(default)]
    pub shipping: Option<NewShipping>,
    /// Notes.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Free-form key/value data.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// When the order was placed at the channel; defaults to now.
    #[serde(default)]
    pub placed_at: Option<DateTime<Utc>>,
}

fn yes() -> bool {
    true
}

impl NewOrder {
    /// A new order on `channel` in `currency` with `lines`; everything else defaulted.
    pub fn new(channel: impl Into<String>, currency: impl Into<String>, lines: Vec<NewLine>) -> Self {
        NewOrder {
            channel: channel.into(),
            external_ref: None,
            cart_ref: None,
            currency: currency.into(),
            prices_include_tax: true,
            customer: Customer::default(),
            shipping_address: None,
            billing_address: None,
            delivery: DeliveryMethod::Ship,
            payment_method: PaymentMethod::Prepaid,
            lines,
            discounts: Vec::new(),
            shipping: None,
            notes: Vec::new(),
            metadata: BTreeMap::new(),
            placed_at: None,
        }
    }

    /// With the channel's order reference.
    #[must_use]
    pub fn external_ref(mut self, r: impl Into<String>) -> Self {
        self.external_ref = Some(r.into());
        self
    }

    /// Converting the checkout hold of `cart_ref` into this order's reservation.
    #[must_use]
    pub fn cart_ref(mut self, r: impl Into<String>) -> Self {
        self.cart_ref = Some(r.into());
        self
    }

    /// With a customer.
    #[must_use]
    pub fn customer(mut self, c: Customer) -> Self {
        self.customer = c;
        self
    }

    /// With a shipping address.
    #[must_use]
    pub fn ship_to(mut self, a: Address) -> Self {
        self.shipping_address = Some(a);
        self
    }

    /// With a shipping charge.
    #[must_use]
    pub fn shipping(mut self, amount: Decimal, tax_rate: Decimal) -> Self {
        self.shipping = Some(NewShipping { amount, tax_rate });
        self
    }

    /// With an order-level discount.
    #[must_use]
    pub fn discount(mut self, code: impl Into<String>, amount: Decimal) -> Self {
        self.discounts.push(NewDiscount { code: code.into(), amount });
        self
    }

    /// With a payment method.
    #[must_use]
    pub fn payment_method(mut self, m: PaymentMethod) -> Self {
        self.payment_method = m;
        self
    }

    /// With a delivery method.
    #[must_use]
    pub fn delivery(mut self, d: DeliveryMethod) -> Self {
        self.delivery = d;
        self
    }

    /// Checks the input and builds the order (state `placed`, version 0, no number yet).
    pub(crate) fn build(&self, now: DateTime<Utc>) -> Result<Order> {
        let currency = Currency::from_code(self.currency.trim())?;
        non_empty("channel", &self.channel)?;
        if let Some(r) = &self.external_ref {
            non_empty("external_ref", r)?;
        }
        if self.lines.is_empty() {
            return Err(InputError::new("lines", "an order needs at least one line").into());
        }
        if self.lines.len() > MAX_LINES {
            return Err(InputError::new("lines", format!("at most {MAX_LINES} lines per order")).into());
        }
        let mut prices = Vec::with_capacity(self.lines.len());
        // Every amount is within the currency's range (at most 10¹⁵ minor units), so these
        // sums of at most MAX_LINES (or MAX_LIST_ITEMS) of them cannot overflow.
        let mut after_lines = Decimal::ZERO;
        for (i, l) in self.lines.iter().enumerate() {
            let f = |name| ("lines", i, name);
            non_empty(f("sku"), &l.sku)?;
            if l.quantity == 0 || l.quantity > MAX_LINE_QUANTITY {
                return Err(InputError::new(
                    f("quantity").path(),
                    format!("must be between 1 and {MAX_LINE_QUANTITY}, got {}", l.quantity),
                )
                .into());
            }
            let price = amount(f("unit_price"), l.unit_price, currency)?;
            let discount = amount(f("discount"), l.discount, currency)?;
            rate(f("tax_rate"), l.tax_rate)?;
            let subtotal = line_subtotal(i, price, l.quantity, currency)?;
            if discount > subtotal {
                return Err(InputError::new(f("discount").path(), format!("{discount} exceeds the line subtotal {subtotal}")).into());
            }
            prices.push(PriceInput { unit_price: price, quantity: l.quantity, tax_rate: l.tax_rate, line_discount: discount });
            after_lines += subtotal - discount;
        }
        let mut order_discount = Decimal::ZERO;
        let mut discounts = Vec::with_capacity(self.discounts.len());
        for (i, d) in self.discounts.iter().enumerate() {
            let a = amount(("discounts", i, "amount"), d.amount, currency)?;
            order_discount += a;
            discounts.push(Discount { code: d.code.clone(), amount: Money::rounded(a, currency) });
        }
        if order_discount > after_lines {
            return Err(InputError::new("discounts", format!("{order_discount} exceeds the order's line total {after_lines}")).into());
        }
        let (ship_amount, ship_rate) = match &self.shipping {
            Some(s) => {
                rate("shipping.tax_rate", s.tax_rate)?;
                (amount("shipping.amount", s.amount, currency)?, s.tax_rate)
            }
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        if let Some(r) = &self.cart_ref {
            non_empty("cart_ref", r)?;
        }
        if self.shipping_address.as_ref().and_then(|a| a.geo).is_some_and(|g| !g.is_valid()) {
            return Err(InputError::new("shipping_address.geo", "latitude must be within ±90 and longitude within ±180").into());
        }
        if matches!(self.delivery, DeliveryMethod::Ship) && self.shipping_address.is_none() {
            return Err(InputError::new("shipping_address", "required when the order is shipped").into());
        }
        let (amounts, totals) = compute(&prices, order_discount, ship_amount, ship_rate, self.prices_include_tax, currency)?;
        let lines = self
            .lines
            .iter()
            .zip(amounts)
            .zip(&prices)
            .map(|((l, a), p)| OrderLine {
                id: LineId::new(),
                sku: l.sku.trim().to_owned(),
                name: if l.name.trim().is_empty() { l.sku.trim().to_owned() } else { l.name.clone() },
                unit_price: Money::rounded(p.unit_price, currency),
                tax_rate: l.tax_rate,
                amounts: a,
                quantities: LineQuantities::new(l.quantity),
                refunded: Money::zero(currency),
                refunded_units: 0,
            })
            .collect();
        let placed_at = self.placed_at.unwrap_or(now);
        let shipping_address = self.shipping_address.clone().map(Arc::new);
        let mut order = Order {
            id: OrderId::new(),
            number: String::new(),
            channel: self.channel.trim().to_owned(),
            external_ref: self.external_ref.as_ref().map(|r| r.trim().to_owned()),
            cart_ref: self.cart_ref.as_ref().map(|r| r.trim().to_owned()),
            state: OrderState::Placed,
            held_from: None,
            holds: Vec::new(),
            held_since: None,
            currency,
            prices_include_tax: self.prices_include_tax,
            customer: Arc::new(self.customer.clone()),
            shipping_address: shipping_address.clone(),
            billing_address: self.billing_address.clone().map(Arc::new).or(shipping_address),
            delivery: self.delivery.clone(),
            payment_method: self.payment_method,
            lines,
            discounts,
            shipping: self.shipping.as_ref().map(|_| ShippingCharge { amount: Money::rounded(ship_amount, currency), tax_rate: ship_rate }),
            totals,
            payments: Vec::new(),
            payment: PaymentSummary::of(&[], currency),
            payment_status: PaymentStatus::Unpaid,
            fulfillment_status: FulfillmentStatus::Unfulfilled,
            notes: self.notes.clone(),
            metadata: self.metadata.clone(),
            placed_at,
            updated_at: now,
            claims: Vec::new(),
            shipping_refunded: false,
            version: 0,
            fingerprint: 0,
        };
        order.refresh(now);
        Ok(order)
    }
}

/// The path of an input field, spelled out only when an error names it (valid input,
/// the common case, formats nothing).
trait Field {
    fn path(&self) -> String;
}

impl Field for &str {
    fn path(&self) -> String {
        (*self).to_owned()
    }
}

/// `("lines", 2, "sku")` → `lines[2].sku`.
impl Field for (&str, usize, &str) {
    fn path(&self) -> String {
        format!("{}[{}].{}", self.0, self.1, self.2)
    }
}

fn non_empty(field: impl Field, value: &str) -> Result<()> {
    if value.trim().is_empty() { Err(InputError::new(field.path(), "must not be empty").into()) } else { Ok(()) }
}

fn amount(field: impl Field, value: Decimal, currency: Currency) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative { field: field.path(), amount: value }.into());
    }
    match Money::new(value, currency) {
        Ok(m) => Ok(m.amount()),
        Err(MoneyError::OutOfRange { currency, max, .. }) => Err(MoneyError::OutOfRange { field: field.path(), currency, max }.into()),
        Err(e) => Err(e.into()),
    }
}

fn rate(field: impl Field, value: Decimal) -> Result<()> {
    if value.is_sign_negative() || value >= Decimal::ONE {
        return Err(InputError::new(field.path(), format!("tax rate must be a fraction 0 ≤ rate < 1, got {value}")).into());
    }
    Ok(())
}
