"""Shapes of ordo's inputs, as ``TypedDict``s for editors and type checkers.

Every structured argument of :class:`ordo.Oms` is a plain mapping (or keyword arguments);
these types name its keys. Money and rates are ``Decimal`` (an ``int`` or an exact
string also works, a ``float`` is a ``TypeError``), timestamps timezone-aware
``datetime``, ids ``uuid.UUID`` / UUID strings / the records themselves.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Sequence, TypedDict, Union
from uuid import UUID

#: A money amount or a rate.
Amount = Union[Decimal, int, str]
#: An id: ``uuid.UUID``, a UUID string, or a record with an ``id`` (``Location``, ``Order``, …).
Id = Union[UUID, str, Any]
#: A timestamp: a timezone-aware ``datetime`` (or an RFC 3339 string).
Timestamp = Union[datetime, str]


class GeoPointInput(TypedDict):
    lat: float
    lon: float


class AddressInput(TypedDict, total=False):
    name: str
    company: str
    line1: str
    line2: str
    postal_code: str
    city: str
    region: str
    country: str
    phone: str
    geo: GeoPointInput


class CustomerInput(TypedDict, total=False):
    id: str
    name: str
    email: str
    phone: str
    locale: str


class _NewLineRequired(TypedDict):
    sku: str
    quantity: int
    unit_price: Amount


class NewLine(_NewLineRequired, total=False):
    name: str
    tax_rate: Amount
    discount: Amount


class NewDiscount(TypedDict):
    code: str
    amount: Amount


class NewShipping(TypedDict, total=False):
    amount: Amount
    tax_rate: Amount


class _NewOrderRequired(TypedDict):
    channel: str
    currency: str
    lines: Sequence[NewLine]


class NewOrder(_NewOrderRequired, total=False):
    external_ref: str
    cart_ref: str
    prices_include_tax: bool
    customer: CustomerInput
    shipping_address: AddressInput
    billing_address: AddressInput
    delivery: Dict[str, Any]  # {"type": "ship"} or {"type": "pickup", "location": id}
    payment_method: str  # prepaid, invoice, cash_on_delivery, pay_at_pickup
    discounts: Sequence[NewDiscount]
    shipping: NewShipping
    notes: Sequence[str]
    metadata: Dict[str, str]
    placed_at: Timestamp


class _NewPaymentRequired(TypedDict):
    kind: str  # authorized, captured, voided, failed, refunded, charged_back
    amount: Amount
    currency: str


class NewPayment(_NewPaymentRequired, total=False):
    reference: str
    at: Timestamp


class _NewChannelRequired(TypedDict):
    code: str


class NewChannel(_NewChannelRequired, total=False):
    name: str
    return_window_days: int
    allocation: Dict[str, Any]  # strategy, allow_split, max_shipments, on_shortage
    locations: Sequence[str]
    shipping_refund: str


class _NewLocationRequired(TypedDict):
    code: str


class NewLocation(_NewLocationRequired, total=False):
    name: str
    kind: str  # warehouse, store
    address: AddressInput
    geo: GeoPointInput
    priority: int
    channels: Sequence[str]
    ships: bool
    pickup: bool


class _ReceiveStockRequired(TypedDict):
    sku: str
    location: Id
    quantity: int


class ReceiveStock(_ReceiveStockRequired, total=False):
    reference: str


class AdjustStock(TypedDict):
    sku: str
    location: Id
    delta: int
    reason: str


# `from` is a Python keyword: the functional form (or `from_=` as a keyword argument).
TransferStock = TypedDict("TransferStock", {"sku": str, "from": Id, "to": Id, "quantity": int, "reference": str}, total=False)


class HoldLine(TypedDict):
    sku: str
    quantity: int


class HoldRequest(TypedDict):
    cart_ref: str
    channel: str
    lines: Sequence[HoldLine]
    ttl_seconds: int


class UnitsOfLine(TypedDict):
    """``{line, quantity}``: picked, cancelled, returned or received units of a line."""

    line: Id
    quantity: int


class PackageInput(TypedDict, total=False):
    weight_grams: int
    dimensions_mm: Sequence[int]
    reference: str
    contents: Sequence[UnitsOfLine]


class _ShipInputRequired(TypedDict):
    carrier: str
    tracking_number: str


class ShipInput(_ShipInputRequired, total=False):
    service: str


class _TrackingEventRequired(TypedDict):
    code: str


class TrackingEvent(_TrackingEventRequired, total=False):
    shipment: Id
    tracking_number: str
    at: Timestamp


class _ReturnUnitsRequired(TypedDict):
    line: Id
    quantity: int


class ReturnUnits(_ReturnUnitsRequired, total=False):
    exchange_sku: str
    exchange_unit_price: Amount


class _ReturnRequestRequired(TypedDict):
    lines: Sequence[ReturnUnits]


class ReturnRequest(_ReturnRequestRequired, total=False):
    reason: str  # does_not_fit, damaged, wrong_item, not_as_described, changed_mind, other
    note: str
    resolution: str  # refund, store_credit, exchange, repair


class _ReceiveReturnRequired(TypedDict):
    location: Id


class ReceiveReturn(_ReceiveReturnRequired, total=False):
    lines: Sequence[UnitsOfLine]


class _InspectionRequired(TypedDict):
    line: Id
    quantity: int
    disposition: str  # restock, write_off, repair, return_to_vendor


class Inspection(_InspectionRequired, total=False):
    note: str


class OrderChanges(TypedDict, total=False):
    customer: CustomerInput
    shipping_address: AddressInput
    billing_address: AddressInput
    delivery: Dict[str, Any]
    lines: Sequence[Dict[str, Any]]  # {"type": "add", "line": NewLine}, {"type": "set_quantity", …}, {"type": "remove", …}
    note: str
    dry_run: bool


class OrderQuery(TypedDict, total=False):
    state: str
    channel: str
    placed_from: Timestamp
    placed_until: Timestamp
    offset: int
    limit: int


class _NewHoldRequired(TypedDict):
    code: str


class NewHold(_NewHoldRequired, total=False):
    message: str


class _NewPickListRequired(TypedDict):
    location: Id


class NewPickList(_NewPickListRequired, total=False):
    max_shipments: int


class _CounterPaymentRequired(TypedDict):
    method: str  # cash, card, …


class CounterPayment(_CounterPaymentRequired, total=False):
    tendered: Amount
    reference: str


class _CounterSaleRequired(TypedDict):
    location: Id
    channel: str
    currency: str
    lines: Sequence[NewLine]
    payment: CounterPayment


class CounterSale(_CounterSaleRequired, total=False):
    discounts: Sequence[NewDiscount]
    customer: CustomerInput
    external_ref: str


class _NewClaimRequired(TypedDict):
    kind: str  # lost, damaged, wrong_item, missing_item


class NewClaim(_NewClaimRequired, total=False):
    carrier_reference: str
    note: str


class _ClaimSettlementRequired(TypedDict):
    resolution: str  # replacement, refund


class ClaimSettlement(_ClaimSettlementRequired, total=False):
    carrier_reference: str


__all__: List[str] = [n for n in dir() if n[:1].isupper() and not n.startswith("_")]
