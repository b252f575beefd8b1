//! Prices, discounts and tax: how line and order amounts are computed.
//!
//! Prices are either gross (tax included, usual for consumers in the EU) or net. For each
//! line: `subtotal = round(unit_price × quantity)`; the line discount is subtracted; the
//! order-level discounts are spread over the lines in proportion to what remains
//! ([`spread`](crate::spread), so the shares add up to the discount exactly); tax is then
//! computed per line and rounded half away from zero:
//!
//! * gross prices: `net = round(total / (1 + rate))`, `tax = total − net`;
//! * net prices: `tax = round(total × rate)`, `gross = total + tax`.
//!
//! What a customer pays for a line is its `gross`; each unit's share of it is
//! `spread(gross, [1; quantity])`, which makes refunds of single units exact and lets all
//! parts of an order add up to the whole.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::MoneyError;
use crate::money::{Currency, Money, even_floors, minor_units_of, spread};

/// Computed amounts of one order line, in the order's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineAmounts {
    /// `unit_price × quantity`, as priced (gross or net).
    pub subtotal: Money,
    /// Discount given on this line.
    pub line_discount: Money,
    /// This line's share of the order-level discounts.
    pub order_discount: Money,
    /// Net amount after all discounts.
    pub net: Money,
    /// Tax on the line.
    pub tax: Money,
    /// What the customer pays for the line (net + tax).
    pub gross: Money,
}

/// Computed totals of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderTotals {
    /// Sum of line subtotals, as priced.
    pub subtotal: Money,
    /// Sum of line and order discounts.
    pub discount: Money,
    /// Shipping charge including its tax.
    pub shipping: Money,
    /// Total tax (lines and shipping).
    pub tax: Money,
    /// Total without tax.
    pub net: Money,
    /// What the customer pays.
    pub total: Money,
}

/// Input for one line's price computation.
pub(crate) struct PriceInput {
    pub unit_price: Decimal,
    pub quantity: u32,
    pub tax_rate: Decimal,
    pub line_discount: Decimal,
}

/// Splits `total` into net and tax for a line or shipping charge.
fn split_tax(total: Decimal, rate: Decimal, gross_prices: bool, c: Currency) -> (Decimal, Decimal, Decimal) {
    if gross_prices {
        let net = c.round(total / (Decimal::ONE + rate));
        (net, total - net, total)
    } else {
        let tax = c.round(total * rate);
        (total, tax, total + tax)
    }
}

/// `round(unit_price × quantity)` of line `i`.
///
/// # Errors
/// [`MoneyError::OutOfRange`] when it is beyond the currency's largest amount.
pub(crate) fn line_subtotal(i: usize, unit_price: Decimal, quantity: u32, c: Currency) -> Result<Decimal, MoneyError> {
    let field = || format!("lines[{i}]: unit_price × quantity");
    let product = unit_price.checked_mul(Decimal::from(quantity)).ok_or_else(|| c.out_of_range(field()))?;
    c.in_range(field, c.round(product))
}

/// Computes every line's amounts and the order totals.
///
/// # Errors
/// [`MoneyError::OutOfRange`] when a line or the order's total is beyond the currency's
/// largest amount. (Every input amount is within it; so every sum below is far from the
/// limits of a Decimal.)
pub(crate) fn compute(
    lines: &[PriceInput],
    order_discount: Decimal,
    shipping: Decimal,
    shipping_tax_rate: Decimal,
    gross_prices: bool,
    c: Currency,
) -> Result<(Vec<LineAmounts>, OrderTotals), MoneyError> {
    let m = |d: Decimal| Money::rounded(d, c);
    let subtotals =
        lines.iter().enumerate().map(|(i, l)| line_subtotal(i, l.unit_price, l.quantity, c)).collect::<Result<Vec<Decimal>, _>>()?;
    let after_line: Vec<Decimal> = subtotals.iter().zip(lines).map(|(s, l)| s - l.line_discount).collect();
    let shares = spread(order_discount, &after_line, c)?;
    let mut amounts = Vec::with_capacity(lines.len());
    let (mut sub, mut disc, mut tax, mut net, mut total) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (i, l) in lines.iter().enumerate() {
        let line_total = after_line[i] - shares[i];
        let (n, t, g) = split_tax(line_total, l.tax_rate, gross_prices, c);
        amounts.push(LineAmounts {
            subtotal: m(subtotals[i]),
            line_discount: m(l.line_discount),
            order_discount: m(shares[i]),
            net: m(n),
            tax: m(t),
            gross: m(g),
        });
        sub += subtotals[i];
        disc += l.line_discount + shares[i];
        tax += t;
        net += n;
        total += g;
    }
    let (sn, st, sg) = split_tax(shipping, shipping_tax_rate, gross_prices, c);
    c.in_range(|| "the order's subtotal".to_owned(), sub)?;
    c.in_range(|| "the order's total".to_owned(), total + sg)?;
    let totals =
        OrderTotals { subtotal: m(sub), discount: m(disc), shipping: m(sg), tax: m(tax + st), net: m(net + sn), total: m(total + sg) };
    Ok((amounts, totals))
}

/// Each unit's share of a line's gross amount; the shares add up to the line exactly
/// (the same as [`spread`] over equal weights: the remainder goes to the first units).
#[must_use]
pub fn unit_shares(gross: Money, quantity: u32) -> Vec<Decimal> {
    let c = gross.currency();
    let sign = if gross.is_negative() { -1 } else { 1 };
    even_floors(minor_units_of(gross.amount().abs(), c), quantity as usize)
        .into_iter()
        .map(|u| {
            let mut v = Decimal::from_i128_with_scale(sign * u, c.minor_units());
            v.rescale(c.minor_units());
            v
        })
        .collect()
}

/// The sum of `count` units' shares of `gross` after the first `skip` units, as
/// [`unit_shares`] assigns them, without listing every unit.
#[must_use]
pub(crate) fn units_value(gross: Money, quantity: u32, skip: u32, count: u32) -> Decimal {
    let c = gross.currency();
    let q = i128::from(quantity.max(1));
    let units = minor_units_of(gross.amount().abs(), c);
    let (base, rem) = (units / q, units % q);
    let from = i128::from(skip.min(quantity));
    let to = i128::from(skip.saturating_add(count).min(quantity));
    // Units before `rem` carry one minor unit more.
    let extra = to.min(rem) - from.min(rem);
    let total = (to - from) * base + extra.max(0);
    let sign = if gross.is_negative() { -1 } else { 1 };
    let mut v = Decimal::from_i128_with_scale(sign * total, c.minor_units());
    v.rescale(c.minor_units());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn line(price: &str, qty: u32, rate: &str, disc: &str) -> PriceInput {
        PriceInput { unit_price: d(price), quantity: qty, tax_rate: d(rate), line_discount: d(disc) }
    }

    #[test]
    fn gross_prices_with_mixed_tax_and_order_discount() {
        let c = Currency::EUR;
        let lines = [line("19.99", 2, "0.19", "0"), line("5.00", 1, "0.07", "1.00")];
        let (a, t) = compute(&lines, d("3.00"), d("4.90"), d("0.19"), true, c).unwrap();
        // 39.98 and 4.00 after the line discount; 3.00 spread 2.73 / 0.27 (largest remainder).
        assert_eq!(a[0].order_discount.amount(), d("2.73"));
        assert_eq!(a[1].order_discount.amount(), d("0.27"));
        assert_eq!(a[0].gross.amount() + a[1].gross.amount(), d("40.98"));
        assert_eq!(t.total.amount(), d("45.88"));
        assert_eq!(t.discount.amount(), d("4.00"));
        for x in &a {
            assert_eq!(x.net.amount() + x.tax.amount(), x.gross.amount());
        }
        assert_eq!(t.net.amount() + t.tax.amount(), t.total.amount());
    }

    #[test]
    fn net_prices_add_tax_per_line() {
        let c = Currency::EUR;
        let (a, t) = compute(&[line("10.00", 3, "0.19", "0")], d("0"), d("0"), d("0"), false, c).unwrap();
        assert_eq!(a[0].tax.amount(), d("5.70"));
        assert_eq!(t.total.amount(), d("35.70"));
    }

    #[test]
    fn unit_shares_add_up() {
        let g = Money::new(d("10.00"), Currency::EUR).unwrap();
        let s = unit_shares(g, 3);
        assert_eq!(s, vec![d("3.34"), d("3.33"), d("3.33")]);
        assert_eq!(s, spread(g.amount(), &[Decimal::ONE; 3], Currency::EUR).unwrap());
        for (skip, count) in [(0, 1), (0, 3), (1, 2), (2, 1), (3, 0), (2, 5)] {
            let expected: Decimal = s.iter().skip(skip as usize).take(count as usize).sum();
            assert_eq!(units_value(g, 3, skip, count), expected, "skip {skip} count {count}");
        }
    }

    #[test]
    fn units_value_matches_the_unit_shares() {
        let c = Currency::from_code("KWD").unwrap();
        for (amount, q) in [("10.001", 7u32), ("0.005", 9), ("123456.789", 1000), ("0.000", 4)] {
            let g = Money::new(d(amount), c).unwrap();
            let shares = unit_shares(g, q);
            assert_eq!(shares.iter().sum::<Decimal>(), g.amount());
            for skip in [0, 1, q / 2, q - 1] {
                for count in [0, 1, 2, q] {
                    let expected: Decimal = shares.iter().skip(skip as usize).take(count as usize).sum();
                    assert_eq!(units_value(g, q, skip, count), expected);
                }
            }
        }
    }

    #[test]
    fn amounts_beyond_the_range_are_refused() {
        let c = Currency::EUR;
        let huge = line("79228162514264337593543950335", 2, "0", "0");
        assert!(matches!(compute(&[huge], d("0"), d("0"), d("0"), true, c), Err(MoneyError::OutOfRange { .. })));
        let at_limit = line("9999999999999.99", 1, "0.19", "0");
        assert!(compute(&[at_limit], d("0"), d("0"), d("0"), true, c).is_ok());
        let two = [line("9999999999999.99", 1, "0", "0"), line("0.01", 1, "0", "0")];
        assert!(matches!(compute(&two, d("0"), d("0"), d("0"), true, c), Err(MoneyError::OutOfRange { .. })));
    }
}
