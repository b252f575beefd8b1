"""ordo — an embeddable order-management system, from Python.

Capture, validate, reserve, pick, pack and ship, deliver, return — with exact money
(``decimal.Decimal``; a ``float`` is a ``TypeError``), timezone-aware timestamps, typed
immutable results and one exception class per error code::

    from decimal import Decimal
    import ordo

    oms = ordo.Oms.in_memory()
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord", priority=1)
    oms.receive_stock(sku="TSHIRT-M", location=nord, quantity=25)
    order = oms.place_order(channel="web", currency="EUR", lines=[
        {"sku": "TSHIRT-M", "quantity": 2, "unit_price": Decimal("19.99"), "tax_rate": Decimal("0.19")}], …)

Every operation of the vocabulary is a method of :class:`Oms` with the same snake_case
name and parameter names as the scenario files (``return`` is ``return_``).
"""

from __future__ import annotations

from . import errors, events, inputs, types
from ._data import CSV_COLUMNS
from ._oms import IdLike, ManualClock, Oms
from ._ordo import __version__
from ._records import Data, Record, to_json
from .errors import (
    Conflict,
    CurrencyMismatch,
    InsufficientStock,
    InvalidAmount,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OrdoError,
    ReturnWindowClosed,
    StorageError,
    UnknownCurrency,
    ValidationFailed,
)
from .events import Event, TimelineEntry
from .types import (
    Address,
    Allocation,
    AllocationPlan,
    Channel,
    Claim,
    CounterSaleResult,
    Customer,
    ExceptionItem,
    ImportResult,
    Location,
    Money,
    Movement,
    Order,
    OrderEdit,
    OrderLine,
    OrderState,
    PackingSlip,
    PickList,
    Receipt,
    Return,
    Shipment,
    ShipmentState,
    StockHold,
    StockLevel,
)

__all__ = [
    "CSV_COLUMNS",
    "Address",
    "Allocation",
    "AllocationPlan",
    "Channel",
    "Claim",
    "Conflict",
    "CounterSaleResult",
    "CurrencyMismatch",
    "Customer",
    "Data",
    "Event",
    "ExceptionItem",
    "IdLike",
    "ImportResult",
    "InsufficientStock",
    "InvalidAmount",
    "InvalidInput",
    "InvalidTransition",
    "Location",
    "ManualClock",
    "Money",
    "Movement",
    "NotFound",
    "Oms",
    "Order",
    "OrderEdit",
    "OrderLine",
    "OrderState",
    "OrdoError",
    "PackingSlip",
    "PickList",
    "Receipt",
    "Record",
    "Return",
    "ReturnWindowClosed",
    "Shipment",
    "ShipmentState",
    "StockHold",
    "StockLevel",
    "StorageError",
    "TimelineEntry",
    "UnknownCurrency",
    "ValidationFailed",
    "__version__",
    "errors",
    "events",
    "inputs",
    "to_json",
    "types",
]
