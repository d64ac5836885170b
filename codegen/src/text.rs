//! Short texts (paths, media types, references) split at an ASCII byte. A byte search
//! costs less to set up on a short text than `str::split_once` with a `char`, whose
//! searcher was a percent of lowering: every path and media type of a spec is split.

/// `text` before and after the first `byte`, as `text.split_once(char::from(byte))`.
/// `byte` is ASCII, so both sides are whole characters.
pub(crate) fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = memchr::memchr(byte, text.as_bytes())?;
    Some((&text[..at], &text[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_split_once_does() {
        for (text, byte) in [
            ("a#b#c", b'#'),
            ("#b", b'#'),
            ("a#", b'#'),
            ("é;x", b';'),
            ("ab", b'#'),
            ("", b'?'),
        ] {
            assert_eq!(
                split_once_byte(text, byte),
                text.split_once(char::from(byte)),
                "{text}"
            );
        }
    }
}
