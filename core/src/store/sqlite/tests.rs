//! Tests of the SQLite store that need its internals: query plans, pragmas, and upgrades
//! from every earlier schema version.
//!
//! **Upgrade fixtures.** `fixtures/vN.sql` holds the rows an ordo of schema version N
//! wrote for the scenario of [`fixture_scenario`]. The upgrade test builds a database at
//! version N (migrations 1..=N), loads the fixture, opens it with the current code (which
//! migrates it) and checks the scenario's data through the public API. When you add
//! schema version N+1: add the migration, then run
//! `cargo test -p ordo --lib write_upgrade_fixture -- --ignored` to write
//! `fixtures/v{N+1}.sql` and add it to [`FIXTURES`]. Never edit an old fixture.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{TimeZone, Utc};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use rust_decimal::Decimal;

use super::migrations::{self, current_version};
use super::{SqliteOptions, SqliteStore, fulfillment, inventory, orders, outbox};
use crate::store::OrderQuery;
use crate::*;

/// Fixture rows per schema version: `(version, SQL)`, oldest first.
const FIXTURES: &[(i64, &str)] =
    &[(1, include_str!("fixtures/v1.sql")), (2, include_str!("fixtures/v2.sql")), (3, include_str!("fixtures/v3.sql"))];

fn temp_store(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(dir.path().join("t.db"), SqliteOptions::default()).unwrap()
}

/// Every statement a command or query runs, by name. Whole-table reads are listed in
/// [`WHOLE_TABLE_READS`] instead.
fn hot_queries() -> Vec<(String, String)> {
    let mut q: Vec<(String, String)> = [
        ("order by id", orders::ORDER_BY_ID),
        ("order by ref", orders::ORDER_BY_REF),
        ("order by number", orders::ORDER_BY_NUMBER),
        ("order keys", orders::ORDER_KEYS),
        ("insert order", orders::INSERT_ORDER),
        ("update order", orders::UPDATE_ORDER),
        ("update order state", orders::UPDATE_ORDER_STATE),
        ("update order document", orders::UPDATE_ORDER_DOC),
        ("delete backorders", orders::DELETE_BACKORDERS),
        ("insert backorder", orders::INSERT_BACKORDER),
        ("orders awaiting stock", orders::AWAITING_STOCK),
        ("shipment by id", fulfillment::SHIPMENT_BY_ID),
        ("shipments of order", fulfillment::SHIPMENTS_OF_ORDER),
        ("shipment by tracking", fulfillment::SHIPMENT_BY_TRACKING),
        ("shipment keys", fulfillment::SHIPMENT_KEYS),
        ("insert shipment", fulfillment::INSERT_SHIPMENT),
        ("update shipment", fulfillment::UPDATE_SHIPMENT),
        ("update shipment state", fulfillment::UPDATE_SHIPMENT_STATE),
        ("update shipment document", fulfillment::UPDATE_SHIPMENT_DOC),
        ("pending shipments at a location", fulfillment::PENDING_AT),
        ("pick list", fulfillment::PICK_LIST),
        ("insert pick list", fulfillment::INSERT_PICK_LIST),
        ("bin", fulfillment::BIN),
        ("upsert bin", fulfillment::UPSERT_BIN),
        ("delete bin", fulfillment::DELETE_BIN),
        ("return by id", fulfillment::RETURN_BY_ID),
        ("returns of order", fulfillment::RETURNS_OF_ORDER),
        ("return keys", fulfillment::RETURN_KEYS),
        ("insert return", fulfillment::INSERT_RETURN),
        ("update return", fulfillment::UPDATE_RETURN),
        ("update return document", fulfillment::UPDATE_RETURN_DOC),
        ("channel", inventory::CHANNEL_BY_CODE),
        ("insert channel", inventory::INSERT_CHANNEL),
        ("update channel", inventory::UPDATE_CHANNEL),
        ("location", inventory::LOCATION_BY_ID),
        ("location by code", inventory::LOCATION_BY_CODE),
        ("location id by code", inventory::LOCATION_ID_BY_CODE),
        ("upsert location", inventory::UPSERT_LOCATION),
        ("stock level", inventory::STOCK_LEVEL),
        ("stock of sku", inventory::STOCK_OF_SKU),
        ("upsert stock", inventory::UPSERT_STOCK),
        ("insert movement", inventory::INSERT_MOVEMENT),
        ("movements of sku", inventory::MOVEMENTS_OF_SKU),
        ("sku settings", inventory::SKU_SETTINGS),
        ("upsert sku settings", inventory::UPSERT_SKU_SETTINGS),
        ("hold", inventory::HOLD),
        ("upsert hold", inventory::UPSERT_HOLD),
        ("delete hold", inventory::DELETE_HOLD),
        ("expired holds", inventory::EXPIRED_HOLDS),
        ("next number", outbox::NEXT_NUMBER),
        ("first number", outbox::FIRST_NUMBER),
        ("idempotency", outbox::IDEMPOTENCY),
        ("insert idempotency", outbox::INSERT_IDEMPOTENCY),
        ("insert event", outbox::INSERT_EVENT),
        ("order events", outbox::ORDER_EVENTS),
        ("pending events", outbox::PENDING_EVENTS),
        ("ack event", outbox::ACK_EVENT),
    ]
    .into_iter()
    .map(|(n, s)| (n.to_owned(), s.to_owned()))
    .collect();
    for n in 1..=4 {
        q.push((format!("shipments in {n} states"), fulfillment::in_states_sql("shipments", n)));
        q.push((format!("returns in {n} states"), fulfillment::in_states_sql("returns", n)));
    }
    // Every combination of list_orders filters but "no filter at all" (a full listing).
    for bits in 1..16u8 {
        let query = OrderQuery {
            state: (bits & 1 != 0).then_some(OrderState::OnHold),
            channel: (bits & 2 != 0).then(|| "web".to_owned()),
            placed_from: (bits & 4 != 0).then(Utc::now),
            placed_until: (bits & 8 != 0).then(Utc::now),
            ..OrderQuery::default()
        };
        q.push((format!("orders filtered {bits:04b}"), orders::orders_sql(&query)));
    }
    q
}

/// Reads that return a whole table by design (listing every channel, location, level or
/// movement; `verify_inventory` rebuilds every level from the whole ledger).
const WHOLE_TABLE_READS: &[&str] = &[inventory::ALL_CHANNELS, inventory::ALL_LOCATIONS, inventory::ALL_STOCK, inventory::ALL_MOVEMENTS];

/// Scans that are not full: the partial index `events_pending` holds only pending events.
const ALLOWED_SCANS: &[&str] = &["SCAN events USING INDEX events_pending"];

/// Tables a hot query must never scan.
const NO_SCAN: &[&str] = &[
    "orders",
    "order_backorders",
    "stock",
    "stock_holds",
    "shipments",
    "returns",
    "events",
    "movements",
    "idempotency",
    "counters",
    "channels",
    "locations",
    "sku_settings",
    "pick_lists",
    "bins",
];

fn query_plan(c: &Connection, sql: &str) -> Vec<String> {
    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    for i in 1..=st.parameter_count() {
        st.raw_bind_parameter(i, rusqlite::types::Null).unwrap();
    }
    let mut rows = st.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        out.push(row.get::<_, String>(3).unwrap());
    }
    out
}

#[test]
fn no_hot_query_scans_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_store(&dir);
    let guard = store.writer.as_ref().unwrap().lock();
    let c = &guard.conn;
    let mut failures = Vec::new();
    for (name, sql) in hot_queries() {
        for step in query_plan(c, &sql) {
            let scanned = step.strip_prefix("SCAN ").and_then(|rest| rest.split_whitespace().next());
            if scanned.is_some_and(|t| NO_SCAN.contains(&t)) && !ALLOWED_SCANS.contains(&step.as_str()) {
                failures.push(format!("{name}: {step}\n    {sql}"));
            }
        }
    }
    assert!(failures.is_empty(), "full scans in hot queries:\n{}", failures.join("\n"));
    // Whole-table reads still read in index order, never sorting the table.
    for sql in WHOLE_TABLE_READS {
        let plan = query_plan(c, sql);
        assert!(plan.iter().all(|s| !s.contains("TEMP B-TREE")), "{sql}: {plan:?}");
    }
}

#[test]
fn hot_queries_use_the_intended_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_store(&dir);
    let guard = store.writer.as_ref().unwrap().lock();
    let c = &guard.conn;
    let expect = [
        (orders::AWAITING_STOCK, "SEARCH order_backorders USING PRIMARY KEY (sku=?)"),
        (orders::ORDER_BY_REF, "orders_by_ref"),
        (inventory::EXPIRED_HOLDS, "stock_holds_by_expiry"),
        (outbox::ORDER_EVENTS, "events_by_order"),
        (fulfillment::SHIPMENT_BY_TRACKING, "shipments_by_tracking"),
        (fulfillment::PENDING_AT, "shipments_at_location"),
        (inventory::MOVEMENTS_OF_SKU, "movements_by_sku"),
        (outbox::PENDING_EVENTS, "events_pending"),
    ];
    for (sql, index) in expect {
        let plan = query_plan(c, sql);
        assert!(plan.iter().any(|s| s.contains(index)), "{sql}: {plan:?}");
    }
    let by_state = orders::orders_sql(&OrderQuery { state: Some(OrderState::OnHold), ..OrderQuery::default() });
    assert_eq!(query_plan(c, &by_state), ["SEARCH orders USING INDEX orders_by_state (state=?)"]);
}

#[test]
fn the_writer_runs_in_wal_mode_with_the_chosen_durability() {
    let dir = tempfile::tempdir().unwrap();
    for (durability, level) in [(Durability::Full, 2), (Durability::Normal, 1)] {
        let path = dir.path().join(format!("{durability:?}.db"));
        let store = SqliteStore::open(&path, SqliteOptions::default().durability(durability)).unwrap();
        let guard = store.writer.as_ref().unwrap().lock();
        let c = &guard.conn;
        let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        let app: i64 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), sync, app, version), ("wal", level, migrations::APPLICATION_ID, current_version()));
    }
}

#[test]
fn readers_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_store(&dir);
    let c = store.reader().unwrap();
    assert!(c.execute("INSERT INTO counters (name, value) VALUES ('x', 1)", []).is_err());
}

#[test]
fn there_is_a_fixture_for_every_schema_version() {
    let versions: Vec<i64> = FIXTURES.iter().map(|(v, _)| *v).collect();
    assert_eq!(versions, (1..=current_version()).collect::<Vec<_>>(), "add fixtures/v{}.sql (see the module docs)", current_version());
}

/// Builds a database of schema `version` holding `fixture`, as that version wrote it.
fn old_database(path: &Path, version: i64, fixture: &str) {
    let c = Connection::open(path).unwrap();
    c.execute_batch("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE").unwrap();
    migrations::migrate_to(&c, "old", version).unwrap();
    c.execute_batch(fixture).unwrap();
    c.execute_batch("COMMIT").unwrap();
}

#[test]
fn upgrade_from_every_earlier_version() {
    for (version, fixture) in FIXTURES {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{version}.db"));
        old_database(&path, *version, fixture);
        let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
        let v: i64 = store.writer.as_ref().unwrap().lock().conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, current_version(), "migrated from v{version}");
        check_fixture_content(Oms::builder(store).clock(ManualClock::new(fixture_time() + chrono::Duration::hours(2))).build(), *version);
    }
}

fn fixture_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_default()
}

fn eur(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn berlin() -> Address {
    Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE")
}

fn fixture_order(ext: &str, lines: Vec<NewLine>) -> NewOrder {
    NewOrder::new("web", "EUR", lines).external_ref(ext).customer(Customer::new("Anna Muster", "anna@example.de")).ship_to(berlin())
}

/// The data every fixture holds: one order through to a return, one backordered, one
/// on hold, a checkout hold, an idempotency key, acknowledged and pending events.
fn fixture_scenario(oms: &Oms) -> Result<()> {
    oms.add_channel(NewChannel::new("web", "Web shop"))?;
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1))?.id;
    let sued = oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2))?.id;
    oms.receive_stock(ReceiveStock::new("A", nord, 10))?;
    oms.receive_stock(ReceiveStock::new("B", nord, 5))?;
    oms.receive_stock(ReceiveStock::new("B", sued, 5))?;
    oms.set_backorder_policy("NEW", BackorderPolicy::Allow)?;

    // 1001: delivered, one unit returned (approved).
    let o = oms.place_order(fixture_order("f-1", vec![NewLine::new("A", 2, eur(1999)), NewLine::new("B", 1, eur(500))]))?;
    oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, o.totals.total.amount(), "EUR"))?;
    oms.validate_order(o.id)?;
    let a = oms.with_idempotency_key("alloc-f-1").allocate_order(o.id)?;
    for (i, s) in a.shipments.iter().enumerate() {
        oms.confirm_pick(s.id, vec![])?;
        oms.pack_shipment(s.id, vec![Package::new(500)])?;
        oms.ship(s.id, ShipInput::new("DHL", format!("TRACK-{i}")))?;
        oms.record_tracking_event(TrackingEventInput::by_tracking(format!("TRACK-{i}"), "delivered"))?;
    }
    let ret = oms.request_return(o.id, ReturnRequest::new(vec![ReturnUnits::new(o.lines[0].id, 1)], ReturnReason::DoesNotFit))?;
    oms.approve_return(ret.id, Some("label-1".into()))?;

    // 1002: backordered NEW, waiting for stock.
    let o = oms.place_order(fixture_order("f-2", vec![NewLine::new("NEW", 3, eur(100))]).payment_method(PaymentMethod::Invoice))?;
    oms.validate_order(o.id)?;
    oms.allocate_order(o.id)?;

    // 1003: on hold (no payment).
    let o = oms.place_order(fixture_order("f-3", vec![NewLine::new("B", 1, eur(500))]))?;
    oms.validate_order(o.id)?;

    // A checkout hold of a cart, one hour long.
    oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("B", 2)], 3600))?;

    // The first five events were delivered.
    let first: Vec<EventId> = oms.poll_events(5)?.iter().map(|e| e.id).collect();
    oms.ack_events(&first)?;
    Ok(())
}

/// What the scenario must read like after any upgrade.
fn check_fixture_content(oms: Oms, from: i64) {
    let ctx = format!("upgraded from v{from}");
    let delivered = oms.find_order("1001").unwrap();
    assert_eq!(delivered.state, OrderState::Completed, "{ctx}");
    assert_eq!(delivered.external_ref.as_deref(), Some("f-1"), "{ctx}");
    assert_eq!(delivered.totals.total.amount(), eur(4498), "{ctx}");
    assert_eq!(oms.find_order("web/f-1").unwrap().id, delivered.id, "{ctx}");
    let shipments = oms.shipments(delivered.id).unwrap();
    assert!(!shipments.is_empty() && shipments.iter().all(|s| s.state == ShipmentState::Delivered), "{ctx}");
    let returns = oms.returns(delivered.id).unwrap();
    assert_eq!(returns.iter().map(|r| r.state).collect::<Vec<_>>(), [ReturnState::Approved], "{ctx}");
    let held = oms.find_order("1003").unwrap();
    assert_eq!(held.state, OrderState::OnHold, "{ctx}");
    assert!(oms.exceptions().unwrap().iter().any(|x| x.order_id == held.id), "{ctx}");
    assert_eq!(oms.list_orders(&OrderQuery { state: Some(OrderState::OnHold), ..OrderQuery::default() }).unwrap().len(), 1, "{ctx}");
    assert_eq!(oms.stock_hold("cart-1").unwrap().lines.iter().map(|l| l.quantity).sum::<u32>(), 2, "{ctx}");
    assert_eq!(oms.verify_inventory().unwrap(), vec![], "{ctx}");
    assert_eq!(oms.available("A", None).unwrap(), 8, "{ctx}");

    // The outbox: acknowledged events stay acknowledged, the rest come in order.
    let pending = oms.poll_events(10_000).unwrap();
    assert!(!pending.is_empty() && pending.windows(2).all(|w| w[0].seq < w[1].seq), "{ctx}");
    assert!(pending[0].seq > 5, "{ctx}: {}", pending[0].seq);
    let timeline: Vec<String> = oms.timeline(delivered.id).unwrap().into_iter().map(|e| e.event_type).collect();
    assert_eq!(timeline.first().map(String::as_str), Some("order_placed"), "{ctx}");
    assert!(timeline.iter().any(|t| t == "return_approved"), "{ctx}: {timeline:?}");

    // The idempotency record answers a retry with the first result.
    let retry = oms.with_idempotency_key("alloc-f-1").allocate_order(delivered.id).unwrap();
    assert_eq!(retry.shipments.len(), shipments.len(), "{ctx}");

    // The backorder index: stock for NEW goes to order 1002.
    let nord = oms.locations().unwrap().into_iter().find(|l| l.code == "nord").unwrap().id;
    oms.receive_stock(ReceiveStock::new("NEW", nord, 5)).unwrap();
    let backordered = oms.find_order("1002").unwrap();
    assert_eq!((backordered.lines[0].quantities.allocated, backordered.lines[0].quantities.backordered), (3, 0), "{ctx}");

    // And the database goes on: numbers continue.
    let next = oms.place_order(fixture_order("f-4", vec![NewLine::new("A", 1, eur(1999))])).unwrap();
    assert_eq!(next.number, "1004", "{ctx}");
    assert_eq!(oms.verify_inventory().unwrap(), vec![], "{ctx}");
}

#[test]
fn the_fixture_scenario_reads_back_on_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let oms = Oms::builder(temp_store(&dir)).clock(ManualClock::new(fixture_time())).build();
    fixture_scenario(&oms).unwrap();
    check_fixture_content(oms, current_version());
}

/// Writes `fixtures/v{current}.sql` from the scenario (run by hand when adding a version).
#[test]
#[ignore = "writes a fixture file; run by hand when adding a schema version"]
fn write_upgrade_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.db");
    {
        let oms = Oms::builder(SqliteStore::open(&path, SqliteOptions::default()).unwrap()).clock(ManualClock::new(fixture_time())).build();
        fixture_scenario(&oms).unwrap();
    }
    let c = Connection::open(&path).unwrap();
    let mut sql = format!("-- Rows written by ordo at schema version {} (see tests.rs). Never edit.\n", current_version());
    let tables: Vec<String> = {
        let mut st = c.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    for table in tables {
        let mut st = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..n).map(|i| sql_literal(row.get_ref(i).unwrap())).collect();
            writeln!(sql, "INSERT INTO \"{table}\" VALUES ({});", values.join(", ")).unwrap();
        }
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/store/sqlite/fixtures/v{}.sql", current_version()));
    std::fs::write(&out, sql).unwrap();
    eprintln!("wrote {}", out.display());
}

fn sql_literal(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => format!("{f:e}"),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        ValueRef::Blob(b) => format!("X'{}'", b.iter().map(|x| format!("{x:02X}")).collect::<String>()),
    }
}
