//! Human-readable texts: timeline summaries and customer-facing status messages.

use std::str::FromStr;

use crate::error::InputError;
use crate::event::EventKind;
use crate::order::{FulfillmentStatus, Order, OrderState};
use crate::returns::{Resolution, Return, ReturnState};
use crate::shipment::{Shipment, ShipmentState};

/// Language of customer-facing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Locale {
    /// English.
    En,
    /// German.
    De,
}

impl FromStr for Locale {
    type Err = InputError;
    /// Parses `"en"`, `"de"` and regional forms such as `"de-AT"` or `"en_GB"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lang = s.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match lang.as_str() {
            "en" => Ok(Locale::En),
            "de" => Ok(Locale::De),
            _ => Err(InputError::new("locale", format!("'{s}' is not supported (use \"en\" or \"de\")"))),
        }
    }
}

/// One sentence for the timeline (English, for staff).
pub(crate) fn summary(kind: &EventKind) -> String {
    match kind {
        EventKind::OrderPlaced { number, channel, total, .. } => format!("Order {number} placed on {channel} for {total}"),
        EventKind::OrderConfirmed => "Validation passed; order confirmed".into(),
        EventKind::OrderHeld { reasons } => {
            format!("On hold: {}", reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))
        }
        EventKind::OrderReleased { state, note } => {
            format!(
                "Hold released, back to {}{}",
                crate::util::snake_case(&format!("{state:?}")),
                note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
            )
        }
        EventKind::CustomerNotificationRequired { message, .. } => format!("Customer to be told: {message}"),
        EventKind::OrderEdited { fields, total_before, total_after, .. } => match (total_before, total_after) {
            (Some(b), Some(a)) if b != a => format!("Changed: {}; total {b} → {a}", fields.join(", ")),
            _ => format!("Changed: {}", fields.join(", ")),
        },
        EventKind::PaymentRecorded { kind, amount, .. } => {
            format!("Payment {} {amount}", crate::util::snake_case(&format!("{kind:?}")).replace('_', " "))
        }
        EventKind::OrderAllocated { explanations, .. } => format!("Stock reserved: {}", explanations.join("; ")),
        EventKind::ShipmentCreated { lines, .. } => {
            format!("Shipment created with {} units", lines.iter().map(|l| l.quantity).sum::<u32>())
        }
        EventKind::ShipmentPicked { short, .. } if short.is_empty() => "Shipment picked".into(),
        EventKind::ShipmentPicked { short, .. } => {
            format!(
                "Shipment picked short: missing {}",
                short.iter().map(|u| format!("{} × {}", u.quantity, u.sku)).collect::<Vec<_>>().join(", ")
            )
        }
        EventKind::ShipmentPacked { packages, .. } => format!("Shipment packed in {packages} package(s)"),
        EventKind::ShipmentShipped { carrier, tracking_number, capture_due, .. } => {
            format!("Shipped with {carrier}, tracking number {tracking_number}; {capture_due} due for capture")
        }
        EventKind::ShipmentStatusChanged { status, code, .. } => {
            format!("Carrier: {} ({code})", crate::util::snake_case(&format!("{status:?}")).replace('_', " "))
        }
        EventKind::ShipmentReadyForPickup { .. } => "Ready for pickup at the store".into(),
        EventKind::ShipmentHandedOver { capture_due, .. } => format!("Handed over to the customer; {capture_due} due for capture"),
        EventKind::PickListCreated { shipments, units, .. } => format!("Pick list created: {shipments} shipments, {units} units"),
        EventKind::ShipmentCancelled { .. } => "Shipment cancelled, reservation released".into(),
        EventKind::LineCancelled { sku, quantity, amount, reason, .. } => format!("{quantity} × {sku} cancelled ({reason}); {amount}"),
        EventKind::OrderCompleted => "Everything delivered; order completed".into(),
        EventKind::OrderCancelled { reason, refund_due } => format!("Cancelled ({reason}); refund due {refund_due}"),
        EventKind::ReturnRequested { rma_number, lines, .. } => {
            format!("Return {rma_number} requested for {} units", lines.iter().map(|l| l.quantity).sum::<u32>())
        }
        EventKind::ReturnApproved { .. } => "Return approved".into(),
        EventKind::ReturnRejected { reason, .. } => format!("Return rejected: {reason}"),
        EventKind::ReturnCancelled { reason, .. } => format!("Return withdrawn: {reason}"),
        EventKind::ReturnReceived { lines, .. } => {
            format!("Returned goods received: {} units", lines.iter().map(|l| l.quantity).sum::<u32>())
        }
        EventKind::ReturnInspected { dispositions, .. } => format!(
            "Returned goods inspected: {}",
            dispositions
                .iter()
                .map(|d| format!("{} × {}", d.quantity, crate::util::snake_case(&format!("{:?}", d.disposition)).replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        EventKind::RefundDue { amount, resolution, .. } => format!("{} due: {amount}", resolution.replace('_', " ")),
        EventKind::FollowUpOrderPlaced { resolution, amount_due, .. } => format!("{resolution} order placed; {amount_due} due"),
        EventKind::ClaimOpened { kind, .. } => format!("Claim opened: {}", crate::util::snake_case(&format!("{kind:?}")).replace('_', " ")),
        EventKind::ClaimResolved { resolution, refund, .. } => match resolution {
            crate::claims::ClaimResolution::Replacement => "Claim settled with a replacement".into(),
            crate::claims::ClaimResolution::Refund => format!("Claim settled: {refund} refund due"),
        },
        EventKind::StockChanged { sku, on_hand, reserved, .. } => format!("Stock of {sku}: {on_hand} on hand, {reserved} reserved"),
    }
}

/// The customer-facing sentence about where an order is.
pub(crate) fn status_message(order: &Order, shipments: &[Shipment], returns: &[Return], locale: Locale) -> String {
    let n = &order.number;
    let de = locale == Locale::De;
    let latest_return = returns.iter().filter(|r| !matches!(r.state, ReturnState::Cancelled)).max_by_key(|r| r.id);
    if let Some(r) = latest_return {
        let rma = &r.rma_number;
        return match (r.state, de) {
            (ReturnState::Requested, false) => format!("We have registered your return {rma} for order {n} and will check it shortly."),
            (ReturnState::Requested, true) => format!("Wir haben Ihre Retoure {rma} zur Bestellung {n} erfasst und prüfen sie in Kürze."),
            (ReturnState::Approved, false) => format!("Your return {rma} for order {n} is approved; please send the goods back."),
            (ReturnState::Approved, true) => {
                format!("Ihre Retoure {rma} zur Bestellung {n} ist genehmigt; bitte senden Sie die Ware zurück.")
            }
            (ReturnState::Rejected, false) => format!("Your return {rma} for order {n} could not be accepted."),
            (ReturnState::Rejected, true) => format!("Ihre Retoure {rma} zur Bestellung {n} konnte leider nicht angenommen werden."),
            (ReturnState::Received | ReturnState::Inspected, false) => {
                format!("We have received your return {rma} for order {n} and are checking it.")
            }
            (ReturnState::Received | ReturnState::Inspected, true) => {
                format!("Ihre Retoure {rma} zur Bestellung {n} ist bei uns eingegangen und wird geprüft.")
            }
            (ReturnState::Resolved, false) if r.resolution == Resolution::Exchange => {
                format!("Your exchange {rma} for order {n} is complete; the replacement is on its way.")
            }
            (ReturnState::Resolved, true) if r.resolution == Resolution::Exchange => {
                format!("Ihr Umtausch {rma} zur Bestellung {n} ist abgeschlossen; der Ersatz ist unterwegs.")
            }
            (ReturnState::Resolved, false) if r.resolution == Resolution::Repair => {
                format!("Your repair {rma} for order {n} is done; the goods are on their way back.")
            }
            (ReturnState::Resolved, true) if r.resolution == Resolution::Repair => {
                format!("Ihre Reparatur {rma} zur Bestellung {n} ist erledigt; die Ware ist auf dem Rückweg.")
            }
            (_, false) => format!(
                "Your return {rma} for order {n} is complete{}.",
                r.refund
                    .map(|m| format!(
                        "; {m} will be {}",
                        if r.resolution == Resolution::StoreCredit { "credited to your account" } else { "refunded" }
                    ))
                    .unwrap_or_default()
            ),
            (_, true) => format!(
                "Ihre Retoure {rma} zur Bestellung {n} ist abgeschlossen{}.",
                r.refund
                    .map(|m| {
                        let how = if r.resolution == Resolution::StoreCredit { "gutgeschrieben" } else { "erstattet" };
                        format!("; {} {} werden {how}", m.amount().to_string().replace('.', ","), m.currency())
                    })
                    .unwrap_or_default()
            ),
        };
    }
    let last_shipped = shipments.iter().filter(|s| s.state.has_shipped()).max_by_key(|s| s.shipped_at);
    let tracking = |de: bool| {
        last_shipped
            .and_then(|s| Some((s.carrier.clone()?, s.tracking_number.clone()?)))
            .map(|(c, t)| if de { format!(" ({c}, Sendungsnummer {t})") } else { format!(" ({c}, tracking number {t})") })
            .unwrap_or_default()
    };
    match order.state {
        OrderState::Cancelled => {
            return if de { format!("Ihre Bestellung {n} wurde storniert.") } else { format!("Your order {n} has been cancelled.") };
        }
        OrderState::OnHold => {
            return if de {
                format!("Ihre Bestellung {n} wird noch geprüft; wir melden uns bei Ihnen.")
            } else {
                format!("Your order {n} is being reviewed; we will get back to you.")
            };
        }
        OrderState::Placed => {
            return if de { format!("Ihre Bestellung {n} ist bei uns eingegangen.") } else { format!("We have received your order {n}.") };
        }
        _ => {}
    }
    if let Some(s) = last_shipped {
        match s.state {
            ShipmentState::OutForDelivery => {
                return if de {
                    format!("Ihre Bestellung {n} wird heute zugestellt{}.", tracking(true))
                } else {
                    format!("Your order {n} is out for delivery today{}.", tracking(false))
                };
            }
            ShipmentState::DeliveryFailed => {
                return if de {
                    format!("Die Zustellung Ihrer Bestellung {n} ist fehlgeschlagen; der Zusteller versucht es erneut{}.", tracking(true))
                } else {
                    format!("Delivery of your order {n} failed; the carrier will try again{}.", tracking(false))
                };
            }
            ShipmentState::Lost | ShipmentState::Damaged | ShipmentState::ReturnedToSender => {
                return if de {
                    format!("Bei der Zustellung Ihrer Bestellung {n} gab es ein Problem; wir kümmern uns darum.")
                } else {
                    format!("There was a problem delivering your order {n}; we are taking care of it.")
                };
            }
            _ => {}
        }
    }
    match (order.fulfillment_status, de) {
        (FulfillmentStatus::Delivered, false) => format!("Your order {n} has been delivered."),
        (FulfillmentStatus::Delivered, true) => format!("Ihre Bestellung {n} wurde zugestellt."),
        (FulfillmentStatus::PartiallyDelivered, false) => format!("Part of your order {n} has been delivered; the rest is on its way."),
        (FulfillmentStatus::PartiallyDelivered, true) => format!("Ein Teil Ihrer Bestellung {n} wurde zugestellt; der Rest ist unterwegs."),
        (FulfillmentStatus::Shipped, false) => format!("Your order {n} has been shipped{}.", tracking(false)),
        (FulfillmentStatus::Shipped, true) => format!("Ihre Bestellung {n} wurde versandt{}.", tracking(true)),
        (FulfillmentStatus::PartiallyShipped, false) => format!("Part of your order {n} has been shipped{}.", tracking(false)),
        (FulfillmentStatus::PartiallyShipped, true) => format!("Ein Teil Ihrer Bestellung {n} wurde versandt{}.", tracking(true)),
        (_, false) => format!("Your order {n} is confirmed and being prepared."),
        (_, true) => format!("Ihre Bestellung {n} ist bestätigt und wird vorbereitet."),
    }
}
