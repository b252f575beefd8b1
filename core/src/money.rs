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
//! let parts = spread(ten.amount(), &[Decimal::ONE; 3], eur).unwrap();
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

    /// The largest amount accepted in this currency:
    /// [`MAX_AMOUNT_MINOR_UNITS`](crate::limits::MAX_AMOUNT_MINOR_UNITS) minor units
    /// (EUR 9,999,999,999,999.99, JPY 999,999,999,999,999).
    #[must_use]
    pub fn max_amount(&self) -> Decimal {
        Decimal::new(crate::limits::MAX_AMOUNT_MINOR_UNITS, self.minor_units())
    }

    /// `amount` when it is within ± [`Currency::max_amount`].
    ///
    /// # Errors
    /// [`MoneyError::OutOfRange`] naming `field` otherwise.
    pub fn in_range(&self, field: impl FnOnce() -> String, amount: Decimal) -> Result<Decimal, MoneyError> {
        if amount.abs() > self.max_amount() {
            return Err(self.out_of_range(field()));
        }
        Ok(amount)
    }

    /// The [`MoneyError::OutOfRange`] error for `field` in this currency.
    #[must_use]
    pub fn out_of_range(&self, field: String) -> MoneyError {
        MoneyError::OutOfRange { field, currency: self.code().to_owned(), max: self.max_amount() }
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
    /// [`MoneyError::OutOfRange`] beyond ± [`Currency::max_amount`].
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        if !currency.is_exact(amount) {
            return Err(MoneyError::TooPrecise { amount, currency: currency.code().to_owned() });
        }
        currency.in_range(|| "amount".to_owned(), amount)?;
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
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ,
    /// [`MoneyError::OutOfRange`] when the sum is beyond ± [`Currency::max_amount`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self.amount.checked_add(other.amount).ok_or_else(|| self.currency.out_of_range(format!("{self} + {other}")))?;
        Ok(Money::rounded(self.currency.in_range(|| format!("{self} + {other}"), sum)?, self.currency))
    }

    /// Difference of two amounts of the same currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ,
    /// [`MoneyError::OutOfRange`] when the difference is beyond ± [`Currency::max_amount`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let diff = self.amount.checked_sub(other.amount).ok_or_else(|| self.currency.out_of_range(format!("{self} − {other}")))?;
        Ok(Money::rounded(self.currency.in_range(|| format!("{self} − {other}"), diff)?, self.currency))
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
///
/// # Errors
/// [`MoneyError::OutOfRange`] when `total` is beyond ± [`Currency::max_amount`];
/// [`MoneyError::Negative`] for a negative weight.
pub fn spread(total: Decimal, weights: &[Decimal], currency: Currency) -> Result<Vec<Decimal>, MoneyError> {
    currency.in_range(|| format!("{total} to spread"), total)?;
    if let Some(w) = weights.iter().find(|w| w.is_sign_negative() && !w.is_zero()) {
        return Err(MoneyError::Negative { field: "weight".to_owned(), amount: *w });
    }
    if weights.is_empty() {
        return Ok(Vec::new());
    }
    let units = minor_units_of(total.abs(), currency);
    let floors = if weights.iter().all(|w| w.is_zero()) { even_floors(units, weights.len()) } else { weighted_floors(units, weights) };
    let negative = total.is_sign_negative();
    Ok(floors
        .into_iter()
        .map(|u| {
            let mut v = Decimal::from_i128_with_scale(if negative { -u } else { u }, currency.minor_units());
            v.rescale(currency.minor_units());
            v
        })
        .collect())
}

/// Whole minor units of `amount` (cut off below the minor unit); `amount` is within the
/// range of [`Currency::max_amount`], so the result is exact.
pub(crate) fn minor_units_of(amount: Decimal, currency: Currency) -> i128 {
    let mut a = amount.trunc_with_scale(currency.minor_units());
    a.rescale(currency.minor_units());
    a.mantissa()
}

/// `units` spread evenly over `n` parts, the remainder to the earliest parts.
pub(crate) fn even_floors(units: i128, n: usize) -> Vec<i128> {
    let n128 = i128::try_from(n).unwrap_or(i128::MAX).max(1);
    let (base, rem) = (units / n128, units % n128);
    (0..n).map(|i| if i128::try_from(i).unwrap_or(i128::MAX) < rem { base + 1 } else { base }).collect()
}

/// Largest-remainder apportionment of `units` over non-negative `weights`, not all zero.
///
/// Each exact share is `units × w / Σw`; with weights so large that this overflows a
/// Decimal, the weights are first divided by the largest one. Rounding there can put a
/// share off by a unit; the correction below keeps the parts adding up to `units` exactly.
fn weighted_floors(units: i128, weights: &[Decimal]) -> Vec<i128> {
    let total = Decimal::from_i128_with_scale(units, 0);
    let exact_shares = |weights: &[Decimal]| -> Option<Vec<Decimal>> {
        let sum = weights.iter().try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))?;
        weights.iter().map(|w| total.checked_mul(*w)?.checked_div(sum)).collect()
    };
    let shares = exact_shares(weights).unwrap_or_else(|| {
        // Weights scaled down to at most 1 keep the sum and every product in range.
        let largest = weights.iter().copied().max().unwrap_or(Decimal::ONE);
        let scaled: Vec<Decimal> = weights.iter().map(|w| w.checked_div(largest).unwrap_or(Decimal::ZERO)).collect();
        exact_shares(&scaled).unwrap_or_else(|| vec![Decimal::ZERO; weights.len()])
    });
    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for exact in shares {
        let floor = exact.floor();
        floors.push(i128::try_from(floor).unwrap_or(0).clamp(0, units));
        remainders.push(exact - floor);
    }
    let assigned: i128 = floors.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    let mut left = units - assigned;
    // Rounding in the scaled form can only be off by a few units: give them to the largest
    // remainders, or take them back from the smallest.
    let mut i = 0;
    while left > 0 {
        floors[order[i % order.len()]] += 1;
        left -= 1;
        i += 1;
    }
    let mut j = 0;
    while left < 0 {
        // The floors add up to more than `units` ≥ 0, so some floor is positive.
        let k = order[order.len() - 1 - j % order.len()];
        if floors[k] > 0 {
            floors[k] -= 1;
            left += 1;
        }
        j += 1;
    }
    floors
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
        let parts = spread(d("10.00"), &[d("1"), d("1"), d("1")], eur).unwrap();
        assert_eq!(parts, vec![d("3.34"), d("3.33"), d("3.33")]);
        let parts = spread(d("-0.05"), &[d("3"), d("1")], eur).unwrap();
        assert_eq!(parts.iter().sum::<Decimal>(), d("-0.05"));
        let parts = spread(d("5.00"), &[d("0"), d("0")], eur).unwrap();
        assert_eq!(parts, vec![d("2.50"), d("2.50")]);
        let parts = spread(d("7"), &[d("19.99"), d("5.01"), d("0")], Currency::from_code("JPY").unwrap()).unwrap();
        assert_eq!(parts.iter().sum::<Decimal>(), d("7"));
        assert_eq!(parts[2], d("0"));
    }

    proptest::proptest! {
        #[test]
        fn spread_always_adds_up(total in -1_000_000i64..1_000_000, weights in proptest::collection::vec(0i64..10_000, 1..20)) {
            let eur = Currency::EUR;
            let total = Decimal::new(total, 2);
            let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::new(w, 2)).collect();
            let parts = spread(total, &weights, eur).unwrap();
            proptest::prop_assert_eq!(parts.len(), weights.len());
            proptest::prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
        }

        /// Huge weights and totals at the limit still add up, without overflow.
        #[test]
        fn spread_adds_up_at_the_limits(total in -999_999_999_999_999i64..=999_999_999_999_999, weights in proptest::collection::vec(0u128..=79_228_162_514_264_337_593_543_950_335, 1..20)) {
            let eur = Currency::EUR;
            let total = Decimal::new(total, 2);
            let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::from_i128_with_scale(i128::try_from(w).unwrap_or(i128::MAX), 0)).collect();
            let parts = spread(total, &weights, eur).unwrap();
            proptest::prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
            proptest::prop_assert!(parts.iter().all(|p| p.abs() <= total.abs()));
        }
    }

    #[test]
    fn amounts_beyond_the_limit_are_refused_not_overflowed() {
        let eur = Currency::EUR;
        assert_eq!(eur.max_amount(), d("9999999999999.99"));
        assert_eq!(Currency::from_code("JPY").unwrap().max_amount(), d("999999999999999"));
        assert!(Money::new(d("9999999999999.99"), eur).is_ok());
        assert!(matches!(Money::new(d("10000000000000"), eur), Err(MoneyError::OutOfRange { .. })));
        assert!(matches!(Money::new(d("79228162514264337593543950335"), eur), Err(MoneyError::OutOfRange { .. })));
        let max = Money::new(eur.max_amount(), eur).unwrap();
        assert!(matches!(max.checked_add(Money::new(d("0.01"), eur).unwrap()), Err(MoneyError::OutOfRange { .. })));
        assert!(matches!(spread(Decimal::MAX, &[d("1")], eur), Err(MoneyError::OutOfRange { .. })));
        assert!(matches!(spread(d("1"), &[d("-1"), d("2")], eur), Err(MoneyError::Negative { .. })));
        let parts = spread(max.amount(), &[Decimal::MAX, Decimal::MAX, d("1")], eur).unwrap();
        assert_eq!(parts.iter().sum::<Decimal>(), max.amount());
    }
}
