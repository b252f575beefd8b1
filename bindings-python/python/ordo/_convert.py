"""Python values → the JSON-shaped data the native module expects, and back for the
scalar types (``Decimal``, ``datetime``).

The rules, applied everywhere an input is accepted:

* money and rates: ``decimal.Decimal`` (sent as its exact plain-notation string), ``int``
  where the key is a money or rate field, or a ``str`` — which the core accepts only if it
  parses exactly (``"19.99"``, not ``"19,99"``). A ``float`` is a ``TypeError``: ``0.1 + 0.2``
  must never reach the books. (Only geo coordinates, ``lat``/``lon``, are floats.)
* timestamps: timezone-aware ``datetime`` in any zone, converted to UTC; a naive one is a
  ``ValueError``. RFC 3339 strings are passed on as they are.
* ids: ``uuid.UUID``, a UUID string, or a record with an ``id`` (an ``Order``, a
  ``Location``, …), sent as the UUID string.
* enums: their string value; records: their JSON form; mappings and sequences recursively,
  at most :data:`MAX_INPUT_DEPTH` levels deep (dicts and lists inside each other, the
  argument itself being the first level): deeper nesting, or a dict that contains itself,
  is :class:`ordo.InvalidInput` naming the field, never a ``RecursionError``.
* ``bool`` stays ``bool``; the native module refuses it where a number is expected (and a
  number where a ``bool`` is), so ``quantity=True`` is ``InvalidInput``, never 1.
"""

from __future__ import annotations

import keyword
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Mapping, Optional
from uuid import UUID

from ._ordo import MAX_INPUT_DEPTH, MAX_LIST_ITEMS
from .errors import _invalid_input

#: Keys whose values are money amounts or rates (an ``int`` there is sent as a decimal).
MONEY_KEYS = frozenset({"unit_price", "tax_rate", "discount", "amount", "tendered", "rate", "exchange_unit_price"})
#: Keys whose values are floats by nature.
FLOAT_KEYS = frozenset({"lat", "lon"})

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$"
)


def parse_datetime(text: str) -> datetime:
    """An RFC 3339 timestamp (as the core writes it) → a timezone-aware ``datetime`` in UTC.
    Digits beyond microseconds are dropped (Python's ``datetime`` has no nanoseconds)."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tz = timezone.utc
    if not z:
        offset = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(offset if sign == "+" else -offset)
    dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, tzinfo=tz)
    return dt.astimezone(timezone.utc)


def format_datetime(dt: datetime) -> str:
    """A timezone-aware ``datetime`` → RFC 3339 in UTC, written as the core writes it
    (``2026-03-02T09:00:00Z``, fractions only when present: 3 or 6 digits)."""
    dt = _utc(dt, "datetime")
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += f".{dt.microsecond // 1000:03d}" if dt.microsecond % 1000 == 0 else f".{dt.microsecond:06d}"
    return text + "Z"


def format_decimal(d: Decimal) -> str:
    """A ``Decimal`` in plain notation with its exponent kept (``Decimal("19.90")`` →
    ``"19.90"``, ``Decimal("1E+2")`` → ``"100"``)."""
    return format(d, "f")


def _utc(dt: datetime, where: str) -> datetime:
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise ValueError(
            f"{where}: naive datetime {dt.isoformat()} — ordo needs timezone-aware datetimes "
            "(e.g. datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc) or a zoneinfo.ZoneInfo zone)"
        )
    return dt.astimezone(timezone.utc)


def utc(dt: datetime, where: str = "datetime") -> datetime:
    """``dt`` in ``timezone.utc``; a naive ``datetime`` is a ``ValueError``."""
    if not isinstance(dt, datetime):
        raise TypeError(f"{where}: expected a timezone-aware datetime, got {type(dt).__name__}")
    return _utc(dt, where)


def _key(k: Any, path: str) -> str:
    if not isinstance(k, str):
        raise TypeError(f"{path}: keys must be strings, got {type(k).__name__}")
    # `from_` for `from` (a Python keyword), as in `transfer_stock(from_=a, to=b, …)`.
    if k.endswith("_") and keyword.iskeyword(k[:-1]):
        return k[:-1]
    return k


def to_wire(v: Any, path: str, key: Optional[str] = None, depth: int = 0) -> Any:
    """``v`` as JSON-shaped data for the native module (see the module docs). ``depth``:
    how many dicts and lists enclose ``v``."""
    t = type(v)
    if t is str or t is bool or v is None:
        return v
    if t is dict:
        if depth >= MAX_INPUT_DEPTH:
            raise _too_deep(path)
        if len(v) > MAX_LIST_ITEMS:
            raise _too_many(path, len(v))
        out = {}
        for k, x in v.items():
            if type(k) is not str or k[-1:] == "_":
                k = _key(k, path)
            out[k] = to_wire(x, f"{path}.{k}", k, depth + 1)
        return out
    if t is list or t is tuple:
        if depth >= MAX_INPUT_DEPTH:
            raise _too_deep(path)
        if len(v) > MAX_LIST_ITEMS:
            raise _too_many(path, len(v))
        return [to_wire(x, f"{path}[{i}]", key, depth + 1) for i, x in enumerate(v)]
    if t is int:
        return str(v) if key in MONEY_KEYS else v
    if t is Decimal:
        return format_decimal(v)
    return _to_wire_other(v, path, key, depth)


def _too_deep(path: str) -> Exception:
    return _invalid_input(path, f"nested more than {MAX_INPUT_DEPTH} levels deep")


def _too_many(path: str, n: int) -> Exception:
    # The same limit and words as the core's, checked before anything is converted.
    return _invalid_input(path, f"at most {MAX_LIST_ITEMS} items, got {n}")


def _to_wire_other(v: Any, path: str, key: Optional[str], depth: int) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, (str, bool)):
        return v
    if isinstance(v, int):
        return str(v) if key in MONEY_KEYS else int(v)
    if isinstance(v, float):
        if key in FLOAT_KEYS:
            return v
        raise TypeError(
            f"{path}: float {v!r} given — money, rates and quantities are never floats in ordo; "
            "use decimal.Decimal (e.g. Decimal('19.99')) or an exact string for amounts, int for quantities"
        )
    if isinstance(v, Decimal):
        return format_decimal(v)
    if isinstance(v, datetime):
        return format_datetime(_utc(v, path))
    if isinstance(v, date):
        raise TypeError(f"{path}: a date is not a timestamp; use a timezone-aware datetime")
    if isinstance(v, UUID):
        return str(v)
    ref = _entity_id(v)
    if ref is not None:
        return ref
    to_dict = getattr(v, "to_dict", None)
    if callable(to_dict):
        return to_wire(to_dict("json"), path, key, depth)
    if isinstance(v, Mapping):
        return to_wire(dict(v), path, key, depth)
    if isinstance(v, (list, tuple)):
        return to_wire(list(v), path, key, depth)
    raise TypeError(f"{path}: cannot pass a {type(v).__name__} to ordo")


def _entity_id(v: Any) -> Optional[str]:
    """The id of an entity record (Order, Shipment, Return, Location, PickList) given
    where an id is expected."""
    if getattr(type(v), "_is_entity", False):
        return str(v.id)
    return None


def to_id(v: Any, name: str) -> str:
    """An id argument: ``uuid.UUID``, UUID string, or an entity record with ``.id``."""
    if isinstance(v, UUID):
        return str(v)
    if isinstance(v, str):
        return v
    ref = _entity_id(v)
    if ref is not None:
        return ref
    raise TypeError(f"{name}: expected a uuid.UUID, a UUID string or a record with an id, got {type(v).__name__}")


def merge(name: str, value: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    """A structured argument given as a mapping, as keyword arguments, or both."""
    if value is None and not fields:
        raise TypeError(f"missing argument {name!r} (a mapping, or its fields as keyword arguments)")
    if value is None:
        data: Any = dict(fields)
    elif fields:
        if not isinstance(value, Mapping):
            raise TypeError(f"{name}: expected a mapping, got {type(value).__name__}")
        data = {**value, **fields}
    else:
        data = value
    return to_wire(data, name)
