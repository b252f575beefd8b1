//! The unit of work a command runs in.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result, StoreError};
use crate::event::{EVENT_SCHEMA_VERSION, Event, EventKind};
use crate::ids::{EventId, LocationId, MovementId, OrderId, ReturnId, ShipmentId};
use crate::inventory::{Channel, Location, Movement, MovementKind, StockLevel};
use crate::order::Order;
use crate::returns::Return;
use crate::shipment::Shipment;
use crate::store::Transaction;

/// A transaction plus the time of the command and the events it produced so far.
pub(crate) struct Ctx<'s> {
    pub tx: Box<dyn Transaction + 's>,
    pub now: DateTime<Utc>,
    events: Vec<Event>,
    movements: Vec<Movement>,
}

impl<'s> Ctx<'s> {
    pub fn new(tx: Box<dyn Transaction + 's>, now: DateTime<Utc>) -> Self {
        Ctx { tx, now, events: Vec::new(), movements: Vec::new() }
    }

    /// Records an event to be stored with the change.
    pub fn emit(&mut self, order_id: Option<OrderId>, kind: EventKind) {
        self.events.push(Event { seq: 0, id: EventId::new(), schema: EVENT_SCHEMA_VERSION, at: self.now, order_id, kind });
    }

    /// Stores the events and movements and commits.
    pub fn finish(mut self) -> Result<()> {
        if !self.movements.is_empty() {
            self.tx.append_movements(std::mem::take(&mut self.movements))?;
        }
        if !self.events.is_empty() {
            self.tx.append_events(std::mem::take(&mut self.events))?;
        }
        self.tx.commit()
    }

    pub fn order(&mut self, id: OrderId) -> Result<Order> {
        self.tx.order(id)?.ok_or_else(|| Error::not_found("order", id))
    }

    /// Stores a changed (or new) order as the next version.
    pub fn save_order(&mut self, order: &mut Order) -> Result<()> {
        order.version += 1;
        order.refresh(self.now);
        order.check_invariants().map_err(|e| StoreError::Corrupt(format!("order {}: {e}", order.number)))?;
        self.tx.put_order(order)
    }

    pub fn shipment(&mut self, id: ShipmentId) -> Result<Shipment> {
        self.tx.shipment(id)?.ok_or_else(|| Error::not_found("shipment", id))
    }

    pub fn save_shipment(&mut self, s: &mut Shipment) -> Result<()> {
        s.version += 1;
        self.tx.put_shipment(s)
    }

    pub fn return_(&mut self, id: ReturnId) -> Result<Return> {
        self.tx.return_(id)?.ok_or_else(|| Error::not_found("return", id))
    }

    pub fn save_return(&mut self, r: &mut Return) -> Result<()> {
        r.version += 1;
        self.tx.put_return(r)
    }

    pub fn channel(&mut self, code: &str) -> Result<Channel> {
        self.tx.channel(code)?.ok_or_else(|| Error::not_found("channel", code))
    }

    pub fn location(&mut self, id: LocationId) -> Result<Location> {
        self.tx.location(id)?.ok_or_else(|| Error::not_found("location", id))
    }

    /// The stock level of (sku, location), or an empty one.
    pub fn level(&mut self, sku: &str, location: LocationId) -> Result<StockLevel> {
        Ok(self.tx.stock(sku, location)?.unwrap_or_else(|| StockLevel::new(sku, location)))
    }

    /// Applies a movement to a level, records it in the ledger and emits `stock_changed`.
    #[allow(clippy::too_many_arguments)]
    pub fn move_stock(
        &mut self,
        sku: &str,
        location: LocationId,
        kind: MovementKind,
        on_hand: i64,
        reserved: i64,
        reason: Option<String>,
        order_id: Option<OrderId>,
    ) -> Result<StockLevel> {
        let mut level = self.level(sku, location)?;
        level.apply(on_hand, reserved)?;
        self.tx.put_stock(&level)?;
        self.movements.push(Movement {
            id: MovementId::new(),
            sku: sku.to_owned(),
            location,
            kind,
            on_hand_delta: on_hand,
            reserved_delta: reserved,
            reason,
            order_id,
            at: self.now,
        });
        self.emit(
            order_id,
            EventKind::StockChanged {
                sku: sku.to_owned(),
                location,
                on_hand: level.on_hand,
                reserved: level.reserved,
                available: level.available(),
            },
        );
        Ok(level)
    }
}
