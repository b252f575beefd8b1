//! The outbox (events), idempotency records and counters.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{count_to_sql, from_doc, id_blob, id_from, nanos, opt_id_from, time_from, to_doc, u64_from_sql, u64_to_sql};
use crate::error::{ConflictError, Result, StoreError};
use crate::event::Event;
use crate::ids::{EventId, OrderId};
use crate::store::IdempotencyRecord;

pub(super) const NEXT_NUMBER: &str = "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value";
pub(super) const FIRST_NUMBER: &str = "INSERT INTO counters (name, value) VALUES (?1, 1)";
pub(super) const IDEMPOTENCY: &str = "SELECT key, command, fingerprint, result, at FROM idempotency WHERE key = ?1";
pub(super) const INSERT_IDEMPOTENCY: &str = "INSERT INTO idempotency (key, command, fingerprint, result, at) VALUES (?1, ?2, ?3, ?4, ?5)";
pub(super) const INSERT_EVENT: &str = "INSERT INTO events (id, schema, at, order_id, kind) VALUES (?1, ?2, ?3, ?4, ?5)";
pub(super) const ORDER_EVENTS: &str = "SELECT seq, id, schema, at, order_id, kind FROM events WHERE order_id = ?1 ORDER BY seq";
pub(super) const PENDING_EVENTS: &str =
    "SELECT seq, id, schema, at, order_id, kind FROM events WHERE acked_at IS NULL ORDER BY seq LIMIT ?1";
pub(super) const ACK_EVENT: &str = "UPDATE events SET acked_at = ?2 WHERE id = ?1 AND acked_at IS NULL";

pub(super) fn next_number(c: &Connection, counter: &str) -> Result<u64> {
    // An update of the existing row is about half the work of an upsert; the insert runs
    // once per counter.
    let v: Option<i64> = c.prepare_cached(NEXT_NUMBER)?.query_row([counter], |r| r.get(0)).optional()?;
    match v {
        Some(v) => Ok(u64_from_sql(v)),
        None => {
            c.prepare_cached(FIRST_NUMBER)?.execute([counter])?;
            Ok(1)
        }
    }
}

pub(super) fn idempotency(c: &Connection, key: &str) -> Result<Option<IdempotencyRecord>> {
    let row = c
        .prepare_cached(IDEMPOTENCY)?
        .query_row([key], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?))
        })
        .optional()?;
    Ok(row.map(|(key, command, fp, result, at)| IdempotencyRecord {
        key,
        command,
        fingerprint: u64_from_sql(fp),
        result,
        at: time_from(at),
    }))
}

pub(super) fn put_idempotency(c: &Connection, r: &IdempotencyRecord) -> Result<()> {
    if idempotency(c, &r.key)?.is_some() {
        return Err(ConflictError::IdempotencyKeyReused { key: r.key.clone() }.into());
    }
    c.prepare_cached(INSERT_IDEMPOTENCY)?.execute(params![r.key, r.command, u64_to_sql(r.fingerprint), r.result, nanos(r.at)?])?;
    Ok(())
}

pub(super) fn append_events(c: &Connection, events: &[Event]) -> Result<()> {
    let mut st = c.prepare_cached(INSERT_EVENT)?;
    for e in events {
        st.execute(params![
            id_blob(e.id.as_uuid()),
            e.schema,
            nanos(e.at)?,
            e.order_id.as_ref().map(|o| id_blob(o.as_uuid())),
            to_doc(&e.kind)?
        ])?;
    }
    Ok(())
}

fn event_from(row: &Row<'_>) -> Result<Event> {
    Ok(Event {
        seq: u64::try_from(row.get::<_, i64>(0)?).map_err(|_| StoreError::Corrupt("negative event position".into()))?,
        id: EventId::from_uuid(id_from(row.get_ref(1)?, "event id")?),
        schema: row.get(2)?,
        at: time_from(row.get(3)?),
        order_id: opt_id_from(row.get_ref(4)?, "event order")?.map(OrderId::from_uuid),
        kind: from_doc(row.get_ref(5)?, "event")?,
    })
}

fn events(c: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Event>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(event_from(row)?);
    }
    Ok(out)
}

pub(super) fn order_events(c: &Connection, order: OrderId) -> Result<Vec<Event>> {
    events(c, ORDER_EVENTS, [id_blob(order.as_uuid())])
}

pub(super) fn pending_events(c: &Connection, limit: usize) -> Result<Vec<Event>> {
    events(c, PENDING_EVENTS, [count_to_sql(limit)])
}

pub(super) fn ack_events(c: &Connection, ids: &[EventId]) -> Result<usize> {
    let now = nanos(chrono::Utc::now())?;
    let mut st = c.prepare_cached(ACK_EVENT)?;
    let mut n = 0;
    for id in ids {
        n += st.execute(params![id_blob(id.as_uuid()), now])?;
    }
    Ok(n)
}
