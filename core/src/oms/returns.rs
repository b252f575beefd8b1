//! Step 7: returns — request, approve or reject, receive, inspect, resolve.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::Oms;
use crate::error::{Error, InputError, Result};
use crate::event::{EventKind, LineUnits};
use crate::ids::{LineId, LocationId, OrderId, ReturnId};
use crate::inventory::MovementKind;
use crate::money::Money;
use crate::returns::{Disposition, Inspection, Resolution, Return, ReturnCommand, ReturnLine, ReturnReason, ReturnState};

/// Units of one order line in a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnUnits {
    /// The order line.
    pub line: LineId,
    /// Units.
    pub quantity: u32,
}

impl ReturnUnits {
    /// `quantity` units of `line`.
    #[must_use]
    pub fn new(line: LineId, quantity: u32) -> Self {
        ReturnUnits { line, quantity }
    }
}

/// Input of [`Oms::request_return`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequest {
    /// What comes back.
    pub lines: Vec<ReturnUnits>,
    /// Why.
    #[serde(default)]
    pub reason: ReturnReason,
    /// The customer's words.
    #[serde(default)]
    pub note: Option<String>,
    /// What the customer wants.
    #[serde(default)]
    pub resolution: Resolution,
}

impl ReturnRequest {
    /// A return of `lines` for `reason`, refunded.
    #[must_use]
    pub fn new(lines: Vec<ReturnUnits>, reason: ReturnReason) -> Self {
        ReturnRequest { lines, reason, note: None, resolution: Resolution::Refund }
    }
}

/// Input of [`Oms::receive_return`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveReturn {
    /// Where the goods arrived (any location, a store counter too).
    pub location: LocationId,
    /// Units received; empty means everything still expected.
    #[serde(default)]
    pub lines: Vec<ReturnUnits>,
}

impl ReceiveReturn {
    /// Everything expected arrived at `location`.
    #[must_use]
    pub fn all_at(location: LocationId) -> Self {
        ReceiveReturn { location, lines: Vec::new() }
    }
}

fn guard(r: &Return, command: ReturnCommand) -> Result<()> {
    if r.state.allows(command) { Ok(()) } else { Err(Error::transition("return", &r.rma_number, r.state, command.name())) }
}

impl Oms {
    /// Requests a return of shipped units, within the channel's return window counted
    /// from delivery. Each return gets an RMA number.
    ///
    /// # Errors
    /// `InvalidInput` for no lines, unknown lines, zero quantities, or more units than
    /// shipped and not already in another return; `ReturnWindowClosed` after the window.
    pub fn request_return(&self, order_id: OrderId, request: ReturnRequest) -> Result<Return> {
        self.command("request_return", &(order_id, &request), |ctx| {
            let order = ctx.order(order_id)?;
            if request.lines.is_empty() {
                return Err(InputError::new("lines", "a return needs at least one line").into());
            }
            let channel = ctx.channel(&order.channel)?;
            let earlier = ctx.tx.returns_of_order(order.id)?;
            let shipments = ctx.tx.shipments_of_order(order.id)?;
            let mut lines: Vec<ReturnLine> = Vec::new();
            for (i, u) in request.lines.iter().enumerate() {
                let field = |n: &str| format!("lines[{i}].{n}");
                let Some(line) = order.line(u.line) else {
                    return Err(InputError::new(field("line"), format!("order {} has no line {}", order.number, u.line)).into());
                };
                if u.quantity == 0 {
                    return Err(InputError::new(field("quantity"), "must be at least 1").into());
                }
                let in_returns: u32 = earlier
                    .iter()
                    .filter(|r| !matches!(r.state, ReturnState::Rejected | ReturnState::Cancelled))
                    .flat_map(|r| &r.lines)
                    .filter(|l| l.line == u.line)
                    .map(|l| l.quantity)
                    .sum::<u32>()
                    + lines.iter().filter(|l| l.line == u.line).map(|l| l.quantity).sum::<u32>();
                let returnable = line.quantities.shipped.saturating_sub(in_returns);
                if u.quantity > returnable {
                    return Err(InputError::new(
                        field("quantity"),
                        format!(
                            "{} units of {} requested, {returnable} returnable ({} shipped, {in_returns} already in returns)",
                            u.quantity, line.sku, line.quantities.shipped
                        ),
                    )
                    .into());
                }
                let delivered = shipments.iter().filter(|s| s.lines.iter().any(|l| l.line == u.line)).filter_map(|s| s.delivered_at).max();
                if let Some(d) = delivered {
                    let closes = d + Duration::days(i64::from(channel.return_window_days));
                    if ctx.now > closes {
                        return Err(Error::ReturnWindowClosed { order_id: order.id.to_string(), sku: line.sku.clone(), closed_at: closes });
                    }
                }
                lines.push(ReturnLine {
                    line: u.line,
                    sku: line.sku.clone(),
                    quantity: u.quantity,
                    received: 0,
                    restocked: 0,
                    written_off: 0,
                });
            }
            let mut r = Return {
                id: ReturnId::new(),
                rma_number: format!("R-{}-{}", order.number, earlier.len() + 1),
                order_id: order.id,
                state: ReturnState::Requested,
                reason: request.reason,
                note: request.note.clone(),
                resolution: request.resolution,
                lines,
                label: None,
                rejection: None,
                received_at_location: None,
                received_at: None,
                refund: None,
                requested_at: ctx.now,
                resolved_at: None,
                version: 0,
            };
            ctx.save_return(&mut r)?;
            let units = r.lines.iter().map(|l| LineUnits { line: l.line, sku: l.sku.clone(), quantity: l.quantity }).collect();
            ctx.emit(Some(order.id), EventKind::ReturnRequested { return_id: r.id, rma_number: r.rma_number.clone(), lines: units });
            Ok(r)
        })
    }

    /// The return with `id`.
    ///
    /// # Errors
    /// `NotFound`.
    pub fn get_return(&self, id: ReturnId) -> Result<Return> {
        self.query(|ctx| ctx.return_(id))
    }

    /// The returns of an order.
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn returns(&self, order_id: OrderId) -> Result<Vec<Return>> {
        self.query(|ctx| {
            ctx.order(order_id)?;
            let mut r = ctx.tx.returns_of_order(order_id)?;
            r.sort_by_key(|r| r.id);
            Ok(r)
        })
    }

    /// Approves a requested return, optionally with a return label reference.
    ///
    /// # Errors
    /// `InvalidTransition` unless requested.
    pub fn approve_return(&self, return_id: ReturnId, label: Option<String>) -> Result<Return> {
        self.command("approve_return", &(return_id, &label), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Approve)?;
            r.state = ReturnState::Approved;
            r.label = label.clone();
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnApproved { return_id: r.id, label: label.clone() });
            Ok(r)
        })
    }

    /// Rejects a requested return with a reason.
    ///
    /// # Errors
    /// `InvalidInput` for an empty reason; `InvalidTransition` unless requested.
    pub fn reject_return(&self, return_id: ReturnId, reason: &str) -> Result<Return> {
        self.command("reject_return", &(return_id, reason), |ctx| {
            if reason.trim().is_empty() {
                return Err(InputError::new("reason", "a rejection needs a reason").into());
            }
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Reject)?;
            r.state = ReturnState::Rejected;
            r.rejection = Some(reason.to_owned());
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnRejected { return_id: r.id, reason: reason.to_owned() });
            Ok(r)
        })
    }

    /// Withdraws a return that is requested or approved (nothing received yet).
    ///
    /// # Errors
    /// `InvalidTransition` once goods were received, or when already closed.
    pub fn cancel_return(&self, return_id: ReturnId, reason: &str) -> Result<Return> {
        self.command("cancel_return", &(return_id, reason), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Cancel)?;
            r.state = ReturnState::Cancelled;
            r.rejection = Some(reason.to_owned());
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnCancelled { return_id: r.id, reason: reason.to_owned() });
            Ok(r)
        })
    }

    /// Books returned goods received at a location (partial receipts allowed). The
    /// goods wait for inspection before they count as stock again.
    ///
    /// # Errors
    /// `InvalidTransition` unless approved, received or inspected; `InvalidInput` for
    /// lines not in the return, more units than expected, or a second location.
    pub fn receive_return(&self, return_id: ReturnId, receipt: ReceiveReturn) -> Result<Return> {
        self.command("receive_return", &(return_id, &receipt), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Receive)?;
            ctx.location(receipt.location)?;
            if r.received_at_location.is_some_and(|l| l != receipt.location) {
                return Err(InputError::new("location", "goods of one return are received at one location").into());
            }
            let wanted: Vec<ReturnUnits> = if receipt.lines.is_empty() {
                r.lines.iter().filter(|l| l.quantity > l.received).map(|l| ReturnUnits::new(l.line, l.quantity - l.received)).collect()
            } else {
                receipt.lines.clone()
            };
            if wanted.is_empty() {
                return Err(InputError::new("lines", "everything of this return was received already").into());
            }
            let mut order = ctx.order(r.order_id)?;
            let mut got = Vec::new();
            for (i, u) in wanted.iter().enumerate() {
                let Some(rl) = r.lines.iter_mut().find(|l| l.line == u.line) else {
                    return Err(
                        InputError::new(format!("lines[{i}].line"), format!("line {} is not in return {}", u.line, r.rma_number)).into()
                    );
                };
                if u.quantity == 0 || rl.received + u.quantity > rl.quantity {
                    return Err(InputError::new(
                        format!("lines[{i}].quantity"),
                        format!("{} units received, {} expected", u.quantity, rl.quantity - rl.received),
                    )
                    .into());
                }
                rl.received += u.quantity;
                if let Some(ol) = order.line_mut(u.line) {
                    ol.quantities.returned += u.quantity;
                }
                got.push(LineUnits { line: u.line, sku: rl.sku.clone(), quantity: u.quantity });
            }
            r.state = ReturnState::Received;
            r.received_at_location = Some(receipt.location);
            r.received_at = Some(ctx.now);
            ctx.save_return(&mut r)?;
            ctx.save_order(&mut order)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnReceived { return_id: r.id, location: receipt.location, lines: got });
            Ok(r)
        })
    }

    /// Inspects received units: restock puts them back into available stock at the
    /// receiving location; write-off records them as lost to the books. The return is
    /// `inspected` once every received unit has a decision.
    ///
    /// # Errors
    /// `InvalidTransition` unless received; `InvalidInput` for units not received or
    /// already inspected.
    pub fn inspect_return(&self, return_id: ReturnId, inspections: Vec<Inspection>) -> Result<Return> {
        self.command("inspect_return", &(return_id, &inspections), |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Inspect)?;
            if inspections.is_empty() {
                return Err(InputError::new("inspections", "at least one decision").into());
            }
            let location = r.received_at_location.ok_or_else(|| InputError::new("return", "nothing received yet"))?;
            for (i, d) in inspections.iter().enumerate() {
                let Some(rl) = r.lines.iter_mut().find(|l| l.line == d.line) else {
                    return Err(InputError::new(
                        format!("inspections[{i}].line"),
                        format!("line {} is not in return {}", d.line, r.rma_number),
                    )
                    .into());
                };
                if d.quantity == 0 || d.quantity > rl.uninspected() {
                    return Err(InputError::new(
                        format!("inspections[{i}].quantity"),
                        format!("{} units to inspect, {} received and not inspected", d.quantity, rl.uninspected()),
                    )
                    .into());
                }
                let sku = rl.sku.clone();
                let q = i64::from(d.quantity);
                match d.disposition {
                    Disposition::Restock => {
                        rl.restocked += d.quantity;
                        ctx.move_stock(&sku, location, MovementKind::Restocked, q, 0, d.note.clone(), Some(r.order_id))?;
                    }
                    Disposition::WriteOff => {
                        rl.written_off += d.quantity;
                        let reason = Some(d.note.clone().unwrap_or_else(|| "returned goods written off".into()));
                        ctx.move_stock(&sku, location, MovementKind::WrittenOff, 0, 0, reason, Some(r.order_id))?;
                    }
                }
            }
            if r.lines.iter().all(|l| l.uninspected() == 0) {
                r.state = ReturnState::Inspected;
            }
            ctx.save_return(&mut r)?;
            ctx.emit(Some(r.order_id), EventKind::ReturnInspected { return_id: r.id, dispositions: inspections.clone() });
            Ok(r)
        })
    }

    /// Resolves an inspected return: the refund (or store credit) for the received units
    /// is each unit's exact share of what the customer paid for its line. An event says
    /// the money is due; record the provider's refund with
    /// [`record_payment`](Oms::record_payment).
    ///
    /// # Errors
    /// `InvalidTransition` unless inspected.
    pub fn resolve_return(&self, return_id: ReturnId) -> Result<Return> {
        self.command("resolve_return", &return_id, |ctx| {
            let mut r = ctx.return_(return_id)?;
            guard(&r, ReturnCommand::Resolve)?;
            let mut order = ctx.order(r.order_id)?;
            let mut total = Money::zero(order.currency);
            for rl in &r.lines {
                if let Some(ol) = order.line_mut(rl.line) {
                    let value = ol.units_value(ol.refunded_units, rl.received);
                    ol.refunded_units += rl.received;
                    ol.refunded = ol.refunded.checked_add(value)?;
                    total = total.checked_add(value)?;
                }
            }
            r.state = ReturnState::Resolved;
            r.refund = Some(total);
            r.resolved_at = Some(ctx.now);
            ctx.save_return(&mut r)?;
            ctx.save_order(&mut order)?;
            let resolution = match r.resolution {
                Resolution::Refund => "refund",
                Resolution::StoreCredit => "store_credit",
            };
            ctx.emit(Some(r.order_id), EventKind::RefundDue { return_id: r.id, amount: total, resolution: resolution.into() });
            ctx.emit(
                Some(r.order_id),
                EventKind::CustomerNotificationRequired {
                    topic: "return_resolved".into(),
                    message: format!(
                        "Return {} of order {} is resolved: {} {}",
                        r.rma_number,
                        order.number,
                        total,
                        resolution.replace('_', " ")
                    ),
                },
            );
            Ok(r)
        })
    }
}
