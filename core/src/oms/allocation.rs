//! Step 3, reserve: planning and applying allocations, and filling backorders.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{Error, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LocationId, OrderId, ShipmentId};
use crate::inventory::allocation::{self, Problem};
use crate::inventory::{AllocationPlan, BackorderPolicy, Channel, Location, MovementKind, ShortagePolicy, StockHold};
use crate::money::Money;
use crate::order::{DeliveryMethod, Order, OrderCommand, OrderState};
use crate::shipment::{Shipment, ShipmentLine, ShipmentState};
use crate::validation::{HoldCode, HoldReason};

/// The result of [`Oms::allocate_order`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Allocation {
    /// The order after allocation.
    pub order: Order,
    /// Shipments created now.
    pub shipments: Vec<Shipment>,
    /// The plan that was applied, with its explanations.
    pub plan: AllocationPlan,
}

impl Oms {
    /// Dry run of [`Oms::allocate_order`]: the plan it would apply now, changing nothing.
    ///
    /// # Errors
    /// `NotFound` for the order; `InvalidTransition` unless the order is `confirmed` or
    /// `in_fulfillment`.
    pub fn plan_allocation(&self, order_id: OrderId) -> Result<AllocationPlan> {
        self.query(|ctx| {
            let order = ctx.order(order_id)?;
            if !order.state.allows(OrderCommand::Allocate) {
                return Err(Error::transition("order", order.number.clone(), order.state, "allocate"));
            }
            let channel = ctx.channel(&order.channel)?;
            plan_for(ctx, &order, &channel, true)
        })
    }

    /// Step 3, reserve: plans by the channel's allocation rules and reserves stock for
    /// every unit of a confirmed order that still needs it (or the backordered units of an
    /// order in fulfillment), creating one shipment per location. Checking and reserving
    /// happen in one transaction, so stock is never promised twice.
    ///
    /// Units no eligible location can supply follow the SKU's backorder policy: `allow`
    /// and `preorder` backorder them (they are allocated, oldest order first, when stock
    /// arrives); `deny` applies the channel's shortage policy — hold the order with
    /// `insufficient_stock` (reserving nothing) or cancel the missing units of the line
    /// (an order left with nothing open is cancelled; one whose open units were all
    /// delivered completes).
    ///
    /// ```
    /// # use ordo::*;
    /// # use rust_decimal::Decimal;
    /// let oms = Oms::in_memory();
    /// let nearest = AllocationPolicy { strategy: AllocationStrategy::Nearest, ..AllocationPolicy::default() };
    /// oms.add_channel(NewChannel::new("web", "Web").allocation(nearest))?;
    /// let muc = oms.add_location(NewLocation { geo: Some(GeoPoint::new(48.14, 11.58)), ..NewLocation::warehouse("muc", "München") })?;
    /// let ham = oms.add_location(NewLocation { geo: Some(GeoPoint::new(53.55, 9.99)), ..NewLocation::warehouse("ham", "Hamburg") })?;
    /// for l in [muc.id, ham.id] {
    ///     oms.receive_stock(ReceiveStock::new("MUG", l, 5))?;
    /// }
    /// let mut to = Address::new("Anna Muster", "Marienplatz 1", "80331", "München", "DE");
    /// to.geo = Some(GeoPoint::new(48.20, 11.58));
    /// let order = oms.place_order(
    ///     NewOrder::new("web", "EUR", vec![NewLine::new("MUG", 1, Decimal::new(990, 2))]).ship_to(to).payment_method(PaymentMethod::Invoice),
    /// )?;
    /// oms.validate_order(order.id)?;
    /// let allocation = oms.allocate_order(order.id)?;
    /// assert_eq!(allocation.shipments[0].location, muc.id);
    /// assert_eq!(allocation.plan.explanations, vec!["München: 1 × MUG (7 km away, priority 100)"]);
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is `confirmed` or `in_fulfillment`.
    pub fn allocate_order(&self, order_id: OrderId) -> Result<Allocation> {
        self.command("allocate_order", &order_id, |ctx| {
            self.sweep_holds(ctx)?;
            let order = ctx.order(order_id)?;
            if !order.state.allows(OrderCommand::Allocate) {
                return Err(Error::transition("order", order.number.clone(), order.state, "allocate"));
            }
            allocate(ctx, order, HoldCode::InsufficientStock)
        })
    }

    /// Allocates backordered lines of `sku`, oldest order first, while stock lasts. Lapsed
    /// checkout holds are released first, as by every command that reserves stock.
    pub(super) fn fill_backorders(&self, ctx: &mut Ctx<'_>, sku: &str) -> Result<()> {
        let waiting = ctx.tx.orders_awaiting_stock(sku)?;
        if !waiting.is_empty() {
            self.sweep_holds(ctx)?;
        }
        for id in waiting {
            let order = ctx.order(id)?;
            if order.state != OrderState::InFulfillment {
                continue;
            }
            let channel = ctx.channel(&order.channel)?;
            let plan = plan_for(ctx, &order, &channel, false)?;
            if plan.allocations.is_empty() {
                continue;
            }
            allocate(ctx, order, HoldCode::InsufficientStock)?;
            let left: u64 = ctx.tx.stock_of_sku(sku)?.iter().map(|l| u64::from(l.available())).sum();
            if left == 0 {
                break;
            }
        }
        Ok(())
    }
}

/// Plans and applies an allocation for an order whose state allows it; a shortage that
/// must stop the order holds it with `hold_code`.
pub(super) fn allocate(ctx: &mut Ctx<'_>, mut order: Order, hold_code: HoldCode) -> Result<Allocation> {
    let channel = ctx.channel(&order.channel)?;
    let mut plan = plan_for(ctx, &order, &channel, true)?;
    if plan.allocations.is_empty() && plan.backorders.is_empty() {
        // Nothing waits for stock: nothing to do, nothing to record.
        return Ok(Allocation { order, shipments: Vec::new(), plan });
    }
    let mut denied = Vec::new();
    for b in &plan.backorders {
        let policy = ctx.tx.sku_settings(&b.sku)?.map(|s| s.backorder).unwrap_or_default();
        match policy {
            BackorderPolicy::Deny => denied.push(b.clone()),
            BackorderPolicy::Preorder { expected } => {
                plan.explanations.push(format!("{} × {}: pre-order, expected {}", b.quantity, b.sku, expected.format("%Y-%m-%d")));
            }
            BackorderPolicy::Allow => {}
        }
    }
    if !denied.is_empty() && channel.allocation.on_shortage == ShortagePolicy::Hold {
        let text = denied.iter().map(|b| format!("{} × {}", b.quantity, b.sku)).collect::<Vec<_>>().join(", ");
        let reason = HoldReason::new(hold_code, format!("not enough stock to allocate {text}; backorders are not allowed"));
        order.add_hold(reason.clone(), ctx.now);
        for l in &mut order.lines {
            if denied.iter().any(|d| d.line == l.id) {
                // Not backorderable: the units wait for a person, not for stock.
                l.quantities.backordered = 0;
            }
        }
        ctx.save_order(&mut order)?;
        ctx.emit(Some(order.id), EventKind::OrderHeld { reasons: vec![reason] });
        plan.allocations.clear();
        return Ok(Allocation { order, shipments: Vec::new(), plan });
    }
    // A converted checkout hold becomes this allocation: release it, then reserve the plan.
    if let Some(hold) = held_for(ctx, &order)? {
        release_hold(ctx, &hold, "checkout hold converted into the order's allocation")?;
        ctx.tx.delete_stock_hold(&hold.cart_ref)?;
    }
    let mut by_location: BTreeMap<LocationId, Vec<ShipmentLine>> = BTreeMap::new();
    for a in &plan.allocations {
        let level = ctx.level(&a.sku, a.location)?;
        if level.available() < a.quantity {
            return Err(Error::InsufficientStock {
                sku: a.sku.clone(),
                location: Some(a.location.to_string()),
                requested: a.quantity,
                available: level.available(),
            });
        }
        ctx.move_stock(&a.sku, a.location, MovementKind::Reserved, 0, i64::from(a.quantity), None, Some(order.id))?;
        if let Some(l) = order.line_mut(a.line) {
            l.quantities.allocated += a.quantity;
        }
        by_location.entry(a.location).or_default().push(ShipmentLine { line: a.line, sku: a.sku.clone(), quantity: a.quantity, picked: 0 });
    }
    let mut cancelled = Vec::new();
    for l in &mut order.lines {
        let short: u32 = plan.backorders.iter().filter(|b| b.line == l.id).map(|b| b.quantity).sum();
        if denied.iter().any(|d| d.line == l.id) {
            // Channel policy: cancel the missing units of the line.
            let value = l.units_value(l.refunded_units, short);
            l.quantities.cancelled += short;
            l.refunded_units += short;
            l.refunded = l.refunded.checked_add(value)?;
            l.quantities.backordered = 0;
            cancelled.push((LineUnits { line: l.id, sku: l.sku.clone(), quantity: short }, value));
        } else {
            l.quantities.backordered = short;
        }
    }
    let mut shipments = Vec::new();
    for (location, lines) in by_location {
        let mut s = Shipment {
            id: ShipmentId::new(),
            order_id: order.id,
            location,
            state: ShipmentState::Pending,
            lines,
            packages: Vec::new(),
            carrier: None,
            service: None,
            tracking_number: None,
            tracking_url: None,
            pick_list: None,
            tracking: Vec::new(),
            created_at: ctx.now,
            shipped_at: None,
            delivered_at: None,
            version: 0,
        };
        ctx.save_shipment(&mut s)?;
        ctx.emit(Some(order.id), EventKind::ShipmentCreated { shipment_id: s.id, location, lines: units(&s.lines) });
        shipments.push(s);
    }
    if order.state == OrderState::Confirmed {
        order.state = OrderState::InFulfillment;
    }
    let open: u32 = order.lines.iter().map(|l| l.quantities.open()).sum();
    // Cancelled missing units may leave nothing open, or only units already delivered.
    let completes = open > 0 && order.state == OrderState::InFulfillment && order.is_fully_delivered();
    if open == 0 {
        order.state = OrderState::Cancelled;
    } else if completes {
        order.state = OrderState::Completed;
    }
    ctx.save_order(&mut order)?;
    let backordered = plan
        .backorders
        .iter()
        .filter(|b| !denied.iter().any(|d| d.line == b.line))
        .map(|b| LineUnits { line: b.line, sku: b.sku.clone(), quantity: b.quantity })
        .collect();
    ctx.emit(
        Some(order.id),
        EventKind::OrderAllocated { allocations: plan.allocations.clone(), backordered, explanations: plan.explanations.clone() },
    );
    for (units, amount) in cancelled {
        ctx.emit(
            Some(order.id),
            EventKind::LineCancelled { line: units.line, sku: units.sku, quantity: units.quantity, amount, reason: "out of stock".into() },
        );
    }
    if order.state == OrderState::Cancelled {
        let refund_due = Money::rounded(order.payment.net_captured().max(rust_decimal::Decimal::ZERO), order.currency);
        ctx.emit(Some(order.id), EventKind::OrderCancelled { reason: "out of stock".into(), refund_due });
    } else if completes {
        ctx.emit(Some(order.id), EventKind::OrderCompleted);
    }
    Ok(Allocation { order, shipments, plan })
}

pub(super) fn units(lines: &[ShipmentLine]) -> Vec<LineUnits> {
    lines.iter().map(|l| LineUnits { line: l.line, sku: l.sku.clone(), quantity: l.quantity }).collect()
}

/// Locations an order may be allocated from: its pickup store, or every active shipping
/// location its channel may use.
pub(super) fn eligible_locations(ctx: &mut Ctx<'_>, order: &Order) -> Result<Vec<Location>> {
    let all = ctx.tx.locations()?;
    Ok(match &order.delivery {
        DeliveryMethod::Pickup { location } => all.into_iter().filter(|l| l.id == *location && l.active).collect(),
        _ => {
            let channel = ctx.channel(&order.channel)?;
            all.into_iter().filter(|l| l.ships && channel.may_use(l)).collect()
        }
    })
}

/// The checkout hold converted into `order`, if any.
pub(super) fn held_for(ctx: &mut Ctx<'_>, order: &Order) -> Result<Option<StockHold>> {
    let Some(cart) = &order.cart_ref else { return Ok(None) };
    Ok(ctx.tx.stock_hold(cart)?.filter(|h| h.order_id == Some(order.id)))
}

/// Releases the reservations of a checkout hold (the caller deletes or replaces it).
pub(super) fn release_hold(ctx: &mut Ctx<'_>, hold: &StockHold, reason: &str) -> Result<()> {
    for l in &hold.lines {
        ctx.move_stock(&l.sku, l.location, MovementKind::Released, 0, -i64::from(l.quantity), Some(reason.to_owned()), hold.order_id)?;
    }
    Ok(())
}

/// The plan for the units of `order` that still need stock. With `with_hold`, units of
/// the order's own checkout hold count as available.
fn plan_for(ctx: &mut Ctx<'_>, order: &Order, channel: &Channel, with_hold: bool) -> Result<AllocationPlan> {
    let destination = order.shipping_address.as_ref().and_then(|a| a.geo);
    let mut problem = Problem::new(channel.allocation.clone(), destination);
    for l in order.lines.iter().filter(|l| l.quantities.awaiting_stock() > 0) {
        problem.add_demand(l.id, &l.sku, l.quantities.awaiting_stock());
    }
    if problem.demand.is_empty() {
        return Ok(AllocationPlan::default());
    }
    let hold = if with_hold { held_for(ctx, order)? } else { None };
    let locations = eligible_locations(ctx, order)?;
    let mut index = BTreeMap::new();
    for l in &locations {
        index.insert(l.id, problem.add_candidate(l.id, &l.code, &l.name, l.priority, l.geo));
    }
    for s in 0..problem.skus.len() {
        let sku = problem.skus[s].clone();
        for level in ctx.tx.stock_of_sku(&sku)? {
            if let Some(&i) = index.get(&level.location) {
                let held = hold.as_ref().map_or(0, |h| h.held(&sku, level.location));
                problem.candidates[i].available[s] = level.available() + held;
            }
        }
    }
    Ok(allocation::plan(&problem))
}
