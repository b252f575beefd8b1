"""One Oms shared by threads: the GIL is released, and no unit is granted twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Tuple

import pytest

import ordo

from .conftest import new_order


def test_threads_get_exactly_the_available_stock(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]  # 25 T-shirts at one warehouse

    def buyer(n: int) -> Tuple[List[str], List[str]]:
        """Ten carts of one T-shirt each: (granted, refused); any other error fails the test."""
        granted: List[str] = []
        refused: List[str] = []
        for i in range(10):
            cart = f"cart-{n}-{i}"
            try:
                oms.hold_stock(cart_ref=cart, channel="web", lines=[{"sku": "TSHIRT-M", "quantity": 1}], ttl_seconds=600)
            except ordo.InsufficientStock as e:
                assert (e.sku, e.requested, e.available) == ("TSHIRT-M", 1, 0)
                refused.append(cart)
            else:
                granted.append(cart)
        return granted, refused

    # Results (and exceptions, assertion errors included) come back through the futures.
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(buyer, range(8)))
    granted = [c for g, _ in results for c in g]
    refused = [c for _, r in results for c in r]
    assert (len(granted), len(refused)) == (25, 80 - 25)
    assert oms.available("TSHIRT-M") == 0
    assert {oms.stock_hold(c).cart_ref for c in granted} == set(granted)
    for c in refused:
        with pytest.raises(ordo.NotFound):
            oms.stock_hold(c)
    assert oms.verify_inventory() == []


def test_threads_place_and_allocate_concurrently(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]  # 25 T-shirts; 40 buyers of one each

    def place(i: int) -> ordo.Order:
        order = oms.place_order(new_order(f"t-{i}", qty=1, payment_method="invoice"))
        order = oms.validate_order(order)
        if order.state == "confirmed":
            # No error is expected: stock taken meanwhile puts the order on hold.
            oms.allocate_order(order)
        return oms.get_order(order)

    with ThreadPoolExecutor(max_workers=6) as pool:
        orders = list(pool.map(place, range(40)))
    assert len({o.number for o in orders}) == 40
    allocated = [o for o in orders if o.state == "in_fulfillment"]
    held = [o for o in orders if o.state == "on_hold"]
    assert (len(allocated), len(held)) == (25, 15)
    assert all(o.lines[0].quantities.allocated == 1 for o in allocated)
    assert all(o.lines[0].quantities.allocated == 0 and [h.code for h in o.holds] == ["insufficient_stock"] for o in held)
    assert oms.available("TSHIRT-M") == 0
    assert oms.stock("TSHIRT-M")[0].reserved == 25
    assert oms.verify_inventory() == []


def test_the_gil_is_released_while_the_core_works(shop: Dict[str, Any]) -> None:
    """A pure-Python thread keeps running while another thread is inside ordo."""
    oms: ordo.Oms = shop["oms"]
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    rows = [new_order(f"bulk-{i}", qty=1) for i in range(3000)]
    t = threading.Thread(target=ticker)
    t.start()
    try:
        before = ticks
        results = oms.import_orders(rows, batch_size=3000)  # one long native call
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert [r.status for r in results] == ["placed"] * 3000
    assert during > 0
