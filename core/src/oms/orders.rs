//! Capture and validation (steps 1 and 2), payments, holds, edits and cancellation.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{ConflictError, Error, InputError, MoneyError, Result};
use crate::event::EventKind;
use crate::ids::{OrderId, PaymentId};
use crate::inventory::MovementKind;
use crate::money::{Currency, Money};
use crate::order::{DeliveryMethod, NewOrder, Order, OrderCommand, OrderState};
use crate::payment::{NewPayment, PaymentKind, PaymentRecord};
use crate::shipment::{ShipmentCommand, ShipmentState};
use crate::store::OrderQuery;
use crate::validation::{HoldCode, HoldReason, ValidationContext};

/// A hold to put on an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    /// Reason code, e.g. `"payment_review"` or a code of the host's own.
    pub code: String,
    /// Sentence for the person who resolves it.
    #[serde(default)]
    pub message: String,
}

impl NewHold {
    /// A hold with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        NewHold { code: code.into(), message: message.into() }
    }
}

impl Oms {
    /// Step 1, capture: places an order from a sales channel.
    ///
    /// The order is `placed` and gets the next order number. Placing the same order again
    /// (same channel and external reference, same content) returns the stored order and
    /// stores nothing new; the same reference with different content is a
    /// [`ConflictError::DuplicateOrder`]. Duplicate orders cannot happen.
    ///
    /// # Errors
    /// Input errors (empty order, zero quantity, empty SKU, unknown currency, amounts with
    /// more decimals than the currency, negative amounts, discounts above the total),
    /// `NotFound` for an unknown channel or pickup location, `Conflict` as above.
    pub fn place_order(&self, new: NewOrder) -> Result<Order> {
        let fp = super::fingerprint("place_order", &new)?;
        self.command("place_order", &new, self.place_order_body("place_order", &new, fp))
    }

    /// The body of [`Oms::place_order`], run inside a command's transaction; also used by
    /// [`Oms::import_orders`] for every order of a batch.
    ///
    /// `fp` is the fingerprint of `new` under the command name `command`; placing an order
    /// whose channel and external reference exist already returns the stored order when
    /// the fingerprints match.
    pub(super) fn place_order_body<'a>(
        &'a self,
        command: &'static str,
        new: &'a NewOrder,
        fp: u64,
    ) -> impl Fn(&mut Ctx<'_>) -> Result<Order> + 'a {
        move |ctx| {
            let mut order = new.build(ctx.now)?;
            order.fingerprint = fp;
            ctx.channel(&order.channel)?;
            if let DeliveryMethod::Pickup { location } = &order.delivery {
                let loc = ctx.location(*location)?;
                if !loc.pickup || !loc.active {
                    return Err(InputError::new("delivery.location", format!("{} does not offer pickup", loc.name)).into());
                }
            }
            if let Some(r) = &order.external_ref
                && let Some(existing) = ctx.tx.order_by_ref(&order.channel, r)?
            {
                let existing = ctx.order(existing)?;
                if crate::fingerprint::matches(command, new, fp, existing.fingerprint) {
                    return Ok(existing);
                }
                return Err(ConflictError::DuplicateOrder {
                    channel: order.channel.clone(),
                    external_ref: r.clone(),
                    existing: existing.id.to_string(),
                }
                .into());
            }
            if let Some(cart) = order.cart_ref.clone() {
                self.sweep_holds(ctx)?;
                match ctx.tx.stock_hold(&cart)? {
                    Some(h) if h.order_id.is_some() => {
                        return Err(ConflictError::AlreadyExists { entity: "order for cart", key: cart }.into());
                    }
                    Some(mut h) => {
                        h.order_id = Some(order.id);
                        ctx.tx.put_stock_hold(&h)?;
                    }
                    // The hold lapsed (or never existed): the order is placed without one.
                    None => order.cart_ref = None,
                }
            }
            let n = ctx.tx.next_number("order")?;
            order.number = format!("{}{}", self.inner.order_number_prefix, self.inner.order_number_offset + n);
            ctx.save_order(&mut order)?;
            ctx.emit(
                Some(order.id),
                EventKind::OrderPlaced {
                    number: order.number.clone(),
                    channel: order.channel.clone(),
                    external_ref: order.external_ref.clone(),
                    total: order.totals.total,
                },
            );
            Ok(order)
        }
    }

    /// The order with `id`.
    ///
    /// # Errors
    /// `NotFound`.
    pub fn get_order(&self, id: OrderId) -> Result<Order> {
        self.query(|ctx| ctx.order(id))
    }

    /// Finds an order by its number (`"1042"`) or by `channel/external_ref`.
    ///
    /// # Errors
    /// `NotFound` when no order matches.
    pub fn find_order(&self, reference: &str) -> Result<Order> {
        self.query(|ctx| {
            let r = reference.trim();
            let mut id = ctx.tx.order_by_number(r)?;
            if id.is_none()
                && let Some((channel, ext)) = r.split_once('/')
            {
                id = ctx.tx.order_by_ref(channel, ext)?;
            }
            match id {
                Some(id) => ctx.order(id),
                None => Err(Error::not_found("order", r)),
            }
        })
    }

    /// Orders matching `query`, oldest first.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn list_orders(&self, query: &OrderQuery) -> Result<Vec<Order>> {
        self.query(|ctx| ctx.tx.orders(query))
    }

    /// Records what the payment provider reported (authorized, captured, voided, failed,
    /// refunded, charged back). The order's payment status is derived from all records.
    ///
    /// # Errors
    /// `CurrencyMismatch` when the currency is not the order's; `InvalidAmount` for
    /// negative or too precise amounts; `Conflict` when a capture would exceed the order
    /// total, a refund the captured money, or a void the open authorization.
    pub fn record_payment(&self, order_id: OrderId, payment: NewPayment) -> Result<Order> {
        self.command("record_payment", &(order_id, &payment), |ctx| {
            let mut order = ctx.order(order_id)?;
            let currency = Currency::from_code(payment.currency.trim())?;
            if currency != order.currency {
                return Err(MoneyError::CurrencyMismatch { expected: order.currency.to_string(), found: currency.to_string() }.into());
            }
            if payment.amount.is_sign_negative() && !payment.amount.is_zero() {
                return Err(MoneyError::Negative { field: "amount".into(), amount: payment.amount }.into());
            }
            let amount = Money::new(payment.amount, currency)?;
            let p = order.payment;
            let a = amount.amount();
            let exceeds = match payment.kind {
                PaymentKind::Captured if p.captured.amount() + a > order.totals.total.amount() => {
                    Some(format!("capturing {a} would exceed the order total {}", order.totals.total))
                }
                PaymentKind::Refunded | PaymentKind::ChargedBack if p.refunded.amount() + a > p.captured.amount() => {
                    Some(format!("refunding {a} would exceed the captured {} (already refunded {})", p.captured, p.refunded))
                }
                PaymentKind::Voided if a > p.open_authorization() => {
                    Some(format!("voiding {a} exceeds the open authorization {}", p.open_authorization()))
                }
                _ => None,
            };
            if let Some(msg) = exceeds {
                return Err(ConflictError::Exceeds(msg).into());
            }
            order.payments.push(PaymentRecord {
                id: PaymentId::new(),
                kind: payment.kind,
                amount,
                reference: payment.reference.clone(),
                at: payment.at.unwrap_or(ctx.now),
            });
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::PaymentRecorded { kind: payment.kind, amount, reference: payment.reference.clone() });
            Ok(order)
        })
    }

    /// Step 2, validate: runs every validator over a placed order. Passing orders become
    /// `confirmed`; others go `on_hold` with every reason found, an event asks the host to
    /// tell the customer, and the order is listed in [`Oms::exceptions`].
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is `placed`.
    pub fn validate_order(&self, order_id: OrderId) -> Result<Order> {
        self.command("validate_order", &order_id, |ctx| {
            let mut order = ctx.order(order_id)?;
            if order.state != OrderState::Placed {
                return Err(Error::transition("order", order.number.clone(), order.state, "validate"));
            }
            let reasons = self.run_validators(ctx, &order)?;
            if reasons.is_empty() {
                order.state = OrderState::Confirmed;
                ctx.save_order(&mut order)?;
                ctx.emit(Some(order.id), EventKind::OrderConfirmed);
            } else {
                for r in &reasons {
                    order.add_hold(r.clone(), ctx.now);
                }
                ctx.save_order(&mut order)?;
                emit_hold(ctx, &order, reasons);
            }
            Ok(order)
        })
    }

    fn run_validators(&self, ctx: &mut Ctx<'_>, order: &Order) -> Result<Vec<HoldReason>> {
        let mut vc = ValidationContext::default();
        let eligible = super::allocation::eligible_locations(ctx, order)?;
        let held = super::allocation::held_for(ctx, order)?;
        for line in &order.lines {
            if !vc.available.contains_key(&line.sku) {
                let a = self.available_for(ctx, &line.sku, &eligible, held.as_ref())?;
                vc.available.insert(line.sku.clone(), a);
                if ctx.tx.sku_settings(&line.sku)?.is_some_and(|s| s.backorder.allows_backorder()) {
                    vc.backorderable.insert(line.sku.clone());
                }
            }
        }
        Ok(self.inner.validators.iter().flat_map(|v| v.validate(order, &vc)).collect())
    }

    /// Puts an order on hold (from `placed`, `confirmed` or `in_fulfillment`); a held
    /// order does not move forward until released. Holding a held order adds the reason.
    ///
    /// # Errors
    /// `InvalidInput` for an empty code; `InvalidTransition` from other states.
    pub fn hold_order(&self, order_id: OrderId, hold: NewHold) -> Result<Order> {
        self.command("hold_order", &(order_id, &hold), |ctx| {
            if hold.code.trim().is_empty() {
                return Err(InputError::new("code", "must not be empty").into());
            }
            let mut order = ctx.order(order_id)?;
            let message = if hold.message.trim().is_empty() { hold.code.clone() } else { hold.message.clone() };
            let reason = HoldReason::new(HoldCode::parse(hold.code.trim()), message);
            if order.state != OrderState::OnHold && !order.state.allows(OrderCommand::Hold) {
                return Err(Error::transition("order", order.number.clone(), order.state, "hold"));
            }
            order.add_hold(reason.clone(), ctx.now);
            ctx.save_order(&mut order)?;
            emit_hold(ctx, &order, vec![reason]);
            Ok(order)
        })
    }

    /// Releases a held order. An order held by validation (address, payment, unknown SKU,
    /// insufficient stock, before confirmation) is validated again and, when it now passes,
    /// becomes `confirmed`; other holds return the order to the state it was held from — or
    /// to `completed` when everything was delivered meanwhile.
    ///
    /// # Errors
    /// `InvalidTransition` unless on hold; `ValidationFailed` (nothing changed) when
    /// validation still finds problems.
    pub fn release_order(&self, order_id: OrderId, note: Option<String>) -> Result<Order> {
        self.command("release_order", &(order_id, &note), |ctx| {
            let mut order = ctx.order(order_id)?;
            if order.state != OrderState::OnHold {
                return Err(Error::transition("order", order.number.clone(), order.state, "release"));
            }
            let from = order.held_from.unwrap_or(OrderState::Placed);
            let revalidate = from == OrderState::Placed && order.holds.iter().any(|h| h.code.is_validation());
            let mut to = from;
            if revalidate {
                let reasons = self.run_validators(ctx, &order)?;
                if !reasons.is_empty() {
                    return Err(Error::ValidationFailed { order_id: order.id.to_string(), reasons });
                }
                to = OrderState::Confirmed;
            }
            // Everything arrived while the order was held: it is done.
            let completes = to == OrderState::InFulfillment && order.is_fully_delivered();
            if completes {
                to = OrderState::Completed;
            }
            order.state = to;
            order.clear_holds();
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::OrderReleased { state: order.state, note: note.clone() });
            if revalidate {
                ctx.emit(Some(order.id), EventKind::OrderConfirmed);
            }
            if completes {
                ctx.emit(Some(order.id), EventKind::OrderCompleted);
            }
            Ok(order)
        })
    }

    /// Cancels a whole order that has not shipped anything: reservations are released,
    /// open shipments cancelled, and captured money is announced as a refund due.
    ///
    /// # Errors
    /// `InvalidTransition` when completed, cancelled, or anything has shipped.
    pub fn cancel_order(&self, order_id: OrderId, reason: &str) -> Result<Order> {
        self.command("cancel_order", &(order_id, reason), |ctx| {
            let mut order = ctx.order(order_id)?;
            if !order.state.allows(OrderCommand::Cancel) || order.any_shipped() {
                return Err(Error::transition("order", order.number.clone(), order.state, "cancel"));
            }
            for mut s in ctx.tx.shipments_of_order(order.id)? {
                if !s.state.allows(ShipmentCommand::Cancel) {
                    continue;
                }
                for l in &s.lines {
                    let release = -i64::from(l.quantity);
                    ctx.move_stock(&l.sku, s.location, MovementKind::Released, 0, release, Some("order cancelled".into()), Some(order.id))?;
                }
                s.state = ShipmentState::Cancelled;
                ctx.save_shipment(&mut s)?;
                ctx.emit(Some(order.id), EventKind::ShipmentCancelled { shipment_id: s.id });
            }
            if let Some(hold) = super::allocation::held_for(ctx, &order)? {
                super::allocation::release_hold(ctx, &hold, "order cancelled")?;
                ctx.tx.delete_stock_hold(&hold.cart_ref)?;
            }
            for l in &mut order.lines {
                let q = &mut l.quantities;
                q.cancelled = q.ordered;
                q.allocated = 0;
                q.backordered = 0;
                q.picked = 0;
                q.packed = 0;
            }
            order.state = OrderState::Cancelled;
            order.clear_holds();
            let refund_due = Money::rounded(order.payment.net_captured().max(Decimal::ZERO), order.currency);
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::OrderCancelled { reason: reason.to_owned(), refund_due });
            Ok(order)
        })
    }
}

fn emit_hold(ctx: &mut Ctx<'_>, order: &Order, reasons: Vec<HoldReason>) {
    let message =
        format!("Order {} is on hold: {}", order.number, reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "));
    ctx.emit(Some(order.id), EventKind::OrderHeld { reasons });
    ctx.emit(Some(order.id), EventKind::CustomerNotificationRequired { topic: "order_on_hold".into(), message });
}
