//! Errors at the JS boundary: `Error` objects with a stable `code`.
//!
//! Every rejection is an `Error` (a `TypeError` for a value of the wrong JS type, such as a
//! number where money is expected) with `code` = [`ordo::Error::code`] (`'INVALID_INPUT'`,
//! `'INSUFFICIENT_STOCK'`, …), `variant` naming the precise case (`'InsufficientStock'`,
//! `'DuplicateOrder'`, …) and the variant's details as camelCase properties (`sku`,
//! `requested`, `available`, …). A panic inside ordo becomes an `Error` with code
//! `'INTERNAL'` instead of ending the process.
//!
//! Field paths are written as the JS API spells them, in `field` and in the message alike:
//! `order.lines[0].unitPrice`, never `unit_price` ([`js_path`]).

use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object};
use napi::{Env, JsError, JsTypeError, JsValue, Unknown};
use serde_json::{Map, Value, json};

use crate::convert::{camel_case, js_path, js_reason, to_js};

/// Code of an error that is a bug in ordo or in this binding (a caught panic).
pub const INTERNAL: &str = "INTERNAL";

/// Why an operation failed.
#[derive(Debug)]
pub enum OpError {
    /// The core refused the command.
    Core(ordo::Error),
    /// An argument could not be converted into the core's input type.
    Argument {
        /// A JS value of the wrong type (`TypeError`), rather than a malformed one.
        type_error: bool,
        /// Where, as a JS path (`order.lines[0].unitPrice`).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// ordo panicked (a bug); the process goes on.
    Panic(String),
}

impl From<ordo::Error> for OpError {
    fn from(e: ordo::Error) -> Self {
        OpError::Core(e)
    }
}

impl OpError {
    /// A caught panic's payload.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        OpError::Panic(msg)
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            OpError::Core(e) => e.code(),
            OpError::Argument { .. } => "INVALID_INPUT",
            OpError::Panic(_) => INTERNAL,
        }
    }

    fn message(&self) -> String {
        match self {
            OpError::Core(ordo::Error::Input(ie)) => format!("invalid {}: {}", js_path(&ie.field), js_reason(&ie.reason)),
            OpError::Core(e) => {
                let message = e.to_string();
                // Other variants that name a field (money errors) say it in the message too.
                match e.variant_and_details().1.get("field") {
                    Some(serde_json::Value::String(f)) if !f.is_empty() => message.replacen(f.as_str(), &js_path(f), 1),
                    _ => message,
                }
            }
            OpError::Argument { field, reason, .. } => format!("invalid {field}: {reason}"),
            OpError::Panic(m) => format!("ordo panicked (a bug, please report it): {m}"),
        }
    }

    /// The variant's name and details (snake_case keys, converted like any result).
    fn details(&self) -> (&'static str, Map<String, Value>) {
        let (variant, v) = match self {
            OpError::Argument { field, reason, .. } => ("Input", json!({ "field": field, "reason": reason })),
            OpError::Panic(_) => ("Panic", json!({})),
            OpError::Core(e) => core_details(e),
        };
        (variant, v.as_object().cloned().unwrap_or_default())
    }

    /// The JS `Error` (or `TypeError`) object.
    pub fn to_js<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        let base = napi::Error::new(self.code().to_owned(), self.message());
        let raw = match self {
            OpError::Argument { type_error: true, .. } => JsTypeError::from(base).into_unknown(*env),
            _ => JsError::from(base).into_unknown(*env),
        };
        let mut obj = Object::from_unknown(raw)?;
        let (variant, details) = self.details();
        obj.set("variant", variant)?;
        for (k, v) in &details {
            let mut wrapper = Map::new();
            wrapper.insert(k.clone(), v.clone());
            // Converted as a one-key object so timestamp keys (`closed_at`) become Dates.
            let js = to_js(env, &Value::Object(wrapper))?;
            let js = Object::from_unknown(js)?;
            let name = camel_case(k);
            let value: Unknown<'_> = js.get_named_property(&name)?;
            obj.set(&name, value)?;
        }
        Ok(obj.to_unknown())
    }

    /// As a `napi::Error` that rejects a Promise (or throws) with the JS error object.
    pub fn into_napi(self, env: &Env) -> napi::Error {
        match self.to_js(env) {
            Ok(js) => napi::Error::from(js),
            Err(e) => e,
        }
    }
}

/// The core's variant and details, with field paths (and the field names quoted in an
/// input error's reason) in the binding's camelCase.
fn core_details(e: &ordo::Error) -> (&'static str, Value) {
    let (variant, mut v) = e.variant_and_details();
    if let Some(Value::String(f)) = v.get_mut("field") {
        *f = js_path(f);
    }
    if let (ordo::Error::Input(_), Some(Value::String(r))) = (e, v.get_mut("reason")) {
        *r = js_reason(r);
    }
    (variant, v)
}
