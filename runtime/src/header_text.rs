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
