//! Small text helpers that keep the standard library's generic string machinery (`concat`'s
//! join, char iteration, `fmt`) out of the wasm, where every instance costs bytes.

use alloc::string::String;

/// The parts one after another (what `[a, b].concat()` does, with one code path for all callers).
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `s` split at each `sep` (an ASCII byte), as `str::split` with a char pattern does, without its
/// searcher machinery (about 1 KB of wasm with `trim_end_matches`).
pub fn split_byte(s: &str, sep: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(s), sep }
}

/// The iterator of [`split_byte`].
#[derive(Clone)]
pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == self.sep) {
            // Both sides of an ASCII byte are char boundaries, so `get` never answers `None` here.
            Some(i) => {
                self.rest = rest.get(i + 1..);
                rest.get(..i)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// `s` without the trailing run of `byte` (an ASCII byte), as `trim_end_matches` with a char.
pub fn trim_end_byte(s: &str, byte: u8) -> &str {
    let end = s.bytes().rposition(|b| b != byte).map_or(0, |i| i + 1);
    s.get(..end).unwrap_or(s)
}

/// Appends the lower-case hex digit of `d` (its low four bits), as a `&str` push: `String::push`'s
/// char encoding stays out of the wasm.
pub fn push_hex_digit(out: &mut String, d: u8) {
    const HEX: &str = "0123456789abcdef";
    let d = usize::from(d & 15);
    out.push_str(HEX.get(d..d + 1).unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn split_and_trim_match_std() {
        for s in ["", "a", ".", "a.b", ".a.", "..", "a..b.", "é.ü.", "127.0.0.1"] {
            assert_eq!(split_byte(s, b'.').collect::<Vec<_>>(), s.split('.').collect::<Vec<_>>(), "{s:?}");
            assert_eq!(trim_end_byte(s, b'.'), s.trim_end_matches('.'), "{s:?}");
        }
    }

    #[test]
    fn cat() {
        assert_eq!(super::cat(&["a", "", "bc"]), "abc");
        assert_eq!(super::cat(&[]), "");
    }
}
