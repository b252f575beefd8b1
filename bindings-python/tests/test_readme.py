"""The README's Python example runs as written."""

from __future__ import annotations

import re
from typing import Any, Dict

import pytest

from .conftest import ROOT


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    scope: Dict[str, Any] = {}
    exec(compile(blocks[0], "README.md", "exec"), scope)
    out = capsys.readouterr().out
    assert out == "refund 19.99 EUR; Ihre Retoure R-1001-1 zur Bestellung 1001 ist abgeschlossen; 19,99 EUR werden erstattet.\n"


def test_docstring_examples_run() -> None:
    import doctest

    import ordo._oms
    import ordo.types

    for module in (ordo._oms, ordo.types):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried > 0 and failures == 0, module.__name__
