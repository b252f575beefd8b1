//! `ManualClock`: time that only moves when told (tests, simulations, scenario replay).

use chrono::{DateTime, Utc};
use napi::{Env, Unknown};

use crate::convert::from_js;
use crate::error::OpError;

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

    /// Moves the time forward (or back, with a negative number) by whole seconds. Anything
    /// but an integer (`1.5`, `true`, `'60'`) throws an `INVALID_INPUT` `TypeError`.
    #[napi(catch_unwind, ts_args_type = "seconds: number")]
    pub fn advance(&self, env: Env, seconds: Unknown<'_>) -> napi::Result<()> {
        let seconds = from_js(seconds, "seconds").and_then(|v| {
            serde_json::from_value::<i64>(v).map_err(|e| OpError::Argument {
                type_error: true,
                field: "seconds".into(),
                reason: e.to_string(),
            })
        });
        match seconds.map(chrono::Duration::try_seconds) {
            Ok(Some(by)) => {
                self.inner.advance(by);
                Ok(())
            }
            Ok(None) => {
                Err(OpError::Argument { type_error: false, field: "seconds".into(), reason: "out of range".into() }.into_napi(&env))
            }
            Err(e) => Err(e.into_napi(&env)),
        }
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
