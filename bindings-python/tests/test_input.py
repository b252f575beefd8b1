"""Hostile and malformed input: booleans where numbers belong (and back), nesting beyond
the limit, strings that are not valid Unicode. Each is ``ordo.InvalidInput`` naming the
field, and nothing is stored."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

import ordo
from ordo import _ordo

from .conftest import new_order

#: ``ordo::limits::MAX_INPUT_DEPTH``: objects and lists inside each other, the argument included.
MAX_DEPTH = 32
TOO_DEEP = re.compile(r"^nested more than 32 levels deep$")
SURROGATE = re.compile(r"lone surrogate")


def invalid(call: Callable[[], Any], field: str, reason: "re.Pattern[str]") -> ordo.InvalidInput:
    """Runs ``call``; asserts it raises ``InvalidInput`` about exactly ``field``."""
    with pytest.raises(ordo.InvalidInput) as e:
        call()
    err = e.value
    assert err.code == "INVALID_INPUT"
    assert err.field == field, err.message
    assert reason.search(err.reason), err.reason
    assert err.message == f"invalid {field}: {err.reason}"
    return err


def line(**extra: Any) -> List[Dict[str, Any]]:
    return [{"sku": "MUG", "quantity": 1, "unit_price": Decimal("9.90"), **extra}]


# --- booleans are not numbers ------------------------------------------------------------

BOOL_NOT_NUMBER = re.compile(r"^invalid type: boolean `(true|false)`, expected ")


def test_a_bool_is_not_a_quantity_or_an_amount(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    nord = shop["nord"]
    cases: List[Tuple[Callable[[], Any], str]] = [
        (lambda: oms.place_order(new_order("b1", lines=line(quantity=True))), "order.lines[0].quantity"),
        (lambda: oms.place_order(new_order("b2", lines=line(unit_price=True))), "order.lines[0].unit_price"),
        (lambda: oms.place_order(new_order("b3", lines=line(tax_rate=False))), "order.lines[0].tax_rate"),
        (lambda: oms.place_order(new_order("b4", shipping={"amount": True})), "order.shipping.amount"),
        (lambda: oms.receive_stock(sku="MUG", location=nord, quantity=True), "receipt.quantity"),
        (lambda: oms.adjust_stock(sku="MUG", location=nord, delta=True, reason="count"), "adjustment.delta"),
        (lambda: oms.set_safety_stock("MUG", nord, True), "units"),
        (lambda: oms.poll_events(True), "limit"),
        (lambda: oms.hold_stock(cart_ref="c", channel="web", lines=[{"sku": "MUG", "quantity": True}]), "request.lines[0].quantity"),
        (lambda: oms.add_channel(code="pos", name="POS", return_window_days=True), "channel.return_window_days"),
    ]
    for call, field in cases:
        invalid(call, field, BOOL_NOT_NUMBER)
    assert oms.list_orders() == []
    assert [(lv.on_hand, lv.safety_stock) for lv in oms.stock("MUG")] == [(10, 0)]
    assert [c.code for c in oms.channels()] == ["web"]
    with pytest.raises(ordo.NotFound):
        oms.stock_hold("c")


def test_a_bool_is_not_a_payment_amount_or_an_option(shop: Dict[str, Any], tmp_path: Path) -> None:
    oms: ordo.Oms = shop["oms"]
    order = oms.place_order(new_order())
    invalid(lambda: oms.record_payment(order, kind="captured", amount=True, currency="EUR"), "payment.amount", BOOL_NOT_NUMBER)
    assert oms.get_order(order).payments == ()
    invalid(lambda: ordo.Oms.in_memory(order_numbers=("W-", True)), "order_numbers[1]", BOOL_NOT_NUMBER)
    invalid(lambda: ordo.Oms.open(tmp_path / "x.db", busy_timeout=True), "busy_timeout", re.compile(r"^expected a number of seconds, got bool$"))
    assert not (tmp_path / "x.db").exists()
    clock = ordo.ManualClock(oms.now())
    invalid(lambda: clock.advance(True), "seconds", re.compile(r"^expected a number of seconds or a timedelta, got bool$"))
    assert clock.now() == oms.now()
    # Real numbers still work.
    assert ordo.Oms.in_memory(order_numbers=("W-", 5)) is not None
    assert clock.advance(timedelta(seconds=1)) == oms.now() + timedelta(seconds=1)


def test_a_number_is_not_a_bool(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    nord = shop["nord"]
    number_not_bool = re.compile(r"^invalid type: integer `[01]`, expected a boolean$")
    invalid(lambda: oms.set_location_active(nord, 0), "active", number_not_bool)  # type: ignore[arg-type]
    invalid(lambda: oms.place_order(new_order("n1", prices_include_tax=1)), "order.prices_include_tax", number_not_bool)
    invalid(lambda: oms.add_location(code="x", name="X", ships=0), "location.ships", number_not_bool)
    assert [loc.active for loc in oms.locations()] == [True]
    assert oms.list_orders() == []
    assert oms.set_location_active(nord, False).active is False


# --- nesting -------------------------------------------------------------------------------


def nested(levels: int) -> Dict[str, Any]:
    """``{"a": {"a": …}}`` with ``levels`` dicts (built without recursion)."""
    root: Dict[str, Any] = {}
    cur = root
    for _ in range(levels - 1):
        cur["a"] = {}
        cur = cur["a"]
    return root


def test_nesting_beyond_the_limit_is_invalid_input_not_a_recursion_error(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    # order (level 1) → metadata (2) → 31 more dicts: 33 levels; the field is the dict at level 33.
    too_deep = "order.metadata" + ".a" * (MAX_DEPTH - 1)
    invalid(lambda: oms.place_order(new_order("d1", metadata=nested(MAX_DEPTH))), too_deep, TOO_DEEP)
    # 32 levels pass the conversion; the core then refuses the shape (metadata values are strings).
    with pytest.raises(ordo.InvalidInput) as e:
        oms.place_order(new_order("d2", metadata=nested(MAX_DEPTH - 1)))
    assert not TOO_DEEP.search(e.value.reason)
    # 10,000 levels: the same error, no RecursionError.
    invalid(lambda: oms.place_order(new_order("d3", metadata=nested(10_000))), too_deep, TOO_DEEP)
    # Any argument, any container: lists too.
    deep_list: List[Any] = []
    for _ in range(10_000):
        deep_list = [deep_list]
    some_order = "01900000-0000-7000-8000-000000000000"
    invalid(lambda: oms.cancel_lines(some_order, deep_list, "x"), "lines" + "[0]" * MAX_DEPTH, TOO_DEEP)
    # A dict that contains itself is caught by the same limit.
    cyclic: Dict[str, Any] = {"sku": "MUG", "location": shop["nord"], "quantity": 1}
    cyclic["self"] = cyclic
    invalid(lambda: oms.receive_stock(cyclic), "receipt" + ".self" * MAX_DEPTH, TOO_DEEP)
    assert oms.list_orders() == []
    assert oms.place_order(new_order("d4")).state == "placed"


def test_the_native_module_limits_nesting_itself(shop: Dict[str, Any]) -> None:
    """The checks hold for callers of the native module too (no Python layer in front)."""
    native: Any = shop["oms"]._n
    order = {"channel": "web", "currency": "EUR", "external_ref": "n1", "lines": [], "metadata": nested(10_000)}
    invalid(lambda: native.place_order(order), "order.metadata" + ".a" * (MAX_DEPTH - 1), TOO_DEEP)
    invalid(lambda: native.poll_events(True), "limit", BOOL_NOT_NUMBER)
    assert _ordo.MAX_INPUT_DEPTH == MAX_DEPTH


# --- strings -------------------------------------------------------------------------------


def test_lone_surrogates_are_refused_everywhere(shop: Dict[str, Any], tmp_path: Path) -> None:
    oms: ordo.Oms = shop["oms"]
    nord = shop["nord"]
    order = oms.place_order(new_order())
    cases: List[Tuple[Callable[[], Any], str]] = [
        (lambda: oms.receive_stock(sku="A\ud800", location=nord, quantity=1), "receipt.sku"),
        (lambda: oms.place_order(new_order("s1", customer={"name": "X\udc00"})), "order.customer.name"),
        (lambda: oms.place_order(new_order("s2", metadata={"k\ud800": "v"})), "order.metadata"),
        (lambda: oms.stock("A\udfff"), "sku"),
        (lambda: oms.sku_settings("A\ud800"), "sku"),
        (lambda: oms.set_backorder_policy("A\ud800", "allow"), "sku"),
        (lambda: oms.set_safety_stock("A\ud800", nord, 1), "sku"),
        (lambda: oms.available("MUG", "web\ud800"), "channel"),
        (lambda: oms.movements("A\ud800"), "sku"),
        (lambda: oms.find_order("web/\ud800"), "reference"),
        (lambda: oms.stock_hold("c\ud800"), "cart_ref"),
        (lambda: oms.cancel_order(order, "why\ud800"), "reason"),
        (lambda: oms.release_order(order, "note\ud800"), "note"),
        (lambda: oms.status_message(order, "d\ud800"), "locale"),
        (lambda: oms.set_bin("MUG", nord, "B\ud800"), "bin"),
        (lambda: oms.with_idempotency_key("k\ud800"), "key"),
        (lambda: ordo.Oms.in_memory(carriers={"DHL": "x\ud800"}), "carriers.DHL"),
        (lambda: ordo.Oms.in_memory(order_numbers=("W\ud800", 1)), "order_numbers[0]"),
        (lambda: ordo.Oms.open(tmp_path / "x.db", "full\ud800"), "durability"),
    ]
    for call, field in cases:
        invalid(call, field, SURROGATE)
    assert oms.get_order(order).state == "placed"
    assert [o.external_ref for o in oms.list_orders()] == ["shop-1042"]
    assert {m.sku for m in oms.movements()} == {"TSHIRT-M", "MUG"}
    # A surrogate pair written as one character (an emoji) is fine.
    assert oms.place_order(new_order("s3", metadata={"note": "caf\u00e9 \U0001F600"})).metadata == {"note": "café 😀"}


def test_a_list_beyond_the_limit_is_refused_before_it_is_converted(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    lines = [{"sku": f"S{i}", "quantity": 1, "unit_price": Decimal("1.00")} for i in range(100_000)]
    with pytest.raises(ordo.InvalidInput) as e:
        oms.place_order(new_order("big", lines=lines))
    assert e.value.details["field"] == "order.lines"
    assert e.value.details["reason"] == f"at most {_ordo.MAX_LIST_ITEMS} items, got 100000"
    assert oms.list_orders() == []
