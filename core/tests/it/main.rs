//! Integration tests through the public API, compiled as one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod bad_input;
mod common;
mod concurrency;
mod idempotency;
mod lifecycle;
mod outbox;
mod scenarios;
