"""Outbox events: :class:`Event` with a typed payload per event type.

``event.type`` is the snake_case event name (``"order_placed"``, ``"shipment_shipped"``,
…); ``event.data`` is the payload record of that type (``None`` for types without
payload). Event types this version does not know yet come as :class:`ordo.types.Data`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Tuple, Type, Union
from uuid import UUID

from ._records import Data, Mode, Record, record
from .types import ClaimKind, ClaimResolution, HoldReason, Inspection, LineUnits, Money, OrderState, PaymentKind, PlannedAllocation, TrackingStatus

_PAYLOADS: Dict[str, Type[Record]] = {}


def _payload(type_name: str) -> Any:
    def register(cls: Type[Record]) -> Type[Record]:
        out = record(cls)
        _PAYLOADS[type_name] = out
        return out

    return register


@_payload("order_placed")
class OrderPlaced(Record):
    number: str
    channel: str
    external_ref: Optional[str]
    total: Money


@_payload("order_held")
class OrderHeld(Record):
    reasons: Tuple[HoldReason, ...]


@_payload("order_released")
class OrderReleased(Record):
    state: OrderState
    note: Optional[str]


@_payload("customer_notification_required")
class CustomerNotificationRequired(Record):
    topic: str
    message: str


@_payload("order_edited")
class OrderEdited(Record):
    fields: Tuple[str, ...]
    total_before: Optional[Money] = None
    total_after: Optional[Money] = None
    to_collect: Optional[Money] = None
    to_refund: Optional[Money] = None


@_payload("payment_recorded")
class PaymentRecorded(Record):
    kind: PaymentKind
    amount: Money
    reference: Optional[str]


@_payload("order_allocated")
class OrderAllocated(Record):
    allocations: Tuple[PlannedAllocation, ...]
    backordered: Tuple[LineUnits, ...]
    explanations: Tuple[str, ...]


@_payload("shipment_created")
class ShipmentCreated(Record):
    shipment_id: UUID
    location: UUID
    lines: Tuple[LineUnits, ...]


@_payload("shipment_picked")
class ShipmentPicked(Record):
    shipment_id: UUID
    short: Tuple[LineUnits, ...]


@_payload("shipment_packed")
class ShipmentPacked(Record):
    shipment_id: UUID
    packages: int


@_payload("shipment_shipped")
class ShipmentShipped(Record):
    shipment_id: UUID
    carrier: str
    service: Optional[str]
    tracking_number: str
    tracking_url: Optional[str]
    capture_due: Money


@_payload("shipment_ready_for_pickup")
class ShipmentReadyForPickup(Record):
    shipment_id: UUID
    location: UUID


@_payload("shipment_handed_over")
class ShipmentHandedOver(Record):
    shipment_id: UUID
    capture_due: Money


@_payload("pick_list_created")
class PickListCreated(Record):
    pick_list_id: UUID
    location: UUID
    shipments: int
    units: int


@_payload("shipment_status_changed")
class ShipmentStatusChanged(Record):
    shipment_id: UUID
    status: TrackingStatus
    code: str


@_payload("shipment_cancelled")
class ShipmentCancelled(Record):
    shipment_id: UUID


@_payload("line_cancelled")
class LineCancelled(Record):
    line: UUID
    sku: str
    quantity: int
    amount: Money
    reason: str


@_payload("order_cancelled")
class OrderCancelled(Record):
    reason: str
    refund_due: Money


@_payload("return_requested")
class ReturnRequested(Record):
    return_id: UUID
    rma_number: str
    lines: Tuple[LineUnits, ...]


@_payload("return_approved")
class ReturnApproved(Record):
    return_id: UUID
    label: Optional[str]


@_payload("return_rejected")
class ReturnRejected(Record):
    return_id: UUID
    reason: str


@_payload("return_cancelled")
class ReturnCancelled(Record):
    return_id: UUID
    reason: str


@_payload("return_received")
class ReturnReceived(Record):
    return_id: UUID
    location: UUID
    lines: Tuple[LineUnits, ...]


@_payload("return_inspected")
class ReturnInspected(Record):
    return_id: UUID
    dispositions: Tuple[Inspection, ...]


@_payload("refund_due")
class RefundDue(Record):
    return_id: UUID
    amount: Money
    resolution: str


@_payload("follow_up_order_placed")
class FollowUpOrderPlaced(Record):
    return_id: UUID
    order_id: UUID
    resolution: str
    amount_due: Money


@_payload("claim_opened")
class ClaimOpened(Record):
    claim_id: UUID
    shipment_id: UUID
    kind: ClaimKind


@_payload("claim_resolved")
class ClaimResolved(Record):
    claim_id: UUID
    resolution: ClaimResolution
    replacement_order: Optional[UUID]
    refund: Money
    carrier_reference: Optional[str]


@_payload("stock_changed")
class StockChanged(Record):
    sku: str
    location: UUID
    on_hand: int
    reserved: int
    available: int


Payload = Union[Record, Data]


@record
class Event(Record):
    """An outbox event (at-least-once; acknowledge with ``ack_events``)."""

    seq: int
    id: UUID
    schema: int
    at: datetime
    order_id: Optional[UUID]
    type: str
    data: Optional[Payload] = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Event":
        raw = dict(data)
        payload = raw.pop("data", None)
        ev = super().from_json(raw)
        if payload is not None:
            kind = _PAYLOADS.get(ev.type)
            typed: Payload = kind.from_json(payload) if kind is not None else Data(payload)
            object.__setattr__(ev, "data", typed)
        return ev

    def to_dict(self, mode: Mode = "python") -> Dict[str, Any]:
        out = super().to_dict(mode)
        if self.data is None:
            out.pop("data", None)
        else:
            out["data"] = self.data.to_dict(mode)
        return out

    def __repr__(self) -> str:
        return f"Event(seq={self.seq}, type={self.type!r}, order_id={str(self.order_id) if self.order_id else None!r}, data={self.data!r})"


@record
class TimelineEntry(Record):
    """One entry of an order's history."""

    at: datetime
    event_type: str
    summary: str
    event: Event

    def __repr__(self) -> str:
        return f"TimelineEntry(at={self.at.isoformat()!r}, event_type={self.event_type!r}, summary={self.summary!r})"


def payload_types() -> Dict[str, Type[Record]]:
    """Event type name → payload class."""
    return dict(_PAYLOADS)


__all__ = ["Event", "LineUnits", "Payload", "TimelineEntry", "payload_types"] + [c.__name__ for c in _PAYLOADS.values()]
