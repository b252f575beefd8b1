//! `OrdoError`: every failure as one error enum (Swift `throws`, Kotlin exceptions).
//!
//! The case is the core's stable code (`InsufficientStock` for `INSUFFICIENT_STOCK`, …);
//! each carries that `code`, a human-readable `reason` and `details`, a JSON object with
//! the variant's data (`{"variant": "InsufficientStock", "sku": …, "requested": …}`).
//! A panic inside ordo becomes `Internal` instead of crossing the FFI.

use ordo::{ConflictError, MoneyError, StoreError};
use serde_json::{Value, json};

/// Why an operation failed, by the core's stable error code.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[allow(missing_docs)]
pub enum OrdoError {
    #[error("{code}: {reason}")]
    InvalidInput { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    UnknownCurrency { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    CurrencyMismatch { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    InvalidAmount { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    InvalidTransition { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    NotFound { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    Conflict { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    InsufficientStock { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    ValidationFailed { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    ReturnWindowClosed { code: String, reason: String, details: String },
    #[error("{code}: {reason}")]
    Storage { code: String, reason: String, details: String },
    /// A bug in ordo or this binding (a caught panic, a result that does not convert).
    #[error("{code}: {reason}")]
    Internal { code: String, reason: String, details: String },
}

/// An operation's failure before it becomes an [`OrdoError`].
#[derive(Debug)]
pub enum OpError {
    /// The core refused the command.
    Core(ordo::Error),
    /// A bug: a panic or a conversion that should not fail.
    Internal(String),
}

impl From<ordo::Error> for OpError {
    fn from(e: ordo::Error) -> Self {
        OpError::Core(e)
    }
}

impl From<OpError> for OrdoError {
    fn from(e: OpError) -> Self {
        match e {
            OpError::Internal(reason) => OrdoError::internal(reason),
            OpError::Core(e) => {
                let code = e.code().to_owned();
                let reason = e.to_string();
                let (variant, mut d) = core_details(&e);
                if let Value::Object(o) = &mut d {
                    o.insert("variant".into(), Value::String(variant.into()));
                }
                let details = d.to_string();
                match e.code() {
                    "INVALID_INPUT" => OrdoError::InvalidInput { code, reason, details },
                    "UNKNOWN_CURRENCY" => OrdoError::UnknownCurrency { code, reason, details },
                    "CURRENCY_MISMATCH" => OrdoError::CurrencyMismatch { code, reason, details },
                    "INVALID_AMOUNT" => OrdoError::InvalidAmount { code, reason, details },
                    "INVALID_TRANSITION" => OrdoError::InvalidTransition { code, reason, details },
                    "NOT_FOUND" => OrdoError::NotFound { code, reason, details },
                    "CONFLICT" => OrdoError::Conflict { code, reason, details },
                    "INSUFFICIENT_STOCK" => OrdoError::InsufficientStock { code, reason, details },
                    "VALIDATION_FAILED" => OrdoError::ValidationFailed { code, reason, details },
                    "RETURN_WINDOW_CLOSED" => OrdoError::ReturnWindowClosed { code, reason, details },
                    "STORAGE" => OrdoError::Storage { code, reason, details },
                    _ => OrdoError::Internal { code, reason, details },
                }
            }
        }
    }
}

impl From<ordo::Error> for OrdoError {
    fn from(e: ordo::Error) -> Self {
        OpError::Core(e).into()
    }
}

impl OrdoError {
    /// An internal error (a bug).
    pub fn internal(reason: impl Into<String>) -> Self {
        OrdoError::Internal { code: "INTERNAL".into(), reason: reason.into(), details: "{}".into() }
    }

    /// An `INVALID_INPUT` error about `field`.
    pub fn input(field: &str, reason: impl Into<String>) -> Self {
        ordo::Error::from(ordo::InputError::new(field, reason.into())).into()
    }
}

fn core_details(e: &ordo::Error) -> (&'static str, Value) {
    use ordo::Error as E;
    match e {
        E::Input(i) => ("Input", json!({ "field": i.field, "reason": i.reason })),
        E::Money(m) => match m {
            MoneyError::UnknownCurrency { code } => ("UnknownCurrency", json!({ "currency": code })),
            MoneyError::CurrencyMismatch { expected, found } => ("CurrencyMismatch", json!({ "expected": expected, "found": found })),
            MoneyError::TooPrecise { amount, currency } => ("TooPrecise", json!({ "amount": amount.to_string(), "currency": currency })),
            MoneyError::NotADecimal { text } => ("NotADecimal", json!({ "text": text })),
            MoneyError::Negative { field, amount } => ("Negative", json!({ "field": field, "amount": amount.to_string() })),
            _ => ("Money", json!({})),
        },
        E::InvalidTransition { entity, id, state, command } => {
            ("InvalidTransition", json!({ "entity": entity, "id": id, "state": state, "command": command }))
        }
        E::NotFound { entity, id } => ("NotFound", json!({ "entity": entity, "id": id })),
        E::Conflict(c) => match c {
            ConflictError::DuplicateOrder { channel, external_ref, existing } => {
                ("DuplicateOrder", json!({ "channel": channel, "external_ref": external_ref, "existing": existing }))
            }
            ConflictError::IdempotencyKeyReused { key } => ("IdempotencyKeyReused", json!({ "key": key })),
            ConflictError::VersionConflict { entity, id, expected, found } => {
                ("VersionConflict", json!({ "entity": entity, "id": id, "expected": expected, "found": found }))
            }
            ConflictError::AlreadyExists { entity, key } => ("AlreadyExists", json!({ "entity": entity, "key": key })),
            ConflictError::Exceeds(what) => ("Exceeds", json!({ "reason": what })),
            _ => ("Conflict", json!({})),
        },
        E::InsufficientStock { sku, location, requested, available } => {
            ("InsufficientStock", json!({ "sku": sku, "location": location, "requested": requested, "available": available }))
        }
        E::ValidationFailed { order_id, reasons } => {
            ("ValidationFailed", json!({ "order_id": order_id, "reasons": serde_json::to_value(reasons).unwrap_or_default() }))
        }
        E::ReturnWindowClosed { order_id, sku, closed_at } => {
            ("ReturnWindowClosed", json!({ "order_id": order_id, "sku": sku, "closed_at": closed_at }))
        }
        E::Store(s) => match s {
            StoreError::Backend(m) => ("Backend", json!({ "reason": m })),
            StoreError::Corrupt(m) => ("Corrupt", json!({ "reason": m })),
            StoreError::Busy(m) => ("Busy", json!({ "reason": m })),
            StoreError::NotOrdoDatabase { path, reason } => ("NotOrdoDatabase", json!({ "path": path, "reason": reason })),
            StoreError::SchemaTooNew { path, found, supported } => {
                ("SchemaTooNew", json!({ "path": path, "found": found, "supported": supported }))
            }
            _ => ("Store", json!({})),
        },
        _ => ("Other", json!({})),
    }
}
