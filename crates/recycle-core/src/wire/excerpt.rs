//! Short, escaped renderings of untrusted strings for messages.

/// How many characters of an untrusted string a message shows.
const SHOWN_CHARS: usize = 64;

/// Renders `s` quoted and escaped, cut to a readable length with its full size noted.
pub(crate) fn excerpt(s: &str) -> String {
    if s.chars().count() <= SHOWN_CHARS {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(SHOWN_CHARS).collect();
    format!("{head:?}… ({} bytes)", s.len())
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn short_strings_are_quoted_and_escaped() {
        assert_eq!(excerpt("a\r\nb"), r#""a\r\nb""#);
    }

    #[test]
    fn long_strings_are_cut_with_their_size() {
        let s = "x".repeat(5000);
        let e = excerpt(&s);
        assert!(e.ends_with("… (5000 bytes)"), "{e}");
        assert!(e.len() < 100);
    }
}
