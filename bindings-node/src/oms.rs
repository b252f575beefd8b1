//! The `Oms` class: one native handle over `ordo::Oms`, every operation a Promise.

use std::collections::BTreeMap;
use std::time::Duration;

use napi::bindgen_prelude::{AsyncTask, ClassInstance, FromNapiValue, Object};
use napi::{Env, ScopedTask, Unknown, ValueType};
use ordo::{Durability, SqliteOptions, TrackingStatus};

use crate::clock::ManualClock;
use crate::convert::{from_js_free_form, js_string};
use crate::error::OpError;
use crate::task::Call;

/// The order-management system: one handle for every command and query.
///
/// Every operation that touches the store returns a Promise and runs on the libuv thread
/// pool, so the event loop stays free. Handles are cheap; `withIdempotencyKey` returns a
/// new one sharing the same store.
#[napi]
pub struct Oms {
    inner: ordo::Oms,
}

/// An option present and neither `undefined` nor `null`.
fn present<'env>(obj: &Object<'env>, name: &str) -> napi::Result<Option<Unknown<'env>>> {
    let v: Option<Unknown<'env>> = obj.get(name)?;
    Ok(v.filter(|u| !matches!(u.get_type(), Ok(ValueType::Undefined | ValueType::Null))))
}

/// A malformed option (`INVALID_INPUT` naming `options.<field>`).
fn bad_option(field: &str, reason: impl Into<String>) -> OpError {
    OpError::Argument { type_error: false, field: format!("options.{field}"), reason: reason.into() }
}

/// An option as the type `T` of its JSON form; `field` names it in errors. Keys are the
/// user's (carrier names, carrier codes) and stay as they are.
fn option<T: serde::de::DeserializeOwned>(value: Unknown<'_>, field: &str) -> Result<T, OpError> {
    let json = from_js_free_form(value, &format!("options.{field}"))?;
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() { field.to_owned() } else { format!("{field}.{path}") };
        bad_option(&field, e.into_inner().to_string())
    })
}

/// The builder of `Oms.inMemory` with its options applied.
fn in_memory_builder(options: Option<Object<'_>>) -> Result<ordo::OmsBuilder, OpError> {
    let mut b = ordo::Oms::builder(ordo::MemoryStore::new());
    let Some(o) = options else { return Ok(b) };
    let get = |name: &str| present(&o, name).map_err(|e| bad_option(name, e.reason));
    if let Some(c) = get("clock")? {
        let clock = ClassInstance::<ManualClock>::from_unknown(c).map_err(|e| bad_option("clock", e.reason))?;
        b = b.clock(clock.inner.clone());
    }
    if let Some(c) = get("carriers")? {
        let carriers: BTreeMap<String, String> = option(c, "carriers")?;
        for (carrier, template) in carriers {
            b = b.carrier(carrier, template);
        }
    }
    if let Some(c) = get("trackingCodes")? {
        let codes: BTreeMap<String, TrackingStatus> = option(c, "trackingCodes")?;
        for (code, status) in codes {
            b = b.tracking_code(code, status);
        }
    }
    if let Some(n) = get("orderNumbers")? {
        let numbers: OrderNumbers = option(n, "orderNumbers")?;
        b = b.order_numbers(numbers.prefix.unwrap_or_default(), numbers.offset.unwrap_or(1000));
    }
    Ok(b)
}

/// `options.orderNumbers` of `Oms.inMemory`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderNumbers {
    prefix: Option<String>,
    offset: Option<u64>,
}

/// The SQLite options of `Oms.open`.
fn sqlite_options(options: Option<Object<'_>>) -> Result<SqliteOptions, OpError> {
    let mut s = SqliteOptions::default();
    let Some(o) = options else { return Ok(s) };
    let get = |name: &str| present(&o, name).map_err(|e| bad_option(name, e.reason));
    if let Some(d) = get("durability")? {
        match js_string(d, "options.durability")?.as_str() {
            "full" => {}
            "normal" => s = s.durability(Durability::Normal),
            other => return Err(bad_option("durability", format!("expected 'full' or 'normal', got '{other}'"))),
        }
    }
    if let Some(ms) = get("busyTimeoutMs")? {
        let ms: u32 = option(ms, "busyTimeoutMs")?;
        s = s.busy_timeout(Duration::from_millis(u64::from(ms)));
    }
    if let Some(v) = get("readOnly")? {
        s = s.read_only(option(v, "readOnly")?);
    }
    if let Some(v) = get("checkpointPages")? {
        s = s.checkpoint_pages(option(v, "checkpointPages")?);
    }
    Ok(s)
}

#[napi]
impl Oms {
    /// An OMS over a fresh in-memory store. `options.clock` (a `ManualClock`) controls
    /// time in tests; `carriers` maps a carrier to its tracking URL template
    /// (`{tracking}` is replaced); `trackingCodes` maps a carrier's raw codes to
    /// normalized statuses; `orderNumbers` sets the prefix and offset of order numbers.
    #[napi(factory, catch_unwind, ts_args_type = "options?: InMemoryOptions")]
    pub fn in_memory(env: Env, options: Option<Object<'_>>) -> napi::Result<Oms> {
        match in_memory_builder(options) {
            Ok(b) => Ok(Oms { inner: b.build() }),
            Err(e) => Err(e.into_napi(&env)),
        }
    }

    /// An OMS over the ordo database at `path` (one SQLite file in WAL mode, created when
    /// missing; migrations run on open). `durability`: `'full'` (default; survives power
    /// loss) or `'normal'` (survives a crashed process, several times faster).
    #[napi(catch_unwind, ts_args_type = "path: string, options?: OpenOptions", ts_return_type = "Promise<Oms>")]
    pub fn open(path: Unknown<'_>, options: Option<Object<'_>>) -> AsyncTask<Open> {
        let opened = js_string(path, "path").and_then(|path| Ok((path, sqlite_options(options)?)));
        AsyncTask::new(Open { opened: Some(opened) })
    }

    /// A handle whose commands carry `key`: retrying a command with the same key returns
    /// the first result without doing it again; the same key with a different command or
    /// input rejects with `CONFLICT`.
    #[napi(catch_unwind, ts_args_type = "key: string")]
    pub fn with_idempotency_key(&self, env: Env, key: Unknown<'_>) -> napi::Result<Oms> {
        match js_string(key, "key") {
            Ok(key) => Ok(Oms { inner: self.inner.with_idempotency_key(key) }),
            Err(e) => Err(e.into_napi(&env)),
        }
    }

    /// The current time of the OMS's clock.
    #[napi(catch_unwind)]
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.now()
    }

    /// Adds a sales channel.
    #[napi(catch_unwind, ts_args_type = "channel: NewChannel", ts_return_type = "Promise<Channel>")]
    pub fn add_channel(&self, channel: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "add_channel", vec![("channel", Some(channel))])
    }

    /// Replaces a channel's settings (by code).
    #[napi(catch_unwind, ts_args_type = "channel: NewChannel", ts_return_type = "Promise<Channel>")]
    pub fn update_channel(&self, channel: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "update_channel", vec![("channel", Some(channel))])
    }

    /// Every channel.
    #[napi(catch_unwind, ts_args_type = "", ts_return_type = "Promise<Array<Channel>>")]
    pub fn channels(&self) -> AsyncTask<Call> {
        Call::queue(&self.inner, "channels", vec![])
    }

    /// Adds a warehouse or store.
    #[napi(catch_unwind, ts_args_type = "location: NewLocation", ts_return_type = "Promise<Location>")]
    pub fn add_location(&self, location: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "add_location", vec![("location", Some(location))])
    }

    /// Activates or deactivates a location.
    #[napi(catch_unwind, ts_args_type = "location: Id, active: boolean", ts_return_type = "Promise<Location>")]
    pub fn set_location_active(&self, location: Unknown<'_>, active: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "set_location_active", vec![("location", Some(location)), ("active", Some(active))])
    }

    /// Every location.
    #[napi(catch_unwind, ts_args_type = "", ts_return_type = "Promise<Array<Location>>")]
    pub fn locations(&self) -> AsyncTask<Call> {
        Call::queue(&self.inner, "locations", vec![])
    }

    /// Sets a SKU's backorder policy (deny, allow, preorder).
    #[napi(catch_unwind, ts_args_type = "sku: string, policy: BackorderPolicy", ts_return_type = "Promise<SkuSettings>")]
    pub fn set_backorder_policy(&self, sku: Unknown<'_>, policy: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "set_backorder_policy", vec![("sku", Some(sku)), ("policy", Some(policy))])
    }

    /// A SKU's settings.
    #[napi(catch_unwind, ts_args_type = "sku: string", ts_return_type = "Promise<SkuSettings>")]
    pub fn sku_settings(&self, sku: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "sku_settings", vec![("sku", Some(sku))])
    }

    /// Holds stock for a cart at checkout, with a time-to-live.
    #[napi(catch_unwind, ts_args_type = "request: HoldRequest", ts_return_type = "Promise<StockHold>")]
    pub fn hold_stock(&self, request: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "hold_stock", vec![("request", Some(request))])
    }

    /// The checkout hold of a cart.
    #[napi(catch_unwind, ts_args_type = "cartRef: string", ts_return_type = "Promise<StockHold>")]
    pub fn stock_hold(&self, cart_ref: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "stock_hold", vec![("cart_ref", Some(cart_ref))])
    }

    /// Releases a cart's checkout hold.
    #[napi(catch_unwind, ts_args_type = "cartRef: string", ts_return_type = "Promise<StockHold>")]
    pub fn release_stock_hold(&self, cart_ref: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "release_stock_hold", vec![("cart_ref", Some(cart_ref))])
    }

    /// Releases every expired checkout hold; returns how many.
    #[napi(catch_unwind, ts_args_type = "", ts_return_type = "Promise<number>")]
    pub fn release_expired_holds(&self) -> AsyncTask<Call> {
        Call::queue(&self.inner, "release_expired_holds", vec![])
    }

    /// Books goods received (fills backorders oldest first).
    #[napi(catch_unwind, ts_args_type = "receipt: ReceiveStock", ts_return_type = "Promise<StockLevel>")]
    pub fn receive_stock(&self, receipt: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "receive_stock", vec![("receipt", Some(receipt))])
    }

    /// Corrects stock on hand by a delta (count, damage).
    #[napi(catch_unwind, ts_args_type = "adjustment: AdjustStock", ts_return_type = "Promise<StockLevel>")]
    pub fn adjust_stock(&self, adjustment: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "adjust_stock", vec![("adjustment", Some(adjustment))])
    }

    /// Moves stock between locations; returns the two levels (from, to).
    #[napi(catch_unwind, ts_args_type = "transfer: TransferStock", ts_return_type = "Promise<[StockLevel, StockLevel]>")]
    pub fn transfer_stock(&self, transfer: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "transfer_stock", vec![("transfer", Some(transfer))])
    }

    /// Units at a location never sold.
    #[napi(catch_unwind, ts_args_type = "sku: string, location: Id, units: number", ts_return_type = "Promise<StockLevel>")]
    pub fn set_safety_stock(&self, sku: Unknown<'_>, location: Unknown<'_>, units: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "set_safety_stock", vec![("sku", Some(sku)), ("location", Some(location)), ("units", Some(units))])
    }

    /// A SKU's levels per location.
    #[napi(catch_unwind, ts_args_type = "sku: string", ts_return_type = "Promise<Array<StockLevel>>")]
    pub fn stock(&self, sku: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "stock", vec![("sku", Some(sku))])
    }

    /// Every stock level, or only those of one location.
    #[napi(catch_unwind, ts_args_type = "location?: Id", ts_return_type = "Promise<Array<StockLevel>>")]
    pub fn stock_levels(&self, location: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "stock_levels", vec![("location", location)])
    }

    /// Units of a SKU available to a channel (or the whole network).
    #[napi(catch_unwind, ts_args_type = "sku: string, channel?: string", ts_return_type = "Promise<number>")]
    pub fn available(&self, sku: Unknown<'_>, channel: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "available", vec![("sku", Some(sku)), ("channel", channel)])
    }

    /// The stock ledger (of one SKU, or all).
    #[napi(catch_unwind, ts_args_type = "sku?: string", ts_return_type = "Promise<Array<Movement>>")]
    pub fn movements(&self, sku: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "movements", vec![("sku", sku)])
    }

    /// Rebuilds every level from the ledger; returns the discrepancies (none when sound).
    #[napi(catch_unwind, ts_args_type = "", ts_return_type = "Promise<Array<InventoryDiscrepancy>>")]
    pub fn verify_inventory(&self) -> AsyncTask<Call> {
        Call::queue(&self.inner, "verify_inventory", vec![])
    }

    /// Step 1: captures an order (idempotent by channel and external reference).
    #[napi(catch_unwind, ts_args_type = "order: NewOrder", ts_return_type = "Promise<Order>")]
    pub fn place_order(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "place_order", vec![("order", Some(order))])
    }

    /// Bulk placement in one transaction, with a result per order.
    #[napi(catch_unwind, ts_args_type = "orders: Array<NewOrder>", ts_return_type = "Promise<Array<ImportResult>>")]
    pub fn import_orders(&self, orders: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "import_orders", vec![("orders", Some(orders))])
    }

    /// An order by id.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Order>")]
    pub fn get_order(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "get_order", vec![("order", Some(order))])
    }

    /// An order by number or `channel/externalRef`.
    #[napi(catch_unwind, ts_args_type = "reference: string", ts_return_type = "Promise<Order>")]
    pub fn find_order(&self, reference: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "find_order", vec![("reference", Some(reference))])
    }

    /// Orders by state and channel, paged.
    #[napi(catch_unwind, ts_args_type = "query?: OrderQuery", ts_return_type = "Promise<Array<Order>>")]
    pub fn list_orders(&self, query: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "list_orders", vec![("query", query)])
    }

    /// Records a payment report (authorized, captured, voided, failed, refunded, charged back).
    #[napi(catch_unwind, ts_args_type = "order: Id, payment: NewPayment", ts_return_type = "Promise<Order>")]
    pub fn record_payment(&self, order: Unknown<'_>, payment: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "record_payment", vec![("order", Some(order)), ("payment", Some(payment))])
    }

    /// Step 2: validates (address, payment, availability); holds with reasons when it fails.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Order>")]
    pub fn validate_order(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "validate_order", vec![("order", Some(order))])
    }

    /// Puts an order on hold with a reason code.
    #[napi(catch_unwind, ts_args_type = "order: Id, hold: NewHold", ts_return_type = "Promise<Order>")]
    pub fn hold_order(&self, order: Unknown<'_>, hold: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "hold_order", vec![("order", Some(order)), ("hold", Some(hold))])
    }

    /// Releases a hold (validation holds are re-validated).
    #[napi(catch_unwind, ts_args_type = "order: Id, note?: string", ts_return_type = "Promise<Order>")]
    pub fn release_order(&self, order: Unknown<'_>, note: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "release_order", vec![("order", Some(order)), ("note", note)])
    }

    /// Edits an order: customer, addresses, delivery method, lines (add, set quantity,
    /// remove); reservations are released and re-allocated in one transaction. With
    /// `dryRun: true` nothing is stored and the outcome (money to collect or refund) is
    /// returned.
    #[napi(catch_unwind, ts_args_type = "order: Id, changes: OrderChanges", ts_return_type = "Promise<OrderEdit>")]
    pub fn edit_order(&self, order: Unknown<'_>, changes: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "edit_order", vec![("order", Some(order)), ("changes", Some(changes))])
    }

    /// Cancels open (unpicked) units of lines; the order goes on with the rest.
    #[napi(catch_unwind, ts_args_type = "order: Id, lines: Array<CancelUnits>, reason: string", ts_return_type = "Promise<Order>")]
    pub fn cancel_lines(&self, order: Unknown<'_>, lines: Unknown<'_>, reason: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "cancel_lines", vec![("order", Some(order)), ("lines", Some(lines)), ("reason", Some(reason))])
    }

    /// Cancels before shipping; releases reservations.
    #[napi(catch_unwind, ts_args_type = "order: Id, reason: string", ts_return_type = "Promise<Order>")]
    pub fn cancel_order(&self, order: Unknown<'_>, reason: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "cancel_order", vec![("order", Some(order)), ("reason", Some(reason))])
    }

    /// Dry run of the allocation, with its explanation.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<AllocationPlan>")]
    pub fn plan_allocation(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "plan_allocation", vec![("order", Some(order))])
    }

    /// Step 3: reserves stock by the channel's strategy; one shipment per location.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Allocation>")]
    pub fn allocate_order(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "allocate_order", vec![("order", Some(order))])
    }

    /// An order's shipments.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Array<Shipment>>")]
    pub fn shipments(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "shipments", vec![("order", Some(order))])
    }

    /// A shipment by id.
    #[napi(catch_unwind, ts_args_type = "shipment: Id", ts_return_type = "Promise<Shipment>")]
    pub fn get_shipment(&self, shipment: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "get_shipment", vec![("shipment", Some(shipment))])
    }

    /// Sets (or clears) the bin of a SKU at a location; returns the previous bin.
    #[napi(catch_unwind, ts_args_type = "sku: string, location: Id, bin?: string", ts_return_type = "Promise<string | null>")]
    pub fn set_bin(&self, sku: Unknown<'_>, location: Unknown<'_>, bin: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "set_bin", vec![("sku", Some(sku)), ("location", Some(location)), ("bin", bin)])
    }

    /// Step 4: a wave pick list across the pending shipments of a location.
    #[napi(catch_unwind, ts_args_type = "request: NewPickList", ts_return_type = "Promise<PickList>")]
    pub fn create_pick_list(&self, request: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "create_pick_list", vec![("request", Some(request))])
    }

    /// A pick list by id.
    #[napi(catch_unwind, ts_args_type = "pickList: Id", ts_return_type = "Promise<PickList>")]
    pub fn pick_list(&self, pick_list: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "pick_list", vec![("pick_list", Some(pick_list))])
    }

    /// Step 4: confirms the pick; list only short lines (units actually picked).
    #[napi(catch_unwind, ts_args_type = "shipment: Id, picked?: Array<PickedUnits>", ts_return_type = "Promise<Shipment>")]
    pub fn confirm_pick(&self, shipment: Unknown<'_>, picked: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "confirm_pick", vec![("shipment", Some(shipment)), ("picked", picked)])
    }

    /// Step 5: records the packages.
    #[napi(catch_unwind, ts_args_type = "shipment: Id, packages: Array<Package>", ts_return_type = "Promise<Shipment>")]
    pub fn pack_shipment(&self, shipment: Unknown<'_>, packages: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "pack_shipment", vec![("shipment", Some(shipment)), ("packages", Some(packages))])
    }

    /// The packing slip as data, with its `text` and `html` renderings.
    #[napi(catch_unwind, ts_args_type = "shipment: Id, locale: string", ts_return_type = "Promise<PackingSlipDocument>")]
    pub fn packing_slip(&self, shipment: Unknown<'_>, locale: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "packing_slip", vec![("shipment", Some(shipment)), ("locale", Some(locale))])
    }

    /// Step 5: hands the shipment to a carrier with a tracking number.
    #[napi(catch_unwind, ts_args_type = "shipment: Id, input: ShipInput", ts_return_type = "Promise<Shipment>")]
    pub fn ship(&self, shipment: Unknown<'_>, input: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "ship", vec![("shipment", Some(shipment)), ("input", Some(input))])
    }

    /// Pickup in store: packed and waiting; the customer is told.
    #[napi(catch_unwind, ts_args_type = "shipment: Id", ts_return_type = "Promise<Shipment>")]
    pub fn ready_for_pickup(&self, shipment: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "ready_for_pickup", vec![("shipment", Some(shipment))])
    }

    /// Pickup in store: the customer collected the goods.
    #[napi(catch_unwind, ts_args_type = "shipment: Id", ts_return_type = "Promise<Shipment>")]
    pub fn hand_over(&self, shipment: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "hand_over", vec![("shipment", Some(shipment))])
    }

    /// Point of sale: placed, paid, taken from the store and handed over in one step; the receipt carries its `text`.
    #[napi(catch_unwind, ts_args_type = "sale: CounterSale", ts_return_type = "Promise<CounterSaleResult>")]
    pub fn sell_at_counter(&self, sale: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "sell_at_counter", vec![("sale", Some(sale))])
    }

    /// The receipt of a counter sale, with its `text`.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<ReceiptDocument>")]
    pub fn counter_receipt(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "counter_receipt", vec![("order", Some(order))])
    }

    /// Step 6: a carrier event (in transit, delivered, failed, lost, …).
    #[napi(catch_unwind, ts_args_type = "event: TrackingEventInput", ts_return_type = "Promise<Shipment>")]
    pub fn record_tracking_event(&self, event: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "record_tracking_event", vec![("event", Some(event))])
    }

    /// Step 7: requests a return (checks the return window).
    #[napi(catch_unwind, ts_args_type = "order: Id, request: ReturnRequest", ts_return_type = "Promise<Return>")]
    pub fn request_return(&self, order: Unknown<'_>, request: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "request_return", vec![("order", Some(order)), ("request", Some(request))])
    }

    /// A return by id.
    #[napi(catch_unwind, ts_args_type = "ret: Id", ts_return_type = "Promise<Return>")]
    pub fn get_return(&self, ret: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "get_return", vec![("return", Some(ret))])
    }

    /// An order's returns.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Array<Return>>")]
    pub fn returns(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "returns", vec![("order", Some(order))])
    }

    /// Approves a return, optionally with a label reference.
    #[napi(catch_unwind, ts_args_type = "ret: Id, label?: string", ts_return_type = "Promise<Return>")]
    pub fn approve_return(&self, ret: Unknown<'_>, label: Option<Unknown<'_>>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "approve_return", vec![("return", Some(ret)), ("label", label)])
    }

    /// Rejects a return.
    #[napi(catch_unwind, ts_args_type = "ret: Id, reason: string", ts_return_type = "Promise<Return>")]
    pub fn reject_return(&self, ret: Unknown<'_>, reason: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "reject_return", vec![("return", Some(ret)), ("reason", Some(reason))])
    }

    /// Withdraws a return.
    #[napi(catch_unwind, ts_args_type = "ret: Id, reason: string", ts_return_type = "Promise<Return>")]
    pub fn cancel_return(&self, ret: Unknown<'_>, reason: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "cancel_return", vec![("return", Some(ret)), ("reason", Some(reason))])
    }

    /// Books returned goods received at a location.
    #[napi(catch_unwind, ts_args_type = "ret: Id, receipt: ReceiveReturn", ts_return_type = "Promise<Return>")]
    pub fn receive_return(&self, ret: Unknown<'_>, receipt: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "receive_return", vec![("return", Some(ret)), ("receipt", Some(receipt))])
    }

    /// Decides restock or write-off per line.
    #[napi(catch_unwind, ts_args_type = "ret: Id, inspections: Array<Inspection>", ts_return_type = "Promise<Return>")]
    pub fn inspect_return(&self, ret: Unknown<'_>, inspections: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "inspect_return", vec![("return", Some(ret)), ("inspections", Some(inspections))])
    }

    /// Refunds or credits the exact share paid.
    #[napi(catch_unwind, ts_args_type = "ret: Id", ts_return_type = "Promise<Return>")]
    pub fn resolve_return(&self, ret: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "resolve_return", vec![("return", Some(ret))])
    }

    /// Opens a claim with the carrier for a lost or damaged parcel (or a wrong or missing
    /// item).
    #[napi(catch_unwind, ts_args_type = "shipment: Id, claim: NewClaim", ts_return_type = "Promise<Claim>")]
    pub fn open_claim(&self, shipment: Unknown<'_>, claim: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "open_claim", vec![("shipment", Some(shipment)), ("claim", Some(claim))])
    }

    /// Settles a shipment's claim with a replacement order or a refund.
    #[napi(catch_unwind, ts_args_type = "shipment: Id, settlement: ClaimSettlement", ts_return_type = "Promise<Claim>")]
    pub fn resolve_claim(&self, shipment: Unknown<'_>, settlement: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "resolve_claim", vec![("shipment", Some(shipment)), ("settlement", Some(settlement))])
    }

    /// An order's claims.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Array<Claim>>")]
    pub fn claims(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "claims", vec![("order", Some(order))])
    }

    /// Unacknowledged outbox events, oldest first.
    #[napi(catch_unwind, ts_args_type = "limit: number", ts_return_type = "Promise<Array<OrdoEvent>>")]
    pub fn poll_events(&self, limit: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "poll_events", vec![("limit", Some(limit))])
    }

    /// Acknowledges outbox events; returns how many.
    #[napi(catch_unwind, ts_args_type = "ids: Array<Id>", ts_return_type = "Promise<number>")]
    pub fn ack_events(&self, ids: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "ack_events", vec![("ids", Some(ids))])
    }

    /// An order's history.
    #[napi(catch_unwind, ts_args_type = "order: Id", ts_return_type = "Promise<Array<TimelineEntry>>")]
    pub fn timeline(&self, order: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "timeline", vec![("order", Some(order))])
    }

    /// A sentence for the customer about the order (`'de'` or `'en'`).
    #[napi(catch_unwind, ts_args_type = "order: Id, locale: string", ts_return_type = "Promise<string>")]
    pub fn status_message(&self, order: Unknown<'_>, locale: Unknown<'_>) -> AsyncTask<Call> {
        Call::queue(&self.inner, "status_message", vec![("order", Some(order)), ("locale", Some(locale))])
    }

    /// Held orders, delivery problems and returns awaiting inspection.
    #[napi(catch_unwind, ts_args_type = "", ts_return_type = "Promise<Array<ExceptionItem>>")]
    pub fn exceptions(&self) -> AsyncTask<Call> {
        Call::queue(&self.inner, "exceptions", vec![])
    }
}

/// Opening an SQLite database off the event loop.
pub struct Open {
    /// The path and options, or why they were refused.
    opened: Option<Result<(String, SqliteOptions), OpError>>,
}

impl<'task> ScopedTask<'task> for Open {
    type Output = Result<ordo::Oms, OpError>;
    type JsValue = Oms;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let opened = self.opened.take().unwrap_or_else(|| Err(OpError::Panic("task computed twice".to_owned())));
        Ok(opened.and_then(|(path, o)| {
            std::panic::catch_unwind(move || ordo::Oms::open_with(&path, o).map_err(OpError::Core))
                .unwrap_or_else(|p| Err(OpError::from_panic(&*p)))
        }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Oms> {
        match output {
            Ok(inner) => Ok(Oms { inner }),
            Err(e) => Err(e.into_napi(env)),
        }
    }
}
