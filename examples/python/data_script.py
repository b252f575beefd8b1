"""A data script with ordo: load a CSV of shop orders, allocate them against the stock
of two warehouses, and print a stock table and a fill-rate table.

Run it from the repository root after `pip install ./bindings-python`:

    python examples/python/data_script.py [orders.csv]

pandas is used for the tables when installed (amounts stay exact Decimals); without it
the same tables print as plain text.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import ordo

HERE = Path(__file__).resolve().parent


def main(csv_path: Path) -> None:
    oms = ordo.Oms.in_memory()
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord", priority=1)
    sued = oms.add_location(code="sued", name="Lager Süd", priority=2)
    for sku, at_nord, at_sued in [("TSHIRT-M", 25, 10), ("MUG", 15, 10), ("BOOK-RUST", 20, 0), ("CAP", 20, 10), ("SOCKS", 0, 30)]:
        for loc, units in ((nord, at_nord), (sued, at_sued)):
            if units:
                oms.receive_stock(sku=sku, location=loc, quantity=units)

    # 1. Import: one transaction per batch, one result per order.
    results = oms.import_orders_csv(csv_path, progress=lambda n: print(f"imported {n} orders"))
    failed = {ref: r for ref, r in results.items() if not r.ok}
    print(f"{len(results) - len(failed)} orders placed, {len(failed)} refused")
    for ref, r in failed.items():
        print(f"  {ref}: {r.code} {r.message}")

    # 2. Validate and allocate every placed order (invoice orders need no payment).
    held = 0
    for order in oms.list_orders(state="placed"):
        order = oms.validate_order(order)
        if order.state == "confirmed":
            oms.allocate_order(order)
        else:
            held += 1
    print(f"{held} orders held by validation (not enough stock in the network)")

    # 3. Tables.
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        pd.set_option("display.width", 120)
        stock = oms.stock_dataframe()
        print("\nStock after allocation:")
        print(stock.drop(columns=["location_id"]).to_string(index=False))
        lines = oms.lines_dataframe()
        per_sku = lines.groupby("sku").agg(ordered=("ordered", "sum"), allocated=("allocated", "sum"), gross=("gross", "sum"))
        per_sku["fill_rate"] = [Decimal(a) / Decimal(o) if o else Decimal(0) for a, o in zip(per_sku["allocated"], per_sku["ordered"])]
        per_sku["fill_rate"] = per_sku["fill_rate"].map(lambda d: f"{d:.1%}")
        print("\nFill rate per SKU (gross stays an exact Decimal):")
        print(per_sku.to_string())
    else:
        print("\nStock after allocation:")
        for row in oms.stock_table():
            print(f"  {row['sku']:<10} {row['location']:<6} on hand {row['on_hand']:>3}  reserved {row['reserved']:>3}  available {row['available']:>3}")
        print("\nFill rate per order line:")
        for row in oms.lines_table():
            print(f"  {row['order_number']:<6} {row['sku']:<10} {row['allocated']}/{row['ordered']}  {row['fill_rate']:.0%}")

    total = sum((o.totals.total.amount for o in oms.list_orders()), Decimal(0))
    units = sum(r["ordered"] for r in oms.lines_table())
    allocated = sum(r["allocated"] for r in oms.lines_table())
    print(f"\nNetwork fill rate: {allocated}/{units} units = {Decimal(allocated) / Decimal(units):.1%}; order value {total} EUR")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "orders.csv")
