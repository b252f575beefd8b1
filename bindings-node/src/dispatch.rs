//! Every operation by its vocabulary name: the core's JSON dispatch (`ordo::ops`), shared
//! with the Rust scenario runner, so every binding replays the scenarios identically.

use ordo::Oms;
use serde_json::Value;

use crate::convert::js_path;
use crate::error::OpError;

/// Runs `op` with the named arguments `a` (snake_case JSON) on `oms`.
pub fn call(oms: &Oms, op: &str, a: &Value) -> Result<Value, OpError> {
    ordo::ops::execute(oms, op, a).map_err(|e| match e {
        // serde says "invalid type: floating point `12.5`, expected a Decimal …" for a JS
        // number where the core wants a decimal string (money, tax rates): a TypeError.
        ordo::Error::Input(ie) if ie.reason.starts_with("invalid type:") => {
            let reason = ie.reason.find(" at line ").map_or(ie.reason.clone(), |i| ie.reason[..i].to_owned());
            OpError::Argument { type_error: true, field: js_path(&ie.field), reason }
        }
        other => OpError::Core(other),
    })
}
