//! Every operation by its vocabulary name, on JSON: named arguments in the form the
//! scenario files use (`tests/scenarios/README.md`), the result's serde form out.
//!
//! This is the cross-language contract in code: the Rust scenario runner and the bindings
//! that cross the boundary as JSON (Node, Swift/Kotlin) call [`execute`], so an operation
//! behaves the same in every language by construction.
//!
//! ```
//! use ordo::{Oms, ops};
//! use serde_json::json;
//! let oms = Oms::in_memory();
//! let channel = ops::execute(&oms, "add_channel", &json!({"channel": {"code": "web", "name": "Web"}}))?;
//! assert_eq!(channel["return_window_days"], 14);
//! let err = ops::execute(&oms, "add_channel", &json!({"channel": {"code": "pos", "nmae": "typo"}})).unwrap_err();
//! assert_eq!(err.code(), "INVALID_INPUT");
//! # Ok::<(), ordo::Error>(())
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{InputError, Result, StoreError};
use crate::{EventId, Oms, OrderQuery, PickedUnits};

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T> {
    let v = args.get(name).unwrap_or(&Value::Null);
    crate::limits::check_json(name, v)?;
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let field = match path.as_str() {
            "." | "" => name.to_owned(),
            p if p.starts_with('[') => format!("{name}{p}"),
            p => format!("{name}.{p}"),
        };
        InputError::new(field, e.into_inner().to_string()).into()
    })
}

fn out<T: Serialize>(r: Result<T>) -> Result<Value> {
    serde_json::to_value(r?).map_err(|e| StoreError::Backend(format!("result does not serialize: {e}")).into())
}

fn with_text(mut v: Value, field: Option<&str>, name: &str, text: String) -> Value {
    let target = match field {
        Some(f) => &mut v[f],
        None => &mut v,
    };
    if let Value::Object(o) = target {
        o.insert(name.to_owned(), Value::String(text));
    }
    v
}

/// Runs the operation `op` with the named arguments `a` (the scenario files' JSON form) on
/// `oms` and returns the result's JSON form. `packing_slip` results also carry their `text`
/// and `html` renderings, `sell_at_counter` and `counter_receipt` receipts their `text`.
///
/// # Errors
/// The operation's errors; `InvalidInput` naming the argument (and the path inside it) for
/// arguments of the wrong shape, and for an unknown operation.
pub fn execute(oms: &Oms, op: &str, a: &Value) -> Result<Value> {
    match op {
        "add_channel" => out(oms.add_channel(arg(a, "channel")?)),
        "update_channel" => out(oms.update_channel(arg(a, "channel")?)),
        "channels" => out(oms.channels()),
        "add_location" => out(oms.add_location(arg(a, "location")?)),
        "set_location_active" => out(oms.set_location_active(arg(a, "location")?, arg(a, "active")?)),
        "locations" => out(oms.locations()),
        "set_backorder_policy" => out(oms.set_backorder_policy(&arg::<String>(a, "sku")?, arg(a, "policy")?)),
        "sku_settings" => out(oms.sku_settings(&arg::<String>(a, "sku")?)),
        "hold_stock" => out(oms.hold_stock(arg(a, "request")?)),
        "stock_hold" => out(oms.stock_hold(&arg::<String>(a, "cart_ref")?)),
        "release_stock_hold" => out(oms.release_stock_hold(&arg::<String>(a, "cart_ref")?)),
        "release_expired_holds" => out(oms.release_expired_holds()),
        "receive_stock" => out(oms.receive_stock(arg(a, "receipt")?)),
        "adjust_stock" => out(oms.adjust_stock(arg(a, "adjustment")?)),
        "transfer_stock" => out(oms.transfer_stock(arg(a, "transfer")?)),
        "set_safety_stock" => out(oms.set_safety_stock(&arg::<String>(a, "sku")?, arg(a, "location")?, arg(a, "units")?)),
        "stock" => out(oms.stock(&arg::<String>(a, "sku")?)),
        "stock_levels" => out(oms.stock_levels(arg(a, "location")?)),
        "available" => out(oms.available(&arg::<String>(a, "sku")?, arg::<Option<String>>(a, "channel")?.as_deref())),
        "movements" => out(oms.movements(arg::<Option<String>>(a, "sku")?.as_deref())),
        "verify_inventory" => out(oms.verify_inventory()),
        "place_order" => out(oms.place_order(arg(a, "order")?)),
        "import_orders" => out(oms.import_orders(arg(a, "orders")?)),
        "get_order" => out(oms.get_order(arg(a, "order")?)),
        "find_order" => out(oms.find_order(&arg::<String>(a, "reference")?)),
        "list_orders" => out(oms.list_orders(&arg::<Option<OrderQuery>>(a, "query")?.unwrap_or_default())),
        "record_payment" => out(oms.record_payment(arg(a, "order")?, arg(a, "payment")?)),
        "validate_order" => out(oms.validate_order(arg(a, "order")?)),
        "hold_order" => out(oms.hold_order(arg(a, "order")?, arg(a, "hold")?)),
        "release_order" => out(oms.release_order(arg(a, "order")?, arg(a, "note")?)),
        "edit_order" => out(oms.edit_order(arg(a, "order")?, arg(a, "changes")?)),
        "cancel_lines" => out(oms.cancel_lines(arg(a, "order")?, arg(a, "lines")?, &arg::<String>(a, "reason")?)),
        "cancel_order" => out(oms.cancel_order(arg(a, "order")?, &arg::<String>(a, "reason")?)),
        "plan_allocation" => out(oms.plan_allocation(arg(a, "order")?)),
        "allocate_order" => out(oms.allocate_order(arg(a, "order")?)),
        "shipments" => out(oms.shipments(arg(a, "order")?)),
        "get_shipment" => out(oms.get_shipment(arg(a, "shipment")?)),
        "confirm_pick" => out(oms.confirm_pick(arg(a, "shipment")?, arg::<Option<Vec<PickedUnits>>>(a, "picked")?.unwrap_or_default())),
        "set_bin" => out(oms.set_bin(&arg::<String>(a, "sku")?, arg(a, "location")?, arg::<Option<String>>(a, "bin")?.as_deref())),
        "create_pick_list" => out(oms.create_pick_list(arg(a, "request")?)),
        "pick_list" => out(oms.pick_list(arg(a, "pick_list")?)),
        "packing_slip" => {
            let slip = oms.packing_slip(arg(a, "shipment")?, &arg::<String>(a, "locale")?)?;
            let (text, html) = (slip.to_text(), slip.to_html());
            let v = out(Ok(slip))?;
            Ok(with_text(with_text(v, None, "text", text), None, "html", html))
        }
        "ready_for_pickup" => out(oms.ready_for_pickup(arg(a, "shipment")?)),
        "hand_over" => out(oms.hand_over(arg(a, "shipment")?)),
        "sell_at_counter" => {
            let sale = oms.sell_at_counter(arg(a, "sale")?)?;
            let text = sale.receipt.to_text();
            Ok(with_text(out(Ok(sale))?, Some("receipt"), "text", text))
        }
        "counter_receipt" => {
            let receipt = oms.counter_receipt(arg(a, "order")?)?;
            let text = receipt.to_text();
            Ok(with_text(out(Ok(receipt))?, None, "text", text))
        }
        "pack_shipment" => out(oms.pack_shipment(arg(a, "shipment")?, arg(a, "packages")?)),
        "ship" => out(oms.ship(arg(a, "shipment")?, arg(a, "input")?)),
        "record_tracking_event" => out(oms.record_tracking_event(arg(a, "event")?)),
        "request_return" => out(oms.request_return(arg(a, "order")?, arg(a, "request")?)),
        "get_return" => out(oms.get_return(arg(a, "return")?)),
        "returns" => out(oms.returns(arg(a, "order")?)),
        "approve_return" => out(oms.approve_return(arg(a, "return")?, arg(a, "label")?)),
        "reject_return" => out(oms.reject_return(arg(a, "return")?, &arg::<String>(a, "reason")?)),
        "cancel_return" => out(oms.cancel_return(arg(a, "return")?, &arg::<String>(a, "reason")?)),
        "receive_return" => out(oms.receive_return(arg(a, "return")?, arg(a, "receipt")?)),
        "inspect_return" => out(oms.inspect_return(arg(a, "return")?, arg(a, "inspections")?)),
        "resolve_return" => out(oms.resolve_return(arg(a, "return")?)),
        "open_claim" => out(oms.open_claim(arg(a, "shipment")?, arg(a, "claim")?)),
        "resolve_claim" => out(oms.resolve_claim(arg(a, "shipment")?, arg(a, "settlement")?)),
        "claims" => out(oms.claims(arg(a, "order")?)),
        "poll_events" => out(oms.poll_events(arg(a, "limit")?)),
        "ack_events" => out(oms.ack_events(&arg::<Vec<EventId>>(a, "ids")?)),
        "timeline" => out(oms.timeline(arg(a, "order")?)),
        "status_message" => out(oms.status_message(arg(a, "order")?, &arg::<String>(a, "locale")?)),
        "exceptions" => out(oms.exceptions()),
        other => Err(InputError::new("op", format!("unknown operation '{other}'")).into()),
    }
}
