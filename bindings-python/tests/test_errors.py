"""Every error code arrives as its own exception class, with the Rust error's fields."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Dict

import pytest

import ordo
from ordo.errors import ERROR_CLASSES

from .conftest import new_order


def delivered_order(oms: ordo.Oms) -> ordo.Order:
    order = oms.place_order(new_order(payment_method="invoice"))
    oms.validate_order(order)
    (s,) = oms.allocate_order(order).shipments
    oms.confirm_pick(s)
    oms.pack_shipment(s, [{"weight_grams": 400}])
    oms.ship(s, carrier="DHL", tracking_number="T-1")
    oms.record_tracking_event(shipment=s, code="delivered")
    return oms.get_order(order)


CASES: Dict[str, Callable[[ordo.Oms, ordo.ManualClock, Any], Any]] = {
    "INVALID_INPUT": lambda oms, clock, tmp: oms.place_order(new_order(lines=[])),
    "UNKNOWN_CURRENCY": lambda oms, clock, tmp: oms.place_order(new_order(currency="EUX")),
    "CURRENCY_MISMATCH": lambda oms, clock, tmp: oms.record_payment(
        oms.place_order(new_order()), kind="authorized", amount=Decimal("39.98"), currency="USD"
    ),
    "INVALID_AMOUNT": lambda oms, clock, tmp: oms.place_order(
        new_order(lines=[{"sku": "MUG", "quantity": 1, "unit_price": Decimal("1.999")}])
    ),
    "INVALID_TRANSITION": lambda oms, clock, tmp: oms.allocate_order(oms.place_order(new_order())),
    "NOT_FOUND": lambda oms, clock, tmp: oms.get_order("01900000-0000-7000-8000-000000000000"),
    "CONFLICT": lambda oms, clock, tmp: oms.add_channel(code="web", name="again"),
    "INSUFFICIENT_STOCK": lambda oms, clock, tmp: oms.transfer_stock(
        sku="MUG", from_=oms.locations()[0], to=oms.add_location(code="sued"), quantity=11
    ),
    "VALIDATION_FAILED": lambda oms, clock, tmp: oms.release_order(oms.validate_order(oms.place_order(new_order()))),
    "RETURN_WINDOW_CLOSED": lambda oms, clock, tmp: (
        lambda o: (clock.advance(days=60), oms.request_return(o, lines=[{"line": o.lines[0].id, "quantity": 1}]))
    )(delivered_order(oms)),
    "STORAGE": lambda oms, clock, tmp: (tmp.joinpath("x.db").write_bytes(b"garbage" * 1000), ordo.Oms.open(tmp / "x.db")),
}


def test_every_code_has_a_case() -> None:
    assert set(CASES) == set(ERROR_CLASSES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_error_class(code: str, shop: Dict[str, Any], clock: ordo.ManualClock, tmp_path: Any) -> None:
    cls = ERROR_CLASSES[code]
    with pytest.raises(cls) as info:
        CASES[code](shop["oms"], clock, tmp_path)
    e = info.value
    assert type(e) is cls and isinstance(e, ordo.OrdoError) and e.code == code
    assert str(e) == e.message and e.message
    assert getattr(ordo, cls.__name__) is cls
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is cls and copy.details == e.details and copy.code == code


def test_details_carry_the_rust_fields(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    sued = oms.add_location(code="sued")
    with pytest.raises(ordo.InsufficientStock) as e:
        oms.transfer_stock(sku="MUG", from_=shop["nord"], to=sued, quantity=11)
    assert (e.value.sku, e.value.requested, e.value.available) == ("MUG", 11, 10)
    assert e.value.details["location"] == str(shop["nord"].id)

    with pytest.raises(ordo.InvalidAmount) as a:
        oms.place_order(new_order(lines=[{"sku": "MUG", "quantity": 1, "unit_price": "1.999"}]))
    assert a.value.details == {"variant": "too_precise", "amount": Decimal("1.999"), "currency": "EUR"}

    with pytest.raises(ordo.InvalidInput) as i:
        oms.place_order(new_order(lines=[{"sku": "MUG", "quantity": 0, "unit_price": "1.99"}]))
    assert i.value.field == "lines[0].quantity"

    order = oms.place_order(new_order())
    with pytest.raises(ordo.InvalidTransition) as t:
        oms.allocate_order(order)
    assert t.value.details["entity"] == "order" and t.value.state == "placed"

    held = oms.validate_order(order)
    with pytest.raises(ordo.ValidationFailed) as v:
        oms.release_order(held)
    assert v.value.reasons[0]["code"] == "payment_missing"
    assert oms.get_order(order) == held  # a failed command changes nothing


def test_return_window_closed_has_a_tz_aware_date(shop: Dict[str, Any], clock: ordo.ManualClock) -> None:
    oms: ordo.Oms = shop["oms"]
    order = delivered_order(oms)
    clock.advance(days=60)
    with pytest.raises(ordo.ReturnWindowClosed) as e:
        oms.request_return(order, lines=[{"line": order.lines[0].id, "quantity": 1}])
    closed = e.value.closed_at
    assert isinstance(closed, datetime) and closed.tzinfo is not None
    assert closed == datetime(2026, 3, 16, 9, tzinfo=timezone.utc)


def test_shape_errors_are_invalid_input_naming_the_argument(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    with pytest.raises(ordo.InvalidInput) as e:
        oms.get_order("not-a-uuid")
    assert e.value.field == "order"
    with pytest.raises(ordo.InvalidInput) as e2:
        oms.place_order({"channel": "web"})
    assert e2.value.field == "order" and "missing field" in e2.value.reason
