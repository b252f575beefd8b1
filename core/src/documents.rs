//! Documents for people: packing slips and counter-sale receipts, as structured data with
//! plain-text and HTML renderings (HTML escapes every value).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, ShipmentId};
use crate::money::Money;
use crate::timeline::Locale;

/// One line of a packing slip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SlipLine {
    /// The SKU.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// Units in this parcel.
    pub quantity: u32,
    /// Units ordered (not cancelled).
    pub ordered: u32,
    /// Units that still follow in other parcels.
    pub to_come: u32,
}

/// The slip that goes into a parcel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PackingSlip {
    /// The order.
    pub order_id: OrderId,
    /// Its number.
    pub order_number: String,
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// When the order was placed.
    pub placed_at: DateTime<Utc>,
    /// Sender: the location's name and address lines.
    pub ship_from: Vec<String>,
    /// Recipient address lines (empty for pickup).
    pub ship_to: Vec<String>,
    /// What is in this parcel.
    pub lines: Vec<SlipLine>,
    /// Order lines of which nothing is in this parcel but units still follow.
    pub still_to_come: Vec<SlipLine>,
    /// Number of packages of the shipment.
    pub packages: usize,
    /// How to return goods.
    pub return_instructions: String,
    /// Language of the texts.
    pub locale: String,
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

struct Labels {
    title: &'static str,
    order: &'static str,
    from: &'static str,
    to: &'static str,
    qty: &'static str,
    item: &'static str,
    follows: &'static str,
    coming: &'static str,
}

fn labels(de: bool) -> Labels {
    if de {
        Labels {
            title: "Lieferschein",
            order: "Bestellung",
            from: "Absender",
            to: "Empfänger",
            qty: "Menge",
            item: "Artikel",
            follows: "folgt",
            coming: "Wird separat geliefert",
        }
    } else {
        Labels {
            title: "Packing slip",
            order: "Order",
            from: "From",
            to: "To",
            qty: "Qty",
            item: "Item",
            follows: "to come",
            coming: "Shipped separately",
        }
    }
}

impl PackingSlip {
    fn de(&self) -> bool {
        self.locale == "de"
    }

    /// The slip as plain text (fixed-width columns).
    #[must_use]
    pub fn to_text(&self) -> String {
        let l = labels(self.de());
        let mut o = String::new();
        let _ = writeln!(o, "{} — {} {} ({})", l.title, l.order, self.order_number, self.placed_at.format("%Y-%m-%d"));
        let _ = writeln!(o, "\n{}:\n  {}", l.from, self.ship_from.join("\n  "));
        if !self.ship_to.is_empty() {
            let _ = writeln!(o, "{}:\n  {}", l.to, self.ship_to.join("\n  "));
        }
        let _ = writeln!(o, "\n{:>5}  {:<16} {}", l.qty, "SKU", l.item);
        for x in &self.lines {
            let follows = if x.to_come > 0 { format!("  (+{} {})", x.to_come, l.follows) } else { String::new() };
            let _ = writeln!(o, "{:>5}  {:<16} {}{follows}", x.quantity, x.sku, x.name);
        }
        if !self.still_to_come.is_empty() {
            let _ = writeln!(o, "\n{}:", l.coming);
            for x in &self.still_to_come {
                let _ = writeln!(o, "{:>5}  {:<16} {}", x.to_come, x.sku, x.name);
            }
        }
        let _ = writeln!(o, "\n{}", self.return_instructions);
        o
    }

    /// The slip as a self-contained HTML document.
    #[must_use]
    pub fn to_html(&self) -> String {
        let l = labels(self.de());
        let mut o = String::new();
        let title = format!("{} {} {}", l.title, l.order, self.order_number);
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n",
            esc(&self.locale),
            esc(&title)
        );
        let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
        let addr = |lines: &[String]| lines.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>");
        let _ = writeln!(o, "<p><strong>{}:</strong><br>{}</p>", l.from, addr(&self.ship_from));
        if !self.ship_to.is_empty() {
            let _ = writeln!(o, "<p><strong>{}:</strong><br>{}</p>", l.to, addr(&self.ship_to));
        }
        let _ = writeln!(o, "<table><thead><tr><th>{}</th><th>SKU</th><th>{}</th></tr></thead><tbody>", l.qty, l.item);
        for x in &self.lines {
            let follows = if x.to_come > 0 { format!(" (+{} {})", x.to_come, l.follows) } else { String::new() };
            let _ = writeln!(o, "<tr><td>{}</td><td>{}</td><td>{}{}</td></tr>", x.quantity, esc(&x.sku), esc(&x.name), esc(&follows));
        }
        let _ = writeln!(o, "</tbody></table>");
        if !self.still_to_come.is_empty() {
            let _ = writeln!(o, "<h2>{}</h2><ul>", l.coming);
            for x in &self.still_to_come {
                let _ = writeln!(o, "<li>{} × {} {}</li>", x.to_come, esc(&x.sku), esc(&x.name));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "<p>{}</p>\n</body></html>", esc(&self.return_instructions));
        o
    }
}

/// Return instructions for a slip.
pub(crate) fn return_instructions(locale: Locale, days: u32, order_number: &str) -> String {
    match locale {
        Locale::De => format!(
            "Sie können Artikel innerhalb von {days} Tagen nach Erhalt zurückgeben. Bitte melden Sie die Rücksendung mit der Bestellnummer {order_number} an und legen Sie diesen Lieferschein bei."
        ),
        _ => format!(
            "You can return items within {days} days of delivery. Please register the return with order number {order_number} and include this slip."
        ),
    }
}

/// One line of a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReceiptLine {
    /// The SKU.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit.
    pub unit_price: Money,
    /// What the line costs, after discounts, tax included.
    pub total: Money,
    /// Tax rate.
    pub tax_rate: Decimal,
}

/// Tax of one rate on a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaxLine {
    /// The rate.
    pub rate: Decimal,
    /// Net amount at this rate.
    pub net: Money,
    /// Tax at this rate.
    pub tax: Money,
    /// Gross amount at this rate.
    pub gross: Money,
}

/// The receipt of a counter sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Receipt {
    /// Receipt (order) number.
    pub number: String,
    /// The store's name and address lines.
    pub store: Vec<String>,
    /// When the sale happened.
    pub at: DateTime<Utc>,
    /// What was sold.
    pub lines: Vec<ReceiptLine>,
    /// Discounts on the whole sale.
    pub discount: Money,
    /// Tax per rate.
    pub taxes: Vec<TaxLine>,
    /// Total paid.
    pub total: Money,
    /// How it was paid (`"card"`, `"cash"`, …).
    pub payment_method: String,
    /// Cash handed over, if any.
    pub tendered: Option<Money>,
    /// Change given back.
    pub change: Option<Money>,
    /// Payment reference (card terminal), if any.
    pub payment_reference: Option<String>,
}

impl Receipt {
    /// The receipt as plain text, 40 columns wide.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        for s in &self.store {
            let _ = writeln!(o, "{s:^40}");
        }
        let _ = writeln!(o, "{:^40}", format!("#{}  {}", self.number, self.at.format("%Y-%m-%d %H:%M UTC")));
        let _ = writeln!(o, "{}", "-".repeat(40));
        for l in &self.lines {
            let _ = writeln!(o, "{:<28}{:>12}", format!("{} × {}", l.quantity, l.name), l.total.amount().to_string());
        }
        if !self.discount.is_zero() {
            let _ = writeln!(o, "{:<28}{:>12}", "Discount", format!("-{}", self.discount.amount()));
        }
        let _ = writeln!(o, "{}", "-".repeat(40));
        let _ = writeln!(o, "{:<28}{:>12}", format!("TOTAL {}", self.total.currency()), self.total.amount().to_string());
        for t in &self.taxes {
            let pct = (t.rate * Decimal::ONE_HUNDRED).normalize();
            let _ = writeln!(o, "{:<28}{:>12}", format!("  incl. {pct}% tax on {}", t.net.amount()), t.tax.amount().to_string());
        }
        let _ = writeln!(
            o,
            "{:<28}{:>12}",
            format!("Paid ({})", self.payment_method),
            self.tendered.unwrap_or(self.total).amount().to_string()
        );
        if let Some(c) = self.change {
            let _ = writeln!(o, "{:<28}{:>12}", "Change", c.amount().to_string());
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_values() {
        assert_eq!(esc("<b>\"Tom & Jerry's\"</b>"), "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;");
    }
}
