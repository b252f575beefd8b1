//! The per-line quantity ledger: the truth from which order statuses derive.
//!
//! For every line: `ordered = cancelled + open`, `allocated + backordered ≤ open`, and along
//! the path `allocated ≥ picked ≥ packed ≥ shipped ≥ delivered`, `returned ≤ shipped`.
//! `allocated` counts units that have a reservation at a location (including those since
//! picked, packed and shipped); `backordered` counts open units waiting for stock.

use serde::{Deserialize, Serialize};

/// Quantities of one order line along the order path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineQuantities {
    /// Units ordered.
    pub ordered: u32,
    /// Units cancelled.
    pub cancelled: u32,
    /// Units reserved at a location (and assigned to a shipment).
    pub allocated: u32,
    /// Open units waiting for stock.
    pub backordered: u32,
    /// Units picked from the shelf.
    pub picked: u32,
    /// Units packed.
    pub packed: u32,
    /// Units handed to a carrier (or to the customer).
    pub shipped: u32,
    /// Units delivered.
    pub delivered: u32,
    /// Units received back from the customer.
    pub returned: u32,
}

impl LineQuantities {
    /// A fresh ledger for `ordered` units.
    #[must_use]
    pub fn new(ordered: u32) -> Self {
        LineQuantities { ordered, ..Self::default() }
    }

    /// Units not cancelled.
    #[must_use]
    pub fn open(&self) -> u32 {
        self.ordered.saturating_sub(self.cancelled)
    }

    /// Open units with neither a reservation nor a backorder.
    #[must_use]
    pub fn unallocated(&self) -> u32 {
        self.open().saturating_sub(self.allocated + self.backordered)
    }

    /// Open units that still need stock (unallocated or backordered).
    #[must_use]
    pub fn awaiting_stock(&self) -> u32 {
        self.open().saturating_sub(self.allocated)
    }

    /// Open units not shipped yet (these can still be cancelled or edited).
    #[must_use]
    pub fn unshipped(&self) -> u32 {
        self.open().saturating_sub(self.shipped)
    }

    /// Checks every invariant; the message names the first one broken.
    ///
    /// # Errors
    /// A description of the broken invariant.
    pub fn check(&self) -> Result<(), String> {
        let q = self;
        let rules: [(bool, &str); 8] = [
            (q.cancelled <= q.ordered, "cancelled ≤ ordered"),
            (q.allocated + q.backordered <= q.open(), "allocated + backordered ≤ open"),
            (q.picked <= q.allocated, "picked ≤ allocated"),
            (q.packed <= q.picked, "packed ≤ picked"),
            (q.shipped <= q.packed, "shipped ≤ packed"),
            (q.delivered <= q.shipped, "delivered ≤ shipped"),
            (q.returned <= q.shipped, "returned ≤ shipped"),
            (q.ordered > 0, "ordered > 0"),
        ];
        match rules.iter().find(|(ok, _)| !ok) {
            Some((_, rule)) => Err(format!("line quantity invariant broken: {rule} ({q:?})")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invariants_hold_and_break_as_documented() {
        let mut q = LineQuantities::new(3);
        assert!(q.check().is_ok());
        assert_eq!(q.unallocated(), 3);
        q.allocated = 2;
        q.backordered = 1;
        assert_eq!(q.unallocated(), 0);
        assert_eq!(q.awaiting_stock(), 1);
        q.picked = 2;
        q.packed = 2;
        q.shipped = 2;
        q.delivered = 3;
        assert!(q.check().unwrap_err().contains("delivered ≤ shipped"));
        q.delivered = 2;
        q.cancelled = 1;
        assert!(q.check().unwrap_err().contains("allocated + backordered"));
    }
}
