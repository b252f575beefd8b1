//! Money: exact decimal amounts in an ISO 4217 currency.
//!
//! Amounts are [`Decimal`]s, never floats. A [`Currency`] knows its minor units (EUR 2,
//! JPY 0, KWD 3); an amount given with more decimals than its currency has is refused
//! rather than rounded silently. Rounding happens only at defined points (line totals,
//! tax, shares of a discount) and is half away from zero. Adding two amounts of different
//! currencies is an error, never a conversion.
//!
//! [`spread`] divides an amount over weighted parts so that the parts always add up to the
//! whole, to the minor unit (largest-remainder method).
//!
//! ```
//! use ordo::{Currency, Money, spread};
//! use rust_decimal::Decimal;
//!
//! let eur = Currency::from_code("EUR").unwrap();
//! let ten = Money::new(Decimal::new(1000, 2), eur).unwrap();
//! let parts = spread(ten.amount(), &[Decimal::ONE; 3], eur);
//! assert_eq!(parts, vec![Decimal::new(334, 2), Decimal::new(333, 2), Decimal::new(333, 2)]);
//! assert_eq!(parts.iter().sum::<Decimal>(), ten.amount());
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::MoneyError;

/// An ISO 4217 currency with its number of minor units.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// Euro.
    pub const EUR: Currency = Currency { code: *b"EUR", minor_units: 2 };

    /// Looks up an ISO 4217 code (case-sensitive, upper case, e.g. `"EUR"`).
    ///
    /// # Errors
    /// [`MoneyError::UnknownCurrency`] for codes that are not active ISO 4217 currencies
    /// with minor units (precious metals, funds and `XXX` are refused).
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        thread_local! {
            // The currency looked up last: an order's amounts all share one, so reading
            // an order back skips the ISO table for all but the first.
            static LAST: std::cell::Cell<Option<Currency>> = const { std::cell::Cell::new(None) };
        }
        if let Some(c) = LAST.with(std::cell::Cell::get)
            && c.code.as_slice() == code.as_bytes()
        {
            return Ok(c);
        }
        let c = Self::lookup(code)?;
        LAST.with(|l| l.set(Some(c)));
        Ok(c)
    }

    fn lookup(code: &str) -> Result<Self, MoneyError> {
        let unknown = || MoneyError::UnknownCurrency { code: code.to_owned() };
        let iso = iso_currency::Currency::from_code(code).ok_or_else(unknown)?;
        if iso.is_fund() || iso.is_special() || iso.is_superseded().is_some() {
            return Err(unknown());
        }
        let minor_units = iso.exponent().ok_or_else(unknown)?;
        let bytes = code.as_bytes();
        let (Ok(minor_units), [a, b, c]) = (u8::try_from(minor_units), bytes) else {
            return Err(unknown());
        };
        Ok(Currency { code: [*a, *b, *c], minor_units })
    }

    /// The three-letter code, e.g. `"EUR"`.
    #[must_use]
    pub fn code(&self) -> &str {
        // The code bytes come from a valid ASCII ISO code.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Number of decimal places of the minor unit (EUR 2, JPY 0, KWD 3).
    #[must_use]
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// The smallest unit as a decimal (0.01 for EUR, 1 for JPY).
    #[must_use]
    pub fn minor_unit(&self) -> Decimal {
        Decimal::new(1, self.minor_units())
    }

    /// Rounds to the currency's minor unit, half away from zero.
    #[must_use]
    pub fn round(&self, amount: Decimal) -> Decimal {
        let mut r = amount.round_dp_with_strategy(self.minor_units(), RoundingStrategy::MidpointAwayFromZero);
        r.rescale(self.minor_units());
        r
    }

    /// Whether `amount` is exactly representable in minor units.
    #[must_use]
    pub fn is_exact(&self, amount: Decimal) -> bool {
        amount.normalize().scale() <= self.minor_units()
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = Currency;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an ISO 4217 currency code")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
                Currency::from_code(code).map_err(E::custom)
            }
        }
        d.deserialize_str(Code)
    }
}

/// An exact amount in one currency, always expressed in the currency's minor units.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An amount in `currency`.
    ///
    /// # Errors
    /// [`MoneyError::TooPrecise`] when `amount` has more decimals than the currency's minor
    /// units (e.g. `12.345` EUR); nothing is rounded behind the caller's back.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        if !currency.is_exact(amount) {
            return Err(MoneyError::TooPrecise { amount, currency: currency.code().to_owned() });
        }
        let mut amount = amount;
        amount.rescale(currency.minor_units());
        Ok(Money { amount, currency })
    }

    /// Parses an exact decimal string such as `"12.50"` in `currency`.
    ///
    /// # Errors
    /// [`MoneyError::NotADecimal`] for text that is not a plain finite decimal, and the
    /// errors of [`Money::new`].
    pub fn parse(amount: &str, currency: Currency) -> Result<Self, MoneyError> {
        Money::new(parse_decimal(amount)?, currency)
    }

    /// Rounds `amount` to the currency's minor unit (half away from zero).
    #[must_use]
    pub fn rounded(amount: Decimal, currency: Currency) -> Self {
        Money { amount: currency.round(amount), currency }
    }

    /// Zero in `currency`.
    #[must_use]
    pub fn zero(currency: Currency) -> Self {
        Money::rounded(Decimal::ZERO, currency)
    }

    /// The amount.
    #[must_use]
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// Sum of two amounts of the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::rounded(self.amount + other.amount, self.currency))
    }

    /// Difference of two amounts of the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::rounded(self.amount - other.amount, self.currency))
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { expected: self.currency.code().to_owned(), found: other.currency.code().to_owned() })
        }
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Parses a plain decimal string (`"12.50"`, `"-3"`, `"0.1"`) exactly.
///
/// Exponents, `NaN`, infinities, thousands separators and empty text are refused.
///
/// # Errors
/// [`MoneyError::NotADecimal`] for anything that is not a plain finite decimal.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let plain = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err(MoneyError::NotADecimal { text: text.to_owned() });
    }
    Decimal::from_str_exact(t).map_err(|_| MoneyError::NotADecimal { text: text.to_owned() })
}

/// Splits `total` into parts proportional to `weights`, each rounded to `currency`'s minor
/// unit, such that the parts add up to exactly `total` (largest-remainder method).
///
/// Ties in the remainder go to the earlier part, so the result is deterministic. When all
/// weights are zero, the total is spread evenly. An empty `weights` gives an empty result.
#[must_use]
pub fn spread(total: Decimal, weights: &[Decimal], currency: Currency) -> Vec<Decimal> {
    if weights.is_empty() {
        return Vec::new();
    }
    let even;
    let weights = if weights.iter().all(|w| w.is_zero()) {
        even = vec![Decimal::ONE; weights.len()];
        &even[..]
    } else {
        weights
    };
    let weight_sum: Decimal = weights.iter().sum();
    let unit = currency.minor_unit();
    let negative = total.is_sign_negative();
    let abs_total = total.abs();
    // Work in whole minor units.
    let total_units = (abs_total / unit).trunc();
    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for w in weights {
        let exact = total_units * *w / weight_sum;
        let floor = exact.floor();
        floors.push(floor);
        remainders.push(exact - floor);
    }
    let assigned: Decimal = floors.iter().sum();
    let mut left = total_units - assigned;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    let mut i = 0;
    while left > Decimal::ZERO && !order.is_empty() {
        floors[order[i % order.len()]] += Decimal::ONE;
        left -= Decimal::ONE;
        i += 1;
    }
    floors
        .into_iter()
        .map(|units| {
            let mut v = units * unit;
            if negative {
                v = -v;
            }
            v.rescale(currency.minor_units());
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!(Currency::from_code("EUR").unwrap().minor_units(), 2);
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::from_code("KWD").unwrap().minor_units(), 3);
        assert!(Currency::from_code("XAU").is_err());
        assert!(Currency::from_code("eur").is_err());
        assert!(Currency::from_code("ABC").is_err());
        assert_eq!(Currency::EUR, Currency::from_code("EUR").unwrap());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let eur = Currency::EUR;
        assert_eq!(eur.round(d("0.125")), d("0.13"));
        assert_eq!(eur.round(d("-0.125")), d("-0.13"));
        assert_eq!(eur.round(d("0.124")), d("0.12"));
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(jpy.round(d("2.5")), d("3"));
    }

    #[test]
    fn money_refuses_excess_precision_and_mixed_currencies() {
        let eur = Currency::EUR;
        assert!(Money::new(d("12.345"), eur).is_err());
        assert_eq!(Money::new(d("12.3"), eur).unwrap().amount().to_string(), "12.30");
        let jpy = Currency::from_code("JPY").unwrap();
        let a = Money::new(d("1"), eur).unwrap();
        let b = Money::new(d("1"), jpy).unwrap();
        assert!(matches!(a.checked_add(b), Err(MoneyError::CurrencyMismatch { .. })));
    }

    #[test]
    fn decimal_text_is_parsed_exactly_or_refused() {
        assert_eq!(parse_decimal("12.50").unwrap(), d("12.50"));
        assert_eq!(parse_decimal("-3").unwrap(), d("-3"));
        for bad in ["", "1e3", "NaN", "inf", "1,000.00", "1.2.3", ".", "-", "0x10"] {
            assert!(parse_decimal(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spread_sums_to_the_whole() {
        let eur = Currency::EUR;
        let parts = spread(d("10.00"), &[d("1"), d("1"), d("1")], eur);
        assert_eq!(parts, vec![d("3.34"), d("3.33"), d("3.33")]);
        let parts = spread(d("-0.05"), &[d("3"), d("1")], eur);
        assert_eq!(parts.iter().sum::<Decimal>(), d("-0.05"));
        let parts = spread(d("5.00"), &[d("0"), d("0")], eur);
        assert_eq!(parts, vec![d("2.50"), d("2.50")]);
        let parts = spread(d("7"), &[d("19.99"), d("5.01"), d("0")], Currency::from_code("JPY").unwrap());
        assert_eq!(parts.iter().sum::<Decimal>(), d("7"));
        assert_eq!(parts[2], d("0"));
    }

    proptest::proptest! {
        #[test]
        fn spread_always_adds_up(total in -1_000_000i64..1_000_000, weights in proptest::collection::vec(0i64..10_000, 1..20)) {
            let eur = Currency::EUR;
            let total = Decimal::new(total, 2);
            let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::new(w, 2)).collect();
            let parts = spread(total, &weights, eur);
            proptest::prop_assert_eq!(parts.len(), weights.len());
            proptest::prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
        }
    }
}
