// The operations beyond the POS flows on the typed surface: the stock ledger, order
// holds and edits, packing slips, claims and the event outbox.
import Foundation
import XCTest
@testable import Ordo

final class MoreOperationsTests: XCTestCase {
    func testStockLedger() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "pos"))
        let mitte = try oms.addLocation(location: NewLocation(code: "mitte", kind: .store))
        let lager = try oms.addLocation(location: NewLocation(code: "lager", name: "Lager"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: mitte.id, quantity: 5))
        XCTAssertEqual(try oms.adjustStock(adjustment: AdjustStock(sku: "MUG", location: mitte.id, delta: -1, reason: "broken")).onHand, 4)
        let levels = try oms.transferStock(transfer: TransferStock(sku: "MUG", from: mitte.id, to: lager.id, quantity: 2))
        XCTAssertEqual(levels.map(\.onHand), [2, 2])
        XCTAssertEqual(try oms.setSafetyStock(sku: "MUG", location: lager.id, units: 1).available, 1)
        let kinds = try oms.movements(sku: "MUG").map(\.kind)
        XCTAssertEqual(kinds.filter { $0 == .transferred }.count, 2)
        XCTAssert(kinds.contains(.adjusted))
        XCTAssertEqual(try oms.verifyInventory().count, 0)
        XCTAssertEqual(try oms.setBin(sku: "MUG", location: mitte.id, bin: "A-01"), "A-01")
        XCTAssertFalse(try oms.setLocationActive(location: lager.id, active: false).active)
    }

    func testOrderHoldsEditsAndPackingSlip() throws {
        let oms = try Oms.inMemory(clock: ManualClock(start: start))
        _ = try oms.addChannel(channel: NewChannel(code: "pos"))
        _ = try oms.updateChannel(channel: NewChannel(code: "pos", name: "Filialen", returnWindowDays: 30))
        XCTAssertEqual(try oms.channels().map(\.returnWindowDays), [30])
        let mitte = try oms.addLocation(location: NewLocation(code: "mitte", kind: .store))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: mitte.id, quantity: 5))
        let o = try oms.placeOrder(order: NewOrder(channel: "pos", currency: "EUR",
            lines: [NewLine(sku: "MUG", quantity: 3, unitPrice: dec("11.90"))],
            customer: Customer(name: "Lea"), delivery: .pickup(location: mitte.id), paymentMethod: .payAtPickup))
        XCTAssertEqual(try oms.holdOrder(order: o.id, hold: NewHold(code: "fraud_check", message: "call the customer")).state, .onHold)
        XCTAssertEqual(try oms.listOrders(query: OrderQuery(state: .onHold)).map(\.id), [o.id])
        _ = try oms.releaseOrder(order: o.id, note: "called")
        XCTAssertEqual(try oms.cancelLines(order: o.id, lines: [CancelUnits(line: o.lines[0].id, quantity: 1)], reason: "customer").lines[0].quantities.cancelled, 1)
        _ = try oms.validateOrder(order: o.id)
        let s = try oms.allocateOrder(order: o.id).shipments[0]
        _ = try oms.confirmPick(shipment: s.id)
        _ = try oms.packShipment(shipment: s.id, packages: [NewPackage(weightGrams: 900)])
        let slip = try oms.packingSlip(shipment: s.id, locale: "de")
        XCTAssertEqual(slip.lines.map(\.quantity), [2])
        XCTAssertEqual(slip.text, """
            Lieferschein — Bestellung 1001 (2026-03-02)

            Absender:
              mitte

            Menge  SKU              Artikel
                2  MUG              MUG

            Sie können Artikel innerhalb von 30 Tagen nach Erhalt zurückgeben. Bitte melden Sie die Rücksendung mit der Bestellnummer 1001 an und legen Sie diesen Lieferschein bei.

            """)
        XCTAssert(slip.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"), slip.html)
        XCTAssert(slip.html.contains("<tr><td>2</td><td>MUG</td><td>MUG</td></tr>"), slip.html)
        XCTAssertEqual(try oms.listOrders().count, 1)
    }

    func testClaimsAndEvents() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "web"))
        let w = try oms.addLocation(location: NewLocation(code: "w"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "A", location: w.id, quantity: 5))
        let o = try oms.placeOrder(order: NewOrder(channel: "web", currency: "EUR",
            lines: [NewLine(sku: "A", quantity: 1, unitPrice: dec("5.00"))],
            shippingAddress: Address(name: "Anna", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE"),
            paymentMethod: .invoice))
        _ = try oms.validateOrder(order: o.id)
        let s = try oms.allocateOrder(order: o.id).shipments[0]
        _ = try oms.confirmPick(shipment: s.id)
        _ = try oms.packShipment(shipment: s.id, packages: [NewPackage(weightGrams: 100)])
        _ = try oms.ship(shipment: s.id, input: ShipInput(carrier: "DHL", trackingNumber: "T-1"))
        _ = try oms.recordTrackingEvent(event: TrackingEventInput(code: "lost", shipment: s.id))
        XCTAssertEqual(try oms.openClaim(shipment: s.id, claim: NewClaim(kind: .lost)).state, .open)
        let settled = try oms.resolveClaim(shipment: s.id, settlement: ClaimSettlement(resolution: .replacement))
        XCTAssertEqual(settled.state, .resolved)
        let replacement = try oms.getOrder(order: try XCTUnwrap(settled.replacementOrder))
        XCTAssertEqual(replacement.lines.map(\.sku), ["A"])
        XCTAssertEqual(replacement.lines.map(\.quantities.ordered), [1])
        XCTAssertEqual(replacement.totals.total.amount, dec("0.00"), "a replacement is free of charge")
        XCTAssertEqual(try oms.claims(order: o.id).count, 1)
        let events = try oms.pollEvents(limit: 1000)
        let placed = try XCTUnwrap(events.first { $0.eventType == "order_placed" })
        XCTAssertEqual(placed.orderId, o.id)
        XCTAssertEqual(try JSON.parse(placed.json)["type"], .string("order_placed"))
        XCTAssertEqual(try oms.ackEvents(ids: events.map(\.id)), UInt64(events.count))
        XCTAssertEqual(try oms.pollEvents(limit: 10).count, 0)
        XCTAssertEqual(try oms.releaseExpiredHolds(), 0)
    }
}

final class CheckoutAndWarehouseTests: XCTestCase {
    func testHoldsPoliciesPickListsAndImport() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "web"))
        let w = try oms.addLocation(location: NewLocation(code: "w"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "A", location: w.id, quantity: 5))
        let hold = try oms.holdStock(request: HoldRequest(cartRef: "cart-1", channel: "web", lines: [HoldLine(sku: "A", quantity: 2)], ttlSeconds: 600))
        XCTAssertEqual(hold.lines.map(\.quantity), [2])
        XCTAssertEqual(try oms.stockHold(cartRef: "cart-1").cartRef, "cart-1")
        XCTAssertEqual(try oms.available(sku: "A"), 3)
        _ = try oms.releaseStockHold(cartRef: "cart-1")
        XCTAssertEqual(try oms.available(sku: "A"), 5)
        XCTAssertEqual(try oms.setBackorderPolicy(sku: "B", policy: .allow).backorder, .allow)
        let expected = ISO8601DateFormatter().date(from: "2026-04-01T00:00:00Z")!
        XCTAssertEqual(try oms.setBackorderPolicy(sku: "C", policy: .preorder(expected: expected)).backorder, .preorder(expected: expected))
        XCTAssertEqual(try oms.skuSettings(sku: "A").backorder, .deny)
        let to = Address(name: "Anna", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE")
        func order(_ ref: String) -> NewOrder {
            NewOrder(channel: "web", currency: "EUR", lines: [NewLine(sku: "A", quantity: 1, unitPrice: dec("5.00"))],
                     externalRef: ref, shippingAddress: to, paymentMethod: .invoice)
        }
        let results = try oms.importOrders(orders: [order("r1"), order("r2"), order("r1")])
        guard case .placed = results[0], case .alreadyExisted = results[2] else { return XCTFail("import \(results)") }
        for r in results.prefix(2) {
            guard case let .placed(id, _) = r else { return XCTFail("\(r)") }
            _ = try oms.validateOrder(order: id)
            _ = try oms.allocateOrder(order: id)
        }
        _ = try oms.setBin(sku: "A", location: w.id, bin: "A-01")
        let list = try oms.createPickList(request: NewPickList(location: w.id))
        XCTAssertEqual(list.shipments.count, 2)
        XCTAssertEqual(list.lines.map(\.quantity), [2])
        XCTAssertEqual(list.lines.first?.bin, "A-01")
        XCTAssertEqual(try oms.pickList(id: list.id).lines.first?.targets.count, 2)
    }
}

final class EditTests: XCTestCase {
    func testPlanAllocationAndEditOrder() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "web"))
        let w = try oms.addLocation(location: NewLocation(code: "w", name: "Lager"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "A", location: w.id, quantity: 5))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "B", location: w.id, quantity: 5))
        let to = Address(name: "Anna", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE")
        let o = try oms.placeOrder(order: NewOrder(channel: "web", currency: "EUR",
            lines: [NewLine(sku: "A", quantity: 2, unitPrice: dec("5.00"))], shippingAddress: to, paymentMethod: .invoice))
        _ = try oms.validateOrder(order: o.id)
        let plan = try oms.planAllocation(order: o.id)
        XCTAssertEqual(plan.allocations.map(\.location), [w.id])
        XCTAssertEqual(plan.explanations, ["Lager: all 1 line in stock, priority 100"])
        XCTAssertEqual(try oms.allocateOrder(order: o.id).plan.allocations.map(\.quantity), [2])
        var changes = OrderChanges(lines: [
            .setQuantity(line: o.lines[0].id, quantity: 1),
            .add(line: NewLine(sku: "B", quantity: 1, unitPrice: dec("7.50"))),
        ], dryRun: true)
        let preview = try oms.editOrder(order: o.id, changes: changes)
        XCTAssertFalse(preview.applied)
        XCTAssertEqual(preview.totalBefore.amount, dec("10.00"))
        XCTAssertEqual(preview.totalAfter.amount, dec("12.50"))
        XCTAssertEqual(try oms.getOrder(order: o.id).lines.count, 1, "a dry run changes nothing")
        changes.dryRun = false
        let edit = try oms.editOrder(order: o.id, changes: changes)
        XCTAssert(edit.applied)
        XCTAssertEqual(edit.order.lines.count, 2)
    }
}
