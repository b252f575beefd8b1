//! Point of sale: a sale at a store counter in one command, with its receipt.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::documents::{Receipt, ReceiptLine, TaxLine};
use crate::error::{Error, InputError, MoneyError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LocationId, OrderId, PaymentId, ShipmentId};
use crate::inventory::{Location, MovementKind};
use crate::money::Money;
use crate::order::{Customer, DeliveryMethod, NewDiscount, NewLine, NewOrder, Order, OrderState, PaymentMethod};
use crate::payment::{PaymentKind, PaymentRecord};
use crate::shipment::{Shipment, ShipmentLine, ShipmentState};

const META_METHOD: &str = "pos.payment_method";
const META_TENDERED: &str = "pos.tendered";
const META_REFERENCE: &str = "pos.payment_reference";

/// How a counter sale is paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterPayment {
    /// `"card"`, `"cash"`, or any method the host uses.
    pub method: String,
    /// Cash handed over (at least the total); the change is computed.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub tendered: Option<Decimal>,
    /// Terminal or provider reference.
    #[serde(default)]
    pub reference: Option<String>,
}

impl CounterPayment {
    /// Paid by card (or any non-cash method) for the exact total.
    pub fn card(reference: impl Into<String>) -> Self {
        CounterPayment { method: "card".into(), tendered: None, reference: Some(reference.into()) }
    }

    /// Paid in cash with `tendered` handed over.
    #[must_use]
    pub fn cash(tendered: Decimal) -> Self {
        CounterPayment { method: "cash".into(), tendered: Some(tendered), reference: None }
    }
}

/// Input of [`Oms::sell_at_counter`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterSale {
    /// The store.
    pub location: LocationId,
    /// The sales channel (e.g. `"pos"`).
    pub channel: String,
    /// Currency of the prices.
    pub currency: String,
    /// What is sold (gross prices).
    pub lines: Vec<NewLine>,
    /// Discounts on the whole sale.
    #[serde(default)]
    pub discounts: Vec<NewDiscount>,
    /// The customer, if known.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// How it is paid.
    pub payment: CounterPayment,
    /// The till's own reference (makes retries safe).
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// The result of a counter sale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CounterSaleResult {
    /// The order, completed.
    pub order: Order,
    /// The shipment, handed over.
    pub shipment: Shipment,
    /// The receipt.
    pub receipt: Receipt,
}

impl Oms {
    /// A sale at a store counter in one command: the order is placed, paid (captured),
    /// taken from that store's stock and handed over, and a receipt comes back. Retrying
    /// with the same `external_ref` returns the same sale.
    ///
    /// ```
    /// # use ordo::*;
    /// # use rust_decimal::Decimal;
    /// let oms = Oms::in_memory();
    /// oms.add_channel(NewChannel::new("pos", "Stores"))?;
    /// let store = oms.add_location(NewLocation::store("mitte", "Filiale Mitte"))?.id;
    /// oms.receive_stock(ReceiveStock::new("MUG", store, 5))?;
    /// let sale = oms.sell_at_counter(CounterSale {
    ///     location: store,
    ///     channel: "pos".into(),
    ///     currency: "EUR".into(),
    ///     lines: vec![NewLine::new("MUG", 2, Decimal::new(990, 2)).tax_rate(Decimal::new(19, 2))],
    ///     discounts: vec![],
    ///     customer: None,
    ///     payment: CounterPayment::cash(Decimal::new(2000, 2)),
    ///     external_ref: Some("till-1/0001".into()),
    /// })?;
    /// assert_eq!(sale.order.state, OrderState::Completed);
    /// assert_eq!(sale.receipt.change.map(|m| m.amount()), Some(Decimal::new(20, 2)));
    /// assert_eq!(oms.stock("MUG")?[0].on_hand, 3);
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// Input errors as for `place_order`, and for an empty payment method or cash that does
    /// not cover the total; `NotFound` for the store or channel; `InsufficientStock` when the
    /// store has fewer units available (nothing is sold then).
    pub fn sell_at_counter(&self, sale: CounterSale) -> Result<CounterSaleResult> {
        self.command("sell_at_counter", &sale, |ctx| {
            let store = ctx.location(sale.location)?;
            if !store.active || !store.pickup {
                return Err(InputError::new("location", format!("{} does not serve customers in person", store.name)).into());
            }
            let method = sale.payment.method.trim();
            if method.is_empty() {
                return Err(InputError::new("payment.method", "must not be empty").into());
            }
            let mut new = NewOrder::new(sale.channel.clone(), sale.currency.clone(), sale.lines.clone())
                .delivery(DeliveryMethod::Pickup { location: sale.location })
                .payment_method(PaymentMethod::Prepaid);
            new.external_ref = sale.external_ref.clone();
            new.discounts = sale.discounts.clone();
            new.customer = sale.customer.clone().unwrap_or_else(|| Customer { name: "Counter sale".into(), ..Customer::default() });
            new.metadata.insert(META_METHOD.into(), method.to_owned());
            if let Some(t) = sale.payment.tendered {
                new.metadata.insert(META_TENDERED.into(), t.to_string());
            }
            if let Some(r) = &sale.payment.reference {
                new.metadata.insert(META_REFERENCE.into(), r.clone());
            }
            let fp = super::fingerprint("sell_at_counter", &new)?;
            let mut order = self.place_order_body("sell_at_counter", &new, fp)(ctx)?;
            if order.state != OrderState::Placed {
                // The same sale again (same till reference and content): return it.
                let shipment = ctx
                    .tx
                    .shipments_of_order(order.id)?
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::not_found("shipment of order", &order.number))?;
                let receipt = receipt(&order, &store)?;
                return Ok(CounterSaleResult { order, shipment, receipt });
            }
            let total = order.totals.total;
            if let Some(t) = sale.payment.tendered {
                let t = Money::new(t, order.currency)?;
                if t.amount() < total.amount() {
                    return Err(InputError::new("payment.tendered", format!("{t} does not cover the total {total}")).into());
                }
            }
            sell(ctx, &mut order, &store, sale.payment.reference.clone())
        })
    }

    /// The receipt of a counter sale, for a reprint.
    ///
    /// # Errors
    /// `NotFound` for the order; `InvalidInput` when it is not a counter sale.
    pub fn counter_receipt(&self, order_id: OrderId) -> Result<Receipt> {
        self.query(|ctx| {
            let order = ctx.order(order_id)?;
            let DeliveryMethod::Pickup { location } = order.delivery else {
                return Err(InputError::new("order", "not a counter sale").into());
            };
            if !order.metadata.contains_key(META_METHOD) {
                return Err(InputError::new("order", "not a counter sale").into());
            }
            let store = ctx.location(location)?;
            receipt(&order, &store)
        })
    }
}

fn sell(ctx: &mut Ctx<'_>, order: &mut Order, store: &Location, reference: Option<String>) -> Result<CounterSaleResult> {
    let mut want: BTreeMap<String, u32> = BTreeMap::new();
    for l in &order.lines {
        *want.entry(l.sku.clone()).or_default() += l.quantities.open();
    }
    for (sku, q) in &want {
        let level = ctx.level(sku, store.id)?;
        if level.available() < *q {
            return Err(Error::InsufficientStock {
                sku: sku.clone(),
                location: Some(store.code.clone()),
                requested: *q,
                available: level.available(),
            });
        }
    }
    let total = order.totals.total;
    order.payments.push(PaymentRecord {
        id: PaymentId::new(),
        kind: PaymentKind::Captured,
        amount: total,
        reference: reference.clone(),
        at: ctx.now,
    });
    let mut lines = Vec::new();
    for l in &mut order.lines {
        let q = l.quantities.open();
        ctx.move_stock(&l.sku, store.id, MovementKind::Shipped, -i64::from(q), 0, Some("counter sale".into()), Some(order.id))?;
        let qs = &mut l.quantities;
        (qs.allocated, qs.picked, qs.packed, qs.shipped, qs.delivered) = (q, q, q, q, q);
        lines.push(ShipmentLine { line: l.id, sku: l.sku.clone(), quantity: q, picked: q });
    }
    let mut shipment = Shipment {
        id: ShipmentId::new(),
        order_id: order.id,
        location: store.id,
        state: ShipmentState::PickedUp,
        lines,
        packages: Vec::new(),
        carrier: None,
        service: None,
        tracking_number: None,
        tracking_url: None,
        pick_list: None,
        tracking: Vec::new(),
        created_at: ctx.now,
        shipped_at: Some(ctx.now),
        delivered_at: Some(ctx.now),
        version: 0,
    };
    ctx.save_shipment(&mut shipment)?;
    order.state = OrderState::Completed;
    ctx.save_order(order)?;
    let units: Vec<LineUnits> =
        shipment.lines.iter().map(|l| LineUnits { line: l.line, sku: l.sku.clone(), quantity: l.quantity }).collect();
    ctx.emit(Some(order.id), EventKind::PaymentRecorded { kind: PaymentKind::Captured, amount: total, reference });
    ctx.emit(Some(order.id), EventKind::OrderConfirmed);
    ctx.emit(Some(order.id), EventKind::ShipmentCreated { shipment_id: shipment.id, location: store.id, lines: units });
    ctx.emit(Some(order.id), EventKind::ShipmentHandedOver { shipment_id: shipment.id, capture_due: Money::zero(order.currency) });
    ctx.emit(Some(order.id), EventKind::OrderCompleted);
    let receipt = receipt(order, store)?;
    Ok(CounterSaleResult { order: order.clone(), shipment, receipt })
}

fn receipt(order: &Order, store: &Location) -> Result<Receipt> {
    let c = order.currency;
    let mut taxes: BTreeMap<Decimal, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    let lines = order
        .lines
        .iter()
        .map(|l| {
            let t = taxes.entry(l.tax_rate.normalize()).or_default();
            t.0 += l.amounts.net.amount();
            t.1 += l.amounts.tax.amount();
            t.2 += l.amounts.gross.amount();
            ReceiptLine {
                sku: l.sku.clone(),
                name: l.name.clone(),
                quantity: l.quantities.ordered,
                unit_price: l.unit_price,
                total: l.amounts.gross,
                tax_rate: l.tax_rate,
            }
        })
        .collect();
    let order_discount: Decimal = order.lines.iter().map(|l| l.amounts.order_discount.amount()).sum();
    let tendered = match order.metadata.get(META_TENDERED) {
        Some(t) => Some(Money::new(crate::money::parse_decimal(t)?, c)?),
        None => None,
    };
    let change = tendered.map(|t| t.checked_sub(order.totals.total)).transpose().map_err(|e: MoneyError| Error::from(e))?;
    let mut store_lines = vec![store.name.clone()];
    if let Some(a) = &store.address {
        store_lines.extend(a.lines().into_iter().filter(|l| *l != store.name));
    }
    Ok(Receipt {
        number: order.number.clone(),
        store: store_lines,
        at: order.placed_at,
        lines,
        discount: Money::rounded(order_discount, c),
        taxes: taxes
            .into_iter()
            .map(|(rate, (net, tax, gross))| TaxLine {
                rate,
                net: Money::rounded(net, c),
                tax: Money::rounded(tax, c),
                gross: Money::rounded(gross, c),
            })
            .collect(),
        total: order.totals.total,
        payment_method: order.metadata.get(META_METHOD).cloned().unwrap_or_default(),
        tendered,
        change,
        payment_reference: order.metadata.get(META_REFERENCE).cloned(),
    })
}
