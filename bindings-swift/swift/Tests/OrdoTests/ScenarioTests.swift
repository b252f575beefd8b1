// Replays every tests/scenarios/*.json through `Oms.execute`, with the rules of
// core/tests/it/scenarios.rs (objects by subset, arrays element-wise, `$len`, `$var`).
import Foundation
import XCTest
@testable import Ordo

/// A JSON value; numbers keep the integer/fraction distinction of serde_json.
indirect enum JSON: Codable, Equatable, CustomStringConvertible {
    case null, bool(Bool), int(Int64), uint(UInt64), double(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let u = try? c.decode(UInt64.self) { self = .uint(u) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .uint(u): try c.encode(u)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    static func parse(_ text: String) throws -> JSON { try JSONDecoder().decode(JSON.self, from: Data(text.utf8)) }

    var text: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: e.encode(self), as: UTF8.self)) ?? "?"
    }

    var description: String { text }

    subscript(key: String) -> JSON? {
        if case let .object(o) = self { return o[key] }
        return nil
    }
}

struct ScenarioFailure: Error, CustomStringConvertible { let description: String }

func substitute(_ v: JSON, _ vars: [String: JSON]) throws -> JSON {
    switch v {
    case let .string(s) where s.hasPrefix("$"):
        guard let x = vars[String(s.dropFirst())] else { throw ScenarioFailure(description: "unknown variable \(s)") }
        return x
    case let .array(a): return .array(try a.map { try substitute($0, vars) })
    case let .object(o): return .object(try o.mapValues { try substitute($0, vars) })
    default: return v
    }
}

func lookup(_ v: JSON, _ path: String) -> JSON? {
    var cur = v
    for part in path.split(separator: ".") {
        switch cur {
        case let .array(a):
            guard let i = Int(part), i < a.count else { return nil }
            cur = a[i]
        case let .object(o):
            guard let x = o[String(part)] else { return nil }
            cur = x
        default: return nil
        }
    }
    return cur
}

func matches(_ expected: JSON, _ actual: JSON, _ path: String) throws {
    switch (expected, actual) {
    case let (.object(e), .array(a)) where e["$len"] != nil:
        guard case let .int(n) = e["$len"]!, a.count == Int(n) else {
            throw ScenarioFailure(description: "\(path): expected \(e["$len"]!) elements, found \(a.count)")
        }
    case let (.object(e), .object(a)):
        for (k, ev) in e {
            guard let av = a[k] else { throw ScenarioFailure(description: "\(path).\(k): missing in \(actual)") }
            try matches(ev, av, "\(path).\(k)")
        }
    case let (.array(e), .array(a)):
        guard e.count == a.count else { throw ScenarioFailure(description: "\(path): expected \(e.count) elements, found \(a.count): \(actual)") }
        for (i, (ev, av)) in zip(e, a).enumerated() { try matches(ev, av, "\(path)[\(i)]") }
    default:
        guard expected == actual else { throw ScenarioFailure(description: "\(path): expected \(expected), found \(actual)") }
    }
}

func replay(_ url: URL) throws {
    let doc = try JSON.parse(String(contentsOf: url, encoding: .utf8))
    let clock = ManualClock(start: ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z")!)
    let oms = try Oms.inMemory(
        clock: clock,
        carriers: ["DHL": "https://tracking.example/dhl/{tracking}"],
        trackingCodes: ["DLVRD": "delivered", "TRANSIT": "in_transit"]
    )
    var vars: [String: JSON] = [:]
    guard case let .array(steps)? = doc["steps"] else { throw ScenarioFailure(description: "no steps") }
    for (i, step) in steps.enumerated() {
        guard case let .string(op)? = step["op"] else { throw ScenarioFailure(description: "step \(i) without op") }
        let ctx = "step \(i) (\(op))"
        let args = try substitute(step["args"] ?? .object([:]), vars)
        var target = oms
        if case let .string(key)? = step["idempotency_key"] { target = oms.withIdempotencyKey(key: key) }
        var result = JSON.null
        var failure: OrdoError?
        if op == "advance_clock" {
            guard case let .int(s)? = args["seconds"] else { throw ScenarioFailure(description: "\(ctx): seconds") }
            clock.advance(seconds: s)
        } else {
            do { result = try JSON.parse(try target.execute(op: op, argsJson: args.text)) } catch let e as OrdoError { failure = e }
        }
        var expectedError: String?
        if case let .string(c)? = step["expect_error"] { expectedError = c }
        switch (failure, expectedError) {
        case (nil, nil):
            if let e = step["expect"] {
                do { try matches(try substitute(e, vars), result, "result") } catch let f as ScenarioFailure {
                    throw ScenarioFailure(description: "\(ctx): \(f)")
                }
            }
            if case let .object(save)? = step["save"] {
                for (name, p) in save {
                    guard case let .string(path) = p, let v = lookup(result, path) else {
                        throw ScenarioFailure(description: "\(ctx): cannot save \(name): no \(p) in \(result)")
                    }
                    vars[name] = v
                }
            }
        case (nil, let code?): throw ScenarioFailure(description: "\(ctx): expected error \(code), got \(result)")
        case (let e?, nil): throw ScenarioFailure(description: "\(ctx): unexpected error \(e.code) (\(e.reason))")
        case let (e?, code?):
            if e.code != code { throw ScenarioFailure(description: "\(ctx): expected error \(code), got \(e.code) (\(e.reason))") }
        }
    }
}

final class ScenarioTests: XCTestCase {
    func testEveryScenarioReplaysLikeRust() throws {
        let dir = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 12, "scenario files in \(dir.path)")
        var failures: [String] = []
        for f in files {
            do { try replay(dir.appendingPathComponent(f)) } catch { failures.append("\(f): \(error)") }
        }
        print("replayed \(files.count) scenario files, \(failures.count) failed")
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
    }
}
