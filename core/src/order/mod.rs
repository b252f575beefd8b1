//! Orders: the aggregate, its lines and quantities, pricing, and the lifecycle.

mod input;
mod model;
mod party;
pub(crate) mod pricing;
mod quantities;
mod state;

pub use input::{MAX_LINE_QUANTITY, MAX_LINES, NewDiscount, NewLine, NewOrder, NewShipping};
pub use model::{Discount, Order, OrderLine, ShippingCharge};
pub use party::{Address, Customer, DeliveryMethod, PaymentMethod};
pub use pricing::{LineAmounts, OrderTotals, unit_shares};
pub use quantities::LineQuantities;
pub use state::{FulfillmentStatus, ORDER_TRANSITIONS, OrderCommand, OrderState};
