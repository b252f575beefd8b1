"""ordo's result types: immutable records with typed attributes.

Amounts are :class:`decimal.Decimal` (inside :class:`Money`, with its currency), timestamps
timezone-aware :class:`datetime.datetime` in UTC, ids :class:`uuid.UUID`, states and kinds
string enums (equal to their snake_case names, so ``order.state == "placed"`` holds).
Every record has ``to_dict()`` (Python values) and ``to_dict("json")`` (the core's JSON
form, as in ``tests/scenarios``); ``Record.from_json`` reads that form back.

>>> from decimal import Decimal
>>> m = Money(Decimal("19.99"), "EUR")
>>> str(m), m.to_dict("json")
('19.99 EUR', {'amount': '19.99', 'currency': 'EUR'})
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Mapping, Optional, Tuple
from uuid import UUID

from ._records import Data, Record, omit_none, record
from .enums import (
    AllocationStrategy,
    ClaimKind,
    ClaimResolution,
    ClaimState,
    Disposition,
    ExceptionKind,
    FulfillmentStatus,
    HoldCode,
    LocationKind,
    MovementKind,
    OrderState,
    PaymentKind,
    PaymentMethod,
    PaymentStatus,
    Resolution,
    ReturnReason,
    ReturnState,
    ShipmentState,
    ShippingRefund,
    ShortagePolicy,
    TrackingStatus,
)

# --- money and parties ---------------------------------------------------------------


@record
class Money(Record):
    """An exact amount in an ISO 4217 currency."""

    amount: Decimal
    currency: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Money":
        if type(data) is dict and len(data) == 2:  # the hot path: ~30 amounts per order
            obj = object.__new__(cls)
            obj.__dict__.update(amount=Decimal(data["amount"]), currency=data["currency"])
            return obj
        return super().from_json(data)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


@record
class GeoPoint(Record):
    """Coordinates (WGS 84 degrees)."""

    lat: float
    lon: float


@record
class Customer(Record):
    """Who ordered."""

    id: Optional[str]
    name: str
    email: Optional[str]
    phone: Optional[str]
    locale: Optional[str]


@record
class Address(Record):
    """A postal address."""

    name: str
    company: Optional[str]
    line1: str
    line2: Optional[str]
    postal_code: str
    city: str
    region: Optional[str]
    country: str
    phone: Optional[str]
    geo: Optional[GeoPoint]


@record
class DeliveryMethod(Record):
    """``type`` ``"ship"``, or ``"pickup"`` at ``location``."""

    type: str
    location: Optional[UUID] = omit_none()


@record
class HoldReason(Record):
    """One reason an order is held."""

    code: HoldCode
    message: str


# --- orders --------------------------------------------------------------------------


@record
class LineAmounts(Record):
    """A line's amounts after discounts and tax."""

    subtotal: Money
    line_discount: Money
    order_discount: Money
    net: Money
    tax: Money
    gross: Money


@record
class LineQuantities(Record):
    """Per-line quantities: the truth the statuses are derived from."""

    ordered: int
    cancelled: int
    allocated: int
    backordered: int
    picked: int
    packed: int
    shipped: int
    delivered: int
    returned: int


@record
class OrderTotals(Record):
    """An order's totals."""

    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    net: Money
    total: Money


@record
class ShippingCharge(Record):
    """The shipping charged."""

    amount: Money
    tax_rate: Decimal


@record
class Discount(Record):
    """An order-level discount."""

    code: str
    amount: Money


@record
class PaymentRecord(Record):
    """One recorded payment report."""

    id: UUID
    kind: PaymentKind
    amount: Money
    reference: Optional[str]
    at: datetime


@record
class PaymentSummary(Record):
    """Sums of the payment reports."""

    authorized: Money
    captured: Money
    voided: Money
    refunded: Money
    last_failed: bool


@record
class Claim(Record):
    """A claim for a lost, damaged, wrong or missing parcel of a shipment."""

    id: UUID
    number: str
    order_id: UUID
    shipment_id: UUID
    kind: ClaimKind
    state: ClaimState
    carrier_reference: Optional[str]
    note: Optional[str]
    resolution: Optional[ClaimResolution]
    replacement_order: Optional[UUID]
    refund: Optional[Money]
    opened_at: datetime
    resolved_at: Optional[datetime]


@record
class OrderLine(Record):
    """A line of an order."""

    id: UUID
    sku: str
    name: str
    unit_price: Money
    tax_rate: Decimal
    amounts: LineAmounts
    quantities: LineQuantities
    refunded: Money
    refunded_units: int

    def __repr__(self) -> str:
        return f"OrderLine(sku={self.sku!r}, quantity={self.quantities.ordered}, unit_price={self.unit_price}, gross={self.amounts.gross}, id={str(self.id)!r})"


@record
class Order(Record):
    """An order: lines, amounts, parties, payments and derived statuses."""

    _is_entity: ClassVar[bool] = True

    id: UUID
    number: str
    channel: str
    external_ref: Optional[str]
    cart_ref: Optional[str]
    state: OrderState
    held_from: Optional[OrderState]
    holds: Tuple[HoldReason, ...]
    held_since: Optional[datetime]
    currency: str
    prices_include_tax: bool
    customer: Customer
    shipping_address: Optional[Address]
    billing_address: Optional[Address]
    delivery: DeliveryMethod
    payment_method: PaymentMethod
    lines: Tuple[OrderLine, ...]
    discounts: Tuple[Discount, ...]
    shipping: Optional[ShippingCharge]
    totals: OrderTotals
    payments: Tuple[PaymentRecord, ...]
    payment: PaymentSummary
    payment_status: PaymentStatus
    fulfillment_status: FulfillmentStatus
    notes: Tuple[str, ...]
    metadata: Mapping[str, str]
    placed_at: datetime
    updated_at: datetime
    version: int
    fingerprint: int
    claims: Tuple[Claim, ...] = ()
    shipping_refunded: bool = False

    def line(self, sku_or_id: Any) -> OrderLine:
        """The line with this SKU (the first) or id."""
        for ln in self.lines:
            if ln.sku == sku_or_id or ln.id == sku_or_id or str(ln.id) == str(sku_or_id):
                return ln
        raise KeyError(sku_or_id)

    def __repr__(self) -> str:
        return (
            f"Order(number={self.number!r}, state={self.state.value!r}, total={self.totals.total}, "
            f"lines={len(self.lines)}, payment={self.payment_status.value!r}, "
            f"fulfillment={self.fulfillment_status.value!r}, id={str(self.id)!r})"
        )


# --- network and stock ---------------------------------------------------------------


@record
class AllocationPolicy(Record):
    """A channel's allocation rules."""

    strategy: AllocationStrategy
    allow_split: bool
    max_shipments: Optional[int]
    on_shortage: ShortagePolicy


@record
class Channel(Record):
    """A sales channel."""

    code: str
    name: str
    return_window_days: int
    allocation: AllocationPolicy
    locations: Tuple[str, ...]
    shipping_refund: ShippingRefund = ShippingRefund.WHEN_ALL_RETURNED


@record
class Location(Record):
    """A warehouse or store."""

    _is_entity: ClassVar[bool] = True

    id: UUID
    code: str
    name: str
    kind: LocationKind
    address: Optional[Address]
    geo: Optional[GeoPoint]
    priority: int
    channels: Tuple[str, ...]
    ships: bool
    pickup: bool
    active: bool


@record
class BackorderPolicy(Record):
    """``type`` ``"deny"``, ``"allow"`` or ``"preorder"`` (with the ``expected`` date)."""

    type: str
    expected: Optional[datetime] = omit_none()


@record
class SkuSettings(Record):
    """Per-SKU settings."""

    sku: str
    backorder: BackorderPolicy


@record
class StockLevel(Record):
    """Units of a SKU at a location."""

    sku: str
    location: UUID
    on_hand: int
    reserved: int
    safety_stock: int
    available: int


@record
class Movement(Record):
    """An entry of the append-only inventory ledger."""

    id: UUID
    sku: str
    location: UUID
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    reason: Optional[str]
    order_id: Optional[UUID]
    at: datetime


@record
class InventoryDiscrepancy(Record):
    """A stock level that differs from its ledger."""

    sku: str
    location: UUID
    stored_on_hand: int
    ledger_on_hand: int
    stored_reserved: int
    ledger_reserved: int


@record
class HeldUnits(Record):
    """Units held for a cart at a location."""

    sku: str
    location: UUID
    quantity: int


@record
class StockHold(Record):
    """A checkout hold."""

    cart_ref: str
    channel: str
    lines: Tuple[HeldUnits, ...]
    expires_at: datetime
    order_id: Optional[UUID]


# --- allocation and shipments --------------------------------------------------------


@record
class PlannedAllocation(Record):
    """Units of a line reserved at a location."""

    line: UUID
    sku: str
    location: UUID
    quantity: int


@record
class Backorder(Record):
    """Units of a line that could not be reserved."""

    line: UUID
    sku: str
    quantity: int


@record
class AllocationPlan(Record):
    """The planner's decision, explained."""

    allocations: Tuple[PlannedAllocation, ...]
    backorders: Tuple[Backorder, ...]
    explanations: Tuple[str, ...]


@record
class ShipmentLine(Record):
    """Units of an order line in a shipment."""

    line: UUID
    sku: str
    quantity: int
    picked: int


@record
class PackageItem(Record):
    """Units of a line in a package."""

    line: UUID
    quantity: int


@record
class Package(Record):
    """A parcel."""

    weight_grams: int
    dimensions_mm: Optional[Tuple[int, ...]]
    reference: Optional[str]
    contents: Tuple[PackageItem, ...] = ()


@record
class TrackingRecord(Record):
    """A carrier event recorded on a shipment."""

    code: str
    status: TrackingStatus
    at: datetime
    applied: bool


@record
class Shipment(Record):
    """Units of one order leaving one location."""

    _is_entity: ClassVar[bool] = True

    id: UUID
    order_id: UUID
    location: UUID
    state: ShipmentState
    lines: Tuple[ShipmentLine, ...]
    packages: Tuple[Package, ...]
    carrier: Optional[str]
    service: Optional[str]
    tracking_number: Optional[str]
    pick_list: Optional[UUID]
    tracking_url: Optional[str]
    tracking: Tuple[TrackingRecord, ...]
    created_at: datetime
    shipped_at: Optional[datetime]
    delivered_at: Optional[datetime]
    version: int

    @property
    def units(self) -> int:
        """Units in the shipment."""
        return sum(ln.quantity for ln in self.lines)

    def __repr__(self) -> str:
        return (
            f"Shipment(state={self.state.value!r}, units={self.units}, carrier={self.carrier!r}, "
            f"tracking_number={self.tracking_number!r}, id={str(self.id)!r})"
        )


@record
class Allocation(Record):
    """Result of ``allocate_order``: the order, its new shipments and the plan."""

    order: Order
    shipments: Tuple[Shipment, ...]
    plan: AllocationPlan


@record
class PickTarget(Record):
    """Where picked units of a pick line go."""

    order_id: UUID
    order_number: str
    shipment_id: UUID
    line: UUID
    quantity: int


@record
class PickLine(Record):
    """One SKU to pick, with its bin."""

    bin: Optional[str]
    sku: str
    name: str
    quantity: int
    targets: Tuple[PickTarget, ...]


@record
class PickList(Record):
    """A wave pick list across orders."""

    _is_entity: ClassVar[bool] = True

    id: UUID
    location: UUID
    shipments: Tuple[UUID, ...]
    lines: Tuple[PickLine, ...]
    created_at: datetime


@record
class SlipLine(Record):
    """A line of a packing slip."""

    sku: str
    name: str
    quantity: int
    ordered: int
    to_come: int


@record
class PackingSlip(Record):
    """A packing slip as data, with its ``text`` and ``html`` renderings."""

    order_id: UUID
    order_number: str
    shipment_id: UUID
    placed_at: datetime
    ship_from: Tuple[str, ...]
    ship_to: Tuple[str, ...]
    lines: Tuple[SlipLine, ...]
    still_to_come: Tuple[SlipLine, ...]
    packages: int
    return_instructions: str
    locale: str
    text: str = ""
    html: str = ""

    def __repr__(self) -> str:
        return f"PackingSlip(order_number={self.order_number!r}, lines={len(self.lines)}, packages={self.packages})"


@record
class ReceiptLine(Record):
    """A line of a counter receipt."""

    sku: str
    name: str
    quantity: int
    unit_price: Money
    total: Money
    tax_rate: Decimal


@record
class TaxLine(Record):
    """Tax of one rate on a receipt."""

    rate: Decimal
    net: Money
    tax: Money
    gross: Money


@record
class Receipt(Record):
    """A counter receipt, with its ``text`` rendering."""

    number: str
    store: Tuple[str, ...]
    at: datetime
    lines: Tuple[ReceiptLine, ...]
    discount: Money
    taxes: Tuple[TaxLine, ...]
    total: Money
    payment_method: str
    tendered: Optional[Money]
    change: Optional[Money]
    payment_reference: Optional[str]
    text: str = ""

    def __repr__(self) -> str:
        return f"Receipt(number={self.number!r}, total={self.total}, lines={len(self.lines)})"


@record
class CounterSaleResult(Record):
    """Result of ``sell_at_counter``."""

    order: Order
    shipment: Shipment
    receipt: Receipt


# --- returns -------------------------------------------------------------------------


@record
class Inspection(Record):
    """What inspection decided for units of a line."""

    line: UUID
    quantity: int
    disposition: Disposition
    note: Optional[str]


@record
class ReturnLine(Record):
    """Units of a line in a return."""

    line: UUID
    sku: str
    quantity: int
    received: int
    restocked: int
    written_off: int
    repaired: int = 0
    returned_to_vendor: int = 0
    exchange_sku: Optional[str] = None
    exchange_unit_price: Optional[Money] = None


@record
class Return(Record):
    """A return (RMA)."""

    _is_entity: ClassVar[bool] = True

    id: UUID
    rma_number: str
    order_id: UUID
    state: ReturnState
    reason: ReturnReason
    note: Optional[str]
    resolution: Resolution
    lines: Tuple[ReturnLine, ...]
    label: Optional[str]
    rejection: Optional[str]
    received_at_location: Optional[UUID]
    received_at: Optional[datetime]
    refund: Optional[Money]
    requested_at: datetime
    resolved_at: Optional[datetime]
    version: int
    amount_due: Optional[Money] = None
    follow_up_order: Optional[UUID] = None

    def __repr__(self) -> str:
        return f"Return(rma_number={self.rma_number!r}, state={self.state.value!r}, refund={self.refund}, id={str(self.id)!r})"


# --- order edits -------------------------------------------------------------------


@record
class LineUnits(Record):
    """Units of an order line."""

    line: UUID
    sku: str
    quantity: int


@record
class OrderEdit(Record):
    """Result of ``edit_order``: the order (as it would be, with ``dry_run``), whether the
    edit was applied, and what it means for money and stock."""

    order: Order
    applied: bool
    fields: Tuple[str, ...]
    total_before: Money
    total_after: Money
    to_collect: Money
    to_refund: Money
    released: Tuple[LineUnits, ...]
    to_allocate: Tuple[LineUnits, ...]

    def __repr__(self) -> str:
        return (
            f"OrderEdit(applied={self.applied}, fields={list(self.fields)}, total={self.total_before} → {self.total_after}, "
            f"to_collect={self.to_collect}, to_refund={self.to_refund})"
        )


# --- queries -------------------------------------------------------------------------


@record
class ExceptionItem(Record):
    """An item of the exception queue: something a person should look at."""

    kind: ExceptionKind
    order_id: UUID
    order_number: str
    shipment_id: Optional[UUID]
    return_id: Optional[UUID]
    since: datetime
    age_seconds: int
    reasons: Tuple[str, ...]
    actions: Tuple[str, ...]


@record
class ImportResult(Record):
    """What became of one order of ``import_orders``: ``status`` is ``"placed"``,
    ``"already_existed"`` (with ``order_id`` and ``number``) or ``"failed"`` (with the
    error ``code`` and ``message``)."""

    status: str
    order_id: Optional[UUID] = omit_none()
    number: Optional[str] = omit_none()
    code: Optional[str] = omit_none()
    message: Optional[str] = omit_none()

    @property
    def ok(self) -> bool:
        """Placed now or before."""
        return self.status != "failed"


__all__ = [
    "Address",
    "Allocation",
    "AllocationPlan",
    "AllocationPolicy",
    "AllocationStrategy",
    "Backorder",
    "BackorderPolicy",
    "Channel",
    "Claim",
    "ClaimKind",
    "ClaimResolution",
    "ClaimState",
    "CounterSaleResult",
    "Customer",
    "Data",
    "DeliveryMethod",
    "Discount",
    "Disposition",
    "ExceptionItem",
    "ExceptionKind",
    "FulfillmentStatus",
    "GeoPoint",
    "HeldUnits",
    "HoldCode",
    "HoldReason",
    "ImportResult",
    "Inspection",
    "InventoryDiscrepancy",
    "LineAmounts",
    "LineQuantities",
    "LineUnits",
    "Location",
    "LocationKind",
    "Money",
    "Movement",
    "MovementKind",
    "Order",
    "OrderEdit",
    "OrderLine",
    "OrderState",
    "OrderTotals",
    "Package",
    "PackageItem",
    "PackingSlip",
    "PaymentKind",
    "PaymentMethod",
    "PaymentRecord",
    "PaymentStatus",
    "PaymentSummary",
    "PickLine",
    "PickList",
    "PickTarget",
    "PlannedAllocation",
    "Receipt",
    "ReceiptLine",
    "Resolution",
    "Return",
    "ReturnLine",
    "ReturnReason",
    "ReturnState",
    "Shipment",
    "ShipmentLine",
    "ShipmentState",
    "ShippingCharge",
    "ShippingRefund",
    "ShortagePolicy",
    "SkuSettings",
    "SlipLine",
    "StockHold",
    "StockLevel",
    "TaxLine",
    "TrackingRecord",
    "TrackingStatus",
]
