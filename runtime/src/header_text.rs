//! Header names and values given as text (by the caller, or by generated code for an
//! operation's header parameters), checked before they are sent.

use http::{HeaderName, HeaderValue};

/// `name: value` as a header, or why it cannot be one.
pub(crate) fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header `{name}` is not valid header text"))?;
    Ok((name, value))
}

/// A header the caller gave (a client's or a call's), which may carry a credential: its
/// value is marked sensitive, kept out of HTTP/2's compression tables.
pub(crate) fn given_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, mut value) = header(name, value)?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// `text` as a header value without a copy (a clone of it then copies no bytes and counts
/// no references), when it is valid header text.
pub(crate) fn static_value(text: &'static str) -> Option<HeaderValue> {
    // What `HeaderValue::from_static` accepts; it panics on anything else.
    let valid = |byte: u8| byte == b'\t' || (b' '..=b'~').contains(&byte);
    text.bytes()
        .all(valid)
        .then(|| HeaderValue::from_static(text))
}

#[cfg(test)]
mod tests {
    use super::static_value;

    #[test]
    fn media_types_are_header_values_without_a_copy_unless_invalid() {
        let value = static_value("application/merge-patch+json; charset=utf-8");
        assert_eq!(
            value.as_ref().map(|value| value.as_bytes()),
            Some(&b"application/merge-patch+json; charset=utf-8"[..])
        );
        assert_eq!(static_value("text/plain\n"), None);
        assert_eq!(static_value("application/\u{e9}"), None);
    }
}
