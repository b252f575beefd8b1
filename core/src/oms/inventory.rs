//! The inventory network: channels, locations, SKU settings, stock and its ledger.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{ConflictError, Error, InputError, Result};
use crate::ids::LocationId;
use crate::inventory::{
    BackorderPolicy, Channel, InventoryDiscrepancy, Location, Movement, MovementKind, NewChannel, NewLocation, SkuSettings, StockLevel,
};

/// Goods received at a location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// Units moved from one location to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferStock {
    /// The SKU.
    pub sku: String,
    /// From where (its available units, not reserved ones, can move).
    pub from: LocationId,
    /// To where.
    pub to: LocationId,
    /// Units (≥ 1).
    pub quantity: u32,
    /// Why or which transfer order.
    #[serde(default)]
    pub reference: Option<String>,
}

impl TransferStock {
    /// Moves `quantity` units of `sku` from `from` to `to`.
    pub fn new(sku: impl Into<String>, from: LocationId, to: LocationId, quantity: u32) -> Self {
        TransferStock { sku: sku.into(), from, to, quantity, reference: None }
    }
}

/// A correction of on-hand stock after a count, damage or loss.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// (location, units) of `sku` in checkout holds that have lapsed but are not released yet.
fn lapsed_holds(ctx: &mut Ctx<'_>, sku: &str) -> Result<Vec<(LocationId, u32)>> {
    let now = ctx.now;
    Ok(ctx
        .tx
        .expired_stock_holds(now, super::holds::SWEEP_LIMIT)?
        .into_iter()
        .flat_map(|h| h.lines)
        .filter(|l| l.sku == sku)
        .map(|l| (l.location, l.quantity))
        .collect())
}

pub(super) fn sku_arg(sku: &str) -> Result<String> {
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

    /// Replaces the settings of an existing channel (name, return window, allocation
    /// rules, eligible locations); orders already placed keep their reservations.
    ///
    /// # Errors
    /// `InvalidInput` as for `add_channel`; `NotFound` for an unknown code.
    pub fn update_channel(&self, channel: NewChannel) -> Result<Channel> {
        self.command("update_channel", &channel, |ctx| {
            let c = channel.build()?;
            ctx.tx.update_channel(&c)?;
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
                return Err(ConflictError::AlreadyExists { entity: "location", key: l.code.clone() }.into());
            }
            ctx.tx.put_location(&l)?;
            Ok(l)
        })
    }

    /// Activates or deactivates a location: inactive locations are never allocated from
    /// (stock already reserved there stays reserved).
    ///
    /// # Errors
    /// `NotFound` for the location.
    pub fn set_location_active(&self, location: LocationId, active: bool) -> Result<Location> {
        self.command("set_location_active", &(location, active), |ctx| {
            let mut l = ctx.location(location)?;
            l.active = active;
            ctx.tx.put_location(&l)?;
            Ok(l)
        })
    }

    /// Sets whether `sku` may be sold without stock. A SKU with settings is known to the
    /// inventory even before its first receipt.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU.
    pub fn set_backorder_policy(&self, sku: &str, policy: BackorderPolicy) -> Result<SkuSettings> {
        self.command("set_backorder_policy", &(sku, policy), |ctx| {
            let settings = SkuSettings { sku: sku_arg(sku)?, backorder: policy };
            ctx.tx.put_sku_settings(&settings)?;
            Ok(settings)
        })
    }

    /// The settings of `sku` (the default, `deny`, when none were set).
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU.
    pub fn sku_settings(&self, sku: &str) -> Result<SkuSettings> {
        let sku = sku_arg(sku)?;
        self.query(|ctx| Ok(ctx.tx.sku_settings(&sku)?.unwrap_or(SkuSettings { sku: sku.clone(), backorder: BackorderPolicy::Deny })))
    }

    /// Every location.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn locations(&self) -> Result<Vec<Location>> {
        self.query(|ctx| ctx.tx.locations())
    }

    /// Books goods received at a location. Backordered order lines of the SKU are then
    /// allocated, oldest order first, as far as the new stock reaches.
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
            ctx.move_stock(
                &sku,
                receipt.location,
                MovementKind::Received,
                i64::from(receipt.quantity),
                0,
                receipt.reference.clone(),
                None,
            )?;
            self.fill_backorders(ctx, &sku)?;
            ctx.level(&sku, receipt.location)
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
            ctx.move_stock(&sku, adjustment.location, MovementKind::Adjusted, adjustment.delta, 0, Some(adjustment.reason.clone()), None)?;
            if adjustment.delta > 0 {
                self.fill_backorders(ctx, &sku)?;
            }
            ctx.level(&sku, adjustment.location)
        })
    }

    /// Moves available units between locations: one `transferred` movement out of `from`
    /// and one into `to`, in one transaction. Backorders of the SKU are then filled.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU, zero units or the same location twice; `NotFound`
    /// for either location; `InsufficientStock` when `from` has fewer available units
    /// (reserved and safety stock stay put).
    pub fn transfer_stock(&self, transfer: TransferStock) -> Result<[StockLevel; 2]> {
        self.command("transfer_stock", &transfer, |ctx| {
            let sku = sku_arg(&transfer.sku)?;
            if transfer.quantity == 0 {
                return Err(InputError::new("quantity", "must be at least 1").into());
            }
            if transfer.from == transfer.to {
                return Err(InputError::new("to", "must differ from `from`").into());
            }
            ctx.location(transfer.from)?;
            ctx.location(transfer.to)?;
            let source = ctx.level(&sku, transfer.from)?;
            if source.available() < transfer.quantity {
                return Err(Error::InsufficientStock {
                    sku,
                    location: Some(transfer.from.to_string()),
                    requested: transfer.quantity,
                    available: source.available(),
                });
            }
            let q = i64::from(transfer.quantity);
            ctx.move_stock(&sku, transfer.from, MovementKind::Transferred, -q, 0, transfer.reference.clone(), None)?;
            ctx.move_stock(&sku, transfer.to, MovementKind::Transferred, q, 0, transfer.reference.clone(), None)?;
            self.fill_backorders(ctx, &sku)?;
            Ok([ctx.level(&sku, transfer.from)?, ctx.level(&sku, transfer.to)?])
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

    /// Every stock level, by SKU and location, or only those of `location`.
    ///
    /// # Errors
    /// `NotFound` for an unknown location.
    pub fn stock_levels(&self, location: Option<LocationId>) -> Result<Vec<StockLevel>> {
        self.query(|ctx| {
            if let Some(l) = location {
                ctx.location(l)?;
            }
            Ok(ctx.tx.all_stock()?.into_iter().filter(|s| location.is_none_or(|l| s.location == l)).collect())
        })
    }

    /// The levels of `sku` at every location that holds it.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn stock(&self, sku: &str) -> Result<Vec<StockLevel>> {
        self.query(|ctx| ctx.tx.stock_of_sku(sku.trim()))
    }

    /// Units of `sku` available across the network, or only at the locations `channel`
    /// may use (active locations only; safety stock and live checkout holds excluded).
    ///
    /// # Errors
    /// `NotFound` for an unknown channel.
    pub fn available(&self, sku: &str, channel: Option<&str>) -> Result<u64> {
        self.query(|ctx| {
            let channel = channel.map(|c| ctx.channel(c)).transpose()?;
            let locations: Vec<Location> =
                ctx.tx.locations()?.into_iter().filter(|l| l.active && channel.as_ref().is_none_or(|c| c.may_use(l))).collect();
            let sku = sku.trim();
            let lapsed = lapsed_holds(ctx, sku)?;
            Ok(ctx
                .tx
                .stock_of_sku(sku)?
                .iter()
                .filter(|s| locations.iter().any(|l| l.id == s.location))
                .map(|s| {
                    u64::from(s.available()) + u64::from(lapsed.iter().filter(|(l, _)| *l == s.location).map(|(_, q)| *q).sum::<u32>())
                })
                .sum())
        })
    }

    /// Units of `sku` the order could be allocated (at its eligible locations, including
    /// its own converted checkout hold), or `None` when the SKU is unknown (no stock record
    /// and no settings).
    ///
    /// `eligible` are the order's eligible locations and `held` its own checkout hold
    /// (looked up once per order by the caller, not once per SKU).
    pub(super) fn available_for(
        &self,
        ctx: &mut Ctx<'_>,
        sku: &str,
        eligible: &[Location],
        held: Option<&crate::inventory::StockHold>,
    ) -> Result<Option<u64>> {
        let levels = ctx.tx.stock_of_sku(sku)?;
        if levels.is_empty() && ctx.tx.sku_settings(sku)?.is_none() {
            return Ok(None);
        }
        Ok(Some(
            levels
                .iter()
                .filter(|s| eligible.iter().any(|l| l.id == s.location))
                .map(|s| u64::from(s.available()) + u64::from(held.map_or(0, |h| h.held(sku, s.location))))
                .sum(),
        ))
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
}
