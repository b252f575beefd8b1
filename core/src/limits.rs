//! Limits on input: how long a text, how many items in a list, how deep a nesting, how
//! large a quantity or an amount may be.
//!
//! Every command checks its whole input against these limits **before** it does any work
//! (before a transaction starts, before prices are computed), and every binding checks its
//! arguments the same way before it converts them, so an oversized input costs no more
//! than reading it once and is refused with a typed `INVALID_INPUT` error that names the
//! field. Operations called by name ([`ops::execute`](crate::ops::execute)) check the JSON
//! arguments with [`check_json`] before they are decoded.
//!
//! | what | limit |
//! |---|---|
//! | identifiers and codes (`sku`, `code`, `channel`, `external_ref`, `cart_ref`, `reference`, `tracking_number`, `carrier`, `bin`, `locale`, map keys, …) | [`MAX_ID_BYTES`] bytes of UTF-8 |
//! | names, address fields, e-mail, other short texts | [`MAX_TEXT_BYTES`] bytes |
//! | notes, reasons, messages, return labels, metadata values | [`MAX_NOTE_BYTES`] bytes |
//! | items of any list argument | [`MAX_LIST_ITEMS`] (lines of one order: [`MAX_LINES`](crate::order::MAX_LINES)) |
//! | entries of a map (`metadata`) | [`MAX_MAP_ENTRIES`] |
//! | nesting of an argument | [`MAX_INPUT_DEPTH`] levels |
//! | any quantity, stock level or stock change | [`MAX_QUANTITY`] units (one order line: [`MAX_LINE_QUANTITY`](crate::order::MAX_LINE_QUANTITY)) |
//! | any amount of money | [`MAX_AMOUNT_MINOR_UNITS`] minor units (EUR 9,999,999,999,999.99; JPY 999,999,999,999,999; KWD 999,999,999,999.999) |
//!
//! ```
//! use ordo::*;
//! let oms = Oms::in_memory();
//! let err = oms.add_channel(NewChannel::new("x".repeat(limits::MAX_ID_BYTES + 1), "Web")).unwrap_err();
//! assert_eq!(err.code(), "INVALID_INPUT");
//! assert!(err.to_string().contains("code"));
//! assert!(oms.channels()?.is_empty());
//! # Ok::<(), ordo::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Serializer};
use serde_json::Value;

use crate::error::InputError;

/// Longest identifier or code, in bytes of UTF-8.
pub const MAX_ID_BYTES: usize = 128;
/// Longest name, address field or other short text, in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 512;
/// Longest note, reason, message or metadata value, in bytes of UTF-8.
pub const MAX_NOTE_BYTES: usize = 4096;
/// Most items in one list argument (event ids to acknowledge, orders to import, …).
pub const MAX_LIST_ITEMS: usize = 10_000;
/// Most entries in one map argument (an order's `metadata`).
pub const MAX_MAP_ENTRIES: usize = 100;
/// Deepest nesting of an argument (objects and lists inside each other).
pub const MAX_INPUT_DEPTH: usize = 32;
/// Largest quantity anywhere: units of a line, a movement, a stock change, a stock level.
pub const MAX_QUANTITY: u32 = 1_000_000_000;
/// Largest amount of money, in the currency's minor units (10¹⁵ − 1).
pub const MAX_AMOUNT_MINOR_UNITS: i64 = 999_999_999_999_999;

/// How long a text under a given field name may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextKind {
    Id,
    Text,
    Note,
}

impl TextKind {
    fn of(field: &str) -> TextKind {
        match field {
            "sku" | "skus" | "exchange_sku" | "code" | "channel" | "channels" | "external_ref" | "cart_ref" | "reference"
            | "references" | "number" | "order_number" | "rma_number" | "tracking_number" | "carrier" | "carrier_reference"
            | "payment_reference" | "currency" | "locale" | "bin" | "country" | "postal_code" | "key" | "id" | "order" | "shipment"
            | "location" | "locations" | "from" | "to" | "store" | "event_type" | "kind" | "type" | "state" | "status" | "method"
            | "service" => TextKind::Id,
            // A return label is often a link to a carrier's label file, which can be long.
            "label" => TextKind::Note,
            "note"
            | "notes"
            | "reason"
            | "message"
            | "description"
            | "text"
            | "comment"
            | "summary"
            | "instructions"
            | "return_instructions"
            | "rejection" => TextKind::Note,
            _ => TextKind::Text,
        }
    }

    fn max(self) -> usize {
        match self {
            TextKind::Id => MAX_ID_BYTES,
            TextKind::Text => MAX_TEXT_BYTES,
            TextKind::Note => MAX_NOTE_BYTES,
        }
    }
}

/// Fields whose integers are quantities.
fn is_quantity(field: &str) -> bool {
    matches!(field, "quantity" | "units" | "delta" | "safety_stock" | "on_hand" | "reserved" | "counted" | "picked" | "missing")
}

/// Names of the positional parts of commands whose input is a tuple, so that errors and
/// limits name them as the operation's arguments do.
fn tuple_fields(command: &str) -> &'static [&'static str] {
    match command {
        "set_location_active" => &["location", "active"],
        "set_backorder_policy" => &["sku", "policy"],
        "set_safety_stock" => &["sku", "location", "units"],
        "edit_order" => &["order", "changes"],
        "cancel_lines" => &["order", "lines", "reason"],
        "set_bin" => &["sku", "location", "bin"],
        "confirm_pick" => &["shipment", "picked"],
        "pack_shipment" => &["shipment", "packages"],
        "ship" => &["shipment", "input"],
        "open_claim" => &["shipment", "claim"],
        "resolve_claim" => &["shipment", "settlement"],
        "request_return" => &["order", "request"],
        "approve_return" => &["return", "label"],
        "reject_return" | "cancel_return" => &["return", "reason"],
        "receive_return" => &["return", "receipt"],
        "inspect_return" => &["return", "inspections"],
        "record_payment" => &["order", "payment"],
        "hold_order" => &["order", "hold"],
        "release_order" => &["order", "note"],
        "cancel_order" => &["order", "reason"],
        "release_stock_hold" => &["cart_ref"],
        "ack_events" => &["ids"],
        "import_orders" => &["orders"],
        _ => &[],
    }
}

/// One step of the path to a value.
#[derive(Clone, Debug)]
enum Seg<'a> {
    Field(&'a str),
    Index(usize),
    Entry(Cow<'a, str>),
}

fn render(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
            Seg::Entry(k) => {
                // As serde names a map's entry: `metadata.gift`.
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
        }
    }
    if s.is_empty() { "input".to_owned() } else { s }
}

/// The innermost field name above the current value, and whether the value is a map's value.
fn context<'p>(path: &'p [Seg<'_>]) -> (Option<&'p str>, bool) {
    let in_map = matches!(path.last(), Some(Seg::Entry(_)));
    let field = path.iter().rev().find_map(|s| match s {
        Seg::Field(f) => Some(*f),
        _ => None,
    });
    (field, in_map)
}

fn check_text(path: &[Seg<'_>], text: &str) -> Result<(), InputError> {
    let kind = match context(path) {
        (Some(f), false) => TextKind::of(f),
        _ => TextKind::Note,
    };
    let max = kind.max();
    if text.len() > max {
        let what = match kind {
            TextKind::Id => "an identifier",
            TextKind::Text => "this text",
            TextKind::Note => "a note",
        };
        return Err(InputError::new(render(path), format!("{what} may be at most {max} bytes long, got {} bytes", text.len())));
    }
    Ok(())
}

fn check_key(path: &[Seg<'_>], key: &str) -> Result<(), InputError> {
    if key.len() > MAX_ID_BYTES {
        return Err(InputError::new(render(path), format!("a key may be at most {MAX_ID_BYTES} bytes long, got {} bytes", key.len())));
    }
    Ok(())
}

fn check_items(path: &[Seg<'_>], n: usize) -> Result<(), InputError> {
    if n > MAX_LIST_ITEMS {
        return Err(InputError::new(render(path), format!("at most {MAX_LIST_ITEMS} items, got {n}")));
    }
    Ok(())
}

fn check_entries(path: &[Seg<'_>], n: usize) -> Result<(), InputError> {
    if n > MAX_MAP_ENTRIES {
        return Err(InputError::new(render(path), format!("at most {MAX_MAP_ENTRIES} entries, got {n}")));
    }
    Ok(())
}

fn check_depth(path: &[Seg<'_>], depth: usize) -> Result<(), InputError> {
    if depth > MAX_INPUT_DEPTH {
        return Err(InputError::new(render(path), format!("nested more than {MAX_INPUT_DEPTH} levels deep")));
    }
    Ok(())
}

fn check_integer(path: &[Seg<'_>], v: i128) -> Result<(), InputError> {
    if let (Some(f), false) = context(path)
        && is_quantity(f)
        && v.unsigned_abs() > u128::from(MAX_QUANTITY)
    {
        return Err(InputError::new(render(path), format!("a quantity may be at most {MAX_QUANTITY} units, got {v}")));
    }
    Ok(())
}

/// Checks a command's typed input against the limits, naming the parts of a tuple input
/// as the command's arguments.
pub(crate) fn check_input<I: Serialize + ?Sized>(command: &str, input: &I) -> crate::Result<()> {
    let top = tuple_fields(command);
    let path = match top {
        [single] => vec![Seg::Field(single)],
        _ => Vec::new(),
    };
    let mut c = Checker { path, depth: 0, top, top_index: None };
    input.serialize(&mut c).map_err(|e| match e {
        CheckError::Limit(e) => crate::Error::Input(e),
        CheckError::Custom(m) => crate::Error::Input(InputError::new("input", m)),
    })
}

/// Checks a JSON argument against the limits before it is decoded; `name` is the
/// argument's name (the root of the field paths in errors). Object keys count as field
/// names, except inside `metadata`, whose entries are free-form.
///
/// # Errors
/// [`InputError`] naming the first field beyond a limit.
pub fn check_json(name: &str, value: &Value) -> Result<(), InputError> {
    // Iterative, so that a hostile nesting depth cannot exhaust the stack.
    let mut stack: Vec<(Vec<Seg<'_>>, usize, &Value)> = vec![(vec![Seg::Field(name)], 0, value)];
    while let Some((path, depth, v)) = stack.pop() {
        match v {
            Value::String(s) => check_text(&path, s)?,
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    check_integer(&path, i128::from(i))?;
                } else if let Some(u) = n.as_u64() {
                    check_integer(&path, i128::from(u))?;
                }
            }
            Value::Array(items) => {
                check_depth(&path, depth + 1)?;
                check_items(&path, items.len())?;
                for (i, item) in items.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, depth + 1, item));
                }
            }
            Value::Object(map) => {
                check_depth(&path, depth + 1)?;
                let free_form = matches!(context(&path), (Some("metadata"), false));
                if free_form {
                    check_entries(&path, map.len())?;
                } else {
                    check_items(&path, map.len())?;
                }
                for (k, item) in map.iter().rev() {
                    check_key(&path, k)?;
                    let mut p = path.clone();
                    p.push(if free_form { Seg::Entry(Cow::Borrowed(k.as_str())) } else { Seg::Field(k.as_str()) });
                    stack.push((p, depth + 1, item));
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }
    Ok(())
}

#[derive(Debug)]
enum CheckError {
    Limit(InputError),
    Custom(String),
}

impl Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Limit(e) => Display::fmt(e, f),
            CheckError::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CheckError {}

impl ser::Error for CheckError {
    fn custom<T: Display>(msg: T) -> Self {
        CheckError::Custom(msg.to_string())
    }
}

impl From<InputError> for CheckError {
    fn from(e: InputError) -> Self {
        CheckError::Limit(e)
    }
}

/// Walks a `Serialize` value without allocating (but for the path of map entries).
struct Checker {
    path: Vec<Seg<'static>>,
    depth: usize,
    /// Names of the top-level tuple's parts.
    top: &'static [&'static str],
    /// Position within the top-level tuple, while walking its parts (not inside them).
    top_index: Option<usize>,
}

type R = Result<(), CheckError>;

impl Checker {
    fn enter(&mut self) -> R {
        self.depth += 1;
        check_depth(&self.path, self.depth)?;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

impl Serializer for &mut Checker {
    type Ok = ();
    type Error = CheckError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _v: bool) -> R {
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
        Ok(check_integer(&self.path, i128::from(v))?)
    }
    fn serialize_i128(self, v: i128) -> R {
        Ok(check_integer(&self.path, v)?)
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
        Ok(check_integer(&self.path, i128::from(v))?)
    }
    fn serialize_u128(self, v: u128) -> R {
        Ok(check_integer(&self.path, i128::try_from(v).unwrap_or(i128::MAX))?)
    }
    fn serialize_f32(self, _v: f32) -> R {
        Ok(())
    }
    fn serialize_f64(self, _v: f64) -> R {
        Ok(())
    }
    fn serialize_char(self, _v: char) -> R {
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(check_text(&self.path, v)?)
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        if v.len() > MAX_NOTE_BYTES {
            return Err(InputError::new(render(&self.path), format!("at most {MAX_NOTE_BYTES} bytes, got {}", v.len())).into());
        }
        Ok(())
    }
    fn serialize_none(self) -> R {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        Ok(())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, _variant: &'static str) -> R {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _name: &'static str, _index: u32, _variant: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, CheckError> {
        if let Some(n) = len {
            check_items(&self.path, n)?;
        }
        self.enter()?;
        self.path.push(Seg::Index(0));
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, CheckError> {
        if self.depth == 0 && self.path.is_empty() && self.top.len() > 1 {
            // The command's own argument tuple: its parts are named, not indexed.
            self.top_index = Some(0);
            self.enter()?;
            self.path.push(Seg::Field(self.top.first().copied().unwrap_or("input")));
            return Ok(self);
        }
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, CheckError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, _variant: &'static str, len: usize) -> Result<Self, CheckError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, CheckError> {
        if let Some(n) = len {
            check_entries(&self.path, n)?;
        }
        self.enter()?;
        self.path.push(Seg::Entry(Cow::Borrowed("")));
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, CheckError> {
        self.enter()?;
        self.path.push(Seg::Field(""));
        Ok(self)
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Result<Self, CheckError> {
        self.serialize_struct(_name, _len)
    }
}

impl Checker {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
        if let Some(i) = self.top_index.take() {
            // A part of the command's argument tuple, checked as if it were the argument.
            if let Some(last) = self.path.last_mut() {
                *last = Seg::Field(self.top.get(i).copied().unwrap_or("input"));
            }
            let depth = std::mem::replace(&mut self.depth, 0);
            let r = value.serialize(&mut *self);
            self.depth = depth;
            self.top_index = Some(i + 1);
            return r;
        }
        value.serialize(&mut *self)?;
        if let Some(Seg::Index(i)) = self.path.last_mut() {
            *i += 1;
        }
        Ok(())
    }

    fn close(&mut self) -> R {
        self.path.pop();
        self.leave();
        Ok(())
    }
}

/// The sequence-like compounds: each element at its index.
macro_rules! sequence_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Checker {
            type Ok = ();
            type Error = CheckError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
                self.element(value)
            }
            fn end(self) -> R {
                self.close()
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

impl ser::SerializeMap for &mut Checker {
    type Ok = ();
    type Error = CheckError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> R {
        // Map keys of inputs are strings (metadata); anything else is named by its JSON form.
        let k = match serde_json::to_value(key) {
            Ok(Value::String(k)) => k,
            Ok(other) => other.to_string(),
            Err(e) => return Err(CheckError::Custom(e.to_string())),
        };
        check_key(&self.path, &k)?;
        if let Some(last) = self.path.last_mut() {
            *last = Seg::Entry(Cow::Owned(k));
        }
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> R {
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.close()
    }
}

/// Structs and struct variants: each field under its name.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Checker {
            type Ok = ();
            type Error = CheckError;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> R {
                if let Some(last) = self.path.last_mut() {
                    *last = Seg::Field(key);
                }
                value.serialize(&mut **self)
            }
            fn end(self) -> R {
                self.close()
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(r: crate::Result<()>) -> String {
        match r {
            Err(crate::Error::Input(e)) => e.field,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn tuple_inputs_are_named_as_the_operation_arguments() {
        let id = crate::OrderId::new();
        let long = "r".repeat(MAX_NOTE_BYTES + 1);
        assert_eq!(field_of(check_input("cancel_order", &(id, long.as_str()))), "reason");
        assert_eq!(field_of(check_input("set_safety_stock", &("A", id, MAX_QUANTITY + 1))), "units");
        assert_eq!(field_of(check_input("release_stock_hold", "c".repeat(MAX_ID_BYTES + 1).as_str())), "cart_ref");
        assert!(check_input("cancel_order", &(id, "r".repeat(MAX_NOTE_BYTES).as_str())).is_ok());
    }

    #[test]
    fn return_labels_may_be_long_links() {
        let id = crate::ReturnId::new();
        let link = format!("https://labels.example/{}", "x".repeat(1_000));
        assert!(check_input("approve_return", &(id, Some(link.as_str()))).is_ok());
        let too_long = "x".repeat(MAX_NOTE_BYTES + 1);
        assert_eq!(field_of(check_input("approve_return", &(id, Some(too_long.as_str())))), "label");
    }

    #[test]
    fn json_arguments_are_checked_without_recursion() {
        let mut deep = json!("leaf");
        for _ in 0..100 {
            deep = json!({ "x": deep });
        }
        let reason = check_json("order", &json!({ "metadata": deep })).err().map(|e| e.reason).unwrap_or_default();
        assert!(reason.contains("nested more than 32 levels"), "{reason}");
        let field = check_json("ids", &json!(vec![0; MAX_LIST_ITEMS + 1])).err().map(|e| e.field).unwrap_or_default();
        assert_eq!(field, "ids");
        let entries: serde_json::Map<String, Value> = (0..=MAX_MAP_ENTRIES).map(|i| (format!("k{i}"), json!("v"))).collect();
        let field = check_json("order", &json!({ "metadata": entries })).err().map(|e| e.field).unwrap_or_default();
        assert_eq!(field, "order.metadata");
        assert!(check_json("order", &json!({ "metadata": { "gift": "x".repeat(MAX_NOTE_BYTES) } })).is_ok());
    }
}
