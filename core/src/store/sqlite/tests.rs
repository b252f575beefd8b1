//! Tests of the SQLite store that need its internals.
