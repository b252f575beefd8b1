"""Call overhead of the Python binding: a trivial call (``available``) and ``place_order``,
each from the typed Python API and from the native module directly, median per call over
rounds. Run by bench.sh (release build), which also times the same calls in Rust.

    python bench.py [--json]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from decimal import Decimal
from typing import Any, Callable, Dict

import ordo
from ordo._convert import to_wire

ROUNDS = 15


def per_call(fn: Callable[[int], Any], n: int) -> float:
    times = []
    k = 0
    for _ in range(ROUNDS):
        t = time.perf_counter()
        for _ in range(n):
            k += 1
            fn(k)
        times.append((time.perf_counter() - t) / n)
    return statistics.median(times)


def setup() -> ordo.Oms:
    oms = ordo.Oms.in_memory()
    oms.add_channel(code="web", name="Web")
    loc = oms.add_location(code="nord", name="Nord")
    for sku in ("A", "B", "C"):
        oms.receive_stock(sku=sku, location=loc, quantity=1_000_000)
    return oms


ADDRESS = {"name": "Anna Muster", "line1": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}


def order(i: int) -> Dict[str, Any]:
    return {
        "channel": "web",
        "currency": "EUR",
        "external_ref": f"ext-{i}",
        "shipping_address": ADDRESS,
        "lines": [
            {"sku": "A", "quantity": 1, "unit_price": Decimal("19.99"), "tax_rate": Decimal("0.19")},
            {"sku": "B", "quantity": 2, "unit_price": Decimal("5.00"), "tax_rate": Decimal("0.07")},
            {"sku": "C", "quantity": 1, "unit_price": Decimal("12.50"), "tax_rate": Decimal("0.19")},
        ],
    }


def main() -> None:
    oms = setup()
    native = oms._n
    results = {
        "noop_python_call": per_call(lambda k: None, 100_000),
        "available": per_call(lambda k: oms.available("A"), 20_000),
        "available_native": per_call(lambda k: native.available("A", None), 20_000),
    }
    oms = setup()
    results["place_order"] = per_call(lambda k: oms.place_order(order(k)), 2_000)
    oms = setup()
    native = oms._n
    results["place_order_native"] = per_call(lambda k: native.place_order(to_wire(order(k + 10**7), "order")), 2_000)
    wire = to_wire(order(1), "order")
    results["convert_in"] = per_call(lambda k: to_wire(order(k), "order"), 5_000)
    raw = native.place_order(wire)
    results["convert_out"] = per_call(lambda k: ordo.Order.from_json(raw), 5_000)
    if "--json" in sys.argv:
        print(json.dumps(results))
    else:
        for k, v in results.items():
            print(f"{k:<22} {v * 1e6:9.2f} µs")


if __name__ == "__main__":
    main()
