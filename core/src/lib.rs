//! # ordo — an embeddable order-management system
//!
//! ordo owns everything after the "buy" click: **capture** an order from a sales
//! channel, **validate** it (address, payment, availability; hold with reasons),
//! **reserve** stock at the right locations, **pick**, **pack and ship** with tracking,
//! record **delivery** events, and handle **returns** with inspection and exact refunds.
//! Around that: payment status, an audit timeline per order, an outbox of events for
//! ERP/CRM/logistics, idempotent commands, and an exception queue for people.
//!
//! Everything goes through one facade, [`Oms`]. Each command runs in one storage
//! transaction and stores its events with the change; a failed command stores nothing.
//!
//! ```
//! use ordo::*;
//! use rust_decimal::Decimal;
//!
//! let oms = Oms::in_memory();
//! oms.add_channel(NewChannel::new("web", "Web shop"))?;
//! let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord"))?;
//! oms.receive_stock(ReceiveStock::new("TSHIRT-M", nord.id, 10))?;
//!
//! // 1. capture
//! let order = oms.place_order(
//!     NewOrder::new("web", "EUR", vec![NewLine::new("TSHIRT-M", 2, Decimal::new(1999, 2)).tax_rate(Decimal::new(19, 2))])
//!         .external_ref("shop-1042")
//!         .customer(Customer::new("Anna Muster", "anna@example.de"))
//!         .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE")),
//! )?;
//! oms.record_payment(order.id, NewPayment::new(PaymentKind::Authorized, Decimal::new(3998, 2), "EUR"))?;
//! // 2. validate, 3. reserve
//! oms.validate_order(order.id)?;
//! let allocation = oms.allocate_order(order.id)?;
//! let shipment = &allocation.shipments[0];
//! // 4. pick, 5. pack and ship
//! oms.confirm_pick(shipment.id, vec![])?;
//! oms.pack_shipment(shipment.id, vec![Package::new(400)])?;
//! oms.ship(shipment.id, ShipInput::new("DHL", "00340434161234567890"))?;
//! // 6. deliver
//! oms.record_tracking_event(TrackingEventInput::by_tracking("00340434161234567890", "delivered"))?;
//! let order = oms.get_order(order.id)?;
//! assert_eq!(order.state, OrderState::Completed);
//! assert_eq!(oms.status_message(order.id, "de")?, "Ihre Bestellung 1001 wurde zugestellt.");
//! # Ok::<(), ordo::Error>(())
//! ```
//!
//! Money is [`Money`] (a `Decimal` with an ISO 4217 [`Currency`]), never a float; times
//! are UTC; ids are UUID v7. Errors are [`Error`], with a stable [`Error::code`] shared by
//! every language binding.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Fuzzing harnesses shared by `fuzz/` and the regression tests; not part of the API.
#[doc(hidden)]
#[path = "fuzz/mod.rs"]
pub mod __fuzz;
pub mod claims;
mod clock;
mod documents;
mod error;
mod event;
mod fingerprint;
mod geo;
mod ids;
pub mod inventory;
pub mod limits;
mod money;
mod oms;
pub mod ops;
pub mod order;
mod payment;
pub mod picking;
pub mod returns;
pub mod shipment;
pub mod store;
mod timeline;
mod util;
pub mod validation;

/// The README's examples compile and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use claims::{Claim, ClaimKind, ClaimResolution, ClaimState, NewClaim};
pub use clock::{Clock, ManualClock, SystemClock};
pub use documents::{PackingSlip, Receipt, ReceiptLine, SlipLine, TaxLine};
pub use error::{ConflictError, Error, ErrorKind, InputError, MoneyError, Result, StoreError};
pub use event::{EVENT_SCHEMA_VERSION, Event, EventKind, LineUnits};
pub use geo::GeoPoint;
pub use ids::{ClaimId, EventId, LineId, LocationId, MovementId, OrderId, PaymentId, PickListId, ReturnId, ShipmentId};
pub use inventory::{
    AllocationPlan, AllocationPolicy, AllocationStrategy, BackorderPolicy, Channel, HoldLine, InventoryDiscrepancy, Location, LocationKind,
    Movement, MovementKind, NewChannel, NewLocation, ShippingRefund, ShortagePolicy, SkuSettings, StockHold, StockLevel,
};
pub use money::{Currency, Money, parse_decimal, spread};
pub use oms::import::ImportResult;
pub use oms::{
    AdjustStock, Allocation, CancelUnits, ClaimSettlement, CounterPayment, CounterSale, CounterSaleResult, ExceptionItem, ExceptionKind,
    HoldRequest, LineChange, MAX_HOLD_TTL_SECONDS, NewHold, Oms, OmsBuilder, OrderChanges, OrderEdit, PickedUnits, ReceiveReturn,
    ReceiveStock, ReturnRequest, ReturnUnits, ShipInput, TimelineEntry, TrackingEventInput, TransferStock,
};
pub use order::{
    Address, Customer, DeliveryMethod, FulfillmentStatus, LineQuantities, NewLine, NewOrder, Order, OrderLine, OrderState, OrderTotals,
    PaymentMethod,
};
pub use payment::{NewPayment, PaymentKind, PaymentRecord, PaymentStatus, PaymentSummary};
pub use picking::{NewPickList, PickLine, PickList, PickTarget};
pub use returns::{Disposition, Inspection, Resolution, Return, ReturnReason, ReturnState};
pub use shipment::{Package, PackageItem, Shipment, ShipmentCommand, ShipmentState, TrackingStatus};
#[cfg(feature = "sqlite")]
pub use store::{Durability, SqliteOptions, SqliteStore};
pub use store::{MemoryStore, OrderQuery, Store, Transaction};
pub use timeline::Locale;
pub use validation::{HoldCode, HoldReason, Validator};
