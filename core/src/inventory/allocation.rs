//! The allocation planner: which location supplies which units.
//!
//! [`plan`] is pure: a [`Problem`] (the units each order line still needs, the candidate
//! locations with what they have available, the channel's [`AllocationPolicy`], and the
//! shipping address's coordinates) becomes an [`AllocationPlan`]: (line, location,
//! quantity) triples, the remainder no location can supply, and one readable sentence per
//! decision. Same input, same plan: ties are broken by priority, then location code, then
//! location id.
//!
//! Strategies ([`AllocationStrategy`]):
//!
//! * **fewest shipments** — the first location (by priority) that has everything ships
//!   everything; otherwise locations are chosen greedily, each time the one that covers
//!   most of what is still missing;
//! * **priority** — lines are filled from locations in priority order;
//! * **nearest** — lines are filled from the location closest to the shipping address
//!   (great-circle distance; locations without coordinates last);
//! * **highest stock** — lines are filled from the locations with most units of the
//!   order's SKUs first.
//!
//! Without `allow_split`, only a single location that has everything may ship; otherwise
//! everything waits. `max_shipments` caps the number of locations. Callers pass only
//! eligible candidates (active, serving the channel, shipping — or the chosen pickup
//! store) and availability net of reservations and safety stock, so a plan never uses an
//! ineligible location and never dips into safety stock. The cost is linear in
//! locations × SKUs (plus a sort of the locations that hold any of the SKUs).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::policy::{AllocationPolicy, AllocationStrategy};
use crate::geo::GeoPoint;
use crate::ids::{LineId, LocationId};

/// Units of one order line that need stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    /// The line.
    pub line: LineId,
    /// Index of its SKU in [`Problem::skus`].
    pub sku: usize,
    /// Units needed.
    pub quantity: u32,
}

/// A location that may supply the order, with what it has available.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The location.
    pub location: LocationId,
    /// Its code (tie-break).
    pub code: String,
    /// Display name (explanations).
    pub name: String,
    /// Priority, lower first.
    pub priority: i32,
    /// Coordinates, for the nearest strategy.
    pub geo: Option<GeoPoint>,
    /// Available units per SKU, indexed like [`Problem::skus`].
    pub available: Vec<u32>,
}

/// Everything the planner needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problem {
    /// Distinct SKUs of the demand.
    pub skus: Vec<String>,
    /// Units per line.
    pub demand: Vec<Demand>,
    /// Eligible locations.
    pub candidates: Vec<Candidate>,
    /// The channel's rules.
    pub policy: AllocationPolicy,
    /// Coordinates of the shipping address, for the nearest strategy.
    pub destination: Option<GeoPoint>,
}

impl Problem {
    /// An empty problem under `policy`.
    #[must_use]
    pub fn new(policy: AllocationPolicy, destination: Option<GeoPoint>) -> Self {
        Problem { policy, destination, ..Problem::default() }
    }

    /// The index of `sku`, adding it when new.
    pub fn sku_index(&mut self, sku: &str) -> usize {
        match self.skus.iter().position(|s| s == sku) {
            Some(i) => i,
            None => {
                self.skus.push(sku.to_owned());
                for c in &mut self.candidates {
                    c.available.push(0);
                }
                self.skus.len() - 1
            }
        }
    }

    /// Adds `quantity` units of `sku` needed by `line`.
    pub fn add_demand(&mut self, line: LineId, sku: &str, quantity: u32) {
        let sku = self.sku_index(sku);
        self.demand.push(Demand { line, sku, quantity });
    }

    /// Adds a candidate location with nothing available yet; returns its index.
    pub fn add_candidate(&mut self, location: LocationId, code: &str, name: &str, priority: i32, geo: Option<GeoPoint>) -> usize {
        self.candidates.push(Candidate {
            location,
            code: code.to_owned(),
            name: name.to_owned(),
            priority,
            geo,
            available: vec![0; self.skus.len()],
        });
        self.candidates.len() - 1
    }
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
    /// Units that must wait for stock.
    pub quantity: u32,
}

/// The result of planning.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllocationPlan {
    /// What to reserve where.
    pub allocations: Vec<PlannedAllocation>,
    /// What no location can supply now.
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

    /// Units planned for `line`.
    #[must_use]
    pub fn allocated(&self, line: LineId) -> u32 {
        self.allocations.iter().filter(|a| a.line == line).map(|a| a.quantity).sum()
    }
}

struct Ranked {
    idx: usize,
    /// Haversine of the distance to the destination (orders like the distance).
    distance: f64,
    stock: u64,
    /// What the strategy ranks by first, as one number (smaller is better): the distance's
    /// bits (for non-negative floats they order like the values), or the stock inverted.
    primary: u64,
}

fn compare(p: &Problem, a: &Ranked, b: &Ranked) -> Ordering {
    let (ca, cb) = (&p.candidates[a.idx], &p.candidates[b.idx]);
    a.primary.cmp(&b.primary).then(ca.priority.cmp(&cb.priority)).then_with(|| ca.code.cmp(&cb.code)).then(ca.location.cmp(&cb.location))
}

/// A candidate in the heap of [`plan`]'s split step: the best by [`compare`] on top.
struct Best<'a> {
    p: &'a Problem,
    r: &'a Ranked,
    pos: usize,
}

impl PartialEq for Best<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Best<'_> {}

impl PartialOrd for Best<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Best<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap pops the greatest: reverse, so the best ranked comes first.
        compare(self.p, other.r, self.r)
    }
}

/// The haversine of the distance from `dest` to `to`, with the destination's trigonometry
/// done once: `hav θ = (1 − cos θ) / 2`, `cos θ` by the spherical law of cosines (two
/// trigonometric calls per candidate instead of three; exact to well under a metre, which
/// is all a ranking of stock locations needs).
fn haversine_from(dest: (f64, f64, f64), to: GeoPoint) -> f64 {
    let (sin1, cos1, lon1) = dest;
    let (sin2, cos2) = to.lat.to_radians().sin_cos();
    let cos_angle = sin1 * sin2 + cos1 * cos2 * (to.lon.to_radians() - lon1).cos();
    ((1.0 - cos_angle) / 2.0).clamp(0.0, 1.0)
}

fn why(p: &Problem, r: &Ranked) -> String {
    let c = &p.candidates[r.idx];
    match p.policy.strategy {
        AllocationStrategy::Nearest if r.distance.is_finite() => {
            format!("{:.0} km away, priority {}", GeoPoint::haversine_to_km(r.distance), c.priority)
        }
        AllocationStrategy::Nearest => format!("no coordinates, priority {}", c.priority),
        AllocationStrategy::HighestStock => format!("{} units in stock, priority {}", r.stock, c.priority),
        _ => format!("priority {}", c.priority),
    }
}

/// Plans where the demand is taken from (see the module docs for the strategies).
#[must_use]
pub fn plan(p: &Problem) -> AllocationPlan {
    let mut out = AllocationPlan::default();
    let demand: Vec<&Demand> = p.demand.iter().filter(|d| d.quantity > 0 && d.sku < p.skus.len()).collect();
    if demand.is_empty() {
        return out;
    }
    let mut want = vec![0u64; p.skus.len()];
    for d in &demand {
        want[d.sku] += u64::from(d.quantity);
    }
    let nearest = p.policy.strategy == AllocationStrategy::Nearest;
    let highest = p.policy.strategy == AllocationStrategy::HighestStock;
    let dest = p.destination.map(|d| {
        let (s, c) = d.lat.to_radians().sin_cos();
        (s, c, d.lon.to_radians())
    });
    // Only locations holding any demanded SKU matter.
    let ranked: Vec<Ranked> = p
        .candidates
        .iter()
        .enumerate()
        .filter_map(|(idx, c)| {
            let useful = c.available.iter().zip(&want).any(|(a, w)| *a > 0 && *w > 0);
            useful.then(|| {
                let stock =
                    if highest { c.available.iter().zip(&want).filter(|(_, w)| **w > 0).map(|(a, _)| u64::from(*a)).sum() } else { 0 };
                let distance = match (nearest, dest, c.geo) {
                    (true, Some(d), Some(g)) => haversine_from(d, g),
                    _ => f64::INFINITY,
                };
                let primary = match p.policy.strategy {
                    AllocationStrategy::Nearest => distance.to_bits(),
                    AllocationStrategy::HighestStock => u64::MAX - stock,
                    AllocationStrategy::Priority | AllocationStrategy::FewestShipments => 0,
                };
                Ranked { idx, distance, stock, primary }
            })
        })
        .collect();
    let covers = |r: &Ranked, missing: &[u64]| -> u64 {
        p.candidates[r.idx].available.iter().zip(missing).map(|(a, m)| u64::from(*a).min(*m)).sum()
    };
    let single_first = p.policy.strategy == AllocationStrategy::FewestShipments || !p.policy.allow_split;
    if single_first {
        let total: u64 = want.iter().sum();
        let whole = ranked.iter().filter(|r| covers(r, &want) == total).min_by(|a, b| compare(p, a, b));
        if let Some(r) = whole {
            let c = &p.candidates[r.idx];
            for d in &demand {
                out.allocations.push(PlannedAllocation {
                    line: d.line,
                    sku: p.skus[d.sku].clone(),
                    location: c.location,
                    quantity: d.quantity,
                });
            }
            let n = demand.len();
            out.explanations.push(format!("{}: all {n} line{} in stock, {}", c.name, if n == 1 { "" } else { "s" }, why(p, r)));
            return out;
        }
        if !p.policy.allow_split {
            for d in &demand {
                out.backorders.push(Backorder { line: d.line, sku: p.skus[d.sku].clone(), quantity: d.quantity });
            }
            out.explanations.push("no single location has every line and splitting is not allowed: nothing reserved".into());
            return out;
        }
    }
    // Split: take locations one after the other — the next is the best by the strategy
    // (fewest shipments: the one covering most of what is missing) among those that
    // still contribute — and fill the lines from each in line order.
    //
    // What is missing only shrinks, so a location that covers none of it never will again:
    // it is dropped for good. Fewest shipments rescans the rest for the biggest cover on
    // every step; the other strategies rank once (a heap) and take the next location that
    // still contributes.
    let max = p.policy.max_shipments.map_or(usize::MAX, |m| m as usize);
    let mut missing = want.clone();
    let mut need: Vec<u32> = demand.iter().map(|d| d.quantity).collect();
    let mut shipments = 0usize;
    let fewest = p.policy.strategy == AllocationStrategy::FewestShipments;
    let mut open: Vec<usize> = if fewest { (0..ranked.len()).collect() } else { Vec::new() };
    let mut heap: std::collections::BinaryHeap<Best<'_>> =
        if fewest { std::collections::BinaryHeap::new() } else { ranked.iter().enumerate().map(|(pos, r)| Best { p, r, pos }).collect() };
    while shipments < max && missing.iter().any(|m| *m > 0) {
        let pick = if fewest {
            // (position in `open`, ranked index, cover) of the best so far.
            let mut best: Option<(usize, usize, u64)> = None;
            let mut kept = 0;
            for k in 0..open.len() {
                let i = open[k];
                let c = covers(&ranked[i], &missing);
                if c == 0 {
                    continue;
                }
                open[kept] = i;
                if best.is_none_or(|(_, b, bc)| c > bc || (c == bc && compare(p, &ranked[i], &ranked[b]) == Ordering::Less)) {
                    best = Some((kept, i, c));
                }
                kept += 1;
            }
            open.truncate(kept);
            best.map(|(k, i, _)| {
                open.swap_remove(k);
                i
            })
        } else {
            std::iter::from_fn(|| heap.pop()).find(|b| covers(b.r, &missing) > 0).map(|b| b.pos)
        };
        let Some(i) = pick else { break };
        shipments += 1;
        let r = &ranked[i];
        let c = &p.candidates[r.idx];
        let mut left = c.available.clone();
        let mut taken = Vec::new();
        for (k, d) in demand.iter().enumerate() {
            let take = left[d.sku].min(need[k]);
            if take == 0 {
                continue;
            }
            left[d.sku] -= take;
            need[k] -= take;
            missing[d.sku] -= u64::from(take);
            out.allocations.push(PlannedAllocation { line: d.line, sku: p.skus[d.sku].clone(), location: c.location, quantity: take });
            taken.push(format!("{take} × {}", p.skus[d.sku]));
        }
        let split = if p.policy.strategy == AllocationStrategy::FewestShipments { "no single location has everything; " } else { "" };
        out.explanations.push(format!("{}: {} ({split}{})", c.name, taken.join(", "), why(p, r)));
    }
    let capped = shipments >= max && ranked.len() > max;
    for (k, d) in demand.iter().enumerate() {
        if need[k] > 0 {
            out.backorders.push(Backorder { line: d.line, sku: p.skus[d.sku].clone(), quantity: need[k] });
            let note = if capped { format!(" (at most {max} shipments)") } else { String::new() };
            out.explanations.push(format!("{} × {}: not available at an eligible location{note}", need[k], p.skus[d.sku]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::ShortagePolicy;

    type Stock<'a> = &'a [(&'a str, u32)];

    fn problem(strategy: AllocationStrategy, demand: &[(&str, u32)], cands: &[(&str, i32, Stock<'_>)]) -> (Problem, Vec<LocationId>) {
        let policy = AllocationPolicy { strategy, allow_split: true, max_shipments: None, on_shortage: ShortagePolicy::Hold };
        let mut p = Problem::new(policy, None);
        for (sku, q) in demand {
            p.add_demand(LineId::new(), sku, *q);
        }
        let mut ids = Vec::new();
        for (code, prio, stock) in cands {
            let id = LocationId::new();
            let i = p.add_candidate(id, code, &code.to_uppercase(), *prio, None);
            for (sku, q) in *stock {
                let s = p.sku_index(sku);
                p.candidates[i].available[s] = *q;
            }
            ids.push(id);
        }
        (p, ids)
    }

    fn at(plan: &AllocationPlan, l: LocationId) -> u32 {
        plan.allocations.iter().filter(|a| a.location == l).map(|a| a.quantity).sum()
    }

    #[test]
    fn fewest_shipments_prefers_one_location_that_has_everything() {
        let (p, ids) =
            problem(AllocationStrategy::FewestShipments, &[("X", 2), ("Y", 1)], &[("a", 1, &[("X", 5)]), ("b", 2, &[("X", 5), ("Y", 5)])]);
        let plan = plan(&p);
        assert_eq!(plan.location_count(), 1);
        assert_eq!(at(&plan, ids[1]), 3);
        assert_eq!(plan.explanations, vec!["B: all 2 lines in stock, priority 2"]);
    }

    #[test]
    fn priority_fills_in_priority_order_and_sums_demand_per_sku() {
        let (p, ids) = problem(AllocationStrategy::Priority, &[("X", 2), ("X", 2)], &[("b", 2, &[("X", 9)]), ("a", 1, &[("X", 3)])]);
        let plan = plan(&p);
        assert_eq!((at(&plan, ids[1]), at(&plan, ids[0])), (3, 1));
        assert!(plan.backorders.is_empty());
    }

    #[test]
    fn greedy_cover_picks_the_biggest_contributor_first() {
        let (p, ids) = problem(
            AllocationStrategy::FewestShipments,
            &[("X", 1), ("Y", 1), ("Z", 1)],
            &[("a", 1, &[("X", 1)]), ("b", 2, &[("Y", 1), ("Z", 1)]), ("c", 3, &[("X", 1), ("Y", 1)])],
        );
        let plan = plan(&p);
        assert_eq!(plan.location_count(), 2);
        assert_eq!(at(&plan, ids[1]), 2, "b covers two SKUs");
        assert_eq!(at(&plan, ids[0]), 1, "a wins the tie against c by priority");
    }

    #[test]
    fn no_split_and_max_shipments() {
        let (mut p, ids) = problem(AllocationStrategy::Priority, &[("X", 2), ("Y", 2)], &[("a", 1, &[("X", 2)]), ("b", 2, &[("Y", 2)])]);
        p.policy.allow_split = false;
        let plan1 = plan(&p);
        assert!(plan1.allocations.is_empty());
        assert_eq!(plan1.backorders.len(), 2);
        p.policy.allow_split = true;
        p.policy.max_shipments = Some(1);
        let plan2 = plan(&p);
        assert_eq!(at(&plan2, ids[0]), 2);
        assert_eq!(plan2.backorders[0].quantity, 2);
        assert!(plan2.explanations.last().unwrap().contains("at most 1 shipments"));
    }

    #[test]
    fn nearest_and_highest_stock() {
        let (mut p, ids) = problem(AllocationStrategy::Nearest, &[("X", 1)], &[("berlin", 1, &[("X", 1)]), ("munich", 2, &[("X", 5)])]);
        p.candidates[0].geo = Some(GeoPoint::new(52.52, 13.405));
        p.candidates[1].geo = Some(GeoPoint::new(48.1351, 11.582));
        p.destination = Some(GeoPoint::new(48.37, 10.89)); // Augsburg
        let near = plan(&p);
        assert_eq!(at(&near, ids[1]), 1);
        assert!(near.explanations[0].starts_with("MUNICH: 1 × X (58 km away"), "{:?}", near.explanations);
        p.policy.strategy = AllocationStrategy::HighestStock;
        p.destination = None;
        assert_eq!(at(&plan(&p), ids[1]), 1);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::inventory::ShortagePolicy;

    fn strategy() -> impl Strategy<Value = AllocationStrategy> {
        prop_oneof![
            Just(AllocationStrategy::FewestShipments),
            Just(AllocationStrategy::Priority),
            Just(AllocationStrategy::Nearest),
            Just(AllocationStrategy::HighestStock),
        ]
    }

    prop_compose! {
        fn problems()(
            skus in 1usize..5,
            lines in proptest::collection::vec((0usize..5, 1u32..20), 1..8),
            stock in proptest::collection::vec((0i32..5, proptest::collection::vec(0u32..15, 5), proptest::option::of((-60.0f64..60.0, -60.0f64..60.0))), 0..12),
            strategy in strategy(),
            allow_split in any::<bool>(),
            max_shipments in proptest::option::of(1u32..4),
            dest in proptest::option::of((-60.0f64..60.0, -60.0f64..60.0)),
        ) -> Problem {
            let policy = AllocationPolicy { strategy, allow_split, max_shipments, on_shortage: ShortagePolicy::Hold };
            let mut p = Problem::new(policy, dest.map(|(a, b)| GeoPoint::new(a, b)));
            let names: Vec<String> = (0..skus).map(|i| format!("SKU{i}")).collect();
            for (sku, q) in lines {
                p.add_demand(LineId::new(), &names[sku % skus], q);
            }
            for (i, (prio, avail, geo)) in stock.into_iter().enumerate() {
                let c = p.add_candidate(LocationId::new(), &format!("l{i:02}"), &format!("L{i}"), prio, geo.map(|(a, b)| GeoPoint::new(a, b)));
                let n = p.skus.len();
                p.candidates[c].available.copy_from_slice(&avail[..n]);
            }
            p
        }
    }

    proptest! {
        #[test]
        fn plans_respect_stock_policy_and_demand(p in problems()) {
            let plan = plan(&p);
            // Never more than available per (location, SKU).
            for c in &p.candidates {
                for (s, sku) in p.skus.iter().enumerate() {
                    let used: u32 = plan.allocations.iter().filter(|a| a.location == c.location && a.sku == *sku).map(|a| a.quantity).sum();
                    prop_assert!(used <= c.available[s], "{} at {} uses {used} of {}", sku, c.code, c.available[s]);
                }
            }
            // Only candidates are used, and at most max_shipments of them.
            prop_assert!(plan.allocations.iter().all(|a| p.candidates.iter().any(|c| c.location == a.location)));
            if let Some(max) = p.policy.max_shipments {
                prop_assert!(plan.location_count() <= max as usize);
            }
            if !p.policy.allow_split {
                prop_assert!(plan.location_count() <= 1);
            }
            // requested = allocated + backordered, per line.
            for d in &p.demand {
                let back: u32 = plan.backorders.iter().filter(|b| b.line == d.line).map(|b| b.quantity).sum();
                prop_assert_eq!(plan.allocated(d.line) + back, d.quantity);
            }
            // Deterministic.
            prop_assert_eq!(&plan, &super::plan(&p));
        }

        #[test]
        fn a_location_with_everything_is_used_alone_for_fewest_shipments(p in problems()) {
            let mut p = p;
            p.policy.strategy = AllocationStrategy::FewestShipments;
            let mut want = vec![0u64; p.skus.len()];
            for d in &p.demand {
                want[d.sku] += u64::from(d.quantity);
            }
            let someone_has_all = p.candidates.iter().any(|c| want.iter().enumerate().all(|(s, w)| u64::from(c.available[s]) >= *w));
            let plan = plan(&p);
            if someone_has_all {
                prop_assert_eq!(plan.location_count(), 1);
                prop_assert!(plan.backorders.is_empty());
            }
        }
    }
}
