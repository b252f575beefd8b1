//! Several processes on one database file, and processes killed mid-write.
//!
//! The children are this test binary itself, started again with `--ignored --exact
//! sqlite_processes::child_process` and the environment variable `ORDO_IT_CHILD` naming
//! their role. `child_process` is `#[ignore]`d, so a normal test run neither runs it nor
//! counts it as a passed test.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ordo::*;

use crate::common::*;

const ROLE: &str = "ORDO_IT_CHILD";
const DB: &str = "ORDO_IT_DB";
const TAG: &str = "ORDO_IT_TAG";

/// Orders each reserving child places (one unit of HOT each).
const ORDERS_PER_CHILD: u32 = 40;
/// Units of HOT in stock: fewer than the children order together.
const HOT_STOCK: u32 = 100;
/// How many times the crash test kills a writer.
const KILLS: usize = 50;

fn spawn(role: &str, db: &Path, tag: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "sqlite_processes::child_process", "--nocapture", "--test-threads", "1", "--quiet"])
        .env(ROLE, role)
        .env(DB, db)
        .env(TAG, tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The entry point of the child processes; not a test of its own (without `ORDO_IT_CHILD`,
/// e.g. under `--include-ignored`, it returns at once).
#[test]
#[ignore = "the child process of the sqlite_processes tests, started by them"]
fn child_process() {
    let Ok(role) = std::env::var(ROLE) else { return };
    let db = std::env::var(DB).unwrap();
    let tag = std::env::var(TAG).unwrap();
    match role.as_str() {
        "reserve" => reserve_child(&db, &tag),
        "crash" => crash_child(&db, &tag),
        other => panic!("unknown child role {other}"),
    }
}

/// Prints one line for the parent and flushes it (outside the test harness's capture).
fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

fn reserve_child(db: &str, tag: &str) {
    let oms = Oms::open(db).unwrap();
    let mut granted = 0;
    for i in 0..ORDERS_PER_CHILD {
        let o = oms
            .place_order(new_order(&format!("{tag}-{i}"), vec![NewLine::new("HOT", 1, d("5.00"))]).payment_method(PaymentMethod::Invoice))
            .unwrap();
        let o = oms.validate_order(o.id).unwrap();
        if o.state == OrderState::Confirmed {
            granted += oms.allocate_order(o.id).unwrap().order.lines[0].quantities.allocated;
        }
    }
    report(&format!("GRANTED {granted}"));
}

fn crash_child(db: &str, tag: &str) {
    let oms = Oms::open(db).unwrap();
    report("READY");
    for i in 0.. {
        // Three lines: A only in nord, B split over both warehouses, so allocation writes
        // one or two shipments, several stock levels, movements and events at once.
        let lines = vec![NewLine::new("A", 1, d("9.99")), NewLine::new("B", 2, d("4.50")), NewLine::new("C", 1, d("1.00"))];
        let o = oms.place_order(new_order(&format!("{tag}-{i}"), lines).payment_method(PaymentMethod::Invoice)).unwrap();
        oms.validate_order(o.id).unwrap();
        let a = oms.allocate_order(o.id).unwrap();
        if i % 3 == 0 {
            for s in &a.shipments {
                oms.confirm_pick(s.id, vec![]).unwrap();
                oms.pack_shipment(s.id, vec![Package::new(500)]).unwrap();
            }
        }
        let o = oms.get_order(o.id).unwrap();
        report(&format!("OK {} {}", o.id, serde_json::to_string(&o.state).unwrap()));
    }
}

/// Channel, two warehouses and stock in a new database file.
fn prepare(db: &Path, stock: &[(&str, bool, u32)]) -> (Oms, LocationId, LocationId) {
    let oms = Oms::open(db).unwrap();
    oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1)).unwrap().id;
    let sued = oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2)).unwrap().id;
    for (sku, in_nord, qty) in stock {
        oms.receive_stock(ReceiveStock::new(*sku, if *in_nord { nord } else { sued }, *qty)).unwrap();
    }
    (oms, nord, sued)
}

#[test]
fn four_processes_never_reserve_more_than_the_stock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hot.db");
    let (oms, _, _) = prepare(&db, &[("HOT", true, 60), ("HOT", false, HOT_STOCK - 60)]);
    let children: Vec<Child> = (0..4).map(|p| spawn("reserve", &db, &format!("p{p}"))).collect();
    let mut granted = 0;
    for mut child in children {
        let out = BufReader::new(child.stdout.take().unwrap());
        let lines: Vec<String> = out.lines().map(Result::unwrap).collect();
        assert!(child.wait().unwrap().success(), "a child failed: {lines:?}");
        let n: u32 =
            lines.iter().find_map(|l| l.strip_prefix("GRANTED ")).unwrap_or_else(|| panic!("no result in {lines:?}")).parse().unwrap();
        granted += n;
    }
    assert_eq!(granted, HOT_STOCK, "exactly the stock was granted");
    let levels = oms.stock("HOT").unwrap();
    assert!(levels.iter().all(|l| l.reserved == l.on_hand && l.available() == 0), "{levels:?}");
    assert_eq!(oms.verify_inventory().unwrap(), vec![]);
    let orders = oms.list_orders(&OrderQuery::default()).unwrap();
    assert_eq!(orders.len(), 4 * ORDERS_PER_CHILD as usize);
    let allocated: u32 = orders.iter().flat_map(|o| &o.lines).map(|l| l.quantities.allocated).sum();
    assert_eq!(allocated, HOT_STOCK);
    let numbers: std::collections::BTreeSet<&str> = orders.iter().map(|o| o.number.as_str()).collect();
    assert_eq!(numbers.len(), orders.len(), "order numbers are unique across processes");
}

#[test]
fn killing_writers_at_random_points_loses_and_tears_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let big = 1_000_000;
    drop(prepare(&db, &[("A", true, big), ("B", true, 1), ("B", false, big), ("C", false, big)]));
    let mut rng = Rng::from_time();
    let mut promised: BTreeMap<OrderId, OrderState> = BTreeMap::new();
    let mut checked = 0;
    let started = Instant::now();
    for kill in 0..KILLS {
        let mut child = spawn("crash", &db, &format!("k{kill}"));
        let stdout = child.stdout.take().unwrap();
        // Read what the child reports while it runs; once it is writing, kill it at a
        // random moment.
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut lines = Vec::new();
        while lines.last().is_none_or(|l| l != "READY") {
            lines.push(rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|e| panic!("the child did not start ({e}): {lines:?}")));
        }
        std::thread::sleep(Duration::from_millis(rng.below(120)));
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        lines.extend(rx.try_iter());
        let mut new_promises = BTreeMap::new();
        for line in lines {
            // A line cut short by the kill was never a promise.
            let Some((id, state)) = line.strip_prefix("OK ").and_then(|rest| rest.split_once(' ')) else { continue };
            if let (Ok(id), Ok(state)) = (id.parse::<OrderId>(), serde_json::from_str::<OrderState>(state)) {
                new_promises.insert(id, state);
            }
        }
        // Reopen (recovering the WAL the killed writer left) and check what is new.
        let oms = Oms::open(&db).unwrap();
        checked = check_database(&oms, &new_promises, checked, kill % 10 == 9);
        promised.extend(new_promises);
    }
    let oms = Oms::open(&db).unwrap();
    check_database(&oms, &promised, 0, true);
    assert!(promised.len() >= KILLS, "the children got to write: {} orders confirmed", promised.len());
    eprintln!("{KILLS} kills, {} confirmed orders, {:?}", promised.len(), started.elapsed());
}

/// Checks the database against the promises of the children. Orders before position
/// `from` (in placement order) were checked before; `all_stock` also checks every stock
/// level against the open shipments. Returns the number of orders.
fn check_database(oms: &Oms, promised: &BTreeMap<OrderId, OrderState>, from: usize, all_stock: bool) -> usize {
    for (id, state) in promised {
        let o = oms.get_order(*id).unwrap_or_else(|e| panic!("order {id} returned Ok but is gone: {e}"));
        assert_eq!(o.state, *state, "order {id}");
    }
    assert_eq!(oms.verify_inventory().unwrap(), vec![], "the ledger matches the levels");
    let orders = oms.list_orders(&OrderQuery::default()).unwrap();
    if all_stock {
        check_reservations(oms, &orders);
    }
    for o in orders.iter().skip(from) {
        o.check_invariants().unwrap_or_else(|e| panic!("order {} is torn: {e}", o.id));
        assert!(matches!(o.state, OrderState::Placed | OrderState::Confirmed | OrderState::InFulfillment), "{:?}", o.state);
        let shipments = oms.shipments(o.id).unwrap();
        for l in &o.lines {
            let in_shipments: u32 = shipments.iter().flat_map(|s| &s.lines).filter(|sl| sl.line == l.id).map(|sl| sl.quantity).sum();
            assert_eq!(in_shipments, l.quantities.allocated, "order {} line {}: shipments match the allocation", o.number, l.sku);
        }
        if o.state == OrderState::InFulfillment {
            assert!(!shipments.is_empty(), "order {} is in fulfillment without shipments", o.number);
        }
        let events = oms.timeline(o.id).unwrap();
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types.iter().filter(|t| **t == "order_placed").count(), 1, "order {}: {types:?}", o.number);
        if o.state != OrderState::Placed {
            assert!(types.contains(&"order_confirmed"), "order {}: {types:?}", o.number);
        }
        if o.state == OrderState::InFulfillment {
            assert!(types.contains(&"order_allocated"), "order {}: {types:?}", o.number);
            let created = types.iter().filter(|t| **t == "shipment_created").count();
            assert_eq!(created, shipments.len(), "order {}: one shipment_created per shipment", o.number);
        }
    }
    orders.len()
}

/// Every unit reserved at a location belongs to an open shipment from there, and back.
fn check_reservations(oms: &Oms, orders: &[Order]) {
    let mut reserved: HashMap<(String, LocationId), u64> = HashMap::new();
    for o in orders {
        let shipments = oms.shipments(o.id).unwrap();
        for s in shipments.iter().filter(|s| matches!(s.state, ShipmentState::Pending | ShipmentState::Picked | ShipmentState::Packed)) {
            for l in &s.lines {
                *reserved.entry((l.sku.clone(), s.location)).or_default() += u64::from(l.quantity);
            }
        }
    }
    for sku in ["A", "B", "C"] {
        for level in oms.stock(sku).unwrap() {
            assert_eq!(
                u64::from(level.reserved),
                reserved.get(&(sku.to_owned(), level.location)).copied().unwrap_or(0),
                "reserved {sku} at {} equals the open shipments",
                level.location
            );
        }
    }
}
