//! Aggregate documents as the SQLite store keeps them: MessagePack maps with the same
//! field names and values as the JSON form (schema version 3 on), JSON text before.
//!
//! Kept apart from the SQLite module's value conversions (`sqlite/codec.rs`, which stores
//! and reads them through these functions) so that the fuzz harness
//! (`crate::__fuzz::documents`) decodes documents with exactly the store's code.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, StoreError};

/// An aggregate as a document: a MessagePack map, field names and values as in JSON
/// (human-readable forms: ids, times and decimals as strings).
pub(crate) fn encode<T: Serialize + ?Sized>(v: &T) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(1024);
    let mut ser = rmp_serde::Serializer::new(&mut buf).with_struct_map().with_human_readable();
    v.serialize(&mut ser).map_err(|e| StoreError::Backend(format!("cannot encode: {e}")))?;
    Ok(buf)
}

/// An aggregate from a blob document: MessagePack, or JSON when it starts with `{` (JSON
/// written into a blob column by schema versions 1 and 2).
pub(crate) fn decode_blob<T: DeserializeOwned>(b: &[u8], what: &str) -> Result<T> {
    if b.first() == Some(&b'{') {
        return decode_json(b, what);
    }
    let mut de = rmp_serde::Deserializer::from_read_ref(b).with_human_readable();
    T::deserialize(&mut de).map_err(|e| corrupt(what, e))
}

/// An aggregate from a JSON text document (schema versions 1 and 2).
pub(crate) fn decode_json<T: DeserializeOwned>(t: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(t).map_err(|e| corrupt(what, e))
}

/// [`StoreError::Corrupt`] naming what could not be read.
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    StoreError::Corrupt(format!("{what}: {e}")).into()
}
