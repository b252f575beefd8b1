//! One operation as a libuv thread-pool task: arguments converted on the JS thread, the
//! command run off the event loop (panics caught), the result converted back on the JS
//! thread.

use std::panic::{AssertUnwindSafe, catch_unwind};

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, ScopedTask, Unknown};
use serde_json::{Map, Value};

use crate::convert::{from_js, to_js};
use crate::dispatch;
use crate::error::OpError;

/// An operation waiting for (or running on) the thread pool.
pub struct Call {
    oms: ordo::Oms,
    op: &'static str,
    args: Option<Result<Value, OpError>>,
}

impl Call {
    /// Converts the named JS arguments now (they cannot leave the JS thread) and queues
    /// `op`. A conversion error rejects the Promise; it never throws synchronously.
    pub fn queue(oms: &ordo::Oms, op: &'static str, args: Vec<(&'static str, Option<Unknown<'_>>)>) -> AsyncTask<Call> {
        let converted = catch_unwind(AssertUnwindSafe(|| {
            let mut map = Map::new();
            for (name, value) in args {
                let json = match value {
                    Some(v) => from_js(v, name)?,
                    None => Value::Null,
                };
                map.insert(name.to_owned(), json);
            }
            Ok(Value::Object(map))
        }))
        .unwrap_or_else(|p| Err(OpError::from_panic(&*p)));
        AsyncTask::new(Call { oms: oms.clone(), op, args: Some(converted) })
    }
}

impl<'task> ScopedTask<'task> for Call {
    type Output = Result<Value, OpError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let args = self.args.take().unwrap_or_else(|| Err(OpError::Panic("task computed twice".to_owned())));
        Ok(args.and_then(|a| {
            catch_unwind(AssertUnwindSafe(|| dispatch::call(&self.oms, self.op, &a))).unwrap_or_else(|p| Err(OpError::from_panic(&*p)))
        }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Unknown<'task>> {
        let converted = catch_unwind(AssertUnwindSafe(|| match output {
            Ok(v) => to_js(env, &v),
            Err(e) => Err(e.into_napi(env)),
        }));
        converted.unwrap_or_else(|p| Err(OpError::from_panic(&*p).into_napi(env)))
    }
}
