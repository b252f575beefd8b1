//! The SQLite store's own promises: what survives a reopen, which files it refuses (and
//! leaves untouched), transactions that roll back, savepoints, busy handling.

use std::path::Path;
use std::time::{Duration, Instant};

use ordo::*;

use crate::common::*;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn refused(path: &Path) -> StoreError {
    match SqliteStore::open(path, SqliteOptions::default()) {
        Err(Error::Store(e)) => e,
        Err(e) => panic!("expected a store error, got {e:?}"),
        Ok(_) => panic!("{} was accepted", path.display()),
    }
}

#[test]
fn everything_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let (order, acked, pending) = {
        let oms = Oms::open(&path).unwrap();
        oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
        let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap().id;
        oms.receive_stock(ReceiveStock::new("A", nord, 10)).unwrap();
        let o = oms.place_order(new_order("r-1", vec![NewLine::new("A", 3, d("9.99"))]).payment_method(PaymentMethod::Invoice)).unwrap();
        oms.validate_order(o.id).unwrap();
        let a = oms.with_idempotency_key("alloc-r-1").allocate_order(o.id).unwrap();
        let events = oms.poll_events(3).unwrap();
        assert_eq!(oms.ack_events(&events.iter().map(|e| e.id).collect::<Vec<_>>()).unwrap(), 3);
        let pending = oms.poll_events(1000).unwrap();
        (a.order, events, pending)
    };
    let oms = Oms::open(&path).unwrap();
    assert_eq!(oms.get_order(order.id).unwrap(), order);
    assert_eq!(oms.find_order("web/r-1").unwrap().id, order.id);
    assert_eq!(oms.find_order(&order.number).unwrap().id, order.id);
    assert_eq!(oms.stock("A").unwrap()[0].reserved, 3);
    assert_eq!(oms.verify_inventory().unwrap(), vec![]);
    let again = oms.poll_events(1000).unwrap();
    assert_eq!(again, pending, "pending events survive, acknowledged ones stay acknowledged");
    assert!(again.iter().all(|e| !acked.iter().any(|a| a.id == e.id)));
    assert!(again.windows(2).all(|w| w[0].seq < w[1].seq));
    // The idempotency record survives too: the retry returns the first result.
    let retry = oms.with_idempotency_key("alloc-r-1").allocate_order(order.id).unwrap();
    assert_eq!(retry.order, order);
    // Numbers continue after the stored ones.
    let next = oms.place_order(new_order("r-2", vec![NewLine::new("A", 1, d("9.99"))])).unwrap();
    assert_eq!(next.number.parse::<u64>().unwrap(), order.number.parse::<u64>().unwrap() + 1);
}

#[test]
fn a_file_of_random_bytes_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noise.db");
    let mut rng = Rng::new(7);
    let noise: Vec<u8> = (0..8192).map(|_| rng.below(256) as u8).collect();
    std::fs::write(&path, &noise).unwrap();
    let err = refused(&path);
    assert!(matches!(err, StoreError::NotOrdoDatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("not an ordo database"), "{err}");
    assert_eq!(bytes(&path), noise);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no -wal or -shm file was created");
    assert_eq!(Error::from(err).code(), "STORAGE");

    // A short text file too.
    std::fs::write(&path, b"hello").unwrap();
    assert!(matches!(refused(&path), StoreError::NotOrdoDatabase { .. }));
    assert_eq!(bytes(&path), b"hello");
}

#[test]
fn another_applications_sqlite_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for wal in [false, true] {
        let path = dir.path().join(format!("crm-{wal}.db"));
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            if wal {
                c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
            }
            c.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Anna');")
                .unwrap();
        }
        let before = bytes(&path);
        let err = refused(&path);
        assert!(matches!(err, StoreError::NotOrdoDatabase { .. }), "{err:?}");
        assert_eq!(bytes(&path), before, "wal={wal}");
        let c = rusqlite::Connection::open(&path).unwrap();
        let names: i64 = c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
        assert_eq!(names, 1, "no ordo table was added");
    }
    // An SQLite file with another application id, even without tables.
    let path = dir.path().join("other-app.db");
    rusqlite::Connection::open(&path).unwrap().execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);").unwrap();
    let before = bytes(&path);
    assert!(matches!(refused(&path), StoreError::NotOrdoDatabase { .. }));
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_database_of_a_newer_ordo_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let oms = Oms::open(&path).unwrap();
        oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    }
    let current: i64 = rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(current >= 1);
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", current + 1).unwrap();
    let before = bytes(&path);
    match refused(&path) {
        StoreError::SchemaTooNew { found, supported, .. } => {
            assert_eq!(found, current + 1);
            assert_eq!(supported, current);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let oms = Oms::open(&path).unwrap();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    assert_eq!(oms.channels().unwrap().len(), 1);
    let mode: String = rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_dropped_transaction_stores_nothing_and_savepoints_nest() {
    for b in [Backend::Memory, Backend::Sqlite] {
        let store = b.store();
        let scratch = Oms::in_memory();
        let channel = |code: &str| scratch.add_channel(NewChannel::new(code, code)).unwrap();
        let (web, pos, app) = (channel("web"), channel("pos"), channel("app"));
        {
            let mut tx = store.begin().unwrap();
            tx.insert_channel(&web).unwrap();
            assert_eq!(tx.next_number("n").unwrap(), 1);
        }
        let mut tx = store.begin().unwrap();
        assert!(tx.channel("web").unwrap().is_none(), "{b:?}: dropped without commit");
        assert_eq!(tx.next_number("n").unwrap(), 1, "{b:?}");
        tx.insert_channel(&web).unwrap();
        tx.savepoint().unwrap();
        tx.insert_channel(&pos).unwrap();
        assert_eq!(tx.next_number("n").unwrap(), 2);
        tx.savepoint().unwrap();
        tx.insert_channel(&app).unwrap();
        tx.release_savepoint().unwrap();
        assert!(tx.channel("app").unwrap().is_some());
        tx.rollback_to_savepoint().unwrap();
        assert!(tx.rollback_to_savepoint().is_err(), "{b:?}: no savepoint left");
        assert!(tx.channel("pos").unwrap().is_none(), "{b:?}");
        assert!(tx.channel("app").unwrap().is_none(), "{b:?}: the inner savepoint went with the outer one");
        assert_eq!(tx.next_number("n").unwrap(), 2, "{b:?}: the counter was rolled back");
        tx.commit().unwrap();
        let mut tx = store.begin_read().unwrap();
        assert_eq!(tx.channels().unwrap().iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["web"], "{b:?}");
    }
}

#[test]
fn put_rules_match_the_memory_store() {
    for b in [Backend::Memory, Backend::Sqlite] {
        let w = world(b);
        let o = w.oms.place_order(new_order("v-1", vec![NewLine::new("A", 1, d("1.00"))])).unwrap();
        let store = b.store();
        let mut tx = store.begin().unwrap();
        let mut stale = o.clone();
        assert!(matches!(tx.put_order(&stale), Ok(())), "{b:?}: version 1 into an empty store");
        let err = tx.put_order(&stale).unwrap_err();
        assert!(matches!(err, Error::Conflict(ConflictError::VersionConflict { expected: 0, found: 1, .. })), "{b:?}: {err:?}");
        stale.version = 3;
        let err = tx.put_order(&stale).unwrap_err();
        assert!(matches!(err, Error::Conflict(ConflictError::VersionConflict { expected: 2, found: 1, .. })), "{b:?}: {err:?}");
        let mut twin = o.clone();
        twin.id = OrderId::new();
        twin.version = 1;
        let err = tx.put_order(&twin).unwrap_err();
        assert!(
            matches!(&err, Error::Conflict(ConflictError::AlreadyExists { entity: "order", key }) if key == "web/v-1"),
            "{b:?}: {err:?}"
        );
        twin.external_ref = Some("v-2".into());
        let err = tx.put_order(&twin).unwrap_err();
        assert!(matches!(err, Error::Conflict(ConflictError::AlreadyExists { entity: "order number", .. })), "{b:?}: {err:?}");
    }
}

#[test]
fn a_writer_of_another_connection_makes_commands_wait_then_fail_busy_without_storing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let oms = Oms::open_with(&path, SqliteOptions::default().busy_timeout(Duration::from_millis(300))).unwrap();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let err = oms.add_channel(NewChannel::new("pos", "POS")).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(250), "it waited {:?}", started.elapsed());
    assert!(matches!(err, Error::Store(StoreError::Busy(_))), "{err:?}");
    assert_eq!(err.code(), "STORAGE");
    // Queries are not blocked by the writer (WAL).
    assert_eq!(oms.channels().unwrap().len(), 1);
    other.execute_batch("ROLLBACK").unwrap();
    oms.add_channel(NewChannel::new("pos", "POS")).unwrap();
    assert_eq!(oms.channels().unwrap().len(), 2);
}

#[test]
fn a_short_wait_for_another_writer_is_absorbed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wait.db");
    let oms = Oms::open(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        other.execute_batch("COMMIT").unwrap();
    });
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    releaser.join().unwrap();
    assert_eq!(oms.channels().unwrap().len(), 1);
}
