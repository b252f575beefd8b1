//! Replays every scenario file in `tests/scenarios/` (the cross-language contract).
//!
//! The format is documented in `tests/scenarios/README.md`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use ordo::*;
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
        if op == "advance_clock" {
            let seconds = a.get("seconds").and_then(Value::as_i64).ok_or_else(|| InputError::new("seconds", "a whole number"))?;
            self.clock.advance(chrono::Duration::seconds(seconds));
            return Ok(Value::Null);
        }
        let oms = match key {
            Some(k) => self.oms.with_idempotency_key(k),
            None => self.oms.clone(),
        };
        ordo::ops::execute(&oms, op, a)
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
