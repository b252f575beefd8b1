//! Shipments and returns.

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{check_version, enum_name, from_doc, id_blob, id_from, to_doc, u64_from_sql, u64_to_sql};
use crate::error::Result;
use crate::ids::{LocationId, OrderId, PickListId, ReturnId, ShipmentId};
use crate::picking::PickList;
use crate::returns::{Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};

pub(super) const SHIPMENT_BY_ID: &str = "SELECT doc FROM shipments WHERE id = ?1";
pub(super) const SHIPMENTS_OF_ORDER: &str = "SELECT doc FROM shipments WHERE order_id = ?1 ORDER BY id";
pub(super) const SHIPMENT_BY_TRACKING: &str = "SELECT id FROM shipments WHERE tracking_number = ?1 LIMIT 1";
pub(super) const SHIPMENT_KEYS: &str = "SELECT version, order_id, tracking_number, location_id, state FROM shipments WHERE id = ?1";
pub(super) const INSERT_SHIPMENT: &str =
    "INSERT INTO shipments (id, order_id, tracking_number, state, version, doc, location_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub(super) const UPDATE_SHIPMENT: &str =
    "UPDATE shipments SET order_id = ?2, tracking_number = ?3, state = ?4, version = ?5, doc = ?6, location_id = ?7 WHERE id = ?1";
pub(super) const UPDATE_SHIPMENT_STATE: &str = "UPDATE shipments SET state = ?2, version = ?3, doc = ?4 WHERE id = ?1";
pub(super) const UPDATE_SHIPMENT_DOC: &str = "UPDATE shipments SET version = ?2, doc = ?3 WHERE id = ?1";
pub(super) const PENDING_AT: &str = "SELECT doc FROM shipments WHERE location_id = ?1 AND state = 'pending' ORDER BY id LIMIT ?2";
pub(super) const PICK_LIST: &str = "SELECT doc FROM pick_lists WHERE id = ?1";
pub(super) const INSERT_PICK_LIST: &str = "INSERT INTO pick_lists (id, location_id, doc) VALUES (?1, ?2, ?3)";
pub(super) const BIN: &str = "SELECT bin FROM bins WHERE sku = ?1 AND location_id = ?2";
pub(super) const UPSERT_BIN: &str =
    "INSERT INTO bins (sku, location_id, bin) VALUES (?1, ?2, ?3) ON CONFLICT (sku, location_id) DO UPDATE SET bin = ?3";
pub(super) const DELETE_BIN: &str = "DELETE FROM bins WHERE sku = ?1 AND location_id = ?2";
pub(super) const RETURN_BY_ID: &str = "SELECT doc FROM returns WHERE id = ?1";
pub(super) const RETURNS_OF_ORDER: &str = "SELECT doc FROM returns WHERE order_id = ?1 ORDER BY id";
pub(super) const RETURN_KEYS: &str = "SELECT version, order_id, state FROM returns WHERE id = ?1";
pub(super) const INSERT_RETURN: &str = "INSERT INTO returns (id, order_id, state, version, doc) VALUES (?1, ?2, ?3, ?4, ?5)";
pub(super) const UPDATE_RETURN: &str = "UPDATE returns SET order_id = ?2, state = ?3, version = ?4, doc = ?5 WHERE id = ?1";
pub(super) const UPDATE_RETURN_DOC: &str = "UPDATE returns SET version = ?2, doc = ?3 WHERE id = ?1";

/// `SELECT doc FROM {table} WHERE state IN (?, …) ORDER BY id` for `n` states.
pub(super) fn in_states_sql(table: &str, n: usize) -> String {
    let marks = vec!["?"; n.max(1)].join(", ");
    format!("SELECT doc FROM {table} WHERE state IN ({marks}) ORDER BY id")
}

fn docs<T: DeserializeOwned>(c: &Connection, sql: &str, params: impl rusqlite::Params, what: &str) -> Result<Vec<T>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_doc(row.get_ref(0)?, what)?);
    }
    Ok(out)
}

fn in_states<T: DeserializeOwned, S: Serialize>(c: &Connection, table: &str, states: &[S], what: &str) -> Result<Vec<T>> {
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let names = states.iter().map(enum_name).collect::<Result<Vec<_>>>()?;
    docs(c, &in_states_sql(table, names.len()), params_from_iter(names), what)
}

pub(super) fn shipment(c: &Connection, id: ShipmentId) -> Result<Option<Shipment>> {
    Ok(docs(c, SHIPMENT_BY_ID, [id_blob(id.as_uuid())], "shipment")?.pop())
}

pub(super) fn shipments_of_order(c: &Connection, order: OrderId) -> Result<Vec<Shipment>> {
    docs(c, SHIPMENTS_OF_ORDER, [id_blob(order.as_uuid())], "shipment")
}

pub(super) fn shipment_by_tracking(c: &Connection, tracking_number: &str) -> Result<Option<ShipmentId>> {
    let mut st = c.prepare_cached(SHIPMENT_BY_TRACKING)?;
    let mut rows = st.query([tracking_number])?;
    match rows.next()? {
        Some(row) => Ok(Some(ShipmentId::from_uuid(id_from(row.get_ref(0)?, "shipment id")?))),
        None => Ok(None),
    }
}

pub(super) fn shipments_in_states(c: &Connection, states: &[ShipmentState]) -> Result<Vec<Shipment>> {
    in_states(c, "shipments", states, "shipment")
}

pub(super) fn put_shipment(c: &Connection, s: &Shipment) -> Result<()> {
    let id = id_blob(s.id.as_uuid());
    let stored = c
        .prepare_cached(SHIPMENT_KEYS)?
        .query_row([id], |r| {
            let version = u64_from_sql(r.get(0)?);
            let same_keys = r.get_ref(1)?.as_blob_or_null()? == Some(id_blob(s.order_id.as_uuid()))
                && r.get_ref(2)?.as_str_or_null()? == s.tracking_number.as_deref()
                && r.get_ref(3)?.as_blob_or_null()? == Some(id_blob(s.location.as_uuid()));
            Ok((version, same_keys, r.get::<_, String>(4)?))
        })
        .optional()?;
    check_version("shipment", s.id, stored.as_ref().map(|(v, ..)| *v), s.version)?;
    let state = enum_name(&s.state)?;
    let (order, location, version, doc) = (id_blob(s.order_id.as_uuid()), id_blob(s.location.as_uuid()), u64_to_sql(s.version), to_doc(s)?);
    match stored {
        None => c.prepare_cached(INSERT_SHIPMENT)?.execute(params![id, order, s.tracking_number, state, version, doc, location])?,
        Some((_, true, old)) if old == state => c.prepare_cached(UPDATE_SHIPMENT_DOC)?.execute(params![id, version, doc])?,
        Some((_, true, _)) => c.prepare_cached(UPDATE_SHIPMENT_STATE)?.execute(params![id, state, version, doc])?,
        Some(_) => c.prepare_cached(UPDATE_SHIPMENT)?.execute(params![id, order, s.tracking_number, state, version, doc, location])?,
    };
    Ok(())
}

pub(super) fn pending_shipments_at(c: &Connection, location: LocationId, limit: usize) -> Result<Vec<Shipment>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    docs(c, PENDING_AT, params![id_blob(location.as_uuid()), limit], "shipment")
}

pub(super) fn pick_list(c: &Connection, id: PickListId) -> Result<Option<PickList>> {
    Ok(docs(c, PICK_LIST, [id_blob(id.as_uuid())], "pick list")?.pop())
}

pub(super) fn insert_pick_list(c: &Connection, list: &PickList) -> Result<()> {
    c.prepare_cached(INSERT_PICK_LIST)?.execute(params![id_blob(list.id.as_uuid()), id_blob(list.location.as_uuid()), to_doc(list)?])?;
    Ok(())
}

pub(super) fn bin(c: &Connection, sku: &str, location: LocationId) -> Result<Option<String>> {
    Ok(c.prepare_cached(BIN)?.query_row(params![sku, id_blob(location.as_uuid())], |r| r.get::<_, String>(0)).optional()?)
}

pub(super) fn put_bin(c: &Connection, sku: &str, location: LocationId, bin: Option<&str>) -> Result<()> {
    match bin {
        Some(b) => c.prepare_cached(UPSERT_BIN)?.execute(params![sku, id_blob(location.as_uuid()), b])?,
        None => c.prepare_cached(DELETE_BIN)?.execute(params![sku, id_blob(location.as_uuid())])?,
    };
    Ok(())
}

pub(super) fn return_(c: &Connection, id: ReturnId) -> Result<Option<Return>> {
    Ok(docs(c, RETURN_BY_ID, [id_blob(id.as_uuid())], "return")?.pop())
}

pub(super) fn returns_of_order(c: &Connection, order: OrderId) -> Result<Vec<Return>> {
    docs(c, RETURNS_OF_ORDER, [id_blob(order.as_uuid())], "return")
}

pub(super) fn returns_in_states(c: &Connection, states: &[ReturnState]) -> Result<Vec<Return>> {
    in_states(c, "returns", states, "return")
}

pub(super) fn put_return(c: &Connection, r: &Return) -> Result<()> {
    let id = id_blob(r.id.as_uuid());
    let stored = c
        .prepare_cached(RETURN_KEYS)?
        .query_row([id], |row| Ok((u64_from_sql(row.get(0)?), row.get::<_, Vec<u8>>(1)?, row.get::<_, String>(2)?)))
        .optional()?;
    check_version("return", r.id, stored.as_ref().map(|(v, ..)| *v), r.version)?;
    let state = enum_name(&r.state)?;
    let (order, version, doc) = (id_blob(r.order_id.as_uuid()), u64_to_sql(r.version), to_doc(r)?);
    match stored {
        None => c.prepare_cached(INSERT_RETURN)?.execute(params![id, order, state, version, doc])?,
        Some((_, o, s)) if o == order && s == state => c.prepare_cached(UPDATE_RETURN_DOC)?.execute(params![id, version, doc])?,
        Some(_) => c.prepare_cached(UPDATE_RETURN)?.execute(params![id, order, state, version, doc])?,
    };
    Ok(())
}
