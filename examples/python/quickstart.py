"""One order through all seven steps of ordo, from Python: capture, validate, reserve,
pick, pack and ship, deliver, return and refund (like examples/quickstart.rs).

Run it after `pip install ./bindings-python`:  python examples/python/quickstart.py
It writes ordo.db (SQLite) in the working directory, fresh on every run.
"""

from __future__ import annotations

import os
from decimal import Decimal

import ordo


def main() -> None:
    for f in ("ordo.db", "ordo.db-wal", "ordo.db-shm"):
        if os.path.exists(f):
            os.remove(f)
    oms = ordo.Oms.open("ordo.db", carriers={"DHL": "https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html?piececode={tracking}"})

    # The network: one web shop, one warehouse with stock.
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord", priority=1)
    oms.receive_stock(sku="TSHIRT-M", location=nord, quantity=25)
    oms.receive_stock(sku="MUG", location=nord, quantity=10)
    print(f"stock: TSHIRT-M {oms.available('TSHIRT-M')} available, MUG {oms.available('MUG')} available")

    # 1. Capture (idempotent per channel and external reference).
    order = oms.place_order(
        channel="web",
        currency="EUR",
        external_ref="shop-1042",
        lines=[
            {"sku": "TSHIRT-M", "name": "T-Shirt M", "quantity": 2, "unit_price": Decimal("19.99"), "tax_rate": Decimal("0.19")},
            {"sku": "MUG", "name": "Mug", "quantity": 1, "unit_price": Decimal("9.90"), "tax_rate": Decimal("0.19")},
        ],
        customer={"name": "Anna Muster", "email": "anna@example.de"},
        shipping_address={"name": "Anna Muster", "line1": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
        shipping={"amount": Decimal("4.90"), "tax_rate": Decimal("0.19")},
        discounts=[{"code": "WELCOME5", "amount": Decimal("5.00")}],
    )
    print(f"1. placed      order {order.number} total {order.totals.total} ({order.state})")
    oms.record_payment(order, kind="authorized", amount=order.totals.total.amount, currency="EUR", reference="psp-auth-1")

    # 2. Validate.
    order = oms.validate_order(order)
    print(f"2. validated   {order.state}, payment {order.payment_status}")

    # 3. Reserve.
    allocation = oms.allocate_order(order)
    print(f"3. reserved    {'; '.join(allocation.plan.explanations)}")
    shipment = allocation.shipments[0]

    # 4. Pick.
    shipment = oms.confirm_pick(shipment)
    print(f"4. picked      {shipment.units} units ({shipment.state})")

    # 5. Pack and ship.
    oms.pack_shipment(shipment, [{"weight_grams": 850}])
    shipment = oms.ship(shipment, carrier="DHL", tracking_number="00340434161234567890")
    print(f"5. shipped     {shipment.carrier} {shipment.tracking_url}")
    oms.record_payment(order, kind="captured", amount=order.totals.total.amount, currency="EUR", reference="psp-capture-1")

    # 6. Deliver.
    oms.record_tracking_event(tracking_number="00340434161234567890", code="in_transit")
    oms.record_tracking_event(tracking_number="00340434161234567890", code="delivered")
    order = oms.get_order(order)
    print(f"6. delivered   {order.state} / {order.fulfillment_status}")
    print(f"   customer:   {oms.status_message(order, 'de')}")

    # 7. Return one T-shirt: request, approve, receive, inspect, refund.
    tshirt = order.line("TSHIRT-M")
    ret = oms.request_return(order, lines=[{"line": tshirt.id, "quantity": 1}], reason="does_not_fit")
    oms.approve_return(ret, label="label-4711")
    oms.receive_return(ret, location=nord)
    oms.inspect_return(ret, [{"line": tshirt.id, "quantity": 1, "disposition": "restock"}])
    ret = oms.resolve_return(ret)
    print(f"7. returned    {ret.rma_number}: refund {ret.refund} (exact share of what was paid)")
    print(f"   customer:   {oms.status_message(order, 'de')}")

    print("\ntimeline:")
    for entry in oms.timeline(order):
        print(f"  {entry.at:%H:%M:%S}  {entry.summary}")
    print(f"\noutbox: {len(oms.poll_events(1000))} events waiting for the ERP; stock TSHIRT-M {oms.available('TSHIRT-M')} available")


if __name__ == "__main__":
    main()
