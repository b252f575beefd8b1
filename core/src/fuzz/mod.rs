//! Fuzzing harnesses: the code behind the coverage-guided fuzz targets in `fuzz/` and the
//! regression test that replays the crashes they found (`core/tests/it/fuzz_regressions.rs`).
//!
//! Not part of the API (hidden from the docs, no stability promise). Each harness takes the
//! fuzzer's bytes, drives the public API (and, for [`documents`], the SQLite store's
//! private document decoding) with them, and returns a [`Finding`] when an invariant
//! breaks. A panic inside ordo is a finding too; the fuzz targets let it unwind to
//! libFuzzer, the regression test fails on it. Typed errors are the expected outcome of
//! bad input and are not findings.
//!
//! - [`ops`]: sequences of operations through [`crate::ops::execute`] on a pre-populated
//!   [`Oms`](crate::Oms) (memory, or SQLite on a temporary file);
//! - [`money`]: decimal parsing, currencies, [`Money`](crate::Money) arithmetic,
//!   [`spread`](crate::spread) and order pricing through `place_order`;
//! - [`documents`]: aggregate documents as the SQLite store reads them (MessagePack and
//!   legacy JSON), and whole database files opened with [`Oms::open`](crate::Oms::open).

#[cfg(feature = "sqlite")]
pub mod documents;
pub mod money;
pub mod ops;
mod values;

use std::fmt;

/// A broken invariant found by a harness (ordo did not panic but did something wrong).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding(pub String);

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Finding {}

/// Reads the fuzzer's bytes as a stream of small choices; past the end every read is zero,
/// so every input, however short, decodes to something.
#[derive(Debug, Clone)]
pub(crate) struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub(crate) fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub(crate) fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    pub(crate) fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub(crate) fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    pub(crate) fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = if n <= 256 { usize::from(self.u8()) } else { usize::from(self.u16()) };
        v % n
    }

    /// One of `items` (`None` when `items` is empty).
    pub(crate) fn pick<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        let i = self.below(items.len());
        items.get(i)
    }

    /// Up to `max` raw bytes (a length byte, then the bytes).
    pub(crate) fn bytes(&mut self, max: usize) -> &'a [u8] {
        let n = usize::from(self.u8()).min(max).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }

    /// A string of up to `max` bytes (invalid UTF-8 is replaced).
    pub(crate) fn string(&mut self, max: usize) -> String {
        String::from_utf8_lossy(self.bytes(max)).into_owned()
    }

    /// Everything not read yet.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_past_the_end_are_zero() {
        let mut b = Bytes::new(&[1, 2, 3]);
        assert_eq!(b.u16(), 0x0201);
        assert_eq!(b.u32(), 3);
        assert!(b.is_empty());
        assert_eq!(b.below(7), 0);
        assert_eq!(b.string(10), "");
    }
}
