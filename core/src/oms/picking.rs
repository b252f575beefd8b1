//! Step 4, pick: bins and pick lists, and the packing slip of step 5.

use std::collections::BTreeMap;

use super::Oms;
use crate::documents::{PackingSlip, SlipLine, return_instructions};
use crate::error::{Error, InputError, Result};
use crate::event::EventKind;
use crate::ids::{LocationId, OrderId, PickListId, ShipmentId};
use crate::order::{Order, OrderState};
use crate::picking::{NewPickList, PickLine, PickList, PickTarget};
use crate::shipment::{ShipmentCommand, ShipmentState};
use crate::timeline::Locale;

impl Oms {
    /// Records where `sku` lies at `location` (e.g. `"A-03-2"`); pick lists are sorted by
    /// bin. `None` clears it.
    ///
    /// # Errors
    /// `InvalidInput` for an empty SKU or bin; `NotFound` for the location.
    pub fn set_bin(&self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<Option<String>> {
        self.command("set_bin", &(sku, location, bin), |ctx| {
            let sku = super::inventory::sku_arg(sku)?;
            ctx.location(location)?;
            let bin = bin.map(str::trim);
            if bin.is_some_and(str::is_empty) {
                return Err(InputError::new("bin", "must not be empty (pass none to clear it)").into());
            }
            ctx.tx.put_bin(&sku, location, bin)?;
            Ok(bin.map(str::to_owned))
        })
    }

    /// Step 4, wave picking: gathers the pending shipments of one location (oldest first,
    /// orders on hold left out) into a pick list — one line per SKU with its bin and the
    /// summed quantity, sorted by bin, each traceable to its orders. The shipments move to
    /// `picking`; confirm each with [`Oms::confirm_pick`] as its units are sorted out.
    ///
    /// ```
    /// # use ordo::*;
    /// # use rust_decimal::Decimal;
    /// let oms = Oms::in_memory();
    /// oms.add_channel(NewChannel::new("web", "Web"))?;
    /// let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord"))?.id;
    /// oms.receive_stock(ReceiveStock::new("MUG", nord, 10))?;
    /// oms.set_bin("MUG", nord, Some("A-03-2"))?;
    /// for ext in ["o-1", "o-2"] {
    ///     let o = oms.place_order(
    ///         NewOrder::new("web", "EUR", vec![NewLine::new("MUG", 2, Decimal::new(990, 2))])
    ///             .external_ref(ext)
    ///             .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
    ///             .payment_method(PaymentMethod::Invoice),
    ///     )?;
    ///     oms.validate_order(o.id)?;
    ///     oms.allocate_order(o.id)?;
    /// }
    /// let list = oms.create_pick_list(NewPickList::new(nord))?;
    /// assert_eq!((list.lines[0].bin.as_deref(), list.lines[0].quantity), (Some("A-03-2"), 4));
    /// assert_eq!(list.lines[0].targets.len(), 2);
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// `NotFound` for the location; `InvalidInput` when it has no pending shipment of an
    /// order in fulfillment, or for `max_shipments` 0.
    pub fn create_pick_list(&self, request: NewPickList) -> Result<PickList> {
        self.command("create_pick_list", &request, |ctx| {
            if request.max_shipments == Some(0) {
                return Err(InputError::new("max_shipments", "must be at least 1").into());
            }
            ctx.location(request.location)?;
            let max = request.max_shipments.map_or(usize::MAX, |m| m as usize);
            let mut orders: BTreeMap<OrderId, Order> = BTreeMap::new();
            let mut chosen = Vec::new();
            for s in ctx.tx.pending_shipments_at(request.location, usize::MAX)? {
                if chosen.len() >= max {
                    break;
                }
                if !orders.contains_key(&s.order_id) {
                    let o = ctx.order(s.order_id)?;
                    orders.insert(o.id, o);
                }
                if orders.get(&s.order_id).is_some_and(|o| o.state == OrderState::InFulfillment) {
                    chosen.push(s);
                }
            }
            if chosen.is_empty() {
                return Err(InputError::new("location", "no pending shipment to pick at this location").into());
            }
            let id = PickListId::new();
            let mut lines: BTreeMap<String, PickLine> = BTreeMap::new();
            for s in &mut chosen {
                let order = orders.get(&s.order_id).ok_or_else(|| Error::not_found("order", s.order_id))?;
                for sl in &s.lines {
                    let name = order.line(sl.line).map_or_else(|| sl.sku.clone(), |l| l.name.clone());
                    let entry = match lines.get_mut(&sl.sku) {
                        Some(e) => e,
                        None => {
                            let bin = ctx.tx.bin(&sl.sku, request.location)?;
                            lines.entry(sl.sku.clone()).or_insert(PickLine {
                                bin,
                                sku: sl.sku.clone(),
                                name,
                                quantity: 0,
                                targets: Vec::new(),
                            })
                        }
                    };
                    entry.quantity += sl.quantity;
                    entry.targets.push(PickTarget {
                        order_id: order.id,
                        order_number: order.number.clone(),
                        shipment_id: s.id,
                        line: sl.line,
                        quantity: sl.quantity,
                    });
                }
                s.state = ShipmentState::Picking;
                s.pick_list = Some(id);
                ctx.save_shipment(s)?;
            }
            let mut list = PickList {
                id,
                location: request.location,
                shipments: chosen.iter().map(|s| s.id).collect(),
                lines: lines.into_values().collect(),
                created_at: ctx.now,
            };
            list.sort();
            ctx.tx.insert_pick_list(&list)?;
            ctx.emit(
                None,
                EventKind::PickListCreated {
                    pick_list_id: id,
                    location: request.location,
                    shipments: list.shipments.len(),
                    units: list.units(),
                },
            );
            Ok(list)
        })
    }

    /// The pick list with `id`.
    ///
    /// # Errors
    /// `NotFound`.
    pub fn pick_list(&self, id: PickListId) -> Result<PickList> {
        self.query(|ctx| ctx.tx.pick_list(id)?.ok_or_else(|| Error::not_found("pick list", id)))
    }

    /// The packing slip of a shipment in `locale` (`"de"` or `"en"`): order number,
    /// sender and recipient, what is in the parcel, what is still to come, and how to
    /// return goods. Render it with [`PackingSlip::to_text`] or [`PackingSlip::to_html`].
    ///
    /// # Errors
    /// `NotFound` for the shipment; `InvalidInput` for an unsupported locale;
    /// `InvalidTransition` for a shipment that is cancelled or not picked yet.
    pub fn packing_slip(&self, shipment_id: ShipmentId, locale: &str) -> Result<PackingSlip> {
        let loc: Locale = locale.parse()?;
        self.query(|ctx| {
            let s = ctx.shipment(shipment_id)?;
            if matches!(s.state, ShipmentState::Pending | ShipmentState::Picking | ShipmentState::Cancelled) {
                return Err(Error::transition("shipment", s.id, s.state, "print a packing slip for"));
            }
            let order = ctx.order(s.order_id)?;
            let from = ctx.location(s.location)?;
            let channel = ctx.channel(&order.channel)?;
            let mut lines = Vec::new();
            for sl in &s.lines {
                let Some(ol) = order.line(sl.line) else { continue };
                let here = sl.picked;
                let shipped_elsewhere = ol.quantities.shipped.saturating_sub(if s.state.has_shipped() { here } else { 0 });
                lines.push(SlipLine {
                    sku: ol.sku.clone(),
                    name: ol.name.clone(),
                    quantity: here,
                    ordered: ol.quantities.open(),
                    to_come: ol.quantities.open().saturating_sub(shipped_elsewhere + here),
                });
            }
            let still_to_come = order
                .lines
                .iter()
                .filter(|ol| !s.lines.iter().any(|sl| sl.line == ol.id))
                .filter(|ol| ol.quantities.unshipped() > 0)
                .map(|ol| SlipLine {
                    sku: ol.sku.clone(),
                    name: ol.name.clone(),
                    quantity: 0,
                    ordered: ol.quantities.open(),
                    to_come: ol.quantities.unshipped(),
                })
                .collect();
            let mut ship_from = vec![from.name.clone()];
            if let Some(a) = &from.address {
                ship_from.extend(a.lines().into_iter().filter(|l| *l != from.name));
            }
            let pickup = !s.state.allows(ShipmentCommand::Ship) && matches!(order.delivery, crate::DeliveryMethod::Pickup { .. });
            Ok(PackingSlip {
                order_id: order.id,
                order_number: order.number.clone(),
                shipment_id: s.id,
                placed_at: order.placed_at,
                ship_from,
                ship_to: if pickup { Vec::new() } else { order.shipping_address.as_deref().map(crate::Address::lines).unwrap_or_default() },
                lines,
                still_to_come,
                packages: s.packages.len(),
                return_instructions: return_instructions(loc, channel.return_window_days, &order.number),
                locale: if loc == Locale::De { "de".into() } else { "en".into() },
            })
        })
    }
}
