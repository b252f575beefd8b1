//! Replays every scenario file in `tests/scenarios/` (the cross-language contract).
//!
//! The format is documented in `tests/scenarios/README.md`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use ordo::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios")
}

struct Runner {
    oms: Oms,
    clock: ManualClock,
    vars: HashMap<String, Value>,
}

fn substitute(v: &Value, vars: &HashMap<String, Value>) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) if s.starts_with('$') => vars.get(&s[1..]).cloned().ok_or_else(|| format!("unknown variable {s}"))?,
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, vars)).collect::<Result<_, _>>()?),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| Ok((k.clone(), substitute(x, vars)?))).collect::<Result<_, String>>()?),
        other => other.clone(),
    })
}

/// Follows a dot path (`lines.0.id`) into a JSON value.
pub fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').filter(|p| !p.is_empty()).try_fold(v, |cur, part| match cur {
        Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
        Value::Object(o) => o.get(part),
        _ => None,
    })
}

/// Whether `actual` matches `expected`: objects by subset, arrays element-wise with equal
/// length (or `{"$len": n}`), scalars by equality.
pub fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Array(a)) if e.contains_key("$len") => {
            let n = e["$len"].as_u64().unwrap_or(u64::MAX);
            if a.len() as u64 == n { Ok(()) } else { Err(format!("{path}: expected {n} elements, found {}", a.len())) }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).ok_or_else(|| format!("{path}.{k}: missing in {}", Value::Object(a.clone())))?;
                matches(ev, av, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path}: expected {} elements, found {}: {actual}", e.len(), a.len()));
            }
            e.iter().zip(a).enumerate().try_for_each(|(i, (ev, av))| matches(ev, av, &format!("{path}[{i}]")))
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, found {a}")),
    }
}

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, Error> {
    let v = args.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| InputError::new(name, e.to_string()).into())
}

fn out<T: serde::Serialize>(r: Result<T, Error>) -> Result<Value, Error> {
    r.map(|v| serde_json::to_value(v).expect("results serialize"))
}

impl Runner {
    fn new(b: crate::common::Backend) -> Self {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
        let oms = Oms::builder(b.store())
            .clock(clock.clone())
            .carrier("DHL", "https://tracking.example/dhl/{tracking}")
            .tracking_code("DLVRD", TrackingStatus::Delivered)
            .tracking_code("TRANSIT", TrackingStatus::InTransit)
            .build();
        Runner { oms, clock, vars: HashMap::new() }
    }

    fn call(&self, op: &str, a: &Value, key: Option<&str>) -> Result<Value, Error> {
        let oms = match key {
            Some(k) => self.oms.with_idempotency_key(k),
            None => self.oms.clone(),
        };
        match op {
            "advance_clock" => {
                self.clock.advance(chrono::Duration::seconds(arg(a, "seconds")?));
                Ok(Value::Null)
            }
            "add_channel" => out(oms.add_channel(arg(a, "channel")?)),
            "update_channel" => out(oms.update_channel(arg(a, "channel")?)),
            "set_location_active" => out(oms.set_location_active(arg(a, "location")?, arg(a, "active")?)),
            "set_backorder_policy" => out(oms.set_backorder_policy(&arg::<String>(a, "sku")?, arg(a, "policy")?)),
            "sku_settings" => out(oms.sku_settings(&arg::<String>(a, "sku")?)),
            "hold_stock" => out(oms.hold_stock(arg(a, "request")?)),
            "stock_hold" => out(oms.stock_hold(&arg::<String>(a, "cart_ref")?)),
            "release_stock_hold" => out(oms.release_stock_hold(&arg::<String>(a, "cart_ref")?)),
            "release_expired_holds" => out(oms.release_expired_holds()),
            "add_location" => out(oms.add_location(arg(a, "location")?)),
            "receive_stock" => out(oms.receive_stock(arg(a, "receipt")?)),
            "transfer_stock" => out(oms.transfer_stock(arg(a, "transfer")?)),
            "adjust_stock" => out(oms.adjust_stock(arg(a, "adjustment")?)),
            "set_safety_stock" => out(oms.set_safety_stock(&arg::<String>(a, "sku")?, arg(a, "location")?, arg(a, "units")?)),
            "stock" => out(oms.stock(&arg::<String>(a, "sku")?)),
            "stock_levels" => out(oms.stock_levels(arg(a, "location")?)),
            "available" => out(oms.available(&arg::<String>(a, "sku")?, arg::<Option<String>>(a, "channel")?.as_deref())),
            "movements" => out(oms.movements(arg::<Option<String>>(a, "sku")?.as_deref())),
            "verify_inventory" => out(oms.verify_inventory()),
            "place_order" => out(oms.place_order(arg(a, "order")?)),
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
                let mut v = serde_json::to_value(&slip).expect("slips serialize");
                v["text"] = Value::String(slip.to_text());
                v["html"] = Value::String(slip.to_html());
                Ok(v)
            }
            "ready_for_pickup" => out(oms.ready_for_pickup(arg(a, "shipment")?)),
            "hand_over" => out(oms.hand_over(arg(a, "shipment")?)),
            "sell_at_counter" => {
                let sale = oms.sell_at_counter(arg(a, "sale")?)?;
                let mut v = serde_json::to_value(&sale).expect("sales serialize");
                v["receipt"]["text"] = Value::String(sale.receipt.to_text());
                Ok(v)
            }
            "counter_receipt" => out(oms.counter_receipt(arg(a, "order")?)),
            "pack_shipment" => out(oms.pack_shipment(arg(a, "shipment")?, arg(a, "packages")?)),
            "ship" => out(oms.ship(arg(a, "shipment")?, arg(a, "input")?)),
            "record_tracking_event" => out(oms.record_tracking_event(arg(a, "event")?)),
            "request_return" => out(oms.request_return(arg(a, "order")?, arg(a, "request")?)),
            "get_return" => out(oms.get_return(arg(a, "return")?)),
            "returns" => out(oms.returns(arg(a, "order")?)),
            "approve_return" => out(oms.approve_return(arg(a, "return")?, arg(a, "label")?)),
            "cancel_return" => out(oms.cancel_return(arg(a, "return")?, &arg::<String>(a, "reason")?)),
            "reject_return" => out(oms.reject_return(arg(a, "return")?, &arg::<String>(a, "reason")?)),
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
            other => panic!("scenario uses unknown op '{other}'"),
        }
    }

    fn step(&mut self, i: usize, step: &Value) -> Result<(), String> {
        let op = step["op"].as_str().ok_or("step without op")?;
        let args = substitute(step.get("args").unwrap_or(&json!({})), &self.vars)?;
        let key = step.get("idempotency_key").and_then(Value::as_str);
        let ctx = |m: String| format!("step {i} ({op}): {m}");
        match (self.call(op, &args, key), step.get("expect_error")) {
            (Ok(v), None) => {
                if let Some(e) = step.get("expect") {
                    let e = substitute(e, &self.vars)?;
                    matches(&e, &v, "result").map_err(ctx)?;
                }
                if let Some(Value::Object(save)) = step.get("save") {
                    for (name, path) in save {
                        let p = path.as_str().ok_or("save path must be a string")?;
                        let val = lookup(&v, p).ok_or_else(|| ctx(format!("cannot save {name}: no {p} in {v}")))?;
                        self.vars.insert(name.clone(), val.clone());
                    }
                }
                Ok(())
            }
            (Ok(v), Some(code)) => Err(ctx(format!("expected error {code}, got {v}"))),
            (Err(e), Some(code)) if Some(e.code()) == code.as_str() => Ok(()),
            (Err(e), Some(code)) => Err(ctx(format!("expected error {code}, got {} ({e})", e.code()))),
            (Err(e), None) => Err(ctx(format!("unexpected error {} ({e})", e.code()))),
        }
    }
}

pub fn scenarios_replay(b: crate::common::Backend) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("tests/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "expected at least 12 scenario files, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let mut r = Runner::new(b);
        let steps = doc["steps"].as_array().expect("steps");
        for (i, s) in steps.iter().enumerate() {
            if let Err(e) = r.step(i, s) {
                failures.push(format!("{}: {e}", f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "scenario failures:\n{}", failures.join("\n"));
}

#[test]
fn matcher_is_strict_where_it_should_be() {
    assert!(matches(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "r").is_ok());
    assert!(matches(&json!({"a": 2}), &json!({"a": 1}), "r").is_err());
    assert!(matches(&json!([{"a": 1}]), &json!([{"a": 1}, {"a": 2}]), "r").is_err());
    assert!(matches(&json!({"$len": 2}), &json!([1, 2]), "r").is_ok());
    assert!(matches(&json!({"x": {"y": "1.00"}}), &json!({"x": {"y": "1.0"}}), "r").is_err());
}
