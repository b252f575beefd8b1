//! Fuzz target: decimal parsing, currencies, `Money` arithmetic, `spread` and order pricing;
//! see `ordo::__fuzz::money`.
#![no_main]
#![allow(clippy::panic)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = ordo::__fuzz::money::execute(data) {
        panic!("{finding}");
    }
});
