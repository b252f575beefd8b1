//! JS values ↔ the core's serde (JSON) form.
//!
//! The core's input and output types derive serde; their JSON form is the contract. At
//! this boundary:
//!
//! * keys are converted camelCase (JS) ↔ snake_case (JSON), except inside free-form maps
//!   ([`FREE_FORM`], e.g. `metadata`), whose keys belong to the user;
//! * a JS `Date` becomes an RFC 3339 string; on the way out, a string under a timestamp
//!   key ([`is_time_key`]: `at`, `*_at`, `since`, `*_since`, `expected`) becomes a `Date`;
//! * objects are read as `JSON.stringify` reads them (own enumerable string keys), and a
//!   `Map` or `Set`, whose entries are not properties, is refused instead of becoming `{}`;
//! * numbers stay numbers (integers when they are integral), `undefined` object members are
//!   left out, and functions, symbols, `NaN` and infinities are refused;
//! * strings (values and keys) must be valid Unicode: a lone UTF-16 surrogate (`'A\uD800'`)
//!   is refused ([`js_string`]) rather than replaced by U+FFFD, which would make two
//!   different JS strings the same SKU;
//! * nesting is limited to [`MAX_DEPTH`] levels (objects and arrays inside each other, the
//!   argument included), checked while converting, so a 10,000-deep or cyclic object is an
//!   `INVALID_INPUT` error naming the field, never a stack overflow.
//!
//! Every refusal is an [`OpError::Argument`] naming the field as a JS path
//! (`order.lines[0].unitPrice`); paths from the core are put into the same form by
//! [`js_path`].
//!
//! Money and tax rates cross as decimal strings: the core deserializes them from strings
//! only, so a JS number there fails in `crate::dispatch::call` as a `TypeError`.

use napi::bindgen_prelude::{
    Array, FromNapiValue, JsObjectValue, JsValue, KeyCollectionMode, KeyConversion, KeyFilter, Object, ToNapiValue, Utf16String,
};
use napi::{Env, JsDate, Unknown, ValueType};
use serde_json::{Map, Number, Value};

use crate::error::OpError;

/// Keys whose object value is a map of the user's own keys (left unconverted).
pub const FREE_FORM: &[&str] = &["metadata"];

/// Deepest nesting accepted from JS: objects and arrays inside each other, the argument
/// itself counting as the first level. Also what stops a cyclic object.
pub const MAX_DEPTH: usize = ordo::limits::MAX_INPUT_DEPTH;

/// `unitPrice` → `unit_price`.
pub fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `unit_price` → `unitPrice`.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a (snake_case) key holds a timestamp in the core's JSON form.
pub fn is_time_key(key: &str) -> bool {
    key == "at" || key.ends_with("_at") || key == "since" || key.ends_with("_since") || key == "expected"
}

/// Converts a JS value (the argument `name`) into the core's JSON form.
pub fn from_js(value: Unknown<'_>, name: &str) -> Result<Value, OpError> {
    let mut path = camel_case(name);
    to_json(value, true, &mut path, 0)
}

/// Converts a JS value whose keys are the user's (options such as `carriers`) into JSON,
/// with the same checks; `path` names it in errors.
pub fn from_js_free_form(value: Unknown<'_>, path: &str) -> Result<Value, OpError> {
    let mut path = path.to_owned();
    to_json(value, false, &mut path, 0)
}

/// A JS string as a Rust `String`, refusing lone UTF-16 surrogates (which napi's UTF-8
/// conversion would silently turn into U+FFFD). `path` names the value in errors.
pub fn js_string(value: Unknown<'_>, path: &str) -> Result<String, OpError> {
    checked_string(value, path, "")
}

/// [`js_string`] for an object key: an error names the object (`path`) and says "a key".
fn js_key(value: Unknown<'_>, path: &str) -> Result<String, OpError> {
    checked_string(value, path, "a key ")
}

fn checked_string(value: Unknown<'_>, path: &str, what: &str) -> Result<String, OpError> {
    if value.get_type().map_err(|e| napi_err(path, &e))? != ValueType::String {
        return Err(type_error(path, &format!("{what}expected a string")));
    }
    let s = String::from_unknown(value).map_err(|e| napi_err(path, &e))?;
    // Fast path: without U+FFFD in the UTF-8 form there was no lone surrogate either.
    if !s.contains('\u{FFFD}') {
        return Ok(s);
    }
    let units = Utf16String::from_unknown(value).map_err(|e| napi_err(path, &e))?;
    let mut index = 0;
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => index += c.len_utf16(),
            Err(e) => {
                let reason = format!(
                    "{what}contains a lone UTF-16 surrogate (U+{:04X} at index {index}); text must be valid Unicode",
                    e.unpaired_surrogate()
                );
                return Err(OpError::Argument { type_error: false, field: path.to_owned(), reason });
            }
        }
    }
    Ok(s)
}

/// A field path of the core (`order.lines[0].unit_price`) as the JS API spells it
/// (`order.lines[0].unitPrice`). Keys inside a free-form map (after `metadata`, or in
/// brackets) are the user's and stay as they are.
pub fn js_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    loop {
        let (segment, tail) = rest.split_once('.').map_or((rest, None), |(a, b)| (a, Some(b)));
        let (name, index) = segment.find('[').map_or((segment, ""), |b| segment.split_at(b));
        out.push_str(&camel_case(name));
        out.push_str(index);
        let Some(tail) = tail else { return out };
        // `ids.[0]` (an element of a list argument, as the core writes it) is `ids[0]`.
        if !tail.starts_with('[') {
            out.push('.');
        }
        if FREE_FORM.contains(&name) && index.is_empty() {
            // The rest of the path is inside the user's map.
            out.push_str(tail);
            return out;
        }
        rest = tail;
    }
}

/// A reason of the core as the JS API spells it: the field names serde quotes in "missing
/// field" and "unknown field" messages become camelCase (other quoted text, such as enum
/// values or the value given, is left alone).
pub fn js_reason(reason: &str) -> String {
    if !(reason.starts_with("missing field `") || reason.starts_with("unknown field `")) {
        return reason.to_owned();
    }
    let mut out = String::with_capacity(reason.len());
    for (i, part) in reason.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks.
        out.push_str(&if i % 2 == 1 { camel_case(part) } else { part.to_owned() });
    }
    out
}

fn type_error(path: &str, what: &str) -> OpError {
    OpError::Argument { type_error: true, field: path.to_owned(), reason: what.to_owned() }
}

fn napi_err(path: &str, e: &napi::Error) -> OpError {
    OpError::Argument { type_error: true, field: path.to_owned(), reason: e.reason.clone() }
}

/// The error for a container at nesting level `MAX_DEPTH + 1` (the core's wording).
/// A list (or object) longer than the core's limit is refused before any of it is converted,
/// in the core's words.
fn too_many(path: &str, len: u32) -> Result<(), OpError> {
    let max = ordo::limits::MAX_LIST_ITEMS;
    if usize::try_from(len).unwrap_or(usize::MAX) > max {
        return Err(OpError::Argument { type_error: false, field: path.to_owned(), reason: format!("at most {max} items, got {len}") });
    }
    Ok(())
}

fn too_deep(path: &str) -> OpError {
    OpError::Argument { type_error: false, field: path.to_owned(), reason: format!("nested more than {MAX_DEPTH} levels deep") }
}

/// `depth`: how many objects and arrays enclose `value` (0 for the argument itself).
fn to_json(value: Unknown<'_>, convert_keys: bool, path: &mut String, depth: usize) -> Result<Value, OpError> {
    let here = path.clone();
    let e = |err: napi::Error| napi_err(&here, &err);
    match value.get_type().map_err(e)? {
        ValueType::Undefined | ValueType::Null => Ok(Value::Null),
        ValueType::Boolean => Ok(Value::Bool(bool::from_unknown(value).map_err(e)?)),
        ValueType::Number => number(f64::from_unknown(value).map_err(e)?, path),
        ValueType::String => Ok(Value::String(js_string(value, path)?)),
        ValueType::BigInt => {
            let n = napi::bindgen_prelude::BigInt::from_unknown(value).map_err(e)?;
            match n.get_i64() {
                (i, true) => Ok(Value::Number(i.into())),
                _ => Err(type_error(path, "a BigInt out of the 64-bit range")),
            }
        }
        ValueType::Object => {
            if value.is_date().map_err(e)? {
                let ms = JsDate::from_unknown(value).map_err(e)?.value_of().map_err(e)?;
                return date_string(ms).ok_or_else(|| type_error(path, "an invalid Date"));
            }
            if depth >= MAX_DEPTH {
                return Err(too_deep(path));
            }
            if value.is_array().map_err(e)? {
                let arr = Array::from_unknown(value).map_err(e)?;
                too_many(path, arr.len())?;
                let mut out = Vec::with_capacity(arr.len() as usize);
                for i in 0..arr.len() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    match arr.get::<Unknown<'_>>(i).map_err(e)? {
                        Some(item) => out.push(to_json(item, convert_keys, path, depth + 1)?),
                        None => out.push(Value::Null),
                    }
                    path.truncate(len);
                }
                return Ok(Value::Array(out));
            }
            let obj = Object::from_unknown(value).map_err(e)?;
            // Own enumerable properties, as `JSON.stringify` reads an object.
            let names = obj
                .get_all_property_names(KeyCollectionMode::OwnOnly, KeyFilter::Enumerable, KeyConversion::NumbersToStrings)
                .map_err(e)?;
            let names = Array::from_unknown(names.to_unknown()).map_err(e)?;
            too_many(path, names.len())?;
            if names.len() == 0
                && let Some(kind) = collection(&obj).map_err(e)?
            {
                // A `Map` or `Set` has no properties: it would silently arrive as `{}`.
                return Err(type_error(path, &format!("a {kind} is not a plain object (use an object, e.g. Object.fromEntries(map))")));
            }
            let mut out = Map::new();
            for i in 0..names.len() {
                let Some(key) = names.get::<Unknown<'_>>(i).map_err(e)? else { continue };
                if key.get_type().map_err(e)? == ValueType::Symbol {
                    continue;
                }
                let key = js_key(key, path)?;
                let item: Unknown<'_> = obj.get_named_property(&key).map_err(e)?;
                if item.get_type().map_err(e)? == ValueType::Undefined {
                    continue;
                }
                let json_key = if convert_keys { snake_case(&key) } else { key.clone() };
                let len = path.len();
                path.push('.');
                path.push_str(&key);
                let inner_convert = convert_keys && !FREE_FORM.contains(&json_key.as_str());
                out.insert(json_key, to_json(item, inner_convert, path, depth + 1)?);
                path.truncate(len);
            }
            Ok(Value::Object(out))
        }
        ValueType::Function => Err(type_error(path, "a function is not a value")),
        ValueType::Symbol => Err(type_error(path, "a symbol is not a value")),
        _ => Err(type_error(path, "an unsupported JS value")),
    }
}

/// `Some("Map")` (or `Set`, `WeakMap`, `WeakSet`) for a keyed collection, whose entries are
/// not properties.
fn collection(obj: &Object<'_>) -> napi::Result<Option<&'static str>> {
    let proto = obj.get_prototype()?;
    if proto.get_type()? != ValueType::Object {
        return Ok(None);
    }
    let constructor: Unknown<'_> = Object::from_unknown(proto)?.get_named_property("constructor")?;
    if constructor.get_type()? != ValueType::Function {
        return Ok(None);
    }
    let name: Unknown<'_> = Object::from_unknown(constructor)?.get_named_property("name")?;
    if name.get_type()? != ValueType::String {
        return Ok(None);
    }
    Ok(["Map", "Set", "WeakMap", "WeakSet"].into_iter().find(|k| String::from_unknown(name).is_ok_and(|n| n == *k)))
}

fn number(n: f64, path: &str) -> Result<Value, OpError> {
    if !n.is_finite() {
        return Err(type_error(path, &format!("{n} is not a finite number")));
    }
    // Integral numbers become JSON integers, so the core's integer fields accept them.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        return Ok(Value::Number((n as i64).into()));
    }
    Number::from_f64(n).map(Value::Number).ok_or_else(|| type_error(path, "not a finite number"))
}

fn date_string(ms: f64) -> Option<Value> {
    if !ms.is_finite() {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let t = chrono::DateTime::from_timestamp_millis(ms as i64)?;
    Some(Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
}

/// Converts the core's JSON form into a JS value (camelCase keys, `Date`s).
pub fn to_js<'env>(env: &'env Env, value: &Value) -> napi::Result<Unknown<'env>> {
    js_value(env, value, true, None)
}

fn js_value<'env>(env: &'env Env, value: &Value, convert_keys: bool, key: Option<&str>) -> napi::Result<Unknown<'env>> {
    match value {
        Value::Null => ToNapiValue::into_unknown(napi::bindgen_prelude::Null, env),
        Value::Bool(b) => b.into_unknown(env),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            #[allow(clippy::cast_precision_loss)]
            (Some(i), _) => (i as f64).into_unknown(env),
            #[allow(clippy::cast_precision_loss)]
            (_, Some(u)) => (u as f64).into_unknown(env),
            _ => n.as_f64().unwrap_or(f64::NAN).into_unknown(env),
        },
        Value::String(s) => {
            if key.is_some_and(is_time_key)
                && let Ok(t) = chrono::DateTime::parse_from_rfc3339(s)
            {
                return t.with_timezone(&chrono::Utc).into_unknown(env);
            }
            s.as_str().into_unknown(env)
        }
        Value::Array(items) => {
            let mut arr = env.create_array(u32::try_from(items.len()).unwrap_or(u32::MAX))?;
            for (i, item) in items.iter().enumerate() {
                arr.set(u32::try_from(i).unwrap_or(u32::MAX), js_value(env, item, convert_keys, key)?)?;
            }
            arr.into_unknown(env)
        }
        Value::Object(map) => {
            let mut obj = Object::new(env)?;
            for (k, v) in map {
                let inner_convert = convert_keys && !FREE_FORM.contains(&k.as_str());
                let name = if convert_keys { camel_case(k) } else { k.clone() };
                obj.set(&name, js_value(env, v, inner_convert, Some(k))?)?;
            }
            obj.into_unknown(env)
        }
    }
}
