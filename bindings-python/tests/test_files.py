"""The SQLite file at its edges, from Python: read-only opens, damaged and newer files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import ordo

from .conftest import new_order


def _fill(path: Path) -> None:
    oms = ordo.Oms.open(path)
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord")
    oms.receive_stock(sku="TSHIRT-M", location=nord, quantity=5)
    for i in range(40):
        oms.place_order(new_order(f"o-{i}"))
    del oms


def _side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-") and not p.name.endswith("-turns"))


def test_read_only_serves_queries_and_refuses_commands(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    _fill(db)
    before = db.read_bytes()
    oms = ordo.Oms.open(db, read_only=True)
    assert len(oms.list_orders()) == 40
    assert oms.available("TSHIRT-M") == 5
    with pytest.raises(ordo.StorageError) as e:
        oms.add_channel(code="pos", name="Till")
    assert e.value.code == "STORAGE"
    assert e.value.details["variant"] == "read_only"
    del oms
    assert db.read_bytes() == before


def test_truncated_files_are_corrupt_and_newer_ones_get_no_side_files(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    _fill(db)
    half = tmp_path / "half.db"
    half.write_bytes(db.read_bytes()[: os.path.getsize(db) // 2])
    with pytest.raises(ordo.StorageError) as e:
        ordo.Oms.open(half)
    assert e.value.details["variant"] == "corrupt"
    assert "truncated" in e.value.message
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA user_version = 99")
    c.close()
    assert _side_files(db) == []
    with pytest.raises(ordo.StorageError) as e:
        ordo.Oms.open(db)
    assert e.value.details["variant"] == "schema_too_new"
    assert _side_files(db) == []


def test_device_checkpoints_keep_the_wal_small(tmp_path: Path) -> None:
    db = tmp_path / "till.db"
    oms = ordo.Oms.open(db, checkpoint_pages=64)
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord")
    oms.receive_stock(sku="TSHIRT-M", location=nord, quantity=5)
    for i in range(300):
        oms.place_order(new_order(f"o-{i}", notes=["x" * 400]))
    wal = tmp_path / "till.db-wal"
    # 64 pages of 4 KiB, plus the frames of the commit that passed the mark.
    assert wal.stat().st_size < 2 * 64 * 4096
    with pytest.raises(ordo.InvalidInput) as e:
        ordo.Oms.open(db, read_only="yes")  # type: ignore[arg-type]
    assert e.value.details["field"] == "read_only"
