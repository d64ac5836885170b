//! What a provider announces about its rate limit on each response: how many more requests
//! it takes in the current window, and when that window resets.
//!
//! Every family in use names its headers `<prefix>RateLimit-Remaining` (or
//! `<prefix>Rate-Limit-Remaining`) with siblings of the same prefix: `X-RateLimit-*`
//! (GitHub; `-Reset` is a Unix time), `RateLimit-*` (the IETF draft; `-Reset` is seconds
//! from now), `X-Rate-Limit-*` (Twitter), `X-HubSpot-RateLimit-*` (no reset; a window of
//! `-Interval-Milliseconds`, 10 s). HubSpot's `-Daily-Remaining` and `-Secondly-Remaining`
//! are other windows of the same prefix and are not read.

use std::time::Duration;

use http::{HeaderMap, HeaderName};

use crate::retry::Reset;

/// Added to a reset given as a time of day: it is a whole second on the provider's clock,
/// which may be behind the client's (GitHub's own client, octokit, waits a second more
/// too). A reset given as a delay needs no margin.
const CLOCK_MARGIN: Duration = Duration::from_secs(1);

/// One response's word on the provider's budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Announcement {
    /// Requests the provider still takes in the current window, after this one.
    pub(crate) remaining: u64,
    /// How long until the window resets (HubSpot: the window's length), when the provider
    /// says so; zero when the reset it names has passed.
    pub(crate) reset: Option<Duration>,
    /// The header that announced the budget, for traces.
    pub(crate) header: HeaderName,
}

/// The tightest budget `headers` announce, if they announce one.
pub(crate) fn announcement(headers: &HeaderMap) -> Option<Announcement> {
    // Names first, each once: a value is read only under a name that announces.
    headers
        .keys()
        .filter_map(|name| {
            // Header names are lowercase in a `HeaderMap`.
            let prefix = name.as_str().strip_suffix("remaining")?;
            let family = ["ratelimit-", "rate-limit-"]
                .iter()
                .any(|marker| prefix.ends_with(marker))
                .then_some(prefix)?;
            read_announcement(headers, name, family)
        })
        .min_by_key(|announcement| announcement.remaining)
}

/// The tightest budget announced by `name`, a `…-remaining` header of the family whose
/// names start with `family`, with its siblings. Out of line: the scan of every response
/// stays a few cache lines long.
#[inline(never)]
fn read_announcement(headers: &HeaderMap, name: &HeaderName, family: &str) -> Option<Announcement> {
    let remaining = headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
        .min()?;
    let sibling = |suffix: &str| {
        headers
            .get(format!("{family}{suffix}"))
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let reset = sibling("reset")
        .and_then(Reset::parse)
        .map(|reset| match reset {
            Reset::After(wait) => wait,
            Reset::At(_) => reset.wait() + CLOCK_MARGIN,
        });
    let reset = reset.or_else(|| {
        sibling("interval-milliseconds")
            .and_then(|millis| millis.parse::<u64>().ok())
            .map(Duration::from_millis)
    });
    Some(Announcement {
        remaining,
        reset,
        header: name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (HeaderName::from_static(name), value.parse().unwrap()))
            .collect()
    }

    fn read(pairs: &[(&'static str, &str)]) -> Option<(u64, Option<Duration>, String)> {
        announcement(&headers(pairs))
            .map(|found| (found.remaining, found.reset, found.header.to_string()))
    }

    #[test]
    fn the_ietf_draft_counts_seconds_from_now() {
        let found = read(&[
            ("ratelimit-limit", "200"),
            ("ratelimit-remaining", "17"),
            ("ratelimit-reset", "3"),
        ]);
        let expected = (
            17,
            Some(Duration::from_secs(3)),
            "ratelimit-remaining".into(),
        );
        assert_eq!(found, Some(expected));
    }

    #[test]
    fn github_resets_at_a_unix_time() {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let reset = (now.as_secs() + 60).to_string();
        let (remaining, wait, _) = read(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &reset),
        ])
        .unwrap();
        assert_eq!(remaining, 0);
        let wait = wait.unwrap();
        assert!(wait > Duration::from_secs(59) && wait <= Duration::from_secs(61));

        // A reset that has passed on the client's clock: only the margin is left.
        let past = (now.as_secs() - 5).to_string();
        let (_, wait, _) =
            read(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &past)]).unwrap();
        assert_eq!(wait, Some(CLOCK_MARGIN));
    }

    #[test]
    fn hubspot_announces_its_window_length() {
        let found = read(&[
            ("x-hubspot-ratelimit-max", "100"),
            ("x-hubspot-ratelimit-remaining", "4"),
            ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
            ("x-hubspot-ratelimit-daily-remaining", "0"),
            ("x-hubspot-ratelimit-secondly-remaining", "0"),
        ]);
        let expected = (
            4,
            Some(Duration::from_secs(10)),
            "x-hubspot-ratelimit-remaining".into(),
        );
        assert_eq!(found, Some(expected));
    }

    #[test]
    fn the_tightest_family_wins_and_junk_is_ignored() {
        let found = read(&[
            ("x-ratelimit-remaining", "40"),
            ("x-rate-limit-remaining", "2"),
        ]);
        assert_eq!(found, Some((2, None, "x-rate-limit-remaining".into())));
        // A header sent more than once: its tightest value that reads as a count.
        let repeated = read(&[
            ("ratelimit-remaining", "9"),
            ("ratelimit-remaining", "junk"),
            ("ratelimit-remaining", "3"),
        ]);
        assert_eq!(repeated, Some((3, None, "ratelimit-remaining".into())));
        assert_eq!(read(&[("x-ratelimit-remaining", "many")]), None);
        assert_eq!(read(&[("x-remaining", "3"), ("etag", "x")]), None);
        let (_, reset, _) =
            read(&[("ratelimit-remaining", "1"), ("ratelimit-reset", "soon")]).unwrap();
        assert_eq!(reset, None);
    }
}
