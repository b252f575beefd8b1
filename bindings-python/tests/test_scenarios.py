"""Replays every scenario file of tests/scenarios/ through the public Python API.

The runner is generic: each step calls ``getattr(oms, op)(**args)`` (the argument
``return`` is passed as ``return_``), compares the result's JSON form (``ordo.to_json``)
by the same rules as the Rust runner (core/tests/it/scenarios.rs: objects by subset,
arrays element-wise with equal length, ``{"$len": n}``, scalars by equality), and checks
``expect_error`` against the exception's stable ``code``.
"""

from __future__ import annotations

import json
import keyword
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import ordo

from .conftest import SCENARIOS

FILES = sorted(SCENARIOS.glob("*.json"))


def substitute(v: Any, vars: Dict[str, Any]) -> Any:
    if isinstance(v, str) and v.startswith("$"):
        if v[1:] not in vars:
            raise KeyError(f"unknown variable {v}")
        return vars[v[1:]]
    if isinstance(v, list):
        return [substitute(x, vars) for x in v]
    if isinstance(v, dict):
        return {k: substitute(x, vars) for k, x in v.items()}
    return v


def lookup(v: Any, path: str) -> Any:
    cur = v
    for part in (p for p in path.split(".") if p):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            cur = cur[part]
        else:
            raise KeyError(path)
    return cur


def matches(expected: Any, actual: Any, path: str = "result") -> Optional[str]:
    """None when ``actual`` matches ``expected``, else what differs."""
    if isinstance(expected, dict) and "$len" in expected and isinstance(actual, list):
        n = expected["$len"]
        return None if len(actual) == n else f"{path}: expected {n} elements, found {len(actual)}"
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k, ev in expected.items():
            if k not in actual:
                return f"{path}.{k}: missing in {actual}"
            err = matches(ev, actual[k], f"{path}.{k}")
            if err:
                return err
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} elements, found {len(actual)}: {actual}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            err = matches(e, a, f"{path}[{i}]")
            if err:
                return err
        return None
    # JSON equality: 1 == 1.0 but True != 1, "10.00" != "10.0".
    same = expected == actual and isinstance(expected, bool) == isinstance(actual, bool)
    return None if same else f"{path}: expected {expected!r}, found {actual!r}"


def test_matcher_is_strict_where_it_should_be() -> None:
    assert matches({"a": 1}, {"a": 1, "b": 2}) is None
    assert matches({"a": 2}, {"a": 1}) is not None
    assert matches([{"a": 1}], [{"a": 1}, {"a": 2}]) is not None
    assert matches({"$len": 2}, [1, 2]) is None
    assert matches({"x": {"y": "1.00"}}, {"x": {"y": "1.0"}}) is not None
    assert matches(True, 1) is not None


class Runner:
    def __init__(self) -> None:
        self.clock = ordo.ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
        self.oms = ordo.Oms.in_memory(
            self.clock,
            carriers={"DHL": "https://tracking.example/dhl/{tracking}"},
            tracking_codes={"DLVRD": "delivered", "TRANSIT": "in_transit"},
        )
        self.vars: Dict[str, Any] = {}

    def call(self, op: str, args: Dict[str, Any], key: Optional[str]) -> Any:
        if op == "advance_clock":
            self.clock.advance(seconds=args["seconds"])
            return None
        oms = self.oms.with_idempotency_key(key) if key is not None else self.oms
        method = getattr(oms, op, None)
        if method is None:
            raise AssertionError(f"the Python binding has no operation {op!r}")
        kwargs = {(k + "_" if keyword.iskeyword(k) else k): v for k, v in args.items()}
        return method(**kwargs)

    def step(self, i: int, step: Dict[str, Any]) -> None:
        op = step["op"]
        args = substitute(step.get("args", {}), self.vars)
        where = f"step {i} ({op})"
        try:
            result = self.call(op, args, step.get("idempotency_key"))
        except ordo.OrdoError as e:
            if "expect_error" not in step:
                raise AssertionError(f"{where}: unexpected error {e.code} ({e})") from e
            assert e.code == step["expect_error"], f"{where}: expected error {step['expect_error']}, got {e.code} ({e})"
            assert isinstance(e, ordo.errors.ERROR_CLASSES[e.code]), f"{where}: {type(e).__name__} is not the class of {e.code}"
            return
        if "expect_error" in step:
            raise AssertionError(f"{where}: expected error {step['expect_error']}, got {ordo.to_json(result)}")
        value = ordo.to_json(result)
        # The JSON form must be plain JSON and survive a text round trip.
        assert json.loads(json.dumps(value)) == value
        if "expect" in step:
            err = matches(substitute(step["expect"], self.vars), value)
            assert err is None, f"{where}: {err}"
        for name, path in (step.get("save") or {}).items():
            try:
                self.vars[name] = lookup(value, path)
            except (KeyError, IndexError, ValueError) as e:
                raise AssertionError(f"{where}: cannot save {name}: no {path} in {value}") from e


def test_there_are_scenarios() -> None:
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_scenario(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    runner = Runner()
    steps: List[Dict[str, Any]] = doc["steps"]
    for i, step in enumerate(steps):
        runner.step(i, step)
