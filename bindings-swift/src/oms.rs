//! The `Oms` object and the `ManualClock`.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::{OpError, OrdoError};
use crate::types::*;
use crate::{Timestamp, dispatch};

/// A clock that stands still until moved; pass it to `Oms.inMemory(clock:)`.
#[derive(uniffi::Object)]
pub struct ManualClock {
    inner: ordo::ManualClock,
}

#[uniffi::export]
impl ManualClock {
    /// A clock showing `start`.
    #[uniffi::constructor]
    pub fn new(start: Timestamp) -> Arc<Self> {
        Arc::new(ManualClock { inner: ordo::ManualClock::new(start) })
    }

    /// Moves the time forward (or back, with a negative number) by whole seconds.
    pub fn advance(&self, seconds: i64) {
        self.inner.advance(chrono::Duration::seconds(seconds));
    }

    /// Sets the time.
    pub fn set(&self, to: Timestamp) {
        self.inner.set(to);
    }

    /// The time shown.
    pub fn now(&self) -> Timestamp {
        ordo::Clock::now(&self.inner)
    }
}

/// The order-management system: one facade over a store (in memory or an SQLite file).
/// Thread-safe; every method is synchronous (call it off the main thread in an app).
#[derive(uniffi::Object)]
pub struct Oms {
    inner: ordo::Oms,
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(o.into_iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k, strip_nulls(x))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<Value, OrdoError> {
    serde_json::to_value(v).map(strip_nulls).map_err(|e| OrdoError::internal(format!("input does not serialize: {e}")))
}

fn caught<T>(f: impl FnOnce() -> Result<T, OpError>) -> Result<T, OrdoError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(OrdoError::from),
        Err(p) => {
            let msg = p.downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
            Err(OrdoError::internal(format!("ordo panicked (a bug, please report it): {msg}")))
        }
    }
}

impl Oms {
    fn call(&self, op: &str, args: Value) -> Result<Value, OrdoError> {
        caught(|| dispatch::call(&self.inner, op, &args))
    }

    fn typed<R: DeserializeOwned>(&self, op: &str, args: Value) -> Result<R, OrdoError> {
        let v = self.call(op, args)?;
        serde_json::from_value(v).map_err(|e| OrdoError::internal(format!("{op}: result does not convert: {e}")))
    }
}

#[uniffi::export]
impl Oms {
    /// An OMS over a fresh in-memory store. `clock` controls time (tests); `carriers` maps
    /// a carrier to its tracking URL template (`{tracking}` is replaced); `trackingCodes`
    /// maps a carrier's raw codes to normalized statuses (`"delivered"`, `"in_transit"`, …).
    #[uniffi::constructor(default(clock = None, carriers = None, tracking_codes = None))]
    pub fn in_memory(
        clock: Option<Arc<ManualClock>>,
        carriers: Option<HashMap<String, String>>,
        tracking_codes: Option<HashMap<String, String>>,
    ) -> Result<Arc<Self>, OrdoError> {
        let mut b = ordo::Oms::builder(ordo::MemoryStore::new());
        if let Some(c) = clock {
            b = b.clock(c.inner.clone());
        }
        for (carrier, template) in carriers.unwrap_or_default() {
            b = b.carrier(carrier, template);
        }
        for (code, status) in tracking_codes.unwrap_or_default() {
            let status: ordo::TrackingStatus = serde_json::from_value(Value::String(status))
                .map_err(|e| OrdoError::input(&format!("tracking_codes.{code}"), e.to_string()))?;
            b = b.tracking_code(code, status);
        }
        Ok(Arc::new(Oms { inner: b.build() }))
    }
}

#[uniffi::export]
impl Oms {
    /// An OMS over the ordo database at `path` (one SQLite file, created when missing;
    /// migrations run on open): the offline store of a POS device. Devices checkpoint
    /// often (`SqliteOptions::for_device`: the WAL stays near 1 MiB; `checkpoint_pages`
    /// changes that); `read_only` opens for queries only (so does a file that cannot be
    /// written), and commands then fail with `STORAGE` (`ReadOnly`).
    #[uniffi::constructor(default(durability = None, busy_timeout_ms = None, read_only = false, checkpoint_pages = None))]
    pub fn open(
        path: String,
        durability: Option<Durability>,
        busy_timeout_ms: Option<u32>,
        read_only: bool,
        checkpoint_pages: Option<u32>,
    ) -> Result<Arc<Self>, OrdoError> {
        let mut o = ordo::SqliteOptions::for_device().read_only(read_only);
        if let Some(Durability::Normal) = durability {
            o = o.durability(ordo::Durability::Normal);
        }
        if let Some(ms) = busy_timeout_ms {
            o = o.busy_timeout(Duration::from_millis(u64::from(ms)));
        }
        if let Some(pages) = checkpoint_pages {
            o = o.checkpoint_pages(pages);
        }
        let inner = caught(|| ordo::Oms::open_with(&path, o).map_err(OpError::from))?;
        Ok(Arc::new(Oms { inner }))
    }
}

#[uniffi::export]
impl Oms {
    /// A handle whose commands carry `key`: retrying a command with the same key returns
    /// the first result without doing it again.
    pub fn with_idempotency_key(&self, key: String) -> Arc<Oms> {
        Arc::new(Oms { inner: self.inner.with_idempotency_key(&key) })
    }

    /// Any operation of the vocabulary by its snake_case name, with its named arguments as
    /// a JSON object in the core's JSON form (`{"order": "…uuid…"}`); returns the result's
    /// JSON form. The same contract as `tests/scenarios/`.
    pub fn execute(&self, op: String, args_json: String) -> Result<String, OrdoError> {
        let args: Value = if args_json.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str(&args_json).map_err(|e| {
                // The parser gives up at 128 levels; say what the limit for an argument is
                // (nesting up to there is refused by `ordo::limits`, naming the field).
                let reason = match e.to_string() {
                    r if r.starts_with("recursion limit exceeded") => {
                        format!("nested more than {} levels deep ({r})", ordo::limits::MAX_INPUT_DEPTH)
                    }
                    r => r,
                };
                OrdoError::input("args_json", reason)
            })?
        };
        let v = self.call(&op, args)?;
        Ok(v.to_string())
    }

    /// Adds a sales channel.
    pub fn add_channel(&self, channel: NewChannel) -> Result<Channel, OrdoError> {
        self.typed("add_channel", json!({ "channel": to_json(&channel)? }))
    }

    /// Every channel.
    pub fn channels(&self) -> Result<Vec<Channel>, OrdoError> {
        self.typed("channels", json!({}))
    }

    /// Adds a warehouse or store.
    pub fn add_location(&self, location: NewLocation) -> Result<Location, OrdoError> {
        self.typed("add_location", json!({ "location": to_json(&location)? }))
    }

    /// Every location.
    pub fn locations(&self) -> Result<Vec<Location>, OrdoError> {
        self.typed("locations", json!({}))
    }

    /// Books goods in at a location.
    pub fn receive_stock(&self, receipt: ReceiveStock) -> Result<StockLevel, OrdoError> {
        self.typed("receive_stock", json!({ "receipt": to_json(&receipt)? }))
    }

    /// The SKU's stock at every location.
    pub fn stock(&self, sku: String) -> Result<Vec<StockLevel>, OrdoError> {
        self.typed("stock", json!({ "sku": sku }))
    }

    /// Every stock level, or those of one location.
    #[uniffi::method(default(location = None))]
    pub fn stock_levels(&self, location: Option<Uuid>) -> Result<Vec<StockLevel>, OrdoError> {
        self.typed("stock_levels", json!({ "location": location }))
    }

    /// Units of `sku` that can be promised (to `channel`'s locations, if given).
    #[uniffi::method(default(channel = None))]
    pub fn available(&self, sku: String, channel: Option<String>) -> Result<u64, OrdoError> {
        self.typed("available", json!({ "sku": sku, "channel": channel }))
    }

    /// 1. capture — idempotent per (channel, external reference).
    pub fn place_order(&self, order: NewOrder) -> Result<Order, OrdoError> {
        self.typed("place_order", json!({ "order": to_json(&order)? }))
    }

    /// An order by id.
    pub fn get_order(&self, order: Uuid) -> Result<Order, OrdoError> {
        self.typed("get_order", json!({ "order": order }))
    }

    /// An order by number or `channel/external_ref`.
    pub fn find_order(&self, reference: String) -> Result<Order, OrdoError> {
        self.typed("find_order", json!({ "reference": reference }))
    }

    /// Records a payment event for an order.
    pub fn record_payment(&self, order: Uuid, payment: NewPayment) -> Result<Order, OrdoError> {
        self.typed("record_payment", json!({ "order": order, "payment": to_json(&payment)? }))
    }

    /// 2. validate (or hold with reasons).
    pub fn validate_order(&self, order: Uuid) -> Result<Order, OrdoError> {
        self.typed("validate_order", json!({ "order": order }))
    }

    /// Cancels the whole order.
    pub fn cancel_order(&self, order: Uuid, reason: String) -> Result<Order, OrdoError> {
        self.typed("cancel_order", json!({ "order": order, "reason": reason }))
    }

    /// 3. reserve stock: the order and its shipments.
    pub fn allocate_order(&self, order: Uuid) -> Result<Allocation, OrdoError> {
        self.typed("allocate_order", json!({ "order": order }))
    }

    /// The order's shipments.
    pub fn shipments(&self, order: Uuid) -> Result<Vec<Shipment>, OrdoError> {
        self.typed("shipments", json!({ "order": order }))
    }

    /// A shipment by id.
    pub fn get_shipment(&self, shipment: Uuid) -> Result<Shipment, OrdoError> {
        self.typed("get_shipment", json!({ "shipment": shipment }))
    }

    /// 4. pick: `picked` lists short lines only (empty: everything was found).
    #[uniffi::method(default(picked = []))]
    pub fn confirm_pick(&self, shipment: Uuid, picked: Vec<PickedUnits>) -> Result<Shipment, OrdoError> {
        self.typed("confirm_pick", json!({ "shipment": shipment, "picked": to_json(&picked)? }))
    }

    /// 5. pack.
    pub fn pack_shipment(&self, shipment: Uuid, packages: Vec<NewPackage>) -> Result<Shipment, OrdoError> {
        self.typed("pack_shipment", json!({ "shipment": shipment, "packages": to_json(&packages)? }))
    }

    /// 5. ship: hand to the carrier.
    pub fn ship(&self, shipment: Uuid, input: ShipInput) -> Result<Shipment, OrdoError> {
        self.typed("ship", json!({ "shipment": shipment, "input": to_json(&input)? }))
    }

    /// Pickup orders: packed at the store, waiting for the customer.
    pub fn ready_for_pickup(&self, shipment: Uuid) -> Result<Shipment, OrdoError> {
        self.typed("ready_for_pickup", json!({ "shipment": shipment }))
    }

    /// Pickup orders: handed to the customer at the store.
    pub fn hand_over(&self, shipment: Uuid) -> Result<Shipment, OrdoError> {
        self.typed("hand_over", json!({ "shipment": shipment }))
    }

    /// 6. a carrier event (`"delivered"`, `"in_transit"`, or a configured raw code).
    pub fn record_tracking_event(&self, event: TrackingEventInput) -> Result<Shipment, OrdoError> {
        self.typed("record_tracking_event", json!({ "event": to_json(&event)? }))
    }

    /// A sale at the store's counter: order, shipment (handed over) and receipt at once.
    pub fn sell_at_counter(&self, sale: CounterSale) -> Result<CounterSaleResult, OrdoError> {
        self.typed("sell_at_counter", json!({ "sale": to_json(&sale)? }))
    }

    /// The receipt of a counter sale, again (reprint).
    pub fn counter_receipt(&self, order: Uuid) -> Result<Receipt, OrdoError> {
        self.typed("counter_receipt", json!({ "order": order }))
    }

    /// 7. a return request.
    pub fn request_return(&self, order: Uuid, request: ReturnRequest) -> Result<Return, OrdoError> {
        self.typed("request_return", json!({ "order": order, "request": to_json(&request)? }))
    }

    /// A return by id.
    pub fn get_return(&self, id: Uuid) -> Result<Return, OrdoError> {
        self.typed("get_return", json!({ "return": id }))
    }

    /// The order's returns.
    pub fn returns(&self, order: Uuid) -> Result<Vec<Return>, OrdoError> {
        self.typed("returns", json!({ "order": order }))
    }

    /// Accepts a return (with a label reference, if any).
    #[uniffi::method(default(label = None))]
    pub fn approve_return(&self, id: Uuid, label: Option<String>) -> Result<Return, OrdoError> {
        self.typed("approve_return", json!({ "return": id, "label": label }))
    }

    /// Refuses a return.
    pub fn reject_return(&self, id: Uuid, reason: String) -> Result<Return, OrdoError> {
        self.typed("reject_return", json!({ "return": id, "reason": reason }))
    }

    /// Goods arrived at a location (all announced units, or `lines`).
    pub fn receive_return(&self, id: Uuid, receipt: ReceiveReturn) -> Result<Return, OrdoError> {
        self.typed("receive_return", json!({ "return": id, "receipt": to_json(&receipt)? }))
    }

    /// What happens to each received unit (restock puts it back on the shelf).
    pub fn inspect_return(&self, id: Uuid, inspections: Vec<Inspection>) -> Result<Return, OrdoError> {
        self.typed("inspect_return", json!({ "return": id, "inspections": to_json(&inspections)? }))
    }

    /// Refunds (or credits, exchanges, repairs): the exact share of what was paid.
    pub fn resolve_return(&self, id: Uuid) -> Result<Return, OrdoError> {
        self.typed("resolve_return", json!({ "return": id }))
    }

    /// Changes a channel (same fields as `addChannel`).
    pub fn update_channel(&self, channel: NewChannel) -> Result<Channel, OrdoError> {
        self.typed("update_channel", json!({ "channel": to_json(&channel)? }))
    }

    /// Opens or closes a location for allocation.
    pub fn set_location_active(&self, location: Uuid, active: bool) -> Result<Location, OrdoError> {
        self.typed("set_location_active", json!({ "location": location, "active": active }))
    }

    /// Corrects on-hand units with a reason (count, breakage).
    pub fn adjust_stock(&self, adjustment: AdjustStock) -> Result<StockLevel, OrdoError> {
        self.typed("adjust_stock", json!({ "adjustment": to_json(&adjustment)? }))
    }

    /// Moves available units between locations: `[from level, to level]`.
    pub fn transfer_stock(&self, transfer: TransferStock) -> Result<Vec<StockLevel>, OrdoError> {
        self.typed("transfer_stock", json!({ "transfer": to_json(&transfer)? }))
    }

    /// Units kept back from allocation at a location.
    pub fn set_safety_stock(&self, sku: String, location: Uuid, units: u32) -> Result<StockLevel, OrdoError> {
        self.typed("set_safety_stock", json!({ "sku": sku, "location": location, "units": units }))
    }

    /// The stock ledger (of one SKU, if given).
    #[uniffi::method(default(sku = None))]
    pub fn movements(&self, sku: Option<String>) -> Result<Vec<Movement>, OrdoError> {
        self.typed("movements", json!({ "sku": sku }))
    }

    /// Levels that differ from the ledger (empty when all is well).
    pub fn verify_inventory(&self) -> Result<Vec<InventoryDiscrepancy>, OrdoError> {
        self.typed("verify_inventory", json!({}))
    }

    /// Orders by filter (newest first), paged.
    #[uniffi::method(default(query = None))]
    pub fn list_orders(&self, query: Option<OrderQuery>) -> Result<Vec<Order>, OrdoError> {
        self.typed("list_orders", json!({ "query": to_json(&query.unwrap_or_default())? }))
    }

    /// Holds an order with a reason code.
    pub fn hold_order(&self, order: Uuid, hold: NewHold) -> Result<Order, OrdoError> {
        self.typed("hold_order", json!({ "order": order, "hold": to_json(&hold)? }))
    }

    /// Releases a held order (validation holds are re-validated).
    #[uniffi::method(default(note = None))]
    pub fn release_order(&self, order: Uuid, note: Option<String>) -> Result<Order, OrdoError> {
        self.typed("release_order", json!({ "order": order, "note": note }))
    }

    /// Cancels open, unpicked units of lines.
    pub fn cancel_lines(&self, order: Uuid, lines: Vec<CancelUnits>, reason: String) -> Result<Order, OrdoError> {
        self.typed("cancel_lines", json!({ "order": order, "lines": to_json(&lines)?, "reason": reason }))
    }

    /// The packing slip as data, text and HTML.
    pub fn packing_slip(&self, shipment: Uuid, locale: String) -> Result<PackingSlip, OrdoError> {
        self.typed("packing_slip", json!({ "shipment": shipment, "locale": locale }))
    }

    /// Sets (or clears) the bin of a SKU at a location; returns the bin.
    #[uniffi::method(default(bin = None))]
    pub fn set_bin(&self, sku: String, location: Uuid, bin: Option<String>) -> Result<Option<String>, OrdoError> {
        self.typed("set_bin", json!({ "sku": sku, "location": location, "bin": bin }))
    }

    /// Withdraws a return.
    pub fn cancel_return(&self, id: Uuid, reason: String) -> Result<Return, OrdoError> {
        self.typed("cancel_return", json!({ "return": id, "reason": reason }))
    }

    /// Opens a claim against the carrier for a shipment.
    pub fn open_claim(&self, shipment: Uuid, claim: NewClaim) -> Result<Claim, OrdoError> {
        self.typed("open_claim", json!({ "shipment": shipment, "claim": to_json(&claim)? }))
    }

    /// Settles the shipment's open claim: replacement or refund.
    pub fn resolve_claim(&self, shipment: Uuid, settlement: ClaimSettlement) -> Result<Claim, OrdoError> {
        self.typed("resolve_claim", json!({ "shipment": shipment, "settlement": to_json(&settlement)? }))
    }

    /// The order's claims.
    pub fn claims(&self, order: Uuid) -> Result<Vec<Claim>, OrdoError> {
        self.typed("claims", json!({ "order": order }))
    }

    /// Up to `limit` unacknowledged events of the outbox, oldest first.
    pub fn poll_events(&self, limit: u32) -> Result<Vec<Event>, OrdoError> {
        let v = self.call("poll_events", json!({ "limit": limit }))?;
        let Value::Array(items) = v else { return Err(OrdoError::internal("poll_events: not a list")) };
        items
            .into_iter()
            .map(|e| {
                let h: EventHead = serde_json::from_value(e.clone()).map_err(|x| OrdoError::internal(format!("poll_events: {x}")))?;
                Ok(Event {
                    seq: h.seq,
                    id: h.id,
                    schema: h.schema,
                    at: h.at,
                    order_id: h.order_id,
                    event_type: h.event_type,
                    json: e.to_string(),
                })
            })
            .collect()
    }

    /// Acknowledges delivered events; returns how many were still pending.
    pub fn ack_events(&self, ids: Vec<Uuid>) -> Result<u64, OrdoError> {
        self.typed("ack_events", json!({ "ids": ids }))
    }

    /// Releases checkout holds past their time-to-live; returns how many.
    pub fn release_expired_holds(&self) -> Result<u64, OrdoError> {
        self.typed("release_expired_holds", json!({}))
    }

    /// Reserves stock for a checkout cart for `ttlSeconds`; `placeOrder` with the same
    /// cart reference converts it.
    pub fn hold_stock(&self, request: HoldRequest) -> Result<StockHold, OrdoError> {
        self.typed("hold_stock", json!({ "request": to_json(&request)? }))
    }

    /// A cart's stock hold.
    pub fn stock_hold(&self, cart_ref: String) -> Result<StockHold, OrdoError> {
        self.typed("stock_hold", json!({ "cart_ref": cart_ref }))
    }

    /// Releases a cart's stock hold.
    pub fn release_stock_hold(&self, cart_ref: String) -> Result<StockHold, OrdoError> {
        self.typed("release_stock_hold", json!({ "cart_ref": cart_ref }))
    }

    /// Whether missing units of `sku` may wait for stock (deny, allow, pre-order).
    pub fn set_backorder_policy(&self, sku: String, policy: BackorderPolicy) -> Result<SkuSettings, OrdoError> {
        self.typed("set_backorder_policy", json!({ "sku": sku, "policy": to_json(&policy)? }))
    }

    /// The SKU's settings.
    pub fn sku_settings(&self, sku: String) -> Result<SkuSettings, OrdoError> {
        self.typed("sku_settings", json!({ "sku": sku }))
    }

    /// A pick list over the location's pending shipments (wave picking), sorted by bin.
    pub fn create_pick_list(&self, request: NewPickList) -> Result<PickList, OrdoError> {
        self.typed("create_pick_list", json!({ "request": to_json(&request)? }))
    }

    /// A pick list by id.
    pub fn pick_list(&self, id: Uuid) -> Result<PickList, OrdoError> {
        self.typed("pick_list", json!({ "pick_list": id }))
    }

    /// Places many orders in one transaction; one result per order, in order.
    pub fn import_orders(&self, orders: Vec<NewOrder>) -> Result<Vec<ImportResult>, OrdoError> {
        self.typed("import_orders", json!({ "orders": to_json(&orders)? }))
    }

    /// Changes customer, addresses, delivery method or lines; with `dryRun` only shows
    /// the new totals, the money to collect or refund and the allocation impact.
    pub fn edit_order(&self, order: Uuid, changes: OrderChanges) -> Result<OrderEdit, OrdoError> {
        self.typed("edit_order", json!({ "order": order, "changes": to_json(&changes)? }))
    }

    /// Step 3 as a dry run: what would be reserved where, and why.
    pub fn plan_allocation(&self, order: Uuid) -> Result<AllocationPlan, OrdoError> {
        self.typed("plan_allocation", json!({ "order": order }))
    }

    /// What needs a person's attention (holds, late shipments, returns waiting, …).
    pub fn exceptions(&self) -> Result<Vec<ExceptionItem>, OrdoError> {
        self.typed("exceptions", json!({}))
    }

    /// The order's status for the customer, in `locale` (`"de"`, `"en"`).
    pub fn status_message(&self, order: Uuid, locale: String) -> Result<String, OrdoError> {
        self.typed("status_message", json!({ "order": order, "locale": locale }))
    }

    /// Everything that happened to the order, oldest first.
    pub fn timeline(&self, order: Uuid) -> Result<Vec<TimelineEntry>, OrdoError> {
        self.typed("timeline", json!({ "order": order }))
    }
}
