//! The outbox, the timeline, customer messages and the exception queue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Oms;
use crate::error::{InputError, Result};
use crate::event::{Event, EventKind};
use crate::ids::{EventId, OrderId, ReturnId, ShipmentId};
use crate::order::OrderState;
use crate::returns::ReturnState;
use crate::shipment::ShipmentState;
use crate::store::OrderQuery;
use crate::timeline::{Locale, status_message, summary};

/// Largest batch of [`Oms::poll_events`].
pub const MAX_POLL: usize = 10_000;

/// One entry of an order's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimelineEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Event type, e.g. `"shipment_shipped"`.
    pub event_type: String,
    /// What happened, in one sentence.
    pub summary: String,
    /// The event itself.
    pub event: Event,
}

/// Kind of case in the exception queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExceptionKind {
    /// An order is on hold.
    OrderOnHold,
    /// A delivery failed, or a parcel was lost, damaged or returned to sender.
    DeliveryProblem,
    /// Returned goods wait for inspection.
    ReturnAwaitingInspection,
    /// A claim waits for a decision.
    ClaimOpen,
    /// Units have waited for stock longer than the configured threshold.
    BackorderOverdue,
}

/// A case that needs a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExceptionItem {
    /// What kind of case.
    pub kind: ExceptionKind,
    /// The order.
    pub order_id: OrderId,
    /// Its number.
    pub order_number: String,
    /// The shipment, for delivery problems.
    pub shipment_id: Option<ShipmentId>,
    /// The return, for returns.
    pub return_id: Option<ReturnId>,
    /// Since when.
    pub since: DateTime<Utc>,
    /// Seconds since then.
    pub age_seconds: i64,
    /// Why (codes and sentences).
    pub reasons: Vec<String>,
    /// The commands that resolve it.
    pub actions: Vec<String>,
}

impl Oms {
    /// Up to `limit` unacknowledged events, oldest first (at most 10,000 per call). The
    /// same events come again until acknowledged.
    ///
    /// # Errors
    /// `InvalidInput` for a limit of 0.
    pub fn poll_events(&self, limit: usize) -> Result<Vec<Event>> {
        if limit == 0 {
            return Err(InputError::new("limit", "must be at least 1").into());
        }
        self.query(|ctx| ctx.tx.pending_events(limit.min(MAX_POLL)))
    }

    /// Acknowledges delivered events; returns how many were still pending (unknown and
    /// already acknowledged ids are ignored, so acknowledging twice is harmless).
    ///
    /// # Errors
    /// Storage errors only.
    pub fn ack_events(&self, ids: &[EventId]) -> Result<usize> {
        self.command("ack_events", ids, |ctx| ctx.tx.ack_events(ids))
    }

    /// The history of an order, oldest first (stock level changes left out).
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn timeline(&self, order_id: OrderId) -> Result<Vec<TimelineEntry>> {
        self.query(|ctx| {
            ctx.order(order_id)?;
            Ok(ctx
                .tx
                .order_events(order_id)?
                .into_iter()
                .filter(|e| !matches!(e.kind, EventKind::StockChanged { .. }))
                .map(|e| TimelineEntry { at: e.at, event_type: e.type_name(), summary: summary(&e.kind), event: e })
                .collect())
        })
    }

    /// A sentence for the customer about where the order is, in `locale` (`"de"` or
    /// `"en"`, regional forms accepted): "Ihre Bestellung 1042 wurde versandt (DHL,
    /// Sendungsnummer 0034…)."
    ///
    /// # Errors
    /// `InvalidInput` for an unsupported locale; `NotFound` for the order.
    pub fn status_message(&self, order_id: OrderId, locale: &str) -> Result<String> {
        let locale: Locale = locale.parse()?;
        self.query(|ctx| {
            let order = ctx.order(order_id)?;
            let shipments = ctx.tx.shipments_of_order(order_id)?;
            let returns = ctx.tx.returns_of_order(order_id)?;
            Ok(status_message(&order, &shipments, &returns, locale))
        })
    }

    /// Everything that needs a person, oldest first: held orders (validation problems, short
    /// picks, manual holds), delivery problems (failed, lost, damaged, returned to sender)
    /// without a claim yet, open claims, backorders older than the configured threshold,
    /// and returned goods waiting for inspection — each with its age, reasons and the
    /// commands that resolve it.
    ///
    /// # Errors
    /// Storage errors only.
    pub fn exceptions(&self) -> Result<Vec<ExceptionItem>> {
        self.query(|ctx| {
            let now = ctx.now;
            let mut out = Vec::new();
            let held = ctx.tx.orders(&OrderQuery { state: Some(OrderState::OnHold), ..OrderQuery::default() })?;
            for o in held {
                let since = o.held_since.unwrap_or(o.updated_at);
                out.push(ExceptionItem {
                    kind: ExceptionKind::OrderOnHold,
                    order_id: o.id,
                    order_number: o.number.clone(),
                    shipment_id: None,
                    return_id: None,
                    since,
                    age_seconds: now.signed_duration_since(since).num_seconds(),
                    reasons: o.holds.iter().map(|h| format!("{}: {}", h.code, h.message)).collect(),
                    actions: vec!["release_order".into(), "edit_order".into(), "record_payment".into(), "cancel_order".into()],
                });
            }
            let problems = [ShipmentState::DeliveryFailed, ShipmentState::Lost, ShipmentState::Damaged, ShipmentState::ReturnedToSender];
            for s in ctx.tx.shipments_in_states(&problems)? {
                let order = ctx.order(s.order_id)?;
                if order.claims.iter().any(|c| c.shipment_id == s.id) {
                    continue; // the claim is the case now
                }
                let last = s.tracking.iter().rev().find(|t| t.applied);
                let since = last.map_or(s.created_at, |t| t.at);
                out.push(ExceptionItem {
                    kind: ExceptionKind::DeliveryProblem,
                    order_id: order.id,
                    order_number: order.number.clone(),
                    shipment_id: Some(s.id),
                    return_id: None,
                    since,
                    age_seconds: now.signed_duration_since(since).num_seconds(),
                    reasons: vec![format!(
                        "{}: carrier reported {}",
                        crate::util::snake_case(&format!("{:?}", s.state)),
                        last.map_or("", |t| t.code.as_str())
                    )],
                    actions: vec!["record_tracking_event".into()],
                });
            }
            for r in ctx.tx.returns_in_states(&[ReturnState::Received])? {
                let order = ctx.order(r.order_id)?;
                out.push(ExceptionItem {
                    kind: ExceptionKind::ReturnAwaitingInspection,
                    order_id: order.id,
                    order_number: order.number.clone(),
                    shipment_id: None,
                    return_id: Some(r.id),
                    since: r.received_at.unwrap_or(r.requested_at),
                    age_seconds: now.signed_duration_since(r.received_at.unwrap_or(r.requested_at)).num_seconds(),
                    reasons: vec![format!("return {} received, not inspected", r.rma_number)],
                    actions: vec!["inspect_return".into()],
                });
            }
            let mut active = ctx.tx.orders(&OrderQuery { state: Some(OrderState::InFulfillment), ..OrderQuery::default() })?;
            // Claims can be opened after delivery, when the order is completed already.
            active.extend(
                ctx.tx
                    .orders(&OrderQuery { state: Some(OrderState::Completed), ..OrderQuery::default() })?
                    .into_iter()
                    .filter(|o| o.claims.iter().any(|c| c.state == crate::ClaimState::Open)),
            );
            for o in &active {
                for c in o.claims.iter().filter(|c| c.state == crate::ClaimState::Open) {
                    out.push(ExceptionItem {
                        kind: ExceptionKind::ClaimOpen,
                        order_id: o.id,
                        order_number: o.number.clone(),
                        shipment_id: Some(c.shipment_id),
                        return_id: None,
                        since: c.opened_at,
                        age_seconds: now.signed_duration_since(c.opened_at).num_seconds(),
                        reasons: vec![format!("claim {}: {}", c.number, crate::util::snake_case(&format!("{:?}", c.kind)))],
                        actions: vec!["resolve_claim".into()],
                    });
                }
                let waiting: Vec<String> = o
                    .lines
                    .iter()
                    .filter(|l| l.quantities.backordered > 0)
                    .map(|l| format!("{} × {} backordered", l.quantities.backordered, l.sku))
                    .collect();
                if !waiting.is_empty() && now.signed_duration_since(o.placed_at) > self.inner.backorder_alert_after {
                    out.push(ExceptionItem {
                        kind: ExceptionKind::BackorderOverdue,
                        order_id: o.id,
                        order_number: o.number.clone(),
                        shipment_id: None,
                        return_id: None,
                        since: o.placed_at,
                        age_seconds: now.signed_duration_since(o.placed_at).num_seconds(),
                        reasons: waiting,
                        actions: vec!["receive_stock".into(), "transfer_stock".into(), "cancel_lines".into(), "hold_order".into()],
                    });
                }
            }
            out.sort_by_key(|e| e.since);
            Ok(out)
        })
    }
}
