//! Decimal numbers without `core::fmt` (which would add several KB to the wasm).

use alloc::string::String;

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8 (pushed as a str, so no char encoding is compiled in).
    out.push_str(core::str::from_utf8(digits.get(i..).unwrap_or(&[])).unwrap_or(""));
}

/// A string of 1 to 9 ASCII digits as a number; anything else is `None`.
pub fn parse_decimal(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + (b - b'0') as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for n in [0u64, 7, 10, 404, 65535, 999_999_999, u32::MAX.into(), u64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
            if n <= 999_999_999 {
                assert_eq!(parse_decimal(&s).map(u64::from), Some(n));
            }
        }
        for bad in ["", "-1", "1.5", " 1", "1234567890", "abc"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }
}
