//! Step 7: returns — request, approve or reject, receive, inspect, resolve.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use super::Oms;
use super::context::Ctx;
use crate::error::{Error, InputError, MoneyError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LineId, LocationId, OrderId, PaymentId, ReturnId};
use crate::inventory::{MovementKind, ShippingRefund};
use crate::money::Money;
use crate::order::{NewLine, NewOrder, Order, PaymentMethod};
use crate::payment::{PaymentKind, PaymentRecord};
use crate::returns::{Disposition, Inspection, Resolution, Return, ReturnCommand, ReturnLine, ReturnReason, ReturnState};

/// Units of one order line in a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnUnits {
    /// The order line.
    pub line: LineId,
    /// Units.
    pub quantity: u32,
    /// For exchanges: the SKU wanted instead (default: the same SKU).
    #[serde(default)]
    pub exchange_sku: Option<String>,
    /// For exchanges: the replacement's unit price (default: the line's unit price).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub exchange_unit_price: Option<Decimal>,
}

impl ReturnUnits {
    /// `quantity` units of `line`.
    #[must_use]
    pub fn new(line: LineId, quantity: u32) -> Self {
        ReturnUnits { line, quantity, exchange_sku: None, exchange_unit_price: None }
    }

    /// Exchanged for `sku` at `unit_price` (or the line's price when `None`).
    #[must_use]
    pub fn exchange_for(mut self, sku: impl Into<String>, unit_price: Option<Decimal>) -> Self {
        self.exchange_sku = Some(sku.into());
        self.exchange_unit_price = unit_price;
        self
    }
}

/// Input of [`Oms::request_return`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    /// What comes back.
    pub lines: Vec<ReturnUnits>,
    /// Why.
    #[serde(default)]
    pub reason: ReturnReason,
    /// The customer's words.
    #[serde(default)]
    pub note: Option<String>,
    /// What the customer wants.
    #[serde(default)]
    pub resolution: Resolution,
}

impl ReturnRequest {
    /// A return of `lines` for `reason`, refunded.
    #[must_use]
    pub fn new(lines: Vec<ReturnUnits>, reason: ReturnReason) -> Self {
        ReturnRequest { lines, reason, note: None, resolution: Resolution::Refund }
    }
}

/// Input of [`Oms::receive_return`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveReturn {
    /// Where the goods arrived (any location, a store counter too).
    pub location: LocationId,
    /// Units received; empty means everything still expected.
    #[serde(default)]
    pub lines: Vec<ReturnUnits>,
}

impl ReceiveReturn {
    /// Everything expected arrived at `location`.
    #[must_use]
    pub fn all_at(location: LocationId) -> Self {
        ReceiveReturn { location, lines: Vec::new() }
    }
}

fn guard(r: &Return, command: ReturnCommand) -> Result<()> {
    if r.state.allows(command) { Ok(()) } else { Err(Error::transition("return", &r.rma_number, r.state, command.name())) }
}

impl Oms {
    /// Requests a return of shipped units, within the channel's return window counted
    /// from delivery. Each return gets an RMA number.
    ///
    /// # Errors
    /// `InvalidInput` for no lines, unknown lines, zero quantities, or more units than
    /// shipped and not already in another return; `ReturnWindowClosed` after the window.
    pub fn request_return(&self, order_id: OrderId, request: ReturnRequest) -> Result<Return> {
        self.command("request_return", &(order_id, &request), |ctx| {
            let order = ctx.order(order_id)?;
            if request.lines.is_empty() {
                return Err(InputError::new("lines", "a return needs at least one line").into());
            }
            let channel = ctx.channel(&order.channel)?;
            let earlier = ctx.tx.returns_of_order(order.id)?;
            let shipments = ctx.tx.shipments_of_order(order.id)?;
            let mut lines: Vec<ReturnLine> = Vec::new();
            for (i, u) in request.lines.iter().enumerate() {
                let field = |n: &str| format!("lines[{i}].{n}");
                let Some(line) = order.line(u.line) else {
                    return Err(InputError::new(field("line"), format!("order {} has no line {}", order.number, u.line)).into());
                };
                if u.quantity == 0 {
                    return Err(InputError::new(field("quantity"), "must be at least 1").into());
                }
                let in_returns: u32 = earlier
                    .iter()
                    .filter(|r| !matches!(r.state, ReturnState::Rejected | ReturnState::Cancelled))
                    .flat_map(|r| &r.lines)
                    .filter(|l| l.line == u.line)
                    .map(|l| l.quantity)
                    .sum::<u32>()
                    + lines.iter().filter(|l| l.line == u.line).map(|l| l.quantity).sum::<u32>();
                let returnable = line.quantities.shipped.saturating_sub(in_returns);
                if u.quantity > returnable {
                    return Err(InputError::new(
                        field("quantity"),
                        format!(
                            "{} units of {} requested, {returnable} returnable ({} shipped, {in_returns} already in returns)",
                            u.quantity, line.sku, line.quantities.shipped
                        ),
                    )
                    .into());
                }
                let delivered = shipments.iter().filter(|s| s.lines.iter().any(|l| l.line == u.line)).filter_map(|s| s.delivered_at).max();
                // A window reaching past the last representable time never closes.
                let closes = delivered.and_then(|d| d.checked_add_signed(Duration::days(i64::from(channel.return_window_days))));
                if let Some(closes) = closes
                    && ctx.now > closes
                {
                    return Err(Error::ReturnWindowClosed { order_id: order.id.to_string(), sku: line.sku.clone(), closed_at: closes });
                }
                let (mut exchange_sku, mut exchange_unit_price) = (None, None);
                if request.resolution == Resolution::Exchange {
                    let sku = u.exchange_sku.as_deref().map_or(line.sku.as_str(), str::trim).to_owned();
                    if sku.is_empty() {
                        return Err(InputError::new(field("exchange_sku"), "must not be empty").into());
                    }
                    if ctx.tx.stock_of_sku(&sku)?.is_empty() && ctx.tx.sku_settings(&sku)?.is_none() {
                        return Err(Error::not_found("sku", &sku));
                    }
                    let price = match u.exchange_unit_price {
                        Some(p) if p.is_sign_negative() && !p.is_zero() => {
                            return Err(MoneyError::Negative { field: field("exchange_unit_price"), amount: p }.into());
                        }
                        Some(p) => Money::new(p, order.currency)?,
                        None => line.unit_price,
                    };
                    (exchange_sku, exchange_unit_price) = (Some(sku), Some(price));
                } else if u.exchange_sku.is_some() || u.exchange_unit_price.is_some() {
                    return Err(InputError::new(field("exchange_sku"), "only for the resolution `exchange`").into());
                }
                lines.push(ReturnLine {
                    line: u.line,
                    sku: line.sku.clone(),
                    quantity: u.quantity,
                    received: 0,
                    restocked: 0,
                    written_off: 0,
                    repaired: 0,
                    returned_to_vendor: 0,
                    exchange_sku,
                    exchange_unit_price,
                });
            }
            let mut r = Return {
                id: ReturnId::new(),
                rma_number: format!("R-{}-{}", order.number, earlier.len() + 1),
                order_id: order.id,
                state: ReturnState::Requested,
                reason: request.reason,
                note: request.note.clone(),
                resolution: request.resolution,
                lines,
                label: None,
                rejection: None,
                received_at_location: None,
                received_at: None,
                refund: None,
                amount_due: None,
                follow_up_order: None,
                requested_at: ctx.now,
                resolved_at: None,
                version: 0,
            };
            ctx.save_return(&mut r)?;
            let units = r.lines.iter().map(|l| LineUnits { line: l.line, sku: l.sku.clone(), quantity: l.quantity }).collect();
            ctx.emit(Some(order.id), EventKind::ReturnRequested { return_id: r.id, rma_number: r.rma_number.clone(), lines: units });
            Ok(r)
        })
    }

    /// The return with `id`.
    ///
    /// # Errors
    /// `NotFound`.
    pub fn get_return(&self, id: ReturnId) -> Result<Return> {
        self.query(|ctx| ctx.return_(id))
    }

    /// The returns of an order.
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn returns(&self, order_id: OrderId) -> Result<Vec<Return>> {
        self.query(|ctx| {
            ctx.order(order_id)?;
            let mut r = ctx.tx.returns_of_order(order_id)?;
            r.sort_by_key(|r| r.id);
            Ok(r)
        })
    }

    /// Approves a requested return, optionally with a return label reference.
    ///
    /// # Errors
    /// `InvalidTransition` unless requested.
    pub fn approve_return(&self, return_id: ReturnId, label: Option<String>) -> Result<Return> {
        self.command("approve_return", &(return_id, &label), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Approve)?;
            r.state = ReturnState::Approved;
            r.label = label.clone();
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnApproved { return_id: r.id, label: label.clone() });
            Ok(r)
        })
    }

    /// Rejects a requested return with a reason.
    ///
    /// # Errors
    /// `InvalidInput` for an empty reason; `InvalidTransition` unless requested.
    pub fn reject_return(&self, return_id: ReturnId, reason: &str) -> Result<Return> {
        self.command("reject_return", &(return_id, reason), |ctx| {
            if reason.trim().is_empty() {
                return Err(InputError::new("reason", "a rejection needs a reason").into());
            }
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Reject)?;
            r.state = ReturnState::Rejected;
            r.rejection = Some(reason.to_owned());
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnRejected { return_id: r.id, reason: reason.to_owned() });
            Ok(r)
        })
    }

    /// Withdraws a return that is requested or approved (nothing received yet).
    ///
    /// # Errors
    /// `InvalidTransition` once goods were received, or when already closed.
    pub fn cancel_return(&self, return_id: ReturnId, reason: &str) -> Result<Return> {
        self.command("cancel_return", &(return_id, reason), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Cancel)?;
            r.state = ReturnState::Cancelled;
            r.rejection = Some(reason.to_owned());
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnCancelled { return_id: r.id, reason: reason.to_owned() });
            Ok(r)
        })
    }

    /// Books returned goods received at a location (partial receipts allowed). The
    /// goods wait for inspection before they count as stock again.
    ///
    /// # Errors
    /// `InvalidTransition` unless approved, received or inspected; `InvalidInput` for
    /// lines not in the return, more units than expected, or a second location.
    pub fn receive_return(&self, return_id: ReturnId, receipt: ReceiveReturn) -> Result<Return> {
        self.command("receive_return", &(return_id, &receipt), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Receive)?;
            ctx.location(receipt.location)?;
            if r.received_at_location.is_some_and(|l| l != receipt.location) {
                return Err(InputError::new("location", "goods of one return are received at one location").into());
            }
            let wanted: Vec<ReturnUnits> = if receipt.lines.is_empty() {
                r.lines.iter().filter(|l| l.quantity > l.received).map(|l| ReturnUnits::new(l.line, l.quantity - l.received)).collect()
            } else {
                receipt.lines.clone()
            };
            if wanted.is_empty() {
                return Err(InputError::new("lines", "everything of this return was received already").into());
            }
            let mut order = ctx.order(r.order_id)?;
            let mut got = Vec::new();
            for (i, u) in wanted.iter().enumerate() {
                let Some(rl) = r.lines.iter_mut().find(|l| l.line == u.line) else {
                    return Err(
                        InputError::new(format!("lines[{i}].line"), format!("line {} is not in return {}", u.line, r.rma_number)).into()
                    );
                };
                if u.quantity == 0 || rl.received + u.quantity > rl.quantity {
                    return Err(InputError::new(
                        format!("lines[{i}].quantity"),
                        format!("{} units received, {} expected", u.quantity, rl.quantity - rl.received),
                    )
                    .into());
                }
                rl.received += u.quantity;
                if let Some(ol) = order.line_mut(u.line) {
                    ol.quantities.returned += u.quantity;
                }
                got.push(LineUnits { line: u.line, sku: rl.sku.clone(), quantity: u.quantity });
            }
            r.state = ReturnState::Received;
            r.received_at_location = Some(receipt.location);
            r.received_at = Some(ctx.now);
            ctx.save_return(&mut r)?;
            ctx.save_order(&mut order)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnReceived { return_id: r.id, location: receipt.location, lines: got });
            Ok(r)
        })
    }

    /// Inspects received units: restock puts them back into available stock at the
    /// receiving location; write-off records them as lost to the books. The return is
    /// `inspected` once every received unit has a decision.
    ///
    /// # Errors
    /// `InvalidTransition` unless received; `InvalidInput` for units not received or
    /// already inspected.
    pub fn inspect_return(&self, return_id: ReturnId, inspections: Vec<Inspection>) -> Result<Return> {
        self.command("inspect_return", &(return_id, &inspections), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Inspect)?;
            if inspections.is_empty() {
                return Err(InputError::new("inspections", "at least one decision").into());
            }
            let location = r.received_at_location.ok_or_else(|| InputError::new("return", "nothing received yet"))?;
            for (i, d) in inspections.iter().enumerate() {
                let Some(rl) = r.lines.iter_mut().find(|l| l.line == d.line) else {
                    return Err(InputError::new(
                        format!("inspections[{i}].line"),
                        format!("line {} is not in return {}", d.line, r.rma_number),
                    )
                    .into());
                };
                if d.quantity == 0 || d.quantity > rl.uninspected() {
                    return Err(InputError::new(
                        format!("inspections[{i}].quantity"),
                        format!("{} units to inspect, {} received and not inspected", d.quantity, rl.uninspected()),
                    )
                    .into());
                }
                let sku = rl.sku.clone();
                let q = i64::from(d.quantity);
                match d.disposition {
                    Disposition::Restock => {
                        rl.restocked += d.quantity;
                        ctx.move_stock(&sku, location, MovementKind::Restocked, q, 0, d.note.clone(), Some(r.order_id))?;
                    }
                    Disposition::WriteOff => {
                        rl.written_off += d.quantity;
                        let reason = Some(d.note.clone().unwrap_or_else(|| "returned goods written off".into()));
                        ctx.move_stock(&sku, location, MovementKind::WrittenOff, 0, 0, reason, Some(r.order_id))?;
                    }
                    Disposition::Repair => rl.repaired += d.quantity,
                    Disposition::ReturnToVendor => {
                        rl.returned_to_vendor += d.quantity;
                        let reason = Some(d.note.clone().unwrap_or_else(|| "returned to the vendor".into()));
                        ctx.move_stock(&sku, location, MovementKind::ReturnedToVendor, 0, 0, reason, Some(r.order_id))?;
                    }
                }
            }
            if r.lines.iter().all(|l| l.uninspected() == 0) {
                r.state = ReturnState::Inspected;
            }
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnInspected { return_id: r.id, dispositions: inspections.clone() });
            Ok(r)
        })
    }

    /// Resolves an inspected return by its wanted resolution:
    ///
    /// * **refund** / **store credit**: each received unit's exact share of what the
    ///   customer paid for its line (after discounts, tax included); the shipping charge
    ///   too, once every unit came back and the channel refunds shipping. An event says the
    ///   money is due; record the provider's refund with [`record_payment`](Oms::record_payment).
    /// * **exchange**: a linked replacement order (the exchange SKUs, same customer and
    ///   address) is placed and goes through validation and allocation like any order; the
    ///   returned units' value is recorded on it as paid, and the difference is due from the
    ///   customer (`amount_due`) or refunded (`refund`).
    /// * **repair**: the repaired units go back into stock at the receiving location and a
    ///   free order sends them back to the customer.
    ///
    /// # Errors
    /// `InvalidTransition` unless inspected; `InvalidInput` for a repair whose units were
    /// not all inspected as `repair`.
    pub fn resolve_return(&self, return_id: ReturnId) -> Result<Return> {
        self.command("resolve_return", &return_id, |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Resolve)?;
            let mut order = ctx.order(r.order_id)?;
            let channel = ctx.channel(&order.channel)?;
            let mut value = Money::zero(order.currency);
            // A repair refunds nothing: the units are the customer's and go back.
            for rl in r.lines.iter().filter(|_| r.resolution != Resolution::Repair) {
                if let Some(ol) = order.line_mut(rl.line) {
                    let v = ol.units_value(ol.refunded_units, rl.received);
                    ol.refunded_units += rl.received;
                    ol.refunded = ol.refunded.checked_add(v)?;
                    value = value.checked_add(v)?;
                }
            }
            let everything_back = order.lines.iter().all(|l| l.refunded_units >= l.quantities.ordered);
            if everything_back
                && !order.shipping_refunded
                && channel.shipping_refund == ShippingRefund::WhenAllReturned
                && r.resolution != Resolution::Repair
            {
                value = value.checked_add(order.totals.shipping)?;
                order.shipping_refunded = true;
            }
            match r.resolution {
                Resolution::Refund | Resolution::StoreCredit => r.refund = Some(value),
                Resolution::Exchange => {
                    let replacement = self.replacement_order(ctx, &order, &r, value)?;
                    let diff = replacement.totals.total.checked_sub(value)?;
                    if diff.is_negative() {
                        r.refund = Some(Money::zero(order.currency).checked_sub(diff)?);
                    } else {
                        r.refund = Some(Money::zero(order.currency));
                        r.amount_due = (!diff.is_zero()).then_some(diff);
                    }
                    r.follow_up_order = Some(replacement.id);
                }
                Resolution::Repair => {
                    if r.lines.iter().any(|l| l.repaired != l.received) {
                        return Err(InputError::new("resolution", "a repair needs every received unit inspected as `repair`").into());
                    }
                    let repair = self.repair_order(ctx, &order, &r)?;
                    r.refund = Some(Money::zero(order.currency));
                    r.follow_up_order = Some(repair.id);
                }
            }
            r.state = ReturnState::Resolved;
            r.resolved_at = Some(ctx.now);
            ctx.save_return(&mut r)?;
            ctx.save_order(&mut order)?;
            let refund = r.refund.unwrap_or(Money::zero(order.currency));
            if !refund.is_zero() {
                let resolution = if r.resolution == Resolution::StoreCredit { "store_credit" } else { "refund" };
                ctx.emit(Some(r.order_id), EventKind::RefundDue { return_id: r.id, amount: refund, resolution: resolution.into() });
            }
            if let Some(follow_up) = r.follow_up_order {
                ctx.emit(
                    Some(r.order_id),
                    EventKind::FollowUpOrderPlaced {
                        return_id: r.id,
                        order_id: follow_up,
                        resolution: r.resolution.name().into(),
                        amount_due: r.amount_due.unwrap_or(Money::zero(order.currency)),
                    },
                );
            }
            let outcome = match r.resolution {
                Resolution::Exchange => {
                    format!("replacement order placed; {} due, {} refunded", r.amount_due.unwrap_or(Money::zero(order.currency)), refund)
                }
                Resolution::Repair => "the repaired goods are on their way back".into(),
                other => format!("{} {}", refund, other.name().replace('_', " ")),
            };
            ctx.emit(
                Some(r.order_id),
                EventKind::CustomerNotificationRequired {
                    topic: "return_resolved".into(),
                    message: format!("Return {} of order {} is resolved: {outcome}", r.rma_number, order.number),
                },
            );
            Ok(r)
        })
    }

    /// Places the replacement order of an exchange, paid with the returned value.
    fn replacement_order(&self, ctx: &mut Ctx<'_>, order: &Order, r: &Return, credit: Money) -> Result<Order> {
        let lines = r
            .lines
            .iter()
            .filter(|l| l.received > 0)
            .map(|l| {
                let original = order.line(l.line);
                let sku = l.exchange_sku.clone().unwrap_or_else(|| l.sku.clone());
                let price = l.exchange_unit_price.or(original.map(|o| o.unit_price)).map_or(Decimal::ZERO, |m| m.amount());
                let mut nl = NewLine::new(sku.clone(), l.received, price).tax_rate(original.map_or(Decimal::ZERO, |o| o.tax_rate));
                nl.name = if Some(sku.as_str()) == original.map(|o| o.sku.as_str()) {
                    original.map(|o| o.name.clone()).unwrap_or_default()
                } else {
                    sku
                };
                nl
            })
            .collect();
        let mut placed = self.follow_up(ctx, order, &r.rma_number, lines, "exchange", PaymentMethod::Prepaid)?;
        let paid = Money::rounded(credit.amount().min(placed.totals.total.amount()), placed.currency);
        if !paid.is_zero() {
            placed.payments.push(PaymentRecord {
                id: PaymentId::new(),
                kind: PaymentKind::Captured,
                amount: paid,
                reference: Some(format!("exchange {}", r.rma_number)),
                at: ctx.now,
            });
            ctx.save_order(&mut placed)?;
            ctx.emit(
                Some(placed.id),
                EventKind::PaymentRecorded {
                    kind: PaymentKind::Captured,
                    amount: paid,
                    reference: Some(format!("exchange {}", r.rma_number)),
                },
            );
        }
        Ok(placed)
    }

    /// Restocks repaired units and places the free order that sends them back.
    fn repair_order(&self, ctx: &mut Ctx<'_>, order: &Order, r: &Return) -> Result<Order> {
        let location = r.received_at_location.ok_or_else(|| InputError::new("return", "nothing received"))?;
        let mut lines = Vec::new();
        for l in r.lines.iter().filter(|l| l.repaired > 0) {
            let q = i64::from(l.repaired);
            ctx.move_stock(
                &l.sku,
                location,
                MovementKind::Restocked,
                q,
                0,
                Some(format!("repaired, back to the customer ({})", r.rma_number)),
                Some(order.id),
            )?;
            let original = order.line(l.line);
            let mut nl = NewLine::new(l.sku.clone(), l.repaired, Decimal::ZERO).tax_rate(original.map_or(Decimal::ZERO, |o| o.tax_rate));
            nl.name = original.map(|o| o.name.clone()).unwrap_or_default();
            lines.push(nl);
        }
        self.follow_up(ctx, order, &r.rma_number, lines, "repair", PaymentMethod::Invoice)
    }

    /// Places an order following up a return or claim (`reference`: its RMA or claim
    /// number) for the same customer and address.
    pub(super) fn follow_up(
        &self,
        ctx: &mut Ctx<'_>,
        order: &Order,
        reference: &str,
        lines: Vec<NewLine>,
        kind: &str,
        payment: PaymentMethod,
    ) -> Result<Order> {
        let mut new =
            NewOrder::new(order.channel.clone(), order.currency.code(), lines).payment_method(payment).delivery(order.delivery.clone());
        new.external_ref = Some(format!("{reference}-{kind}"));
        new.prices_include_tax = order.prices_include_tax;
        new.customer = (*order.customer).clone();
        new.shipping_address = order.shipping_address.as_deref().cloned();
        new.billing_address = order.billing_address.as_deref().cloned();
        new.notes = vec![format!("{kind} for {reference} of order {}", order.number)];
        new.metadata.insert("follow_up_of".into(), order.number.clone());
        new.metadata.insert("follow_up_reference".into(), reference.to_owned());
        let fp = super::fingerprint("place_order", &new)?;
        self.place_order_body("place_order", &new, fp)(ctx)
    }
}
