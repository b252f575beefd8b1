//! Errors.
//!
//! Every fallible operation returns [`Error`]. Each variant names what was wrong, with the
//! ids and values a person needs to act on it, and has a stable [`Error::code`]
//! (`"INSUFFICIENT_STOCK"`, `"INVALID_TRANSITION"`, …) that the bindings expose unchanged
//! (Python exception classes, JS `error.code`, Swift/Kotlin error cases). A command that
//! fails stores nothing.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::validation::HoldReason;

/// The result type of ordo's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error an ordo operation can return.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of the input is missing, malformed or out of range.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A money amount or currency is invalid, or currencies are mixed.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// The command is not allowed in the current state of the entity.
    #[error("cannot {command} {entity} {id}: it is {state}")]
    InvalidTransition {
        /// Kind of entity (`"order"`, `"shipment"`, `"return"`).
        entity: &'static str,
        /// Its id.
        id: String,
        /// The state it is in.
        state: String,
        /// The command that was refused.
        command: &'static str,
    },
    /// A referenced entity does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of entity (`"order"`, `"location"`, `"sku"`, …).
        entity: &'static str,
        /// The id or key that was looked up.
        id: String,
    },
    /// The command conflicts with what is already stored.
    #[error(transparent)]
    Conflict(#[from] ConflictError),
    /// Not enough stock is available for the requested quantity.
    #[error("insufficient stock of {sku}{}: requested {requested}, available {available}", location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default())]
    InsufficientStock {
        /// The SKU.
        sku: String,
        /// The location, when the request was for one location.
        location: Option<String>,
        /// Quantity requested.
        requested: u32,
        /// Quantity available.
        available: u32,
    },
    /// The order did not pass validation (see the reasons).
    #[error("order {order_id} failed validation: {}", reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))]
    ValidationFailed {
        /// The order.
        order_id: String,
        /// Why it failed, machine-readable and human-readable.
        reasons: Vec<HoldReason>,
    },
    /// A return was requested after the channel's return window closed.
    #[error("the return window for {sku} of order {order_id} closed at {closed_at}")]
    ReturnWindowClosed {
        /// The order.
        order_id: String,
        /// The SKU of the line.
        sku: String,
        /// When the window closed.
        closed_at: chrono::DateTime<chrono::Utc>,
    },
    /// The storage backend failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stable, language-neutral error kinds (the `code` of every binding's error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Input`].
    InvalidInput,
    /// [`MoneyError::UnknownCurrency`].
    UnknownCurrency,
    /// [`MoneyError::CurrencyMismatch`].
    CurrencyMismatch,
    /// Other [`Error::Money`] errors.
    InvalidAmount,
    /// [`Error::InvalidTransition`].
    InvalidTransition,
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::Conflict`].
    Conflict,
    /// [`Error::InsufficientStock`].
    InsufficientStock,
    /// [`Error::ValidationFailed`].
    ValidationFailed,
    /// [`Error::ReturnWindowClosed`].
    ReturnWindowClosed,
    /// [`Error::Store`].
    Storage,
}

impl ErrorKind {
    /// The stable code, e.g. `"INSUFFICIENT_STOCK"`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "INVALID_INPUT",
            ErrorKind::UnknownCurrency => "UNKNOWN_CURRENCY",
            ErrorKind::CurrencyMismatch => "CURRENCY_MISMATCH",
            ErrorKind::InvalidAmount => "INVALID_AMOUNT",
            ErrorKind::InvalidTransition => "INVALID_TRANSITION",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::Conflict => "CONFLICT",
            ErrorKind::InsufficientStock => "INSUFFICIENT_STOCK",
            ErrorKind::ValidationFailed => "VALIDATION_FAILED",
            ErrorKind::ReturnWindowClosed => "RETURN_WINDOW_CLOSED",
            ErrorKind::Storage => "STORAGE",
        }
    }
}

impl Error {
    /// The kind of error, stable across languages.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input(_) => ErrorKind::InvalidInput,
            Error::Money(MoneyError::UnknownCurrency { .. }) => ErrorKind::UnknownCurrency,
            Error::Money(MoneyError::CurrencyMismatch { .. }) => ErrorKind::CurrencyMismatch,
            Error::Money(_) => ErrorKind::InvalidAmount,
            Error::InvalidTransition { .. } => ErrorKind::InvalidTransition,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::InsufficientStock { .. } => ErrorKind::InsufficientStock,
            Error::ValidationFailed { .. } => ErrorKind::ValidationFailed,
            Error::ReturnWindowClosed { .. } => ErrorKind::ReturnWindowClosed,
            Error::Store(_) => ErrorKind::Storage,
        }
    }

    /// Shorthand for [`ErrorKind::code`] of [`Error::kind`].
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The exact case (e.g. `"DuplicateOrder"`) and its fields as JSON — what the bindings
    /// attach to their errors next to [`Error::code`].
    #[must_use]
    pub fn variant_and_details(&self) -> (&'static str, serde_json::Value) {
        use Error as E;
        use serde_json::json;
        match self {
            E::Input(i) => ("Input", json!({ "field": i.field, "reason": i.reason })),
            E::Money(m) => match m {
                MoneyError::UnknownCurrency { code } => ("UnknownCurrency", json!({ "currency": code })),
                MoneyError::CurrencyMismatch { expected, found } => ("CurrencyMismatch", json!({ "expected": expected, "found": found })),
                MoneyError::TooPrecise { amount, currency } => {
                    ("TooPrecise", json!({ "amount": amount.to_string(), "currency": currency }))
                }
                MoneyError::NotADecimal { text } => ("NotADecimal", json!({ "text": text })),
                MoneyError::Negative { field, amount } => ("Negative", json!({ "field": field, "amount": amount.to_string() })),
                MoneyError::OutOfRange { field, currency, max } => {
                    ("OutOfRange", json!({ "field": field, "currency": currency, "max": max.to_string() }))
                }
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
                StoreError::ReadOnly { path, reason } => ("ReadOnly", json!({ "path": path, "reason": reason })),
                StoreError::DiskFull(m) => ("DiskFull", json!({ "reason": m })),
            },
        }
    }

    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound { entity, id: id.to_string() }
    }

    pub(crate) fn transition(entity: &'static str, id: impl ToString, state: impl std::fmt::Debug, command: &'static str) -> Self {
        Error::InvalidTransition { entity, id: id.to_string(), state: crate::util::snake_case(&format!("{state:?}")), command }
    }
}

/// A field of the input is missing, malformed or out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {reason}")]
pub struct InputError {
    /// Path of the offending field, e.g. `lines[1].quantity`.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

impl InputError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        InputError { field: field.into(), reason: reason.into() }
    }
}

/// Errors about money and currencies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Not an active ISO 4217 currency code.
    #[error("unknown currency '{code}'")]
    UnknownCurrency {
        /// The code given.
        code: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: expected {expected}, found {found}")]
    CurrencyMismatch {
        /// The currency expected (the order's).
        expected: String,
        /// The currency found.
        found: String,
    },
    /// The amount has more decimals than the currency's minor units.
    #[error("{amount} has more decimals than {currency} allows")]
    TooPrecise {
        /// The amount given.
        amount: Decimal,
        /// The currency.
        currency: String,
    },
    /// The text is not a plain finite decimal.
    #[error("'{text}' is not a decimal number")]
    NotADecimal {
        /// The text given.
        text: String,
    },
    /// The amount must not be negative here.
    #[error("{field} must not be negative, got {amount}")]
    Negative {
        /// Which amount.
        field: String,
        /// The amount given.
        amount: Decimal,
    },
    /// The amount (given, or computed from the input) is larger than any amount ordo
    /// accepts ([`MAX_AMOUNT_MINOR_UNITS`](crate::limits::MAX_AMOUNT_MINOR_UNITS)).
    #[error("{field} is out of range: amounts are at most {max} {currency}")]
    OutOfRange {
        /// Which amount (a field, or the computation that exceeded the range).
        field: String,
        /// The currency.
        currency: String,
        /// The largest amount in that currency.
        max: Decimal,
    },
}

/// The command conflicts with stored state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConflictError {
    /// An order with this channel and external reference exists with different content.
    #[error("order {external_ref} of channel {channel} already exists with different content (order {existing})")]
    DuplicateOrder {
        /// The channel.
        channel: String,
        /// The external reference.
        external_ref: String,
        /// The existing order's id.
        existing: String,
    },
    /// The idempotency key was used before with a different command or payload.
    #[error("idempotency key '{key}' was already used for a different request")]
    IdempotencyKeyReused {
        /// The key.
        key: String,
    },
    /// The entity was changed by someone else since it was read.
    #[error("{entity} {id} was changed concurrently (expected version {expected}, found {found})")]
    VersionConflict {
        /// Kind of entity.
        entity: &'static str,
        /// Its id.
        id: String,
        /// Version the writer expected.
        expected: u64,
        /// Version stored.
        found: u64,
    },
    /// A unique key (code, number, …) is already taken.
    #[error("{entity} '{key}' already exists")]
    AlreadyExists {
        /// Kind of entity.
        entity: &'static str,
        /// The key.
        key: String,
    },
    /// The request would exceed an amount or quantity already accounted for.
    #[error("{0}")]
    Exceeds(String),
}

/// A storage backend failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend reported an error.
    #[error("storage backend error: {0}")]
    Backend(String),
    /// Stored data could not be decoded.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database stayed locked by another connection or process for longer than the
    /// store's busy timeout; nothing of the command was stored.
    #[error("database busy: {0}")]
    Busy(String),
    /// The file is not an ordo database (not SQLite at all, or another application's
    /// database). It was refused and left untouched.
    #[error("{path} is not an ordo database: {reason}")]
    NotOrdoDatabase {
        /// The file.
        path: String,
        /// What gave it away.
        reason: String,
    },
    /// The database was written by a newer version of ordo (a schema this version does
    /// not know). It was refused and left untouched.
    #[error("{path} has schema version {found}, but this version of ordo knows only up to {supported}: upgrade ordo to open it")]
    SchemaTooNew {
        /// The file.
        path: String,
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this build knows.
        supported: i64,
    },
    /// The database can only be read: it was opened read-only
    /// ([`SqliteOptions::read_only`](crate::SqliteOptions::read_only)), or its file or
    /// folder cannot be written (file permissions, a read-only mount). Queries work; this
    /// command stored nothing.
    #[error("{path} is read-only: {reason}")]
    ReadOnly {
        /// The file.
        path: String,
        /// Why it cannot be written.
        reason: String,
    },
    /// The disk (or the file system's quota) is full. The command stored nothing; every
    /// command acknowledged before is kept, and writes succeed again once space is free.
    #[error("the disk is full: {0}")]
    DiskFull(String),
}
