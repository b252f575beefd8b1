// Hand-written helpers shipped next to the generated `Ordo.swift`.
import Foundation

extension OrdoError {
    /// The stable error code (`"INSUFFICIENT_STOCK"`, …).
    public var code: String {
        switch self {
        case let .InvalidInput(code, _, _), let .UnknownCurrency(code, _, _), let .CurrencyMismatch(code, _, _),
             let .InvalidAmount(code, _, _), let .InvalidTransition(code, _, _), let .NotFound(code, _, _),
             let .Conflict(code, _, _), let .InsufficientStock(code, _, _), let .ValidationFailed(code, _, _),
             let .ReturnWindowClosed(code, _, _), let .Storage(code, _, _), let .Internal(code, _, _):
            return code
        }
    }

    /// A human-readable reason.
    public var reason: String {
        switch self {
        case let .InvalidInput(_, r, _), let .UnknownCurrency(_, r, _), let .CurrencyMismatch(_, r, _),
             let .InvalidAmount(_, r, _), let .InvalidTransition(_, r, _), let .NotFound(_, r, _),
             let .Conflict(_, r, _), let .InsufficientStock(_, r, _), let .ValidationFailed(_, r, _),
             let .ReturnWindowClosed(_, r, _), let .Storage(_, r, _), let .Internal(_, r, _):
            return r
        }
    }

    /// The variant's details as a JSON object string (`{"variant": "InsufficientStock", "sku": …}`).
    public var details: String {
        switch self {
        case let .InvalidInput(_, _, d), let .UnknownCurrency(_, _, d), let .CurrencyMismatch(_, _, d),
             let .InvalidAmount(_, _, d), let .InvalidTransition(_, _, d), let .NotFound(_, _, d),
             let .Conflict(_, _, d), let .InsufficientStock(_, _, d), let .ValidationFailed(_, _, d),
             let .ReturnWindowClosed(_, _, d), let .Storage(_, _, d), let .Internal(_, _, d):
            return d
        }
    }
}
