//! Inventory: channels, locations, stock levels, the movement ledger and allocation.

pub mod allocation;
mod network;
mod stock;

pub use allocation::{AllocationPlan, Backorder, PlannedAllocation};
pub use network::{Channel, DEFAULT_RETURN_WINDOW_DAYS, GeoPoint, Location, LocationKind, NewChannel, NewLocation};
pub use stock::{InventoryDiscrepancy, Movement, MovementKind, StockLevel};
