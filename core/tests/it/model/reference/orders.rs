//! Orders along the path: validation, holds, cancellation, picking and carrier events.

use ordo::{OrderState, ShipmentState};

use super::*;

impl Model {
    /// "Completed: every unit that was not cancelled has been delivered."
    pub(super) fn complete_if_delivered(&mut self, o: usize) {
        let order = &mut self.orders[o];
        if order.state == OrderState::InFulfillment && order.fully_delivered() {
            order.state = OrderState::Completed;
        }
    }

    /// The built-in validators: payment (prepaid orders need authorized or captured money
    /// covering the total) and availability (every SKU known; enough stock at shipping
    /// locations, plus the order's own checkout hold, unless the SKU may be backordered).
    /// Addresses are always valid in this world.
    pub fn problems(&self, o: usize) -> Vec<&'static str> {
        let order = &self.orders[o];
        let mut out = Vec::new();
        if order.prepaid && order.pay.open_authorization() + order.pay.captured < order.total() {
            out.push("payment_missing");
        }
        let hold = self.held_for(o).and_then(|c| self.holds.get(&c));
        let mut demand: BTreeMap<usize, u32> = BTreeMap::new();
        for l in &order.lines {
            *demand.entry(l.sku).or_default() += l.q.open();
        }
        for (sku, want) in demand {
            let known = backorderable(sku) || Loc::ALL.iter().any(|l| self.levels.contains_key(&(sku, *l)));
            if !known {
                out.push("unknown_sku");
                continue;
            }
            let have: u32 =
                Loc::ALL.into_iter().filter(|l| l.ships()).map(|l| self.available(sku, l) + hold.map_or(0, |h| h.held(sku, l))).sum();
            if have < want && !backorderable(sku) {
                out.push("insufficient_stock");
            }
        }
        out
    }

    /// Cancels an order that shipped nothing: open shipments cancelled, their reservations
    /// and the order's converted checkout hold released, every unit cancelled.
    pub(super) fn cancel_order(&mut self, o: usize) -> Res {
        let order = &self.orders[o];
        let cancellable =
            matches!(order.state, OrderState::Placed | OrderState::Confirmed | OrderState::OnHold | OrderState::InFulfillment);
        if !cancellable || order.shipped() > 0 {
            return Err(INVALID_TRANSITION);
        }
        for s in 0..self.shipments.len() {
            if self.shipments[s].order != o || !holds_reservation(self.shipments[s].state) {
                continue;
            }
            let (loc, lines) = (self.shipments[s].loc, self.shipments[s].lines.clone());
            for sl in lines {
                self.shift(self.orders[o].lines[sl.line].sku, loc, 0, -i64::from(sl.quantity));
            }
            self.shipments[s].state = ShipmentState::Cancelled;
        }
        if let Some(cart) = self.held_for(o) {
            self.release_hold(cart);
        }
        let order = &mut self.orders[o];
        for l in &mut order.lines {
            // Nothing is open any more, so nothing is allocated, backordered, picked or packed.
            l.q = Qty { cancelled: l.q.ordered, allocated: 0, backordered: 0, picked: 0, packed: 0, ..l.q };
        }
        order.state = OrderState::Cancelled;
        order.clear_holds();
        Ok(())
    }

    /// Cancels open, unpicked units of a line (unallocated units first, then reserved ones
    /// from the newest shipments); their value is refunded. An order left without open units
    /// is cancelled (its converted checkout hold released); one whose open units are all
    /// delivered completes.
    pub(super) fn cancel_lines(&mut self, o: usize, line: usize, qty: u32) -> Res {
        let order = &mut self.orders[o];
        if matches!(order.state, OrderState::Completed | OrderState::Cancelled) {
            return Err(INVALID_TRANSITION);
        }
        let l = &mut order.lines[line];
        if qty == 0 || qty > l.q.open() - l.q.picked {
            return Err(INVALID_INPUT);
        }
        let release = qty.saturating_sub(l.q.open() - l.q.allocated);
        l.q.cancelled += qty;
        l.q.allocated -= release;
        l.q.backordered = l.q.backordered.min(l.q.open() - l.q.allocated);
        l.refunded_units += qty;
        l.refunded += i64::from(qty) * l.price;
        let sku = l.sku;
        let mut left = release;
        for s in (0..self.shipments.len()).rev() {
            let sh = &mut self.shipments[s];
            if left == 0 || sh.order != o || !matches!(sh.state, ShipmentState::Pending | ShipmentState::Picking) {
                continue;
            }
            let loc = sh.loc;
            let mut taken = 0;
            for sl in sh.lines.iter_mut().filter(|sl| sl.line == line) {
                let take = sl.quantity.min(left);
                sl.quantity -= take;
                left -= take;
                taken += take;
            }
            if taken > 0 {
                sh.lines.retain(|sl| sl.quantity > 0);
                if sh.lines.is_empty() {
                    sh.state = ShipmentState::Cancelled;
                }
                self.shift(sku, loc, 0, -i64::from(taken));
            }
        }
        assert_eq!(left, 0, "model inconsistency: reserved units of order {o} line {line} not in its shipments");
        if self.orders[o].open() == 0 {
            if let Some(cart) = self.held_for(o) {
                self.release_hold(cart);
            }
            let order = &mut self.orders[o];
            order.state = OrderState::Cancelled;
            order.clear_holds();
        } else {
            self.complete_if_delivered(o);
        }
        Ok(())
    }

    /// Releases a held order: validation holds of a placed order validate again (refused
    /// while problems remain); otherwise back to where it was held from — completed when
    /// everything was delivered meanwhile.
    pub(super) fn release_order(&mut self, o: usize) -> Res {
        let order = &self.orders[o];
        if order.state != OrderState::OnHold {
            return Err(INVALID_TRANSITION);
        }
        const VALIDATION: [&str; 5] = ["address_incomplete", "address_invalid", "payment_missing", "unknown_sku", "insufficient_stock"];
        let from = order.held_from.unwrap_or(OrderState::Placed);
        let mut to = from;
        if from == OrderState::Placed && order.holds.iter().any(|h| VALIDATION.contains(h)) {
            if !self.problems(o).is_empty() {
                return Err(VALIDATION_FAILED);
            }
            to = OrderState::Confirmed;
        }
        let order = &mut self.orders[o];
        if to == OrderState::InFulfillment && order.fully_delivered() {
            to = OrderState::Completed;
        }
        order.state = to;
        order.clear_holds();
        Ok(())
    }

    /// Step 4: lines not listed were found in full. Missing units leave the books (on-hand
    /// and reservation), wait for stock again and are allocated like any order, on-shortage
    /// hold reason `short_pick`.
    pub(super) fn pick(&mut self, sh: usize, picked: &[(usize, u32)]) -> Res {
        let s = &self.shipments[sh];
        let o = s.order;
        if self.orders[o].state != OrderState::InFulfillment || !matches!(s.state, ShipmentState::Pending | ShipmentState::Picking) {
            return Err(INVALID_TRANSITION);
        }
        for (k, (line, qty)) in picked.iter().enumerate() {
            let twice = picked[..k].iter().any(|(l, _)| l == line);
            if twice || s.lines.iter().find(|sl| sl.line == *line).is_none_or(|sl| *qty > sl.quantity) {
                return Err(INVALID_INPUT);
            }
        }
        let loc = s.loc;
        let mut short = false;
        let mut kept = Vec::new();
        for mut sl in std::mem::take(&mut self.shipments[sh].lines) {
            let got = picked.iter().find(|(l, _)| *l == sl.line).map_or(sl.quantity, |(_, q)| *q);
            let missing = sl.quantity - got;
            let line = &mut self.orders[o].lines[sl.line];
            line.q.allocated -= missing;
            line.q.backordered += missing;
            line.q.picked += got;
            let sku = line.sku;
            if missing > 0 {
                short = true;
                self.shift(sku, loc, -i64::from(missing), -i64::from(missing));
            }
            sl.quantity = got;
            sl.picked = got;
            if got > 0 {
                kept.push(sl);
            }
        }
        let s = &mut self.shipments[sh];
        s.state = if kept.is_empty() { ShipmentState::Cancelled } else { ShipmentState::Picked };
        s.lines = kept;
        if short {
            self.sweep();
            self.allocate(o, "short_pick");
        }
        Ok(())
    }

    /// Step 6: carrier statuses by the `shipment` table; late ones change nothing;
    /// `delivered` raises the lines' delivered units and may complete the order.
    pub(super) fn track(&mut self, sh: usize, code: &str) -> Res {
        use ShipmentState as S;
        let target = match code {
            "in_transit" => S::InTransit,
            "out_for_delivery" => S::OutForDelivery,
            "delivery_failed" => S::DeliveryFailed,
            "delivered" => S::Delivered,
            "lost" => S::Lost,
            _ => return Err(INVALID_INPUT),
        };
        let s = &self.shipments[sh];
        if !has_shipped(s.state) {
            return Err(INVALID_TRANSITION);
        }
        let applies = match target {
            S::InTransit => s.state == S::Shipped,
            S::OutForDelivery => matches!(s.state, S::Shipped | S::InTransit | S::DeliveryFailed),
            S::DeliveryFailed => matches!(s.state, S::Shipped | S::InTransit | S::OutForDelivery),
            _ => matches!(s.state, S::Shipped | S::InTransit | S::OutForDelivery | S::DeliveryFailed),
        };
        if !applies {
            return Ok(());
        }
        let (o, lines) = (s.order, s.lines.clone());
        self.shipments[sh].state = target;
        if target == S::Delivered {
            self.shipments[sh].delivered_at = Some(self.now);
            for sl in lines {
                self.orders[o].lines[sl.line].q.delivered += sl.picked;
            }
            self.complete_if_delivered(o);
        }
        Ok(())
    }
}
