//! The `ops_execute` harness: short sequences of operations through
//! [`ops::execute`](crate::ops::execute).
//!
//! An input decodes to a [`Program`]: whether to start from the [`FIXTURE`] (a channel,
//! two stocked locations, one order reserved, one delivered with a return requested, whose
//! ids the steps can name as `$order`, `$shipment`, …), whether to run on SQLite (a
//! temporary file) instead of memory, and the steps. Two encodings:
//!
//! - **JSON**: an input starting with `{` or `[` is a program written as JSON, in the
//!   scenario files' step form (`op`, `args`, `save`, `idempotency_key`; `expect` is
//!   ignored), so a scenario file is itself an input. Regressions are kept in this form.
//! - **Bytes**: anything else is read as choices: an operation (from [`OPS`], or a random
//!   name), and arguments that are either a real argument shape of that operation taken
//!   from the scenario files ([`Templates`]) with a few mutations, or a random object of
//!   the operation's argument names. [`decode`] shows such an input as its JSON program.
//!
//! After the steps, the inventory ledger must still explain every stock level
//! ([`Oms::verify_inventory`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::{TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Bytes, Finding, values};
use crate::{Clock, ManualClock, MemoryStore, Oms, TrackingStatus};

/// Every operation of [`ops::execute`](crate::ops::execute) with its argument names, and
/// the harness's own `advance_clock` (`seconds`).
pub const OPS: &[(&str, &[&str])] = &[
    ("add_channel", &["channel"]),
    ("update_channel", &["channel"]),
    ("channels", &[]),
    ("add_location", &["location"]),
    ("set_location_active", &["location", "active"]),
    ("locations", &[]),
    ("set_backorder_policy", &["sku", "policy"]),
    ("sku_settings", &["sku"]),
    ("hold_stock", &["request"]),
    ("stock_hold", &["cart_ref"]),
    ("release_stock_hold", &["cart_ref"]),
    ("release_expired_holds", &[]),
    ("receive_stock", &["receipt"]),
    ("adjust_stock", &["adjustment"]),
    ("transfer_stock", &["transfer"]),
    ("set_safety_stock", &["sku", "location", "units"]),
    ("stock", &["sku"]),
    ("stock_levels", &["location"]),
    ("available", &["sku", "channel"]),
    ("movements", &["sku"]),
    ("verify_inventory", &[]),
    ("place_order", &["order"]),
    ("import_orders", &["orders"]),
    ("get_order", &["order"]),
    ("find_order", &["reference"]),
    ("list_orders", &["query"]),
    ("record_payment", &["order", "payment"]),
    ("validate_order", &["order"]),
    ("hold_order", &["order", "hold"]),
    ("release_order", &["order", "note"]),
    ("edit_order", &["order", "changes"]),
    ("cancel_lines", &["order", "lines", "reason"]),
    ("cancel_order", &["order", "reason"]),
    ("plan_allocation", &["order"]),
    ("allocate_order", &["order"]),
    ("shipments", &["order"]),
    ("get_shipment", &["shipment"]),
    ("confirm_pick", &["shipment", "picked"]),
    ("set_bin", &["sku", "location", "bin"]),
    ("create_pick_list", &["request"]),
    ("pick_list", &["pick_list"]),
    ("packing_slip", &["shipment", "locale"]),
    ("ready_for_pickup", &["shipment"]),
    ("hand_over", &["shipment"]),
    ("sell_at_counter", &["sale"]),
    ("counter_receipt", &["order"]),
    ("pack_shipment", &["shipment", "packages"]),
    ("ship", &["shipment", "input"]),
    ("record_tracking_event", &["event"]),
    ("request_return", &["order", "request"]),
    ("get_return", &["return"]),
    ("returns", &["order"]),
    ("approve_return", &["return", "label"]),
    ("reject_return", &["return", "reason"]),
    ("cancel_return", &["return", "reason"]),
    ("receive_return", &["return", "receipt"]),
    ("inspect_return", &["return", "inspections"]),
    ("resolve_return", &["return"]),
    ("open_claim", &["shipment", "claim"]),
    ("resolve_claim", &["shipment", "settlement"]),
    ("claims", &["order"]),
    ("poll_events", &["limit"]),
    ("ack_events", &["ids"]),
    ("timeline", &["order"]),
    ("status_message", &["order", "locale"]),
    ("exceptions", &[]),
    ("advance_clock", &["seconds"]),
];

/// Most steps a program runs (longer JSON programs are cut).
pub const MAX_STEPS: usize = 64;
/// The first byte of a byte-encoded input that runs it on SQLite (1 in 256: a SQLite run
/// costs as much as a hundred in memory).
const SQLITE_FLAG: u8 = 0xA5;
/// Most steps a byte-encoded input decodes to.
const MAX_BYTE_STEPS: usize = 8;

/// The state every program starts from unless it says `"fixture": false`: the variables
/// `$nord`, `$laden` (locations), `$order` (reserved; lines `$line1`, `$line2`;
/// shipment `$shipment`), `$order2` (delivered; shipment `$shipment2`, tracking `TRACK-B`)
/// and `$return` (requested for one unit of `$order2`).
pub const FIXTURE: &str = r#"[
 {"op": "add_channel", "args": {"channel": {"code": "web", "name": "Web shop"}}},
 {"op": "add_location", "args": {"location": {"code": "nord", "name": "Lager Nord", "priority": 1}}, "save": {"nord": "id"}},
 {"op": "add_location", "args": {"location": {"code": "laden", "name": "Laden Mitte", "kind": "store", "priority": 2, "pickup": true}},
  "save": {"laden": "id"}},
 {"op": "receive_stock", "args": {"receipt": {"sku": "TSHIRT-M", "location": "$nord", "quantity": 25, "reference": "GRN-1"}}},
 {"op": "receive_stock", "args": {"receipt": {"sku": "MUG", "location": "$nord", "quantity": 10}}},
 {"op": "receive_stock", "args": {"receipt": {"sku": "TSHIRT-M", "location": "$laden", "quantity": 3}}},
 {"op": "place_order", "args": {"order": {"channel": "web", "external_ref": "fx-1", "currency": "EUR",
   "customer": {"name": "Anna Muster", "email": "anna@example.de", "locale": "de"},
   "shipping_address": {"name": "Anna Muster", "line1": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
   "lines": [{"sku": "TSHIRT-M", "name": "T-Shirt M", "quantity": 2, "unit_price": "19.99", "tax_rate": "0.19"},
             {"sku": "MUG", "name": "Mug", "quantity": 1, "unit_price": "9.90", "tax_rate": "0.19"}],
   "discounts": [{"code": "WELCOME5", "amount": "5.00"}], "shipping": {"amount": "4.90", "tax_rate": "0.19"}}},
  "save": {"order": "id", "line1": "lines.0.id", "line2": "lines.1.id"}},
 {"op": "record_payment", "args": {"order": "$order", "payment": {"kind": "authorized", "amount": "49.78", "currency": "EUR"}}},
 {"op": "validate_order", "args": {"order": "$order"}},
 {"op": "allocate_order", "args": {"order": "$order"}, "save": {"shipment": "shipments.0.id"}},
 {"op": "place_order", "args": {"order": {"channel": "web", "external_ref": "fx-2", "currency": "EUR",
   "customer": {"name": "Ben Beispiel", "email": "ben@example.de"},
   "shipping_address": {"name": "Ben Beispiel", "line1": "Ring 2", "postal_code": "20095", "city": "Hamburg", "country": "DE"},
   "lines": [{"sku": "TSHIRT-M", "name": "T-Shirt M", "quantity": 3, "unit_price": "19.99", "tax_rate": "0.19"}]}},
  "save": {"order2": "id", "line3": "lines.0.id"}},
 {"op": "record_payment", "args": {"order": "$order2", "payment": {"kind": "captured", "amount": "59.97", "currency": "EUR"}}},
 {"op": "validate_order", "args": {"order": "$order2"}},
 {"op": "allocate_order", "args": {"order": "$order2"}, "save": {"shipment2": "shipments.0.id"}},
 {"op": "confirm_pick", "args": {"shipment": "$shipment2"}},
 {"op": "pack_shipment", "args": {"shipment": "$shipment2", "packages": [{"weight_grams": 900}]}},
 {"op": "ship", "args": {"shipment": "$shipment2", "input": {"carrier": "DHL", "tracking_number": "TRACK-B"}}},
 {"op": "record_tracking_event", "args": {"event": {"tracking_number": "TRACK-B", "code": "delivered"}}},
 {"op": "request_return", "args": {"order": "$order2", "request": {"lines": [{"line": "$line3", "quantity": 1}], "reason": "does_not_fit",
   "resolution": "refund"}}, "save": {"return": "id"}}
]"#;

/// A sequence of operations to run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Program {
    /// Start from the [`FIXTURE`] (default) or from an empty store.
    #[serde(default = "yes")]
    pub fixture: bool,
    /// Run on SQLite (a temporary file) instead of the memory store.
    #[serde(default)]
    pub sqlite: bool,
    /// The steps.
    pub steps: Vec<Step>,
}

fn yes() -> bool {
    true
}

/// One operation, in the scenario files' form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Step {
    /// The operation's name.
    pub op: String,
    /// Its named arguments; `"$name"` strings are replaced by saved values.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub args: Value,
    /// Values to save from the result: variable name → dot path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub save: BTreeMap<String, String>,
    /// Run with this idempotency key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// Real argument shapes per operation, taken from the scenario files.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    by_op: HashMap<String, Vec<Value>>,
}

impl Templates {
    /// The `args` of every step of the given scenario documents (`{"steps": [...]}`).
    #[must_use]
    pub fn from_scenarios(docs: &[Value]) -> Self {
        let mut by_op: HashMap<String, Vec<Value>> = HashMap::new();
        for doc in docs {
            for step in doc.get("steps").and_then(Value::as_array).into_iter().flatten() {
                if let (Some(op), Some(args)) = (step.get("op").and_then(Value::as_str), step.get("args")) {
                    by_op.entry(op.to_owned()).or_default().push(args.clone());
                }
            }
        }
        Templates { by_op }
    }

    fn of(&self, op: &str) -> &[Value] {
        self.by_op.get(op).map_or(&[], Vec::as_slice)
    }
}

/// Decodes an input to the program it runs (JSON inputs as written, byte inputs as the
/// choices they make).
#[must_use]
pub fn decode(data: &[u8], templates: &Templates) -> Program {
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[')) {
        let parsed = serde_json::from_slice::<Program>(data)
            .ok()
            .or_else(|| serde_json::from_slice::<Vec<Step>>(data).ok().map(|steps| Program { fixture: true, sqlite: false, steps }));
        if let Some(mut p) = parsed {
            p.steps.truncate(MAX_STEPS);
            return p;
        }
    }
    decode_bytes(data, templates)
}

fn decode_bytes(data: &[u8], templates: &Templates) -> Program {
    let mut b = Bytes::new(data);
    let flags = b.u8();
    let n = 1 + b.below(MAX_BYTE_STEPS);
    let mut steps = Vec::with_capacity(n);
    for _ in 0..n {
        let sel = b.u8();
        let (op, names): (String, &[&str]) = match OPS.get(usize::from(sel)) {
            Some((op, names)) => ((*op).to_owned(), names),
            None if sel >= 0xF8 => (b.string(24), &[]),
            None => match OPS.get(usize::from(sel) % OPS.len()) {
                Some((op, names)) => ((*op).to_owned(), names),
                None => (String::new(), &[]),
            },
        };
        let shapes = templates.of(&op);
        let args = if !shapes.is_empty() && b.below(4) != 0 {
            let mut v = b.pick(shapes).cloned().unwrap_or(Value::Null);
            if b.below(4) != 0 {
                values::mutate(&mut b, &mut v);
            }
            v
        } else {
            let mut m = serde_json::Map::new();
            for name in names {
                let v = match b.below(4) {
                    0 => values::scalar(&mut b),
                    1 => Value::String(b.pick(values::VARS).copied().unwrap_or("$order").to_owned()),
                    _ => values::random(&mut b, 4),
                };
                m.insert((*name).to_owned(), v);
            }
            Value::Object(m)
        };
        let idempotency_key = (b.below(8) == 0).then(|| format!("k{}", b.below(3)));
        steps.push(Step { op, args, save: BTreeMap::new(), idempotency_key });
        if b.is_empty() {
            break;
        }
    }
    Program { fixture: true, sqlite: flags == SQLITE_FLAG, steps }
}

/// Runs the input: decodes it, runs the program, checks the inventory.
///
/// # Errors
/// A [`Finding`] when the fixture cannot be built or an invariant breaks.
pub fn execute(data: &[u8], templates: &Templates) -> Result<(), Finding> {
    run(&decode(data, templates))
}

/// Runs a program on a fresh store (memory or a temporary SQLite file) with a manual
/// clock at [`start_time`] and the scenario runners' carrier settings.
///
/// # Errors
/// A [`Finding`] when the fixture cannot be built or an invariant breaks.
pub fn run(program: &Program) -> Result<(), Finding> {
    let clock = ManualClock::new(start_time()?);
    let (oms, mut vars, file) = match (program.sqlite, program.fixture) {
        (false, true) => {
            // The fixture is built once; every input starts from a copy of it.
            let (store, vars) = memory_fixture()?;
            (oms(store, &clock), vars, TempDb(None))
        }
        (sqlite, fixture) => {
            let (oms, file) = open(sqlite, &clock)?;
            let vars = if fixture { replay(&oms, &clock, &self::fixture()?)? } else { HashMap::new() };
            (oms, vars, file)
        }
    };
    for step in &program.steps {
        // Errors are what bad input should produce; only panics and broken invariants count.
        let _ = run_step(&oms, &clock, &mut vars, step);
    }
    let checked = check_inventory(&oms);
    // The store closes before its files are deleted (closing writes to them).
    drop(oms);
    drop(file);
    checked
}

/// A store shared with the fixture cache.
struct Shared(Arc<MemoryStore>);

impl crate::Store for Shared {
    fn begin(&self) -> crate::Result<Box<dyn crate::Transaction + '_>> {
        self.0.begin()
    }
}

/// A copy of the memory store holding the [`FIXTURE`], and its variables.
fn memory_fixture() -> Result<(MemoryStore, HashMap<String, Value>), Finding> {
    type Prepared = Result<(Arc<MemoryStore>, HashMap<String, Value>), Finding>;
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    let prepared = PREPARED.get_or_init(|| {
        let clock = ManualClock::new(start_time()?);
        let store = Arc::new(MemoryStore::new());
        let oms = oms(Shared(Arc::clone(&store)), &clock);
        let vars = replay(&oms, &clock, &fixture()?)?;
        Ok((store, vars))
    });
    match prepared {
        Ok((store, vars)) => Ok((store.snapshot(), vars.clone())),
        Err(e) => Err(e.clone()),
    }
}

/// A step's operation and its result, or its error as `CODE: message`.
pub type Outcome = (String, std::result::Result<Value, String>);

/// Runs a program like [`run`] and returns each step's outcome (the result, or the error
/// code and message), for reading what a crash input does (`fuzz-tools trace`).
///
/// # Errors
/// A [`Finding`] when the fixture cannot be built.
pub fn trace(program: &Program) -> Result<Vec<Outcome>, Finding> {
    let clock = ManualClock::new(start_time()?);
    let (oms, file) = open(program.sqlite, &clock)?;
    let mut vars = if program.fixture { replay(&oms, &clock, &self::fixture()?)? } else { HashMap::new() };
    let outcomes = program
        .steps
        .iter()
        .map(|step| (step.op.clone(), run_step(&oms, &clock, &mut vars, step).map_err(|e| format!("{}: {e}", e.code()))))
        .collect();
    drop(oms);
    drop(file);
    Ok(outcomes)
}

/// 2026-03-02T09:00:00Z, where the scenario runners start their clocks.
///
/// # Errors
/// Never in practice (a [`Finding`] if chrono disagrees).
pub fn start_time() -> Result<chrono::DateTime<Utc>, Finding> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().ok_or_else(|| Finding("no start time".into()))
}

/// The [`FIXTURE`] steps.
///
/// # Errors
/// A [`Finding`] when they do not parse.
pub fn fixture() -> Result<Vec<Step>, Finding> {
    serde_json::from_str(FIXTURE).map_err(|e| Finding(format!("fixture does not parse: {e}")))
}

/// Runs `steps` on `oms`, each of which must succeed, and returns the saved variables.
///
/// # Errors
/// A [`Finding`] naming the first step that failed.
pub fn replay(oms: &Oms, clock: &ManualClock, steps: &[Step]) -> Result<HashMap<String, Value>, Finding> {
    let mut vars = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        run_step(oms, clock, &mut vars, step).map_err(|e| Finding(format!("step {i} ({}) failed: {e}", step.op)))?;
    }
    Ok(vars)
}

/// An [`Oms`] on `store` configured as the scenario runners' (carrier `DHL`, tracking codes
/// `DLVRD` and `TRANSIT`), with `clock`.
#[must_use]
pub fn oms(store: impl crate::Store + 'static, clock: &ManualClock) -> Oms {
    Oms::builder(store)
        .clock(clock.clone())
        .carrier("DHL", "https://tracking.example/dhl/{tracking}")
        .tracking_code("DLVRD", TrackingStatus::Delivered)
        .tracking_code("TRANSIT", TrackingStatus::InTransit)
        .build()
}

/// The ledger must explain every stock level whatever the commands did.
fn check_inventory(oms: &Oms) -> Result<(), Finding> {
    match oms.verify_inventory() {
        Ok(d) if !d.is_empty() => Err(Finding(format!("inventory ledger disagrees with stock levels: {d:?}"))),
        _ => Ok(()),
    }
}

/// Deletes the temporary database, its WAL files and its writers' queue when dropped.
pub(crate) struct TempDb(pub(crate) Option<std::path::PathBuf>);

impl Drop for TempDb {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut s = p.clone().into_os_string();
                s.push(suffix);
                let _ = std::fs::remove_file(s);
            }
            let mut turns = p.clone().into_os_string();
            turns.push("-turns");
            let _ = std::fs::remove_dir_all(turns);
        }
    }
}

/// A unique path for a temporary database, in memory-backed `/dev/shm` where it exists.
pub(crate) fn temp_db_path(what: &str) -> std::path::PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
    dir.join(format!("ordo-fuzz-{what}-{}-{}.db", std::process::id(), N.fetch_add(1, Ordering::Relaxed)))
}

fn open(sqlite: bool, clock: &ManualClock) -> Result<(Oms, TempDb), Finding> {
    let (store, file): (Box<dyn crate::Store>, TempDb) = if sqlite {
        #[cfg(feature = "sqlite")]
        {
            let path = temp_db_path("ops");
            let file = TempDb(Some(path.clone()));
            let options = crate::SqliteOptions::default().durability(crate::Durability::Normal);
            let store = crate::SqliteStore::open(&path, options).map_err(|e| Finding(format!("cannot open a temporary database: {e}")))?;
            (Box::new(store), file)
        }
        #[cfg(not(feature = "sqlite"))]
        (Box::new(crate::MemoryStore::new()), TempDb(None))
    } else {
        (Box::new(crate::MemoryStore::new()), TempDb(None))
    };
    let oms = oms(store, clock);
    Ok((oms, file))
}

fn substitute(v: &Value, vars: &HashMap<String, Value>) -> Value {
    match v {
        Value::String(s) => match s.strip_prefix('$').and_then(|name| vars.get(name)) {
            Some(val) => val.clone(),
            None => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, vars)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), substitute(x, vars))).collect()),
        other => other.clone(),
    }
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').filter(|p| !p.is_empty()).try_fold(v, |cur, part| match cur {
        Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
        Value::Object(o) => o.get(part),
        _ => None,
    })
}

fn run_step(oms: &Oms, clock: &ManualClock, vars: &mut HashMap<String, Value>, step: &Step) -> Result<Value, crate::Error> {
    let args = substitute(&step.args, vars);
    if step.op == "advance_clock" {
        // The harness's own step (as in the scenario runners). The host owns the clock: it
        // stays between 1970 and 2200, as a real one does; other moves are ignored.
        let seconds = args.get("seconds").and_then(Value::as_i64).unwrap_or(0);
        let moved = TimeDelta::try_seconds(seconds).and_then(|d| clock.now().checked_add_signed(d));
        let latest = Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0).single();
        if let Some(t) = moved.filter(|t| t.timestamp() >= 0 && Some(*t) < latest) {
            clock.set(t);
        }
        return Ok(Value::Null);
    }
    let result = match &step.idempotency_key {
        Some(k) => crate::ops::execute(&oms.with_idempotency_key(k.clone()), &step.op, &args),
        None => crate::ops::execute(oms, &step.op, &args),
    };
    match &result {
        Ok(v) => {
            for (name, path) in &step.save {
                if let Some(x) = lookup(v, path) {
                    vars.insert(name.clone(), x.clone());
                }
            }
            // Byte-encoded programs chain through the last ids created.
            for (name, path) in [("last", "id"), ("last_line", "lines.0.id"), ("last_shipment", "shipments.0.id")] {
                if let Some(x) = lookup(v, path) {
                    vars.insert(name.to_owned(), x.clone());
                }
            }
        }
        Err(e) => {
            // Every error must render (bindings show these texts).
            let _ = (e.code(), e.to_string());
        }
    }
    result
}

/// The JSON program of `data`, for reading a crash input (`fuzz-tools describe`).
#[must_use]
pub fn describe(data: &[u8], templates: &Templates) -> Value {
    serde_json::to_value(decode(data, templates)).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_operation_is_known_to_execute() {
        let oms = Oms::in_memory();
        for (op, _) in OPS.iter().filter(|(op, _)| *op != "advance_clock") {
            if let Err(e) = crate::ops::execute(&oms, op, &json!({})) {
                assert!(!e.to_string().contains("unknown operation"), "{op}: {e}");
            }
        }
    }

    #[test]
    fn the_fixture_builds_and_names_its_ids() {
        let p = Program { fixture: true, sqlite: false, steps: vec![] };
        run(&p).unwrap();
        let steps = decode(br#"[{"op": "get_order", "args": {"order": "$order"}}]"#, &Templates::default());
        assert_eq!(steps.steps.len(), 1);
        assert!(steps.fixture);
    }

    #[test]
    fn sqlite_programs_leave_no_file_behind() {
        let p = decode(br#"{"sqlite": true, "steps": [{"op": "channels"}]}"#, &Templates::default());
        assert!(p.sqlite);
        run(&p).unwrap();
        // Only this test runs programs on SQLite in this process.
        let dir = temp_db_path("ops").parent().map(std::path::Path::to_path_buf).unwrap();
        let prefix = format!("ordo-fuzz-ops-{}-", std::process::id());
        let left: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.starts_with(&prefix))
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    #[test]
    fn byte_inputs_decode_to_bounded_programs() {
        let t = Templates::default();
        for data in [&b""[..], &[0xFF; 64][..], &[7, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9][..]] {
            let p = decode(data, &t);
            assert!(!p.steps.is_empty() && p.steps.len() <= MAX_BYTE_STEPS);
            run(&p).unwrap();
        }
    }
}
