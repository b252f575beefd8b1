// The point-of-sale flows on the typed surface: counter sale with receipt, pickup
// handover, return at the counter with restock, stock across stores; error mapping and
// Decimal exactness; the seven steps on the SQLite store.
import Foundation
import XCTest
@testable import Ordo

func dec(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
let start = ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z")!

func expectError<T>(_ code: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> OrdoError? {
    do {
        let r = try body()
        XCTFail("expected \(code), got \(r)", file: file, line: line)
    } catch let e as OrdoError {
        XCTAssertEqual(e.code, code, e.reason, file: file, line: line)
        return e
    } catch {
        XCTFail("expected OrdoError \(code), got \(error)", file: file, line: line)
    }
    return nil
}

final class PosTests: XCTestCase {
    func shop() throws -> (Oms, Location) {
        let oms = try Oms.inMemory(clock: ManualClock(start: start))
        _ = try oms.addChannel(channel: NewChannel(code: "pos", name: "Stores"))
        let mitte = try oms.addLocation(location: NewLocation(
            code: "mitte", name: "Filiale Mitte", kind: .store,
            address: Address(name: "Filiale Mitte", line1: "Torstr. 5", postalCode: "10119", city: "Berlin", country: "DE")))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: mitte.id, quantity: 5))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "BOOK", location: mitte.id, quantity: 2))
        return (oms, mitte)
    }

    func sell(_ oms: Oms, _ store: Location) throws -> CounterSaleResult {
        try oms.sellAtCounter(sale: CounterSale(
            location: store.id, channel: "pos", currency: "EUR",
            lines: [
                NewLine(sku: "MUG", name: "Mug", quantity: 2, unitPrice: dec("11.90"), taxRate: dec("0.19")),
                NewLine(sku: "BOOK", name: "Book", quantity: 1, unitPrice: dec("10.70"), taxRate: dec("0.07")),
            ],
            payment: CounterPayment(method: "cash", tendered: dec("50.00")),
            externalRef: "till-1/0001"))
    }

    func testCounterSaleWithReceipt() throws {
        let (oms, mitte) = try shop()
        let sale = try sell(oms, mitte)
        XCTAssertEqual(sale.order.state, .completed)
        XCTAssertEqual(sale.shipment.state, .pickedUp)
        XCTAssertEqual(sale.receipt.total, Money(amount: dec("34.50"), currency: "EUR"))
        XCTAssertEqual(sale.receipt.change?.amount, dec("15.50"))
        XCTAssertEqual(sale.receipt.tendered?.amount, dec("50.00"))
        XCTAssertEqual(sale.receipt.store, ["Filiale Mitte", "Torstr. 5", "10119 Berlin", "DE"])
        XCTAssertEqual(sale.receipt.at, start)
        XCTAssertEqual(sale.receipt.text, [
            "             Filiale Mitte              ",
            "               Torstr. 5                ",
            "              10119 Berlin              ",
            "                   DE                   ",
            "      #1001  2026-03-02 09:00 UTC       ",
            "----------------------------------------",
            "2 × Mug                            23.80",
            "1 × Book                           10.70",
            "----------------------------------------",
            "TOTAL EUR                          34.50",
            "  incl. 7% tax on 10.00             0.70",
            "  incl. 19% tax on 20.00            3.80",
            "Paid (cash)                        50.00",
            "Change                             15.50",
            "",
        ].joined(separator: "\n"))
        XCTAssertEqual(try oms.counterReceipt(order: sale.order.id).number, sale.receipt.number)
        XCTAssertEqual(try oms.stock(sku: "MUG").map(\.onHand), [3])
    }

    func testPickupHandover() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "web", name: "Web shop"))
        let mitte = try oms.addLocation(location: NewLocation(code: "mitte", name: "Filiale Mitte", kind: .store))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "BOOTS-40", location: mitte.id, quantity: 2))
        let order = try oms.placeOrder(order: NewOrder(
            channel: "web", currency: "EUR",
            lines: [NewLine(sku: "BOOTS-40", name: "Boots 40", quantity: 1, unitPrice: dec("119.00"), taxRate: dec("0.19"))],
            customer: Customer(name: "Lea", email: "lea@example.de"),
            delivery: .pickup(location: mitte.id), paymentMethod: .payAtPickup))
        XCTAssertEqual(order.delivery, .pickup(location: mitte.id))
        XCTAssertEqual(try oms.validateOrder(order: order.id).state, .confirmed)
        let shipment = try oms.allocateOrder(order: order.id).shipments[0]
        _ = try oms.confirmPick(shipment: shipment.id)
        _ = try oms.packShipment(shipment: shipment.id, packages: [NewPackage(weightGrams: 1800)])
        _ = expectError("INVALID_TRANSITION") { try oms.handOver(shipment: shipment.id) }
        XCTAssertEqual(try oms.readyForPickup(shipment: shipment.id).state, .readyForPickup)
        XCTAssertEqual(try oms.handOver(shipment: shipment.id).state, .pickedUp)
        let done = try oms.getOrder(order: order.id)
        XCTAssertEqual(done.state, .completed)
        XCTAssertEqual(done.lines[0].quantities.delivered, 1)
        XCTAssertEqual(try oms.stock(sku: "BOOTS-40").map(\.onHand), [1])
        XCTAssert(try oms.timeline(order: order.id).map(\.eventType).contains("shipment_ready_for_pickup"))
        XCTAssertEqual(try oms.statusMessage(order: order.id, locale: "de"), "Ihre Bestellung 1001 wurde zugestellt.")
        XCTAssertEqual(try oms.statusMessage(order: order.id, locale: "en"), "Your order 1001 has been delivered.")
    }

    func testReturnAtTheCounterWithRestock() throws {
        let (oms, mitte) = try shop()
        let sale = try sell(oms, mitte)
        let mug = sale.order.lines.first { $0.sku == "MUG" }!
        let ret = try oms.requestReturn(order: sale.order.id, request: ReturnRequest(
            lines: [ReturnUnits(line: mug.id, quantity: 1)], reason: .changedMind))
        XCTAssertEqual(ret.state, .requested)
        _ = try oms.approveReturn(id: ret.id)
        _ = try oms.receiveReturn(id: ret.id, receipt: ReceiveReturn(location: mitte.id))
        _ = try oms.inspectReturn(id: ret.id, inspections: [Inspection(line: mug.id, quantity: 1, disposition: .restock)])
        let done = try oms.resolveReturn(id: ret.id)
        XCTAssertEqual(done.state, .resolved)
        XCTAssertEqual(done.refund, Money(amount: dec("11.90"), currency: "EUR"))
        XCTAssertEqual(done.lines[0].restocked, 1)
        XCTAssertEqual(try oms.stock(sku: "MUG").map(\.onHand), [4])
    }

    func testStockAcrossStores() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "pos"))
        let a = try oms.addLocation(location: NewLocation(code: "mitte", kind: .store))
        let b = try oms.addLocation(location: NewLocation(code: "kreuzberg", kind: .store))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: a.id, quantity: 5))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: b.id, quantity: 7, reference: "GRN-1"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "BOOK", location: b.id, quantity: 1))
        let mug = Dictionary(uniqueKeysWithValues: try oms.stock(sku: "MUG").map { ($0.location, $0.onHand) })
        XCTAssertEqual(mug, [a.id: 5, b.id: 7])
        XCTAssertEqual(try oms.available(sku: "MUG", channel: "pos"), 12)
        XCTAssertEqual(try oms.stockLevels(location: b.id).map(\.sku).sorted(), ["BOOK", "MUG"])
        XCTAssertEqual(try oms.stockLevels().count, 3)
        XCTAssertEqual(Set(try oms.locations().map(\.code)), ["mitte", "kreuzberg"])
    }

    func testErrorMapping() throws {
        let (oms, mitte) = try shop()
        let e = expectError("INSUFFICIENT_STOCK") {
            try oms.sellAtCounter(sale: CounterSale(location: mitte.id, channel: "pos", currency: "EUR",
                lines: [NewLine(sku: "BOOK", quantity: 3, unitPrice: dec("10.70"))],
                payment: CounterPayment(method: "card", reference: "t-1")))
        }
        guard case let .InsufficientStock(_, _, details)? = e else { return XCTFail("case \(String(describing: e))") }
        let d = try JSON.parse(details)
        XCTAssertEqual(d["variant"], .string("InsufficientStock"))
        XCTAssertEqual(d["sku"], .string("BOOK"))
        XCTAssertEqual(d["requested"], .int(3))
        XCTAssertEqual(d["available"], .int(2))
        _ = expectError("NOT_FOUND") { try oms.getOrder(order: UUID()) }
        _ = expectError("UNKNOWN_CURRENCY") {
            try oms.sellAtCounter(sale: CounterSale(location: mitte.id, channel: "pos", currency: "XXY",
                lines: [NewLine(sku: "MUG", quantity: 1, unitPrice: dec("11.90"))], payment: CounterPayment(method: "card")))
        }
        _ = expectError("INVALID_AMOUNT") {
            try oms.sellAtCounter(sale: CounterSale(location: mitte.id, channel: "pos", currency: "EUR",
                lines: [NewLine(sku: "MUG", quantity: 1, unitPrice: dec("1.005"))], payment: CounterPayment(method: "card")))
        }
        _ = expectError("INVALID_INPUT") { try oms.execute(op: "get_order", argsJson: #"{"order": "not-a-uuid"}"#) }
        _ = expectError("INVALID_INPUT") { try oms.execute(op: "no_such_operation", argsJson: "{}") }
        _ = expectError("CONFLICT") { try oms.addChannel(channel: NewChannel(code: "pos")) }
        XCTAssertEqual(try oms.stock(sku: "BOOK").map(\.onHand), [2], "a failed sale changes nothing")
    }

    func testDecimalExactness() throws {
        let oms = try Oms.inMemory()
        _ = try oms.addChannel(channel: NewChannel(code: "web"))
        let w = try oms.addLocation(location: NewLocation(code: "w"))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "A", location: w.id, quantity: 10))
        let to = Address(name: "Anna", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE")
        let o = try oms.placeOrder(order: NewOrder(channel: "web", currency: "EUR",
            lines: [NewLine(sku: "A", quantity: 3, unitPrice: dec("0.10"), taxRate: dec("0.19"))], shippingAddress: to))
        XCTAssertEqual(o.totals.total.amount, dec("0.30"))          // not 0.30000000000000004
        XCTAssertNotEqual(o.totals.total.amount, Decimal(0.1 + 0.2))
        XCTAssertEqual(o.lines[0].taxRate, dec("0.19"))
        let big = dec("9999999999999.99")
        let o2 = try oms.placeOrder(order: NewOrder(channel: "web", currency: "EUR",
            lines: [NewLine(sku: "A", quantity: 1, unitPrice: big)], shippingAddress: to))
        XCTAssertEqual(o2.totals.total.amount, big)
        let paid = try oms.recordPayment(order: o.id, payment: NewPayment(kind: .authorized, amount: o.totals.total.amount, currency: "EUR"))
        XCTAssertEqual(paid.paymentStatus, "authorized")
    }

    func testSevenStepsOnSqlite() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ordo-\(UUID()).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let oms = try Oms.open(path: path, durability: .normal)
        _ = try oms.addChannel(channel: NewChannel(code: "web", name: "Web shop"))
        let nord = try oms.addLocation(location: NewLocation(code: "nord", name: "Lager Nord", priority: 1))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "TSHIRT-M", location: nord.id, quantity: 25))
        let input = NewOrder(channel: "web", currency: "EUR",
            lines: [NewLine(sku: "TSHIRT-M", quantity: 2, unitPrice: dec("19.99"), taxRate: dec("0.19"))],
            externalRef: "shop-1042",
            customer: Customer(name: "Anna Muster", email: "anna@example.de"),
            shippingAddress: Address(name: "Anna Muster", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE"))
        let order = try oms.withIdempotencyKey(key: "k1").placeOrder(order: input)
        XCTAssertEqual(try oms.withIdempotencyKey(key: "k1").placeOrder(order: input).id, order.id)
        _ = try oms.recordPayment(order: order.id, payment: NewPayment(kind: .authorized, amount: order.totals.total.amount, currency: "EUR"))
        _ = try oms.validateOrder(order: order.id)
        let shipment = try oms.allocateOrder(order: order.id).shipments[0]
        _ = try oms.confirmPick(shipment: shipment.id, picked: [])
        _ = try oms.packShipment(shipment: shipment.id, packages: [NewPackage(weightGrams: 450)])
        _ = try oms.ship(shipment: shipment.id, input: ShipInput(carrier: "DHL", trackingNumber: "00340434161234567890"))
        let delivered = try oms.recordTrackingEvent(event: TrackingEventInput(code: "delivered", trackingNumber: "00340434161234567890"))
        XCTAssertEqual(delivered.state, .delivered)
        let line = order.lines[0].id
        let ret = try oms.requestReturn(order: order.id, request: ReturnRequest(lines: [ReturnUnits(line: line, quantity: 1)], reason: .doesNotFit))
        _ = try oms.approveReturn(id: ret.id)
        _ = try oms.receiveReturn(id: ret.id, receipt: ReceiveReturn(location: nord.id))
        _ = try oms.inspectReturn(id: ret.id, inspections: [Inspection(line: line, quantity: 1, disposition: .restock)])
        XCTAssertEqual(try oms.resolveReturn(id: ret.id).refund?.amount, dec("19.99"))
        let shipped = try oms.getShipment(shipment: shipment.id)
        XCTAssertEqual(shipped.packages.map(\.weightGrams), [450])
        XCTAssertEqual(shipped.tracking.map(\.status), ["delivered"])
        let paid = try oms.getOrder(order: order.id)
        XCTAssertEqual(paid.payments.map(\.kind), [.authorized])
        XCTAssertEqual(paid.payment.authorized.amount, order.totals.total.amount)
        let reopened = try Oms.open(path: path)
        XCTAssertEqual(try reopened.getOrder(order: order.id).number, order.number)
        XCTAssertEqual(try reopened.stock(sku: "TSHIRT-M").map(\.onHand), [24])
        XCTAssertEqual(try reopened.exceptions().count, 0)
        // Read-only: queries work, commands are refused with STORAGE / ReadOnly.
        let reader = try Oms.open(path: path, readOnly: true)
        XCTAssertEqual(try reader.getOrder(order: order.id).number, order.number)
        let e = expectError("STORAGE") { try reader.addChannel(channel: NewChannel(code: "pos", name: "Till")) }
        XCTAssertTrue(e?.details.contains("\"variant\":\"ReadOnly\"") ?? false, e?.details ?? "no error")
    }
}
