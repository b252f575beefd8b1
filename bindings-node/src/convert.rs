//! JS values ↔ the core's serde (JSON) form.
//!
//! The core's input and output types derive serde; their JSON form is the contract. At
//! this boundary:
//!
//! * keys are converted camelCase (JS) ↔ snake_case (JSON), except inside free-form maps
//!   ([`FREE_FORM`], e.g. `metadata`), whose keys belong to the user;
//! * a JS `Date` becomes an RFC 3339 string; on the way out, a string under a timestamp
//!   key ([`is_time_key`]: `at`, `*_at`, `since`, `*_since`, `expected`) becomes a `Date`;
//! * numbers stay numbers (integers when they are integral), `undefined` object members are
//!   left out, and functions, symbols, `NaN` and infinities are refused.
//!
//! Money and tax rates cross as decimal strings: the core deserializes them from strings
//! only, so a JS number there fails in `crate::dispatch::call` as a `TypeError`.

use napi::bindgen_prelude::{Array, FromNapiValue, JsObjectValue, JsValue, Object, ToNapiValue};
use napi::{Env, JsDate, Unknown, ValueType};
use serde_json::{Map, Number, Value};

use crate::error::OpError;

/// Keys whose object value is a map of the user's own keys (left unconverted).
pub const FREE_FORM: &[&str] = &["metadata"];

/// Deepest nesting accepted from JS (guards against cyclic objects).
const MAX_DEPTH: usize = 64;

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

fn type_error(path: &str, what: &str) -> OpError {
    OpError::Argument { type_error: true, field: path.to_owned(), reason: what.to_owned() }
}

fn napi_err(path: &str, e: &napi::Error) -> OpError {
    OpError::Argument { type_error: true, field: path.to_owned(), reason: e.reason.clone() }
}

fn to_json(value: Unknown<'_>, convert_keys: bool, path: &mut String, depth: usize) -> Result<Value, OpError> {
    if depth > MAX_DEPTH {
        return Err(type_error(path, "nested too deeply (cyclic object?)"));
    }
    let here = path.clone();
    let e = |err: napi::Error| napi_err(&here, &err);
    match value.get_type().map_err(e)? {
        ValueType::Undefined | ValueType::Null => Ok(Value::Null),
        ValueType::Boolean => Ok(Value::Bool(bool::from_unknown(value).map_err(e)?)),
        ValueType::Number => number(f64::from_unknown(value).map_err(e)?, path),
        ValueType::String => Ok(Value::String(String::from_unknown(value).map_err(e)?)),
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
            if value.is_array().map_err(e)? {
                let arr = Array::from_unknown(value).map_err(e)?;
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
            let names = obj.get_property_names().map_err(e)?;
            let names = Array::from_unknown(names.to_unknown()).map_err(e)?;
            let mut out = Map::new();
            for i in 0..names.len() {
                let Some(key) = names.get::<String>(i).map_err(e)? else { continue };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for k in ["unit_price", "line1", "dimensions_mm", "tracking_number", "sku", "return_window_days"] {
            assert_eq!(snake_case(&camel_case(k)), k);
        }
        assert_eq!(camel_case("dimensions_mm"), "dimensionsMm");
        assert_eq!(snake_case("externalRef"), "external_ref");
    }
}
