"""Shared fixtures: a fresh in-memory OMS with a manual clock, and a stocked network."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import pytest

import ordo

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "scenarios"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> ordo.ManualClock:
    return ordo.ManualClock(START)


@pytest.fixture
def oms(clock: ordo.ManualClock) -> ordo.Oms:
    return ordo.Oms.in_memory(clock, carriers={"DHL": "https://tracking.example/dhl/{tracking}"})


@pytest.fixture
def shop(oms: ordo.Oms) -> Dict[str, Any]:
    """A web channel and one warehouse with 25 T-shirts and 10 mugs."""
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord", priority=1)
    oms.receive_stock(sku="TSHIRT-M", location=nord, quantity=25)
    oms.receive_stock(sku="MUG", location=nord, quantity=10)
    return {"oms": oms, "nord": nord}


ADDRESS = {"name": "Anna Muster", "line1": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}


def new_order(ref: str = "shop-1042", qty: int = 2, **extra: Any) -> Dict[str, Any]:
    order: Dict[str, Any] = {
        "channel": "web",
        "currency": "EUR",
        "external_ref": ref,
        "lines": [{"sku": "TSHIRT-M", "name": "T-Shirt M", "quantity": qty, "unit_price": Decimal("19.99"), "tax_rate": Decimal("0.19")}],
        "customer": {"name": "Anna Muster", "email": "anna@example.de"},
        "shipping_address": ADDRESS,
    }
    order.update(extra)
    return order
