//! The in-memory store: for tests, ephemeral use and as the reference backend.
//!
//! Transactions are serialized by one lock and write straight into the shared state,
//! keeping an undo log; a transaction dropped without commit plays the log backwards, so
//! a failed command leaves nothing behind.

use std::collections::{BTreeMap, BTreeSet};

use parking_lot::{Mutex, MutexGuard};

use super::{IdempotencyRecord, OrderQuery, Store, Transaction};
use crate::error::{ConflictError, Result};
use crate::event::Event;
use crate::ids::{EventId, LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::picking::PickList;
use chrono::{DateTime, Utc};

use crate::inventory::{Channel, Location, Movement, SkuSettings, StockHold, StockLevel};
use crate::order::{Order, OrderState};
use crate::returns::{Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};

/// Hash maps with a fast hasher (still seeded per process, so keys chosen by outsiders,
/// such as SKUs or references, cannot be crafted to collide).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

#[derive(Default, Clone)]
struct State {
    counters: HashMap<String, u64>,
    // Orders and shipments are boxed: a B-tree node then moves 8-byte pointers instead of
    // the whole values, and holds no slack of their size (nodes are about half full).
    orders: BTreeMap<OrderId, Box<Order>>,
    order_refs: HashMap<(String, String), OrderId>,
    order_numbers: HashMap<String, OrderId>,
    shipments: BTreeMap<ShipmentId, Box<Shipment>>,
    shipments_by_order: HashMap<OrderId, BTreeSet<ShipmentId>>,
    tracking: HashMap<String, ShipmentId>,
    returns: BTreeMap<ReturnId, Return>,
    returns_by_order: HashMap<OrderId, BTreeSet<ReturnId>>,
    channels: BTreeMap<String, Channel>,
    locations: BTreeMap<LocationId, Location>,
    location_codes: HashMap<String, LocationId>,
    stock: BTreeMap<(String, LocationId), StockLevel>,
    movements: Vec<Movement>,
    idempotency: HashMap<String, IdempotencyRecord>,
    sku_settings: HashMap<String, SkuSettings>,
    holds: HashMap<String, StockHold>,
    hold_expiry: BTreeSet<(DateTime<Utc>, String)>,
    backorders: HashMap<String, BTreeSet<(DateTime<Utc>, OrderId)>>,
    pending_at: HashMap<LocationId, BTreeSet<ShipmentId>>,
    pick_lists: HashMap<PickListId, PickList>,
    bins: HashMap<(String, LocationId), String>,
    /// Every event; the one with `seq` is at `seq - 1` (positions are dense and only the
    /// newest are ever undone).
    events: Vec<Event>,
    event_seq: HashMap<EventId, u64>,
    events_by_order: HashMap<OrderId, Vec<u64>>,
    pending: BTreeSet<u64>,
    last_seq: u64,
}

enum Undo {
    Counter(String, Option<u64>),
    Order(OrderId, Option<Box<Order>>),
    Shipment(ShipmentId, Option<Box<Shipment>>),
    Return(ReturnId, Option<Box<Return>>),
    Channel(String, Option<Box<Channel>>),
    SkuSettings(String, Option<SkuSettings>),
    Hold(String, Option<Box<StockHold>>),
    PickList(PickListId),
    Bin((String, LocationId), Option<String>),
    Location(LocationId, Option<Box<Location>>),
    Stock((String, LocationId), Option<StockLevel>),
    Movements(usize),
    Idempotency(String),
    Events(Vec<u64>, u64),
    Acked(Vec<u64>),
}

impl State {
    fn index_order(&mut self, o: &Order, add: bool) {
        if o.state == OrderState::InFulfillment {
            for l in o.lines.iter().filter(|l| l.quantities.backordered > 0) {
                let set = self.backorders.entry(l.sku.clone()).or_default();
                if add {
                    set.insert((o.placed_at, o.id));
                } else {
                    set.remove(&(o.placed_at, o.id));
                }
            }
        }
        let rf = o.external_ref.as_ref().map(|r| (o.channel.clone(), r.clone()));
        if add {
            if let Some(k) = rf {
                self.order_refs.insert(k, o.id);
            }
            self.order_numbers.insert(o.number.clone(), o.id);
        } else {
            if let Some(k) = rf {
                self.order_refs.remove(&k);
            }
            self.order_numbers.remove(&o.number);
        }
    }

    /// Moves the index entries of an order from its `old` to its `new` version.
    fn reindex_order(&mut self, old: &Order, new: &Order) {
        if old.external_ref != new.external_ref || old.number != new.number || old.channel != new.channel {
            self.index_order(old, false);
            self.index_order(new, true);
            return;
        }
        let backordered = |o: &Order| o.state == OrderState::InFulfillment && o.lines.iter().any(|l| l.quantities.backordered > 0);
        if backordered(old) || backordered(new) {
            for l in old.lines.iter().filter(|l| old.state == OrderState::InFulfillment && l.quantities.backordered > 0) {
                if let Some(set) = self.backorders.get_mut(&l.sku) {
                    set.remove(&(old.placed_at, old.id));
                }
            }
            for l in new.lines.iter().filter(|l| new.state == OrderState::InFulfillment && l.quantities.backordered > 0) {
                self.backorders.entry(l.sku.clone()).or_default().insert((new.placed_at, new.id));
            }
        }
    }

    fn index_shipment(&mut self, s: &Shipment, add: bool) {
        if s.state == ShipmentState::Pending {
            let set = self.pending_at.entry(s.location).or_default();
            if add {
                set.insert(s.id);
            } else {
                set.remove(&s.id);
            }
        }
        if add {
            self.shipments_by_order.entry(s.order_id).or_default().insert(s.id);
            if let Some(t) = &s.tracking_number {
                self.tracking.insert(t.clone(), s.id);
            }
        } else {
            if let Some(set) = self.shipments_by_order.get_mut(&s.order_id) {
                set.remove(&s.id);
            }
            if let Some(t) = &s.tracking_number {
                self.tracking.remove(t);
            }
        }
    }

    fn index_return(&mut self, r: &Return, add: bool) {
        let set = self.returns_by_order.entry(r.order_id).or_default();
        if add {
            set.insert(r.id);
        } else {
            set.remove(&r.id);
        }
    }

    fn set_order(&mut self, id: OrderId, value: Option<Box<Order>>) -> Option<Box<Order>> {
        let old = self.orders.remove(&id);
        if let Some(o) = &old {
            self.index_order(o, false);
        }
        if let Some(o) = value {
            self.index_order(&o, true);
            self.orders.insert(id, o);
        }
        old
    }

    fn event(&self, seq: u64) -> Option<&Event> {
        usize::try_from(seq).ok().and_then(|s| s.checked_sub(1)).and_then(|i| self.events.get(i))
    }

    /// Moves the index entries of a shipment from its `old` to its `new` version.
    fn reindex_shipment(&mut self, old: &Shipment, new: &Shipment) {
        if old.order_id != new.order_id {
            self.index_shipment(old, false);
            self.index_shipment(new, true);
            return;
        }
        let pending = |s: &Shipment| s.state == ShipmentState::Pending;
        if (pending(old), old.location) != (pending(new), new.location) {
            if pending(old)
                && let Some(set) = self.pending_at.get_mut(&old.location)
            {
                set.remove(&old.id);
            }
            if pending(new) {
                self.pending_at.entry(new.location).or_default().insert(new.id);
            }
        }
        if old.tracking_number != new.tracking_number {
            if let Some(t) = &old.tracking_number {
                self.tracking.remove(t);
            }
            if let Some(t) = &new.tracking_number {
                self.tracking.insert(t.clone(), new.id);
            }
        }
    }

    fn set_shipment(&mut self, id: ShipmentId, value: Option<Box<Shipment>>) -> Option<Box<Shipment>> {
        let old = self.shipments.remove(&id);
        if let Some(s) = &old {
            self.index_shipment(s, false);
        }
        if let Some(s) = value {
            self.index_shipment(&s, true);
            self.shipments.insert(id, s);
        }
        old
    }

    fn set_return(&mut self, id: ReturnId, value: Option<Return>) -> Option<Return> {
        let old = self.returns.remove(&id);
        if let Some(r) = &old {
            self.index_return(r, false);
        }
        if let Some(r) = value {
            self.index_return(&r, true);
            self.returns.insert(id, r);
        }
        old
    }

    fn set_hold(&mut self, cart_ref: &str, value: Option<StockHold>) -> Option<StockHold> {
        let old = self.holds.remove(cart_ref);
        if let Some(h) = &old {
            self.hold_expiry.remove(&(h.expires_at, h.cart_ref.clone()));
        }
        if let Some(h) = value {
            if h.order_id.is_none() {
                self.hold_expiry.insert((h.expires_at, h.cart_ref.clone()));
            }
            self.holds.insert(cart_ref.to_owned(), h);
        }
        old
    }

    fn set_location(&mut self, id: LocationId, value: Option<Location>) -> Option<Location> {
        let old = self.locations.remove(&id);
        if let Some(l) = &old {
            self.location_codes.remove(&l.code);
        }
        if let Some(l) = value {
            self.location_codes.insert(l.code.clone(), id);
            self.locations.insert(id, l);
        }
        old
    }

    fn undo(&mut self, u: Undo) {
        match u {
            Undo::Counter(k, v) => match v {
                Some(v) => {
                    self.counters.insert(k, v);
                }
                None => {
                    self.counters.remove(&k);
                }
            },
            Undo::Order(id, v) => {
                self.set_order(id, v);
            }
            Undo::Shipment(id, v) => {
                self.set_shipment(id, v);
            }
            Undo::Return(id, v) => {
                self.set_return(id, v.map(|b| *b));
            }
            Undo::Channel(code, old) => match old {
                Some(c) => {
                    self.channels.insert(code, *c);
                }
                None => {
                    self.channels.remove(&code);
                }
            },
            Undo::SkuSettings(sku, old) => match old {
                Some(s) => {
                    self.sku_settings.insert(sku, s);
                }
                None => {
                    self.sku_settings.remove(&sku);
                }
            },
            Undo::PickList(id) => {
                self.pick_lists.remove(&id);
            }
            Undo::Bin(key, old) => match old {
                Some(b) => {
                    self.bins.insert(key, b);
                }
                None => {
                    self.bins.remove(&key);
                }
            },
            Undo::Hold(cart, old) => {
                self.set_hold(&cart, old.map(|b| *b));
            }
            Undo::Location(id, v) => {
                self.set_location(id, v.map(|b| *b));
            }
            Undo::Stock(k, v) => match v {
                Some(v) => {
                    self.stock.insert(k, v);
                }
                None => {
                    self.stock.remove(&k);
                }
            },
            Undo::Movements(len) => self.movements.truncate(len),
            Undo::Idempotency(k) => {
                self.idempotency.remove(&k);
            }
            Undo::Events(seqs, last) => {
                for s in seqs {
                    if let Some(e) = self.event(s) {
                        let (id, order) = (e.id, e.order_id);
                        self.event_seq.remove(&id);
                        if let Some(list) = order.and_then(|o| self.events_by_order.get_mut(&o)) {
                            list.retain(|x| *x != s);
                        }
                    }
                    self.pending.remove(&s);
                }
                self.events.truncate(usize::try_from(last).unwrap_or(usize::MAX));
                self.last_seq = last;
            }
            Undo::Acked(seqs) => self.pending.extend(seqs),
        }
    }
}

/// An in-memory [`Store`]. Cheap to create; its content lives as long as the value.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A store of its own holding a copy of everything in this one (the fuzz harness starts
    /// every input from one prepared state).
    pub(crate) fn snapshot(&self) -> Self {
        MemoryStore { state: Mutex::new(self.state.lock().clone()) }
    }
}

impl Store for MemoryStore {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        Ok(Box::new(MemoryTx { state: self.state.lock(), undo: Vec::new(), savepoints: Vec::new(), committed: false }))
    }
}

struct MemoryTx<'a> {
    state: MutexGuard<'a, State>,
    undo: Vec<Undo>,
    /// Length of the undo log at each open savepoint.
    savepoints: Vec<usize>,
    committed: bool,
}

impl Drop for MemoryTx<'_> {
    fn drop(&mut self) {
        if !self.committed {
            while let Some(u) = self.undo.pop() {
                self.state.undo(u);
            }
        }
    }
}

fn check_version(entity: &'static str, id: impl ToString, stored: Option<u64>, new: u64) -> Result<()> {
    let expected = stored.map_or(1, |v| v + 1);
    if new == expected {
        Ok(())
    } else {
        Err(ConflictError::VersionConflict { entity, id: id.to_string(), expected: new.saturating_sub(1), found: stored.unwrap_or(0) }
            .into())
    }
}

impl Transaction for MemoryTx<'_> {
    fn next_number(&mut self, counter: &str) -> Result<u64> {
        let old = self.state.counters.get(counter).copied();
        let next = old.unwrap_or(0) + 1;
        self.state.counters.insert(counter.to_owned(), next);
        self.undo.push(Undo::Counter(counter.to_owned(), old));
        Ok(next)
    }

    fn order(&mut self, id: OrderId) -> Result<Option<Order>> {
        Ok(self.state.orders.get(&id).map(|o| Order::clone(o)))
    }

    fn order_by_ref(&mut self, channel: &str, external_ref: &str) -> Result<Option<OrderId>> {
        Ok(self.state.order_refs.get(&(channel.to_owned(), external_ref.to_owned())).copied())
    }

    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        Ok(self.state.order_numbers.get(number).copied())
    }

    fn orders(&mut self, q: &OrderQuery) -> Result<Vec<Order>> {
        let it = self.state.orders.values().filter(|o| q.matches(o)).skip(q.offset).map(|o| Order::clone(o));
        Ok(match q.limit {
            Some(n) => it.take(n).collect(),
            None => it.collect(),
        })
    }

    fn put_order(&mut self, order: &Order) -> Result<()> {
        let stored = self.state.orders.get(&order.id);
        check_version("order", order.id, stored.map(|o| o.version), order.version)?;
        if stored.is_none() {
            if let Some(r) = &order.external_ref
                && self.state.order_refs.contains_key(&(order.channel.clone(), r.clone()))
            {
                return Err(ConflictError::AlreadyExists { entity: "order", key: format!("{}/{r}", order.channel) }.into());
            }
            if self.state.order_numbers.contains_key(&order.number) {
                return Err(ConflictError::AlreadyExists { entity: "order number", key: order.number.clone() }.into());
            }
        }
        let old = match self.state.orders.get_mut(&order.id) {
            // An update: replace in place and touch only the index entries that changed.
            Some(slot) => {
                let old = std::mem::replace(slot, Box::new(order.clone()));
                self.state.reindex_order(&old, order);
                Some(old)
            }
            None => {
                self.state.set_order(order.id, Some(Box::new(order.clone())));
                None
            }
        };
        self.undo.push(Undo::Order(order.id, old));
        Ok(())
    }

    fn shipment(&mut self, id: ShipmentId) -> Result<Option<Shipment>> {
        Ok(self.state.shipments.get(&id).map(|s| Shipment::clone(s)))
    }

    fn shipments_of_order(&mut self, order: OrderId) -> Result<Vec<Shipment>> {
        let st = &*self.state;
        Ok(st
            .shipments_by_order
            .get(&order)
            .into_iter()
            .flatten()
            .filter_map(|id| st.shipments.get(id).map(|s| Shipment::clone(s)))
            .collect())
    }

    fn shipment_by_tracking(&mut self, tracking_number: &str) -> Result<Option<ShipmentId>> {
        Ok(self.state.tracking.get(tracking_number).copied())
    }

    fn shipments_in_states(&mut self, states: &[ShipmentState]) -> Result<Vec<Shipment>> {
        Ok(self.state.shipments.values().filter(|s| states.contains(&s.state)).map(|s| Shipment::clone(s)).collect())
    }

    fn put_shipment(&mut self, shipment: &Shipment) -> Result<()> {
        check_version("shipment", shipment.id, self.state.shipments.get(&shipment.id).map(|s| s.version), shipment.version)?;
        let old = match self.state.shipments.get_mut(&shipment.id) {
            Some(slot) => {
                let old = std::mem::replace(slot, Box::new(shipment.clone()));
                self.state.reindex_shipment(&old, shipment);
                Some(old)
            }
            None => {
                self.state.set_shipment(shipment.id, Some(Box::new(shipment.clone())));
                None
            }
        };
        self.undo.push(Undo::Shipment(shipment.id, old));
        Ok(())
    }

    fn return_(&mut self, id: ReturnId) -> Result<Option<Return>> {
        Ok(self.state.returns.get(&id).cloned())
    }

    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>> {
        let st = &*self.state;
        Ok(st.returns_by_order.get(&order).into_iter().flatten().filter_map(|id| st.returns.get(id).cloned()).collect())
    }

    fn returns_in_states(&mut self, states: &[ReturnState]) -> Result<Vec<Return>> {
        Ok(self.state.returns.values().filter(|r| states.contains(&r.state)).cloned().collect())
    }

    fn put_return(&mut self, ret: &Return) -> Result<()> {
        check_version("return", ret.id, self.state.returns.get(&ret.id).map(|r| r.version), ret.version)?;
        let old = self.state.set_return(ret.id, Some(ret.clone()));
        self.undo.push(Undo::Return(ret.id, old.map(Box::new)));
        Ok(())
    }

    fn channel(&mut self, code: &str) -> Result<Option<Channel>> {
        Ok(self.state.channels.get(code).cloned())
    }

    fn channels(&mut self) -> Result<Vec<Channel>> {
        Ok(self.state.channels.values().cloned().collect())
    }

    fn insert_channel(&mut self, channel: &Channel) -> Result<()> {
        if self.state.channels.contains_key(&channel.code) {
            return Err(ConflictError::AlreadyExists { entity: "channel", key: channel.code.clone() }.into());
        }
        self.state.channels.insert(channel.code.clone(), channel.clone());
        self.undo.push(Undo::Channel(channel.code.clone(), None));
        Ok(())
    }

    fn update_channel(&mut self, channel: &Channel) -> Result<()> {
        if !self.state.channels.contains_key(&channel.code) {
            return Err(crate::Error::not_found("channel", &channel.code));
        }
        let old = self.state.channels.insert(channel.code.clone(), channel.clone());
        self.undo.push(Undo::Channel(channel.code.clone(), old.map(Box::new)));
        Ok(())
    }

    fn sku_settings(&mut self, sku: &str) -> Result<Option<SkuSettings>> {
        Ok(self.state.sku_settings.get(sku).cloned())
    }

    fn put_sku_settings(&mut self, settings: &SkuSettings) -> Result<()> {
        let old = self.state.sku_settings.insert(settings.sku.clone(), settings.clone());
        self.undo.push(Undo::SkuSettings(settings.sku.clone(), old));
        Ok(())
    }

    fn stock_hold(&mut self, cart_ref: &str) -> Result<Option<StockHold>> {
        Ok(self.state.holds.get(cart_ref).cloned())
    }

    fn put_stock_hold(&mut self, hold: &StockHold) -> Result<()> {
        let old = self.state.set_hold(&hold.cart_ref, Some(hold.clone()));
        self.undo.push(Undo::Hold(hold.cart_ref.clone(), old.map(Box::new)));
        Ok(())
    }

    fn delete_stock_hold(&mut self, cart_ref: &str) -> Result<()> {
        let old = self.state.set_hold(cart_ref, None);
        self.undo.push(Undo::Hold(cart_ref.to_owned(), old.map(Box::new)));
        Ok(())
    }

    fn expired_stock_holds(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>> {
        let st = &*self.state;
        Ok(st.hold_expiry.iter().take_while(|(at, _)| *at <= now).take(limit).filter_map(|(_, c)| st.holds.get(c).cloned()).collect())
    }

    fn pending_shipments_at(&mut self, location: LocationId, limit: usize) -> Result<Vec<Shipment>> {
        let st = &*self.state;
        Ok(st
            .pending_at
            .get(&location)
            .into_iter()
            .flatten()
            .take(limit)
            .filter_map(|id| st.shipments.get(id).map(|s| Shipment::clone(s)))
            .collect())
    }

    fn pick_list(&mut self, id: PickListId) -> Result<Option<PickList>> {
        Ok(self.state.pick_lists.get(&id).cloned())
    }

    fn insert_pick_list(&mut self, list: &PickList) -> Result<()> {
        if self.state.pick_lists.contains_key(&list.id) {
            return Err(ConflictError::AlreadyExists { entity: "pick list", key: list.id.to_string() }.into());
        }
        self.state.pick_lists.insert(list.id, list.clone());
        self.undo.push(Undo::PickList(list.id));
        Ok(())
    }

    fn bin(&mut self, sku: &str, location: LocationId) -> Result<Option<String>> {
        Ok(self.state.bins.get(&(sku.to_owned(), location)).cloned())
    }

    fn put_bin(&mut self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()> {
        let key = (sku.to_owned(), location);
        let old = match bin {
            Some(b) => self.state.bins.insert(key.clone(), b.to_owned()),
            None => self.state.bins.remove(&key),
        };
        self.undo.push(Undo::Bin(key, old));
        Ok(())
    }

    fn orders_awaiting_stock(&mut self, sku: &str) -> Result<Vec<OrderId>> {
        Ok(self.state.backorders.get(sku).map(|s| s.iter().map(|(_, id)| *id).collect()).unwrap_or_default())
    }

    fn location(&mut self, id: LocationId) -> Result<Option<Location>> {
        Ok(self.state.locations.get(&id).cloned())
    }

    fn location_by_code(&mut self, code: &str) -> Result<Option<Location>> {
        let st = &*self.state;
        Ok(st.location_codes.get(code).and_then(|id| st.locations.get(id)).cloned())
    }

    fn locations(&mut self) -> Result<Vec<Location>> {
        Ok(self.state.locations.values().cloned().collect())
    }

    fn put_location(&mut self, location: &Location) -> Result<()> {
        if self.state.location_codes.get(&location.code).is_some_and(|id| *id != location.id) {
            return Err(ConflictError::AlreadyExists { entity: "location", key: location.code.clone() }.into());
        }
        let old = self.state.set_location(location.id, Some(location.clone()));
        self.undo.push(Undo::Location(location.id, old.map(Box::new)));
        Ok(())
    }

    fn stock(&mut self, sku: &str, location: LocationId) -> Result<Option<StockLevel>> {
        Ok(self.state.stock.get(&(sku.to_owned(), location)).cloned())
    }

    fn stock_of_sku(&mut self, sku: &str) -> Result<Vec<StockLevel>> {
        let lo = (sku.to_owned(), LocationId::from_uuid(uuid::Uuid::nil()));
        Ok(self.state.stock.range(lo..).take_while(|((s, _), _)| s == sku).map(|(_, v)| v.clone()).collect())
    }

    fn all_stock(&mut self) -> Result<Vec<StockLevel>> {
        Ok(self.state.stock.values().cloned().collect())
    }

    fn put_stock(&mut self, level: &StockLevel) -> Result<()> {
        let key = (level.sku.clone(), level.location);
        let old = self.state.stock.insert(key.clone(), level.clone());
        self.undo.push(Undo::Stock(key, old));
        Ok(())
    }

    fn append_movements(&mut self, movements: Vec<Movement>) -> Result<()> {
        self.undo.push(Undo::Movements(self.state.movements.len()));
        self.state.movements.extend(movements);
        Ok(())
    }

    fn movements(&mut self, sku: Option<&str>) -> Result<Vec<Movement>> {
        Ok(self.state.movements.iter().filter(|m| sku.is_none_or(|s| m.sku == s)).cloned().collect())
    }

    fn idempotency(&mut self, key: &str) -> Result<Option<IdempotencyRecord>> {
        Ok(self.state.idempotency.get(key).cloned())
    }

    fn put_idempotency(&mut self, record: &IdempotencyRecord) -> Result<()> {
        if self.state.idempotency.contains_key(&record.key) {
            return Err(ConflictError::IdempotencyKeyReused { key: record.key.clone() }.into());
        }
        self.state.idempotency.insert(record.key.clone(), record.clone());
        self.undo.push(Undo::Idempotency(record.key.clone()));
        Ok(())
    }

    fn append_events(&mut self, events: Vec<Event>) -> Result<()> {
        let before = self.state.last_seq;
        let mut seqs = Vec::with_capacity(events.len());
        let st = &mut *self.state;
        for mut e in events {
            st.last_seq += 1;
            e.seq = st.last_seq;
            seqs.push(e.seq);
            st.event_seq.insert(e.id, e.seq);
            if let Some(o) = e.order_id {
                st.events_by_order.entry(o).or_default().push(e.seq);
            }
            st.pending.insert(e.seq);
            st.events.push(e);
        }
        self.undo.push(Undo::Events(seqs, before));
        Ok(())
    }

    fn order_events(&mut self, order: OrderId) -> Result<Vec<Event>> {
        let st = &*self.state;
        Ok(st.events_by_order.get(&order).into_iter().flatten().filter_map(|s| st.event(*s).cloned()).collect())
    }

    fn pending_events(&mut self, limit: usize) -> Result<Vec<Event>> {
        let st = &*self.state;
        Ok(st.pending.iter().take(limit).filter_map(|s| st.event(*s).cloned()).collect())
    }

    fn ack_events(&mut self, ids: &[EventId]) -> Result<usize> {
        let mut acked = Vec::new();
        for id in ids {
            if let Some(seq) = self.state.event_seq.get(id).copied()
                && self.state.pending.remove(&seq)
            {
                acked.push(seq);
            }
        }
        let n = acked.len();
        self.undo.push(Undo::Acked(acked));
        Ok(n)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.committed = true;
        self.undo.clear();
        Ok(())
    }

    fn savepoint(&mut self) -> Result<()> {
        self.savepoints.push(self.undo.len());
        Ok(())
    }

    fn rollback_to_savepoint(&mut self) -> Result<()> {
        let mark = self.savepoints.pop().ok_or_else(no_savepoint)?;
        while self.undo.len() > mark {
            if let Some(u) = self.undo.pop() {
                self.state.undo(u);
            }
        }
        Ok(())
    }

    fn release_savepoint(&mut self) -> Result<()> {
        self.savepoints.pop().map(|_| ()).ok_or_else(no_savepoint)
    }
}

fn no_savepoint() -> crate::Error {
    crate::StoreError::Backend("no savepoint to roll back to or release".into()).into()
}
