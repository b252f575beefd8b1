//! Orders and the backorder index.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{check_version, enum_name, from_doc, id_blob, id_from, is_unique_violation, sort_key, to_doc, u64_from_sql, u64_to_sql};
use crate::error::{ConflictError, Result};
use crate::ids::OrderId;
use crate::order::{Order, OrderState};
use crate::store::OrderQuery;

pub(super) const ORDER_BY_ID: &str = "SELECT doc FROM orders WHERE id = ?1";
pub(super) const ORDER_BY_REF: &str = "SELECT id FROM orders WHERE channel = ?1 AND external_ref = ?2";
pub(super) const ORDER_BY_NUMBER: &str = "SELECT id FROM orders WHERE number = ?1";
pub(super) const ORDER_KEYS: &str = "SELECT version, number, channel, external_ref, state, placed_at FROM orders WHERE id = ?1";
pub(super) const INSERT_ORDER: &str =
    "INSERT INTO orders (id, number, channel, external_ref, state, placed_at, version, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub(super) const UPDATE_ORDER: &str =
    "UPDATE orders SET number = ?2, channel = ?3, external_ref = ?4, state = ?5, placed_at = ?6, version = ?7, doc = ?8 WHERE id = ?1";
/// Updates of the document only, or of document and state: SQLite rewrites every index
/// whose column is SET, so an update names only the columns that changed.
pub(super) const UPDATE_ORDER_DOC: &str = "UPDATE orders SET version = ?2, doc = ?3 WHERE id = ?1";
pub(super) const UPDATE_ORDER_STATE: &str = "UPDATE orders SET state = ?2, version = ?3, doc = ?4 WHERE id = ?1";
pub(super) const DELETE_BACKORDERS: &str = "DELETE FROM order_backorders WHERE order_id = ?1";
pub(super) const INSERT_BACKORDER: &str = "INSERT OR IGNORE INTO order_backorders (sku, placed_at, order_id) VALUES (?1, ?2, ?3)";
pub(super) const AWAITING_STOCK: &str = "SELECT order_id FROM order_backorders WHERE sku = ?1 ORDER BY placed_at, order_id";

pub(super) fn order(c: &Connection, id: OrderId) -> Result<Option<Order>> {
    let mut st = c.prepare_cached(ORDER_BY_ID)?;
    let mut rows = st.query([id_blob(id.as_uuid())])?;
    match rows.next()? {
        Some(row) => Ok(Some(from_doc(row.get_ref(0)?, "order")?)),
        None => Ok(None),
    }
}

fn id_query(c: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Option<OrderId>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    match rows.next()? {
        Some(row) => Ok(Some(OrderId::from_uuid(id_from(row.get_ref(0)?, "order id")?))),
        None => Ok(None),
    }
}

pub(super) fn order_by_ref(c: &Connection, channel: &str, external_ref: &str) -> Result<Option<OrderId>> {
    id_query(c, ORDER_BY_REF, params![channel, external_ref])
}

pub(super) fn order_by_number(c: &Connection, number: &str) -> Result<Option<OrderId>> {
    id_query(c, ORDER_BY_NUMBER, [number])
}

/// The SQL of [`orders`] for a query: one statement per combination of filters, each
/// served by an index (cached once prepared).
pub(super) fn orders_sql(q: &OrderQuery) -> String {
    let mut sql = String::from("SELECT doc FROM orders");
    if q.state.is_none() && q.channel.is_none() && (q.placed_from.is_some() || q.placed_until.is_some()) {
        // Without it SQLite walks the whole id index to save the sort of a time window.
        sql.push_str(" INDEXED BY orders_by_placed_at");
    }
    let mut conds: Vec<&str> = Vec::new();
    if q.state.is_some() {
        conds.push("state = ?1");
    }
    if q.channel.is_some() {
        conds.push("channel = ?2");
    }
    if q.placed_from.is_some() {
        conds.push("placed_at >= ?3");
    }
    if q.placed_until.is_some() {
        conds.push("placed_at < ?4");
    }
    for (i, cond) in conds.iter().enumerate() {
        sql.push_str(if i == 0 { " WHERE " } else { " AND " });
        sql.push_str(cond);
    }
    sql.push_str(" ORDER BY id LIMIT ?5 OFFSET ?6");
    sql
}

pub(super) fn orders(c: &Connection, q: &OrderQuery) -> Result<Vec<Order>> {
    let mut st = c.prepare_cached(&orders_sql(q))?;
    let state = q.state.map(|s| enum_name(&s)).transpose()?;
    let from = q.placed_from.map(sort_key);
    let until = q.placed_until.map(sort_key);
    let limit = q.limit.map_or(-1, super::codec::count_to_sql);
    let offset = super::codec::count_to_sql(q.offset);
    // ?5 and ?6 are always there, so every parameter ?1..?6 exists; unused ones are ignored.
    let mut rows = st.query(params![state, q.channel, from, until, limit, offset])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_doc(row.get_ref(0)?, "order")?);
    }
    Ok(out)
}

/// The key columns of a stored order, to tell what an update changes.
struct StoredKeys {
    version: u64,
    number: String,
    channel: String,
    external_ref: Option<String>,
    state: String,
    placed_at: i64,
}

pub(super) fn put_order(c: &Connection, o: &Order) -> Result<()> {
    let id = id_blob(o.id.as_uuid());
    let state = enum_name(&o.state)?;
    let placed_at = sort_key(o.placed_at);
    let version = u64_to_sql(o.version);
    // A new order (version 1) is inserted straight away; the unique keys tell the rare
    // conflict apart afterwards. An update first reads what it replaces.
    let stored = if o.version == 1 { None } else { stored_keys(c, id)? };
    check_version("order", o.id, stored.as_ref().map(|s| s.version), o.version)?;
    let doc = to_doc(o)?;
    match stored {
        None => {
            let args = params![id, o.number, o.channel, o.external_ref, state, placed_at, version, doc];
            if let Err(e) = c.prepare_cached(INSERT_ORDER)?.execute(args) {
                if !is_unique_violation(&e) {
                    return Err(e.into());
                }
                if let Some(s) = stored_keys(c, id)? {
                    check_version("order", o.id, Some(s.version), o.version)?;
                }
                return Err(duplicate(c, o)?);
            }
        }
        Some(old) => {
            if old.number != o.number || old.channel != o.channel || old.external_ref != o.external_ref || old.placed_at != placed_at {
                c.prepare_cached(UPDATE_ORDER)?.execute(params![
                    id,
                    o.number,
                    o.channel,
                    o.external_ref,
                    state,
                    placed_at,
                    version,
                    doc
                ])?;
            } else if old.state != state {
                c.prepare_cached(UPDATE_ORDER_STATE)?.execute(params![id, state, version, doc])?;
            } else {
                c.prepare_cached(UPDATE_ORDER_DOC)?.execute(params![id, version, doc])?;
            }
            if old.state == enum_name(&OrderState::InFulfillment)? {
                c.prepare_cached(DELETE_BACKORDERS)?.execute([id])?;
            }
        }
    }
    if o.state == OrderState::InFulfillment {
        let mut ins = c.prepare_cached(INSERT_BACKORDER)?;
        for l in o.lines.iter().filter(|l| l.quantities.backordered > 0) {
            ins.execute(params![l.sku, placed_at, id])?;
        }
    }
    Ok(())
}

fn stored_keys(c: &Connection, id: &[u8]) -> Result<Option<StoredKeys>> {
    Ok(c.prepare_cached(ORDER_KEYS)?
        .query_row([id], |r| {
            Ok(StoredKeys {
                version: u64_from_sql(r.get(0)?),
                number: r.get(1)?,
                channel: r.get(2)?,
                external_ref: r.get(3)?,
                state: r.get(4)?,
                placed_at: r.get(5)?,
            })
        })
        .optional()?)
}

/// The error for a new order whose reference or number is taken (as the memory store says it).
fn duplicate(c: &Connection, o: &Order) -> Result<crate::Error> {
    if let Some(r) = &o.external_ref
        && order_by_ref(c, &o.channel, r)?.is_some()
    {
        return Ok(ConflictError::AlreadyExists { entity: "order", key: format!("{}/{r}", o.channel) }.into());
    }
    if order_by_number(c, &o.number)?.is_some() {
        return Ok(ConflictError::AlreadyExists { entity: "order number", key: o.number.clone() }.into());
    }
    Ok(ConflictError::AlreadyExists { entity: "order", key: o.id.to_string() }.into())
}

pub(super) fn orders_awaiting_stock(c: &Connection, sku: &str) -> Result<Vec<OrderId>> {
    let mut st = c.prepare_cached(AWAITING_STOCK)?;
    let mut rows = st.query([sku])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(OrderId::from_uuid(id_from(row.get_ref(0)?, "order id")?));
    }
    Ok(out)
}
