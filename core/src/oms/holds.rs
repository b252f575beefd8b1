//! Checkout holds: `hold_stock`, their conversion into orders, and expiry.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::Oms;
use super::allocation::release_hold;
use super::context::Ctx;
use crate::error::{ConflictError, Error, InputError, Result};
use crate::inventory::allocation::{self, Problem};
use crate::inventory::{HeldUnits, HoldLine, MovementKind, StockHold};

/// Most holds released by one sweep (lazy sweeps run in every reserving command).
pub(super) const SWEEP_LIMIT: usize = 1_000;

/// Longest time-to-live of a checkout hold: seven days.
pub const MAX_HOLD_TTL_SECONDS: u32 = 7 * 24 * 3600;

/// Input of [`Oms::hold_stock`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// The cart's reference (unique); holding again for the same cart replaces the hold.
    pub cart_ref: String,
    /// The sales channel (decides the eligible locations).
    pub channel: String,
    /// What to hold.
    pub lines: Vec<HoldLine>,
    /// Seconds until the hold lapses (1 ..= 604,800).
    pub ttl_seconds: u32,
}

impl HoldRequest {
    /// Holds `lines` for `cart_ref` on `channel` for `ttl_seconds`.
    pub fn new(cart_ref: impl Into<String>, channel: impl Into<String>, lines: Vec<HoldLine>, ttl_seconds: u32) -> Self {
        HoldRequest { cart_ref: cart_ref.into(), channel: channel.into(), lines, ttl_seconds }
    }
}

impl Oms {
    /// Sets stock aside for a checkout for `ttl_seconds`, all or nothing: the summed
    /// quantity of each SKU is reserved at the channel's eligible locations by its
    /// allocation rules. Placing an order with the same `cart_ref` converts the hold into
    /// the order's reservation; otherwise it lapses and is released (lazily by the next
    /// reserving command, or by [`Oms::release_expired_holds`]).
    ///
    /// ```
    /// # use ordo::*;
    /// # use rust_decimal::Decimal;
    /// let oms = Oms::in_memory();
    /// oms.add_channel(NewChannel::new("web", "Web"))?;
    /// let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord"))?;
    /// oms.receive_stock(ReceiveStock::new("MUG", nord.id, 3))?;
    /// oms.hold_stock(HoldRequest::new("cart-77", "web", vec![HoldLine::new("MUG", 2)], 15 * 60))?;
    /// assert_eq!(oms.available("MUG", None)?, 1);
    /// let order = NewOrder::new("web", "EUR", vec![NewLine::new("MUG", 2, Decimal::new(990, 2))])
    ///     .cart_ref("cart-77")
    ///     .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"));
    /// let order = oms.place_order(order)?;
    /// assert_eq!(oms.stock_hold("cart-77")?.order_id, Some(order.id));
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` for an empty cart reference or lines, zero quantities or a TTL out of
    /// range; `NotFound` for the channel; `InsufficientStock` when not everything can be
    /// held (nothing is held then); `Conflict` when the cart's hold was already converted
    /// into an order.
    pub fn hold_stock(&self, request: HoldRequest) -> Result<StockHold> {
        self.command("hold_stock", &request, |ctx| {
            let cart = request.cart_ref.trim();
            if cart.is_empty() {
                return Err(InputError::new("cart_ref", "must not be empty").into());
            }
            if request.lines.is_empty() {
                return Err(InputError::new("lines", "a hold needs at least one line").into());
            }
            if request.ttl_seconds == 0 || request.ttl_seconds > MAX_HOLD_TTL_SECONDS {
                return Err(InputError::new("ttl_seconds", format!("must be between 1 and {MAX_HOLD_TTL_SECONDS}")).into());
            }
            let channel = ctx.channel(request.channel.trim())?;
            self.sweep_holds(ctx)?;
            if let Some(old) = ctx.tx.stock_hold(cart)? {
                if old.order_id.is_some() {
                    return Err(ConflictError::AlreadyExists { entity: "order for cart", key: cart.to_owned() }.into());
                }
                release_hold(ctx, &old, "checkout hold replaced")?;
            }
            let mut problem = Problem::new(channel.allocation.clone(), None);
            let mut line_ids = Vec::new();
            for (i, l) in request.lines.iter().enumerate() {
                let sku = super::inventory::sku_arg(&l.sku).map_err(|_| InputError::new(format!("lines[{i}].sku"), "must not be empty"))?;
                if l.quantity == 0 {
                    return Err(InputError::new(format!("lines[{i}].quantity"), "must be at least 1").into());
                }
                let id = crate::ids::LineId::new();
                line_ids.push(id);
                problem.add_demand(id, &sku, l.quantity);
            }
            let locations: Vec<_> = ctx.tx.locations()?.into_iter().filter(|l| l.ships && channel.may_use(l)).collect();
            for l in &locations {
                problem.add_candidate(l.id, &l.code, &l.name, l.priority, l.geo);
            }
            for s in 0..problem.skus.len() {
                let sku = problem.skus[s].clone();
                for level in ctx.tx.stock_of_sku(&sku)? {
                    if let Some(i) = locations.iter().position(|l| l.id == level.location) {
                        problem.candidates[i].available[s] = level.available();
                    }
                }
            }
            let plan = allocation::plan(&problem);
            if let Some(b) = plan.backorders.first() {
                // Summed in u64: several lines of one SKU may ask for more than u32 holds.
                let wanted: u64 = request.lines.iter().filter(|l| l.sku.trim() == b.sku).map(|l| u64::from(l.quantity)).sum();
                let available = wanted.saturating_sub(u64::from(b.quantity));
                return Err(Error::InsufficientStock {
                    sku: b.sku.clone(),
                    location: None,
                    requested: u32::try_from(wanted).unwrap_or(u32::MAX),
                    available: u32::try_from(available).unwrap_or(u32::MAX),
                });
            }
            let mut lines: Vec<HeldUnits> = Vec::new();
            for a in &plan.allocations {
                let reason = Some(format!("checkout hold {cart}"));
                ctx.move_stock(&a.sku, a.location, MovementKind::Reserved, 0, i64::from(a.quantity), reason, None)?;
                match lines.iter_mut().find(|h| h.sku == a.sku && h.location == a.location) {
                    Some(h) => h.quantity += a.quantity,
                    None => lines.push(HeldUnits { sku: a.sku.clone(), location: a.location, quantity: a.quantity }),
                }
            }
            let hold = StockHold {
                cart_ref: cart.to_owned(),
                channel: channel.code.clone(),
                lines,
                expires_at: ctx.now + Duration::seconds(i64::from(request.ttl_seconds)),
                order_id: None,
            };
            ctx.tx.put_stock_hold(&hold)?;
            Ok(hold)
        })
    }

    /// The checkout hold of a cart.
    ///
    /// # Errors
    /// `NotFound` when the cart has no hold.
    pub fn stock_hold(&self, cart_ref: &str) -> Result<StockHold> {
        self.query(|ctx| ctx.tx.stock_hold(cart_ref.trim())?.ok_or_else(|| Error::not_found("stock hold", cart_ref)))
    }

    /// Releases a cart's checkout hold before it lapses (e.g. the cart was abandoned).
    ///
    /// # Errors
    /// `NotFound` when the cart has no hold; `Conflict` when it became an order (cancel
    /// the order instead).
    pub fn release_stock_hold(&self, cart_ref: &str) -> Result<StockHold> {
        self.command("release_stock_hold", cart_ref, |ctx| {
            let hold = ctx.tx.stock_hold(cart_ref.trim())?.ok_or_else(|| Error::not_found("stock hold", cart_ref))?;
            if hold.order_id.is_some() {
                return Err(ConflictError::AlreadyExists { entity: "order for cart", key: hold.cart_ref.clone() }.into());
            }
            release_hold(ctx, &hold, "checkout hold released")?;
            ctx.tx.delete_stock_hold(&hold.cart_ref)?;
            Ok(hold)
        })
    }

    /// Releases every checkout hold that has lapsed; returns how many.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn release_expired_holds(&self) -> Result<usize> {
        self.command("release_expired_holds", &(), |ctx| {
            let mut total = 0;
            loop {
                let n = self.sweep_holds(ctx)?;
                total += n;
                if n < SWEEP_LIMIT {
                    return Ok(total);
                }
            }
        })
    }

    /// Releases up to [`SWEEP_LIMIT`] lapsed holds inside the current command.
    pub(super) fn sweep_holds(&self, ctx: &mut Ctx<'_>) -> Result<usize> {
        let now = ctx.now;
        let expired = ctx.tx.expired_stock_holds(now, SWEEP_LIMIT)?;
        for h in &expired {
            release_hold(ctx, h, "checkout hold expired")?;
            ctx.tx.delete_stock_hold(&h.cart_ref)?;
        }
        Ok(expired.len())
    }
}
