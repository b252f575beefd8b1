//! Steps 4 to 6: pick, pack and ship, and carrier events up to delivery.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{ConflictError, Error, InputError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LineId, OrderId, ShipmentId};
use crate::inventory::MovementKind;
use crate::money::Money;
use crate::order::{DeliveryMethod, Order, OrderCommand, OrderState};
use crate::shipment::{Package, Shipment, ShipmentCommand, ShipmentState, TrackingRecord, TrackingStatus};
use crate::validation::HoldCode;

/// Units of one line actually found on the shelf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PickedUnits {
    /// The order line.
    pub line: LineId,
    /// Units picked (≤ planned).
    pub quantity: u32,
}

impl PickedUnits {
    /// `quantity` units of `line` picked.
    #[must_use]
    pub fn new(line: LineId, quantity: u32) -> Self {
        PickedUnits { line, quantity }
    }
}

/// Handing a packed shipment to a carrier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipInput {
    /// Carrier name, e.g. `"DHL"`.
    pub carrier: String,
    /// Service level, e.g. `"Paket"`.
    #[serde(default)]
    pub service: Option<String>,
    /// The carrier's tracking number (required; never invented).
    pub tracking_number: String,
}

impl ShipInput {
    /// Shipping with `carrier` under `tracking_number`.
    pub fn new(carrier: impl Into<String>, tracking_number: impl Into<String>) -> Self {
        ShipInput { carrier: carrier.into(), service: None, tracking_number: tracking_number.into() }
    }
}

/// A status update from a carrier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingEventInput {
    /// The shipment, or
    #[serde(default)]
    pub shipment: Option<ShipmentId>,
    /// its tracking number.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// The carrier's status code (raw, mapped through the configured table) or a
    /// normalized status name (`"in_transit"`, `"out_for_delivery"`, `"delivered"`,
    /// `"delivery_failed"`, `"lost"`, `"damaged"`, `"returned_to_sender"`).
    pub code: String,
    /// When the carrier saw it; defaults to now.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

impl TrackingEventInput {
    /// A status `code` for the shipment with `tracking_number`.
    pub fn by_tracking(tracking_number: impl Into<String>, code: impl Into<String>) -> Self {
        TrackingEventInput { shipment: None, tracking_number: Some(tracking_number.into()), code: code.into(), at: None }
    }

    /// A status `code` for `shipment`.
    pub fn for_shipment(shipment: ShipmentId, code: impl Into<String>) -> Self {
        TrackingEventInput { shipment: Some(shipment), tracking_number: None, code: code.into(), at: None }
    }

    /// Seen by the carrier at `at`.
    #[must_use]
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = Some(at);
        self
    }
}

fn pickup_guard(order: &Order, command: &'static str) -> Result<()> {
    if matches!(order.delivery, DeliveryMethod::Pickup { .. }) {
        Ok(())
    } else {
        Err(Error::InvalidTransition { entity: "order", id: order.number.clone(), state: "to_be_shipped".into(), command })
    }
}

fn fulfil_guard(order: &Order, command: &'static str) -> Result<()> {
    if order.state.allows(OrderCommand::Fulfill) {
        Ok(())
    } else {
        Err(Error::transition("order", order.number.clone(), order.state, command))
    }
}

fn shipment_guard(s: &Shipment, command: ShipmentCommand) -> Result<()> {
    if s.state.allows(command) { Ok(()) } else { Err(Error::transition("shipment", s.id, s.state, command.name())) }
}

impl Oms {
    /// The shipments of an order, oldest first.
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn shipments(&self, order_id: OrderId) -> Result<Vec<Shipment>> {
        self.query(|ctx| {
            ctx.order(order_id)?;
            let mut s = ctx.tx.shipments_of_order(order_id)?;
            s.sort_by_key(|s| s.id);
            Ok(s)
        })
    }

    /// The shipment with `id`.
    ///
    /// # Errors
    /// `NotFound`.
    pub fn get_shipment(&self, id: ShipmentId) -> Result<Shipment> {
        self.query(|ctx| ctx.shipment(id))
    }

    /// Step 4, pick: records what was taken from the shelves for a pending shipment.
    /// `picked` lists lines found short; lines not listed were picked in full (pass an
    /// empty list when everything was there).
    ///
    /// A **short pick** (fewer units on the shelf than the books said) corrects on-hand
    /// stock with the reason "short pick" and releases the missing reservation; the missing
    /// units are then allocated again like any order — from other locations by the
    /// channel's rules, else backordered if the SKU allows it, else the channel's shortage
    /// policy applies: the order is held with reason `short_pick` for a person to decide
    /// (release to go on with what was found, or cancel), or the units are cancelled.
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is in fulfillment (not held) and the
    /// shipment pending; `InvalidInput` for unknown lines or more than planned.
    pub fn confirm_pick(&self, shipment_id: ShipmentId, picked: Vec<PickedUnits>) -> Result<Shipment> {
        self.command("confirm_pick", &(shipment_id, &picked), |ctx| {
            let mut s = ctx.shipment(shipment_id)?;
            let mut order = ctx.order(s.order_id)?;
            fulfil_guard(&order, "pick")?;
            shipment_guard(&s, ShipmentCommand::Pick)?;
            for (i, p) in picked.iter().enumerate() {
                if picked[..i].iter().any(|q| q.line == p.line) {
                    return Err(InputError::new(format!("picked[{i}].line"), format!("line {} is listed twice", p.line)).into());
                }
                let Some(line) = s.lines.iter().find(|l| l.line == p.line) else {
                    return Err(InputError::new(format!("picked[{i}].line"), format!("line {} is not in shipment {}", p.line, s.id)).into());
                };
                if p.quantity > line.quantity {
                    return Err(InputError::new(
                        format!("picked[{i}].quantity"),
                        format!("{} picked, but only {} planned", p.quantity, line.quantity),
                    )
                    .into());
                }
            }
            let mut short = Vec::new();
            for sl in &mut s.lines {
                let got = picked.iter().find(|p| p.line == sl.line).map_or(sl.quantity, |p| p.quantity);
                let missing = sl.quantity - got;
                if missing > 0 {
                    let m = -i64::from(missing);
                    ctx.move_stock(&sl.sku, s.location, MovementKind::Adjusted, m, m, Some("short pick".into()), Some(order.id))?;
                    short.push(LineUnits { line: sl.line, sku: sl.sku.clone(), quantity: missing });
                }
                sl.quantity = got;
                sl.picked = got;
                if let Some(ol) = order.line_mut(sl.line) {
                    ol.quantities.allocated -= missing;
                    ol.quantities.backordered += missing;
                    ol.quantities.picked += got;
                }
            }
            s.lines.retain(|l| l.quantity > 0);
            s.state = if s.lines.is_empty() { ShipmentState::Cancelled } else { ShipmentState::Picked };
            ctx.save_shipment(&mut s)?;
            ctx.emit(Some(order.id), EventKind::ShipmentPicked { shipment_id: s.id, short: short.clone() });
            ctx.save_order(&mut order)?;
            if !short.is_empty() {
                // The missing units need stock again: other locations by the channel's rules,
                // else the SKU's backorder policy, else a person decides (hold: short_pick).
                self.sweep_holds(ctx)?;
                let order = ctx.order(order.id)?;
                super::allocation::allocate(ctx, order, HoldCode::ShortPick)?;
            }
            Ok(s)
        })
    }

    /// Step 5a, pack: records the packages of a picked shipment.
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is in fulfillment and the shipment picked;
    /// `InvalidInput` without packages.
    pub fn pack_shipment(&self, shipment_id: ShipmentId, packages: Vec<Package>) -> Result<Shipment> {
        self.command("pack_shipment", &(shipment_id, &packages), |ctx| {
            if packages.is_empty() {
                return Err(InputError::new("packages", "at least one package").into());
            }
            let mut s = ctx.shipment(shipment_id)?;
            let mut order = ctx.order(s.order_id)?;
            fulfil_guard(&order, "pack")?;
            shipment_guard(&s, ShipmentCommand::Pack)?;
            for sl in &s.lines {
                let packed: u32 = packages.iter().flat_map(|p| &p.contents).filter(|c| c.line == sl.line).map(|c| c.quantity).sum();
                if packed > sl.picked {
                    return Err(
                        InputError::new("packages.contents", format!("{packed} units of {} packed, {} picked", sl.sku, sl.picked)).into()
                    );
                }
            }
            if let Some(c) = packages.iter().flat_map(|p| &p.contents).find(|c| !s.lines.iter().any(|l| l.line == c.line)) {
                return Err(InputError::new("packages.contents", format!("line {} is not in shipment {}", c.line, s.id)).into());
            }
            for sl in &s.lines {
                if let Some(ol) = order.line_mut(sl.line) {
                    ol.quantities.packed += sl.picked;
                }
            }
            s.packages = packages.clone();
            s.state = ShipmentState::Packed;
            ctx.save_shipment(&mut s)?;
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::ShipmentPacked { shipment_id: s.id, packages: packages.len() });
            Ok(s)
        })
    }

    /// Step 5b, ship: hands a packed shipment to a carrier. The reservation is consumed
    /// (on-hand falls), the lines' shipped quantities rise, and the event carries the
    /// money now due for capture.
    ///
    /// # Errors
    /// `InvalidInput` for an empty carrier or tracking number; `Conflict` when the
    /// tracking number belongs to another shipment; `InvalidTransition` unless the order
    /// is in fulfillment, is delivered by carrier, and the shipment is packed.
    pub fn ship(&self, shipment_id: ShipmentId, input: ShipInput) -> Result<Shipment> {
        self.command("ship", &(shipment_id, &input), |ctx| {
            let tracking = input.tracking_number.trim();
            if tracking.is_empty() {
                return Err(InputError::new("tracking_number", "a shipment needs the carrier's tracking number").into());
            }
            if input.carrier.trim().is_empty() {
                return Err(InputError::new("carrier", "must not be empty").into());
            }
            let mut s = ctx.shipment(shipment_id)?;
            let mut order = ctx.order(s.order_id)?;
            fulfil_guard(&order, "ship")?;
            if matches!(order.delivery, DeliveryMethod::Pickup { .. }) {
                return Err(Error::InvalidTransition {
                    entity: "order",
                    id: order.number.clone(),
                    state: "to_be_picked_up".into(),
                    command: "ship",
                });
            }
            shipment_guard(&s, ShipmentCommand::Ship)?;
            if ctx.tx.shipment_by_tracking(tracking)?.is_some_and(|other| other != s.id) {
                return Err(ConflictError::AlreadyExists { entity: "tracking number", key: tracking.to_owned() }.into());
            }
            let capture_due = consume(ctx, &s, &mut order)?;
            let carrier = input.carrier.trim().to_owned();
            s.tracking_url = self.inner.carriers.get(&carrier).map(|t| t.replace("{tracking}", tracking));
            s.carrier = Some(carrier.clone());
            s.service = input.service.clone();
            s.tracking_number = Some(tracking.to_owned());
            s.state = ShipmentState::Shipped;
            s.shipped_at = Some(ctx.now);
            ctx.save_shipment(&mut s)?;
            ctx.save_order(&mut order)?;
            ctx.emit(
                Some(order.id),
                EventKind::ShipmentShipped {
                    shipment_id: s.id,
                    carrier,
                    service: s.service.clone(),
                    tracking_number: tracking.to_owned(),
                    tracking_url: s.tracking_url.clone(),
                    capture_due,
                },
            );
            Ok(s)
        })
    }

    /// Pickup orders: the packed shipment waits at the store; the customer is told.
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is in fulfillment, is a pickup order, and the
    /// shipment is packed.
    pub fn ready_for_pickup(&self, shipment_id: ShipmentId) -> Result<Shipment> {
        self.command("ready_for_pickup", &shipment_id, |ctx| {
            let mut s = ctx.shipment(shipment_id)?;
            let order = ctx.order(s.order_id)?;
            fulfil_guard(&order, "make ready for pickup")?;
            pickup_guard(&order, "make ready for pickup")?;
            shipment_guard(&s, ShipmentCommand::ReadyForPickup)?;
            s.state = ShipmentState::ReadyForPickup;
            ctx.save_shipment(&mut s)?;
            let store = ctx.location(s.location)?;
            ctx.emit(Some(order.id), EventKind::ShipmentReadyForPickup { shipment_id: s.id, location: s.location });
            ctx.emit(
                Some(order.id),
                EventKind::CustomerNotificationRequired {
                    topic: "ready_for_pickup".into(),
                    message: format!("Order {} is ready for pickup at {}", order.number, store.name),
                },
            );
            Ok(s)
        })
    }

    /// Pickup orders: the customer collected the shipment at the store. The reservation
    /// is consumed, the units count as shipped and delivered, and the order completes once
    /// everything is collected. The event carries the money now due for capture.
    ///
    /// # Errors
    /// `InvalidTransition` unless the order is in fulfillment and the shipment ready for
    /// pickup.
    pub fn hand_over(&self, shipment_id: ShipmentId) -> Result<Shipment> {
        self.command("hand_over", &shipment_id, |ctx| {
            let mut s = ctx.shipment(shipment_id)?;
            let mut order = ctx.order(s.order_id)?;
            fulfil_guard(&order, "hand over")?;
            shipment_guard(&s, ShipmentCommand::HandOver)?;
            let capture_due = consume(ctx, &s, &mut order)?;
            s.state = ShipmentState::PickedUp;
            s.shipped_at = Some(ctx.now);
            s.delivered_at = Some(ctx.now);
            ctx.save_shipment(&mut s)?;
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::ShipmentHandedOver { shipment_id: s.id, capture_due });
            deliver(ctx, &s)?;
            Ok(s)
        })
    }

    /// Step 6, deliver: records a carrier status update for a shipment (by id or
    /// tracking number). Raw carrier codes are mapped through the configured table.
    /// A late event (a status the shipment has moved past) is kept in the history without
    /// changing the state; a duplicate changes nothing. `delivered` raises the lines'
    /// delivered quantities and completes the order once everything arrived.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown code or no shipment reference; `NotFound` for the
    /// shipment; `InvalidTransition` when the shipment has not shipped.
    pub fn record_tracking_event(&self, event: TrackingEventInput) -> Result<Shipment> {
        self.command("record_tracking_event", &event, |ctx| {
            let code = event.code.trim();
            let status = self
                .inner
                .tracking_codes
                .get(code)
                .copied()
                .or_else(|| TrackingStatus::parse(code))
                .ok_or_else(|| InputError::new("code", format!("unknown carrier status code '{code}'")))?;
            let id = match (&event.shipment, &event.tracking_number) {
                (Some(id), _) => *id,
                (None, Some(t)) => ctx.tx.shipment_by_tracking(t.trim())?.ok_or_else(|| Error::not_found("shipment", t))?,
                (None, None) => return Err(InputError::new("shipment", "give a shipment id or a tracking number").into()),
            };
            let mut s = ctx.shipment(id)?;
            if !s.state.has_shipped() {
                return Err(Error::transition("shipment", s.id, s.state, "record a carrier event for"));
            }
            let at = event.at.unwrap_or(ctx.now);
            if s.tracking.iter().any(|t| t.code == code && t.at == at) {
                return Ok(s);
            }
            let applies = s.state.allows(ShipmentCommand::Carrier(status));
            s.tracking.push(TrackingRecord { code: code.to_owned(), status, at, applied: applies });
            if applies {
                s.state = status.state();
                ctx.emit(Some(s.order_id), EventKind::ShipmentStatusChanged { shipment_id: s.id, status, code: code.to_owned() });
                if status == TrackingStatus::Delivered {
                    s.delivered_at = Some(at);
                    deliver(ctx, &s)?;
                }
            }
            ctx.save_shipment(&mut s)?;
            Ok(s)
        })
    }
}

/// Consumes a shipment's reservations (on-hand falls), raises the lines' shipped
/// quantities, and returns the money now due for capture: the shipped units' value, plus
/// shipping with the first shipment, limited to what is not captured yet.
fn consume(ctx: &mut Ctx<'_>, s: &Shipment, order: &mut Order) -> Result<Money> {
    let first = !order.any_shipped();
    let mut due = Decimal::ZERO;
    for sl in &s.lines {
        let q = i64::from(sl.picked);
        ctx.move_stock(&sl.sku, s.location, MovementKind::Shipped, -q, -q, None, Some(order.id))?;
        if let Some(ol) = order.line_mut(sl.line) {
            due += ol.units_value(ol.quantities.shipped, sl.picked).amount();
            ol.quantities.shipped += sl.picked;
        }
    }
    if first {
        due += order.totals.shipping.amount();
    }
    let open = (order.totals.total.amount() - order.payment.captured.amount()).max(Decimal::ZERO);
    Ok(Money::rounded(due.min(open), order.currency))
}

fn deliver(ctx: &mut Ctx<'_>, s: &Shipment) -> Result<()> {
    let mut order = ctx.order(s.order_id)?;
    for sl in &s.lines {
        if let Some(ol) = order.line_mut(sl.line) {
            ol.quantities.delivered += sl.picked;
        }
    }
    let completes = order.is_fully_delivered() && order.state == OrderState::InFulfillment;
    if completes {
        order.state = OrderState::Completed;
    }
    ctx.save_order(&mut order)?;
    if completes {
        ctx.emit(Some(order.id), EventKind::OrderCompleted);
    }
    Ok(())
}
