//! Fuzz target: a database file made of the input, opened with `Oms::open` and read;
//! see `ordo::__fuzz::documents::open_file`.
#![no_main]
#![allow(clippy::panic)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = ordo::__fuzz::documents::open_file(data) {
        panic!("{finding}");
    }
});
