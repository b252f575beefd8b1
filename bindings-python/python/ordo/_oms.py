"""The :class:`Oms` facade and the :class:`ManualClock`."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union
from uuid import UUID

from . import _ordo, inputs
from ._convert import merge, to_id, to_wire, utc
from ._data import DataScripts
from ._records import Record
from .errors import _invalid_input
from .events import Event, TimelineEntry
from .types import (
    Allocation,
    AllocationPlan,
    Channel,
    Claim,
    CounterSaleResult,
    ExceptionItem,
    InventoryDiscrepancy,
    Location,
    Movement,
    Order,
    OrderEdit,
    PackingSlip,
    PickList,
    Receipt,
    Return,
    Shipment,
    SkuSettings,
    StockHold,
    StockLevel,
    TrackingStatus,
)

R = TypeVar("R", bound=Record)

#: An id argument: ``uuid.UUID``, a UUID string, or the record itself (an ``Order``, …).
IdLike = Union[UUID, str, Order, Shipment, Return, Location, PickList]
T = TypeVar("T")
#: A structured argument: its ``TypedDict`` shape (see :mod:`ordo.inputs`) or any mapping.
In = Optional[Union[T, Mapping[str, Any]]]
Item = Union[T, Mapping[str, Any]]


def _one(cls: Type[R], data: Any) -> R:
    return cls.from_json(data)


def _many(cls: Type[R], data: Any) -> List[R]:
    return [cls.from_json(x) for x in data]


class ManualClock:
    """A clock that stands still until moved, for tests and simulations.

    >>> from datetime import datetime, timezone
    >>> clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    >>> clock.advance(days=15).isoformat()
    '2026-03-17T09:00:00+00:00'
    """

    __slots__ = ("_native",)

    def __init__(self, start: datetime) -> None:
        self._native = _ordo.ManualClock(utc(start, "start"))

    def now(self) -> datetime:
        """The time shown (UTC)."""
        return self._native.now()

    def set(self, to: datetime) -> None:
        """Sets the time (any timezone-aware datetime)."""
        self._native.set(utc(to, "to"))

    def advance(
        self, seconds: Union[float, timedelta] = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> datetime:
        """Moves the time forward (negative values go back); returns the new time."""
        for name, value in (("seconds", seconds), ("minutes", minutes), ("hours", hours), ("days", days)):
            if isinstance(value, bool):
                what = "a number of seconds or a timedelta" if name == "seconds" else f"a number of {name}"
                raise _invalid_input(name, f"expected {what}, got bool")
        by = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
        self._native.advance(by + timedelta(minutes=minutes, hours=hours, days=days))
        return self.now()

    def __repr__(self) -> str:
        return f"ManualClock({self.now().isoformat()!r})"


def _builder_args(
    clock: Optional[ManualClock],
    carriers: Optional[Mapping[str, str]],
    tracking_codes: Optional[Mapping[str, Union[TrackingStatus, str]]],
    order_numbers: Optional[Tuple[str, int]],
) -> Tuple[Any, ...]:
    if clock is not None and not isinstance(clock, ManualClock):
        raise TypeError(f"clock must be an ordo.ManualClock, got {type(clock).__name__}")
    return (
        clock._native if clock is not None else None,
        dict(carriers) if carriers else None,
        to_wire(dict(tracking_codes), "tracking_codes") if tracking_codes else None,
        tuple(order_numbers) if order_numbers else None,
    )


class Oms(DataScripts):
    """The order-management system: one handle for every command and query.

    One ``Oms`` may be shared by threads: the GIL is released while the core works, and
    every command runs in one transaction. Structured inputs are mappings (or keyword
    arguments); money is ``Decimal``; timestamps are timezone-aware ``datetime``.

    >>> from decimal import Decimal
    >>> oms = Oms.in_memory()
    >>> oms.add_channel(code="web", name="Web shop").code
    'web'
    >>> nord = oms.add_location(code="nord", name="Lager Nord")
    >>> oms.receive_stock(sku="MUG", location=nord, quantity=10).available
    10
    """

    __slots__ = ("_n",)

    def __init__(self, native: Any) -> None:
        if not isinstance(native, _ordo.Oms):
            raise TypeError("use Oms.in_memory() or Oms.open(path)")
        self._n = native

    # --- construction ----------------------------------------------------------------

    @classmethod
    def in_memory(
        cls,
        clock: Optional[ManualClock] = None,
        *,
        carriers: Optional[Mapping[str, str]] = None,
        tracking_codes: Optional[Mapping[str, Union[TrackingStatus, str]]] = None,
        order_numbers: Optional[Tuple[str, int]] = None,
    ) -> "Oms":
        """An OMS over a fresh in-memory store.

        ``clock``: a :class:`ManualClock` (default: the system clock). ``carriers``: carrier
        → tracking URL template (``{tracking}`` is replaced). ``tracking_codes``: a carrier's
        raw status code → normalized status. ``order_numbers``: ``(prefix, offset)``.
        """
        return cls(_ordo.Oms.in_memory(*_builder_args(clock, carriers, tracking_codes, order_numbers)))

    @classmethod
    def open(
        cls,
        path: Union[str, "os.PathLike[str]"],
        durability: str = "full",
        *,
        busy_timeout: Optional[float] = None,
        clock: Optional[ManualClock] = None,
        carriers: Optional[Mapping[str, str]] = None,
        tracking_codes: Optional[Mapping[str, Union[TrackingStatus, str]]] = None,
        order_numbers: Optional[Tuple[str, int]] = None,
        read_only: bool = False,
        checkpoint_pages: Optional[int] = None,
    ) -> "Oms":
        """An OMS over one SQLite file (created when missing; WAL mode).

        ``durability="full"`` (default) survives power loss; ``"normal"`` survives a crashed
        process but may lose the last commits on power loss, and is several times faster.
        ``busy_timeout``: seconds to wait for the writers ahead (default 5), then ``Busy``.
        ``read_only=True`` opens for queries only (so does a file that cannot be written):
        commands then raise ``ordo.StorageError`` with ``details["variant"] == "read_only"``.
        ``checkpoint_pages``: WAL pages between checkpoints (default 4000, 16 MiB; 256 on
        devices with little space).
        """
        if isinstance(busy_timeout, bool):
            raise _invalid_input("busy_timeout", "expected a number of seconds, got bool")
        timeout_ms = None if busy_timeout is None else int(busy_timeout * 1000)
        native_clock, native_carriers, codes, numbers = _builder_args(clock, carriers, tracking_codes, order_numbers)
        return cls(
            _ordo.Oms.open(
                os.fspath(path),
                durability,
                timeout_ms,
                native_clock,
                native_carriers,
                codes,
                numbers,
                read_only=read_only,
                checkpoint_pages=checkpoint_pages,
            )
        )

    def with_idempotency_key(self, key: str) -> "Oms":
        """A handle whose next commands run at most once per ``key``: a retry returns the
        first result; the key with another command or input is a ``Conflict``."""
        return Oms(self._n.with_idempotency_key(key))

    def now(self) -> datetime:
        """The current time of the configured clock (UTC)."""
        now: datetime = self._n.now()
        return now

    def __repr__(self) -> str:
        return f"ordo.{self._n!r}"

    # --- channels, locations, SKU settings -------------------------------------------

    def add_channel(self, channel: In[inputs.NewChannel] = None, **fields: Any) -> Channel:
        """Adds a sales channel (``code``, ``name``, ``return_window_days``, ``allocation``, ``locations``)."""
        return _one(Channel, self._n.add_channel(merge("channel", channel, fields)))

    def update_channel(self, channel: In[inputs.NewChannel] = None, **fields: Any) -> Channel:
        """Replaces a channel's settings (by ``code``)."""
        return _one(Channel, self._n.update_channel(merge("channel", channel, fields)))

    def channels(self) -> List[Channel]:
        """Every channel."""
        return _many(Channel, self._n.channels())

    def add_location(self, location: In[inputs.NewLocation] = None, **fields: Any) -> Location:
        """Adds a warehouse or store (``code``, ``name``, ``kind``, ``priority``, ``geo``, ``channels``, ``ships``, ``pickup``)."""
        return _one(Location, self._n.add_location(merge("location", location, fields)))

    def set_location_active(self, location: IdLike, active: bool) -> Location:
        """Takes a location out of (or back into) allocation."""
        return _one(Location, self._n.set_location_active(to_id(location, "location"), active))

    def locations(self) -> List[Location]:
        """Every location."""
        return _many(Location, self._n.locations())

    def set_backorder_policy(self, sku: str, policy: Union[Mapping[str, Any], str]) -> SkuSettings:
        """``{"type": "deny"}``, ``{"type": "allow"}`` or ``{"type": "preorder", "expected": datetime}``
        (a bare string is the type)."""
        data = {"type": policy} if isinstance(policy, str) else policy
        return _one(SkuSettings, self._n.set_backorder_policy(sku, to_wire(data, "policy")))

    def sku_settings(self, sku: str) -> SkuSettings:
        """A SKU's settings (defaults when never set)."""
        return _one(SkuSettings, self._n.sku_settings(sku))

    # --- stock -----------------------------------------------------------------------

    def hold_stock(self, request: In[inputs.HoldRequest] = None, **fields: Any) -> StockHold:
        """Holds stock for a checkout (``cart_ref``, ``channel``, ``lines``: ``{sku, quantity}``, ``ttl_seconds``)."""
        return _one(StockHold, self._n.hold_stock(merge("request", request, fields)))

    def stock_hold(self, cart_ref: str) -> StockHold:
        """A checkout hold by cart reference."""
        return _one(StockHold, self._n.stock_hold(cart_ref))

    def release_stock_hold(self, cart_ref: str) -> StockHold:
        """Releases a checkout hold."""
        return _one(StockHold, self._n.release_stock_hold(cart_ref))

    def release_expired_holds(self) -> int:
        """Releases holds past their time-to-live; returns how many."""
        return int(self._n.release_expired_holds())

    def receive_stock(self, receipt: In[inputs.ReceiveStock] = None, **fields: Any) -> StockLevel:
        """Books received units (``sku``, ``location``, ``quantity``, ``reference``); fills backorders oldest first."""
        return _one(StockLevel, self._n.receive_stock(merge("receipt", receipt, fields)))

    def adjust_stock(self, adjustment: In[inputs.AdjustStock] = None, **fields: Any) -> StockLevel:
        """Corrects on-hand units (``sku``, ``location``, ``delta``, ``reason``)."""
        return _one(StockLevel, self._n.adjust_stock(merge("adjustment", adjustment, fields)))

    def transfer_stock(self, transfer: In[inputs.TransferStock] = None, **fields: Any) -> Tuple[StockLevel, StockLevel]:
        """Moves units between locations (``sku``, ``from`` — or ``from_`` as keyword —, ``to``, ``quantity``);
        returns the levels at both ends."""
        a, b = _many(StockLevel, self._n.transfer_stock(merge("transfer", transfer, fields)))
        return a, b

    def set_safety_stock(self, sku: str, location: IdLike, units: int) -> StockLevel:
        """Units of ``sku`` at ``location`` kept back from allocation."""
        return _one(StockLevel, self._n.set_safety_stock(sku, to_id(location, "location"), units))

    def stock(self, sku: str) -> List[StockLevel]:
        """Levels of ``sku`` at every location that holds it."""
        return _many(StockLevel, self._n.stock(sku))

    def stock_levels(self, location: Optional[IdLike] = None) -> List[StockLevel]:
        """Every stock level by SKU and location, or only those of ``location``."""
        return _many(StockLevel, self._n.stock_levels(None if location is None else to_id(location, "location")))

    def available(self, sku: str, channel: Optional[str] = None) -> int:
        """Units of ``sku`` available in the network, or at the locations ``channel`` may use."""
        return int(self._n.available(sku, channel))

    def movements(self, sku: Optional[str] = None) -> List[Movement]:
        """The inventory ledger, oldest first, optionally of one SKU."""
        return _many(Movement, self._n.movements(sku))

    def verify_inventory(self) -> List[InventoryDiscrepancy]:
        """Rebuilds every level from the ledger; lists differences (none when the books are right)."""
        return _many(InventoryDiscrepancy, self._n.verify_inventory())

    # --- orders ----------------------------------------------------------------------

    def place_order(self, order: In[inputs.NewOrder] = None, **fields: Any) -> Order:
        """Step 1: captures an order (``channel``, ``currency``, ``lines``, ``external_ref``, ``customer``,
        ``shipping_address``, …); idempotent by channel and external reference."""
        return _one(Order, self._n.place_order(merge("order", order, fields)))

    def get_order(self, order: IdLike) -> Order:
        """An order by id."""
        return _one(Order, self._n.get_order(to_id(order, "order")))

    def find_order(self, reference: str) -> Order:
        """An order by number, or by ``"channel/external_ref"``."""
        return _one(Order, self._n.find_order(reference))

    def list_orders(self, query: In[inputs.OrderQuery] = None, **fields: Any) -> List[Order]:
        """Orders by filter (``state``, ``channel``, ``placed_from``, ``placed_until``, ``offset``, ``limit``)."""
        q = merge("query", query, fields) if (query is not None or fields) else None
        return _many(Order, self._n.list_orders(q))

    def record_payment(self, order: IdLike, payment: In[inputs.NewPayment] = None, **fields: Any) -> Order:
        """Records a payment report (``kind``, ``amount``, ``currency``, ``reference``, ``at``)."""
        return _one(Order, self._n.record_payment(to_id(order, "order"), merge("payment", payment, fields)))

    def validate_order(self, order: IdLike) -> Order:
        """Step 2: address, payment, availability and host validators; holds with reasons."""
        return _one(Order, self._n.validate_order(to_id(order, "order")))

    def hold_order(self, order: IdLike, hold: In[inputs.NewHold] = None, **fields: Any) -> Order:
        """Holds an order (``code``, ``message``)."""
        return _one(Order, self._n.hold_order(to_id(order, "order"), merge("hold", hold, fields)))

    def release_order(self, order: IdLike, note: Optional[str] = None) -> Order:
        """Releases a held order (validation holds are re-validated)."""
        return _one(Order, self._n.release_order(to_id(order, "order"), note))

    def edit_order(self, order: IdLike, changes: In[inputs.OrderChanges] = None, **fields: Any) -> OrderEdit:
        """Changes ``customer``, addresses, ``delivery`` and ``lines`` (``{"type": "add", "line": {…}}``,
        ``{"type": "set_quantity", "line", "quantity"}``, ``{"type": "remove", "line"}``), adds a ``note``;
        ``dry_run=True`` shows totals, money to collect or refund and stock impact without changing anything."""
        return _one(OrderEdit, self._n.edit_order(to_id(order, "order"), merge("changes", changes, fields)))

    def cancel_lines(self, order: IdLike, lines: Sequence[Item[inputs.UnitsOfLine]], reason: str) -> Order:
        """Cancels open, unpicked units of lines (``{line, quantity}``); their value is announced for refund."""
        return _one(Order, self._n.cancel_lines(to_id(order, "order"), to_wire(list(lines), "lines"), reason))

    def cancel_order(self, order: IdLike, reason: str) -> Order:
        """Cancels before shipping; releases reservations, announces the refund."""
        return _one(Order, self._n.cancel_order(to_id(order, "order"), reason))

    # --- allocation and fulfillment --------------------------------------------------

    def plan_allocation(self, order: IdLike) -> AllocationPlan:
        """Dry run of step 3: what allocation would reserve, explained."""
        return _one(AllocationPlan, self._n.plan_allocation(to_id(order, "order")))

    def allocate_order(self, order: IdLike) -> Allocation:
        """Step 3: reserves stock by the channel's strategy, one shipment per location."""
        return _one(Allocation, self._n.allocate_order(to_id(order, "order")))

    def shipments(self, order: IdLike) -> List[Shipment]:
        """Shipments of an order."""
        return _many(Shipment, self._n.shipments(to_id(order, "order")))

    def get_shipment(self, shipment: IdLike) -> Shipment:
        """A shipment by id."""
        return _one(Shipment, self._n.get_shipment(to_id(shipment, "shipment")))

    def set_bin(self, sku: str, location: IdLike, bin: Optional[str] = None) -> Optional[str]:
        """Sets (or clears, with ``None``) the bin of ``sku`` at ``location``; returns the bin now set."""
        out = self._n.set_bin(sku, to_id(location, "location"), bin)
        return None if out is None else str(out)

    def create_pick_list(self, request: In[inputs.NewPickList] = None, **fields: Any) -> PickList:
        """Step 4: a wave pick list at a location (``location``, ``max_shipments``)."""
        return _one(PickList, self._n.create_pick_list(merge("request", request, fields)))

    def pick_list(self, pick_list: IdLike) -> PickList:
        """A pick list by id."""
        return _one(PickList, self._n.pick_list(to_id(pick_list, "pick_list")))

    def confirm_pick(self, shipment: IdLike, picked: Optional[Sequence[Item[inputs.UnitsOfLine]]] = None) -> Shipment:
        """Step 4: confirms the pick; ``picked`` lists ``{line, quantity}`` of short lines only."""
        p = None if picked is None else to_wire(list(picked), "picked")
        return _one(Shipment, self._n.confirm_pick(to_id(shipment, "shipment"), p))

    def pack_shipment(self, shipment: IdLike, packages: Sequence[Item[inputs.PackageInput]]) -> Shipment:
        """Step 5: packages (``weight_grams``, ``dimensions_mm``, ``reference``, ``contents``)."""
        return _one(Shipment, self._n.pack_shipment(to_id(shipment, "shipment"), to_wire(list(packages), "packages")))

    def packing_slip(self, shipment: IdLike, locale: str = "en") -> PackingSlip:
        """The packing slip as data, with ``text`` and ``html`` renderings."""
        return _one(PackingSlip, self._n.packing_slip(to_id(shipment, "shipment"), locale))

    def ship(self, shipment: IdLike, input: In[inputs.ShipInput] = None, **fields: Any) -> Shipment:
        """Step 5: hands the shipment to a carrier (``carrier``, ``service``, ``tracking_number``)."""
        return _one(Shipment, self._n.ship(to_id(shipment, "shipment"), merge("input", input, fields)))

    def ready_for_pickup(self, shipment: IdLike) -> Shipment:
        """Pickup in store: the parcel is ready, the customer is told."""
        return _one(Shipment, self._n.ready_for_pickup(to_id(shipment, "shipment")))

    def hand_over(self, shipment: IdLike) -> Shipment:
        """Pickup in store: the customer collected the parcel."""
        return _one(Shipment, self._n.hand_over(to_id(shipment, "shipment")))

    def sell_at_counter(self, sale: In[inputs.CounterSale] = None, **fields: Any) -> CounterSaleResult:
        """Point of sale: placed, paid, taken from the store and handed over in one step."""
        return _one(CounterSaleResult, self._n.sell_at_counter(merge("sale", sale, fields)))

    def counter_receipt(self, order: IdLike) -> Receipt:
        """The receipt of a counter sale, with its ``text`` rendering."""
        return _one(Receipt, self._n.counter_receipt(to_id(order, "order")))

    def record_tracking_event(self, event: In[inputs.TrackingEvent] = None, **fields: Any) -> Shipment:
        """Step 6: a carrier event (``shipment`` or ``tracking_number``, ``code``, ``at``)."""
        return _one(Shipment, self._n.record_tracking_event(merge("event", event, fields)))

    # --- returns ---------------------------------------------------------------------

    def request_return(self, order: IdLike, request: In[inputs.ReturnRequest] = None, **fields: Any) -> Return:
        """Step 7: requests a return (``lines``: ``{line, quantity}``, ``reason``, ``note``, ``resolution``)."""
        return _one(Return, self._n.request_return(to_id(order, "order"), merge("request", request, fields)))

    def get_return(self, return_: IdLike) -> Return:
        """A return by id (the scenario argument ``return``)."""
        return _one(Return, self._n.get_return(to_id(return_, "return")))

    def returns(self, order: IdLike) -> List[Return]:
        """Returns of an order."""
        return _many(Return, self._n.returns(to_id(order, "order")))

    def approve_return(self, return_: IdLike, label: Optional[str] = None) -> Return:
        """Approves a return, optionally with a return label reference."""
        return _one(Return, self._n.approve_return(to_id(return_, "return"), label))

    def reject_return(self, return_: IdLike, reason: str) -> Return:
        """Rejects a return."""
        return _one(Return, self._n.reject_return(to_id(return_, "return"), reason))

    def cancel_return(self, return_: IdLike, reason: str) -> Return:
        """Cancels a return."""
        return _one(Return, self._n.cancel_return(to_id(return_, "return"), reason))

    def receive_return(self, return_: IdLike, receipt: In[inputs.ReceiveReturn] = None, **fields: Any) -> Return:
        """Books returned units at a location (``location``, ``lines`` — all when omitted)."""
        return _one(Return, self._n.receive_return(to_id(return_, "return"), merge("receipt", receipt, fields)))

    def inspect_return(self, return_: IdLike, inspections: Sequence[Item[inputs.Inspection]]) -> Return:
        """Inspection: ``{line, quantity, disposition: "restock"|"write_off", note}``."""
        return _one(Return, self._n.inspect_return(to_id(return_, "return"), to_wire(list(inspections), "inspections")))

    def resolve_return(self, return_: IdLike) -> Return:
        """Resolves a return: the exact refund (or store credit) is due."""
        return _one(Return, self._n.resolve_return(to_id(return_, "return")))

    # --- claims ----------------------------------------------------------------------

    def open_claim(self, shipment: IdLike, claim: In[inputs.NewClaim] = None, **fields: Any) -> Claim:
        """Opens a claim for a shipment (``kind``: lost, damaged, wrong_item, missing_item; ``carrier_reference``, ``note``)."""
        return _one(Claim, self._n.open_claim(to_id(shipment, "shipment"), merge("claim", claim, fields)))

    def resolve_claim(self, shipment: IdLike, settlement: In[inputs.ClaimSettlement] = None, **fields: Any) -> Claim:
        """Settles the shipment's claim (``resolution``: replacement or refund; ``carrier_reference``)."""
        return _one(Claim, self._n.resolve_claim(to_id(shipment, "shipment"), merge("settlement", settlement, fields)))

    def claims(self, order: IdLike) -> List[Claim]:
        """Claims of an order."""
        return _many(Claim, self._n.claims(to_id(order, "order")))

    # --- events and queries ----------------------------------------------------------

    def poll_events(self, limit: int = 100) -> List[Event]:
        """Pending outbox events, oldest first (at-least-once: acknowledge them)."""
        return _many(Event, self._n.poll_events(limit))

    def ack_events(self, ids: Sequence[Union[UUID, str, Event]]) -> int:
        """Acknowledges events (ids or the events); returns how many were pending."""
        wire = [str(i.id) if isinstance(i, Event) else to_id(i, "ids") for i in ids]
        return int(self._n.ack_events(wire))

    def timeline(self, order: IdLike) -> List[TimelineEntry]:
        """An order's history."""
        return _many(TimelineEntry, self._n.timeline(to_id(order, "order")))

    def status_message(self, order: IdLike, locale: str = "en") -> str:
        """A sentence for the customer, in German (``"de"``) or English."""
        return str(self._n.status_message(to_id(order, "order"), locale))

    def exceptions(self) -> List[ExceptionItem]:
        """Held orders, delivery problems, returns awaiting inspection."""
        return _many(ExceptionItem, self._n.exceptions())
