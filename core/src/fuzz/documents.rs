//! The `sqlite_decode` and `sqlite_file` harnesses: what the SQLite store reads back.
//!
//! [`decode`] reads the fuzzer's bytes as a stored document of one aggregate type (order,
//! shipment, return, pick list, channel, location, SKU settings, stock hold, event), as a
//! MessagePack blob or as legacy JSON text, with the store's own decoding
//! (`store/document.rs`). Whatever decodes must encode again and decode to the same value.
//!
//! [`open_file`] writes the bytes as a database file, opens it with [`Oms::open`] and, when
//! that succeeds, runs the queries and a few commands over it: a corrupt or foreign file
//! must give a typed error, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Bytes, Finding};
use crate::event::EventKind;
use crate::inventory::{Channel, Location, SkuSettings, StockHold};
use crate::order::Order;
use crate::picking::PickList;
use crate::returns::Return;
use crate::shipment::Shipment;
use crate::store::document;
use crate::{Oms, OrderQuery};

/// The document types, in the order the first byte of an input selects them.
pub const KINDS: &[&str] = &["order", "shipment", "return", "pick_list", "channel", "location", "sku_settings", "stock_hold", "event"];

/// How a document is stored: a blob (MessagePack, or JSON when it starts with `{`) or
/// JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// A blob column: MessagePack (JSON when it starts with `{`).
    Blob,
    /// A text column: JSON.
    Text,
}

/// The input for a document: first byte = kind (`KINDS[b % 9]`) and encoding (`b / 9`
/// even: blob, odd: text); the rest is the document.
#[must_use]
pub fn input(kind: &str, encoding: Encoding, doc: &[u8]) -> Vec<u8> {
    let k = KINDS.iter().position(|k| *k == kind).unwrap_or(0);
    let e = match encoding {
        Encoding::Blob => 0,
        Encoding::Text => 1,
    };
    let mut v = Vec::with_capacity(doc.len() + 1);
    v.push(u8::try_from(k + 9 * e).unwrap_or(0));
    v.extend_from_slice(doc);
    v
}

/// Decodes one input as a stored document.
///
/// # Errors
/// A [`Finding`] when a decoded document does not encode again to the same value.
pub fn decode(data: &[u8]) -> Result<(), Finding> {
    let mut b = Bytes::new(data);
    let sel = b.u8();
    let encoding = if (sel / 9).is_multiple_of(2) { Encoding::Blob } else { Encoding::Text };
    let doc = b.rest();
    match sel % 9 {
        0 => round_trip::<Order>(doc, encoding, "order"),
        1 => round_trip::<Shipment>(doc, encoding, "shipment"),
        2 => round_trip::<Return>(doc, encoding, "return"),
        3 => round_trip::<PickList>(doc, encoding, "pick list"),
        4 => round_trip::<Channel>(doc, encoding, "channel"),
        5 => round_trip::<Location>(doc, encoding, "location"),
        6 => round_trip::<SkuSettings>(doc, encoding, "sku settings"),
        7 => round_trip::<StockHold>(doc, encoding, "stock hold"),
        _ => round_trip::<EventKind>(doc, encoding, "event"),
    }
}

fn read<T: DeserializeOwned>(doc: &[u8], encoding: Encoding, what: &str) -> crate::Result<T> {
    match encoding {
        Encoding::Blob => document::decode_blob(doc, what),
        Encoding::Text => document::decode_json(doc, what),
    }
}

fn round_trip<T: Serialize + DeserializeOwned>(doc: &[u8], encoding: Encoding, what: &str) -> Result<(), Finding> {
    let Ok(value) = read::<T>(doc, encoding, what) else { return Ok(()) };
    let json = serde_json::to_value(&value).map_err(|e| Finding(format!("a decoded {what} has no JSON form: {e}")))?;
    let blob = document::encode(&value).map_err(|e| Finding(format!("a decoded {what} does not encode again: {e}")))?;
    let again: T = document::decode_blob(&blob, what).map_err(|e| Finding(format!("a re-encoded {what} does not decode: {e}")))?;
    let json_again = serde_json::to_value(&again).map_err(|e| Finding(format!("a re-decoded {what} has no JSON form: {e}")))?;
    if json != json_again {
        return Err(Finding(format!("a {what} changes when stored again:\nbefore {json}\nafter  {json_again}")));
    }
    Ok(())
}

/// Writes `data` as a database file, opens it and reads everything in it.
///
/// # Errors
/// Never for a bad file (typed errors are expected); a [`Finding`] when the temporary
/// file cannot be written.
pub fn open_file(data: &[u8]) -> Result<(), Finding> {
    let path = super::ops::temp_db_path("file");
    let _cleanup = super::ops::TempDb(Some(path.clone()));
    std::fs::write(&path, data).map_err(|e| Finding(format!("cannot write {}: {e}", path.display())))?;
    let Ok(oms) = Oms::open(&path) else { return Ok(()) };
    read_everything(&oms);
    Ok(())
}

/// Runs every query (and a few commands) over whatever the database holds.
fn read_everything(oms: &Oms) {
    let _ = oms.channels();
    let _ = oms.locations();
    let _ = oms.stock_levels(None);
    let _ = oms.movements(None);
    let _ = oms.verify_inventory();
    let _ = oms.exceptions();
    let _ = oms.poll_events(100);
    if let Ok(orders) = oms.list_orders(&OrderQuery::default()) {
        for o in orders.iter().take(8) {
            let _ = oms.get_order(o.id);
            let _ = oms.timeline(o.id);
            let _ = oms.status_message(o.id, "de");
            let _ = oms.returns(o.id);
            let _ = oms.claims(o.id);
            if let Ok(shipments) = oms.shipments(o.id) {
                for s in shipments.iter().take(4) {
                    let _ = oms.packing_slip(s.id, "en");
                }
            }
            let _ = oms.cancel_order(o.id, "fuzz");
        }
    }
    let _ = oms.add_channel(crate::NewChannel::new("fuzz", "Fuzz"));
    if let Ok(locations) = oms.locations()
        && let Some(l) = locations.first()
    {
        let _ = oms.receive_stock(crate::ReceiveStock::new("FUZZ", l.id, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_documents_round_trip() {
        let ch = crate::NewChannel::new("web", "Web");
        let oms = Oms::in_memory();
        let ch = oms.add_channel(ch).unwrap();
        let blob = document::encode(&ch).unwrap();
        decode(&input("channel", Encoding::Blob, &blob)).unwrap();
        let json = serde_json::to_vec(&ch).unwrap();
        decode(&input("channel", Encoding::Text, &json)).unwrap();
        decode(&input("channel", Encoding::Blob, &json)).unwrap();
        decode(&input("order", Encoding::Blob, b"\x80")).unwrap();
    }

    #[test]
    fn garbage_files_are_refused_without_panic_and_leave_nothing_behind() {
        open_file(b"").unwrap();
        open_file(b"not a database").unwrap();
        let mut header = b"SQLite format 3\0".to_vec();
        header.resize(100, 0);
        open_file(&header).unwrap();
    }
}
