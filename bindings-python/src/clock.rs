//! A manual clock shared with the core, so tests and simulations control time.

use chrono::{DateTime, TimeDelta, Utc};
use pyo3::prelude::*;

/// A clock that stands still until moved (`ordo.ManualClock` wraps it).
#[pyclass(frozen, module = "ordo._ordo")]
pub struct ManualClock {
    pub(crate) inner: ordo::ManualClock,
}

#[pymethods]
impl ManualClock {
    /// A clock showing `start` (a `datetime` in `timezone.utc`).
    #[new]
    fn new(start: DateTime<Utc>) -> Self {
        ManualClock { inner: ordo::ManualClock::new(start) }
    }

    /// The time shown.
    fn now(&self) -> DateTime<Utc> {
        ordo::Clock::now(&self.inner)
    }

    /// Sets the time.
    fn set(&self, to: DateTime<Utc>) {
        self.inner.set(to);
    }

    /// Moves the time by `by` (a `timedelta`, negative to go back).
    fn advance(&self, by: TimeDelta) {
        self.inner.advance(by);
    }
}
