//! Fuzz target: the SQLite store's document decoding (MessagePack and legacy JSON) of every
//! aggregate type; see `ordo::__fuzz::documents::decode`.
#![no_main]
#![allow(clippy::panic)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = ordo::__fuzz::documents::decode(data) {
        panic!("{finding}");
    }
});
