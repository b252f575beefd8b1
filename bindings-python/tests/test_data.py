"""Data-script helpers: bulk import (dicts, CSV) with progress, export tables, DataFrames."""

from __future__ import annotations

import runpy
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List
from uuid import UUID

import pytest

import ordo

from .conftest import ROOT, new_order

CSV = ROOT / "examples" / "python" / "orders.csv"


class FakeBar:
    """What tqdm offers: update(n)."""

    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n


def test_import_orders_per_row_results_and_progress(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    rows = [new_order(f"imp-{i}", qty=1) for i in range(7)]
    rows.insert(3, new_order("bad", lines=[{"sku": "MUG", "quantity": 1, "unit_price": "1.999"}]))
    rows.insert(5, {"channel": "web"})  # a broken row: no currency, no lines
    calls: List[int] = []
    results = oms.import_orders(rows, progress=calls.append, batch_size=4)
    assert calls == [4, 4, 1]
    assert [r.status for r in results] == ["placed"] * 3 + ["failed", "placed", "failed"] + ["placed"] * 3
    assert results[3].code == "INVALID_AMOUNT" and results[5].code == "INVALID_INPUT"
    assert isinstance(results[0].order_id, UUID) and results[0].number == "1001"
    assert oms.get_order(results[0].order_id).external_ref == "imp-0"
    bar = FakeBar()
    again = oms.import_orders(iter(rows), progress=bar)
    assert bar.n == len(rows)
    assert [r.status for r in again if r.ok] == ["already_existed"] * 7
    assert len(oms.list_orders()) == 7


def test_import_orders_csv(oms: ordo.Oms) -> None:
    oms.add_channel(code="web", name="Web shop")
    bar = FakeBar()
    results = oms.import_orders_csv(CSV, progress=bar)
    assert len(results) == 41 and bar.n == 41
    assert list(results)[:2] == ["shop-2001", "shop-2002"]
    assert results["shop-2099"].code == "INVALID_AMOUNT"
    assert sum(r.ok for r in results.values()) == 40
    order = oms.find_order("web/shop-2001")
    assert [ln.sku for ln in order.lines] == ["BOOK-RUST", "MUG"]
    assert order.lines[0].unit_price.amount == Decimal("39.90")
    assert order.shipping is not None and order.shipping.amount.amount == Decimal("4.90")
    assert order.placed_at == datetime(2026, 3, 2, 9, 13, tzinfo=timezone.utc)
    assert order.payment_method == "invoice" and order.shipping_address is not None and order.shipping_address.city == "Hamburg"


def test_import_orders_csv_reports_missing_columns(oms: ordo.Oms, tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("external_ref,sku\nA,MUG\n")
    with pytest.raises(ValueError, match="missing columns"):
        oms.import_orders_csv(p)


def allocated_shop(shop: Dict[str, Any]) -> ordo.Oms:
    oms: ordo.Oms = shop["oms"]
    for i, qty in enumerate([3, 30]):
        order = oms.place_order(new_order(f"t-{i}", qty=qty, payment_method="invoice"))
        oms.validate_order(order)
    first = oms.find_order("web/t-0")
    oms.allocate_order(first)
    return oms


def test_tables(shop: Dict[str, Any]) -> None:
    oms = allocated_shop(shop)
    orders = oms.orders_table()
    assert [o["state"] for o in orders] == ["in_fulfillment", "on_hold"]
    assert orders[0]["total"] == Decimal("59.97") and isinstance(orders[0]["id"], UUID)
    assert orders[0]["placed_at"].tzinfo is not None and orders[0]["units"] == 3
    assert oms.orders_table({"state": "on_hold"})[0]["number"] == "1002"
    lines = oms.lines_table()
    assert [(ln["sku"], ln["allocated"], ln["fill_rate"]) for ln in lines] == [
        ("TSHIRT-M", 3, Decimal("1.0000")),
        ("TSHIRT-M", 0, Decimal("0.0000")),
    ]
    stock = {(s["sku"], s["location"]): s for s in oms.stock_table()}
    assert stock[("TSHIRT-M", "nord")]["reserved"] == 3 and stock[("TSHIRT-M", "nord")]["available"] == 22
    assert stock[("MUG", "nord")]["on_hand"] == 10
    moves = oms.movements_table("TSHIRT-M")
    assert [m["kind"] for m in moves] == ["received", "reserved"] and moves[1]["location"] == "nord"
    events = oms.events_table()
    assert events[0]["type"] == "order_placed" and events[0]["order_number"] == "1001"
    assert events[0]["data"]["total"]["amount"] == Decimal("59.97")
    pending = oms.events_table(pending=True)
    assert any(e["type"] == "stock_changed" for e in pending)
    assert len(oms.events_table(pending=True)) == len(pending)  # nothing acknowledged
    assert [e["type"] for e in oms.events_table(oms.find_order("1002"))][0] == "order_placed"


def test_dataframes_keep_decimals_exact_and_datetimes_aware(shop: Dict[str, Any]) -> None:
    pd = pytest.importorskip("pandas")
    oms = allocated_shop(shop)
    df = oms.orders_dataframe()
    assert list(df["number"]) == ["1001", "1002"]
    assert df["total"].dtype == object and df["total"].iloc[0] == Decimal("59.97")
    assert sum(df["total"], Decimal(0)) == Decimal("659.67")
    assert isinstance(df["placed_at"].dtype, pd.DatetimeTZDtype) and str(df["placed_at"].dt.tz) == "UTC"
    lines = oms.lines_dataframe()
    assert lines["gross"].dtype == object and lines["ordered"].dtype.kind == "i"
    assert oms.stock_dataframe().set_index(["sku", "location"]).loc[("TSHIRT-M", "nord"), "reserved"] == 3
    assert str(oms.movements_dataframe()["at"].dt.tz) == "UTC"
    assert len(oms.events_dataframe()) == len(oms.events_table())
    empty = ordo.Oms.in_memory().orders_dataframe()
    assert list(empty.columns)[:3] == ["id", "number", "channel"] and len(empty) == 0


def test_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["quickstart.py"])
    runpy.run_path(str(ROOT / "examples" / "python" / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "7. returned    R-1001-1: refund 17.99 EUR" in out and (tmp_path / "ordo.db").exists()
    monkeypatch.setattr(sys, "argv", ["data_script.py"])
    runpy.run_path(str(ROOT / "examples" / "python" / "data_script.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "40 orders placed, 1 refused" in out and "Network fill rate" in out
