//! Channels, locations, stock levels, the movement ledger, SKU settings and checkout holds.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};
use serde::de::DeserializeOwned;

use super::codec::{
    count_to_sql, enum_from, enum_name, from_doc, id_blob, id_from, nanos, opt_id_from, qty_from, sort_key, time_from, to_doc,
};
use crate::error::{ConflictError, Error, Result};
use crate::ids::{LocationId, MovementId, OrderId};
use crate::inventory::{Channel, Location, Movement, SkuSettings, StockHold, StockLevel};

pub(super) const CHANNEL_BY_CODE: &str = "SELECT doc FROM channels WHERE code = ?1";
pub(super) const ALL_CHANNELS: &str = "SELECT doc FROM channels ORDER BY code";
pub(super) const INSERT_CHANNEL: &str = "INSERT INTO channels (code, doc) VALUES (?1, ?2)";
pub(super) const UPDATE_CHANNEL: &str = "UPDATE channels SET doc = ?2 WHERE code = ?1";
pub(super) const LOCATION_BY_ID: &str = "SELECT doc FROM locations WHERE id = ?1";
pub(super) const LOCATION_BY_CODE: &str = "SELECT doc FROM locations WHERE code = ?1";
pub(super) const LOCATION_ID_BY_CODE: &str = "SELECT id FROM locations WHERE code = ?1";
pub(super) const ALL_LOCATIONS: &str = "SELECT doc FROM locations ORDER BY id";
pub(super) const UPSERT_LOCATION: &str =
    "INSERT INTO locations (id, code, doc) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET code = ?2, doc = ?3";
pub(super) const STOCK_LEVEL: &str =
    "SELECT sku, location_id, on_hand, reserved, safety_stock FROM stock WHERE sku = ?1 AND location_id = ?2";
pub(super) const STOCK_OF_SKU: &str =
    "SELECT sku, location_id, on_hand, reserved, safety_stock FROM stock WHERE sku = ?1 ORDER BY location_id";
pub(super) const ALL_STOCK: &str = "SELECT sku, location_id, on_hand, reserved, safety_stock FROM stock ORDER BY sku, location_id";
pub(super) const UPSERT_STOCK: &str = "INSERT INTO stock (sku, location_id, on_hand, reserved, safety_stock) VALUES (?1, ?2, ?3, ?4, ?5) \
     ON CONFLICT (sku, location_id) DO UPDATE SET on_hand = ?3, reserved = ?4, safety_stock = ?5";
pub(super) const INSERT_MOVEMENT: &str = "INSERT INTO movements (id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const MOVEMENT_COLUMNS: &str = "SELECT id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at FROM movements";
pub(super) const ALL_MOVEMENTS: &str =
    "SELECT id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at FROM movements ORDER BY seq";
pub(super) const MOVEMENTS_OF_SKU: &str =
    "SELECT id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at FROM movements WHERE sku = ?1 ORDER BY seq";
pub(super) const SKU_SETTINGS: &str = "SELECT doc FROM sku_settings WHERE sku = ?1";
pub(super) const UPSERT_SKU_SETTINGS: &str = "INSERT INTO sku_settings (sku, doc) VALUES (?1, ?2) ON CONFLICT (sku) DO UPDATE SET doc = ?2";
pub(super) const HOLD: &str = "SELECT doc FROM stock_holds WHERE cart_ref = ?1";
pub(super) const UPSERT_HOLD: &str = "INSERT INTO stock_holds (cart_ref, expires_at, order_id, doc) VALUES (?1, ?2, ?3, ?4) \
     ON CONFLICT (cart_ref) DO UPDATE SET expires_at = ?2, order_id = ?3, doc = ?4";
pub(super) const DELETE_HOLD: &str = "DELETE FROM stock_holds WHERE cart_ref = ?1";
pub(super) const EXPIRED_HOLDS: &str =
    "SELECT doc FROM stock_holds WHERE order_id IS NULL AND expires_at <= ?1 ORDER BY expires_at, cart_ref LIMIT ?2";

fn docs<T: DeserializeOwned>(c: &Connection, sql: &str, params: impl rusqlite::Params, what: &str) -> Result<Vec<T>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_doc(row.get_ref(0)?, what)?);
    }
    Ok(out)
}

pub(super) fn channel(c: &Connection, code: &str) -> Result<Option<Channel>> {
    Ok(docs(c, CHANNEL_BY_CODE, [code], "channel")?.pop())
}

pub(super) fn channels(c: &Connection) -> Result<Vec<Channel>> {
    docs(c, ALL_CHANNELS, [], "channel")
}

pub(super) fn insert_channel(c: &Connection, ch: &Channel) -> Result<()> {
    if channel(c, &ch.code)?.is_some() {
        return Err(ConflictError::AlreadyExists { entity: "channel", key: ch.code.clone() }.into());
    }
    c.prepare_cached(INSERT_CHANNEL)?.execute(params![ch.code, to_doc(ch)?])?;
    Ok(())
}

pub(super) fn update_channel(c: &Connection, ch: &Channel) -> Result<()> {
    if c.prepare_cached(UPDATE_CHANNEL)?.execute(params![ch.code, to_doc(ch)?])? == 0 {
        return Err(Error::not_found("channel", &ch.code));
    }
    Ok(())
}

pub(super) fn location(c: &Connection, id: LocationId) -> Result<Option<Location>> {
    Ok(docs(c, LOCATION_BY_ID, [id_blob(id.as_uuid())], "location")?.pop())
}

pub(super) fn location_by_code(c: &Connection, code: &str) -> Result<Option<Location>> {
    Ok(docs(c, LOCATION_BY_CODE, [code], "location")?.pop())
}

pub(super) fn locations(c: &Connection) -> Result<Vec<Location>> {
    docs(c, ALL_LOCATIONS, [], "location")
}

pub(super) fn put_location(c: &Connection, l: &Location) -> Result<()> {
    let mut st = c.prepare_cached(LOCATION_ID_BY_CODE)?;
    let mut rows = st.query([&l.code])?;
    if let Some(row) = rows.next()?
        && id_from(row.get_ref(0)?, "location id")? != *l.id.as_uuid()
    {
        return Err(ConflictError::AlreadyExists { entity: "location", key: l.code.clone() }.into());
    }
    drop(rows);
    c.prepare_cached(UPSERT_LOCATION)?.execute(params![id_blob(l.id.as_uuid()), l.code, to_doc(l)?])?;
    Ok(())
}

fn level_from(row: &Row<'_>) -> Result<StockLevel> {
    Ok(StockLevel {
        sku: row.get(0)?,
        location: LocationId::from_uuid(id_from(row.get_ref(1)?, "stock location")?),
        on_hand: qty_from(row.get(2)?, "stock on_hand")?,
        reserved: qty_from(row.get(3)?, "stock reserved")?,
        safety_stock: qty_from(row.get(4)?, "stock safety_stock")?,
    })
}

fn levels(c: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<StockLevel>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(level_from(row)?);
    }
    Ok(out)
}

pub(super) fn stock(c: &Connection, sku: &str, location: LocationId) -> Result<Option<StockLevel>> {
    Ok(levels(c, STOCK_LEVEL, params![sku, id_blob(location.as_uuid())])?.pop())
}

pub(super) fn stock_of_sku(c: &Connection, sku: &str) -> Result<Vec<StockLevel>> {
    levels(c, STOCK_OF_SKU, [sku])
}

pub(super) fn all_stock(c: &Connection) -> Result<Vec<StockLevel>> {
    levels(c, ALL_STOCK, [])
}

pub(super) fn put_stock(c: &Connection, l: &StockLevel) -> Result<()> {
    c.prepare_cached(UPSERT_STOCK)?.execute(params![l.sku, id_blob(l.location.as_uuid()), l.on_hand, l.reserved, l.safety_stock])?;
    Ok(())
}

pub(super) fn append_movements(c: &Connection, movements: &[Movement]) -> Result<()> {
    let mut st = c.prepare_cached(INSERT_MOVEMENT)?;
    for m in movements {
        st.execute(params![
            id_blob(m.id.as_uuid()),
            m.sku,
            id_blob(m.location.as_uuid()),
            enum_name(&m.kind)?,
            m.on_hand_delta,
            m.reserved_delta,
            m.reason,
            m.order_id.as_ref().map(|o| id_blob(o.as_uuid())),
            nanos(m.at)?
        ])?;
    }
    Ok(())
}

fn movement_from(row: &Row<'_>) -> Result<Movement> {
    let kind: String = row.get(3)?;
    Ok(Movement {
        id: MovementId::from_uuid(id_from(row.get_ref(0)?, "movement id")?),
        sku: row.get(1)?,
        location: LocationId::from_uuid(id_from(row.get_ref(2)?, "movement location")?),
        kind: enum_from(&kind, "movement kind")?,
        on_hand_delta: row.get(4)?,
        reserved_delta: row.get(5)?,
        reason: row.get(6)?,
        order_id: opt_id_from(row.get_ref(7)?, "movement order")?.map(OrderId::from_uuid),
        at: time_from(row.get(8)?),
    })
}

pub(super) fn movements(c: &Connection, sku: Option<&str>) -> Result<Vec<Movement>> {
    debug_assert!(ALL_MOVEMENTS.starts_with(MOVEMENT_COLUMNS) && MOVEMENTS_OF_SKU.starts_with(MOVEMENT_COLUMNS));
    let mut st = c.prepare_cached(if sku.is_some() { MOVEMENTS_OF_SKU } else { ALL_MOVEMENTS })?;
    let mut rows = match sku {
        Some(s) => st.query([s])?,
        None => st.query([])?,
    };
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(movement_from(row)?);
    }
    Ok(out)
}

pub(super) fn sku_settings(c: &Connection, sku: &str) -> Result<Option<SkuSettings>> {
    Ok(docs(c, SKU_SETTINGS, [sku], "sku settings")?.pop())
}

pub(super) fn put_sku_settings(c: &Connection, s: &SkuSettings) -> Result<()> {
    c.prepare_cached(UPSERT_SKU_SETTINGS)?.execute(params![s.sku, to_doc(s)?])?;
    Ok(())
}

pub(super) fn stock_hold(c: &Connection, cart_ref: &str) -> Result<Option<StockHold>> {
    Ok(docs(c, HOLD, [cart_ref], "stock hold")?.pop())
}

pub(super) fn put_stock_hold(c: &Connection, h: &StockHold) -> Result<()> {
    c.prepare_cached(UPSERT_HOLD)?.execute(params![
        h.cart_ref,
        sort_key(h.expires_at),
        h.order_id.as_ref().map(|o| id_blob(o.as_uuid())),
        to_doc(h)?
    ])?;
    Ok(())
}

pub(super) fn delete_stock_hold(c: &Connection, cart_ref: &str) -> Result<()> {
    c.prepare_cached(DELETE_HOLD)?.execute([cart_ref])?;
    Ok(())
}

pub(super) fn expired_stock_holds(c: &Connection, now: DateTime<Utc>, limit: usize) -> Result<Vec<StockHold>> {
    docs(c, EXPIRED_HOLDS, params![sort_key(now), count_to_sql(limit)], "stock hold")
}
