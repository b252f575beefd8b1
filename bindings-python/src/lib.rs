//! The native module `ordo._ordo` of the Python package `ordo`.
//!
//! This layer is deliberately thin and generic: each method of [`oms::Oms`] takes Python
//! data (dicts, lists, `str`, `int`, `bool` — already normalised by the pure-Python layer
//! in `python/ordo/`), reads it strictly as JSON and decodes the core's serde input types
//! from that ([`convert`]: no `bool` as a number, no lone surrogates, nesting limited), runs
//! the core with the GIL released, and hands the result back as Python data in its serde
//! form (amounts and timestamps as strings, ids as UUID strings). Typed result classes,
//! `Decimal` and `datetime` handling live in Python; errors become the exception classes
//! of `ordo.errors` (see [`errors`]).

mod clock;
mod convert;
mod errors;
mod oms;

use pyo3::prelude::*;

/// The native core of `ordo`; use the `ordo` package, not this module.
#[pymodule]
fn _ordo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_INPUT_DEPTH", convert::MAX_INPUT_DEPTH)?;
    m.add("MAX_LIST_ITEMS", ordo::limits::MAX_LIST_ITEMS)?;
    m.add_class::<oms::Oms>()?;
    m.add_class::<clock::ManualClock>()?;
    Ok(())
}
