"""Helpers for data scripts: bulk import (from dicts or CSV) and export tables.

Tables are lists of flat dicts with Python values (``Decimal`` amounts, timezone-aware
UTC ``datetime``, ``uuid.UUID`` ids); the ``*_dataframe()`` variants turn them into pandas
DataFrames (pandas is optional) with amounts kept exact (``object`` dtype holding
``Decimal``) and timestamps as ``datetime64[…, UTC]``.
"""

from __future__ import annotations

import csv
import os
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from ._convert import to_id, to_wire
from .events import Event, TimelineEntry
from .types import ImportResult, Location, Movement, Order, StockLevel

if TYPE_CHECKING:
    import pandas

#: Called after each batch with the number of rows it held: pass tqdm's ``bar.update``
#: (or a tqdm bar itself).
Progress = Union[Callable[[int], Any], Any]

#: Columns of :meth:`DataScripts.import_orders_csv`: one row per order line; rows with the
#: same ``external_ref`` form one order (order columns are read from its first row).
CSV_COLUMNS = {
    "external_ref": "the shop's order reference (required; groups the lines of an order)",
    "channel": "sales channel code (or the `channel=` argument)",
    "currency": "ISO 4217 code (or the `currency=` argument)",
    "sku": "line: SKU (required)",
    "name": "line: product name",
    "quantity": "line: units (integer, required)",
    "unit_price": "line: price per unit, exact decimal such as 19.99 (required)",
    "tax_rate": "line: tax rate as a fraction, e.g. 0.19",
    "discount": "line: discount amount on the line",
    "customer_name": "customer name",
    "customer_email": "customer e-mail",
    "ship_name": "shipping address: name",
    "ship_company": "shipping address: company",
    "ship_line1": "shipping address: street and number",
    "ship_line2": "shipping address: second line",
    "ship_postal_code": "shipping address: postal code",
    "ship_city": "shipping address: city",
    "ship_region": "shipping address: region",
    "ship_country": "shipping address: ISO 3166 country code, e.g. DE",
    "shipping_amount": "shipping charged (gross unless prices_include_tax is false)",
    "shipping_tax_rate": "tax rate of the shipping charge",
    "payment_method": "prepaid (default), invoice, cash_on_delivery, pay_at_pickup",
    "prices_include_tax": "true (default) or false",
    "placed_at": "RFC 3339 timestamp, e.g. 2026-03-02T09:00:00Z (default: now)",
}


def _batches(rows: Iterable[Any], size: int) -> Iterator[List[Any]]:
    batch: List[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _report(progress: Optional[Progress], n: int) -> None:
    if progress is None:
        return
    update = getattr(progress, "update", None)
    if callable(update):
        update(n)
    else:
        progress(n)


def _csv_order(rows: Sequence[Mapping[str, str]], channel: Optional[str], currency: Optional[str]) -> Dict[str, Any]:
    first = rows[0]

    def get(row: Mapping[str, str], key: str) -> Optional[str]:
        v = row.get(key)
        return v.strip() if v is not None and v.strip() != "" else None

    def qty(v: Optional[str]) -> Any:
        return int(v) if v is not None and v.isdigit() else v

    order: Dict[str, Any] = {
        "external_ref": get(first, "external_ref"),
        "channel": get(first, "channel") or channel,
        "currency": get(first, "currency") or currency,
        "lines": [],
    }
    for row in rows:
        line: Dict[str, Any] = {"sku": get(row, "sku"), "quantity": qty(get(row, "quantity")), "unit_price": get(row, "unit_price")}
        for key in ("name", "tax_rate", "discount"):
            if get(row, key) is not None:
                line[key] = get(row, key)
        order["lines"].append(line)
    if get(first, "customer_name") or get(first, "customer_email"):
        order["customer"] = {"name": get(first, "customer_name") or "", "email": get(first, "customer_email")}
    if get(first, "ship_line1") or get(first, "ship_country"):
        order["shipping_address"] = {
            k: get(first, f"ship_{k}") or ("" if k in ("name", "line1", "postal_code", "city", "country") else None)
            for k in ("name", "company", "line1", "line2", "postal_code", "city", "region", "country")
        }
    if get(first, "shipping_amount") is not None:
        order["shipping"] = {"amount": get(first, "shipping_amount"), "tax_rate": get(first, "shipping_tax_rate") or "0"}
    for key in ("payment_method", "placed_at"):
        if get(first, key) is not None:
            order[key] = get(first, key)
    pit = get(first, "prices_include_tax")
    if pit is not None:
        order["prices_include_tax"] = pit.lower() in ("1", "true", "yes", "y")
    return {k: v for k, v in order.items() if v is not None}


def _dataframe(rows: List[Dict[str, Any]], columns: Sequence[str], datetimes: Sequence[str]) -> "pandas.DataFrame":
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the *_dataframe() helpers need pandas: pip install pandas") from e
    df = pd.DataFrame(rows, columns=list(columns))
    for col in df.columns:
        if col in datetimes:
            df[col] = pd.to_datetime(df[col], utc=True)
        elif rows and any(isinstance(r.get(col), Decimal) for r in rows):
            df[col] = df[col].astype(object)  # exact amounts: Decimal objects, never floats
    return df


_ORDER_COLUMNS = (
    "id", "number", "channel", "external_ref", "state", "payment_status", "fulfillment_status", "currency",
    "subtotal", "discount", "shipping", "tax", "total", "lines", "units", "customer_name", "customer_email",
    "ship_country", "placed_at", "updated_at",
)
_LINE_COLUMNS = (
    "order_id", "order_number", "line_id", "sku", "name", "currency", "unit_price", "tax_rate", "net", "tax", "gross",
    "ordered", "cancelled", "allocated", "backordered", "picked", "packed", "shipped", "delivered", "returned",
    "refunded", "fill_rate",
)
_STOCK_COLUMNS = ("sku", "location_id", "location", "on_hand", "reserved", "safety_stock", "available")
_MOVEMENT_COLUMNS = ("id", "at", "sku", "location_id", "location", "kind", "on_hand_delta", "reserved_delta", "reason", "order_id")
_EVENT_COLUMNS = ("seq", "id", "at", "order_id", "order_number", "type", "summary", "data")


class DataScripts:
    """Bulk import and export tables (mixed into :class:`ordo.Oms`)."""

    _n: Any

    # --- import ----------------------------------------------------------------------

    def import_orders(
        self, orders: Iterable[Mapping[str, Any]], progress: Optional[Progress] = None, batch_size: int = 500
    ) -> List[ImportResult]:
        """Places many orders, ``batch_size`` per transaction, one :class:`ImportResult` per
        order in input order (``placed``, ``already_existed`` or ``failed`` with the error
        code). One bad order does not stop the others; a repeated import reports
        ``already_existed``.

        ``progress(n)`` is called after each batch with its size; it works with tqdm::

            with tqdm(total=len(rows)) as bar:
                results = oms.import_orders(rows, progress=bar.update)
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        results: List[ImportResult] = []
        for batch in _batches(orders, batch_size):
            wire = [to_wire(o, f"orders[{len(results) + i}]") for i, o in enumerate(batch)]
            results.extend(ImportResult.from_json(r) for r in self._n.import_orders(wire))
            _report(progress, len(batch))
        return results

    def import_orders_csv(
        self,
        path: Union[str, "os.PathLike[str]"],
        *,
        channel: Optional[str] = None,
        currency: Optional[str] = None,
        delimiter: str = ",",
        encoding: str = "utf-8",
        progress: Optional[Progress] = None,
        batch_size: int = 500,
    ) -> Dict[str, ImportResult]:
        """Imports a CSV file of order lines (columns: ``ordo.CSV_COLUMNS``; one row per
        line, rows with the same ``external_ref`` form one order). ``channel`` and
        ``currency`` fill in for missing columns. Returns ``external_ref`` → result, in file
        order. ``progress`` counts orders, as in :meth:`import_orders`."""
        groups: Dict[str, List[Dict[str, str]]] = {}
        with open(path, newline="", encoding=encoding) as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            missing = {"external_ref", "sku", "quantity", "unit_price"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{os.fspath(path)}: missing columns {sorted(missing)}")
            for row in reader:
                ref = (row.get("external_ref") or "").strip()
                if not ref:
                    raise ValueError(f"{os.fspath(path)}, line {reader.line_num}: empty external_ref")
                groups.setdefault(ref, []).append(row)
        orders = [_csv_order(rows, channel, currency) for rows in groups.values()]
        results = self.import_orders(orders, progress=progress, batch_size=batch_size)
        return dict(zip(groups, results))

    # --- export ----------------------------------------------------------------------

    def _orders(self, query: Optional[Mapping[str, Any]]) -> List[Order]:
        q = None if query is None else to_wire(query, "query")
        return [Order.from_json(o) for o in self._n.list_orders(q)]

    def _location_codes(self) -> Dict[Any, str]:
        return {loc.id: loc.code for loc in (Location.from_json(x) for x in self._n.locations())}

    def orders_table(self, query: Optional[Mapping[str, Any]] = None) -> List[Dict[str, Any]]:
        """One row per order (filter as in ``list_orders``): states, totals, units, customer."""
        rows = []
        for o in self._orders(query):
            t = o.totals
            rows.append({
                "id": o.id, "number": o.number, "channel": o.channel, "external_ref": o.external_ref,
                "state": o.state.value, "payment_status": o.payment_status.value,
                "fulfillment_status": o.fulfillment_status.value, "currency": o.currency,
                "subtotal": t.subtotal.amount, "discount": t.discount.amount, "shipping": t.shipping.amount,
                "tax": t.tax.amount, "total": t.total.amount, "lines": len(o.lines),
                "units": sum(ln.quantities.ordered for ln in o.lines),
                "customer_name": o.customer.name, "customer_email": o.customer.email,
                "ship_country": o.shipping_address.country if o.shipping_address else None,
                "placed_at": o.placed_at, "updated_at": o.updated_at,
            })
        return rows

    def lines_table(self, query: Optional[Mapping[str, Any]] = None) -> List[Dict[str, Any]]:
        """One row per order line: amounts, every quantity, and ``fill_rate`` (units with a
        reservation — including those since picked, packed or shipped — ÷ open units, as a
        ``Decimal`` with 4 places)."""
        rows = []
        for o in self._orders(query):
            for ln in o.lines:
                q = ln.quantities
                open_units = q.ordered - q.cancelled
                served = q.allocated
                fill = Decimal(min(served, open_units)) / Decimal(open_units) if open_units else Decimal(0)
                rows.append({
                    "order_id": o.id, "order_number": o.number, "line_id": ln.id, "sku": ln.sku, "name": ln.name,
                    "currency": o.currency, "unit_price": ln.unit_price.amount, "tax_rate": ln.tax_rate,
                    "net": ln.amounts.net.amount, "tax": ln.amounts.tax.amount, "gross": ln.amounts.gross.amount,
                    "ordered": q.ordered, "cancelled": q.cancelled, "allocated": q.allocated,
                    "backordered": q.backordered, "picked": q.picked, "packed": q.packed, "shipped": q.shipped,
                    "delivered": q.delivered, "returned": q.returned, "refunded": ln.refunded.amount,
                    "fill_rate": fill.quantize(Decimal("0.0001")),
                })
        return rows

    def stock_table(self, skus: Optional[Iterable[str]] = None) -> List[Dict[str, Any]]:
        """One row per SKU and location: on hand, reserved, safety stock, available; all
        levels, or those of ``skus``."""
        codes = self._location_codes()
        wanted = None if skus is None else set(skus)
        rows = []
        for s in (StockLevel.from_json(x) for x in self._n.stock_levels(None)):
            if wanted is None or s.sku in wanted:
                rows.append({
                    "sku": s.sku, "location_id": s.location, "location": codes.get(s.location),
                    "on_hand": s.on_hand, "reserved": s.reserved, "safety_stock": s.safety_stock, "available": s.available,
                })
        return rows

    def movements_table(self, sku: Optional[str] = None) -> List[Dict[str, Any]]:
        """The inventory ledger, one row per movement, oldest first."""
        codes = self._location_codes()
        return [
            {
                "id": m.id, "at": m.at, "sku": m.sku, "location_id": m.location, "location": codes.get(m.location),
                "kind": m.kind.value, "on_hand_delta": m.on_hand_delta, "reserved_delta": m.reserved_delta,
                "reason": m.reason, "order_id": m.order_id,
            }
            for m in (Movement.from_json(x) for x in self._n.movements(sku))
        ]

    def events_table(self, order: Any = None, *, pending: bool = False) -> List[Dict[str, Any]]:
        """Events, one row each (``data`` as a dict of Python values). By default the
        history of every order (or of ``order``); ``pending=True``: the outbox's
        unacknowledged events instead (stock events included), without acknowledging them."""
        rows = []
        if pending:
            for e in (Event.from_json(x) for x in self._n.poll_events(1_000_000)):
                rows.append(self._event_row(e, None, None))
            return rows
        orders = [Order.from_json(self._n.get_order(to_id(order, "order")))] if order is not None else self._orders(None)
        for o in orders:
            for t in (TimelineEntry.from_json(x) for x in self._n.timeline(str(o.id))):
                rows.append(self._event_row(t.event, o.number, t.summary))
        return rows

    @staticmethod
    def _event_row(e: Event, number: Optional[str], summary: Optional[str]) -> Dict[str, Any]:
        return {
            "seq": e.seq, "id": e.id, "at": e.at, "order_id": e.order_id, "order_number": number, "type": e.type,
            "summary": summary, "data": None if e.data is None else e.data.to_dict(),
        }

    def orders_dataframe(self, query: Optional[Mapping[str, Any]] = None) -> "pandas.DataFrame":
        """:meth:`orders_table` as a DataFrame (needs pandas)."""
        return _dataframe(self.orders_table(query), _ORDER_COLUMNS, ("placed_at", "updated_at"))

    def lines_dataframe(self, query: Optional[Mapping[str, Any]] = None) -> "pandas.DataFrame":
        """:meth:`lines_table` as a DataFrame (needs pandas)."""
        return _dataframe(self.lines_table(query), _LINE_COLUMNS, ())

    def stock_dataframe(self, skus: Optional[Iterable[str]] = None) -> "pandas.DataFrame":
        """:meth:`stock_table` as a DataFrame (needs pandas)."""
        return _dataframe(self.stock_table(skus), _STOCK_COLUMNS, ())

    def movements_dataframe(self, sku: Optional[str] = None) -> "pandas.DataFrame":
        """:meth:`movements_table` as a DataFrame (needs pandas)."""
        return _dataframe(self.movements_table(sku), _MOVEMENT_COLUMNS, ("at",))

    def events_dataframe(self, order: Any = None, *, pending: bool = False) -> "pandas.DataFrame":
        """:meth:`events_table` as a DataFrame (needs pandas)."""
        return _dataframe(self.events_table(order, pending=pending), _EVENT_COLUMNS, ("at",))
