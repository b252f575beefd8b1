"""The seven steps of an order through the public Python API, with typed results."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Dict
from uuid import UUID

import pytest

import ordo
from ordo.types import (
    FulfillmentStatus,
    OrderState,
    PaymentStatus,
    ReturnState,
    ShipmentState,
)

from .conftest import ADDRESS, new_order


def test_seven_steps(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    nord: ordo.Location = shop["nord"]

    # 1. capture
    order = oms.place_order(new_order(shipping={"amount": Decimal("4.90"), "tax_rate": Decimal("0.19")}))
    assert isinstance(order, ordo.Order)
    assert order.state is OrderState.PLACED and str(order.state) == "placed"
    assert order.number == "1001"
    assert isinstance(order.id, UUID) and isinstance(order.lines[0].id, UUID)
    assert order.totals.total == ordo.Money(Decimal("44.88"), "EUR")
    assert order.totals.total.amount == Decimal("44.88") and str(order.totals.total) == "44.88 EUR"
    assert order.placed_at == datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    assert order.placed_at.tzinfo is timezone.utc
    assert oms.available("TSHIRT-M") == 25

    order = oms.record_payment(order, kind="authorized", amount=order.totals.total.amount, currency="EUR", reference="psp-1")
    assert order.payment_status is PaymentStatus.AUTHORIZED
    assert order.payments[0].amount.amount == Decimal("44.88")

    # 2. validate
    order = oms.validate_order(order.id)
    assert order.state is OrderState.CONFIRMED and order.holds == ()

    # 3. reserve
    plan = oms.plan_allocation(order)
    assert plan.allocations[0].location == nord.id and plan.allocations[0].quantity == 2
    allocation = oms.allocate_order(order)
    assert allocation.order.state is OrderState.IN_FULFILLMENT
    (shipment,) = allocation.shipments
    assert shipment.state is ShipmentState.PENDING and shipment.units == 2
    assert oms.available("TSHIRT-M") == 23
    assert [s.reserved for s in oms.stock("TSHIRT-M")] == [2]

    # 4. pick
    shipment = oms.confirm_pick(shipment)
    assert shipment.state is ShipmentState.PICKED

    # 5. pack and ship
    shipment = oms.pack_shipment(shipment, [{"weight_grams": 450, "dimensions_mm": [300, 200, 50]}])
    assert shipment.packages[0].dimensions_mm == (300, 200, 50)
    slip = oms.packing_slip(shipment, "de")
    assert slip.order_number == "1001" and "TSHIRT-M" in slip.text and slip.html.startswith("<")
    shipment = oms.ship(shipment, carrier="DHL", tracking_number="00340434161234567890")
    assert shipment.state is ShipmentState.SHIPPED
    assert shipment.tracking_url == "https://tracking.example/dhl/00340434161234567890"
    assert oms.get_shipment(shipment.id) == shipment

    # 6. deliver
    shipment = oms.record_tracking_event(tracking_number="00340434161234567890", code="delivered")
    assert shipment.state is ShipmentState.DELIVERED
    order = oms.get_order(order)
    assert order.state is OrderState.COMPLETED
    assert order.fulfillment_status is FulfillmentStatus.DELIVERED
    assert oms.status_message(order, "de") == "Ihre Bestellung 1001 wurde zugestellt."
    assert oms.find_order("web/shop-1042") == order == oms.find_order("1001")

    # 7. return one unit
    line = order.line("TSHIRT-M")
    ret = oms.request_return(order, lines=[{"line": line.id, "quantity": 1}], reason="does_not_fit")
    assert ret.state is ReturnState.REQUESTED and ret.rma_number.startswith("R-1001")
    ret = oms.approve_return(ret, label="label-4711")
    ret = oms.receive_return(ret, location=nord)
    ret = oms.inspect_return(ret, [{"line": line.id, "quantity": 1, "disposition": "restock"}])
    ret = oms.resolve_return(ret.id)
    assert ret.state is ReturnState.RESOLVED
    assert ret.refund == ordo.Money(Decimal("19.99"), "EUR")
    assert oms.available("TSHIRT-M") == 24
    assert oms.returns(order) == [ret] and oms.get_return(ret.id) == ret
    assert oms.verify_inventory() == []

    # history and outbox
    kinds = [t.event_type for t in oms.timeline(order)]
    assert kinds[0] == "order_placed" and "refund_due" in kinds
    events = oms.poll_events(1000)
    placed = next(e for e in events if e.type == "order_placed")
    assert isinstance(placed.data, ordo.events.OrderPlaced) and placed.data.total.amount == Decimal("44.88")
    assert oms.ack_events(events) == len(events)
    assert oms.poll_events() == []


def test_records_are_immutable_comparable_and_round_trip(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    order = oms.place_order(new_order())
    with pytest.raises(AttributeError):
        order.state = OrderState.CANCELLED  # type: ignore[misc]
    with pytest.raises(TypeError):
        order.metadata["x"] = "y"  # type: ignore[index]
    assert isinstance(order.lines, tuple)
    assert oms.get_order(order.id) == order
    assert hash(order.totals.total) == hash(ordo.Money(Decimal("39.98"), "EUR"))
    js = order.to_dict("json")
    assert js["totals"]["total"] == {"amount": "39.98", "currency": "EUR"}
    assert js["placed_at"] == "2026-03-02T09:00:00Z"
    assert js["id"] == str(order.id)
    assert ordo.Order.from_json(js) == order
    py = order.to_dict()
    assert py["totals"]["total"]["amount"] == Decimal("39.98")
    assert py["placed_at"] == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert py["id"] == order.id and py["state"] == "placed"
    assert "number='1001'" in repr(order) and "39.98 EUR" in repr(order)
    assert repr(order.totals.total) == "Money('39.98', 'EUR')"


def test_keyword_and_mapping_inputs_are_the_same(oms: ordo.Oms) -> None:
    a = oms.add_channel({"code": "web", "name": "Web shop"})
    assert oms.channels() == [a]
    loc = oms.add_location({"code": "nord"}, name="Lager Nord", priority=3)
    assert loc.priority == 3 and loc.name == "Lager Nord"
    assert oms.locations() == [loc]
    with pytest.raises(TypeError, match="missing argument 'order'"):
        oms.place_order()


def test_idempotency_key_returns_the_first_result(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    a = oms.with_idempotency_key("k-1").place_order(new_order("a"))
    b = oms.with_idempotency_key("k-1").place_order(new_order("a"))
    assert a == b and len(oms.list_orders()) == 1
    with pytest.raises(ordo.Conflict) as e:
        oms.with_idempotency_key("k-1").place_order(new_order("b"))
    assert e.value.details["variant"] == "idempotency_key_reused" and e.value.key == "k-1"


def test_holds_cancel_and_exceptions(shop: Dict[str, Any], clock: ordo.ManualClock) -> None:
    oms: ordo.Oms = shop["oms"]
    order = oms.place_order(new_order())
    order = oms.validate_order(order)  # no payment: held
    assert order.state is OrderState.ON_HOLD
    assert order.holds[0].code == "payment_missing"
    clock.advance(hours=2)
    (item,) = oms.exceptions()
    assert item.kind == "order_on_hold" and item.order_id == order.id and item.age_seconds == 7200
    order = oms.cancel_order(order, "customer asked")
    assert order.state is OrderState.CANCELLED
    assert oms.list_orders(state="cancelled") == [order]
    assert oms.list_orders(query={"state": "placed"}) == []


def test_stock_operations(shop: Dict[str, Any]) -> None:
    oms: ordo.Oms = shop["oms"]
    nord: ordo.Location = shop["nord"]
    sued = oms.add_location(code="sued", name="Lager Süd")
    a, b = oms.transfer_stock(sku="MUG", from_=nord, to=sued, quantity=4)
    assert (a.on_hand, b.on_hand) == (6, 4)
    level = oms.adjust_stock(sku="MUG", location=sued.id, delta=-1, reason="broken")
    assert level.on_hand == 3
    assert oms.set_safety_stock("MUG", nord, 2).available == 4
    assert oms.available("MUG") == 7
    assert [m.kind.value for m in oms.movements("MUG")] == ["received", "transferred", "transferred", "adjusted"]
    settings = oms.set_backorder_policy("MUG", {"type": "preorder", "expected": datetime(2026, 4, 1, 10, tzinfo=timezone.utc)})
    assert settings.backorder.type == "preorder" and settings.backorder.expected == datetime(2026, 4, 1, 10, tzinfo=timezone.utc)
    assert oms.set_backorder_policy("MUG", "allow").backorder.to_dict("json") == {"type": "allow"}
    assert oms.set_location_active(sued, False).active is False
    assert oms.available("MUG") == 4
    assert oms.set_bin("MUG", nord, "A-01") == "A-01"
    assert oms.set_bin("MUG", nord) is None


def test_counter_sale_and_receipt(oms: ordo.Oms) -> None:
    oms.add_channel(code="pos", name="Store")
    store = oms.add_location(code="mitte", name="Store Mitte", kind="store", pickup=True, address=ADDRESS)
    oms.receive_stock(sku="MUG", location=store, quantity=5)
    sale = oms.sell_at_counter(
        location=store,
        channel="pos",
        currency="EUR",
        lines=[{"sku": "MUG", "quantity": 2, "unit_price": Decimal("9.90"), "tax_rate": Decimal("0.19")}],
        payment={"method": "cash", "tendered": Decimal("20")},
    )
    assert sale.receipt.total.amount == Decimal("19.80")
    assert sale.receipt.change == ordo.Money(Decimal("0.20"), "EUR")
    assert "19,80" in sale.receipt.text or "19.80" in sale.receipt.text
    assert sale.order.state is OrderState.COMPLETED
    assert oms.counter_receipt(sale.order).number == sale.receipt.number


def test_sqlite_open_persists(tmp_path: Any) -> None:
    path = tmp_path / "shop.db"
    oms = ordo.Oms.open(path)
    oms.add_channel(code="web", name="Web shop")
    nord = oms.add_location(code="nord", name="Lager Nord")
    oms.receive_stock(sku="MUG", location=nord, quantity=3)
    order = oms.place_order(new_order(lines=[{"sku": "MUG", "quantity": 1, "unit_price": "9.90"}]))
    del oms
    again = ordo.Oms.open(str(path), durability="normal")
    assert again.get_order(order.id) == order
    assert again.available("MUG") == 3
    with pytest.raises(ordo.InvalidInput):
        ordo.Oms.open(path, durability="sometimes")


def test_sqlite_refuses_a_foreign_file(tmp_path: Any) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, just some text " * 100)
    with pytest.raises(ordo.StorageError) as e:
        ordo.Oms.open(path)
    assert e.value.code == "STORAGE" and e.value.details["variant"] == "not_ordo_database"
    assert path.read_text().startswith("not a database")
