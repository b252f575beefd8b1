//! Changes after placement: edits (with a dry run) and cancelling open units of lines.

use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{Error, InputError, MoneyError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LineId, OrderId};
use crate::inventory::MovementKind;
use crate::money::Money;
use crate::order::pricing::{PriceInput, compute, line_subtotal};
use crate::order::{Address, Customer, DeliveryMethod, LineQuantities, MAX_LINE_QUANTITY, NewLine, Order, OrderState};
use crate::shipment::ShipmentState;

/// A change to the lines of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LineChange {
    /// A new line.
    Add {
        /// The line.
        line: NewLine,
    },
    /// A new quantity for a line (not below its picked units).
    SetQuantity {
        /// The line.
        line: LineId,
        /// The new quantity (≥ 1; use `remove` for 0).
        quantity: u32,
    },
    /// Removes a line nothing of which was picked.
    Remove {
        /// The line.
        line: LineId,
    },
}

/// Changes to an order. Every field is optional; `dry_run` only computes the outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct OrderChanges {
    /// New customer data.
    pub customer: Option<Customer>,
    /// New shipping address (only while nothing has shipped).
    pub shipping_address: Option<Address>,
    /// New billing address.
    pub billing_address: Option<Address>,
    /// New delivery method (only while nothing has been picked).
    pub delivery: Option<DeliveryMethod>,
    /// Line changes, applied in order.
    pub lines: Vec<LineChange>,
    /// A note to add.
    pub note: Option<String>,
    /// Compute and return the outcome without storing anything.
    pub dry_run: bool,
}

/// The outcome of [`Oms::edit_order`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderEdit {
    /// The order after the edit (not stored for a dry run).
    pub order: Order,
    /// Whether the edit was stored.
    pub applied: bool,
    /// Which fields changed.
    pub fields: Vec<String>,
    /// Order total before.
    pub total_before: Money,
    /// Order total after.
    pub total_after: Money,
    /// Money still to collect for the new total (beyond what is captured or authorized).
    pub to_collect: Money,
    /// Captured money above the new total, to refund.
    pub to_refund: Money,
    /// Reserved units released by the edit.
    pub released: Vec<LineUnits>,
    /// Units that need stock after the edit (allocated now when the order is in
    /// fulfillment, else at allocation).
    pub to_allocate: Vec<LineUnits>,
}

/// Units of a line to cancel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelUnits {
    /// The order line.
    pub line: LineId,
    /// Units (not yet picked).
    pub quantity: u32,
}

impl CancelUnits {
    /// `quantity` units of `line`.
    #[must_use]
    pub fn new(line: LineId, quantity: u32) -> Self {
        CancelUnits { line, quantity }
    }
}

impl Oms {
    /// Changes an order after placement: customer, addresses, delivery method, and lines
    /// (add, change quantity, remove) — only for units not picked yet. Totals are computed
    /// again (order discounts spread anew); reservations of units no longer needed are
    /// released, and an order in fulfillment is allocated for what it now needs, all in one
    /// transaction. With `dry_run` nothing is stored and the result shows the new totals,
    /// the money to collect or refund, and the allocation impact.
    ///
    /// ```
    /// # use ordo::*;
    /// # use rust_decimal::Decimal;
    /// let oms = Oms::in_memory();
    /// oms.add_channel(NewChannel::new("web", "Web"))?;
    /// let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord"))?.id;
    /// oms.receive_stock(ReceiveStock::new("MUG", nord, 10))?;
    /// let order = oms.place_order(
    ///     NewOrder::new("web", "EUR", vec![NewLine::new("MUG", 3, Decimal::new(990, 2))])
    ///         .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
    ///         .payment_method(PaymentMethod::Invoice),
    /// )?;
    /// let fewer = OrderChanges {
    ///     lines: vec![LineChange::SetQuantity { line: order.lines[0].id, quantity: 2 }],
    ///     dry_run: true,
    ///     ..OrderChanges::default()
    /// };
    /// let preview = oms.edit_order(order.id, fewer)?;
    /// assert_eq!((preview.total_before.amount(), preview.total_after.amount()), (Decimal::new(2970, 2), Decimal::new(1980, 2)));
    /// assert!(!preview.applied);
    /// assert_eq!(oms.get_order(order.id)?.totals.total.amount(), Decimal::new(2970, 2));
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidTransition` in a final state, for line or delivery changes after refunds or
    /// cancellations of units, for a shipping address after shipping, or a delivery change
    /// after picking; `InvalidInput` for unknown lines, quantities below the picked units,
    /// bad new lines, or when nothing would change.
    pub fn edit_order(&self, order_id: OrderId, changes: OrderChanges) -> Result<OrderEdit> {
        self.command("edit_order", &(order_id, &changes), |ctx| {
            let before = ctx.order(order_id)?;
            if before.state.is_final() {
                return Err(Error::transition("order", before.number.clone(), before.state, "edit"));
            }
            let mut order = before.clone();
            let mut fields = Vec::new();
            if let Some(a) = changes.shipping_address.as_ref().filter(|a| order.shipping_address.as_deref() != Some(*a)) {
                if a.geo.is_some_and(|g| !g.is_valid()) {
                    return Err(InputError::new("shipping_address.geo", "latitude must be within ±90 and longitude within ±180").into());
                }
                if order.any_shipped() {
                    return Err(Error::transition(
                        "order",
                        order.number.clone(),
                        order.fulfillment_status,
                        "change the shipping address of",
                    ));
                }
                order.shipping_address = Some(std::sync::Arc::new(a.clone()));
                fields.push("shipping_address".to_owned());
            }
            if let Some(a) = changes.billing_address.as_ref().filter(|a| order.billing_address.as_deref() != Some(*a)) {
                order.billing_address = Some(std::sync::Arc::new(a.clone()));
                fields.push("billing_address".to_owned());
            }
            if let Some(c) = changes.customer.as_ref().filter(|c| *order.customer != **c) {
                order.customer = std::sync::Arc::new(c.clone());
                fields.push("customer".to_owned());
            }
            let mut release_all = false;
            if let Some(d) = changes.delivery.as_ref().filter(|d| order.delivery != **d) {
                if order.lines.iter().any(|l| l.quantities.picked > 0) {
                    return Err(Error::transition("order", order.number.clone(), "picked", "change the delivery method of"));
                }
                if let DeliveryMethod::Pickup { location } = d {
                    let loc = ctx.location(*location)?;
                    if !loc.pickup || !loc.active {
                        return Err(InputError::new("delivery.location", format!("{} does not offer pickup", loc.name)).into());
                    }
                } else if order.shipping_address.is_none() {
                    return Err(InputError::new("shipping_address", "required when the order is shipped").into());
                }
                order.delivery = d.clone();
                release_all = true;
                fields.push("delivery".to_owned());
            }
            if !changes.lines.is_empty() {
                apply_line_changes(&mut order, &changes.lines, ctx.now)?;
                fields.push("lines".to_owned());
            }
            if let Some(n) = changes.note.as_ref().filter(|n| !n.trim().is_empty()) {
                order.notes.push(n.clone());
                fields.push("notes".to_owned());
            }
            if fields.is_empty() {
                return Err(InputError::new("changes", "nothing to change").into());
            }
            // Which reserved units are no longer needed.
            let mut releases: Vec<(LineId, String, u32)> = Vec::new();
            for old in &before.lines {
                let keep = if release_all { 0 } else { order.line(old.id).map_or(0, |l| l.quantities.open().max(l.quantities.picked)) };
                let unpicked_allocated = old.quantities.allocated - old.quantities.picked;
                let excess = old.quantities.allocated.saturating_sub(keep).min(unpicked_allocated);
                if excess > 0 {
                    releases.push((old.id, old.sku.clone(), excess));
                }
            }
            for (line, _, q) in &releases {
                if let Some(l) = order.line_mut(*line) {
                    l.quantities.allocated -= q;
                }
            }
            for l in &mut order.lines {
                let q = &mut l.quantities;
                q.backordered = q.backordered.min(q.open().saturating_sub(q.allocated));
            }
            order.refresh(ctx.now);
            let released: Vec<LineUnits> =
                releases.iter().map(|(line, sku, q)| LineUnits { line: *line, sku: sku.clone(), quantity: *q }).collect();
            let to_allocate: Vec<LineUnits> = order
                .lines
                .iter()
                .filter(|l| l.quantities.awaiting_stock() > 0)
                .map(|l| LineUnits { line: l.id, sku: l.sku.clone(), quantity: l.quantities.awaiting_stock() })
                .collect();
            let c = order.currency;
            let (total_before, total_after) = (before.totals.total, order.totals.total);
            let p = order.payment;
            let to_refund = Money::rounded((p.net_captured() - total_after.amount()).max(rust_decimal::Decimal::ZERO), c);
            let covered = p.net_captured() + p.open_authorization();
            let to_collect = Money::rounded((total_after.amount() - covered).max(rust_decimal::Decimal::ZERO), c);
            let mut outcome =
                OrderEdit { order, applied: false, fields, total_before, total_after, to_collect, to_refund, released, to_allocate };
            if changes.dry_run {
                return Ok(outcome);
            }
            for (line, _, q) in &releases {
                release_unpicked(ctx, before.id, *line, *q, "order edited")?;
            }
            let mut order = outcome.order.clone();
            ctx.save_order(&mut order)?;
            ctx.emit(
                Some(order.id),
                EventKind::OrderEdited {
                    fields: outcome.fields.clone(),
                    total_before: Some(total_before),
                    total_after: Some(total_after),
                    to_collect: Some(to_collect),
                    to_refund: Some(to_refund),
                },
            );
            if order.state == OrderState::InFulfillment && !outcome.to_allocate.is_empty() {
                order = super::allocation::allocate(ctx, order, crate::HoldCode::InsufficientStock)?.order;
            }
            outcome.order = order;
            outcome.applied = true;
            Ok(outcome)
        })
    }

    /// Cancels open units of lines that were not picked yet, with a reason: their
    /// reservations are released, their value is announced for refund, and the order is
    /// cancelled when nothing is left (releasing a checkout hold it converted, as
    /// [`Oms::cancel_order`] does) or completed when everything left was delivered.
    ///
    /// # Errors
    /// `InvalidTransition` in a final state; `InvalidInput` for no lines, unknown lines,
    /// zero quantities or more units than are open and not picked.
    pub fn cancel_lines(&self, order_id: OrderId, lines: Vec<CancelUnits>, reason: &str) -> Result<Order> {
        self.command("cancel_lines", &(order_id, &lines, reason), |ctx| {
            let mut order = ctx.order(order_id)?;
            if order.state.is_final() {
                return Err(Error::transition("order", order.number.clone(), order.state, "cancel lines of"));
            }
            if lines.is_empty() {
                return Err(InputError::new("lines", "name at least one line").into());
            }
            let mut events = Vec::new();
            for (i, c) in lines.iter().enumerate() {
                let Some(l) = order.line_mut(c.line) else {
                    return Err(InputError::new(format!("lines[{i}].line"), format!("no line {}", c.line)).into());
                };
                let cancellable = l.quantities.open().saturating_sub(l.quantities.picked);
                if c.quantity == 0 || c.quantity > cancellable {
                    return Err(InputError::new(
                        format!("lines[{i}].quantity"),
                        format!("{} of {} to cancel, {cancellable} open and not picked", c.quantity, l.sku),
                    )
                    .into());
                }
                let q = &mut l.quantities;
                // Units not allocated go first; then reserved, unpicked ones are released.
                let unallocated = q.open() - q.allocated;
                let release = c.quantity.saturating_sub(unallocated);
                q.cancelled += c.quantity;
                q.allocated -= release;
                q.backordered = q.backordered.min(q.open().saturating_sub(q.allocated));
                let value = l.units_value(l.refunded_units, c.quantity);
                l.refunded_units += c.quantity;
                l.refunded = l.refunded.checked_add(value).map_err(Error::from)?;
                events.push((c.line, l.sku.clone(), c.quantity, value, release));
            }
            for (line, _, _, _, release) in &events {
                if *release > 0 {
                    release_unpicked(ctx, order.id, *line, *release, reason)?;
                }
            }
            let open: u32 = order.lines.iter().map(|l| l.quantities.open()).sum();
            let completes = open > 0 && order.is_fully_delivered() && order.state == OrderState::InFulfillment;
            if open == 0 {
                // Nothing is left to allocate: the checkout hold the order converted goes too.
                if let Some(hold) = super::allocation::held_for(ctx, &order)? {
                    super::allocation::release_hold(ctx, &hold, "order cancelled")?;
                    ctx.tx.delete_stock_hold(&hold.cart_ref)?;
                }
                order.state = OrderState::Cancelled;
                order.clear_holds();
            } else if completes {
                order.state = OrderState::Completed;
            }
            ctx.save_order(&mut order)?;
            for (line, sku, quantity, amount, _) in events {
                ctx.emit(Some(order.id), EventKind::LineCancelled { line, sku, quantity, amount, reason: reason.to_owned() });
            }
            if order.state == OrderState::Cancelled {
                let refund_due = Money::rounded(order.payment.net_captured().max(rust_decimal::Decimal::ZERO), order.currency);
                ctx.emit(Some(order.id), EventKind::OrderCancelled { reason: reason.to_owned(), refund_due });
            } else if completes {
                ctx.emit(Some(order.id), EventKind::OrderCompleted);
            }
            Ok(order)
        })
    }
}

/// Releases `count` reserved, unpicked units of `line` from the order's shipments (newest
/// first), cancelling shipments left empty.
pub(super) fn release_unpicked(ctx: &mut Ctx<'_>, order_id: OrderId, line: LineId, count: u32, reason: &str) -> Result<()> {
    let mut left = count;
    let mut shipments = ctx.tx.shipments_of_order(order_id)?;
    shipments.sort_by_key(|s| std::cmp::Reverse(s.id));
    for mut s in shipments {
        if left == 0 {
            break;
        }
        if !matches!(s.state, ShipmentState::Pending | ShipmentState::Picking) {
            continue;
        }
        let mut changed = false;
        for sl in s.lines.iter_mut().filter(|sl| sl.line == line) {
            let take = sl.quantity.min(left);
            if take == 0 {
                continue;
            }
            ctx.move_stock(&sl.sku, s.location, MovementKind::Released, 0, -i64::from(take), Some(reason.to_owned()), Some(order_id))?;
            sl.quantity -= take;
            left -= take;
            changed = true;
        }
        if changed {
            s.lines.retain(|l| l.quantity > 0);
            if s.lines.is_empty() {
                s.state = ShipmentState::Cancelled;
                ctx.emit(Some(order_id), EventKind::ShipmentCancelled { shipment_id: s.id });
            }
            ctx.save_shipment(&mut s)?;
        }
    }
    if left > 0 {
        return Err(crate::StoreError::Corrupt(format!(
            "order {order_id}: {left} reserved units of line {line} not found in its shipments"
        ))
        .into());
    }
    Ok(())
}

/// Applies line changes to `order` and prices it again.
fn apply_line_changes(order: &mut Order, changes: &[LineChange], now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    if order.lines.iter().any(|l| l.refunded_units > 0 || l.quantities.cancelled > 0) {
        return Err(Error::transition("order", order.number.clone(), "partially_refunded", "edit the lines of"));
    }
    let c = order.currency;
    for (i, ch) in changes.iter().enumerate() {
        let field = |n: &str| format!("lines[{i}].{n}");
        match ch {
            LineChange::Add { line } => {
                // The same checks and pricing as at placement, in the order's currency.
                let probe = crate::order::NewOrder::new(order.channel.clone(), c.code(), vec![line.clone()])
                    .delivery(DeliveryMethod::Pickup { location: crate::LocationId::new() });
                let built = probe.build(now).map_err(|e| match e {
                    Error::Input(mut ie) => {
                        ie.field = ie.field.replacen("lines[0]", &format!("lines[{i}].line"), 1);
                        Error::Input(ie)
                    }
                    other => other,
                })?;
                let mut nl = built.lines.into_iter().next().ok_or_else(|| InputError::new(field("line"), "empty"))?;
                nl.id = LineId::new();
                order.lines.push(nl);
            }
            LineChange::SetQuantity { line, quantity } => {
                let Some(l) = order.line_mut(*line) else {
                    return Err(InputError::new(field("line"), format!("no line {line}")).into());
                };
                if *quantity == 0 || *quantity > MAX_LINE_QUANTITY {
                    return Err(InputError::new(
                        field("quantity"),
                        format!("must be between 1 and {MAX_LINE_QUANTITY} (remove the line instead)"),
                    )
                    .into());
                }
                if *quantity < l.quantities.picked {
                    return Err(InputError::new(
                        field("quantity"),
                        format!("{} units of {} are already picked", l.quantities.picked, l.sku),
                    )
                    .into());
                }
                let q = l.quantities;
                l.quantities = LineQuantities { ordered: *quantity, ..q };
            }
            LineChange::Remove { line } => {
                let Some(pos) = order.lines.iter().position(|l| l.id == *line) else {
                    return Err(InputError::new(field("line"), format!("no line {line}")).into());
                };
                if order.lines[pos].quantities.picked > 0 {
                    return Err(InputError::new(field("line"), format!("units of {} are already picked", order.lines[pos].sku)).into());
                }
                order.lines.remove(pos);
            }
        }
    }
    if order.lines.is_empty() {
        return Err(InputError::new("lines", "an order needs at least one line (cancel it instead)").into());
    }
    reprice(order)
}

/// Computes line amounts and totals again from prices, quantities and discounts.
fn reprice(order: &mut Order) -> Result<()> {
    let c = order.currency;
    let inputs: Vec<PriceInput> = order
        .lines
        .iter()
        .map(|l| PriceInput {
            unit_price: l.unit_price.amount(),
            quantity: l.quantities.ordered,
            tax_rate: l.tax_rate,
            line_discount: l.amounts.line_discount.amount(),
        })
        .collect();
    let mut after = rust_decimal::Decimal::ZERO;
    for (i, p) in inputs.iter().enumerate() {
        let subtotal = line_subtotal(i, p.unit_price, p.quantity, c)?;
        after += subtotal - p.line_discount;
        if p.line_discount > subtotal {
            return Err(InputError::new(
                format!("lines[{i}].discount"),
                format!("{} exceeds the new line subtotal {subtotal}", p.line_discount),
            )
            .into());
        }
    }
    let order_discount: rust_decimal::Decimal = order.discounts.iter().map(|d| d.amount.amount()).sum();
    if order_discount > after {
        return Err(MoneyError::Negative { field: "totals".into(), amount: after - order_discount }.into());
    }
    let (ship, ship_rate) =
        order.shipping.map_or((rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO), |s| (s.amount.amount(), s.tax_rate));
    let (amounts, totals) = compute(&inputs, order_discount, ship, ship_rate, order.prices_include_tax, c)?;
    for (l, a) in order.lines.iter_mut().zip(amounts) {
        l.amounts = a;
    }
    order.totals = totals;
    Ok(())
}
