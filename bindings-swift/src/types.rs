//! Records and enums of the typed surface. They mirror the core's serde (JSON) forms field
//! by field (snake_case in Rust, lowerCamelCase in Swift/Kotlin), so converting is a serde
//! round trip through those forms: inputs serialize into the core's input types, results
//! deserialize from the core's result types (fields the POS apps do not need are left out;
//! `execute` returns everything).

#![allow(missing_docs)]

use rust_decimal::Decimal;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Timestamp;

/// An exact amount of money: `amount` is Foundation `Decimal` / `java.math.BigDecimal`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct Money {
    pub amount: Decimal,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Warehouse,
    Store,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    Placed,
    Confirmed,
    OnHold,
    InFulfillment,
    Completed,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentState {
    Pending,
    Picking,
    Picked,
    Packed,
    Shipped,
    InTransit,
    OutForDelivery,
    DeliveryFailed,
    Delivered,
    Lost,
    Damaged,
    ReturnedToSender,
    ReadyForPickup,
    PickedUp,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    Requested,
    Approved,
    Rejected,
    Received,
    Inspected,
    Resolved,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    Authorized,
    Captured,
    Voided,
    Failed,
    Refunded,
    ChargedBack,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Prepaid,
    Invoice,
    CashOnDelivery,
    PayAtPickup,
}

/// How the customer gets the goods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Delivery {
    Ship,
    Pickup { location: Uuid },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    DoesNotFit,
    NotAsDescribed,
    Damaged,
    WrongItem,
    ChangedMind,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Refund,
    StoreCredit,
    Exchange,
    Repair,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    Restock,
    WriteOff,
    Repair,
    ReturnToVendor,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
pub enum Durability {
    /// Survives power loss (default).
    Full,
    /// Survives a crashed process; several times faster.
    Normal,
}

// ---- inputs ----

#[derive(Clone, Debug, Default, Serialize, uniffi::Record)]
pub struct NewChannel {
    pub code: String,
    #[uniffi(default = None)]
    pub name: Option<String>,
    #[uniffi(default = None)]
    pub return_window_days: Option<u32>,
    #[uniffi(default = [])]
    pub locations: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, uniffi::Record)]
pub struct Address {
    pub name: String,
    #[uniffi(default = None)]
    pub company: Option<String>,
    pub line1: String,
    #[uniffi(default = None)]
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    #[uniffi(default = None)]
    pub region: Option<String>,
    pub country: String,
    #[uniffi(default = None)]
    pub phone: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, uniffi::Record)]
pub struct Customer {
    #[uniffi(default = None)]
    pub id: Option<String>,
    pub name: String,
    #[uniffi(default = None)]
    pub email: Option<String>,
    #[uniffi(default = None)]
    pub phone: Option<String>,
    #[uniffi(default = None)]
    pub locale: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewLocation {
    pub code: String,
    #[uniffi(default = None)]
    pub name: Option<String>,
    #[uniffi(default = None)]
    pub kind: Option<LocationKind>,
    #[uniffi(default = None)]
    pub address: Option<Address>,
    #[uniffi(default = None)]
    pub priority: Option<i32>,
    #[uniffi(default = [])]
    pub channels: Vec<String>,
    #[uniffi(default = None)]
    pub ships: Option<bool>,
    #[uniffi(default = None)]
    pub pickup: Option<bool>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ReceiveStock {
    pub sku: String,
    pub location: Uuid,
    pub quantity: u32,
    #[uniffi(default = None)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewLine {
    pub sku: String,
    #[uniffi(default = None)]
    pub name: Option<String>,
    pub quantity: u32,
    pub unit_price: Decimal,
    #[uniffi(default = None)]
    pub tax_rate: Option<Decimal>,
    #[uniffi(default = None)]
    pub discount: Option<Decimal>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewDiscount {
    pub code: String,
    pub amount: Decimal,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewShipping {
    pub amount: Decimal,
    #[uniffi(default = None)]
    pub tax_rate: Option<Decimal>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewOrder {
    pub channel: String,
    pub currency: String,
    pub lines: Vec<NewLine>,
    #[uniffi(default = None)]
    pub external_ref: Option<String>,
    #[uniffi(default = None)]
    pub customer: Option<Customer>,
    #[uniffi(default = None)]
    pub shipping_address: Option<Address>,
    #[uniffi(default = None)]
    pub billing_address: Option<Address>,
    #[uniffi(default = None)]
    pub delivery: Option<Delivery>,
    #[uniffi(default = None)]
    pub payment_method: Option<PaymentMethod>,
    #[uniffi(default = [])]
    pub discounts: Vec<NewDiscount>,
    #[uniffi(default = None)]
    pub shipping: Option<NewShipping>,
    #[uniffi(default = None)]
    pub cart_ref: Option<String>,
    #[uniffi(default = None)]
    pub prices_include_tax: Option<bool>,
    #[uniffi(default = [])]
    pub notes: Vec<String>,
    #[uniffi(default = None)]
    pub metadata: Option<HashMap<String, String>>,
    /// When the order was placed (imports of past orders); default now.
    #[uniffi(default = None)]
    pub placed_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewPayment {
    pub kind: PaymentKind,
    pub amount: Decimal,
    pub currency: String,
    #[uniffi(default = None)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct PickedUnits {
    pub line: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewPackage {
    pub weight_grams: u32,
    #[uniffi(default = None)]
    pub dimensions_mm: Option<Vec<u32>>,
    #[uniffi(default = None)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ShipInput {
    pub carrier: String,
    pub tracking_number: String,
    #[uniffi(default = None)]
    pub service: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct TrackingEventInput {
    pub code: String,
    #[uniffi(default = None)]
    pub shipment: Option<Uuid>,
    #[uniffi(default = None)]
    pub tracking_number: Option<String>,
    #[uniffi(default = None)]
    pub at: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct CounterPayment {
    /// `"card"`, `"cash"`, …
    pub method: String,
    #[uniffi(default = None)]
    pub tendered: Option<Decimal>,
    #[uniffi(default = None)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct CounterSale {
    pub location: Uuid,
    pub channel: String,
    pub currency: String,
    pub lines: Vec<NewLine>,
    pub payment: CounterPayment,
    #[uniffi(default = [])]
    pub discounts: Vec<NewDiscount>,
    #[uniffi(default = None)]
    pub customer: Option<Customer>,
    #[uniffi(default = None)]
    pub external_ref: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ReturnUnits {
    pub line: Uuid,
    pub quantity: u32,
    #[uniffi(default = None)]
    pub exchange_sku: Option<String>,
    #[uniffi(default = None)]
    pub exchange_unit_price: Option<Decimal>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ReturnRequest {
    pub lines: Vec<ReturnUnits>,
    pub reason: ReturnReason,
    #[uniffi(default = None)]
    pub note: Option<String>,
    #[uniffi(default = None)]
    pub resolution: Option<Resolution>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ReceiveReturn {
    pub location: Uuid,
    #[uniffi(default = None)]
    pub lines: Option<Vec<PickedUnits>>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct Inspection {
    pub line: Uuid,
    pub quantity: u32,
    pub disposition: Disposition,
    #[uniffi(default = None)]
    pub note: Option<String>,
}

// ---- results ----

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Channel {
    pub code: String,
    pub name: String,
    pub return_window_days: u32,
    pub locations: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Location {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub address: Option<Address>,
    pub priority: i32,
    pub channels: Vec<String>,
    pub ships: bool,
    pub pickup: bool,
    pub active: bool,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct StockLevel {
    pub sku: String,
    pub location: Uuid,
    pub on_hand: u32,
    pub reserved: u32,
    pub safety_stock: u32,
    pub available: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct LineAmounts {
    pub subtotal: Money,
    pub line_discount: Money,
    pub order_discount: Money,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct LineQuantities {
    pub ordered: u32,
    pub cancelled: u32,
    pub allocated: u32,
    pub backordered: u32,
    pub picked: u32,
    pub packed: u32,
    pub shipped: u32,
    pub delivered: u32,
    pub returned: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct OrderLine {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit_price: Money,
    pub tax_rate: Decimal,
    pub amounts: LineAmounts,
    pub quantities: LineQuantities,
    pub refunded: Money,
    pub refunded_units: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct OrderTotals {
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub net: Money,
    pub total: Money,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Order {
    pub id: Uuid,
    pub number: String,
    pub channel: String,
    pub external_ref: Option<String>,
    pub cart_ref: Option<String>,
    pub state: OrderState,
    pub held_from: Option<OrderState>,
    pub holds: Vec<HoldReason>,
    pub held_since: Option<Timestamp>,
    pub currency: String,
    pub prices_include_tax: bool,
    pub customer: Customer,
    pub shipping_address: Option<Address>,
    pub billing_address: Option<Address>,
    pub delivery: Delivery,
    pub payment_method: PaymentMethod,
    pub lines: Vec<OrderLine>,
    pub discounts: Vec<Discount>,
    pub shipping: Option<ShippingCharge>,
    pub totals: OrderTotals,
    pub payments: Vec<PaymentRecord>,
    pub payment: PaymentSummary,
    /// `"unpaid"`, `"authorized"`, `"paid"`, … (the core's payment status).
    pub payment_status: String,
    /// `"unfulfilled"`, `"partially_shipped"`, … (the core's fulfillment status).
    pub fulfillment_status: String,
    pub notes: Vec<String>,
    pub metadata: HashMap<String, String>,
    pub placed_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: u64,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct ShipmentLine {
    pub line: Uuid,
    pub sku: String,
    pub quantity: u32,
    pub picked: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Shipment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub location: Uuid,
    pub state: ShipmentState,
    pub lines: Vec<ShipmentLine>,
    pub carrier: Option<String>,
    pub service: Option<String>,
    pub tracking_number: Option<String>,
    pub pick_list: Option<Uuid>,
    pub tracking_url: Option<String>,
    pub packages: Vec<Package>,
    pub tracking: Vec<TrackingRecord>,
    pub created_at: Timestamp,
    pub shipped_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub version: u64,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Allocation {
    pub order: Order,
    pub shipments: Vec<Shipment>,
    pub plan: AllocationPlan,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct ReceiptLine {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub total: Money,
    pub tax_rate: Decimal,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct TaxLine {
    pub rate: Decimal,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Receipt {
    pub number: String,
    pub store: Vec<String>,
    pub at: Timestamp,
    pub lines: Vec<ReceiptLine>,
    pub discount: Money,
    pub taxes: Vec<TaxLine>,
    pub total: Money,
    pub payment_method: String,
    pub tendered: Option<Money>,
    pub change: Option<Money>,
    pub payment_reference: Option<String>,
    /// The printable rendering.
    pub text: String,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct CounterSaleResult {
    pub order: Order,
    pub shipment: Shipment,
    pub receipt: Receipt,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct ReturnLine {
    pub line: Uuid,
    pub sku: String,
    pub quantity: u32,
    pub received: u32,
    pub restocked: u32,
    pub written_off: u32,
    pub repaired: u32,
    pub returned_to_vendor: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Return {
    pub id: Uuid,
    pub rma_number: String,
    pub order_id: Uuid,
    pub state: ReturnState,
    pub reason: ReturnReason,
    pub note: Option<String>,
    pub resolution: Resolution,
    pub lines: Vec<ReturnLine>,
    pub label: Option<String>,
    pub received_at_location: Option<Uuid>,
    pub refund: Option<Money>,
    pub amount_due: Option<Money>,
    pub follow_up_order: Option<Uuid>,
    pub requested_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub version: u64,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub event_type: String,
    pub summary: String,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct ExceptionItem {
    /// `"order_on_hold"`, … (the core's exception kind).
    pub kind: String,
    pub order_id: Uuid,
    pub order_number: String,
    pub shipment_id: Option<Uuid>,
    pub return_id: Option<Uuid>,
    pub since: Timestamp,
    pub age_seconds: i64,
    pub reasons: Vec<String>,
    pub actions: Vec<String>,
}

// ---- further operations ----

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Received,
    Adjusted,
    Reserved,
    Released,
    Shipped,
    Restocked,
    WrittenOff,
    Transferred,
    ReturnedToVendor,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Lost,
    Damaged,
    WrongItem,
    MissingItem,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    Open,
    Resolved,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ClaimResolution {
    Replacement,
    Refund,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct AdjustStock {
    pub sku: String,
    pub location: Uuid,
    /// Change of on-hand units (positive or negative, not zero).
    pub delta: i64,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct TransferStock {
    pub sku: String,
    pub from: Uuid,
    pub to: Uuid,
    pub quantity: u32,
    #[uniffi(default = None)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Movement {
    pub id: Uuid,
    pub sku: String,
    pub location: Uuid,
    pub kind: MovementKind,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub reason: Option<String>,
    pub order_id: Option<Uuid>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct InventoryDiscrepancy {
    pub sku: String,
    pub location: Uuid,
    pub stored_on_hand: u32,
    pub ledger_on_hand: i64,
    pub stored_reserved: u32,
    pub ledger_reserved: i64,
}

#[derive(Clone, Debug, Default, Serialize, uniffi::Record)]
pub struct OrderQuery {
    #[uniffi(default = None)]
    pub state: Option<OrderState>,
    #[uniffi(default = None)]
    pub channel: Option<String>,
    #[uniffi(default = None)]
    pub placed_from: Option<Timestamp>,
    #[uniffi(default = None)]
    pub placed_until: Option<Timestamp>,
    #[uniffi(default = None)]
    pub offset: Option<u64>,
    #[uniffi(default = None)]
    pub limit: Option<u64>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewHold {
    pub code: String,
    #[uniffi(default = None)]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct CancelUnits {
    pub line: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct SlipLine {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub ordered: u32,
    pub to_come: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PackingSlip {
    pub order_id: Uuid,
    pub order_number: String,
    pub shipment_id: Uuid,
    pub placed_at: Timestamp,
    pub ship_from: Vec<String>,
    pub ship_to: Vec<String>,
    pub lines: Vec<SlipLine>,
    pub still_to_come: Vec<SlipLine>,
    pub packages: u64,
    pub return_instructions: String,
    pub locale: String,
    /// Plain-text rendering.
    pub text: String,
    /// HTML rendering.
    pub html: String,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewClaim {
    pub kind: ClaimKind,
    #[uniffi(default = None)]
    pub carrier_reference: Option<String>,
    #[uniffi(default = None)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct ClaimSettlement {
    pub resolution: ClaimResolution,
    #[uniffi(default = None)]
    pub carrier_reference: Option<String>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Claim {
    pub id: Uuid,
    pub number: String,
    pub order_id: Uuid,
    pub shipment_id: Uuid,
    pub kind: ClaimKind,
    pub state: ClaimState,
    pub carrier_reference: Option<String>,
    pub note: Option<String>,
    pub resolution: Option<ClaimResolution>,
    pub replacement_order: Option<Uuid>,
    pub refund: Option<Money>,
    pub opened_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

/// An event of the outbox; `json` is its full versioned JSON form (with `data`).
#[derive(Clone, Debug, uniffi::Record)]
pub struct Event {
    pub seq: u64,
    pub id: Uuid,
    pub schema: u16,
    pub at: Timestamp,
    pub order_id: Option<Uuid>,
    /// `"order_placed"`, `"shipment_shipped"`, …
    pub event_type: String,
    pub json: String,
}

/// The header fields of an event's JSON form.
#[derive(Deserialize)]
pub(crate) struct EventHead {
    pub seq: u64,
    pub id: Uuid,
    pub schema: u16,
    pub at: Timestamp,
    pub order_id: Option<Uuid>,
    #[serde(rename = "type")]
    pub event_type: String,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct HoldLine {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct HoldRequest {
    pub cart_ref: String,
    pub channel: String,
    pub lines: Vec<HoldLine>,
    pub ttl_seconds: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct HeldUnits {
    pub sku: String,
    pub location: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct StockHold {
    pub cart_ref: String,
    pub channel: String,
    pub lines: Vec<HeldUnits>,
    pub expires_at: Timestamp,
    pub order_id: Option<Uuid>,
}

/// Whether missing units of a SKU may wait for stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, uniffi::Enum)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BackorderPolicy {
    Deny,
    Allow,
    Preorder { expected: Timestamp },
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct SkuSettings {
    pub sku: String,
    pub backorder: BackorderPolicy,
}

#[derive(Clone, Debug, Serialize, uniffi::Record)]
pub struct NewPickList {
    pub location: Uuid,
    #[uniffi(default = None)]
    pub max_shipments: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PickTarget {
    pub order_id: Uuid,
    pub order_number: String,
    pub shipment_id: Uuid,
    pub line: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PickLine {
    pub bin: Option<String>,
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub targets: Vec<PickTarget>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PickList {
    pub id: Uuid,
    pub location: Uuid,
    pub shipments: Vec<Uuid>,
    pub lines: Vec<PickLine>,
    pub created_at: Timestamp,
}

/// What became of one order of `importOrders` (same position as in the input).
#[derive(Clone, Debug, PartialEq, Deserialize, uniffi::Enum)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportResult {
    Placed { order_id: Uuid, number: String },
    AlreadyExisted { order_id: Uuid, number: String },
    Failed { code: String, message: String },
}

/// One change to an order's lines (`editOrder`).
#[derive(Clone, Debug, Serialize, uniffi::Enum)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LineChange {
    Add { line: NewLine },
    SetQuantity { line: Uuid, quantity: u32 },
    Remove { line: Uuid },
}

/// Changes to an order; every field is optional; `dryRun` only computes the outcome.
#[derive(Clone, Debug, Default, Serialize, uniffi::Record)]
pub struct OrderChanges {
    #[uniffi(default = None)]
    pub customer: Option<Customer>,
    #[uniffi(default = None)]
    pub shipping_address: Option<Address>,
    #[uniffi(default = None)]
    pub billing_address: Option<Address>,
    #[uniffi(default = None)]
    pub delivery: Option<Delivery>,
    #[uniffi(default = [])]
    pub lines: Vec<LineChange>,
    #[uniffi(default = None)]
    pub note: Option<String>,
    #[uniffi(default = false)]
    pub dry_run: bool,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct LineUnits {
    pub line: Uuid,
    pub sku: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct OrderEdit {
    pub order: Order,
    pub applied: bool,
    pub fields: Vec<String>,
    pub total_before: Money,
    pub total_after: Money,
    pub to_collect: Money,
    pub to_refund: Money,
    pub released: Vec<LineUnits>,
    pub to_allocate: Vec<LineUnits>,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PlannedAllocation {
    pub line: Uuid,
    pub sku: String,
    pub location: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Backorder {
    pub line: Uuid,
    pub sku: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct AllocationPlan {
    pub allocations: Vec<PlannedAllocation>,
    pub backorders: Vec<Backorder>,
    /// Why, one sentence per decision.
    pub explanations: Vec<String>,
}

/// Why an order is held; `code` is the core's hold code (`"payment_missing"`, …).
#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct HoldReason {
    pub code: String,
    pub message: String,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Discount {
    pub code: String,
    pub amount: Money,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct ShippingCharge {
    pub amount: Money,
    pub tax_rate: Decimal,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PaymentRecord {
    pub id: Uuid,
    pub kind: PaymentKind,
    pub amount: Money,
    pub reference: Option<String>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PaymentSummary {
    pub authorized: Money,
    pub captured: Money,
    pub voided: Money,
    pub refunded: Money,
    pub last_failed: bool,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct PackageItem {
    pub line: Uuid,
    pub quantity: u32,
}

#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct Package {
    pub weight_grams: u32,
    pub dimensions_mm: Option<Vec<u32>>,
    pub reference: Option<String>,
    pub contents: Vec<PackageItem>,
}

/// A carrier event received; `status` is the normalized status (`"in_transit"`, …).
#[derive(Clone, Debug, Deserialize, uniffi::Record)]
pub struct TrackingRecord {
    pub code: String,
    pub status: String,
    pub at: Timestamp,
    pub applied: bool,
}
