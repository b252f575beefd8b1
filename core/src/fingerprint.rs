//! Request fingerprints: a stable 64-bit hash of a command's input.
//!
//! A fingerprint tells whether a retried command (same idempotency key, or the same
//! channel and external reference) carries the same input as the first one. It is stored
//! with orders and idempotency records, so it must be the same in every process, on every
//! platform and across releases: it is computed by walking the input's `Serialize` impl
//! (field order and variant indices are fixed by the derive) and feeding a hash of our own,
//! not `std::hash`, whose output may change between Rust releases.
//!
//! Walking the serializer directly costs a fraction of serializing to JSON first: nothing
//! is allocated, nothing escaped or formatted (decimals use their exact string form).
//! Every value is written with a type tag, strings and sequences with their length, so
//! that different inputs do not run together into the same byte stream.

use std::fmt::Display;

use serde::Serialize;
use serde::ser::{self, Serializer};

/// The fingerprint of `input` for the command `name`.
///
/// # Errors
/// Never for the crate's own input types; a `Serialize` impl that reports an error
/// (e.g. a map with non-string keys in JSON) is passed through as the message.
pub(crate) fn fingerprint<I: Serialize + ?Sized>(name: &str, input: &I) -> Result<u64, String> {
    let mut h = Hasher::new();
    h.str(name);
    input.serialize(&mut h).map_err(|e| e.0)?;
    Ok(h.finish())
}

/// Whether `stored` is the fingerprint of `input` for the command `name`: the current one,
/// or the form written by earlier releases (64-bit FNV-1a over the command name, a zero
/// byte and the input as JSON), so that a retry spanning an upgrade is still recognised.
/// The legacy form is computed only when the current one does not match.
pub(crate) fn matches<I: Serialize + ?Sized>(name: &str, input: &I, current: u64, stored: u64) -> bool {
    current == stored || legacy(name, input) == Some(stored)
}

fn legacy<I: Serialize + ?Sized>(name: &str, input: &I) -> Option<u64> {
    let mut bytes = name.as_bytes().to_vec();
    bytes.push(0);
    serde_json::to_writer(&mut bytes, input).ok()?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Some(h)
}

/// A word-at-a-time multiply-rotate hash with a final avalanche (constants from
/// splitmix64); stable by construction.
struct Hasher {
    state: u64,
}

const K: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher {
    fn new() -> Self {
        Hasher { state: 0x243f_6a88_85a3_08d3 }
    }

    fn word(&mut self, w: u64) {
        self.state = (self.state ^ w).wrapping_mul(K).rotate_left(29);
    }

    fn tag(&mut self, t: u8) {
        self.word(u64::from(t) << 56);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn str(&mut self, s: &str) {
        self.tag(b's');
        self.bytes(s.as_bytes());
    }

    fn finish(&self) -> u64 {
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The serializer's error: only ever a message from a `Serialize` impl.
#[derive(Debug)]
struct FpError(String);

impl Display for FpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FpError {}

impl ser::Error for FpError {
    fn custom<T: Display>(msg: T) -> Self {
        FpError(msg.to_string())
    }
}

type R = Result<(), FpError>;

impl Serializer for &mut Hasher {
    type Ok = ();
    type Error = FpError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> R {
        self.tag(if v { b'T' } else { b'F' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> R {
        self.tag(b'i');
        self.word(v.cast_unsigned());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> R {
        self.tag(b'I');
        self.bytes(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> R {
        self.tag(b'u');
        self.word(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> R {
        self.tag(b'U');
        self.bytes(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R {
        self.tag(b'f');
        self.word(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.tag(b'c');
        self.word(u64::from(v));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.tag(b'b');
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.tag(b'N');
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R {
        self.tag(b'S');
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.tag(b'0');
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, index: u32, _variant: &'static str) -> R {
        self.tag(b'v');
        self.word(u64::from(index));
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _name: &'static str, index: u32, _variant: &'static str, value: &T) -> R {
        self.tag(b'V');
        self.word(u64::from(index));
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, FpError> {
        self.tag(b'[');
        // Without a length up front the closing tag in `end` still separates sequences.
        self.word(len.map_or(u64::MAX, |n| n as u64));
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, FpError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, FpError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, index: u32, _variant: &'static str, len: usize) -> Result<Self, FpError> {
        self.tag(b'V');
        self.word(u64::from(index));
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, FpError> {
        self.tag(b'{');
        self.word(len.map_or(u64::MAX, |n| n as u64));
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, FpError> {
        // Fields are written with their names: `skip_serializing_if` may leave some out.
        self.tag(b'(');
        Ok(self)
    }
    fn serialize_struct_variant(self, _name: &'static str, index: u32, _variant: &'static str, _len: usize) -> Result<Self, FpError> {
        self.tag(b'V');
        self.word(u64::from(index));
        self.tag(b'(');
        Ok(self)
    }
}

/// The sequence-like compounds: their elements in order, then a closing tag.
macro_rules! sequence_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Hasher {
            type Ok = ();
            type Error = FpError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
                value.serialize(&mut **self)
            }
            fn end(self) -> R {
                self.tag(b']');
                Ok(())
            }
        }
    )*};
}

sequence_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Hasher {
    type Ok = ();
    type Error = FpError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> R {
        self.tag(b'k');
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(b'}');
        Ok(())
    }
}

/// Structs and struct variants: each field by name (a skipped one marked as such), then a
/// closing tag.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Hasher {
            type Ok = ();
            type Error = FpError;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> R {
                self.str(key);
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> R {
                self.tag(b'-');
                self.str(key);
                Ok(())
            }
            fn end(self) -> R {
                self.tag(b')');
                Ok(())
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::fingerprint;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Line<'a> {
        sku: &'a str,
        qty: u32,
        note: Option<&'a str>,
    }

    fn fp<T: serde::Serialize>(v: &T) -> u64 {
        fingerprint("cmd", v).unwrap_or_default()
    }

    #[test]
    fn same_input_same_fingerprint_and_small_changes_differ() {
        let a = vec![Line { sku: "A", qty: 1, note: None }, Line { sku: "B", qty: 2, note: Some("x") }];
        let b = vec![Line { sku: "A", qty: 1, note: None }, Line { sku: "B", qty: 2, note: Some("x") }];
        assert_eq!(fp(&a), fp(&b));
        let variants = [
            vec![Line { sku: "A", qty: 1, note: None }, Line { sku: "B", qty: 3, note: Some("x") }],
            vec![Line { sku: "A", qty: 1, note: None }, Line { sku: "B", qty: 2, note: None }],
            vec![Line { sku: "A", qty: 1, note: None }, Line { sku: "B", qty: 2, note: Some("") }],
            vec![Line { sku: "AB", qty: 1, note: None }, Line { sku: "", qty: 2, note: Some("x") }],
            vec![Line { sku: "A", qty: 1, note: None }],
        ];
        for v in &variants {
            assert_ne!(fp(&a), fp(v));
        }
        assert_ne!(fingerprint("one", &a).ok(), fingerprint("two", &a).ok());
    }

    #[test]
    fn strings_do_not_run_together() {
        assert_ne!(fp(&("ab", "c")), fp(&("a", "bc")));
        assert_ne!(fp(&vec![vec![1u8], vec![]]), fp(&vec![vec![], vec![1u8]]));
        let mut m1 = BTreeMap::new();
        m1.insert("k", "v");
        let mut m2 = BTreeMap::new();
        m2.insert("kv", "");
        assert_ne!(fp(&m1), fp(&m2));
    }

    #[test]
    fn legacy_fingerprints_still_match() {
        let line = Line { sku: "SKU-1", qty: 3, note: Some("gift") };
        let old = super::legacy("cmd", &line).unwrap_or_default();
        assert!(super::matches("cmd", &line, fp(&line), old));
        assert!(super::matches("cmd", &line, fp(&line), fp(&line)));
        assert!(!super::matches("cmd", &line, fp(&line), old ^ 1));
    }

    /// The value is part of stored data: it must never change between releases.
    #[test]
    fn fingerprint_is_stable() {
        let line = Line { sku: "SKU-1", qty: 3, note: Some("gift") };
        assert_eq!(fp(&line), 0x9538_f6e8_4b80_0b41, "{:#x}", fp(&line));
    }
}
