"""Exceptions: :class:`OrdoError` and one subclass per stable error code.

Every error of the core arrives as the subclass of its code, carrying the same fields
as the Rust error in ``details`` (also readable as attributes)::

    try:
        oms.allocate_order(order)
    except ordo.InsufficientStock as e:
        print(e.code, e.sku, e.requested, e.available)   # INSUFFICIENT_STOCK …

A ``ValidationFailed`` has ``reasons`` (a list of ``{"code", "message"}``); a ``Conflict``,
an ``InvalidAmount`` or a ``StorageError`` says which case it is in ``details["variant"]``.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple, Type


class OrdoError(Exception):
    """Base of every error raised by ordo. ``code`` is the stable, language-neutral code
    (``"INSUFFICIENT_STOCK"``, …); ``message`` the human-readable text; ``details`` the
    error's fields. Code ``"INTERNAL"`` (this class itself) means a bug in ordo."""

    code: str = "INTERNAL"

    def __init__(self, message: str, details: Optional[Mapping[str, Any]] = None, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: Dict[str, Any] = dict(details or {})
        if code is not None and code != type(self).code:
            self.code = code

    def __getattr__(self, name: str) -> Any:
        details = self.__dict__.get("details")
        if details is not None and name in details:
            return details[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r}, details={self.details!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.message, self.details, self.code))


class InvalidInput(OrdoError):
    """A field of the input is missing, malformed or out of range (``field``, ``reason``)."""

    code = "INVALID_INPUT"


class UnknownCurrency(OrdoError):
    """Not an active ISO 4217 currency code (``code`` in ``details``)."""

    code = "UNKNOWN_CURRENCY"


class CurrencyMismatch(OrdoError):
    """Amounts of different currencies were combined (``expected``, ``found``)."""

    code = "CURRENCY_MISMATCH"


class InvalidAmount(OrdoError):
    """An amount is too precise for its currency, negative, or not a decimal."""

    code = "INVALID_AMOUNT"


class InvalidTransition(OrdoError):
    """The command is not allowed in the entity's state (``entity``, ``id``, ``state``, ``command``)."""

    code = "INVALID_TRANSITION"


class NotFound(OrdoError):
    """A referenced entity does not exist (``entity``, ``id``)."""

    code = "NOT_FOUND"


class Conflict(OrdoError):
    """The command conflicts with what is stored (duplicate order, reused idempotency key, …)."""

    code = "CONFLICT"


class InsufficientStock(OrdoError):
    """Not enough stock (``sku``, ``location``, ``requested``, ``available``)."""

    code = "INSUFFICIENT_STOCK"


class ValidationFailed(OrdoError):
    """The order did not pass validation (``order_id``, ``reasons``)."""

    code = "VALIDATION_FAILED"


class ReturnWindowClosed(OrdoError):
    """A return was requested after the window closed (``order_id``, ``sku``, ``closed_at``)."""

    code = "RETURN_WINDOW_CLOSED"


class StorageError(OrdoError):
    """The storage backend failed; nothing of the command was stored."""

    code = "STORAGE"


ERROR_CLASSES: Dict[str, Type[OrdoError]] = {
    c.code: c
    for c in (
        InvalidInput,
        UnknownCurrency,
        CurrencyMismatch,
        InvalidAmount,
        InvalidTransition,
        NotFound,
        Conflict,
        InsufficientStock,
        ValidationFailed,
        ReturnWindowClosed,
        StorageError,
    )
}


def _invalid_input(field: str, reason: str) -> InvalidInput:
    """An ``InvalidInput`` raised by the Python layer, worded as the core words its own."""
    return InvalidInput(f"invalid {field}: {reason}", {"field": field, "reason": reason})


def _from_native(code: str, message: str, details: Dict[str, Any]) -> OrdoError:
    """Called by the native module to build the exception of an error."""
    cls = ERROR_CLASSES.get(code, OrdoError)
    return cls(message, details, code)


__all__ = ["ERROR_CLASSES", "OrdoError"] + [c.__name__ for c in ERROR_CLASSES.values()]
