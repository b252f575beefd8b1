// Bad input on the Swift side. The typed surface cannot express it: a `Bool` is not a
// `UInt32`, the records are flat (metadata is `[String: String]`), and a Swift `String` is
// always valid Unicode (a lone surrogate such as "\u{D800}" does not compile). What is left
// is `execute` with JSON text: booleans where numbers belong, and deep nesting.
import Foundation
import XCTest
@testable import Ordo

final class InputTests: XCTestCase {
    /// Channel `pos`, store `mitte` with 5 MUG.
    func shop() throws -> (Oms, Location) {
        let oms = try Oms.inMemory(clock: ManualClock(start: start))
        _ = try oms.addChannel(channel: NewChannel(code: "pos", name: "Stores"))
        let mitte = try oms.addLocation(location: NewLocation(code: "mitte", name: "Filiale Mitte", kind: .store))
        _ = try oms.receiveStock(receipt: ReceiveStock(sku: "MUG", location: mitte.id, quantity: 5))
        return (oms, mitte)
    }

    /// Asserts `INVALID_INPUT` about exactly `field`, with a reason starting with `reason`.
    func invalid(_ field: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> String) {
        guard let e = expectError("INVALID_INPUT", file: file, line: line, body) else { return }
        guard case let .InvalidInput(_, _, details) = e else { return XCTFail("case \(e)", file: file, line: line) }
        guard let d = try? JSON.parse(details) else { return XCTFail("details \(details)", file: file, line: line) }
        XCTAssertEqual(d["variant"], .string("Input"), file: file, line: line)
        XCTAssertEqual(d["field"], .string(field), details, file: file, line: line)
        guard case let .string(r)? = d["reason"] else { return XCTFail("reason in \(details)", file: file, line: line) }
        XCTAssert(r.hasPrefix(reason), "reason: expected \(reason)…, got \(r)", file: file, line: line)
    }

    func testBooleansAreNotNumbersThroughExecute() throws {
        let (oms, mitte) = try shop()
        let loc = mitte.id.uuidString.lowercased()
        invalid("receipt.quantity", "invalid type: boolean `true`, expected u32") {
            try oms.execute(op: "receive_stock", argsJson: #"{"receipt": {"sku": "MUG", "location": "\#(loc)", "quantity": true}}"#)
        }
        invalid("units", "invalid type: boolean `true`, expected u32") {
            try oms.execute(op: "set_safety_stock", argsJson: #"{"sku": "MUG", "location": "\#(loc)", "units": true}"#)
        }
        invalid("active", "invalid type: integer `1`, expected a boolean") {
            try oms.execute(op: "set_location_active", argsJson: #"{"location": "\#(loc)", "active": 1}"#)
        }
        let mug = try XCTUnwrap(try oms.stock(sku: "MUG").first)
        XCTAssertEqual([mug.onHand, mug.safetyStock], [5, 0], "nothing changed")
        XCTAssertEqual(try oms.locations().map(\.active), [true])
    }

    func testNestingIsLimitedThroughExecute() throws {
        let (oms, _) = try shop()
        func nested(_ levels: Int) -> String { String(repeating: #"{"a":"#, count: levels - 1) + "{}" + String(repeating: "}", count: levels - 1) }
        func order(_ metadata: String) -> String { #"{"order": {"channel": "pos", "currency": "EUR", "lines": [], "metadata": \#(metadata)}}"# }
        // order (level 1) → metadata (2) → 31 more objects: the object at level 33 is named.
        invalid("order.metadata" + String(repeating: ".a", count: 31), "nested more than 32 levels deep") {
            try oms.execute(op: "place_order", argsJson: order(nested(32)))
        }
        // 32 levels pass the limit; then the shape is refused (metadata values are strings).
        invalid("order.metadata.a", "invalid type: map, expected a string") { try oms.execute(op: "place_order", argsJson: order(nested(31))) }
        // Beyond the JSON parser's own limit: the same reason, naming the JSON text.
        invalid("args_json", "nested more than 32 levels deep (recursion limit exceeded") {
            try oms.execute(op: "place_order", argsJson: order(nested(10_000)))
        }
        // A lone surrogate written as a JSON escape is refused by the parser.
        invalid("args_json", "lone leading surrogate in hex escape") {
            try oms.execute(op: "stock", argsJson: #"{"sku": "A\uDC00"}"#)
        }
        XCTAssertEqual(try oms.listOrders().count, 0)
    }
}
