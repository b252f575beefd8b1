//! Bulk import: many orders in one transaction, for data scripts and migrations from
//! other systems.
//!
//! ```
//! use ordo::*;
//! use rust_decimal::Decimal;
//! let oms = Oms::in_memory();
//! oms.add_channel(NewChannel::new("web", "Web shop"))?;
//! let to = Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE");
//! let order = |ext: &str, qty| {
//!     NewOrder::new("web", "EUR", vec![NewLine::new("MUG", qty, Decimal::new(990, 2))]).external_ref(ext).ship_to(to.clone())
//! };
//! let results = oms.import_orders(vec![order("a-1", 1), order("a-2", 0), order("a-1", 1)])?;
//! assert!(matches!(results[0], ImportResult::Placed { .. }));
//! assert!(matches!(&results[1], ImportResult::Failed { code, .. } if code == "INVALID_INPUT"));
//! assert!(matches!(results[2], ImportResult::AlreadyExisted { .. }));
//! assert_eq!(oms.list_orders(&OrderQuery::default())?.len(), 1);
//! # Ok::<(), ordo::Error>(())
//! ```

use std::cell::Cell;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Oms;
use super::context::Ctx;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::ids::{EventId, LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::inventory::{Channel, Location, Movement, SkuSettings, StockHold, StockLevel};
use crate::order::{NewOrder, Order};
use crate::picking::PickList;
use crate::returns::{Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};
use crate::store::{IdempotencyRecord, OrderQuery, Transaction};

/// What became of one order of [`Oms::import_orders`] (same position as in the input).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ImportResult {
    /// The order was placed now.
    Placed {
        /// Its id.
        order_id: OrderId,
        /// Its number.
        number: String,
    },
    /// The same order (same channel, external reference and content) was stored before —
    /// by an earlier import, a `place_order`, or earlier in the same batch. Nothing changed.
    AlreadyExisted {
        /// The stored order's id.
        order_id: OrderId,
        /// Its number.
        number: String,
    },
    /// The order was refused, exactly as [`Oms::place_order`] would refuse it; nothing of
    /// it was stored.
    Failed {
        /// The stable error code, e.g. `"INVALID_INPUT"` (see [`Error::code`]).
        code: String,
        /// What was wrong.
        message: String,
    },
}

impl ImportResult {
    /// The order placed or found, unless it failed.
    #[must_use]
    pub fn order_id(&self) -> Option<OrderId> {
        match self {
            ImportResult::Placed { order_id, .. } | ImportResult::AlreadyExisted { order_id, .. } => Some(*order_id),
            ImportResult::Failed { .. } => None,
        }
    }
}

impl Oms {
    /// Places many orders in **one** transaction: each order goes through the same
    /// validation and idempotency as [`Oms::place_order`] (a repeated channel and external
    /// reference with the same content is reported as
    /// [`AlreadyExisted`](ImportResult::AlreadyExisted), with other content as a
    /// `CONFLICT` failure), and one refused order does not stop the others: every order
    /// gets its own [`ImportResult`], in input order. Much faster than one command per
    /// order on a durable store (one commit for the whole batch).
    ///
    /// With [`Oms::with_idempotency_key`], retrying the whole import returns the first
    /// results.
    ///
    /// # Errors
    /// Only what aborts the whole batch (nothing is stored then): storage errors, and a
    /// reused idempotency key.
    pub fn import_orders(&self, orders: Vec<NewOrder>) -> Result<Vec<ImportResult>> {
        let fingerprints = orders.iter().map(|o| super::fingerprint("place_order", o)).collect::<Result<Vec<_>>>()?;
        self.command("import_orders", &orders, |ctx| {
            let mut results = Vec::with_capacity(orders.len());
            for (new, fp) in orders.iter().zip(&fingerprints) {
                results.push(self.import_one(ctx, new, *fp)?);
            }
            Ok(results)
        })
    }

    /// Places one order of a batch inside a savepoint of the batch's transaction.
    fn import_one(&self, ctx: &mut Ctx<'_>, new: &NewOrder, fp: u64) -> Result<ImportResult> {
        let place = self.place_order_body("place_order", new, fp);
        let wrote_order = Cell::new(false);
        let finished = Cell::new(false);
        ctx.tx.savepoint()?;
        let outcome = {
            let mut item = Ctx::new(Box::new(ItemTx { tx: &mut *ctx.tx, wrote_order: &wrote_order, finished: &finished }), ctx.now);
            place(&mut item).and_then(|order| item.finish().map(|()| order))
        };
        match outcome {
            Ok(order) if finished.get() => {
                ctx.tx.release_savepoint()?;
                Ok(if wrote_order.get() {
                    ImportResult::Placed { order_id: order.id, number: order.number }
                } else {
                    ImportResult::AlreadyExisted { order_id: order.id, number: order.number }
                })
            }
            Ok(_) => Err(crate::StoreError::Backend("an imported order was not finished".into()).into()),
            Err(e) => {
                ctx.tx.rollback_to_savepoint()?;
                match e {
                    Error::Store(_) => Err(e),
                    e => Ok(ImportResult::Failed { code: e.code().to_owned(), message: e.to_string() }),
                }
            }
        }
    }
}

/// The batch's transaction as seen by one order: every call goes through, except that
/// `commit` only notes that the order finished (the batch commits once, at the end), and
/// `put_order` notes that an order was written (placed, not found).
struct ItemTx<'a, 's> {
    tx: &'a mut (dyn Transaction + 's),
    wrote_order: &'a Cell<bool>,
    finished: &'a Cell<bool>,
}

impl Transaction for ItemTx<'_, '_> {
    fn next_number(&mut self, counter: &str) -> Result<u64> {
        self.tx.next_number(counter)
    }
    fn order(&mut self, id: OrderId) -> Result<Option<Order>> {
        self.tx.order(id)
    }
    fn order_by_ref(&mut self, channel: &str, external_ref: &str) -> Result<Option<OrderId>> {
        self.tx.order_by_ref(channel, external_ref)
    }
    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        self.tx.order_by_number(number)
    }
    fn orders(&mut self, query: &OrderQuery) -> Result<Vec<Order>> {
        self.tx.orders(query)
    }
    fn put_order(&mut self, order: &Order) -> Result<()> {
        self.tx.put_order(order)?;
        self.wrote_order.set(true);
        Ok(())
    }
    fn shipment(&mut self, id: ShipmentId) -> Result<Option<Shipment>> {
        self.tx.shipment(id)
    }
    fn shipments_of_order(&mut self, order: OrderId) -> Result<Vec<Shipment>> {
        self.tx.shipments_of_order(order)
    }
    fn shipment_by_tracking(&mut self, tracking_number: &str) -> Result<Option<ShipmentId>> {
        self.tx.shipment_by_tracking(tracking_number)
    }
    fn shipments_in_states(&mut self, states: &[ShipmentState]) -> Result<Vec<Shipment>> {
        self.tx.shipments_in_states(states)
    }
    fn pending_shipments_at(&mut self, location: LocationId, limit: usize) -> Result<Vec<Shipment>> {
        self.tx.pending_shipments_at(location, limit)
    }
    fn pick_list(&mut self, id: PickListId) -> Result<Option<PickList>> {
        self.tx.pick_list(id)
    }
    fn insert_pick_list(&mut self, list: &PickList) -> Result<()> {
        self.tx.insert_pick_list(list)
    }
    fn bin(&mut self, sku: &str, location: LocationId) -> Result<Option<String>> {
        self.tx.bin(sku, location)
    }
    fn put_bin(&mut self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()> {
        self.tx.put_bin(sku, location, bin)
    }
    fn put_shipment(&mut self, shipment: &Shipment) -> Result<()> {
        self.tx.put_shipment(shipment)
    }
    fn return_(&mut self, id: ReturnId) -> Result<Option<Return>> {
        self.tx.return_(id)
    }
    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>> {
        self.tx.returns_of_order(order)
    }
    fn returns_in_states(&mut self, states: &[ReturnState]) -> Result<Vec<Return>> {
        self.tx.returns_in_states(states)
    }
    fn put_return(&mut self, ret: &Return) -> Result<()> {
        self.tx.put_return(ret)
    }
    fn channel(&mut self, code: &str) -> Result<Option<Channel>> {
        self.tx.channel(code)
    }
    fn channels(&mut self) -> Result<Vec<Channel>> {
        self.tx.channels()
    }
    fn insert_channel(&mut self, channel: &Channel) -> Result<()> {
        self.tx.insert_channel(channel)
    }
    fn update_channel(&mut self, channel: &Channel) -> Result<()> {
        self.tx.update_channel(channel)
    }
    fn location(&mut self, id: LocationId) -> Result<Option<Location>> {
        self.tx.location(id)
    }
    fn location_by_code(&mut self, code: &str) -> Result<Option<Location>> {
        self.tx.location_by_code(code)
    }
    fn locations(&mut self) -> Result<Vec<Location>> {
        self.tx.locations()
    }
    fn put_location(&mut self, location: &Location) -> Result<()> {
        self.tx.put_location(location)
    }
    fn stock(&mut self, sku: &str, location: LocationId) -> Result<Option<StockLevel>> {
        self.tx.stock(sku, location)
    }
    fn stock_of_sku(&mut self, sku: &str) -> Result<Vec<StockLevel>> {
        self.tx.stock_of_sku(sku)
    }
    fn all_stock(&mut self) -> Result<Vec<StockLevel>> {
        self.tx.all_stock()
    }
    fn put_stock(&mut self, level: &StockLevel) -> Result<()> {
        self.tx.put_stock(level)
    }
    fn append_movements(&mut self, movements: Vec<Movement>) -> Result<()> {
        self.tx.append_movements(movements)
    }
    fn movements(&mut self, sku: Option<&str>) -> Result<Vec<Movement>> {
        self.tx.movements(sku)
    }
    fn sku_settings(&mut self, sku: &str) -> Result<Option<SkuSettings>> {
        self.tx.sku_settings(sku)
    }
    fn put_sku_settings(&mut self, settings: &SkuSettings) -> Result<()> {
        self.tx.put_sku_settings(settings)
    }
    fn stock_hold(&mut self, cart_ref: &str) -> Result<Option<StockHold>> {
        self.tx.stock_hold(cart_ref)
    }
    fn put_stock_hold(&mut self, hold: &StockHold) -> Result<()> {
        self.tx.put_stock_hold(hold)
    }
    fn delete_stock_hold(&mut self, cart_ref: &str) -> Result<()> {
        self.tx.delete_stock_hold(cart_ref)
    }
    fn expired_stock_holds(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>> {
        self.tx.expired_stock_holds(now, limit)
    }
    fn orders_awaiting_stock(&mut self, sku: &str) -> Result<Vec<OrderId>> {
        self.tx.orders_awaiting_stock(sku)
    }
    fn idempotency(&mut self, key: &str) -> Result<Option<IdempotencyRecord>> {
        self.tx.idempotency(key)
    }
    fn put_idempotency(&mut self, record: &IdempotencyRecord) -> Result<()> {
        self.tx.put_idempotency(record)
    }
    fn append_events(&mut self, events: Vec<Event>) -> Result<()> {
        self.tx.append_events(events)
    }
    fn order_events(&mut self, order: OrderId) -> Result<Vec<Event>> {
        self.tx.order_events(order)
    }
    fn pending_events(&mut self, limit: usize) -> Result<Vec<Event>> {
        self.tx.pending_events(limit)
    }
    fn ack_events(&mut self, ids: &[EventId]) -> Result<usize> {
        self.tx.ack_events(ids)
    }
    fn commit(self: Box<Self>) -> Result<()> {
        self.finished.set(true);
        Ok(())
    }
    fn savepoint(&mut self) -> Result<()> {
        self.tx.savepoint()
    }
    fn rollback_to_savepoint(&mut self) -> Result<()> {
        self.tx.rollback_to_savepoint()
    }
    fn release_savepoint(&mut self) -> Result<()> {
        self.tx.release_savepoint()
    }
}
