//! `fuzz-tools`: the fuzz targets' helpers, run with
//! `cargo run --manifest-path fuzz/Cargo.toml -p ordo-fuzz-tools -- <command>`.
//!
//! - `seeds`: writes the seed corpora under `fuzz/corpus/<target>/` from the scenario
//!   files (`tests/scenarios/`) and from the documents and database file of a store that
//!   holds the harness's fixture;
//! - `describe <target> <file>`: shows an input as what the harness does with it (for
//!   `ops_execute`, its JSON program: the form regressions are kept in);
//! - `trace <file>`: runs an `ops_execute` input and prints each step's result or error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ordo::__fuzz::documents::{self, Encoding};
use ordo::__fuzz::ops::{self, Program, Step, Templates};
use ordo::{ManualClock, OrderQuery, SqliteOptions, SqliteStore};
use serde_json::{Value, json};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenarios() -> Res<Vec<(String, Value)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/scenarios"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok((name, serde_json::from_slice(&std::fs::read(&f)?)?))
        })
        .collect()
}

fn write(target: &str, name: &str, bytes: &[u8]) -> Res<()> {
    let dir = root().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)?;
    Ok(())
}

/// The steps of a scenario without what only a test runner needs.
fn steps_of(doc: &Value) -> Vec<Step> {
    doc["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let mut s = s.clone();
            if let Value::Object(o) = &mut s {
                o.remove("expect");
                o.remove("expect_error");
            }
            serde_json::from_value(s).ok()
        })
        .collect()
}

fn ops_seeds(scenarios: &[(String, Value)]) -> Res<()> {
    // Every scenario as a program from an empty store: the lifecycle states they reach.
    for (name, doc) in scenarios {
        let p = Program { fixture: false, sqlite: false, steps: steps_of(doc).into_iter().take(ops::MAX_STEPS).collect() };
        write("ops_execute", &format!("{name}.json"), &serde_json::to_vec(&p)?)?;
    }
    // Short programs on the fixture, one per lifecycle corner.
    let short: &[(&str, Value)] = &[
        (
            "fx-ship",
            json!([{"op": "confirm_pick", "args": {"shipment": "$shipment"}},
            {"op": "pack_shipment", "args": {"shipment": "$shipment", "packages": [{"weight_grams": 500}]}},
            {"op": "ship", "args": {"shipment": "$shipment", "input": {"carrier": "DHL", "tracking_number": "T1"}}},
            {"op": "record_tracking_event", "args": {"event": {"tracking_number": "T1", "code": "lost"}}}]),
        ),
        (
            "fx-return",
            json!([{"op": "approve_return", "args": {"return": "$return", "label": "L"}},
            {"op": "receive_return", "args": {"return": "$return", "receipt": {"location": "$nord"}}},
            {"op": "inspect_return", "args": {"return": "$return", "inspections": [{"line": "$line3", "quantity": 1, "disposition": "restock"}]}},
            {"op": "resolve_return", "args": {"return": "$return"}}]),
        ),
        (
            "fx-edit",
            json!([{"op": "edit_order", "args": {"order": "$order", "changes": {"lines": [{"type": "set_quantity", "line": "$line1", "quantity": 5}]}}},
            {"op": "cancel_lines", "args": {"order": "$order", "lines": [{"line": "$line2", "quantity": 1}], "reason": "r"}},
            {"op": "cancel_order", "args": {"order": "$order", "reason": "r"}}]),
        ),
        (
            "fx-stock",
            json!([{"op": "adjust_stock", "args": {"adjustment": {"sku": "MUG", "location": "$nord", "delta": -3, "reason": "count"}}},
            {"op": "transfer_stock", "args": {"transfer": {"sku": "TSHIRT-M", "from": "$nord", "to": "$laden", "quantity": 2}}},
            {"op": "set_safety_stock", "args": {"sku": "MUG", "location": "$nord", "units": 2}},
            {"op": "verify_inventory"}]),
        ),
        (
            "fx-claim",
            json!([{"op": "record_tracking_event", "args": {"event": {"tracking_number": "TRACK-B", "code": "damaged"}}},
            {"op": "open_claim", "args": {"shipment": "$shipment2", "claim": {"kind": "damaged"}}},
            {"op": "claims", "args": {"order": "$order2"}}]),
        ),
        (
            "fx-sqlite",
            json!({"sqlite": true, "steps": [{"op": "confirm_pick", "args": {"shipment": "$shipment"}},
            {"op": "poll_events", "args": {"limit": 5}}, {"op": "timeline", "args": {"order": "$order"}}]}),
        ),
    ];
    for (name, v) in short {
        write("ops_execute", &format!("{name}.json"), &serde_json::to_vec(v)?)?;
    }
    Ok(())
}

fn money_seeds() -> Res<()> {
    let seeds: &[(&str, &[u8])] = &[
        ("decimal-plain", b"\x0012.50"),
        ("decimal-max", b"\x0079228162514264337593543950335"),
        ("decimal-tiny", b"\x00-0.0000000000000000000000000001"),
        ("currency-eur", b"\x01EUR"),
        ("currency-kwd", b"\x01KWD"),
        ("arith-eur", b"\x02\x00\x00\x01\x05\x01\x06"),
        ("arith-raw", b"\x02\x01\x01\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x10\x27\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02"),
        ("spread-three", b"\x03\x00\x01\x05\x03\x01\x01\x01\x01\x01\x01"),
        ("spread-jpy", b"\x03\x01\x01\x05\x04\x01\x05\x01\x06\x01\x00\x01\x01"),
        ("pricing-gross", b"\x04\x00\x00\x01\x01\x02\x01\x05\x01\x01\x06\x01\x01\x01\x04\x01\x01\x05\x01\x06"),
        ("pricing-net-jpy", b"\x04\x01\x01\x02\x01\x03\x01\x0e\x00\x00\x00\x01\x03\x01\x00\x00"),
        ("pricing-huge", b"\x04\x00\x00\x00\x01\x02\x01\x0f\x00\x00\x00"),
    ];
    for (name, bytes) in seeds {
        write("money", name, bytes)?;
    }
    Ok(())
}

/// A store holding the fixture plus a return in progress, a pick list, SKU settings and a
/// checkout hold: one document of every kind.
fn fixture_db(path: &Path) -> Res<()> {
    let clock = ManualClock::new(ops::start_time()?);
    let store = SqliteStore::open(path, SqliteOptions::default())?;
    let oms = ops::oms(store, &clock);
    let mut steps = ops::fixture()?;
    let extra: Vec<Step> = serde_json::from_value(json!([
        {"op": "approve_return", "args": {"return": "$return", "label": "L"}},
        {"op": "set_backorder_policy", "args": {"sku": "MUG", "policy": {"type": "allow"}}},
        {"op": "hold_stock", "args": {"request": {"cart_ref": "cart-1", "channel": "web", "lines": [{"sku": "MUG", "quantity": 1}], "ttl_seconds": 600}}},
        {"op": "set_bin", "args": {"sku": "TSHIRT-M", "location": "$nord", "bin": "A-01"}},
        {"op": "create_pick_list", "args": {"request": {"location": "$nord"}}}
    ]))?;
    steps.extend(extra);
    ops::replay(&oms, &clock, &steps)?;
    Ok(())
}

fn document_seeds() -> Res<()> {
    let dir = std::env::temp_dir().join(format!("ordo-fuzz-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("fixture.db");
    fixture_db(&path)?;
    let conn = rusqlite::Connection::open(&path)?;
    let tables = [
        ("order", "SELECT doc FROM orders"),
        ("shipment", "SELECT doc FROM shipments"),
        ("return", "SELECT doc FROM returns"),
        ("pick_list", "SELECT doc FROM pick_lists"),
        ("channel", "SELECT doc FROM channels"),
        ("location", "SELECT doc FROM locations"),
        ("sku_settings", "SELECT doc FROM sku_settings"),
        ("stock_hold", "SELECT doc FROM stock_holds"),
        ("event", "SELECT kind FROM events"),
    ];
    for (kind, sql) in tables {
        let mut st = conn.prepare(sql)?;
        let docs: Vec<Vec<u8>> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        // At most three documents of a kind (events: the first three kinds of event).
        for (i, doc) in docs.iter().take(3).enumerate() {
            write("sqlite_decode", &format!("{kind}-{i}.msgpack"), &documents::input(kind, Encoding::Blob, doc))?;
        }
    }
    // JSON documents as schema versions 1 and 2 wrote them: the serde JSON form.
    let oms = ordo::Oms::open(&path)?;
    let orders = oms.list_orders(&OrderQuery::default())?;
    let mut json_docs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if let Some(o) = orders.first() {
        json_docs.insert("order".into(), serde_json::to_vec(o)?);
        if let Some(s) = oms.shipments(o.id)?.first() {
            json_docs.insert("shipment".into(), serde_json::to_vec(s)?);
        }
    }
    for o in &orders {
        if let Some(r) = oms.returns(o.id)?.first() {
            json_docs.insert("return".into(), serde_json::to_vec(r)?);
        }
    }
    if let Some(c) = oms.channels()?.first() {
        json_docs.insert("channel".into(), serde_json::to_vec(c)?);
    }
    if let Some(l) = oms.locations()?.first() {
        json_docs.insert("location".into(), serde_json::to_vec(l)?);
    }
    if let Some(e) = oms.poll_events(1)?.first() {
        json_docs.insert("event".into(), serde_json::to_vec(&e.kind)?);
    }
    for (kind, doc) in &json_docs {
        write("sqlite_decode", &format!("{kind}.json"), &documents::input(kind, Encoding::Text, doc))?;
    }
    drop(oms);
    // The whole file, as small as SQLite makes it: 512-byte pages, no WAL.
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM;")?;
    drop(conn);
    write("sqlite_file", "fixture.sqlite", &std::fs::read(&path)?)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn describe(target: &str, file: &Path) -> Res<()> {
    let data = std::fs::read(file)?;
    match target {
        "ops_execute" => {
            let docs: Vec<Value> = scenarios()?.into_iter().map(|(_, d)| d).collect();
            let program = ops::describe(&data, &Templates::from_scenarios(&docs));
            println!("{}", serde_json::to_string_pretty(&program)?);
        }
        "sqlite_decode" => {
            let kind = data.first().map_or("order", |b| documents::KINDS[usize::from(*b) % documents::KINDS.len()]);
            let text = data.first().is_some_and(|b| !(b / 9).is_multiple_of(2));
            println!(
                "{kind} document ({}): {:?}",
                if text { "JSON text" } else { "blob" },
                String::from_utf8_lossy(data.get(1..).unwrap_or(&[]))
            );
        }
        _ => println!("{:?}", String::from_utf8_lossy(&data)),
    }
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["seeds"] => {
            let s = scenarios()?;
            ops_seeds(&s)?;
            money_seeds()?;
            document_seeds()?;
            println!("seed corpora written to {}", root().join("fuzz/corpus").display());
            Ok(())
        }
        ["describe", target, file] => describe(target, Path::new(file)),
        ["trace", file] => {
            let docs: Vec<Value> = scenarios()?.into_iter().map(|(_, d)| d).collect();
            let program = ops::decode(&std::fs::read(file)?, &Templates::from_scenarios(&docs));
            for (op, outcome) in ops::trace(&program)? {
                match outcome {
                    Ok(v) => println!("{op}: ok {}", v.to_string().chars().take(300).collect::<String>()),
                    Err(e) => println!("{op}: error {e}"),
                }
            }
            Ok(())
        }
        _ => Err("usage: fuzz-tools seeds | fuzz-tools describe <target> <file> | fuzz-tools trace <ops_execute file>".into()),
    }
}
