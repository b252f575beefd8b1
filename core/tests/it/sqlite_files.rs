//! The SQLite file at its edges: read-only files and media, truncated and damaged files,
//! files of a newer ordo, and a disk that fills up in the middle of a checkpoint.
//!
//! Read-only media and full disks are real: the test re-runs itself (one `#[ignore]`d
//! child function, selected by name) inside its own mount namespace made by `unshare`
//! (util-linux), with a read-only bind mount or a small `tmpfs`. Without `unshare` the
//! test fails and says so; it never skips.

use std::path::{Path, PathBuf};
use std::process::Command;

use ordo::*;

use crate::common::*;

const CHILD_DIR: &str = "ORDO_TEST_CHILD_DIR";

fn variant(e: &Error) -> &'static str {
    e.variant_and_details().0
}

fn side_files(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = db.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

/// A database with a channel, a location, stock and `orders` placed orders, closed cleanly.
fn filled_db(path: &Path, orders: usize) -> Vec<OrderId> {
    let oms = Oms::open(path).unwrap();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap().id;
    oms.receive_stock(ReceiveStock::new("A", nord, 1_000_000)).unwrap();
    (0..orders).map(|i| oms.place_order(new_order(&format!("o-{i}"), vec![NewLine::new("A", 1, d("9.99"))])).unwrap().id).collect()
}

/// Runs the `#[ignore]`d test `child` of this binary inside a new user and mount namespace,
/// after `setup` (shell commands, `$D` is `dir`) ran there; panics with its output on failure.
fn run_in_namespace(child: &str, dir: &Path, setup: &str) {
    let exe = std::env::current_exe().unwrap();
    let script = format!("set -e; {setup}; exec \"$0\" --exact {child} --ignored --nocapture --test-threads 1");
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .arg(&exe)
        .env("D", dir)
        .env(CHILD_DIR, dir)
        .output()
        .unwrap_or_else(|e| panic!("this test needs `unshare` (util-linux) to make its own mount namespace: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "child {child} failed ({}):\n{text}", out.status);
    assert!(text.contains("1 passed"), "child {child} ran no test:\n{text}");
    eprintln!("{text}");
}

#[test]
fn read_only_option_serves_queries_and_refuses_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ordo.db");
    let ids = filled_db(&db, 3);
    let bytes = std::fs::read(&db).unwrap();
    let oms = Oms::open_with(&db, SqliteOptions::default().read_only(true)).unwrap();
    assert_eq!(oms.list_orders(&OrderQuery::default()).unwrap().len(), 3);
    assert_eq!(oms.get_order(ids[0]).unwrap().external_ref.as_deref(), Some("o-0"));
    assert_eq!(oms.available("A", None).unwrap(), 1_000_000);
    let e = oms.add_channel(NewChannel::new("pos", "Till")).unwrap_err();
    assert_eq!((e.code(), variant(&e)), ("STORAGE", "ReadOnly"), "{e}");
    assert!(e.to_string().contains("read-only"), "{e}");
    let e = oms.place_order(new_order("o-new", vec![NewLine::new("A", 1, d("1.00"))])).unwrap_err();
    assert_eq!(variant(&e), "ReadOnly");
    drop(oms);
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "a read-only store changed the file");
    // A file that does not exist cannot be opened read-only (there is nothing to read).
    let e = Oms::open_with(dir.path().join("none.db"), SqliteOptions::default().read_only(true)).unwrap_err();
    assert_eq!(variant(&e), "ReadOnly");
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn files_on_a_read_only_mount_open_for_queries() {
    let dir = tempfile::tempdir().unwrap();
    filled_db(&dir.path().join("ordo.db"), 3);
    run_in_namespace("sqlite_files::read_only_mount_child", dir.path(), "mount --bind \"$D\" \"$D\"; mount -o remount,bind,ro \"$D\"");
}

#[test]
#[ignore = "runs inside the mount namespace of files_on_a_read_only_mount_open_for_queries"]
fn read_only_mount_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else { return };
    let db = Path::new(&dir).join("ordo.db");
    assert!(std::fs::OpenOptions::new().append(true).open(&db).is_err(), "the mount is not read-only");
    let oms = Oms::open(&db).unwrap();
    assert_eq!(oms.list_orders(&OrderQuery::default()).unwrap().len(), 3);
    assert_eq!(oms.channels().unwrap().len(), 1);
    let e = oms.add_channel(NewChannel::new("pos", "Till")).unwrap_err();
    assert_eq!((e.code(), variant(&e)), ("STORAGE", "ReadOnly"), "{e}");
    assert!(e.to_string().contains("cannot be written"), "{e}");
    assert_eq!(side_files(&db), Vec::<PathBuf>::new());
    // A new database cannot be created there: a read-only error, not "not an ordo database".
    let e = Oms::open(Path::new(&dir).join("new.db")).unwrap_err();
    assert_eq!(e.code(), "STORAGE");
    assert_ne!(variant(&e), "NotOrdoDatabase", "{e}");
}

#[test]
fn truncated_and_damaged_files_are_corrupt_not_foreign() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ordo.db");
    filled_db(&db, 200);
    let bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 16 * 4096, "{}", bytes.len());

    let open = |name: &str, content: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        let r = Oms::open(&p).map(|oms| oms.list_orders(&OrderQuery::default()).map(|o| o.len()));
        let after = std::fs::read(&p).unwrap();
        (r, after == content, side_files(&p))
    };
    // Cut in half, and cut inside the header.
    for (name, len) in [("half.db", bytes.len() / 2), ("header.db", 60)] {
        let (r, untouched, side) = open(name, &bytes[..len]);
        let e = r.unwrap_err();
        assert_eq!((e.code(), variant(&e)), ("STORAGE", "Corrupt"), "{name}: {e}");
        assert!(e.to_string().contains("truncated"), "{e}");
        assert!(untouched && side.is_empty(), "{name} was changed: {side:?}");
    }
    // Garbage over the schema page: found when the file is opened or read, never foreign.
    let mut damaged = bytes.clone();
    for b in &mut damaged[100..4096] {
        *b = 0xA5;
    }
    let (r, _, _) = open("damaged.db", &damaged);
    let e = match r {
        Err(e) => e,
        Ok(Err(e)) => e,
        Ok(Ok(n)) => panic!("a damaged schema page read {n} orders"),
    };
    assert_eq!((e.code(), variant(&e)), ("STORAGE", "Corrupt"), "{e}");
    // Not SQLite at all: that is a foreign file.
    let (r, untouched, _) = open("text.db", b"order-id;sku;quantity\n1;A;2\n");
    assert_eq!(variant(&r.unwrap_err()), "NotOrdoDatabase");
    assert!(untouched);
}

#[test]
fn a_newer_schema_is_refused_without_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ordo.db");
    filled_db(&db, 1);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    assert_eq!(side_files(&db), Vec::<PathBuf>::new());
    let bytes = std::fs::read(&db).unwrap();
    for options in [SqliteOptions::default(), SqliteOptions::default().read_only(true)] {
        let e = Oms::open_with(&db, options).unwrap_err();
        assert_eq!(variant(&e), "SchemaTooNew", "{e}");
        assert_eq!(side_files(&db), Vec::<PathBuf>::new(), "a refused file got side files");
        assert_eq!(std::fs::read(&db).unwrap(), bytes);
    }
}

#[test]
fn a_disk_that_fills_up_mid_checkpoint_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    run_in_namespace("sqlite_files::disk_full_child", dir.path(), "mount -t tmpfs -o size=4m tmpfs \"$D\"");
}

#[test]
#[ignore = "runs inside the mount namespace of a_disk_that_fills_up_mid_checkpoint_loses_nothing_acknowledged"]
fn disk_full_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else { return };
    let dir = Path::new(&dir);
    let db = dir.join("ordo.db");
    let wal = dir.join("ordo.db-wal");
    let options = SqliteOptions::for_device().checkpoint_pages(64);
    let oms = Oms::open_with(&db, options.clone()).unwrap();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap().id;
    oms.receive_stock(ReceiveStock::new("A", nord, 1_000_000)).unwrap();
    // Ballast leaves about 1.5 MiB for the database: it fills up while orders come in.
    std::fs::write(dir.join("ballast"), vec![1u8; 2_500_000]).unwrap();
    let limit: u64 = 64 * 4096;
    let mut acknowledged = Vec::new();
    let full = loop {
        let i = acknowledged.len();
        let mut order = new_order(&format!("o-{i}"), vec![NewLine::new("A", 1, d("9.99"))]);
        order.notes.push(format!("{i:>400}"));
        match oms.place_order(order) {
            Ok(o) => acknowledged.push(o.id),
            Err(e) => break e,
        }
        assert!(acknowledged.len() < 100_000, "the disk never filled up");
    };
    assert_eq!((full.code(), variant(&full)), ("STORAGE", "DiskFull"), "{full}");
    // The checkpoint that ran when the WAL passed its size could not finish (the database
    // file could not grow), so the WAL was not reset and the next commit needed new space.
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(wal_len > limit, "the WAL ({wal_len} bytes) was reset: no checkpoint was cut short");
    eprintln!(
        "disk full after {} orders; WAL {wal_len} bytes, database {} bytes",
        acknowledged.len(),
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
    );
    assert!(acknowledged.len() > 50, "only {} orders fitted", acknowledged.len());
    // What failed stored nothing; everything acknowledged is there, also after a reopen.
    let count = |oms: &Oms| oms.list_orders(&OrderQuery::default()).unwrap().len();
    assert_eq!(count(&oms), acknowledged.len());
    drop(oms);
    let oms = Oms::open_with(&db, options.clone()).unwrap();
    assert_eq!(count(&oms), acknowledged.len());
    for id in &acknowledged {
        oms.get_order(*id).unwrap();
    }
    // Space comes back: so do writes, and the WAL folds back to its size.
    std::fs::remove_file(dir.join("ballast")).unwrap();
    for i in 0..200 {
        acknowledged.push(oms.place_order(new_order(&format!("after-{i}"), vec![NewLine::new("A", 1, d("9.99"))])).unwrap().id);
    }
    assert_eq!(count(&oms), acknowledged.len());
    assert_eq!(oms.verify_inventory().unwrap(), vec![]);
    drop(oms);
    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    drop(c);
    let oms = Oms::open_with(&db, options).unwrap();
    assert_eq!(count(&oms), acknowledged.len());
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(wal_len <= 2 * limit, "the WAL stayed at {wal_len} bytes");
}
