//! The native `Oms`: one method per operation of the vocabulary.
//!
//! Every method takes Python data already normalised by `ordo/_convert.py` (ids as UUID
//! strings, amounts as decimal strings, timestamps as RFC 3339 UTC strings), converts it
//! to the core's input type (a mismatch is `InvalidInput` naming the argument), runs the
//! core with the GIL released, and returns the result's serde form as Python data.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ordo::{Durability, OmsBuilder, SqliteOptions, SqliteStore, Store, TrackingStatus};
use pyo3::prelude::*;
use pyo3::types::PyString;
use serde_json::Value;

use crate::clock::ManualClock;
use crate::convert::{Refused, arg, call, decode, json_arg, opt_arg, opt_text, run, text, to_py};

/// The order-management system (`ordo.Oms` wraps it). Safe to share between threads: the
/// GIL is released while the core works.
#[pyclass(frozen, module = "ordo._ordo")]
pub struct Oms {
    inner: ordo::Oms,
}

/// Options shared by `in_memory` and `open`.
fn build(
    store: impl Store + 'static,
    clock: Option<PyRef<'_, ManualClock>>,
    carriers: Option<&Bound<'_, PyAny>>,
    tracking_codes: Option<&Bound<'_, PyAny>>,
    order_numbers: Option<&Bound<'_, PyAny>>,
) -> PyResult<Oms> {
    let mut b = OmsBuilder::new(store);
    if let Some(c) = clock {
        b = b.clock(c.inner.clone());
    }
    let carriers: Option<BTreeMap<String, String>> = opt_arg(carriers, "carriers")?;
    for (carrier, template) in carriers.unwrap_or_default() {
        b = b.carrier(carrier, template);
    }
    let codes: Option<BTreeMap<String, TrackingStatus>> = opt_arg(tracking_codes, "tracking_codes")?;
    for (code, status) in codes.unwrap_or_default() {
        b = b.tracking_code(code, status);
    }
    let order_numbers: Option<(String, u64)> = opt_arg(order_numbers, "order_numbers")?;
    if let Some((prefix, offset)) = order_numbers {
        b = b.order_numbers(prefix, offset);
    }
    Ok(Oms { inner: b.build() })
}

/// A result with a `text` (and `html`) rendering added to its serde form.
fn with_renderings(mut v: Value, at: Option<&str>, text: String, html: Option<String>) -> Value {
    let target = match at {
        Some(key) => &mut v[key],
        None => &mut v,
    };
    if let Value::Object(o) = target {
        o.insert("text".into(), Value::String(text));
        if let Some(h) = html {
            o.insert("html".into(), Value::String(h));
        }
    }
    v
}

fn json<T: serde::Serialize>(v: &T) -> ordo::Result<Value> {
    serde_json::to_value(v).map_err(|e| ordo::StoreError::Backend(format!("cannot serialize a result: {e}")).into())
}

#[pymethods]
impl Oms {
    /// An OMS over a fresh in-memory store.
    #[staticmethod]
    #[pyo3(signature = (clock=None, carriers=None, tracking_codes=None, order_numbers=None))]
    fn in_memory(
        clock: Option<PyRef<'_, ManualClock>>,
        carriers: Option<&Bound<'_, PyAny>>,
        tracking_codes: Option<&Bound<'_, PyAny>>,
        order_numbers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        build(ordo::MemoryStore::new(), clock, carriers, tracking_codes, order_numbers)
    }

    /// An OMS over the SQLite database at `path` (created when missing).
    #[staticmethod]
    #[pyo3(signature = (path, durability=None, busy_timeout_ms=None, clock=None, carriers=None, tracking_codes=None, order_numbers=None, read_only=None, checkpoint_pages=None))]
    #[allow(clippy::too_many_arguments)]
    fn open(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        durability: Option<&Bound<'_, PyAny>>,
        busy_timeout_ms: Option<&Bound<'_, PyAny>>,
        clock: Option<PyRef<'_, ManualClock>>,
        carriers: Option<&Bound<'_, PyAny>>,
        tracking_codes: Option<&Bound<'_, PyAny>>,
        order_numbers: Option<&Bound<'_, PyAny>>,
        read_only: Option<&Bound<'_, PyAny>>,
        checkpoint_pages: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // A `str` path must be valid Unicode; `bytes` and path-like objects are the file
        // system's own business.
        let path: PathBuf = match path.cast::<PyString>() {
            Ok(_) => PathBuf::from(text(path, "path")?),
            Err(_) => path.extract()?,
        };
        let busy_timeout_ms: Option<u64> = opt_arg(busy_timeout_ms, "busy_timeout_ms")?;
        let durability = match opt_text(durability, "durability")?.as_deref().unwrap_or("full") {
            "full" => Durability::Full,
            "normal" => Durability::Normal,
            other => {
                let e = ordo::InputError::new("durability", format!("must be \"full\" or \"normal\", got \"{other}\""));
                return Err(crate::errors::to_py_err(py, &e.into()));
            }
        };
        let read_only: Option<bool> = opt_arg(read_only, "read_only")?;
        let checkpoint_pages: Option<u32> = opt_arg(checkpoint_pages, "checkpoint_pages")?;
        let mut options = SqliteOptions::default().durability(durability).read_only(read_only.unwrap_or(false));
        if let Some(ms) = busy_timeout_ms {
            options = options.busy_timeout(Duration::from_millis(ms));
        }
        if let Some(pages) = checkpoint_pages {
            options = options.checkpoint_pages(pages);
        }
        let store = run(py, move || SqliteStore::open(path, options))?;
        build(store, clock, carriers, tracking_codes, order_numbers)
    }

    /// A handle whose commands carry the idempotency `key`.
    fn with_idempotency_key(&self, key: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Oms { inner: self.inner.with_idempotency_key(text(key, "key")?) })
    }

    /// The current time of the configured clock.
    fn now(&self) -> DateTime<Utc> {
        self.inner.now()
    }

    // --- channels, locations, SKU settings -------------------------------------------

    fn add_channel(&self, py: Python<'_>, channel: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let channel = arg(channel, "channel")?;
        call(py, || self.inner.add_channel(channel))
    }

    fn update_channel(&self, py: Python<'_>, channel: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let channel = arg(channel, "channel")?;
        call(py, || self.inner.update_channel(channel))
    }

    fn channels(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call(py, || self.inner.channels())
    }

    fn add_location(&self, py: Python<'_>, location: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let location = arg(location, "location")?;
        call(py, || self.inner.add_location(location))
    }

    fn set_location_active(&self, py: Python<'_>, location: &Bound<'_, PyAny>, active: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (location, active) = (arg(location, "location")?, arg(active, "active")?);
        call(py, || self.inner.set_location_active(location, active))
    }

    fn locations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call(py, || self.inner.locations())
    }

    fn set_backorder_policy(&self, py: Python<'_>, sku: &Bound<'_, PyAny>, policy: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        let policy = arg(policy, "policy")?;
        call(py, || self.inner.set_backorder_policy(&sku, policy))
    }

    fn sku_settings(&self, py: Python<'_>, sku: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        call(py, || self.inner.sku_settings(&sku))
    }

    // --- stock -----------------------------------------------------------------------

    fn hold_stock(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let request = arg(request, "request")?;
        call(py, || self.inner.hold_stock(request))
    }

    fn stock_hold(&self, py: Python<'_>, cart_ref: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let cart_ref = text(cart_ref, "cart_ref")?;
        call(py, || self.inner.stock_hold(&cart_ref))
    }

    fn release_stock_hold(&self, py: Python<'_>, cart_ref: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let cart_ref = text(cart_ref, "cart_ref")?;
        call(py, || self.inner.release_stock_hold(&cart_ref))
    }

    fn release_expired_holds(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call(py, || self.inner.release_expired_holds())
    }

    fn receive_stock(&self, py: Python<'_>, receipt: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let receipt = arg(receipt, "receipt")?;
        call(py, || self.inner.receive_stock(receipt))
    }

    fn adjust_stock(&self, py: Python<'_>, adjustment: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let adjustment = arg(adjustment, "adjustment")?;
        call(py, || self.inner.adjust_stock(adjustment))
    }

    fn transfer_stock(&self, py: Python<'_>, transfer: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let transfer = arg(transfer, "transfer")?;
        call(py, || self.inner.transfer_stock(transfer))
    }

    fn set_safety_stock(
        &self,
        py: Python<'_>,
        sku: &Bound<'_, PyAny>,
        location: &Bound<'_, PyAny>,
        units: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        let location = arg(location, "location")?;
        let units = arg(units, "units")?;
        call(py, || self.inner.set_safety_stock(&sku, location, units))
    }

    fn stock(&self, py: Python<'_>, sku: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        call(py, || self.inner.stock(&sku))
    }

    #[pyo3(signature = (location=None))]
    fn stock_levels(&self, py: Python<'_>, location: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let location = match location {
            Some(l) => Some(arg(l, "location")?),
            None => None,
        };
        call(py, || self.inner.stock_levels(location))
    }

    #[pyo3(signature = (sku, channel=None))]
    fn available(&self, py: Python<'_>, sku: &Bound<'_, PyAny>, channel: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        let channel = opt_text(channel, "channel")?;
        call(py, || self.inner.available(&sku, channel.as_deref()))
    }

    #[pyo3(signature = (sku=None))]
    fn movements(&self, py: Python<'_>, sku: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let sku = opt_text(sku, "sku")?;
        call(py, || self.inner.movements(sku.as_deref()))
    }

    fn verify_inventory(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call(py, || self.inner.verify_inventory())
    }

    // --- orders ----------------------------------------------------------------------

    fn place_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.place_order(order))
    }

    /// Places many orders in one transaction, one result per item in input order. An item
    /// whose shape does not fit (a data script's broken row) gets a `failed` result with
    /// code `INVALID_INPUT` instead of aborting the batch.
    fn import_orders(&self, py: Python<'_>, orders: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let mut good: Vec<ordo::NewOrder> = Vec::new();
        let mut slots: Vec<Result<usize, String>> = Vec::new();
        for (i, item) in orders.try_iter()?.enumerate() {
            let name = format!("orders[{i}]");
            let decoded = match json_arg(&item?, &name) {
                Ok(json) => decode::<ordo::NewOrder>(json, &name),
                Err(Refused::Input(e)) => Err(e),
                Err(Refused::Py(e)) => return Err(e),
            };
            match decoded {
                Ok(o) => {
                    slots.push(Ok(good.len()));
                    good.push(o);
                }
                Err(e) => slots.push(Err(e.to_string())),
            }
        }
        let v = run(py, move || {
            let results = self.inner.import_orders(good)?;
            slots
                .into_iter()
                .map(|slot| match slot {
                    Ok(j) => results
                        .get(j)
                        .ok_or_else(|| ordo::StoreError::Backend("import returned fewer results than orders".into()).into())
                        .and_then(json),
                    Err(message) => Ok(serde_json::json!({"status": "failed", "code": "INVALID_INPUT", "message": message})),
                })
                .collect::<ordo::Result<Vec<Value>>>()
        })?;
        to_py(py, &v)
    }

    fn get_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.get_order(order))
    }

    fn find_order(&self, py: Python<'_>, reference: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let reference = text(reference, "reference")?;
        call(py, || self.inner.find_order(&reference))
    }

    #[pyo3(signature = (query=None))]
    fn list_orders(&self, py: Python<'_>, query: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let query: Option<ordo::OrderQuery> = opt_arg(query, "query")?;
        let query = query.unwrap_or_default();
        call(py, || self.inner.list_orders(&query))
    }

    fn record_payment(&self, py: Python<'_>, order: &Bound<'_, PyAny>, payment: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (order, payment) = (arg(order, "order")?, arg(payment, "payment")?);
        call(py, || self.inner.record_payment(order, payment))
    }

    fn validate_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.validate_order(order))
    }

    fn hold_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>, hold: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (order, hold) = (arg(order, "order")?, arg(hold, "hold")?);
        call(py, || self.inner.hold_order(order, hold))
    }

    #[pyo3(signature = (order, note=None))]
    fn release_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>, note: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let note = opt_text(note, "note")?;
        let order = arg(order, "order")?;
        call(py, || self.inner.release_order(order, note))
    }

    fn edit_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>, changes: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (order, changes) = (arg(order, "order")?, arg(changes, "changes")?);
        call(py, || self.inner.edit_order(order, changes))
    }

    fn cancel_lines(
        &self,
        py: Python<'_>,
        order: &Bound<'_, PyAny>,
        lines: &Bound<'_, PyAny>,
        reason: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let reason = text(reason, "reason")?;
        let (order, lines) = (arg(order, "order")?, arg(lines, "lines")?);
        call(py, || self.inner.cancel_lines(order, lines, &reason))
    }

    fn cancel_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>, reason: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let reason = text(reason, "reason")?;
        let order = arg(order, "order")?;
        call(py, || self.inner.cancel_order(order, &reason))
    }

    // --- allocation and fulfillment --------------------------------------------------

    fn plan_allocation(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.plan_allocation(order))
    }

    fn allocate_order(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.allocate_order(order))
    }

    fn shipments(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.shipments(order))
    }

    fn get_shipment(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let shipment = arg(shipment, "shipment")?;
        call(py, || self.inner.get_shipment(shipment))
    }

    #[pyo3(signature = (sku, location, bin=None))]
    fn set_bin(
        &self,
        py: Python<'_>,
        sku: &Bound<'_, PyAny>,
        location: &Bound<'_, PyAny>,
        bin: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let sku = text(sku, "sku")?;
        let bin = opt_text(bin, "bin")?;
        let location = arg(location, "location")?;
        call(py, || self.inner.set_bin(&sku, location, bin.as_deref()))
    }

    fn create_pick_list(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let request = arg(request, "request")?;
        call(py, || self.inner.create_pick_list(request))
    }

    fn pick_list(&self, py: Python<'_>, pick_list: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = arg(pick_list, "pick_list")?;
        call(py, || self.inner.pick_list(id))
    }

    #[pyo3(signature = (shipment, picked=None))]
    fn confirm_pick(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, picked: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let shipment = arg(shipment, "shipment")?;
        let picked: Option<Vec<ordo::PickedUnits>> = opt_arg(picked, "picked")?;
        call(py, || self.inner.confirm_pick(shipment, picked.unwrap_or_default()))
    }

    fn pack_shipment(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, packages: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (shipment, packages) = (arg(shipment, "shipment")?, arg(packages, "packages")?);
        call(py, || self.inner.pack_shipment(shipment, packages))
    }

    /// The packing slip's data plus its `text` and `html` renderings.
    fn packing_slip(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, locale: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let locale = text(locale, "locale")?;
        let shipment = arg(shipment, "shipment")?;
        let v = run(py, || {
            let slip = self.inner.packing_slip(shipment, &locale)?;
            Ok(with_renderings(json(&slip)?, None, slip.to_text(), Some(slip.to_html())))
        })?;
        to_py(py, &v)
    }

    fn ship(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (shipment, input) = (arg(shipment, "shipment")?, arg(input, "input")?);
        call(py, || self.inner.ship(shipment, input))
    }

    fn ready_for_pickup(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let shipment = arg(shipment, "shipment")?;
        call(py, || self.inner.ready_for_pickup(shipment))
    }

    fn hand_over(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let shipment = arg(shipment, "shipment")?;
        call(py, || self.inner.hand_over(shipment))
    }

    /// `{order, shipment, receipt}`, the receipt with its `text` rendering.
    fn sell_at_counter(&self, py: Python<'_>, sale: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let sale = arg(sale, "sale")?;
        let v = run(py, || {
            let sale = self.inner.sell_at_counter(sale)?;
            Ok(with_renderings(json(&sale)?, Some("receipt"), sale.receipt.to_text(), None))
        })?;
        to_py(py, &v)
    }

    /// The receipt of a counter sale, with its `text` rendering.
    fn counter_receipt(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        let v = run(py, || {
            let receipt = self.inner.counter_receipt(order)?;
            Ok(with_renderings(json(&receipt)?, None, receipt.to_text(), None))
        })?;
        to_py(py, &v)
    }

    fn record_tracking_event(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let event = arg(event, "event")?;
        call(py, || self.inner.record_tracking_event(event))
    }

    // --- returns ---------------------------------------------------------------------

    fn request_return(&self, py: Python<'_>, order: &Bound<'_, PyAny>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (order, request) = (arg(order, "order")?, arg(request, "request")?);
        call(py, || self.inner.request_return(order, request))
    }

    fn get_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = arg(return_, "return")?;
        call(py, || self.inner.get_return(id))
    }

    fn returns(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.returns(order))
    }

    #[pyo3(signature = (return_, label=None))]
    fn approve_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>, label: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let label = opt_text(label, "label")?;
        let id = arg(return_, "return")?;
        call(py, || self.inner.approve_return(id, label))
    }

    fn reject_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>, reason: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let reason = text(reason, "reason")?;
        let id = arg(return_, "return")?;
        call(py, || self.inner.reject_return(id, &reason))
    }

    fn cancel_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>, reason: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let reason = text(reason, "reason")?;
        let id = arg(return_, "return")?;
        call(py, || self.inner.cancel_return(id, &reason))
    }

    fn receive_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>, receipt: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (id, receipt) = (arg(return_, "return")?, arg(receipt, "receipt")?);
        call(py, || self.inner.receive_return(id, receipt))
    }

    fn inspect_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>, inspections: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (id, inspections) = (arg(return_, "return")?, arg(inspections, "inspections")?);
        call(py, || self.inner.inspect_return(id, inspections))
    }

    fn resolve_return(&self, py: Python<'_>, return_: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = arg(return_, "return")?;
        call(py, || self.inner.resolve_return(id))
    }

    // --- claims ----------------------------------------------------------------------

    fn open_claim(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, claim: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (shipment, claim) = (arg(shipment, "shipment")?, arg(claim, "claim")?);
        call(py, || self.inner.open_claim(shipment, claim))
    }

    fn resolve_claim(&self, py: Python<'_>, shipment: &Bound<'_, PyAny>, settlement: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (shipment, settlement) = (arg(shipment, "shipment")?, arg(settlement, "settlement")?);
        call(py, || self.inner.resolve_claim(shipment, settlement))
    }

    fn claims(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.claims(order))
    }

    // --- events and queries ----------------------------------------------------------

    fn poll_events(&self, py: Python<'_>, limit: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let limit = arg(limit, "limit")?;
        call(py, || self.inner.poll_events(limit))
    }

    fn ack_events(&self, py: Python<'_>, ids: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let ids: Vec<ordo::EventId> = arg(ids, "ids")?;
        call(py, || self.inner.ack_events(&ids))
    }

    fn timeline(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let order = arg(order, "order")?;
        call(py, || self.inner.timeline(order))
    }

    fn status_message(&self, py: Python<'_>, order: &Bound<'_, PyAny>, locale: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let locale = text(locale, "locale")?;
        let order = arg(order, "order")?;
        call(py, || self.inner.status_message(order, &locale))
    }

    fn exceptions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call(py, || self.inner.exceptions())
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}
