//! The inventory network and step 3, reserve: channels, locations, stock, allocation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{Error, InputError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LocationId, OrderId, ShipmentId};
use crate::inventory::allocation::{self, Candidate, Demand};
use crate::inventory::{
    AllocationPlan, Channel, InventoryDiscrepancy, Location, Movement, MovementKind, NewChannel, NewLocation, StockLevel,
};
use crate::order::{DeliveryMethod, Order, OrderCommand, OrderState};
use crate::shipment::{Shipment, ShipmentLine, ShipmentState};

/// Goods received at a location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveStock {
    /// The SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// Units received (≥ 1).
    pub quantity: u32,
    /// Delivery note or purchase order reference.
    #[serde(default)]
    pub reference: Option<String>,
}

impl ReceiveStock {
    /// `quantity` units of `sku` arrived at `location`.
    pub fn new(sku: impl Into<String>, location: LocationId, quantity: u32) -> Self {
        ReceiveStock { sku: sku.into(), location, quantity, reference: None }
    }
}

/// A correction of on-hand stock after a count, damage or loss.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustStock {
    /// The SKU.
    pub sku: String,
    /// Where.
    pub location: LocationId,
    /// Change of on-hand units (positive or negative, not zero).
    pub delta: i64,
    /// Why (required).
    pub reason: String,
}

impl AdjustStock {
    /// Changes on-hand stock of `sku` at `location` by `delta` for `reason`.
    pub fn new(sku: impl Into<String>, location: LocationId, delta: i64, reason: impl Into<String>) -> Self {
        AdjustStock { sku: sku.into(), location, delta, reason: reason.into() }
    }
}

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

fn sku_arg(sku: &str) -> Result<String> {
    let s = sku.trim();
    if s.is_empty() {
        return Err(InputError::new("sku", "must not be empty").into());
    }
    Ok(s.to_owned())
}

impl Oms {
    /// Adds a sales channel.
    ///
    /// # Errors
    /// `InvalidInput` for a malformed code; `Conflict` when the code exists.
    pub fn add_channel(&self, channel: NewChannel) -> Result<Channel> {
        self.command("add_channel", &channel, |ctx| {
            let c = channel.build()?;
            ctx.tx.insert_channel(&c)?;
            Ok(c)
        })
    }

    /// Every channel, by code.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn channels(&self) -> Result<Vec<Channel>> {
        self.query(|ctx| ctx.tx.channels())
    }

    /// Adds a stock location (warehouse or store).
    ///
    /// # Errors
    /// `InvalidInput` for a malformed code or coordinates; `Conflict` when the code exists.
    pub fn add_location(&self, location: NewLocation) -> Result<Location> {
        self.command("add_location", &location, |ctx| {
            let l = location.build()?;
            if ctx.tx.location_by_code(&l.code)?.is_some() {
                return Err(crate::ConflictError::AlreadyExists { entity: "location", key: l.code.clone() }.into());
            }
            ctx.tx.put_location(&l)?;
            Ok(l)
        })
    }

    /// Every location.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn locations(&self) -> Result<Vec<Location>> {
        self.query(|ctx| ctx.tx.locations())
    }

    /// Books goods received at a location.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU or zero quantity; `NotFound` for the location.
    pub fn receive_stock(&self, receipt: ReceiveStock) -> Result<StockLevel> {
        self.command("receive_stock", &receipt, |ctx| {
            let sku = sku_arg(&receipt.sku)?;
            if receipt.quantity == 0 {
                return Err(InputError::new("quantity", "must be at least 1").into());
            }
            ctx.location(receipt.location)?;
            ctx.move_stock(&sku, receipt.location, MovementKind::Received, i64::from(receipt.quantity), 0, receipt.reference.clone(), None)
        })
    }

    /// Corrects on-hand stock with a reason. Stock promised to orders cannot be adjusted
    /// away: on-hand never falls below reserved.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU or reason or a zero delta; `NotFound` for the
    /// location; `InsufficientStock` when on-hand would fall below reserved or zero.
    pub fn adjust_stock(&self, adjustment: AdjustStock) -> Result<StockLevel> {
        self.command("adjust_stock", &adjustment, |ctx| {
            let sku = sku_arg(&adjustment.sku)?;
            if adjustment.delta == 0 {
                return Err(InputError::new("delta", "must not be zero").into());
            }
            if adjustment.reason.trim().is_empty() {
                return Err(InputError::new("reason", "an adjustment needs a reason").into());
            }
            ctx.location(adjustment.location)?;
            if ctx.tx.stock(&sku, adjustment.location)?.is_none() && adjustment.delta < 0 {
                return Err(Error::not_found("stock", format!("{sku} at {}", adjustment.location)));
            }
            ctx.move_stock(&sku, adjustment.location, MovementKind::Adjusted, adjustment.delta, 0, Some(adjustment.reason.clone()), None)
        })
    }

    /// Sets the units of `sku` at `location` kept back from allocation.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU; `NotFound` for the location.
    pub fn set_safety_stock(&self, sku: &str, location: LocationId, units: u32) -> Result<StockLevel> {
        self.command("set_safety_stock", &(sku, location, units), |ctx| {
            let sku = sku_arg(sku)?;
            ctx.location(location)?;
            let mut level = ctx.level(&sku, location)?;
            level.safety_stock = units;
            ctx.tx.put_stock(&level)?;
            Ok(level)
        })
    }

    /// The levels of `sku` at every location that holds it.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn stock(&self, sku: &str) -> Result<Vec<StockLevel>> {
        self.query(|ctx| ctx.tx.stock_of_sku(sku.trim()))
    }

    /// Units of `sku` available across the network, or only at the locations serving
    /// `channel` (active locations only; safety stock excluded).
    ///
    /// # Errors
    /// `NotFound` for an unknown channel.
    pub fn available(&self, sku: &str, channel: Option<&str>) -> Result<u64> {
        self.query(|ctx| {
            if let Some(c) = channel {
                ctx.channel(c)?;
            }
            let locations: BTreeMap<LocationId, Location> = ctx.tx.locations()?.into_iter().map(|l| (l.id, l)).collect();
            Ok(ctx
                .tx
                .stock_of_sku(sku.trim())?
                .iter()
                .filter(|s| locations.get(&s.location).is_some_and(|l| l.active && channel.is_none_or(|c| l.serves(c))))
                .map(|s| u64::from(s.available()))
                .sum())
        })
    }

    /// Units of `sku` the order could be allocated (its eligible locations), or `None`
    /// when the SKU has no stock record anywhere.
    pub(super) fn available_for(&self, ctx: &mut Ctx<'_>, sku: &str, order: Option<&Order>) -> Result<Option<u64>> {
        let levels = ctx.tx.stock_of_sku(sku)?;
        if levels.is_empty() {
            return Ok(None);
        }
        let eligible = match order {
            Some(o) => eligible_locations(ctx, o)?,
            None => ctx.tx.locations()?,
        };
        Ok(Some(levels.iter().filter(|s| eligible.iter().any(|l| l.id == s.location)).map(|s| u64::from(s.available())).sum()))
    }

    /// The inventory ledger, oldest first, optionally of one SKU.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn movements(&self, sku: Option<&str>) -> Result<Vec<Movement>> {
        self.query(|ctx| ctx.tx.movements(sku.map(str::trim)))
    }

    /// Rebuilds every level from the ledger and reports each difference (none when the
    /// books are right).
    ///
    /// # Errors
    /// Storage errors only.
    pub fn verify_inventory(&self) -> Result<Vec<InventoryDiscrepancy>> {
        self.query(|ctx| {
            let mut rebuilt: BTreeMap<(String, LocationId), (i64, i64)> = BTreeMap::new();
            for m in ctx.tx.movements(None)? {
                let e = rebuilt.entry((m.sku.clone(), m.location)).or_default();
                e.0 += m.on_hand_delta;
                e.1 += m.reserved_delta;
            }
            let mut out = Vec::new();
            for s in ctx.tx.all_stock()? {
                let (oh, rs) = rebuilt.remove(&(s.sku.clone(), s.location)).unwrap_or_default();
                if oh != i64::from(s.on_hand) || rs != i64::from(s.reserved) {
                    out.push(InventoryDiscrepancy {
                        sku: s.sku.clone(),
                        location: s.location,
                        stored_on_hand: s.on_hand,
                        ledger_on_hand: oh,
                        stored_reserved: s.reserved,
                        ledger_reserved: rs,
                    });
                }
            }
            for ((sku, location), (oh, rs)) in rebuilt {
                if oh != 0 || rs != 0 {
                    out.push(InventoryDiscrepancy {
                        sku,
                        location,
                        stored_on_hand: 0,
                        ledger_on_hand: oh,
                        stored_reserved: 0,
                        ledger_reserved: rs,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Dry run of [`Oms::allocate_order`]: the plan it would apply now, changing nothing.
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn plan_allocation(&self, order_id: OrderId) -> Result<AllocationPlan> {
        self.query(|ctx| {
            let order = ctx.order(order_id)?;
            plan_for(ctx, &order)
        })
    }

    /// Step 3, reserve: plans and reserves stock for every open unit of a confirmed order
    /// (or the backordered units of an order in fulfillment), creating one shipment per
    /// location. What no location holds is backordered. The check and the reservation
    /// happen in one transaction, so stock is never promised twice.
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is `confirmed` or `in_fulfillment`.
    pub fn allocate_order(&self, order_id: OrderId) -> Result<Allocation> {
        self.command("allocate_order", &order_id, |ctx| {
            let mut order = ctx.order(order_id)?;
            if !order.state.allows(OrderCommand::Allocate) {
                return Err(Error::transition("order", order.number.clone(), order.state, "allocate"));
            }
            let plan = plan_for(ctx, &order)?;
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
                by_location.entry(a.location).or_default().push(ShipmentLine {
                    line: a.line,
                    sku: a.sku.clone(),
                    quantity: a.quantity,
                    picked: 0,
                });
            }
            for l in &mut order.lines {
                l.quantities.backordered = plan.backorders.iter().filter(|b| b.line == l.id).map(|b| b.quantity).sum();
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
            order.state = OrderState::InFulfillment;
            ctx.save_order(&mut order)?;
            ctx.emit(
                Some(order.id),
                EventKind::OrderAllocated {
                    allocations: plan.allocations.clone(),
                    backordered: plan
                        .backorders
                        .iter()
                        .map(|b| LineUnits { line: b.line, sku: b.sku.clone(), quantity: b.quantity })
                        .collect(),
                    explanations: plan.explanations.clone(),
                },
            );
            Ok(Allocation { order, shipments, plan })
        })
    }
}

pub(super) fn units(lines: &[ShipmentLine]) -> Vec<LineUnits> {
    lines.iter().map(|l| LineUnits { line: l.line, sku: l.sku.clone(), quantity: l.quantity }).collect()
}

/// Locations an order may be allocated from: the pickup store, or every active shipping
/// location serving the order's channel.
fn eligible_locations(ctx: &mut Ctx<'_>, order: &Order) -> Result<Vec<Location>> {
    let all = ctx.tx.locations()?;
    Ok(match &order.delivery {
        DeliveryMethod::Pickup { location } => all.into_iter().filter(|l| l.id == *location && l.active).collect(),
        _ => all.into_iter().filter(|l| l.active && l.ships && l.serves(&order.channel)).collect(),
    })
}

fn plan_for(ctx: &mut Ctx<'_>, order: &Order) -> Result<AllocationPlan> {
    if !matches!(order.state, OrderState::Confirmed | OrderState::InFulfillment) {
        return Ok(AllocationPlan::default());
    }
    let demand: Vec<Demand> = order
        .lines
        .iter()
        .filter(|l| l.quantities.awaiting_stock() > 0)
        .map(|l| Demand { line: l.id, sku: l.sku.clone(), quantity: l.quantities.awaiting_stock() })
        .collect();
    let locations = eligible_locations(ctx, order)?;
    let mut candidates: Vec<Candidate> = locations
        .iter()
        .map(|l| Candidate { location: l.id, code: l.code.clone(), name: l.name.clone(), priority: l.priority, available: BTreeMap::new() })
        .collect();
    let mut skus: Vec<&str> = demand.iter().map(|d| d.sku.as_str()).collect();
    skus.sort_unstable();
    skus.dedup();
    for sku in skus {
        for level in ctx.tx.stock_of_sku(sku)? {
            if let Some(c) = candidates.iter_mut().find(|c| c.location == level.location) {
                c.available.insert(sku.to_owned(), level.available());
            }
        }
    }
    Ok(allocation::plan(&demand, &candidates))
}
