//! Node binding of ordo: the `ordo` npm package (napi-rs).
//!
//! The native layer is thin and generic: [`oms::Oms`] wraps `ordo::Oms`; every operation
//! converts its JS arguments into the core's serde (JSON) form ([`convert`]), runs on the
//! libuv thread pool ([`task`]) through the same name → call table as the Rust scenario
//! runner ([`dispatch`]), and converts the result back. Errors become JS `Error`s with a
//! stable `code` ([`error`]). Every entry point catches unwinds.

#[macro_use]
extern crate napi_derive;

pub mod clock;
pub mod convert;
pub mod dispatch;
pub mod error;
pub mod oms;
pub mod task;
