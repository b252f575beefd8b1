"""One Oms shared by threads: the GIL is released, and no unit is granted twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

import ordo

from .conftest import new_order


def test_threads_get_exactly_the_available_stock(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]  # 25 T-shirts at one warehouse
    granted: List[str] = []
    refused: List[str] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        for i in range(10):
            cart = f"cart-{n}-{i}"
            try:
                oms.hold_stock(cart_ref=cart, channel="web", lines=[{"sku": "TSHIRT-M", "quantity": 1}], ttl_seconds=600)
            except ordo.InsufficientStock as e:
                assert e.requested == 1 and e.available == 0
                with lock:
                    refused.append(cart)
            else:
                with lock:
                    granted.append(cart)

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 25 and len(refused) == 80 - 25
    assert oms.available("TSHIRT-M") == 0
    assert {oms.stock_hold(c).cart_ref for c in granted} == set(granted)
    assert oms.verify_inventory() == []


def test_threads_place_and_allocate_concurrently(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]  # 25 T-shirts; 40 buyers of one each

    def place(i: int) -> ordo.Order:
        order = oms.place_order(new_order(f"t-{i}", qty=1, payment_method="invoice"))
        order = oms.validate_order(order)
        if order.state == "confirmed":
            try:
                oms.allocate_order(order)
            except ordo.OrdoError:
                pass  # out of stock meanwhile: the order is held, not oversold
        return oms.get_order(order)

    with ThreadPoolExecutor(max_workers=6) as pool:
        orders = list(pool.map(place, range(40)))
    assert len({o.number for o in orders}) == 40
    assert sum(o.lines[0].quantities.allocated for o in orders) == 25
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
    assert all(r.status == "placed" for r in results)
    assert during > 0
