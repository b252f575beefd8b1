//! Pure validation rules for addresses and contact data.
//!
//! All checks are hand-written character checks (no regular expressions)
//! and never panic.

use iso_currency::Country;

/// Returns `true` if `code` is an officially assigned ISO 3166-1 alpha-2
/// country code.
///
/// The code must be exactly two uppercase ASCII letters; lowercase input,
/// alpha-3 codes and unassigned pairs such as `"XX"` are rejected.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && code.parse::<Country>().is_ok()
}

/// A postal-code rule: country code, human description, checker.
///
/// Checkers receive the already trimmed postal code.
type PostalRule = (&'static str, &'static str, fn(&str) -> bool);

/// Countries with a dedicated postal-code rule.
const POSTAL_RULES: &[PostalRule] = &[
    ("AT", "4 digits", |c| shape(c) == "9999"),
    ("BE", "4 digits, first digit not 0", |c| shape(c) == "9999" && !c.starts_with('0')),
    ("CH", "4 digits", |c| shape(c) == "9999"),
    ("DE", "5 digits", |c| shape(c) == "99999"),
    ("ES", "5 digits, starting with 01 to 52", is_spanish),
    ("FR", "5 digits", |c| shape(c) == "99999"),
    ("GB", "UK postcode, e.g. SW1A 1AA", is_uk_postcode),
    ("IT", "5 digits", |c| shape(c) == "99999"),
    ("NL", "4 digits (first not 0), optional space, 2 letters, e.g. 1234 AB", is_dutch),
    ("PL", "NN-NNN, e.g. 00-950", |c| shape(c) == "99-999"),
    ("US", "5 digits or ZIP+4 (NNNNN-NNNN)", |c| matches!(shape(c).as_str(), "99999" | "99999-9999")),
];

/// Looks up the dedicated rule for `country` (case-insensitive, trimmed).
fn postal_rule(country: &str) -> Option<&'static PostalRule> {
    let country = country.trim();
    POSTAL_RULES.iter().find(|(code, _, _)| code.eq_ignore_ascii_case(country))
}

/// Returns a human-readable description of the postal-code format expected
/// for `country`, or `None` if no country-specific rule is known.
///
/// The country code is matched case-insensitively after trimming.
pub fn postal_code_format(country: &str) -> Option<&'static str> {
    postal_rule(country).map(|(_, description, _)| *description)
}

/// Returns `true` if `code` is a syntactically valid postal code for
/// `country` (an ISO 3166-1 alpha-2 code, matched case-insensitively).
///
/// Surrounding whitespace of `code` is ignored. Countries with a dedicated
/// rule (see [`postal_code_format`]) are checked against it; for any other
/// country the code must be non-empty and at most 12 characters of ASCII
/// letters, digits, spaces or hyphens.
pub fn is_valid_postal_code(country: &str, code: &str) -> bool {
    let code = code.trim();
    match postal_rule(country) {
        Some((_, _, check)) => check(code),
        None => !code.is_empty() && code.chars().count() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'),
    }
}

/// Maps ASCII digits to `9` and ASCII letters to `A`, keeping every other
/// character, so a code can be compared against a pattern like `"99-999"`.
fn shape(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '0'..='9' => '9',
            c if c.is_ascii_alphabetic() => 'A',
            c => c,
        })
        .collect()
}

/// Spain: 5 digits whose first two (the province) are 01 to 52.
fn is_spanish(code: &str) -> bool {
    shape(code) == "99999" && code.get(..2).and_then(|p| p.parse::<u8>().ok()).is_some_and(|p| (1..=52).contains(&p))
}

/// Netherlands: `9999AA` or `9999 AA`, first digit not 0, letters not
/// `SA`, `SD` or `SS`.
fn is_dutch(code: &str) -> bool {
    if !matches!(shape(code).as_str(), "9999AA" | "9999 AA") || code.starts_with('0') {
        return false;
    }
    code.get(code.len() - 2..).is_some_and(|l| !["SA", "SD", "SS"].iter().any(|x| x.eq_ignore_ascii_case(l)))
}

/// United Kingdom: outward code (`A9`, `A99`, `A9A`, `AA9`, `AA99`, `AA9A`),
/// optional single space, inward code `9AA`; also the special `GIR 0AA`.
fn is_uk_postcode(code: &str) -> bool {
    if !code.is_ascii() {
        return false;
    }
    let upper = code.to_ascii_uppercase();
    if upper == "GIR 0AA" || upper == "GIR0AA" {
        return true;
    }
    let Some(split) = upper.len().checked_sub(3) else {
        return false;
    };
    let (outward, inward) = upper.split_at(split);
    let outward = outward.strip_suffix(' ').unwrap_or(outward);
    shape(inward) == "9AA" && matches!(shape(outward).as_str(), "A9" | "A99" | "A9A" | "AA9" | "AA99" | "AA9A")
}

/// Returns `true` if `email` is a syntactically plausible e-mail address.
///
/// This is a pragmatic check, not full RFC 5322: exactly one `@`; a local
/// part of 1 to 64 characters from ASCII letters, digits and
/// ``!#$%&'*+/=?^_`{|}~.-`` that neither starts nor ends with a dot nor
/// contains `..`; a domain of at most 253 characters with at least two
/// dot-separated labels of 1 to 63 letters, digits or hyphens (not starting
/// or ending with a hyphen) and a top-level label of at least two letters.
/// The whole address is at most 254 characters.
pub fn is_valid_email(email: &str) -> bool {
    if email.len() > 254 {
        return false;
    }
    match email.split_once('@') {
        Some((local, domain)) => is_valid_local_part(local) && is_valid_domain(domain),
        None => false,
    }
}

/// Checks the part of an e-mail address before the `@`.
fn is_valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    (1..=64).contains(&local.len())
        && local.chars().all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

/// Checks the part of an e-mail address after the `@`.
fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_label = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(valid_label)
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        for code in ["DE", "GB", "US", "AX", "NL"] {
            assert!(is_country_code(code), "{code:?} should be valid");
        }
        for code in ["de", "De", "XX", "DEU", "D", "", "D1", " DE"] {
            assert!(!is_country_code(code), "{code:?} should be invalid");
        }
    }

    #[test]
    fn postal_codes() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("DE", &["10115", " 10115 "], &["1011", "1011A", "101150"]),
            ("AT", &["1010"], &["10100", "101"]),
            ("CH", &["8001"], &["800", "8001A"]),
            ("FR", &["75008"], &["7500", "75 008"]),
            ("NL", &["1234 AB", "1234ab"], &["0123 AB", "1234  AB", "1234 SA", "1234 sd", "1234 SS", "1234"]),
            ("BE", &["1000"], &["0999", "10000"]),
            ("IT", &["00184"], &["0018"]),
            ("ES", &["28013", "01001", "52001"], &["53000", "00123", "2801"]),
            ("PL", &["00-950"], &["00950", "0-0950", "00-95"]),
            (
                "GB",
                &["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "GIR 0AA", "gir0aa"],
                &["SW1A 1A", "SW1A  1AA", "1W1A 1AA", "SWW1 1AA", "AA", "", "ÄW1 1AA"],
            ),
            ("US", &["12345", "12345-6789"], &["1234", "12345-678", "123456789", "12345 6789"]),
            ("de", &["10115"], &["1011"]),
            ("JP", &["100-0001", "K1A 0B1"], &["", "   ", "1234567890123", "100_0001", "100·0001"]),
        ];
        for (country, valid, invalid) in cases {
            for (codes, expected) in [(valid, true), (invalid, false)] {
                for code in *codes {
                    let got = is_valid_postal_code(country, code);
                    assert_eq!(got, expected, "{country} {code:?}");
                }
            }
        }
    }

    #[test]
    fn postal_code_formats() {
        for (country, _, _) in POSTAL_RULES {
            assert!(is_country_code(country), "{country} is not a country code");
            assert!(postal_code_format(country).is_some(), "{country} has no format");
        }
        assert_eq!(postal_code_format("DE"), Some("5 digits"));
        assert_eq!(postal_code_format("at"), Some("4 digits"));
        assert_eq!(postal_code_format("JP"), None);
        assert_eq!(postal_code_format(""), None);
    }

    #[test]
    fn emails() {
        let valid = [
            "anna@example.de",
            "a.b+tag@sub.example.co.uk",
            "o'brien!#$%&*/=?^_`{|}~-@x-y.example.com",
            &format!("{}@example.de", "a".repeat(64)),
        ];
        for email in valid {
            assert!(is_valid_email(email), "{email:?} should be valid");
        }
        let invalid = [
            "",
            "a@b",
            "a@@b.de",
            "a@b@c.de",
            ".a@b.de",
            "a.@b.de",
            "a..b@c.de",
            "a@-b.de",
            "a@b-.de",
            "a@b.d",
            "a@b.d3",
            "a@b..de",
            "a@b.de.",
            "@b.de",
            "a b@c.de",
            "anna",
            "ä@b.de",
            "a@b_c.de",
            &format!("{}@example.de", "a".repeat(65)),
            &format!("a@{}.de", "b".repeat(64)),
            &format!("a@{}.de", vec!["b".repeat(60); 5].join(".")),
        ];
        for email in invalid {
            assert!(!is_valid_email(email), "{email:?} should be invalid");
        }
    }
}
