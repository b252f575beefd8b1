//! Claims for lost, damaged, wrong or missing goods.

use serde::{Deserialize, Serialize};

use super::Oms;
use crate::claims::{Claim, ClaimKind, ClaimResolution, ClaimState, NewClaim};
use crate::error::{ConflictError, Error, InputError, Result};
use crate::event::EventKind;
use crate::ids::{ClaimId, OrderId, ShipmentId};
use crate::money::Money;
use crate::order::{NewLine, Order, OrderState, PaymentMethod};
use crate::shipment::{Shipment, ShipmentState};

/// Input of [`Oms::resolve_claim`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSettlement {
    /// Replacement or refund.
    pub resolution: ClaimResolution,
    /// The carrier's claim reference (kept if already recorded).
    #[serde(default)]
    pub carrier_reference: Option<String>,
}

impl ClaimSettlement {
    /// Settles with `resolution`.
    #[must_use]
    pub fn new(resolution: ClaimResolution) -> Self {
        ClaimSettlement { resolution, carrier_reference: None }
    }
}

fn claimable(kind: ClaimKind, state: ShipmentState) -> bool {
    use ShipmentState as S;
    match kind {
        ClaimKind::Lost => {
            matches!(state, S::Shipped | S::InTransit | S::OutForDelivery | S::DeliveryFailed | S::Lost | S::ReturnedToSender)
        }
        ClaimKind::Damaged => state.has_shipped(),
        ClaimKind::WrongItem | ClaimKind::MissingItem => matches!(state, S::Delivered | S::PickedUp),
    }
}

impl Oms {
    /// Opens a claim about a shipment: lost (not delivered), damaged, wrong item or missing
    /// item (delivered). The claim waits in [`Oms::exceptions`] until it is resolved.
    ///
    /// # Errors
    /// `NotFound` for the shipment; `InvalidTransition` when the shipment's state does not
    /// fit the kind of claim; `Conflict` when the shipment already has a claim.
    pub fn open_claim(&self, shipment_id: ShipmentId, claim: NewClaim) -> Result<Claim> {
        self.command("open_claim", &(shipment_id, &claim), |ctx| {
            let s = ctx.shipment(shipment_id)?;
            if !claimable(claim.kind, s.state) {
                return Err(Error::transition("shipment", s.id, s.state, "open this claim for"));
            }
            let mut order = ctx.order(s.order_id)?;
            if order.claims.iter().any(|c| c.shipment_id == s.id) {
                return Err(ConflictError::AlreadyExists { entity: "claim for shipment", key: s.id.to_string() }.into());
            }
            let c = Claim {
                id: ClaimId::new(),
                number: format!("C-{}-{}", order.number, order.claims.len() + 1),
                order_id: order.id,
                shipment_id: s.id,
                kind: claim.kind,
                state: ClaimState::Open,
                carrier_reference: claim.carrier_reference.clone().filter(|r| !r.trim().is_empty()),
                note: claim.note.clone(),
                resolution: None,
                replacement_order: None,
                refund: None,
                opened_at: ctx.now,
                resolved_at: None,
            };
            order.claims.push(c.clone());
            ctx.save_order(&mut order)?;
            ctx.emit(Some(order.id), EventKind::ClaimOpened { claim_id: c.id, shipment_id: s.id, kind: c.kind });
            Ok(c)
        })
    }

    /// Settles the open claim of a shipment: a replacement (a free follow-up order with the
    /// shipment's units, allocated like any order) or a refund of the units' exact value.
    /// An order whose every unit is delivered or covered by a resolved claim completes.
    ///
    /// # Errors
    /// `NotFound` when the shipment has no claim; `InvalidTransition` when it is resolved.
    pub fn resolve_claim(&self, shipment_id: ShipmentId, settlement: ClaimSettlement) -> Result<Claim> {
        self.command("resolve_claim", &(shipment_id, &settlement), |ctx| {
            let s = ctx.shipment(shipment_id)?;
            let mut order = ctx.order(s.order_id)?;
            let Some(idx) = order.claims.iter().position(|c| c.shipment_id == s.id) else {
                return Err(Error::not_found("claim for shipment", s.id));
            };
            if order.claims[idx].state != ClaimState::Open {
                return Err(Error::transition("claim", &order.claims[idx].number, order.claims[idx].state, "resolve"));
            }
            let number = order.claims[idx].number.clone();
            let mut refund = Money::zero(order.currency);
            let mut replacement = None;
            match settlement.resolution {
                ClaimResolution::Refund => {
                    for sl in &s.lines {
                        if let Some(ol) = order.line_mut(sl.line) {
                            let v = ol.units_value(ol.refunded_units, sl.picked);
                            ol.refunded_units += sl.picked;
                            ol.refunded = ol.refunded.checked_add(v)?;
                            refund = refund.checked_add(v)?;
                        }
                    }
                }
                ClaimResolution::Replacement => {
                    let lines: Vec<NewLine> = s
                        .lines
                        .iter()
                        .filter(|l| l.picked > 0)
                        .map(|l| {
                            let original = order.line(l.line);
                            let mut nl = NewLine::new(l.sku.clone(), l.picked, rust_decimal::Decimal::ZERO)
                                .tax_rate(original.map_or(rust_decimal::Decimal::ZERO, |o| o.tax_rate));
                            nl.name = original.map(|o| o.name.clone()).unwrap_or_default();
                            nl
                        })
                        .collect();
                    if lines.is_empty() {
                        return Err(InputError::new("shipment", "the shipment has no units to replace").into());
                    }
                    let placed = self.follow_up(ctx, &order, &number, lines, "replacement", PaymentMethod::Invoice)?;
                    replacement = Some(placed.id);
                    // The replacement is placed in this transaction; reload the original.
                    order = ctx.order(order.id)?;
                }
            }
            let c = &mut order.claims[idx];
            c.state = ClaimState::Resolved;
            c.resolution = Some(settlement.resolution);
            c.replacement_order = replacement;
            c.refund = Some(refund);
            c.resolved_at = Some(ctx.now);
            if let Some(r) = settlement.carrier_reference.as_ref().filter(|r| !r.trim().is_empty()) {
                c.carrier_reference = Some(r.clone());
            }
            let claim = c.clone();
            let shipments = ctx.tx.shipments_of_order(order.id)?;
            let completes = order.state == OrderState::InFulfillment && settled(&order, &shipments);
            if completes {
                order.state = OrderState::Completed;
            }
            ctx.save_order(&mut order)?;
            ctx.emit(
                Some(order.id),
                EventKind::ClaimResolved {
                    claim_id: claim.id,
                    resolution: settlement.resolution,
                    replacement_order: replacement,
                    refund,
                    carrier_reference: claim.carrier_reference.clone(),
                },
            );
            ctx.emit(
                Some(order.id),
                EventKind::CustomerNotificationRequired {
                    topic: "claim_resolved".into(),
                    message: match settlement.resolution {
                        ClaimResolution::Replacement => format!("Claim {number} of order {}: a replacement is on its way", order.number),
                        ClaimResolution::Refund => format!("Claim {number} of order {}: {refund} will be refunded", order.number),
                    },
                },
            );
            if completes {
                ctx.emit(Some(order.id), EventKind::OrderCompleted);
            }
            Ok(claim)
        })
    }

    /// The claims of an order.
    ///
    /// # Errors
    /// `NotFound` for the order.
    pub fn claims(&self, order_id: OrderId) -> Result<Vec<Claim>> {
        Ok(self.get_order(order_id)?.claims)
    }
}

/// Whether every open unit of `order` is delivered or in a shipment with a resolved claim.
fn settled(order: &Order, shipments: &[Shipment]) -> bool {
    order.lines.iter().all(|l| {
        let claimed: u32 = shipments
            .iter()
            .filter(|s| order.claims.iter().any(|c| c.shipment_id == s.id && c.state == ClaimState::Resolved))
            .filter(|s| !matches!(s.state, ShipmentState::Delivered | ShipmentState::PickedUp))
            .flat_map(|s| &s.lines)
            .filter(|sl| sl.line == l.id)
            .map(|sl| sl.picked)
            .sum();
        l.quantities.delivered + claimed >= l.quantities.open()
    })
}
