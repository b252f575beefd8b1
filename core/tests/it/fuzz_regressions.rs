//! Replays every crash the fuzz targets found (`fuzz/regressions/<target>/`, minimized and
//! kept as readable inputs) through the same harnesses as the targets (`ordo::__fuzz`),
//! and the committed seed corpora (`fuzz/corpus/<target>/`), so a fixed crash stays fixed
//! without cargo-fuzz or a nightly toolchain.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use ordo::__fuzz::{self, Finding, ops::Templates};
use serde_json::Value;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn templates() -> Templates {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let docs: Vec<Value> = std::fs::read_dir(dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| serde_json::from_slice(&std::fs::read(&p).expect("readable")).expect("scenario JSON"))
        .collect();
    Templates::from_scenarios(&docs)
}

/// The files of `dir/<target>/`, sorted (none when the folder does not exist).
fn inputs(dir: &str, target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fuzz_dir().join(dir).join(target))
        .map(|rd| rd.map(|e| e.expect("entry").path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs every input of `target` in `dirs` through `harness`; panics and findings fail the
/// test, naming each file.
fn replay(target: &str, dirs: &[&str], harness: impl Fn(&[u8]) -> Result<(), Finding>) -> usize {
    let mut failures = Vec::new();
    let mut n = 0;
    for dir in dirs {
        for file in inputs(dir, target) {
            n += 1;
            let data = std::fs::read(&file).expect("readable");
            match catch_unwind(AssertUnwindSafe(|| harness(&data))) {
                Ok(Ok(())) => {}
                Ok(Err(finding)) => failures.push(format!("{}: {finding}", file.display())),
                Err(panic) => {
                    let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()));
                    failures.push(format!("{}: panicked: {}", file.display(), msg.unwrap_or_default()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{target}:\n{}", failures.join("\n"));
    n
}

#[test]
fn ops_execute_regressions_and_seeds_run_clean() {
    let t = templates();
    let n = replay("ops_execute", &["regressions", "corpus"], |d| __fuzz::ops::execute(d, &t));
    assert!(n >= 30, "expected the seed corpus and regressions, found {n} inputs");
}

#[test]
fn money_regressions_and_seeds_run_clean() {
    let n = replay("money", &["regressions", "corpus"], __fuzz::money::execute);
    assert!(n >= 10, "found {n} inputs");
}

#[test]
fn sqlite_decode_regressions_and_seeds_run_clean() {
    let n = replay("sqlite_decode", &["regressions", "corpus"], __fuzz::documents::decode);
    assert!(n >= 10, "found {n} inputs");
}

#[test]
fn sqlite_file_regressions_and_seeds_run_clean() {
    let n = replay("sqlite_file", &["regressions", "corpus"], __fuzz::documents::open_file);
    assert!(n >= 1, "found {n} inputs");
}

#[test]
fn ops_execute_seeds_reach_the_later_lifecycle_states() {
    // The scenario seeds replay from an empty store: they must actually work, or the
    // fuzzer starts from nothing.
    let program: __fuzz::ops::Program =
        serde_json::from_slice(&std::fs::read(fuzz_dir().join("corpus/ops_execute/01-happy-path.json")).expect("seed")).expect("program");
    assert!(!program.fixture);
    let clock = ordo::ManualClock::new(__fuzz::ops::start_time().unwrap());
    let oms = __fuzz::ops::oms(ordo::MemoryStore::new(), &clock);
    // Up to the refund (the steps after it include one that is meant to fail).
    let vars = __fuzz::ops::replay(&oms, &clock, &program.steps[..30]).unwrap();
    let order = oms.get_order(serde_json::from_value(vars["order"].clone()).unwrap()).unwrap();
    assert_eq!(order.state, ordo::OrderState::Completed);
}

/// The outcome of each step of a regression program: the result, or the error code.
fn trace(file: &str) -> Vec<Result<Value, String>> {
    let data = std::fs::read(fuzz_dir().join("regressions/ops_execute").join(file)).expect("regression file");
    let program = __fuzz::ops::decode(&data, &Templates::default());
    __fuzz::ops::trace(&program)
        .expect("fixture")
        .into_iter()
        .map(|(_, r)| r.map_err(|e| e[..e.find(':').unwrap_or(e.len())].to_owned()))
        .collect()
}

#[test]
fn a_return_window_past_the_end_of_time_never_closes() {
    // Was: `DateTime + TimeDelta` overflowed (oms/returns.rs) for return_window_days 2^32-1.
    let steps = trace("return-window-past-the-end-of-time.json");
    assert_eq!(steps[0].as_ref().unwrap()["return_window_days"], 4294967295u64);
    assert_eq!(steps[1].as_ref().unwrap()["state"], "requested");
}

#[test]
fn a_checkout_hold_of_more_units_than_u32_is_insufficient_stock() {
    // Was: u32 overflow summing the requested units of one SKU (oms/holds.rs).
    let steps = trace("hold-of-more-units-than-u32.json");
    assert_eq!(steps[0].as_ref().unwrap_err(), "INSUFFICIENT_STOCK");
}
