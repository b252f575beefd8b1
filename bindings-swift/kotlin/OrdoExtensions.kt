// Hand-written helpers shipped next to the generated `ordo.kt`.
package ordo

/** The stable error code (`"INSUFFICIENT_STOCK"`, …) of any [OrdoException]. */
val OrdoException.code: String
    get() = when (this) {
        is OrdoException.InvalidInput -> code
        is OrdoException.UnknownCurrency -> code
        is OrdoException.CurrencyMismatch -> code
        is OrdoException.InvalidAmount -> code
        is OrdoException.InvalidTransition -> code
        is OrdoException.NotFound -> code
        is OrdoException.Conflict -> code
        is OrdoException.InsufficientStock -> code
        is OrdoException.ValidationFailed -> code
        is OrdoException.ReturnWindowClosed -> code
        is OrdoException.Storage -> code
        is OrdoException.Internal -> code
    }

/** The error's details as a JSON object string (`{"variant": "InsufficientStock", "sku": …}`). */
val OrdoException.details: String
    get() = when (this) {
        is OrdoException.InvalidInput -> details
        is OrdoException.UnknownCurrency -> details
        is OrdoException.CurrencyMismatch -> details
        is OrdoException.InvalidAmount -> details
        is OrdoException.InvalidTransition -> details
        is OrdoException.NotFound -> details
        is OrdoException.Conflict -> details
        is OrdoException.InsufficientStock -> details
        is OrdoException.ValidationFailed -> details
        is OrdoException.ReturnWindowClosed -> details
        is OrdoException.Storage -> details
        is OrdoException.Internal -> details
    }
