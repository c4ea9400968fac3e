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

#[cfg(test)]
mod tests {
    #[test]
    fn cat() {
        assert_eq!(super::cat(&["a", "", "bc"]), "abc");
        assert_eq!(super::cat(&[]), "");
    }
}
