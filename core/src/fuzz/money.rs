//! The `money` harness: decimal parsing, currencies, [`Money`] arithmetic, [`spread`] and
//! the pricing of whole orders through `place_order`.
//!
//! The first byte picks the part; the rest is read as that part's inputs. Checked
//! properties: a parsed decimal prints and parses back to itself; a known currency keeps
//! its code; sums and differences of amounts are exact; [`spread`] gives one part per
//! weight, adding up to the total (or refuses); an order's totals satisfy `total = net + tax` and, for
//! gross prices, `total = subtotal − discount + shipping`, and every line's amounts add up.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Bytes, Finding, values};
use crate::{Currency, Money, Oms, parse_decimal, spread};

/// Currencies the harness prices in: minor units 2, 0 and 3, and an unknown code.
const CURRENCIES: &[&str] = &["EUR", "JPY", "KWD", "USD", "XXX"];

/// Runs one input.
///
/// # Errors
/// A [`Finding`] when a property above does not hold.
pub fn execute(data: &[u8]) -> Result<(), Finding> {
    let mut b = Bytes::new(data);
    match b.u8() % 5 {
        0 => decimal_text(&mut b),
        1 => currency_code(&mut b),
        2 => arithmetic(&mut b),
        3 => spreading(&mut b),
        _ => pricing(&mut b),
    }
}

/// A decimal from the table of edge cases or from raw bits (any scale up to 28).
fn decimal(b: &mut Bytes<'_>) -> Decimal {
    if b.bool() {
        return b.pick(values::DECIMALS).and_then(|t| parse_decimal(t).ok()).unwrap_or_default();
    }
    let mantissa = i128::from(b.u64()) | (i128::from(b.u32()) << 64);
    let mantissa = if b.bool() { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(mantissa, u32::from(b.u8() % 29)).unwrap_or_default()
}

/// A decimal as text: usually a real decimal's text, sometimes arbitrary bytes.
fn decimal_string(b: &mut Bytes<'_>) -> String {
    match b.below(4) {
        0 => b.string(40),
        1 => b.pick(values::DECIMALS).copied().unwrap_or("0").to_owned(),
        _ => decimal(b).to_string(),
    }
}

fn currency(b: &mut Bytes<'_>) -> Option<Currency> {
    b.pick(CURRENCIES).and_then(|c| Currency::from_code(c).ok())
}

fn decimal_text(b: &mut Bytes<'_>) -> Result<(), Finding> {
    let text = String::from_utf8_lossy(b.rest()).into_owned();
    if let Ok(d) = parse_decimal(&text) {
        let again = parse_decimal(&d.to_string()).map_err(|e| Finding(format!("{text:?} parsed to {d}, which does not parse: {e}")))?;
        if again != d {
            return Err(Finding(format!("{text:?} parsed to {d}, which parses to {again}")));
        }
        for c in CURRENCIES.iter().filter_map(|c| Currency::from_code(c).ok()) {
            if let Ok(m) = Money::parse(&text, c)
                && m.amount() != d
            {
                return Err(Finding(format!("Money::parse({text:?}, {c}) = {m}, expected {d}")));
            }
        }
    }
    Ok(())
}

fn currency_code(b: &mut Bytes<'_>) -> Result<(), Finding> {
    let code = String::from_utf8_lossy(b.rest()).into_owned();
    if let Ok(c) = Currency::from_code(&code) {
        if c.code() != code {
            return Err(Finding(format!("currency {code:?} reads back as {:?}", c.code())));
        }
        if c.minor_units() > 4 {
            return Err(Finding(format!("currency {code:?} has {} minor units", c.minor_units())));
        }
        let back: Result<Currency, _> = serde_json::from_value(json!(code));
        if back.ok() != Some(c) {
            return Err(Finding(format!("currency {code:?} does not deserialize to itself")));
        }
    }
    Ok(())
}

fn arithmetic(b: &mut Bytes<'_>) -> Result<(), Finding> {
    let (Some(c1), Some(c2)) = (currency(b), currency(b)) else { return Ok(()) };
    let (x, y) = (decimal(b), decimal(b));
    let rounded = Money::rounded(x, c1);
    if !c1.is_exact(rounded.amount()) {
        return Err(Finding(format!("Money::rounded({x}, {c1}) = {rounded} is not in minor units")));
    }
    let (Ok(a), Ok(m)) = (Money::new(x, c1), Money::new(y, c2)) else { return Ok(()) };
    if a.amount() != x {
        return Err(Finding(format!("Money::new({x}, {c1}) changed the amount to {a}")));
    }
    match (a.checked_add(m), c1 == c2) {
        (Ok(sum), true) => {
            if let Ok(back) = sum.checked_sub(m)
                && back != a
            {
                return Err(Finding(format!("({a} + {m}) - {m} = {back}")));
            }
        }
        (Ok(sum), false) => return Err(Finding(format!("{a} + {m} mixed currencies: {sum}"))),
        (Err(_), _) => {}
    }
    Ok(())
}

fn spreading(b: &mut Bytes<'_>) -> Result<(), Finding> {
    let Some(c) = currency(b) else { return Ok(()) };
    let total = decimal(b);
    let n = b.below(12);
    let weights: Vec<Decimal> = (0..n).map(|_| decimal(b)).collect();
    // Refusing (out of range, weights that cancel out) is fine; a wrong result is not.
    let Ok(parts) = spread(total, &weights, c) else { return Ok(()) };
    if parts.len() != weights.len() {
        return Err(Finding(format!("spread({total}, {weights:?}) gave {} parts", parts.len())));
    }
    let sum = parts.iter().try_fold(Decimal::ZERO, |s, p| s.checked_add(*p));
    if !weights.is_empty() && c.is_exact(total) && sum != Some(total) {
        return Err(Finding(format!("spread({total}, {weights:?}, {c}) = {parts:?} adds up to {sum:?}")));
    }
    Ok(())
}

fn amount(v: &Value, path: &[&str]) -> Option<Decimal> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    parse_decimal(cur.get("amount")?.as_str()?).ok()
}

fn pricing(b: &mut Bytes<'_>) -> Result<(), Finding> {
    let oms = Oms::in_memory();
    crate::ops::execute(&oms, "add_channel", &json!({"channel": {"code": "web", "name": "Web"}}))
        .map_err(|e| Finding(format!("add_channel failed: {e}")))?;
    let currency = b.pick(CURRENCIES).copied().unwrap_or("EUR");
    let gross = !b.bool();
    let n = 1 + b.below(4);
    let quantities = [0, 1, 2, 3, 7, 1000, u32::MAX];
    let lines: Vec<Value> = (0..n)
        .map(|i| {
            let quantity = match b.below(4) {
                0 => b.u32(),
                _ => b.pick(&quantities).copied().unwrap_or(1),
            };
            let mut line = json!({"sku": format!("SKU-{i}"), "quantity": quantity, "unit_price": decimal_string(b)});
            if b.bool() {
                line["tax_rate"] = json!(decimal_string(b));
            }
            if b.bool() {
                line["discount"] = json!(decimal_string(b));
            }
            line
        })
        .collect();
    let mut order = json!({"channel": "web", "currency": currency, "prices_include_tax": gross, "lines": lines,
        "shipping_address": {"name": "A", "line1": "B", "postal_code": "1", "city": "C", "country": "DE"}});
    let discounts = b.below(3);
    if discounts > 0 {
        order["discounts"] = Value::Array((0..discounts).map(|i| json!({"code": format!("D{i}"), "amount": decimal_string(b)})).collect());
    }
    if b.bool() {
        order["shipping"] = json!({"amount": decimal_string(b), "tax_rate": decimal_string(b)});
    }
    let Ok(placed) = crate::ops::execute(&oms, "place_order", &json!({ "order": order })) else { return Ok(()) };
    check_totals(&placed, gross).map_err(|m| Finding(format!("{m}\norder: {order}\nplaced: {placed}")))
}

/// The placed order's amounts add up.
fn check_totals(placed: &Value, gross: bool) -> Result<(), String> {
    let t = |f: &str| amount(placed, &["totals", f]).ok_or_else(|| format!("totals.{f} missing"));
    let (subtotal, discount, shipping, tax, net, total) =
        (t("subtotal")?, t("discount")?, t("shipping")?, t("tax")?, t("net")?, t("total")?);
    if net.checked_add(tax) != Some(total) {
        return Err(format!("net {net} + tax {tax} != total {total}"));
    }
    if gross && subtotal.checked_sub(discount).and_then(|x| x.checked_add(shipping)) != Some(total) {
        return Err(format!("gross prices: subtotal {subtotal} - discount {discount} + shipping {shipping} != total {total}"));
    }
    let mut lines_gross = Some(Decimal::ZERO);
    for (i, line) in placed.get("lines").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let a = |f: &str| amount(line, &["amounts", f]).ok_or_else(|| format!("lines.{i}.amounts.{f} missing"));
        let (l_net, l_tax, l_gross) = (a("net")?, a("tax")?, a("gross")?);
        if l_net.checked_add(l_tax) != Some(l_gross) {
            return Err(format!("line {i}: net {l_net} + tax {l_tax} != gross {l_gross}"));
        }
        lines_gross = lines_gross.and_then(|s| s.checked_add(l_gross));
    }
    if lines_gross.and_then(|s| s.checked_add(shipping)) != Some(total) {
        return Err(format!("lines' gross {lines_gross:?} + shipping {shipping} != total {total}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_priced_order_passes_the_checks() {
        let oms = Oms::in_memory();
        crate::ops::execute(&oms, "add_channel", &json!({"channel": {"code": "web", "name": "Web"}})).unwrap();
        let order = json!({"channel": "web", "currency": "EUR", "lines": [
            {"sku": "A", "quantity": 2, "unit_price": "19.99", "tax_rate": "0.19", "discount": "1.00"},
            {"sku": "B", "quantity": 1, "unit_price": "9.90", "tax_rate": "0.07"}],
            "discounts": [{"code": "X", "amount": "5.00"}], "shipping": {"amount": "4.90", "tax_rate": "0.19"},
            "shipping_address": {"name": "A", "line1": "B", "postal_code": "1", "city": "C", "country": "DE"}});
        let placed = crate::ops::execute(&oms, "place_order", &json!({ "order": order })).unwrap();
        check_totals(&placed, true).unwrap();
    }

    #[test]
    fn every_part_runs_on_short_inputs() {
        for first in 0..5u8 {
            execute(&[first]).unwrap();
            execute(&[first, 1, 0, 2, 0, 1, 1, 1, 1]).unwrap();
        }
    }
}
