"""String enums of ordo's results: states, kinds and reasons.

Each is equal to its snake_case name (``OrderState.PLACED == "placed"``); values a newer
core may send are accepted and kept as they are.
"""

from __future__ import annotations

from ._records import OpenEnum

class OrderState(OpenEnum):
    """Where an order is in its life cycle."""

    PLACED = "placed"
    CONFIRMED = "confirmed"
    ON_HOLD = "on_hold"
    IN_FULFILLMENT = "in_fulfillment"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class FulfillmentStatus(OpenEnum):
    """Derived from the line quantities."""

    UNFULFILLED = "unfulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class PaymentKind(OpenEnum):
    """What a payment report says happened."""

    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    VOIDED = "voided"
    FAILED = "failed"
    REFUNDED = "refunded"
    CHARGED_BACK = "charged_back"


class PaymentStatus(OpenEnum):
    """Derived from the payment reports and the order total."""

    UNPAID = "unpaid"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    FAILED = "failed"


class PaymentMethod(OpenEnum):
    """How the customer pays."""

    PREPAID = "prepaid"
    INVOICE = "invoice"
    CASH_ON_DELIVERY = "cash_on_delivery"
    PAY_AT_PICKUP = "pay_at_pickup"


class LocationKind(OpenEnum):
    """Warehouse or store."""

    WAREHOUSE = "warehouse"
    STORE = "store"


class AllocationStrategy(OpenEnum):
    """How a channel picks locations."""

    FEWEST_SHIPMENTS = "fewest_shipments"
    PRIORITY = "priority"
    NEAREST = "nearest"
    HIGHEST_STOCK = "highest_stock"


class ShippingRefund(OpenEnum):
    """When returns refund the shipping charge."""

    WHEN_ALL_RETURNED = "when_all_returned"
    NEVER = "never"


class ShortagePolicy(OpenEnum):
    """What happens to units that cannot be reserved."""

    HOLD = "hold"
    CANCEL_LINE = "cancel_line"


class MovementKind(OpenEnum):
    """Kind of an inventory ledger entry."""

    RECEIVED = "received"
    ADJUSTED = "adjusted"
    RESERVED = "reserved"
    RELEASED = "released"
    SHIPPED = "shipped"
    RESTOCKED = "restocked"
    WRITTEN_OFF = "written_off"
    TRANSFERRED = "transferred"
    RETURNED_TO_VENDOR = "returned_to_vendor"


class ShipmentState(OpenEnum):
    """Where a shipment is."""

    PENDING = "pending"
    PICKING = "picking"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    LOST = "lost"
    DAMAGED = "damaged"
    RETURNED_TO_SENDER = "returned_to_sender"
    READY_FOR_PICKUP = "ready_for_pickup"
    PICKED_UP = "picked_up"
    CANCELLED = "cancelled"


class TrackingStatus(OpenEnum):
    """A carrier event, normalized."""

    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    LOST = "lost"
    DAMAGED = "damaged"
    RETURNED_TO_SENDER = "returned_to_sender"


class ReturnState(OpenEnum):
    """Where a return (RMA) is."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    INSPECTED = "inspected"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class ReturnReason(OpenEnum):
    """Why the customer returns."""

    DOES_NOT_FIT = "does_not_fit"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"


class Resolution(OpenEnum):
    """What the customer gets back."""

    REFUND = "refund"
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"
    REPAIR = "repair"


class Disposition(OpenEnum):
    """What happens to an inspected unit."""

    RESTOCK = "restock"
    WRITE_OFF = "write_off"
    REPAIR = "repair"
    RETURN_TO_VENDOR = "return_to_vendor"


class ExceptionKind(OpenEnum):
    """Kind of an item in the exception queue."""

    ORDER_ON_HOLD = "order_on_hold"
    DELIVERY_PROBLEM = "delivery_problem"
    RETURN_AWAITING_INSPECTION = "return_awaiting_inspection"
    CLAIM_OPEN = "claim_open"
    BACKORDER_OVERDUE = "backorder_overdue"


class ClaimKind(OpenEnum):
    """What went wrong with a parcel."""

    LOST = "lost"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    MISSING_ITEM = "missing_item"


class ClaimState(OpenEnum):
    """Open or resolved."""

    OPEN = "open"
    RESOLVED = "resolved"


class ClaimResolution(OpenEnum):
    """How a claim was settled."""

    REPLACEMENT = "replacement"
    REFUND = "refund"


class HoldCode(OpenEnum):
    """Why an order is held (hosts may use their own codes: any other string)."""

    ADDRESS_INCOMPLETE = "address_incomplete"
    ADDRESS_INVALID = "address_invalid"
    PAYMENT_MISSING = "payment_missing"
    PAYMENT_REVIEW = "payment_review"
    SUSPECTED_FRAUD = "suspected_fraud"
    UNKNOWN_SKU = "unknown_sku"
    INSUFFICIENT_STOCK = "insufficient_stock"
    BACKORDER_TOO_LONG = "backorder_too_long"
    DELIVERY_PROBLEM = "delivery_problem"
    SHORT_PICK = "short_pick"
    CUSTOMER_REQUEST = "customer_request"


__all__ = ["OrderState", "FulfillmentStatus", "PaymentKind", "PaymentStatus", "PaymentMethod", "LocationKind", "AllocationStrategy", "ShippingRefund", "ShortagePolicy", "MovementKind", "ShipmentState", "TrackingStatus", "ReturnState", "ReturnReason", "Resolution", "Disposition", "ExceptionKind", "ClaimKind", "ClaimState", "ClaimResolution", "HoldCode"]
