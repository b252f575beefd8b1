"""Money never as float, timestamps timezone-aware, ids as UUID."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict
from uuid import UUID

import pytest

import ordo
from ordo._convert import format_datetime, parse_datetime

from .conftest import new_order

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover - Python 3.8
    ZoneInfo = None  # type: ignore[assignment,misc]


@pytest.mark.parametrize(
    "patch",
    [
        {"lines": [{"sku": "MUG", "quantity": 1, "unit_price": 0.1 + 0.2}]},
        {"lines": [{"sku": "MUG", "quantity": 1, "unit_price": Decimal("9.90"), "tax_rate": 0.19}]},
        {"shipping": {"amount": 4.9}},
        {"discounts": [{"code": "X", "amount": 1.0}]},
        {"lines": [{"sku": "MUG", "quantity": 1.0, "unit_price": "9.90"}]},
    ],
)
def test_a_float_for_money_is_a_type_error(shop: Dict[str, Any], patch: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    with pytest.raises(TypeError, match="float"):
        oms.place_order(new_order(**patch))
    assert oms.list_orders() == []


def test_float_payment_is_a_type_error(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    order = oms.place_order(new_order())
    with pytest.raises(TypeError, match="payment.amount"):
        oms.record_payment(order, kind="captured", amount=39.98, currency="EUR")
    assert oms.get_order(order).payments == ()


def test_decimal_int_and_exact_strings_are_accepted(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    lines = [
        {"sku": "MUG", "quantity": 1, "unit_price": Decimal("0.10")},
        {"sku": "MUG", "quantity": 1, "unit_price": "0.20"},
        {"sku": "MUG", "quantity": 1, "unit_price": 3},
        {"sku": "MUG", "quantity": 1, "unit_price": Decimal("1E+1")},
    ]
    order = oms.place_order(new_order(lines=lines))
    assert [ln.unit_price.amount for ln in order.lines] == [Decimal("0.10"), Decimal("0.20"), Decimal("3.00"), Decimal("10.00")]
    assert order.totals.subtotal.amount == Decimal("13.30")


@pytest.mark.parametrize("text", ["19,99", "abc", " ", "NaN", "1.5.0"])
def test_inexact_strings_are_refused_by_the_core(shop: Dict[str, Any], text: str) -> None:
    oms: ordo.Oms = shop["oms"]
    with pytest.raises(ordo.OrdoError) as e:
        oms.place_order(new_order(lines=[{"sku": "MUG", "quantity": 1, "unit_price": text}]))
    assert e.value.code in ("INVALID_INPUT", "INVALID_AMOUNT")


def test_naive_datetimes_are_rejected(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    with pytest.raises(ValueError, match="naive datetime"):
        oms.place_order(new_order(placed_at=datetime(2026, 3, 1, 12, 0)))
    with pytest.raises(ValueError, match="timezone-aware"):
        ordo.ManualClock(datetime(2026, 3, 1))
    with pytest.raises(TypeError, match="date"):
        oms.place_order(new_order(placed_at=date(2026, 3, 1)))


def test_other_zones_are_converted_to_utc(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    berlin = timezone(timedelta(hours=1), "CET")
    order = oms.place_order(new_order(placed_at=datetime(2026, 3, 1, 12, 30, tzinfo=berlin)))
    assert order.placed_at == datetime(2026, 3, 1, 11, 30, tzinfo=timezone.utc)
    assert order.placed_at.tzinfo is timezone.utc


def test_zoneinfo_zones_are_converted_to_utc(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    try:
        ny = ZoneInfo("America/New_York")
    except (TypeError, KeyError, ValueError, OSError) as e:  # no zoneinfo module, or no tz database here
        pytest.skip(f"no time zone database: {e!r}")
    o2 = oms.place_order(new_order("ny", placed_at=datetime(2026, 7, 1, 8, 0, tzinfo=ny)))
    assert o2.placed_at == datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)
    assert oms.list_orders(placed_from=datetime(2026, 7, 1, 7, 59, tzinfo=ny)) == [o2]


def test_manual_clock(clock: ordo.ManualClock, oms: ordo.Oms) -> None:
    assert oms.now() == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert clock.advance(seconds=90) == datetime(2026, 3, 2, 9, 1, 30, tzinfo=timezone.utc)
    clock.advance(timedelta(days=1), hours=1)
    assert oms.now() == datetime(2026, 3, 3, 10, 1, 30, tzinfo=timezone.utc)
    clock.set(datetime(2026, 5, 1, 14, tzinfo=timezone(timedelta(hours=2))))
    assert oms.now() == datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


def test_ids_accept_uuid_string_and_records(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    order = oms.place_order(new_order())
    assert oms.get_order(order.id) == oms.get_order(str(order.id)) == oms.get_order(order)
    assert isinstance(order.id, UUID) and isinstance(shop["nord"].id, UUID)
    with pytest.raises(TypeError, match="uuid"):
        oms.get_order(42)  # type: ignore[arg-type]


def test_timestamps_round_trip_like_the_core_writes_them() -> None:
    for text in ["2026-03-02T09:00:00Z", "2026-03-02T09:00:00.250Z", "2026-03-02T09:00:00.123456Z"]:
        assert format_datetime(parse_datetime(text)) == text
    assert parse_datetime("2026-03-02T09:00:00.123456789Z").microsecond == 123456
    assert parse_datetime("2026-03-02T10:00:00+01:00") == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


def test_unknown_fields_and_values_survive(shop: Dict[str, Any]) -> None:
    """A newer core may add fields and enum values: they are kept, not lost."""
    js = shop["oms"].place_order(new_order()).to_dict("json")
    js["brand_new_field"] = {"x": [1, "2.50"]}
    js["state"] = "teleported"
    order = ordo.Order.from_json(js)
    assert order.state == "teleported" and order.state.value == "teleported"
    assert order.to_dict("json") == js
