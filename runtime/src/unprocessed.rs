//! Whether HTTP/2 turned a request away before the provider acted on it. Such a request
//! may be sent again whatever its method, key or no key, as may one whose connection never
//! opened.

use std::error::Error as _;

/// Whether HTTP/2 turned the request away unprocessed (RFC 9113 §8.7): the provider
/// refused its stream (`REFUSED_STREAM`), or closed the connection gracefully (`GOAWAY`
/// with `NO_ERROR`) before taking it. tether's own client leaves these to tether's
/// attempts rather than to reqwest's retry layer, which copies every request in case.
pub(crate) fn refused_by_http2(error: &reqwest::Error) -> bool {
    let mut cause = error.source();
    while let Some(current) = cause {
        if let Some(error) = current.downcast_ref::<h2::Error>() {
            let reason = error.reason();
            return error.is_remote()
                && ((error.is_reset() && reason == Some(h2::Reason::REFUSED_STREAM))
                    || (error.is_go_away() && reason == Some(h2::Reason::NO_ERROR)));
        }
        cause = current.source();
    }
    false
}
