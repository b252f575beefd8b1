//! [`FaultyStore`]: a [`Store`] whose command transactions count their calls and fail the
//! one its [`Plan`] names — before doing it, or (for writes and commits) right after.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use ordo::store::IdempotencyRecord;
use ordo::*;

/// What kind of storage call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Begin,
    Read,
    Write,
    Savepoint,
    Commit,
}

/// What an armed [`Plan`] does to the n-th call it targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// The n-th begin, write, savepoint op or commit fails without doing anything.
    Refuse,
    /// The n-th write or savepoint op does its work, then fails.
    AfterWrite,
    /// The n-th read fails.
    Read,
    /// The n-th commit is made, then reported as failed: the acknowledgement was lost.
    LostAck,
}

impl Fault {
    /// The faults after which nothing of the command may remain.
    pub const ALL: [Fault; 3] = [Fault::Refuse, Fault::AfterWrite, Fault::Read];

    pub fn targets(self, class: Class) -> bool {
        match self {
            Fault::Refuse => class != Class::Read,
            Fault::AfterWrite => matches!(class, Class::Write | Class::Savepoint),
            Fault::Read => class == Class::Read,
            Fault::LostAck => class == Class::Commit,
        }
    }
}

/// A storage call: its class and the method's name.
pub type Call = (Class, &'static str);

#[derive(Default)]
struct PlanState {
    recording: bool,
    armed: Option<(Fault, usize)>,
    seen: usize,
    calls: Vec<Call>,
    fired: Option<Call>,
}

/// Decides which call fails; shared by a [`FaultyStore`] and the test driving it.
#[derive(Clone, Default)]
pub struct Plan(Arc<Mutex<PlanState>>);

enum Decision {
    Go,
    FailBefore(Error),
    FailAfter(Error),
}

impl Plan {
    /// Records the calls from now on; with `Some((fault, n))` the n-th call targeted by
    /// `fault` fails.
    pub fn start(&self, armed: Option<(Fault, usize)>) {
        let mut s = self.0.lock().unwrap();
        *s = PlanState { recording: true, armed, ..PlanState::default() };
    }

    /// Stops recording; the calls made since [`Plan::start`] and the call that failed.
    pub fn stop(&self) -> (Vec<Call>, Option<Call>) {
        let mut s = self.0.lock().unwrap();
        let s = std::mem::take(&mut *s);
        (s.calls, s.fired)
    }

    fn decide(&self, class: Class, name: &'static str) -> Decision {
        let mut s = self.0.lock().unwrap();
        if !s.recording {
            return Decision::Go;
        }
        s.calls.push((class, name));
        let Some((fault, n)) = s.armed else { return Decision::Go };
        if !fault.targets(class) {
            return Decision::Go;
        }
        s.seen += 1;
        if s.seen != n {
            return Decision::Go;
        }
        s.fired = Some((class, name));
        let e = Error::Store(StoreError::Backend(format!("injected fault: {fault:?} at {name} (call {n})")));
        if matches!(fault, Fault::AfterWrite | Fault::LostAck) { Decision::FailAfter(e) } else { Decision::FailBefore(e) }
    }
}

/// A [`Store`] whose command transactions fail where its [`Plan`] says. Queries
/// ([`Store::begin_read`]) pass through untouched.
pub struct FaultyStore<S> {
    inner: S,
    plan: Plan,
}

impl<S: Store> FaultyStore<S> {
    pub fn new(inner: S, plan: Plan) -> Self {
        FaultyStore { inner, plan }
    }
}

impl<S: Store> Store for FaultyStore<S> {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        if let Decision::FailBefore(e) = self.plan.decide(Class::Begin, "begin") {
            return Err(e);
        }
        Ok(Box::new(FaultyTx { inner: self.inner.begin()?, plan: &self.plan }))
    }

    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        self.inner.begin_read()
    }
}

struct FaultyTx<'a> {
    inner: Box<dyn Transaction + 'a>,
    plan: &'a Plan,
}

impl<'a> FaultyTx<'a> {
    fn call<T>(&mut self, class: Class, name: &'static str, f: impl FnOnce(&mut (dyn Transaction + 'a)) -> Result<T>) -> Result<T> {
        match self.plan.decide(class, name) {
            Decision::Go => f(&mut *self.inner),
            Decision::FailBefore(e) => Err(e),
            Decision::FailAfter(e) => f(&mut *self.inner).and(Err(e)),
        }
    }

    fn read<T>(&mut self, name: &'static str, f: impl FnOnce(&mut (dyn Transaction + 'a)) -> Result<T>) -> Result<T> {
        self.call(Class::Read, name, f)
    }

    fn write<T>(&mut self, name: &'static str, f: impl FnOnce(&mut (dyn Transaction + 'a)) -> Result<T>) -> Result<T> {
        self.call(Class::Write, name, f)
    }
}

impl Transaction for FaultyTx<'_> {
    fn next_number(&mut self, counter: &str) -> Result<u64> {
        self.write("next_number", |t| t.next_number(counter))
    }
    fn order(&mut self, id: OrderId) -> Result<Option<Order>> {
        self.read("order", |t| t.order(id))
    }
    fn order_by_ref(&mut self, channel: &str, external_ref: &str) -> Result<Option<OrderId>> {
        self.read("order_by_ref", |t| t.order_by_ref(channel, external_ref))
    }
    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        self.read("order_by_number", |t| t.order_by_number(number))
    }
    fn orders(&mut self, query: &OrderQuery) -> Result<Vec<Order>> {
        self.read("orders", |t| t.orders(query))
    }
    fn put_order(&mut self, order: &Order) -> Result<()> {
        self.write("put_order", |t| t.put_order(order))
    }
    fn shipment(&mut self, id: ShipmentId) -> Result<Option<Shipment>> {
        self.read("shipment", |t| t.shipment(id))
    }
    fn shipments_of_order(&mut self, order: OrderId) -> Result<Vec<Shipment>> {
        self.read("shipments_of_order", |t| t.shipments_of_order(order))
    }
    fn shipment_by_tracking(&mut self, tracking_number: &str) -> Result<Option<ShipmentId>> {
        self.read("shipment_by_tracking", |t| t.shipment_by_tracking(tracking_number))
    }
    fn shipments_in_states(&mut self, states: &[ShipmentState]) -> Result<Vec<Shipment>> {
        self.read("shipments_in_states", |t| t.shipments_in_states(states))
    }
    fn put_shipment(&mut self, shipment: &Shipment) -> Result<()> {
        self.write("put_shipment", |t| t.put_shipment(shipment))
    }
    fn return_(&mut self, id: ReturnId) -> Result<Option<Return>> {
        self.read("return_", |t| t.return_(id))
    }
    fn returns_of_order(&mut self, order: OrderId) -> Result<Vec<Return>> {
        self.read("returns_of_order", |t| t.returns_of_order(order))
    }
    fn returns_in_states(&mut self, states: &[ReturnState]) -> Result<Vec<Return>> {
        self.read("returns_in_states", |t| t.returns_in_states(states))
    }
    fn put_return(&mut self, ret: &Return) -> Result<()> {
        self.write("put_return", |t| t.put_return(ret))
    }
    fn channel(&mut self, code: &str) -> Result<Option<Channel>> {
        self.read("channel", |t| t.channel(code))
    }
    fn channels(&mut self) -> Result<Vec<Channel>> {
        self.read("channels", |t| t.channels())
    }
    fn insert_channel(&mut self, channel: &Channel) -> Result<()> {
        self.write("insert_channel", |t| t.insert_channel(channel))
    }
    fn update_channel(&mut self, channel: &Channel) -> Result<()> {
        self.write("update_channel", |t| t.update_channel(channel))
    }
    fn location(&mut self, id: LocationId) -> Result<Option<Location>> {
        self.read("location", |t| t.location(id))
    }
    fn location_by_code(&mut self, code: &str) -> Result<Option<Location>> {
        self.read("location_by_code", |t| t.location_by_code(code))
    }
    fn locations(&mut self) -> Result<Vec<Location>> {
        self.read("locations", |t| t.locations())
    }
    fn put_location(&mut self, location: &Location) -> Result<()> {
        self.write("put_location", |t| t.put_location(location))
    }
    fn stock(&mut self, sku: &str, location: LocationId) -> Result<Option<StockLevel>> {
        self.read("stock", |t| t.stock(sku, location))
    }
    fn stock_of_sku(&mut self, sku: &str) -> Result<Vec<StockLevel>> {
        self.read("stock_of_sku", |t| t.stock_of_sku(sku))
    }
    fn all_stock(&mut self) -> Result<Vec<StockLevel>> {
        self.read("all_stock", |t| t.all_stock())
    }
    fn put_stock(&mut self, level: &StockLevel) -> Result<()> {
        self.write("put_stock", |t| t.put_stock(level))
    }
    fn append_movements(&mut self, movements: Vec<Movement>) -> Result<()> {
        self.write("append_movements", |t| t.append_movements(movements))
    }
    fn movements(&mut self, sku: Option<&str>) -> Result<Vec<Movement>> {
        self.read("movements", |t| t.movements(sku))
    }
    fn sku_settings(&mut self, sku: &str) -> Result<Option<SkuSettings>> {
        self.read("sku_settings", |t| t.sku_settings(sku))
    }
    fn put_sku_settings(&mut self, settings: &SkuSettings) -> Result<()> {
        self.write("put_sku_settings", |t| t.put_sku_settings(settings))
    }
    fn stock_hold(&mut self, cart_ref: &str) -> Result<Option<StockHold>> {
        self.read("stock_hold", |t| t.stock_hold(cart_ref))
    }
    fn put_stock_hold(&mut self, hold: &StockHold) -> Result<()> {
        self.write("put_stock_hold", |t| t.put_stock_hold(hold))
    }
    fn delete_stock_hold(&mut self, cart_ref: &str) -> Result<()> {
        self.write("delete_stock_hold", |t| t.delete_stock_hold(cart_ref))
    }
    fn expired_stock_holds(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>> {
        self.read("expired_stock_holds", |t| t.expired_stock_holds(now, limit))
    }
    fn orders_awaiting_stock(&mut self, sku: &str) -> Result<Vec<OrderId>> {
        self.read("orders_awaiting_stock", |t| t.orders_awaiting_stock(sku))
    }
    fn pending_shipments_at(&mut self, location: LocationId, limit: usize) -> Result<Vec<Shipment>> {
        self.read("pending_shipments_at", |t| t.pending_shipments_at(location, limit))
    }
    fn pick_list(&mut self, id: PickListId) -> Result<Option<PickList>> {
        self.read("pick_list", |t| t.pick_list(id))
    }
    fn insert_pick_list(&mut self, list: &PickList) -> Result<()> {
        self.write("insert_pick_list", |t| t.insert_pick_list(list))
    }
    fn bin(&mut self, sku: &str, location: LocationId) -> Result<Option<String>> {
        self.read("bin", |t| t.bin(sku, location))
    }
    fn put_bin(&mut self, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()> {
        self.write("put_bin", |t| t.put_bin(sku, location, bin))
    }
    fn idempotency(&mut self, key: &str) -> Result<Option<IdempotencyRecord>> {
        self.read("idempotency", |t| t.idempotency(key))
    }
    fn put_idempotency(&mut self, record: &IdempotencyRecord) -> Result<()> {
        self.write("put_idempotency", |t| t.put_idempotency(record))
    }
    fn append_events(&mut self, events: Vec<Event>) -> Result<()> {
        self.write("append_events", |t| t.append_events(events))
    }
    fn order_events(&mut self, order: OrderId) -> Result<Vec<Event>> {
        self.read("order_events", |t| t.order_events(order))
    }
    fn pending_events(&mut self, limit: usize) -> Result<Vec<Event>> {
        self.read("pending_events", |t| t.pending_events(limit))
    }
    fn ack_events(&mut self, ids: &[EventId]) -> Result<usize> {
        self.write("ack_events", |t| t.ack_events(ids))
    }
    fn commit(self: Box<Self>) -> Result<()> {
        match self.plan.decide(Class::Commit, "commit") {
            // Dropping the inner transaction rolls it back.
            Decision::FailBefore(e) => Err(e),
            Decision::FailAfter(e) => self.inner.commit().and(Err(e)),
            Decision::Go => self.inner.commit(),
        }
    }
    fn savepoint(&mut self) -> Result<()> {
        self.call(Class::Savepoint, "savepoint", |t| t.savepoint())
    }
    fn rollback_to_savepoint(&mut self) -> Result<()> {
        self.call(Class::Savepoint, "rollback_to_savepoint", |t| t.rollback_to_savepoint())
    }
    fn release_savepoint(&mut self) -> Result<()> {
        self.call(Class::Savepoint, "release_savepoint", |t| t.release_savepoint())
    }
}
