"""The machinery behind ordo's result types: immutable records built from the core's
JSON form, with typed attributes, equality, ``to_dict()`` and a lossless way back.

Every result class is a frozen dataclass deriving from :class:`Record`. Its annotations
say how each JSON value is read: ``Decimal`` from a decimal string, ``datetime`` from an
RFC 3339 string (timezone-aware, UTC), ``UUID`` from a UUID string, enums from their
snake_case names, nested records from objects and ``Tuple[X, ...]`` from arrays. Keys the
class does not know (a newer core may add fields) are kept and written back unchanged.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import sys
import typing
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Dict, Iterator, Literal, Mapping, Optional, Tuple, Type, TypeVar, Union
from uuid import UUID

from ._convert import format_datetime, format_decimal, parse_datetime


R = TypeVar("R", bound="Record")
Mode = Literal["python", "json"]

_Reader = Callable[[Any], Any]
_Writer = Callable[[Any, str], Any]


class OpenEnum(str, enum.Enum):
    """A string enum that also accepts values a newer core may send (kept as they are)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            member = str.__new__(cls, value)
            member._name_ = value.upper()
            member._value_ = value
            return member
        return None

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


def _identity(v: Any) -> Any:
    return v


def _write_plain(v: Any, mode: str) -> Any:
    return v


def _write_json_value(v: Any, mode: str) -> Any:
    """Values kept raw (``Any`` fields, unknown keys): already in JSON form."""
    if isinstance(v, Record):
        return v.to_dict(mode)  # type: ignore[arg-type]
    if isinstance(v, (list, tuple)):
        return [_write_json_value(x, mode) for x in v]
    if isinstance(v, Mapping):
        return {k: _write_json_value(x, mode) for k, x in v.items()}
    return v


def _freeze(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return Data(v)
    return v


def _compile(tp: Any) -> Tuple[_Reader, _Writer]:
    """Reader (JSON value → attribute) and writer (attribute → python/json value) for a type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Union:
        inner = [a for a in args if a is not type(None)]
        read, write = _compile(inner[0]) if len(inner) == 1 else (_freeze, _write_json_value)
        return (lambda v: None if v is None else read(v)), (lambda v, m: None if v is None else write(v, m))
    if origin in (tuple, Tuple):
        read, write = _compile(args[0])
        if read is _identity:
            return tuple, (lambda v, m: list(v))
        return (lambda v: tuple([read(x) for x in v])), (lambda v, m: [write(x, m) for x in v])
    if origin in (dict, collections.abc.Mapping):
        read, write = _compile(args[1])
        return (lambda v: MappingProxyType({k: read(x) for k, x in v.items()})), (lambda v, m: {k: write(x, m) for k, x in v.items()})
    if tp is Decimal:
        return Decimal, lambda v, m: format_decimal(v) if m == "json" else v
    if tp is UUID:
        return UUID, lambda v, m: str(v) if m == "json" else v
    if tp is datetime:
        return parse_datetime, lambda v, m: format_datetime(v) if m == "json" else v
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp, lambda v, m: v.value
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_json, lambda v, m: v.to_dict(m)
    if tp in (str, int, bool, float):
        return _identity, _write_plain
    return _freeze, _write_json_value


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    key: str
    read: _Reader
    write: _Writer
    omit_none: bool
    default: Any


_MISSING: Any = object()


def _make_builder(cls: Any) -> Callable[[Dict[str, Any]], Any]:
    """A ``from_json`` specialised for ``cls`` (generated once, like dataclasses' ``__init__``):
    no loop over field specs per record, which matters with ~50 records per order."""
    spec = cls._fields()
    env: Dict[str, Any] = {"cls": cls, "new": object.__new__, "M": _MISSING, "proxy": MappingProxyType}
    lines = ["def build(data):", "    obj = new(cls)", "    d = obj.__dict__", "    get = data.get", "    found = 0"]
    for i, f in enumerate(spec):
        env[f"r{i}"], env[f"z{i}"] = f.read, f.default
        reader = f"r{i}(v)" if f.read is not _identity else "v"
        lines += [
            f"    v = get({f.key!r}, M)",
            f"    if v is M: d[{f.name!r}] = z{i}",
            f"    else: d[{f.name!r}] = {reader}; found += 1",
        ]
    env["known"] = frozenset(f.key for f in spec)
    lines += [
        "    if found < len(data):",
        "        d['_extra'] = proxy({k: x for k, x in data.items() if k not in known})",
        "    return obj",
    ]
    exec("\n".join(lines), env)  # noqa: S102 - generated from the class's own fields
    build: Callable[[Dict[str, Any]], Any] = env["build"]
    cls._build = build
    return build


def omit_none(*, default: Any = None) -> Any:
    """A field that is absent from the JSON form when ``None`` (serde enum payloads)."""
    return dataclasses.field(default=default, metadata={"omit_none": True})


class Record:
    """Base of every ordo result: immutable, typed, comparable, convertible."""

    _spec: ClassVar[Optional[Tuple[_Field, ...]]] = None
    _build: ClassVar[Optional[Callable[[Dict[str, Any]], Any]]] = None
    _extra: Mapping[str, Any] = MappingProxyType({})

    @classmethod
    def _fields(cls) -> Tuple[_Field, ...]:
        spec = cls.__dict__.get("_spec")
        if spec is None:
            hints = typing.get_type_hints(cls)
            out = []
            for f in dataclasses.fields(cls):  # type: ignore[arg-type]
                read, write = _compile(hints[f.name])
                key = f.name[:-1] if f.name.endswith("_") else f.name
                if f.default is not dataclasses.MISSING:
                    default = f.default
                elif f.default_factory is not dataclasses.MISSING:
                    default = f.default_factory()
                else:
                    default = None  # a field the core did not send: None
                out.append(_Field(f.name, key, read, write, bool(f.metadata.get("omit_none")), default))
            spec = tuple(out)
            cls._spec = spec
        return spec

    @classmethod
    def from_json(cls: Type[R], data: Mapping[str, Any]) -> R:
        """Builds the record from its JSON form (as the core serializes it)."""
        build = cls.__dict__.get("_build")
        if build is None:
            build = _make_builder(cls)
        if type(data) is not dict:
            if not isinstance(data, Mapping):
                raise TypeError(f"{cls.__name__}.from_json needs a mapping, got {type(data).__name__}")
            data = dict(data)
        obj: R = build(data)
        return obj

    def to_dict(self, mode: Mode = "python") -> Dict[str, Any]:
        """The record as a dict.

        ``mode="python"``: amounts as ``Decimal``, timestamps as timezone-aware ``datetime``
        (UTC), ids as ``uuid.UUID``, enums as their string values, nested records as dicts.
        ``mode="json"``: the core's JSON form, as in the scenario files (amounts and
        timestamps as strings), ready for ``json.dumps``.
        """
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', got {mode!r}")
        out: Dict[str, Any] = {}
        for f in self._fields():
            v = getattr(self, f.name)
            if v is None and f.omit_none:
                continue
            out[f.key] = f.write(v, mode)
        for k, v in self._extra.items():
            out[k] = _write_json_value(v, mode)
        return out


class Data(Mapping[str, Any]):
    """An immutable mapping of JSON values with attribute access, for results ordo has
    no dedicated class for (for instance event payloads of a newer core)."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_d", {k: _freeze(v) for k, v in data.items()})

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._d)))

    def __repr__(self) -> str:
        return f"Data({self._d!r})"

    def to_dict(self, mode: Mode = "python") -> Dict[str, Any]:
        """The values as a plain dict (JSON form: they are kept as the core sent them)."""
        return {k: _write_json_value(v, mode) for k, v in self._d.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Data":
        return cls(data)


def to_json(value: Any) -> Any:
    """Any result of ordo (a record, a list of records, a scalar) in its JSON form, as in
    the scenario files: amounts and timestamps as strings, ids as UUID strings."""
    if isinstance(value, (Record, Data)):
        return value.to_dict("json")
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    return value


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, omit_none))
    def record(cls: Type[R]) -> Type[R]:
        """Class decorator: a frozen dataclass record (keeps a custom ``__repr__``)."""

else:

    def record(cls):  # type: ignore[no-untyped-def]
        """Class decorator: a frozen dataclass record (keeps a custom ``__repr__``)."""
        custom_repr = "__repr__" in cls.__dict__
        return dataclasses.dataclass(frozen=True, repr=not custom_repr)(cls)


__all__ = ["Data", "Mode", "OpenEnum", "Record", "omit_none", "record", "to_json"]
