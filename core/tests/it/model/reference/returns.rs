//! Returns: request within the window, approval, receipt, inspection and the refund.

use ordo::ReturnState;

use super::*;

impl Model {
    /// Step 7: shipped units not already in a live return, within 14 days of the latest
    /// delivery of the line.
    pub(super) fn request_return(&mut self, o: usize, lines: &[(usize, u32)]) -> Res {
        let mut rlines: Vec<RLine> = Vec::new();
        for &(line, qty) in lines {
            if qty == 0 {
                return Err(INVALID_INPUT);
            }
            let live = |r: &&Return| r.order == o && !matches!(r.state, ReturnState::Rejected | ReturnState::Cancelled);
            let in_returns: u32 =
                self.returns.iter().filter(live).flat_map(|r| &r.lines).filter(|l| l.line == line).map(|l| l.quantity).sum::<u32>()
                    + rlines.iter().filter(|l| l.line == line).map(|l| l.quantity).sum::<u32>();
            if qty > self.orders[o].lines[line].q.shipped.saturating_sub(in_returns) {
                return Err(INVALID_INPUT);
            }
            let delivered = self
                .shipments
                .iter()
                .filter(|s| s.order == o && s.lines.iter().any(|l| l.line == line))
                .filter_map(|s| s.delivered_at)
                .max();
            if delivered.is_some_and(|d| self.now > d + RETURN_WINDOW_SECS) {
                return Err(RETURN_WINDOW_CLOSED);
            }
            rlines.push(RLine { line, quantity: qty, received: 0, restocked: 0, written_off: 0 });
        }
        self.returns.push(Return { order: o, state: ReturnState::Requested, lines: rlines, location: None, refund: None });
        Ok(())
    }

    pub(super) fn move_return(&mut self, r: usize, from: &[ReturnState], to: ReturnState) -> Res {
        let ret = &mut self.returns[r];
        if !from.contains(&ret.state) {
            return Err(INVALID_TRANSITION);
        }
        ret.state = to;
        Ok(())
    }

    /// Goods arrive (partial receipts allowed, all at one location); they count as returned.
    pub(super) fn receive_return(&mut self, r: usize, loc: Loc, lines: &[(usize, u32)]) -> Res {
        let ret = &self.returns[r];
        if !matches!(ret.state, ReturnState::Approved | ReturnState::Received | ReturnState::Inspected) {
            return Err(INVALID_TRANSITION);
        }
        if ret.location.is_some_and(|l| l != loc) {
            return Err(INVALID_INPUT);
        }
        let wanted: Vec<(usize, u32)> = if lines.is_empty() {
            ret.lines.iter().filter(|l| l.quantity > l.received).map(|l| (l.line, l.quantity - l.received)).collect()
        } else {
            lines.to_vec()
        };
        if wanted.is_empty() {
            return Err(INVALID_INPUT);
        }
        let o = ret.order;
        for (line, qty) in wanted {
            let Some(rl) = self.returns[r].lines.iter_mut().find(|l| l.line == line) else { return Err(INVALID_INPUT) };
            if qty == 0 || rl.received + qty > rl.quantity {
                return Err(INVALID_INPUT);
            }
            rl.received += qty;
            self.orders[o].lines[line].q.returned += qty;
        }
        let ret = &mut self.returns[r];
        ret.state = ReturnState::Received;
        ret.location = Some(loc);
        Ok(())
    }

    /// Restock puts units back on hand where they were received; write-off does not.
    pub(super) fn inspect_return(&mut self, r: usize, decisions: &[(usize, u32, bool)]) -> Res {
        if self.returns[r].state != ReturnState::Received {
            return Err(INVALID_TRANSITION);
        }
        let Some(loc) = self.returns[r].location else { return Err(INVALID_INPUT) };
        let o = self.returns[r].order;
        for &(line, qty, restock) in decisions {
            let Some(rl) = self.returns[r].lines.iter_mut().find(|l| l.line == line) else { return Err(INVALID_INPUT) };
            if qty == 0 || qty > rl.uninspected() {
                return Err(INVALID_INPUT);
            }
            let sku = self.orders[o].lines[line].sku;
            if restock {
                rl.restocked += qty;
                self.shift(sku, loc, i64::from(qty), 0);
            } else {
                rl.written_off += qty;
                self.shift(sku, loc, 0, 0);
            }
        }
        let ret = &mut self.returns[r];
        if ret.lines.iter().all(|l| l.uninspected() == 0) {
            ret.state = ReturnState::Inspected;
        }
        Ok(())
    }

    /// Refund: every received unit's share of its line; shipping too once every unit of the
    /// order is refunded (cancelled or returned).
    pub(super) fn resolve_return(&mut self, r: usize) -> Res {
        if self.returns[r].state != ReturnState::Inspected {
            return Err(INVALID_TRANSITION);
        }
        let o = self.returns[r].order;
        let mut value = 0;
        for rl in self.returns[r].lines.clone() {
            let l = &mut self.orders[o].lines[rl.line];
            l.refunded_units += rl.received;
            l.refunded += i64::from(rl.received) * l.price;
            value += i64::from(rl.received) * l.price;
        }
        let order = &mut self.orders[o];
        if order.lines.iter().all(|l| l.refunded_units >= l.q.ordered) && !order.shipping_refunded {
            value += order.shipping;
            order.shipping_refunded = true;
        }
        let ret = &mut self.returns[r];
        ret.refund = Some(value);
        ret.state = ReturnState::Resolved;
        Ok(())
    }
}
