//! Shared set-up for the integration tests.

use chrono::{TimeZone, Utc};
use ordo::*;
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// A storage backend the conformance suite runs against.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    /// The in-memory store.
    Memory,
    /// The SQLite store, on a fresh database file in a temporary directory per test.
    Sqlite,
}

impl Backend {
    /// A fresh, empty store of this backend.
    pub fn store(self) -> Box<dyn Store> {
        match self {
            Backend::Memory => Box::new(MemoryStore::new()),
            Backend::Sqlite => Box::new(TempSqlite::new()),
        }
    }
}

/// A [`SqliteStore`] whose directory is removed when the store is dropped.
pub struct TempSqlite {
    // Field order matters: the store (and its connections) closes before the directory goes.
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl TempSqlite {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("ordo.db"), SqliteOptions::default()).unwrap();
        TempSqlite { store, _dir: dir }
    }
}

impl Store for TempSqlite {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        self.store.begin()
    }

    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        self.store.begin_read()
    }
}

pub struct World {
    pub oms: Oms,
    pub clock: ManualClock,
    pub nord: LocationId,
    pub sued: LocationId,
}

/// A web channel, two warehouses (nord priority 1, sued priority 2) with stock.
pub fn world(b: Backend) -> World {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let oms = Oms::builder(b.store()).clock(clock.clone()).carrier("DHL", "https://t.example/{tracking}").build();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1)).unwrap().id;
    let sued = oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2)).unwrap().id;
    oms.receive_stock(ReceiveStock::new("A", nord, 10)).unwrap();
    oms.receive_stock(ReceiveStock::new("B", nord, 5)).unwrap();
    oms.receive_stock(ReceiveStock::new("B", sued, 5)).unwrap();
    World { oms, clock, nord, sued }
}

pub fn berlin() -> Address {
    Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE")
}

pub fn new_order(ext: &str, lines: Vec<NewLine>) -> NewOrder {
    NewOrder::new("web", "EUR", lines).external_ref(ext).customer(Customer::new("Anna Muster", "anna@example.de")).ship_to(berlin())
}

/// Places, pays (authorized) and validates an order.
pub fn confirmed(w: &World, ext: &str, lines: Vec<NewLine>) -> Order {
    let o = w.oms.place_order(new_order(ext, lines)).unwrap();
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, o.totals.total.amount(), "EUR")).unwrap();
    let o = w.oms.validate_order(o.id).unwrap();
    assert_eq!(o.state, OrderState::Confirmed, "{:?}", o.holds);
    o
}

/// Allocates, picks, packs and ships every shipment; returns the shipments.
pub fn ship_all(w: &World, order: OrderId) -> Vec<Shipment> {
    let a = w.oms.allocate_order(order).unwrap();
    a.shipments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            w.oms.confirm_pick(s.id, vec![]).unwrap();
            w.oms.pack_shipment(s.id, vec![Package::new(500)]).unwrap();
            w.oms.ship(s.id, ShipInput::new("DHL", format!("T-{order}-{i}"))).unwrap()
        })
        .collect()
}

/// Everything that a failed command must leave untouched.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    orders: Vec<Order>,
    stock: Vec<Vec<StockLevel>>,
    movements: usize,
    events: usize,
}

pub fn snapshot(oms: &Oms) -> Snapshot {
    Snapshot {
        orders: oms.list_orders(&OrderQuery::default()).unwrap(),
        stock: ["A", "B", "C"].iter().map(|s| oms.stock(s).unwrap()).collect(),
        movements: oms.movements(None).unwrap().len(),
        events: oms.poll_events(10_000).unwrap().len(),
    }
}

/// A small deterministic random generator (xorshift64*), so tests need no extra crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Seeded from the clock; the seed is printed so a failure can be replayed.
    pub fn from_time() -> Self {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
        eprintln!("random seed {seed}");
        Rng::new(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
