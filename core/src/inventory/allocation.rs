//! The allocation planner: which location ships which units.
//!
//! [`plan`] is pure: (demand, candidate locations with their available stock) → an
//! [`AllocationPlan`] of (line, location, quantity), the backordered remainder, and a
//! readable explanation of every decision. Same input, same plan.
//!
//! Strategy: **fewest shipments, then priority**. Candidates are ordered by priority (lower
//! first), ties broken by location code. If one location can supply the whole demand (the
//! summed demand of all lines of each SKU), it ships everything. Otherwise lines are
//! taken from the candidates in that order, splitting a line where needed; what no
//! location holds is backordered. Callers pass only eligible candidates (active, serving
//! the channel, shipping — or the chosen pickup store) and availability net of safety
//! stock, so the plan never dips into safety stock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{LineId, LocationId};

/// Units of one order line that need stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    /// The line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// Units needed.
    pub quantity: u32,
}

/// A location that may supply the order, with what it has available.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The location.
    pub location: LocationId,
    /// Its code (tie-break) and name (explanations).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Priority, lower first.
    pub priority: i32,
    /// Available units per SKU (net of reservations and safety stock).
    pub available: BTreeMap<String, u32>,
}

/// Units of one line to be taken from one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedAllocation {
    /// The line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// The location.
    pub location: LocationId,
    /// Units.
    pub quantity: u32,
}

/// Units of one line no location can supply now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Backorder {
    /// The line.
    pub line: LineId,
    /// Its SKU.
    pub sku: String,
    /// Units waiting for stock.
    pub quantity: u32,
}

/// The result of planning.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllocationPlan {
    /// What to reserve where.
    pub allocations: Vec<PlannedAllocation>,
    /// What must wait for stock.
    pub backorders: Vec<Backorder>,
    /// Why, one sentence per decision.
    pub explanations: Vec<String>,
}

impl AllocationPlan {
    /// Number of distinct locations (shipments) the plan uses.
    #[must_use]
    pub fn location_count(&self) -> usize {
        let mut locs: Vec<LocationId> = self.allocations.iter().map(|a| a.location).collect();
        locs.sort();
        locs.dedup();
        locs.len()
    }
}

/// Plans where `demand` is taken from (see the module docs for the strategy).
#[must_use]
pub fn plan(demand: &[Demand], candidates: &[Candidate]) -> AllocationPlan {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    order.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.code.cmp(&b.code)));
    let mut plan = AllocationPlan::default();
    let demand: Vec<&Demand> = demand.iter().filter(|d| d.quantity > 0).collect();
    if demand.is_empty() {
        return plan;
    }
    let mut per_sku: BTreeMap<&str, u64> = BTreeMap::new();
    for d in &demand {
        *per_sku.entry(d.sku.as_str()).or_default() += u64::from(d.quantity);
    }
    let whole = order.iter().find(|c| per_sku.iter().all(|(sku, want)| u64::from(c.available.get(*sku).copied().unwrap_or(0)) >= *want));
    if let Some(c) = whole {
        for d in &demand {
            plan.allocations.push(PlannedAllocation { line: d.line, sku: d.sku.clone(), location: c.location, quantity: d.quantity });
        }
        plan.explanations.push(format!(
            "{}: all {} line{} in stock, priority {}",
            c.name,
            demand.len(),
            if demand.len() == 1 { "" } else { "s" },
            c.priority
        ));
        return plan;
    }
    let mut left: Vec<BTreeMap<&str, u32>> = order.iter().map(|c| c.available.iter().map(|(k, v)| (k.as_str(), *v)).collect()).collect();
    let mut used: Vec<Vec<String>> = vec![Vec::new(); order.len()];
    for d in &demand {
        let mut need = d.quantity;
        for (i, c) in order.iter().enumerate() {
            if need == 0 {
                break;
            }
            let have = left[i].get(d.sku.as_str()).copied().unwrap_or(0);
            let take = have.min(need);
            if take == 0 {
                continue;
            }
            left[i].insert(d.sku.as_str(), have - take);
            need -= take;
            plan.allocations.push(PlannedAllocation { line: d.line, sku: d.sku.clone(), location: c.location, quantity: take });
            used[i].push(format!("{} × {}", take, d.sku));
        }
        if need > 0 {
            plan.backorders.push(Backorder { line: d.line, sku: d.sku.clone(), quantity: need });
            plan.explanations.push(format!("{} × {}: not in stock at any eligible location, backordered", need, d.sku));
        }
    }
    for (i, c) in order.iter().enumerate() {
        if !used[i].is_empty() {
            plan.explanations.insert(
                plan.explanations.len() - plan.backorders.len(),
                format!("{}: {} (no single location has everything; priority {})", c.name, used[i].join(", "), c.priority),
            );
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(code: &str, priority: i32, stock: &[(&str, u32)]) -> Candidate {
        Candidate {
            location: LocationId::new(),
            code: code.into(),
            name: code.to_uppercase(),
            priority,
            available: stock.iter().map(|(s, q)| (s.to_string(), *q)).collect(),
        }
    }

    fn dem(sku: &str, q: u32) -> Demand {
        Demand { line: LineId::new(), sku: sku.into(), quantity: q }
    }

    #[test]
    fn prefers_one_location_that_has_everything() {
        let a = cand("a", 1, &[("X", 5)]);
        let b = cand("b", 2, &[("X", 5), ("Y", 5)]);
        let p = plan(&[dem("X", 2), dem("Y", 1)], &[a, b.clone()]);
        assert_eq!(p.location_count(), 1);
        assert!(p.allocations.iter().all(|x| x.location == b.location));
        assert_eq!(p.explanations, vec!["B: all 2 lines in stock, priority 2"]);
    }

    #[test]
    fn sums_demand_per_sku_and_splits_by_priority() {
        let a = cand("a", 1, &[("X", 3)]);
        let b = cand("b", 2, &[("X", 2)]);
        let p = plan(&[dem("X", 2), dem("X", 2)], &[b.clone(), a.clone()]);
        let at = |l: LocationId| p.allocations.iter().filter(|x| x.location == l).map(|x| x.quantity).sum::<u32>();
        assert_eq!(at(a.location), 3);
        assert_eq!(at(b.location), 1);
        assert!(p.backorders.is_empty());
    }

    #[test]
    fn backorders_what_nobody_has() {
        let a = cand("a", 1, &[("X", 1)]);
        let p = plan(&[dem("X", 3)], &[a]);
        assert_eq!(p.backorders[0].quantity, 2);
        assert_eq!(p.allocations[0].quantity, 1);
        assert_eq!(p.explanations.len(), 2);
    }
}
