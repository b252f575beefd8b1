//! `ordo::Error` → the Python exceptions of `ordo.errors`.
//!
//! The classes are defined in Python (`ordo/errors.py`: `OrdoError` and one subclass per
//! stable code); this module builds the `details` dict of a variant's fields and asks
//! `ordo.errors._from_native(code, message, details)` for the exception. A mapping
//! function, not `impl From`, because of the orphan rule.

use ordo::{ConflictError, Error, MoneyError, StoreError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python exception for `e`.
pub fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    make(py, e.code(), &e.to_string(), |d| details(d, e)).unwrap_or_else(|err| err)
}

/// `ordo.OrdoError` with code `INTERNAL`: a bug in ordo or in this binding.
pub fn internal(py: Python<'_>, message: &str) -> PyErr {
    make(py, "INTERNAL", message, |_| Ok(())).unwrap_or_else(|err| err)
}

fn make(py: Python<'_>, code: &str, message: &str, fill: impl FnOnce(&Bound<'_, PyDict>) -> PyResult<()>) -> PyResult<PyErr> {
    let d = PyDict::new(py);
    fill(&d)?;
    let from_native = py.import("ordo.errors").and_then(|m| m.getattr("_from_native"));
    match from_native {
        Ok(f) => Ok(PyErr::from_value(f.call1((code, message, d))?)),
        // Only when the native module is used without its package.
        Err(_) => Ok(PyRuntimeError::new_err(format!("{code}: {message}"))),
    }
}

/// The fields of the variant, plus `variant` where one code covers several variants.
fn details(d: &Bound<'_, PyDict>, e: &Error) -> PyResult<()> {
    match e {
        Error::Input(i) => {
            d.set_item("field", &i.field)?;
            d.set_item("reason", &i.reason)?;
        }
        Error::Money(m) => money(d, m)?,
        Error::InvalidTransition { entity, id, state, command } => {
            d.set_item("entity", *entity)?;
            d.set_item("id", id)?;
            d.set_item("state", state)?;
            d.set_item("command", *command)?;
        }
        Error::NotFound { entity, id } => {
            d.set_item("entity", *entity)?;
            d.set_item("id", id)?;
        }
        Error::Conflict(c) => conflict(d, c)?,
        Error::InsufficientStock { sku, location, requested, available } => {
            d.set_item("sku", sku)?;
            d.set_item("location", location)?;
            d.set_item("requested", requested)?;
            d.set_item("available", available)?;
        }
        Error::ValidationFailed { order_id, reasons } => {
            d.set_item("order_id", order_id)?;
            let list = reasons
                .iter()
                .map(|r| {
                    let item = PyDict::new(d.py());
                    item.set_item("code", r.code.as_str())?;
                    item.set_item("message", &r.message)?;
                    Ok(item)
                })
                .collect::<PyResult<Vec<_>>>()?;
            d.set_item("reasons", list)?;
        }
        Error::ReturnWindowClosed { order_id, sku, closed_at } => {
            d.set_item("order_id", order_id)?;
            d.set_item("sku", sku)?;
            d.set_item("closed_at", *closed_at)?;
        }
        Error::Store(s) => store(d, s)?,
        _ => {}
    }
    Ok(())
}

fn money(d: &Bound<'_, PyDict>, m: &MoneyError) -> PyResult<()> {
    match m {
        MoneyError::UnknownCurrency { code } => {
            d.set_item("variant", "unknown_currency")?;
            d.set_item("code", code)?;
        }
        MoneyError::CurrencyMismatch { expected, found } => {
            d.set_item("variant", "currency_mismatch")?;
            d.set_item("expected", expected)?;
            d.set_item("found", found)?;
        }
        MoneyError::TooPrecise { amount, currency } => {
            d.set_item("variant", "too_precise")?;
            d.set_item("amount", *amount)?;
            d.set_item("currency", currency)?;
        }
        MoneyError::NotADecimal { text } => {
            d.set_item("variant", "not_a_decimal")?;
            d.set_item("text", text)?;
        }
        MoneyError::Negative { field, amount } => {
            d.set_item("variant", "negative")?;
            d.set_item("field", field)?;
            d.set_item("amount", *amount)?;
        }
        MoneyError::OutOfRange { field, currency, max } => {
            d.set_item("variant", "out_of_range")?;
            d.set_item("field", field)?;
            d.set_item("currency", currency)?;
            d.set_item("max", *max)?;
        }
        _ => {}
    }
    Ok(())
}

fn conflict(d: &Bound<'_, PyDict>, c: &ConflictError) -> PyResult<()> {
    match c {
        ConflictError::DuplicateOrder { channel, external_ref, existing } => {
            d.set_item("variant", "duplicate_order")?;
            d.set_item("channel", channel)?;
            d.set_item("external_ref", external_ref)?;
            d.set_item("existing", existing)?;
        }
        ConflictError::IdempotencyKeyReused { key } => {
            d.set_item("variant", "idempotency_key_reused")?;
            d.set_item("key", key)?;
        }
        ConflictError::VersionConflict { entity, id, expected, found } => {
            d.set_item("variant", "version_conflict")?;
            d.set_item("entity", *entity)?;
            d.set_item("id", id)?;
            d.set_item("expected", expected)?;
            d.set_item("found", found)?;
        }
        ConflictError::AlreadyExists { entity, key } => {
            d.set_item("variant", "already_exists")?;
            d.set_item("entity", *entity)?;
            d.set_item("key", key)?;
        }
        ConflictError::Exceeds(reason) => {
            d.set_item("variant", "exceeds")?;
            d.set_item("reason", reason)?;
        }
        _ => {}
    }
    Ok(())
}

fn store(d: &Bound<'_, PyDict>, s: &StoreError) -> PyResult<()> {
    match s {
        StoreError::Backend(reason) => {
            d.set_item("variant", "backend")?;
            d.set_item("reason", reason)?;
        }
        StoreError::Corrupt(reason) => {
            d.set_item("variant", "corrupt")?;
            d.set_item("reason", reason)?;
        }
        StoreError::Busy(reason) => {
            d.set_item("variant", "busy")?;
            d.set_item("reason", reason)?;
        }
        StoreError::NotOrdoDatabase { path, reason } => {
            d.set_item("variant", "not_ordo_database")?;
            d.set_item("path", path)?;
            d.set_item("reason", reason)?;
        }
        StoreError::SchemaTooNew { path, found, supported } => {
            d.set_item("variant", "schema_too_new")?;
            d.set_item("path", path)?;
            d.set_item("found", found)?;
            d.set_item("supported", supported)?;
        }
        StoreError::ReadOnly { path, reason } => {
            d.set_item("variant", "read_only")?;
            d.set_item("path", path)?;
            d.set_item("reason", reason)?;
        }
        StoreError::DiskFull(reason) => {
            d.set_item("variant", "disk_full")?;
            d.set_item("reason", reason)?;
        }
        _ => {}
    }
    Ok(())
}
