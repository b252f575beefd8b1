// The Swift example of the top-level README.md, copied verbatim as a test: keep them in
// sync. What the example prints is captured and checked exactly.
import Foundation
import XCTest
import Ordo

final class ReadmeTests: XCTestCase {
    func testReadmeSevenSteps() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // ---- README.md, "The seven steps in Swift" (after `import Ordo`) ----
        let oms = try Oms.inMemory()   // or: try Oms.open(path: "shop.db") — the offline store on the device
        _ = try oms.addChannel(channel: NewChannel(code: "web", name: "Web shop"))
        let nord = try oms.addLocation(location: NewLocation(code: "nord", name: "Lager Nord", priority: 1))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "TSHIRT-M", location: nord.id, quantity: 25))

        let order = try oms.placeOrder(order: NewOrder(                         // 1. capture
            channel: "web", currency: "EUR",
            lines: [NewLine(sku: "TSHIRT-M", quantity: 2, unitPrice: Decimal(string: "19.99")!, taxRate: Decimal(string: "0.19")!)],
            externalRef: "shop-1042",
            customer: Customer(name: "Anna Muster", email: "anna@example.de"),
            shippingAddress: Address(name: "Anna Muster", line1: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE")))
        _ = try oms.recordPayment(order: order.id, payment: NewPayment(kind: .authorized, amount: order.totals.total.amount, currency: "EUR"))
        _ = try oms.validateOrder(order: order.id)                               // 2. validate
        let shipment = try oms.allocateOrder(order: order.id).shipments[0]       // 3. reserve
        _ = try oms.confirmPick(shipment: shipment.id)                           // 4. pick
        _ = try oms.packShipment(shipment: shipment.id, packages: [NewPackage(weightGrams: 450)]) // 5. pack …
        _ = try oms.ship(shipment: shipment.id, input: ShipInput(carrier: "DHL", trackingNumber: "00340434161234567890")) // … and ship
        _ = try oms.recordTrackingEvent(event: TrackingEventInput(code: "delivered", trackingNumber: "00340434161234567890")) // 6. deliver
        let line = order.lines[0].id                                             // 7. return one unit
        let ret = try oms.requestReturn(order: order.id, request: ReturnRequest(lines: [ReturnUnits(line: line, quantity: 1)], reason: .doesNotFit))
        _ = try oms.approveReturn(id: ret.id)
        _ = try oms.receiveReturn(id: ret.id, receipt: ReceiveReturn(location: nord.id))
        _ = try oms.inspectReturn(id: ret.id, inspections: [Inspection(line: line, quantity: 1, disposition: .restock)])
        let refund = try oms.resolveReturn(id: ret.id).refund                    // Money(amount: 19.99, currency: "EUR")
        print(refund!, try oms.statusMessage(order: order.id, locale: "de"))

        // At a store's counter: order, payment, stock and handover in one step, with a receipt
        let mitte = try oms.addLocation(location: NewLocation(code: "mitte", name: "Filiale Mitte", kind: .store))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "TSHIRT-M", location: mitte.id, quantity: 3))
        let sale = try oms.sellAtCounter(sale: CounterSale(location: mitte.id, channel: "web", currency: "EUR",
            lines: [NewLine(sku: "TSHIRT-M", quantity: 1, unitPrice: Decimal(string: "19.99")!)],
            payment: CounterPayment(method: "cash", tendered: Decimal(string: "20.00")!)))
        print(sale.receipt.text)

        do { _ = try oms.getOrder(order: UUID()) } catch let e as OrdoError { print(e.code) } // NOT_FOUND
        // ---- end of the README example ----

        let eur1999 = Money(amount: Decimal(string: "19.99")!, currency: "EUR")
        XCTAssertEqual(refund, eur1999)
        XCTAssertEqual(sale.receipt.change?.amount, Decimal(string: "0.01")!)
        let utc = DateFormatter()
        utc.locale = Locale(identifier: "en_US_POSIX")
        utc.timeZone = TimeZone(identifier: "UTC")
        utc.dateFormat = "yyyy-MM-dd HH:mm"
        let receipt = [
            "             Filiale Mitte              ",
            "      #1002  \(utc.string(from: sale.receipt.at)) UTC       ",
            "----------------------------------------",
            "1 × TSHIRT-M                       19.99",
            "----------------------------------------",
            "TOTAL EUR                          19.99",
            "  incl. 0% tax on 19.99             0.00",
            "Paid (cash)                        20.00",
            "Change                              0.01",
            "",
        ].joined(separator: "\n")
        XCTAssertEqual(printed, [
            "\(eur1999) Ihre Retoure R-1001-1 zur Bestellung 1001 ist abgeschlossen; 19,99 EUR werden erstattet.",
            receipt,
            "NOT_FOUND",
        ])
    }
}
