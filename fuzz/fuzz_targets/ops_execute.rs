//! Fuzz target: sequences of operations through `ordo::ops::execute` on a pre-populated
//! `Oms` (memory, sometimes SQLite); see `ordo::__fuzz::ops` for the input format.
#![no_main]
#![allow(clippy::panic)]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use ordo::__fuzz::ops::{self, Templates};

/// Real argument shapes from the scenario files, read once.
static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let docs: Vec<serde_json::Value> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| serde_json::from_slice(&b).ok())
        .collect();
    Templates::from_scenarios(&docs)
});

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = ops::execute(data, &TEMPLATES) {
        panic!("{finding}");
    }
});
