//! Python data ↔ the core's serde types, and running a core call without the GIL.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::prelude::*;
use pythonize::{depythonize, pythonize};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors;

/// Argument `name` as the core's input type `T`; a shape that does not fit is the core's
/// `InvalidInput` error naming the argument, exactly as in the Rust scenario runner.
pub fn arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    depythonize(obj).map_err(|e| errors::to_py_err(obj.py(), &ordo::InputError::new(name, e.to_string()).into()))
}

/// An optional argument: `None` is `None`.
pub fn opt_arg<T: DeserializeOwned>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<T>> {
    match obj {
        Some(o) if !o.is_none() => arg(o, name).map(Some),
        _ => Ok(None),
    }
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
