//! The facade: [`Oms`], its builder, and the command pipeline.
//!
//! Every method of [`Oms`] is a command or a query. A command runs in one store
//! transaction: it loads what it needs, applies the domain rules, and stores the changed
//! aggregates together with the events it produced — all or nothing. An error leaves the
//! store exactly as it was.
//!
//! ```
//! use ordo::{Oms, NewChannel, NewLocation};
//! let oms = Oms::in_memory();
//! oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
//! let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap();
//! oms.receive_stock(ordo::ReceiveStock::new("SKU-1", nord.id, 10)).unwrap();
//! assert_eq!(oms.available("SKU-1", None).unwrap(), 10);
//! ```

mod allocation;
mod claims;
mod context;
mod counter;
mod edit;
mod fulfillment;
mod holds;
pub(crate) mod import;
mod inventory;
#[cfg(feature = "sqlite")]
mod open;
mod orders;
mod picking;
mod queries;
mod returns;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use allocation::Allocation;
pub use claims::ClaimSettlement;
pub use counter::{CounterPayment, CounterSale, CounterSaleResult};
pub use edit::{CancelUnits, LineChange, OrderChanges, OrderEdit};
pub use fulfillment::{PickedUnits, ShipInput, TrackingEventInput};
pub use holds::{HoldRequest, MAX_HOLD_TTL_SECONDS};
pub use inventory::{AdjustStock, ReceiveStock, TransferStock};
pub use orders::NewHold;
pub use queries::{ExceptionItem, ExceptionKind, TimelineEntry};
pub use returns::{ReceiveReturn, ReturnRequest, ReturnUnits};

use self::context::Ctx;
use crate::clock::{Clock, SystemClock};
use crate::error::{ConflictError, Error, Result, StoreError};
use crate::shipment::TrackingStatus;
use crate::store::{IdempotencyRecord, MemoryStore, Store};
use crate::validation::{AddressValidator, AvailabilityValidator, PaymentValidator, Validator};

/// How many times a command is tried again after a version conflict.
const CONFLICT_RETRIES: usize = 3;

struct Inner {
    store: Box<dyn Store>,
    clock: Arc<dyn Clock>,
    validators: Vec<Arc<dyn Validator>>,
    carriers: HashMap<String, String>,
    tracking_codes: HashMap<String, TrackingStatus>,
    order_number_offset: u64,
    order_number_prefix: String,
    backorder_alert_after: chrono::Duration,
}

/// The order-management system: one handle for every command and query.
///
/// `Oms` is `Send + Sync` and cheap to clone (clones share the store); use one per
/// database from as many threads as you like.
#[derive(Clone)]
pub struct Oms {
    inner: Arc<Inner>,
    idempotency_key: Option<String>,
}

impl std::fmt::Debug for Oms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oms").field("idempotency_key", &self.idempotency_key).finish_non_exhaustive()
    }
}

/// Configures an [`Oms`].
pub struct OmsBuilder {
    store: Box<dyn Store>,
    clock: Arc<dyn Clock>,
    validators: Vec<Arc<dyn Validator>>,
    carriers: HashMap<String, String>,
    tracking_codes: HashMap<String, TrackingStatus>,
    order_number_offset: u64,
    order_number_prefix: String,
    backorder_alert_after: chrono::Duration,
}

impl OmsBuilder {
    /// A builder over `store` with the system clock and the built-in validators.
    pub fn new(store: impl Store + 'static) -> Self {
        OmsBuilder {
            store: Box::new(store),
            clock: Arc::new(SystemClock),
            validators: vec![Arc::new(AddressValidator), Arc::new(PaymentValidator), Arc::new(AvailabilityValidator)],
            carriers: HashMap::new(),
            tracking_codes: HashMap::new(),
            order_number_offset: 1000,
            order_number_prefix: String::new(),
            backorder_alert_after: chrono::Duration::days(7),
        }
    }

    /// Uses `clock` for every timestamp (e.g. a [`ManualClock`](crate::ManualClock) in tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Adds a validator run by `validate_order` after the built-in ones.
    #[must_use]
    pub fn validator(mut self, v: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(v));
        self
    }

    /// Removes every validator, built-in ones included (add your own afterwards).
    #[must_use]
    pub fn without_validators(mut self) -> Self {
        self.validators.clear();
        self
    }

    /// Tracking page template of a carrier; `{tracking}` is replaced by the tracking
    /// number, e.g. `("DHL", "https://track.example/{tracking}")`.
    #[must_use]
    pub fn carrier(mut self, carrier: impl Into<String>, url_template: impl Into<String>) -> Self {
        self.carriers.insert(carrier.into(), url_template.into());
        self
    }

    /// Maps a carrier's raw status code to a normalized status (the normalized names,
    /// such as `"delivered"`, are always understood).
    #[must_use]
    pub fn tracking_code(mut self, code: impl Into<String>, status: TrackingStatus) -> Self {
        self.tracking_codes.insert(code.into(), status);
        self
    }

    /// Order numbers start after `offset` (default 1000, so the first is `"1001"`) and
    /// carry `prefix`.
    #[must_use]
    pub fn order_numbers(mut self, prefix: impl Into<String>, offset: u64) -> Self {
        self.order_number_prefix = prefix.into();
        self.order_number_offset = offset;
        self
    }

    /// Backorders waiting longer than `after` (default 7 days) appear in
    /// [`Oms::exceptions`].
    #[must_use]
    pub fn backorder_alert_after(mut self, after: chrono::Duration) -> Self {
        self.backorder_alert_after = after;
        self
    }

    /// Builds the [`Oms`].
    #[must_use]
    pub fn build(self) -> Oms {
        Oms {
            inner: Arc::new(Inner {
                store: self.store,
                clock: self.clock,
                validators: self.validators,
                carriers: self.carriers,
                tracking_codes: self.tracking_codes,
                order_number_offset: self.order_number_offset,
                order_number_prefix: self.order_number_prefix,
                backorder_alert_after: self.backorder_alert_after,
            }),
            idempotency_key: None,
        }
    }
}

impl Oms {
    /// An OMS over a fresh in-memory store.
    #[must_use]
    pub fn in_memory() -> Self {
        OmsBuilder::new(MemoryStore::new()).build()
    }

    /// A builder to configure store, clock, validators and carriers.
    pub fn builder(store: impl Store + 'static) -> OmsBuilder {
        OmsBuilder::new(store)
    }

    /// A handle whose next commands carry `key`: retrying a command with the same key
    /// returns the first result without doing it again; the same key with a different
    /// command or input is a [`ConflictError::IdempotencyKeyReused`].
    ///
    /// ```
    /// # use ordo::*;
    /// let oms = Oms::in_memory();
    /// let a = oms.with_idempotency_key("add-web").add_channel(NewChannel::new("web", "Web")).unwrap();
    /// let b = oms.with_idempotency_key("add-web").add_channel(NewChannel::new("web", "Web")).unwrap();
    /// assert_eq!(a, b);
    /// let err = oms.with_idempotency_key("add-web").add_channel(NewChannel::new("pos", "POS")).unwrap_err();
    /// assert_eq!(err.code(), "CONFLICT");
    /// ```
    #[must_use]
    pub fn with_idempotency_key(&self, key: impl Into<String>) -> Oms {
        Oms { inner: Arc::clone(&self.inner), idempotency_key: Some(key.into()) }
    }

    /// The current time of the configured clock.
    #[must_use]
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    /// Runs a command in one transaction (see the module docs), with idempotency.
    fn command<I, R>(&self, name: &'static str, input: &I, f: impl Fn(&mut Ctx<'_>) -> Result<R>) -> Result<R>
    where
        I: Serialize + ?Sized,
        R: Serialize + DeserializeOwned,
    {
        crate::limits::check_input(name, input)?;
        let fingerprint = match &self.idempotency_key {
            Some(_) => Some(fingerprint(name, input)?),
            None => None,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_command(name, input, fingerprint, &f) {
                Err(Error::Conflict(ConflictError::VersionConflict { .. })) if attempt <= CONFLICT_RETRIES => continue,
                other => return other,
            }
        }
    }

    fn try_command<I, R>(
        &self,
        name: &'static str,
        input: &I,
        fingerprint: Option<u64>,
        f: &impl Fn(&mut Ctx<'_>) -> Result<R>,
    ) -> Result<R>
    where
        I: Serialize + ?Sized,
        R: Serialize + DeserializeOwned,
    {
        let mut ctx = Ctx::new(self.inner.store.begin()?, self.inner.clock.now());
        if let (Some(key), Some(fp)) = (&self.idempotency_key, fingerprint)
            && let Some(rec) = ctx.tx.idempotency(key)?
        {
            if rec.command != name || !crate::fingerprint::matches(name, input, fp, rec.fingerprint) {
                return Err(ConflictError::IdempotencyKeyReused { key: key.clone() }.into());
            }
            return serde_json::from_str(&rec.result)
                .map_err(|e| StoreError::Corrupt(format!("idempotency result of '{key}': {e}")).into());
        }
        let result = f(&mut ctx)?;
        if let (Some(key), Some(fp)) = (&self.idempotency_key, fingerprint) {
            let json = serde_json::to_string(&result).map_err(|e| StoreError::Backend(e.to_string()))?;
            ctx.tx.put_idempotency(&IdempotencyRecord {
                key: key.clone(),
                command: name.to_owned(),
                fingerprint: fp,
                result: json,
                at: ctx.now,
            })?;
        }
        ctx.finish()?;
        Ok(result)
    }

    /// Runs a read-only query in one transaction (rolled back at the end).
    fn query<R>(&self, f: impl FnOnce(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        let mut ctx = Ctx::new(self.inner.store.begin_read()?, self.inner.clock.now());
        f(&mut ctx)
    }
}

fn fingerprint<I: Serialize + ?Sized>(name: &str, input: &I) -> Result<u64> {
    crate::fingerprint::fingerprint(name, input).map_err(|e| StoreError::Backend(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oms_is_send_sync_and_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Oms>();
    }
}
