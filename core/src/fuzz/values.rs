//! JSON values built and mutated from the fuzzer's bytes: boundary numbers, decimal and
//! date texts, the fixture's ids (as `$name` variables), and random trees with the field
//! names ordo's inputs use.

use serde_json::{Map, Number, Value};

use super::Bytes;

/// Decimal texts at the edges of `rust_decimal` and of the currencies' minor units.
pub(crate) const DECIMALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "0.01",
    "-0.01",
    "19.99",
    "0.19",
    "1.005",
    "0.005",
    "12.345",
    "100",
    "-100",
    "1000000",
    "0.0000000000000000000000000001",
    "0.9999999999999999999999999999",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "39614081257132168796771975168",
    "7922816251426433759354395033.5",
    "4294967295",
    "18446744073709551615",
    "99999999999999999999",
    "-0",
    "+5",
    "1e3",
    "NaN",
    "",
    ".5",
    "5.",
    " 1.00 ",
];

/// Texts that ordo's inputs parse: codes, states, dates, ids, and hostile strings.
const TEXTS: &[&str] = &[
    "web",
    "pos",
    "EUR",
    "JPY",
    "KWD",
    "XAU",
    "eur",
    "TSHIRT-M",
    "MUG",
    "DE",
    "de",
    "en",
    "DHL",
    "TRACK-B",
    "DLVRD",
    "TRANSIT",
    "delivered",
    "in_transit",
    "out_for_delivery",
    "lost",
    "damaged",
    "failed",
    "returned_to_sender",
    "deny",
    "allow",
    "preorder",
    "ship",
    "pickup",
    "store",
    "warehouse",
    "authorized",
    "captured",
    "refunded",
    "voided",
    "charged_back",
    "restock",
    "write_off",
    "repair",
    "return_to_vendor",
    "refund",
    "exchange",
    "store_credit",
    "does_not_fit",
    "placed",
    "on_hold",
    "priority",
    "nearest",
    "fewest_shipments",
    "highest_stock",
    "2026-03-02T09:00:00Z",
    "2026-03-30T09:00:00Z",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "+262142-12-31T23:59:59Z",
    "-262143-01-01T00:00:00Z",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "1001",
    "web/fx-1",
    "",
    " ",
    "ü€𝄞",
    "\u{0}",
    "\u{202e}",
    "<script>&amp;",
    "{tracking}",
];

/// Field names of ordo's inputs (arguments and their objects).
pub(crate) const KEYS: &[&str] = &[
    "code",
    "name",
    "sku",
    "location",
    "locations",
    "quantity",
    "quantities",
    "delta",
    "reason",
    "reference",
    "priority",
    "kind",
    "channel",
    "channels",
    "currency",
    "lines",
    "line",
    "unit_price",
    "tax_rate",
    "discount",
    "discounts",
    "amount",
    "shipping",
    "order",
    "shipment",
    "return",
    "type",
    "expected",
    "units",
    "policy",
    "ttl_seconds",
    "cart_ref",
    "carrier",
    "tracking_number",
    "status",
    "at",
    "packages",
    "items",
    "weight_grams",
    "picked",
    "disposition",
    "resolution",
    "label",
    "prices_include_tax",
    "delivery",
    "payment_method",
    "customer",
    "shipping_address",
    "metadata",
    "notes",
    "dry_run",
    "limit",
    "offset",
    "state",
    "ids",
    "from",
    "to",
    "active",
    "return_window_days",
    "allocation",
    "split",
    "strategy",
    "geo",
    "lat",
    "lon",
];

/// Names of the fixture's variables (see `ops::FIXTURE`).
pub(crate) const VARS: &[&str] = &[
    "$nord",
    "$laden",
    "$order",
    "$line1",
    "$line2",
    "$shipment",
    "$order2",
    "$line3",
    "$shipment2",
    "$return",
    "$last",
    "$last_line",
    "$last_shipment",
];

fn number(b: &mut Bytes<'_>) -> Value {
    match b.below(14) {
        0 => Value::from(0),
        1 => Value::from(1),
        2 => Value::from(-1),
        3 => Value::from(u32::MAX),
        4 => Value::from(u64::from(u32::MAX) + 1),
        5 => Value::from(i64::MAX),
        6 => Value::from(i64::MIN),
        7 => Value::from(u64::MAX),
        8 => Number::from_f64(1.5).map_or(Value::Null, Value::Number),
        9 => Number::from_f64(1e300).map_or(Value::Null, Value::Number),
        10 => Value::from(i64::from(b.u8())),
        11 => Value::from(b.u32()),
        12 => Value::from(b.u64()),
        _ => Value::from(i64::from(b.u16()) - 32768),
    }
}

fn text(b: &mut Bytes<'_>) -> Value {
    let s = match b.below(6) {
        0 | 1 => b.pick(TEXTS).copied().unwrap_or_default().to_owned(),
        2 => b.pick(DECIMALS).copied().unwrap_or_default().to_owned(),
        3 => b.pick(VARS).copied().unwrap_or_default().to_owned(),
        4 => "x".repeat(usize::from(b.u16())),
        _ => b.string(64),
    };
    Value::String(s)
}

/// A scalar: null, a boolean, a boundary number or an interesting text.
pub(crate) fn scalar(b: &mut Bytes<'_>) -> Value {
    match b.below(8) {
        0 => Value::Null,
        1 => Value::Bool(b.bool()),
        2 | 3 => number(b),
        _ => text(b),
    }
}

/// A random JSON tree at most `depth` deep, objects keyed by ordo's field names.
pub(crate) fn random(b: &mut Bytes<'_>, depth: u8) -> Value {
    if depth == 0 || b.is_empty() {
        return scalar(b);
    }
    match b.below(6) {
        0 => {
            let n = b.below(5);
            Value::Array((0..n).map(|_| random(b, depth - 1)).collect())
        }
        1 | 2 => {
            let n = b.below(6);
            let mut m = Map::new();
            for _ in 0..n {
                let k = b.pick(KEYS).copied().unwrap_or("code").to_owned();
                m.insert(k, random(b, depth - 1));
            }
            Value::Object(m)
        }
        _ => scalar(b),
    }
}

/// The paths (keys and indexes) of every node of `v`, parents before children.
fn paths(v: &Value, prefix: &mut Vec<PathPart>, out: &mut Vec<Vec<PathPart>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                prefix.push(PathPart::Key(k.clone()));
                paths(x, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                prefix.push(PathPart::Index(i));
                paths(x, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathPart {
    Key(String),
    Index(usize),
}

fn node_mut<'v>(v: &'v mut Value, path: &[PathPart]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |cur, part| match (part, cur) {
        (PathPart::Key(k), Value::Object(m)) => m.get_mut(k),
        (PathPart::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// Applies a few structural mutations to `v` (a real argument shape): replace a node,
/// drop or add a field, grow or empty an array, swap in a variable.
pub(crate) fn mutate(b: &mut Bytes<'_>, v: &mut Value) {
    let rounds = 1 + b.below(4);
    for _ in 0..rounds {
        let mut all = Vec::new();
        paths(v, &mut Vec::new(), &mut all);
        let Some(path) = b.pick(&all).cloned() else { return };
        let Some(node) = node_mut(v, &path) else { continue };
        match b.below(8) {
            0 | 1 => *node = scalar(b),
            2 => *node = random(b, 3),
            3 => match node {
                Value::Object(m) if !m.is_empty() => {
                    let i = b.below(m.len());
                    let key = m.keys().nth(i).cloned();
                    if let Some(k) = key {
                        m.remove(&k);
                    }
                }
                Value::Array(a) => a.clear(),
                _ => *node = Value::Null,
            },
            4 => {
                if let Value::Object(m) = node {
                    let k = b.pick(KEYS).copied().unwrap_or("code").to_owned();
                    m.insert(k, random(b, 2));
                }
            }
            5 => {
                if let Value::Array(a) = node
                    && let Some(first) = a.first().cloned()
                {
                    let most = if b.bool() { 3 } else { 200 };
                    let n = 1 + b.below(most);
                    a.extend(std::iter::repeat_n(first, n));
                }
            }
            6 => *node = Value::String(b.pick(VARS).copied().unwrap_or("$order").to_owned()),
            _ => *node = Value::String(b.pick(DECIMALS).copied().unwrap_or("0").to_owned()),
        }
    }
}
