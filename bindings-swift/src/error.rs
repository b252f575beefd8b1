//! `OrdoError`: every failure as one error enum (Swift `throws`, Kotlin exceptions).
//!
//! The case is the core's stable code (`InsufficientStock` for `INSUFFICIENT_STOCK`, …);
//! each carries that `code`, a human-readable `reason` and `details`, a JSON object with
//! the variant's data (`{"variant": "InsufficientStock", "sku": …, "requested": …}`).
//! A panic inside ordo becomes `Internal` instead of crossing the FFI.

use serde_json::Value;

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
    e.variant_and_details()
}
