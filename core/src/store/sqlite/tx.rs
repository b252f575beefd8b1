//! [`SqliteTx`]: one SQLite transaction behind the [`Transaction`] trait.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use parking_lot::MutexGuard;
use rusqlite::Connection;

use super::turns::Turn;
use super::{SqliteStore, Writer, fulfillment, inventory, orders, outbox, with_busy_retry};
use crate::error::Result;
use crate::event::Event;
use crate::ids::{EventId, LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::inventory::{Channel, Location, Movement, SkuSettings, StockHold, StockLevel};
use crate::order::Order;
use crate::picking::PickList;
use crate::returns::{Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};
use crate::store::{IdempotencyRecord, OrderQuery, Transaction};

/// The connection a transaction runs on.
enum Held<'a> {
    /// The store's one write connection, held for the whole transaction (taken out only
    /// when the transaction ends, to hand it on fairly), and the writer's turn.
    Writer(Option<MutexGuard<'a, Writer>>, Option<Turn>),
    /// A pooled read-only connection, given back on drop.
    Reader { conn: Option<Connection>, store: &'a SqliteStore },
}

/// An open SQLite transaction: `BEGIN IMMEDIATE` for commands, `BEGIN DEFERRED` for
/// queries. Dropped without [`Transaction::commit`], it rolls back.
pub(super) struct SqliteTx<'a> {
    held: Held<'a>,
    busy_timeout: Duration,
    savepoints: usize,
}

impl<'a> SqliteTx<'a> {
    /// Wraps the write connection during the writer's turn; see [`SqliteTx::begin_immediate`].
    pub(super) fn writer(conn: MutexGuard<'a, Writer>, turn: Option<Turn>, busy_timeout: Duration) -> Self {
        SqliteTx { held: Held::Writer(Some(conn), turn), busy_timeout, savepoints: 0 }
    }

    /// `BEGIN IMMEDIATE`, waiting for writers outside ordo's queue until `deadline`.
    pub(super) fn begin_immediate(&mut self, deadline: Instant) -> Result<()> {
        let conn = self.conn()?;
        with_busy_retry(deadline, || conn.prepare_cached("BEGIN IMMEDIATE")?.execute([]).map(drop))
    }

    /// Wraps a read connection, on which `BEGIN DEFERRED` has succeeded.
    pub(super) fn reader(conn: Connection, store: &'a SqliteStore) -> Self {
        SqliteTx { held: Held::Reader { conn: Some(conn), store }, busy_timeout: store.options.busy_timeout, savepoints: 0 }
    }

    fn conn(&self) -> Result<&Connection> {
        match &self.held {
            Held::Writer(Some(w), _) => Ok(&w.conn),
            Held::Writer(None, _) => Err(crate::StoreError::Backend("the transaction is finished".into()).into()),
            Held::Reader { conn: Some(c), .. } => Ok(c),
            Held::Reader { conn: None, .. } => Err(crate::StoreError::Backend("the transaction is finished".into()).into()),
        }
    }

    fn exec(&self, sql: &str) -> Result<()> {
        self.conn()?.prepare_cached(sql)?.execute([])?;
        Ok(())
    }
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        match &mut self.held {
            Held::Writer(guard, turn) => {
                if let Some(mut w) = guard.take() {
                    if !w.conn.is_autocommit() {
                        // Never panics; if even the rollback fails, the next `begin` rolls back.
                        let _ = w.conn.execute_batch("ROLLBACK");
                    }
                    if let (Some(t), Some(turns)) = (turn.take(), w.turns.as_mut()) {
                        turns.finish(&t);
                    }
                    MutexGuard::unlock_fair(w);
                }
            }
            Held::Reader { conn, store } => {
                if let Some(c) = conn.take() {
                    if !c.is_autocommit() {
                        let _ = c.execute_batch("ROLLBACK");
                    }
                    store.give_back(c);
                }
            }
        }
    }
}

impl Transaction for SqliteTx<'_> {
    fn next_number(&mut self, counter: &str) -> Result<u64> {
        outbox::next_number(self.conn()?, counter)
    }

    fn order(&mut self, id: OrderId) -> Result<Option<Order>> {
        orders::order(self.conn()?, id)
    }

    fn order_by_ref(&mut self, channel: &str, external_ref: &str) -> Result<Option<OrderId>> {
        orders::order_by_ref(self.conn()?, channel, external_ref)
    }

    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        orders::order_by_number(self.conn()?, number)
    }

    fn orders(&mut self, query: &OrderQuery) -> Result<Vec<Order>> {
        orders::orders(self.conn()?, query)
    }

    fn put_order(&mut self, order: &Order) -> Result<()> {
        orders::put_order(self.conn()?, order)
    }

    fn shipment(&mut self, id: ShipmentId) -> Result<Option<Shipment>> {
        fulfillment::shipment(self.conn()?, id)
    }

    fn shipments_of_order(&mut self, order: OrderId) -> Result<Vec<Shipment>> {
        fulfillment::shipments_of_order(self.conn()?, order)
    }

    fn shipment_by_tracking(&mut self, tracking_number: &str) -> Result<Option<ShipmentId>> {
        fulfillment::shipment_by_tracking(self.conn()?, tracking_number)
    }

    fn shipments_in_states(&mut self, states: &[ShipmentState]) -> Result<Vec<Shipment>> {
        fulfillment::shipments_in_states(self.conn()?, states)
    }

    fn put_shipment(&mut self, shipment: &Shipment) -> Result<()> {
        fulfillment::put_shipment(self.conn()?, shipment)
    }

    fn return_(&mut self, id: ReturnId) -> Result<Option<Return>> {
        fulfillment::return_(self.conn()?, id)
    }

    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>> {
        fulfillment::returns_of_order(self.conn()?, order)
    }

    fn returns_in_states(&mut self, states: &[ReturnState]) -> Result<Vec<Return>> {
        fulfillment::returns_in_states(self.conn()?, states)
    }

    fn put_return(&mut self, ret: &Return) -> Result<()> {
        fulfillment::put_return(self.conn()?, ret)
    }

    fn channel(&mut self, code: &str) -> Result<Option<Channel>> {
        inventory::channel(self.conn()?, code)
    }

    fn channels(&mut self) -> Result<Vec<Channel>> {
        inventory::channels(self.conn()?)
    }

    fn insert_channel(&mut self, channel: &Channel) -> Result<()> {
        inventory::insert_channel(self.conn()?, channel)
    }

    fn update_channel(&mut self, channel: &Channel) -> Result<()> {
        inventory::update_channel(self.conn()?, channel)
    }

    fn location(&mut self, id: LocationId) -> Result<Option<Location>> {
        inventory::location(self.conn()?, id)
    }

    fn location_by_code(&mut self, code: &str) -> Result<Option<Location>> {
        inventory::location_by_code(self.conn()?, code)
    }

    fn locations(&mut self) -> Result<Vec<Location>> {
        inventory::locations(self.conn()?)
    }

    fn put_location(&mut self, location: &Location) -> Result<()> {
        inventory::put_location(self.conn()?, location)
    }

    fn stock(&mut self, sku: &str, location: LocationId) -> Result<Option<StockLevel>> {
        inventory::stock(self.conn()?, sku, location)
    }

    fn stock_of_sku(&mut self, sku: &str) -> Result<Vec<StockLevel>> {
        inventory::stock_of_sku(self.conn()?, sku)
    }

    fn all_stock(&mut self) -> Result<Vec<StockLevel>> {
        inventory::all_stock(self.conn()?)
    }

    fn put_stock(&mut self, level: &StockLevel) -> Result<()> {
        inventory::put_stock(self.conn()?, level)
    }

    fn append_movements(&mut self, movements: Vec<Movement>) -> Result<()> {
        inventory::append_movements(self.conn()?, &movements)
    }

    fn movements(&mut self, sku: Option<&str>) -> Result<Vec<Movement>> {
        inventory::movements(self.conn()?, sku)
    }

    fn sku_settings(&mut self, sku: &str) -> Result<Option<SkuSettings>> {
        inventory::sku_settings(self.conn()?, sku)
    }

    fn put_sku_settings(&mut self, settings: &SkuSettings) -> Result<()> {
        inventory::put_sku_settings(self.conn()?, settings)
    }

    fn stock_hold(&mut self, cart_ref: &str) -> Result<Option<StockHold>> {
        inventory::stock_hold(self.conn()?, cart_ref)
    }

    fn put_stock_hold(&mut self, hold: &StockHold) -> Result<()> {
        inventory::put_stock_hold(self.conn()?, hold)
    }

    fn delete_stock_hold(&mut self, cart_ref: &str) -> Result<()> {
        inventory::delete_stock_hold(self.conn()?, cart_ref)
    }

    fn expired_stock_holds(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>> {
        inventory::expired_stock_holds(self.conn()?, now, limit)
    }

    fn orders_awaiting_stock(&mut self, sku: &str) -> Result<Vec<OrderId>> {
        orders::orders_awaiting_stock(self.conn()?, sku)
    }

    fn pending_shipments_at(&mut self, location: LocationId, limit: usize) -> Result<Vec<Shipment>> {
        fulfillment::pending_shipments_at(self.conn()?, location, limit)
    }

    fn pick_list(&mut self, id: PickListId) -> Result<Option<PickList>> {
        fulfillment::pick_list(self.conn()?, id)
    }

    fn insert_pick_list(&mut self, list: &PickList) -> Result<()> {
        fulfillment::insert_pick_list(self.conn()?, list)
    }

    fn bin(&mut self, sku: &str, location: LocationId) -> Result<Option<String>> {
        fulfillment::bin(self.conn()?, sku, location)
    }

    fn put_bin(&mut self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()> {
        fulfillment::put_bin(self.conn()?, sku, location, bin)
    }

    fn idempotency(&mut self, key: &str) -> Result<Option<IdempotencyRecord>> {
        outbox::idempotency(self.conn()?, key)
    }

    fn put_idempotency(&mut self, record: &IdempotencyRecord) -> Result<()> {
        outbox::put_idempotency(self.conn()?, record)
    }

    fn append_events(&mut self, events: Vec<Event>) -> Result<()> {
        outbox::append_events(self.conn()?, &events)
    }

    fn order_events(&mut self, order: OrderId) -> Result<Vec<Event>> {
        outbox::order_events(self.conn()?, order)
    }

    fn pending_events(&mut self, limit: usize) -> Result<Vec<Event>> {
        outbox::pending_events(self.conn()?, limit)
    }

    fn ack_events(&mut self, ids: &[EventId]) -> Result<usize> {
        outbox::ack_events(self.conn()?, ids)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        let conn = self.conn()?;
        if conn.is_autocommit() {
            return Err(crate::StoreError::Backend("the transaction was rolled back by SQLite before commit".into()).into());
        }
        let deadline = Instant::now() + self.busy_timeout;
        // A busy COMMIT leaves the transaction open, so trying again is safe.
        with_busy_retry(deadline, || conn.prepare_cached("COMMIT")?.execute([]).map(drop))
        // On any other failure `Drop` rolls back whatever SQLite kept open.
    }

    fn savepoint(&mut self) -> Result<()> {
        self.exec("SAVEPOINT ordo_item")?;
        self.savepoints += 1;
        Ok(())
    }

    fn rollback_to_savepoint(&mut self) -> Result<()> {
        if self.savepoints == 0 {
            return Err(crate::StoreError::Backend("no savepoint to roll back to".into()).into());
        }
        self.exec("ROLLBACK TO ordo_item")?;
        self.exec("RELEASE ordo_item")?;
        self.savepoints -= 1;
        Ok(())
    }

    fn release_savepoint(&mut self) -> Result<()> {
        if self.savepoints == 0 {
            return Err(crate::StoreError::Backend("no savepoint to release".into()).into());
        }
        self.exec("RELEASE ordo_item")?;
        self.savepoints -= 1;
        Ok(())
    }
}
