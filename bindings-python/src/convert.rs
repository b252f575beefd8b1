//! Python data ↔ the core's serde types, and running a core call without the GIL.
//!
//! Arguments arrive as JSON-shaped Python data (`ordo/_convert.py` made them so: ids and
//! amounts as strings, timestamps as RFC 3339 strings). They are read strictly into JSON
//! first ([`to_json`]) and then decoded into the core's input type, so that:
//!
//! * `bool` is never a number (Python's `True == 1` would otherwise pass as a quantity of
//!   1) and a number is never a `bool`;
//! * strings must be valid Unicode: a `str` holding a lone surrogate (`"A\ud800"`) is
//!   refused, values and dict keys alike;
//! * nesting is limited to [`MAX_INPUT_DEPTH`] levels (dicts and lists inside each other,
//!   the argument included), checked while reading, so a 10,000-deep or self-containing
//!   dict is an error naming the field, never a stack overflow;
//!
//! and every refusal is the core's `InvalidInput` naming the field
//! (`order.lines[0].quantity`), exactly as the Rust scenario runner names it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pythonize::pythonize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors;

/// Deepest nesting of an argument: dicts and lists inside each other, the argument itself
/// being the first level.
pub const MAX_INPUT_DEPTH: usize = ordo::limits::MAX_INPUT_DEPTH;

/// Why a Python value was not read.
pub enum Refused {
    /// The value does not fit (the core's `InvalidInput`).
    Input(ordo::InputError),
    /// Python itself raised (e.g. while iterating).
    Py(PyErr),
}

impl From<PyErr> for Refused {
    fn from(e: PyErr) -> Self {
        Refused::Py(e)
    }
}

impl Refused {
    /// As the Python exception.
    pub fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Refused::Input(e) => errors::to_py_err(py, &e.into()),
            Refused::Py(e) => e,
        }
    }
}

fn refused(field: &str, reason: impl Into<String>) -> Refused {
    Refused::Input(ordo::InputError::new(field, reason))
}

/// Argument `name` as the core's input type `T`; a shape that does not fit is the core's
/// `InvalidInput` error naming the field, exactly as in the Rust scenario runner.
pub fn arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    let json = json_arg(obj, name).map_err(|e| e.into_py(obj.py()))?;
    decode(json, name).map_err(|e| errors::to_py_err(obj.py(), &e.into()))
}

/// Argument `name` read strictly as JSON (see the module docs).
/// Checked against the core's limits (`ordo::limits::check_json`) before it is decoded.
pub fn json_arg(obj: &Bound<'_, PyAny>, name: &str) -> Result<Value, Refused> {
    let mut path = name.to_owned();
    let json = to_json(obj, &mut path, 0)?;
    ordo::limits::check_json(name, &json).map_err(Refused::Input)?;
    Ok(json)
}

/// JSON as the core's input type `T`; `name` is the root of the field path in errors.
pub fn decode<T: DeserializeOwned>(json: Value, name: &str) -> Result<T, ordo::InputError> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        let field = match path.as_str() {
            "." | "" => name.to_owned(),
            p if p.starts_with('[') => format!("{name}{p}"),
            p => format!("{name}.{p}"),
        };
        ordo::InputError::new(field, e.into_inner().to_string())
    })
}

/// An optional argument: `None` is `None`.
pub fn opt_arg<T: DeserializeOwned>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    match obj {
        Some(o) if !o.is_none() => arg(o, name).map(Some),
        _ => Ok(None),
    }
}

/// A `str` argument: valid Unicode (no lone surrogates) or `InvalidInput` naming `name`;
/// another type is a `TypeError`, as for any Python function taking a `str`.
pub fn text(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => string(s, name, "").map_err(|e| e.into_py(obj.py())),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "argument '{name}': expected str, got {}",
            obj.get_type().qualname().map_or_else(|_| "?".to_owned(), |n| n.to_string())
        ))),
    }
}

/// An optional `str` argument.
pub fn opt_text(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    match obj {
        Some(o) if !o.is_none() => text(o, name).map(Some),
        _ => Ok(None),
    }
}

/// A Python `str` as UTF-8; a lone surrogate is `InvalidInput` about `path` (`what` says
/// whether it was a key).
fn string(s: &Bound<'_, PyString>, path: &str, what: &str) -> Result<String, Refused> {
    match s.to_cow() {
        Ok(t) => Ok(t.into_owned()),
        Err(_) => Err(refused(path, format!("{what}{}; text must be valid Unicode", lone_surrogate(s)))),
    }
}

/// Where the first lone surrogate of `s` is, in words.
fn lone_surrogate(s: &Bound<'_, PyString>) -> String {
    // UTF-32 with `surrogatepass` shows every code point as it is, surrogates included.
    let units = s
        .call_method1("encode", ("utf-32-le", "surrogatepass"))
        .ok()
        .and_then(|b| b.cast_into::<PyBytes>().ok())
        .map(|b| b.as_bytes().chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<u32>>())
        .unwrap_or_default();
    match units.iter().position(|u| (0xD800..=0xDFFF).contains(u)) {
        Some(i) => format!("contains a lone surrogate (U+{:04X} at index {i})", units[i]),
        None => "is not valid Unicode".to_owned(),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().qualname().map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// `obj` as JSON; `depth` counts the dicts and lists around it (0 for the argument).
fn to_json(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Refused> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // `bool` before `int`: in Python `True` is an `int`.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(string(s, path, "")?));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        return Err(refused(path, format!("the integer {i} is out of range")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| refused(path, format!("{v} is not a finite number")));
    }
    let is_dict = obj.is_instance_of::<PyDict>();
    if !(is_dict || obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
        return Err(refused(path, format!("cannot pass a {} (expected str, int, float, bool, None, dict or list)", type_name(obj))));
    }
    if depth >= MAX_INPUT_DEPTH {
        return Err(refused(path, format!("nested more than {MAX_INPUT_DEPTH} levels deep")));
    }
    let len = path.len();
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut out = Map::new();
        for (k, v) in d.iter() {
            let Ok(k) = k.cast::<PyString>() else {
                return Err(refused(path, format!("keys must be strings, got {}", type_name(&k))));
            };
            let key = string(k, path, "a key ")?;
            path.push('.');
            path.push_str(&key);
            let value = to_json(&v, path, depth + 1)?;
            path.truncate(len);
            out.insert(key, value);
        }
        return Ok(Value::Object(out));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        path.push_str(&format!("[{i}]"));
        out.push(to_json(&item?, path, depth + 1)?);
        path.truncate(len);
    }
    Ok(Value::Array(out))
}

/// A result in its serde form as Python data.
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    pythonize(py, value).map(Bound::unbind).map_err(|e| errors::internal(py, &format!("cannot convert a result: {e}")))
}

/// Runs `f` with the GIL released (other Python threads run meanwhile) and catches a
/// panic, so none crosses into Python: it becomes `ordo.OrdoError` with code `INTERNAL`.
pub fn run<R, F>(py: Python<'_>, f: F) -> PyResult<R>
where
    R: Send,
    F: FnOnce() -> ordo::Result<R> + Send,
{
    match py.detach(move || catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py_err(py, &e)),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(errors::internal(py, &format!("ordo panicked (a bug, please report it): {msg}")))
        }
    }
}

/// [`run`], then the result as Python data.
pub fn call<R, F>(py: Python<'_>, f: F) -> PyResult<Py<PyAny>>
where
    R: Serialize + Send,
    F: FnOnce() -> ordo::Result<R> + Send,
{
    let v = run(py, f)?;
    to_py(py, &v)
}
