//! Small internal helpers.

/// `PartiallyShipped` → `partially_shipped`.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case_of_debug_names() {
        assert_eq!(super::snake_case("PartiallyShipped"), "partially_shipped");
        assert_eq!(super::snake_case("OnHold { x }"), "on_hold");
        assert_eq!(super::snake_case("Placed"), "placed");
    }
}
