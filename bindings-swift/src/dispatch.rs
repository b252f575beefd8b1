//! Every operation by its vocabulary name: the core's JSON dispatch (`ordo::ops`), shared
//! with the Rust scenario runner and the Node binding, so every binding replays the
//! scenarios identically.

use ordo::Oms;
use serde_json::Value;

use crate::error::OpError;

/// Runs `op` with the named arguments `a` (snake_case JSON) on `oms`.
pub fn call(oms: &Oms, op: &str, a: &Value) -> Result<Value, OpError> {
    ordo::ops::execute(oms, op, a).map_err(OpError::Core)
}
