//! Inventory: channels, locations, stock levels, the movement ledger and allocation.

pub mod allocation;
mod holds;
mod network;
mod policy;
mod stock;

pub use allocation::{AllocationPlan, Backorder, PlannedAllocation};
pub use holds::{HeldUnits, HoldLine, StockHold};
pub use network::{Channel, DEFAULT_RETURN_WINDOW_DAYS, Location, LocationKind, NewChannel, NewLocation};
pub use policy::{AllocationPolicy, AllocationStrategy, BackorderPolicy, ShippingRefund, ShortagePolicy, SkuSettings};
pub use stock::{InventoryDiscrepancy, Movement, MovementKind, StockLevel};
