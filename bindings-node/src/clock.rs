//! `ManualClock`: time that only moves when told (tests, simulations, scenario replay).

use chrono::{DateTime, Utc};

/// A clock that stands still until moved; pass it to `Oms.inMemory({ clock })`.
#[napi]
pub struct ManualClock {
    pub(crate) inner: ordo::ManualClock,
}

#[napi]
impl ManualClock {
    /// A clock showing `start`.
    #[napi(constructor, catch_unwind)]
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock { inner: ordo::ManualClock::new(start) }
    }

    /// Moves the time forward (or back, with a negative number) by whole seconds.
    #[napi(catch_unwind)]
    pub fn advance(&self, seconds: i64) {
        self.inner.advance(chrono::Duration::seconds(seconds));
    }

    /// Sets the time.
    #[napi(catch_unwind)]
    pub fn set(&self, to: DateTime<Utc>) {
        self.inner.set(to);
    }

    /// The time shown.
    #[napi(catch_unwind)]
    pub fn now(&self) -> DateTime<Utc> {
        ordo::Clock::now(&self.inner)
    }
}
