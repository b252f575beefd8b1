//! Stock, checkout holds and allocation: levels and their movements, the planner's choice
//! (each SKU from its one home location), backorders and their filling.

use std::collections::BTreeMap;

use ordo::{OrderState, ShipmentState};

use super::*;

/// What an allocation would do: units per line taken from the line's home, and units short.
#[derive(Default)]
struct Plan {
    take: Vec<(usize, u32)>,
    short: Vec<(usize, u32)>,
}

impl Model {
    pub fn level(&self, sku: usize, loc: Loc) -> Level {
        self.levels.get(&(sku, loc)).copied().unwrap_or_default()
    }

    /// `on_hand − reserved − safety_stock`, never below zero.
    pub fn available(&self, sku: usize, loc: Loc) -> u32 {
        let l = self.level(sku, loc);
        l.on_hand.saturating_sub(l.reserved).saturating_sub(safety(sku, loc))
    }

    /// Units of checkout holds of `sku` at `loc` that have lapsed but were not released yet.
    pub fn lapsed(&self, sku: usize, loc: Loc) -> u32 {
        self.holds.values().filter(|h| h.order.is_none() && h.expires_at <= self.now).map(|h| h.held(sku, loc)).sum()
    }

    /// A stock movement asked for by the user: refused when on-hand would fall below zero
    /// or below reserved.
    pub(super) fn move_stock(&mut self, sku: usize, loc: Loc, on_hand: i64, reserved: i64) -> Res {
        let l = self.levels.entry((sku, loc)).or_default();
        let (oh, rs) = (i64::from(l.on_hand) + on_hand, i64::from(l.reserved) + reserved);
        if oh < 0 || rs < 0 || rs > oh {
            return Err(INSUFFICIENT_STOCK);
        }
        l.on_hand = u32::try_from(oh).unwrap_or(u32::MAX);
        l.reserved = u32::try_from(rs).unwrap_or(u32::MAX);
        Ok(())
    }

    /// A movement the rules guarantee to be possible.
    pub(super) fn shift(&mut self, sku: usize, loc: Loc, on_hand: i64, reserved: i64) {
        if let Err(e) = self.move_stock(sku, loc, on_hand, reserved) {
            panic!("model inconsistency: {} at {loc:?} cannot move ({on_hand}, {reserved}): {e:?}", SKUS[sku]);
        }
    }

    /// The cart whose hold was converted into order `o`, if the hold still exists.
    pub(super) fn held_for(&self, o: usize) -> Option<usize> {
        let cart = self.orders[o].cart?;
        self.holds.get(&cart).filter(|h| h.order == Some(o)).map(|_| cart)
    }

    pub(super) fn release_hold(&mut self, cart: usize) {
        if let Some(h) = self.holds.remove(&cart) {
            for (sku, loc, q) in h.lines {
                self.shift(sku, loc, 0, -i64::from(q));
            }
        }
    }

    /// Releases every lapsed, unconverted checkout hold.
    pub(super) fn sweep(&mut self) {
        let lapsed: Vec<usize> =
            self.holds.iter().filter(|(_, h)| h.order.is_none() && h.expires_at <= self.now).map(|(c, _)| *c).collect();
        for c in lapsed {
            self.release_hold(c);
        }
    }

    /// What a SKU offers at its home location (plus the units of `hold` there). The world
    /// keeps every SKU at one shipping location; checked here, since the model's prediction
    /// of the planner rests on it.
    fn supply(&self, sku: usize, hold: Option<&Hold>) -> u32 {
        let held = |loc| hold.map_or(0, |h| h.held(sku, loc));
        for loc in Loc::ALL.into_iter().filter(|l| l.ships() && *l != home(sku)) {
            assert_eq!(self.available(sku, loc) + held(loc), 0, "generator bug: {} has stock at {loc:?}", SKUS[sku]);
        }
        self.available(sku, home(sku)) + held(home(sku))
    }

    /// The plan for the units of order `o` that still need stock: each SKU's supply at its
    /// home location goes to the lines in line order; the rest is short.
    fn plan(&self, o: usize, with_hold: bool) -> Plan {
        let hold = if with_hold { self.held_for(o).and_then(|c| self.holds.get(&c)) } else { None };
        let mut left: BTreeMap<usize, u32> = BTreeMap::new();
        let mut plan = Plan::default();
        for (i, l) in self.orders[o].lines.iter().enumerate() {
            let need = l.q.open() - l.q.allocated;
            if need == 0 {
                continue;
            }
            let supply = left.entry(l.sku).or_insert_with(|| self.supply(l.sku, hold));
            let take = need.min(*supply);
            *supply -= take;
            if take > 0 {
                plan.take.push((i, take));
            }
            if need > take {
                plan.short.push((i, need - take));
            }
        }
        plan
    }

    /// Step 3 (the `allocate_order` docs): reserve what the plan takes, one shipment per
    /// location; short units of `allow` SKUs are backordered; short units of `deny` SKUs
    /// hold the whole order with `code`, reserving nothing (web) or are cancelled (market).
    pub(super) fn allocate(&mut self, o: usize, code: &'static str) {
        let plan = self.plan(o, true);
        if plan.take.is_empty() && plan.short.is_empty() {
            return;
        }
        let denied: Vec<usize> = plan.short.iter().map(|(i, _)| *i).filter(|i| !backorderable(self.orders[o].lines[*i].sku)).collect();
        if !denied.is_empty() && !self.orders[o].market {
            let order = &mut self.orders[o];
            order.hold(&[code]);
            for i in denied {
                order.lines[i].q.backordered = 0;
            }
            return;
        }
        if let Some(cart) = self.held_for(o) {
            self.release_hold(cart);
        }
        let mut created: BTreeMap<Loc, Vec<SLine>> = BTreeMap::new();
        for &(i, take) in &plan.take {
            let sku = self.orders[o].lines[i].sku;
            self.shift(sku, home(sku), 0, i64::from(take));
            self.orders[o].lines[i].q.allocated += take;
            created.entry(home(sku)).or_default().push(SLine { line: i, quantity: take, picked: 0 });
        }
        let order = &mut self.orders[o];
        for (i, l) in order.lines.iter_mut().enumerate() {
            let short: u32 = plan.short.iter().filter(|(j, _)| *j == i).map(|(_, s)| s).sum();
            if denied.contains(&i) {
                l.q.cancelled += short;
                l.refunded_units += short;
                l.refunded += i64::from(short) * l.price;
                l.q.backordered = 0;
            } else {
                l.q.backordered = short;
            }
        }
        if order.state == OrderState::Confirmed {
            order.state = OrderState::InFulfillment;
        }
        if order.open() == 0 {
            order.state = OrderState::Cancelled;
        }
        self.complete_if_delivered(o);
        for (loc, lines) in created {
            self.shipments.push(Shipment { order: o, loc, state: ShipmentState::Pending, lines, delivered_at: None, tracking: None });
        }
    }

    /// Received stock fills backorders of `sku`, oldest order first, while stock of the SKU
    /// is left anywhere (the `receive_stock` docs); lapsed holds are released first.
    pub(super) fn fill_backorders(&mut self, sku: usize) {
        let waiting: Vec<usize> = (0..self.orders.len())
            .filter(|&o| self.orders[o].state == OrderState::InFulfillment)
            .filter(|&o| self.orders[o].lines.iter().any(|l| l.sku == sku && l.q.backordered > 0))
            .collect();
        if !waiting.is_empty() {
            self.sweep();
        }
        for o in waiting {
            if self.orders[o].state != OrderState::InFulfillment || self.plan(o, false).take.is_empty() {
                continue;
            }
            self.allocate(o, "insufficient_stock");
            if Loc::ALL.iter().map(|l| self.available(sku, *l)).sum::<u32>() == 0 {
                break;
            }
        }
    }

    /// A checkout hold on the web channel, all or nothing; holding again for a cart replaces
    /// its hold (unless it became an order).
    pub(super) fn hold_stock(&mut self, cart: usize, lines: &[(usize, u32)], ttl: u32) -> Res {
        if lines.is_empty() || ttl == 0 || ttl > 7 * 24 * 3600 {
            return Err(INVALID_INPUT);
        }
        self.sweep();
        match self.holds.get(&cart) {
            Some(h) if h.order.is_some() => return Err(CONFLICT),
            Some(_) => self.release_hold(cart),
            None => {}
        }
        if lines.iter().any(|(_, q)| *q == 0) {
            return Err(INVALID_INPUT);
        }
        let mut want: BTreeMap<usize, u32> = BTreeMap::new();
        for (sku, q) in lines {
            *want.entry(*sku).or_default() += q;
        }
        let mut held = Vec::new();
        for (sku, q) in want {
            if self.supply(sku, None) < q {
                return Err(INSUFFICIENT_STOCK);
            }
            held.push((sku, home(sku), q));
        }
        for &(sku, loc, q) in &held {
            self.shift(sku, loc, 0, i64::from(q));
        }
        self.holds.insert(cart, Hold { lines: held, expires_at: self.now + i64::from(ttl), order: None });
        Ok(())
    }
}
