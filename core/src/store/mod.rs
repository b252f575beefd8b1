//! Storage traits: what a backend must provide.
//!
//! A [`Store`] hands out [`Transaction`]s. Every command of [`Oms`](crate::Oms) runs in
//! exactly one transaction: it loads what it needs, applies pure domain logic, writes the
//! changed aggregates **and** the events it produced, and commits. Dropping a transaction
//! without committing rolls everything back, so a failed command stores nothing.
//!
//! The traits assume neither one process nor in-process locks: a backend must make a
//! transaction's reads and writes atomic and isolated against every other writer
//! (the memory store serializes transactions with a lock; SQLite uses `BEGIN IMMEDIATE`;
//! PostgreSQL uses serializable transactions with retries). Aggregates carry a `version`:
//! a writer stores version `n + 1` over version `n`, and a backend refuses any other
//! write with [`ConflictError::VersionConflict`](crate::ConflictError::VersionConflict).

#[cfg(feature = "sqlite")]
pub(crate) mod document;
mod memory;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use memory::MemoryStore;
#[cfg(feature = "sqlite")]
pub use sqlite::{Durability, SqliteOptions, SqliteStore};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::Event;
use crate::ids::{EventId, LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::inventory::{Channel, Location, Movement, SkuSettings, StockHold, StockLevel};
use crate::order::{Order, OrderState};
use crate::picking::PickList;
use crate::returns::{Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};

/// A storage backend.
pub trait Store: Send + Sync {
    /// Starts a transaction. It sees its own writes and nothing of other uncommitted ones.
    ///
    /// # Errors
    /// [`Error::Store`](crate::Error::Store) when the backend cannot start one.
    fn begin(&self) -> Result<Box<dyn Transaction + '_>>;

    /// Starts a transaction that only reads (queries); it is never committed. Backends may
    /// serve it without taking the write lock. Defaults to [`Store::begin`].
    ///
    /// # Errors
    /// As [`Store::begin`].
    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        self.begin()
    }
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        (**self).begin()
    }

    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        (**self).begin_read()
    }
}

/// Filter for [`Oms::list_orders`](crate::Oms::list_orders).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct OrderQuery {
    /// Only orders in this state.
    pub state: Option<OrderState>,
    /// Only orders of this channel.
    pub channel: Option<String>,
    /// Only orders placed at or after this time.
    pub placed_from: Option<DateTime<Utc>>,
    /// Only orders placed before this time.
    pub placed_until: Option<DateTime<Utc>>,
    /// Skip this many (in placement order).
    pub offset: usize,
    /// At most this many; `None` for all.
    pub limit: Option<usize>,
}

impl OrderQuery {
    /// Whether `order` passes the filter (offset and limit aside).
    #[must_use]
    pub fn matches(&self, order: &Order) -> bool {
        self.state.is_none_or(|s| s == order.state)
            && self.channel.as_ref().is_none_or(|c| *c == order.channel)
            && self.placed_from.is_none_or(|t| order.placed_at >= t)
            && self.placed_until.is_none_or(|t| order.placed_at < t)
    }
}

/// A stored idempotency key with the first result of its command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdempotencyRecord {
    /// The key.
    pub key: String,
    /// The command it was used for.
    pub command: String,
    /// Fingerprint of the command's input.
    pub fingerprint: u64,
    /// The first result, as JSON.
    pub result: String,
    /// When it was stored.
    pub at: DateTime<Utc>,
}

/// One unit of work against a store; see the module docs.
///
/// `put_*` methods insert or update with the version rule: a new aggregate has
/// `version == 1`; an update stores `version == stored + 1`.
///
/// Every method may fail with [`Error::Store`](crate::Error::Store); the `put_*` and
/// `insert_*` methods also with [`Error::Conflict`](crate::Error::Conflict).
#[allow(clippy::missing_errors_doc)]
pub trait Transaction {
    /// Next value of a named counter (1, 2, …), e.g. for order numbers.
    fn next_number(&mut self, counter: &str) -> Result<u64>;

    /// The order with `id`.
    fn order(&mut self, id: OrderId) -> Result<Option<Order>>;
    /// The order with this channel and external reference.
    fn order_by_ref(&mut self, channel: &str, external_ref: &str) -> Result<Option<OrderId>>;
    /// The order with this number.
    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>>;
    /// Orders passing `query`, in placement (id) order.
    fn orders(&mut self, query: &OrderQuery) -> Result<Vec<Order>>;
    /// Inserts or updates; refuses a duplicate (channel, external_ref) or number.
    fn put_order(&mut self, order: &Order) -> Result<()>;

    /// The shipment with `id`.
    fn shipment(&mut self, id: ShipmentId) -> Result<Option<Shipment>>;
    /// The shipments of an order.
    fn shipments_of_order(&mut self, order: OrderId) -> Result<Vec<Shipment>>;
    /// The shipment with this tracking number.
    fn shipment_by_tracking(&mut self, tracking_number: &str) -> Result<Option<ShipmentId>>;
    /// Shipments in any of `states`.
    fn shipments_in_states(&mut self, states: &[ShipmentState]) -> Result<Vec<Shipment>>;
    /// Inserts or updates a shipment.
    fn put_shipment(&mut self, shipment: &Shipment) -> Result<()>;

    /// The return with `id`.
    fn return_(&mut self, id: ReturnId) -> Result<Option<Return>>;
    /// The returns of an order.
    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>>;
    /// Returns in any of `states`.
    fn returns_in_states(&mut self, states: &[ReturnState]) -> Result<Vec<Return>>;
    /// Inserts or updates a return.
    fn put_return(&mut self, ret: &Return) -> Result<()>;

    /// The channel with `code`.
    fn channel(&mut self, code: &str) -> Result<Option<Channel>>;
    /// Every channel, by code.
    fn channels(&mut self) -> Result<Vec<Channel>>;
    /// Inserts a channel; refuses an existing code.
    fn insert_channel(&mut self, channel: &Channel) -> Result<()>;
    /// Replaces an existing channel (same code).
    fn update_channel(&mut self, channel: &Channel) -> Result<()>;

    /// The location with `id`.
    fn location(&mut self, id: LocationId) -> Result<Option<Location>>;
    /// The location with `code`.
    fn location_by_code(&mut self, code: &str) -> Result<Option<Location>>;
    /// Every location.
    fn locations(&mut self) -> Result<Vec<Location>>;
    /// Inserts or replaces a location; refuses a code taken by another location.
    fn put_location(&mut self, location: &Location) -> Result<()>;

    /// The level of `sku` at `location`.
    fn stock(&mut self, sku: &str, location: LocationId) -> Result<Option<StockLevel>>;
    /// Every location's level of `sku`.
    fn stock_of_sku(&mut self, sku: &str) -> Result<Vec<StockLevel>>;
    /// Every level.
    fn all_stock(&mut self) -> Result<Vec<StockLevel>>;
    /// Inserts or replaces a level.
    fn put_stock(&mut self, level: &StockLevel) -> Result<()>;
    /// Appends entries to the inventory ledger.
    fn append_movements(&mut self, movements: Vec<Movement>) -> Result<()>;
    /// Movements, oldest first, optionally of one SKU.
    fn movements(&mut self, sku: Option<&str>) -> Result<Vec<Movement>>;

    /// Settings of a SKU.
    fn sku_settings(&mut self, sku: &str) -> Result<Option<SkuSettings>>;
    /// Inserts or replaces the settings of a SKU.
    fn put_sku_settings(&mut self, settings: &SkuSettings) -> Result<()>;

    /// The checkout hold of a cart.
    fn stock_hold(&mut self, cart_ref: &str) -> Result<Option<StockHold>>;
    /// Inserts or replaces a checkout hold.
    fn put_stock_hold(&mut self, hold: &StockHold) -> Result<()>;
    /// Removes a checkout hold (no error when absent).
    fn delete_stock_hold(&mut self, cart_ref: &str) -> Result<()>;
    /// Holds not converted into an order whose `expires_at` is at or before `now`, oldest
    /// first, at most `limit`.
    fn expired_stock_holds(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>>;

    /// Orders in fulfillment with backordered units of `sku`, oldest (placed first) first.
    fn orders_awaiting_stock(&mut self, sku: &str) -> Result<Vec<OrderId>>;

    /// Pending shipments of a location, oldest first, at most `limit`.
    fn pending_shipments_at(&mut self, location: LocationId, limit: usize) -> Result<Vec<Shipment>>;
    /// The pick list with `id`.
    fn pick_list(&mut self, id: PickListId) -> Result<Option<PickList>>;
    /// Inserts a pick list.
    fn insert_pick_list(&mut self, list: &PickList) -> Result<()>;
    /// The bin of `sku` at `location`.
    fn bin(&mut self, sku: &str, location: LocationId) -> Result<Option<String>>;
    /// Sets (or, with `None`, clears) the bin of `sku` at `location`.
    fn put_bin(&mut self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()>;

    /// The record stored under an idempotency key.
    fn idempotency(&mut self, key: &str) -> Result<Option<IdempotencyRecord>>;
    /// Stores an idempotency record; refuses an existing key.
    fn put_idempotency(&mut self, record: &IdempotencyRecord) -> Result<()>;

    /// Appends events, assigning each a strictly increasing `seq` (the `seq` they carry
    /// is ignored).
    fn append_events(&mut self, events: Vec<Event>) -> Result<()>;
    /// Events of one order, oldest first.
    fn order_events(&mut self, order: OrderId) -> Result<Vec<Event>>;
    /// Unacknowledged events, oldest first.
    fn pending_events(&mut self, limit: usize) -> Result<Vec<Event>>;
    /// Acknowledges events; returns how many were pending.
    fn ack_events(&mut self, ids: &[EventId]) -> Result<usize>;

    /// Makes every write of this transaction durable and visible.
    fn commit(self: Box<Self>) -> Result<()>;

    /// Marks a savepoint. [`Transaction::rollback_to_savepoint`] undoes every write made
    /// since the latest savepoint, [`Transaction::release_savepoint`] keeps them; either
    /// removes that savepoint. Savepoints nest. Bulk commands such as
    /// [`Oms::import_orders`](crate::Oms::import_orders) use them so that a failing item
    /// leaves no trace while the others are stored in the same transaction.
    ///
    /// The default refuses with [`StoreError::Backend`](crate::StoreError::Backend), so
    /// a backend without savepoints still serves every single command.
    fn savepoint(&mut self) -> Result<()> {
        Err(crate::StoreError::Backend("this store does not support savepoints".into()).into())
    }

    /// Undoes every write since the latest savepoint and removes it.
    fn rollback_to_savepoint(&mut self) -> Result<()> {
        Err(crate::StoreError::Backend("this store does not support savepoints".into()).into())
    }

    /// Keeps the writes since the latest savepoint and removes it.
    fn release_savepoint(&mut self) -> Result<()> {
        Err(crate::StoreError::Backend("this store does not support savepoints".into()).into())
    }
}
