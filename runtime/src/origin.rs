//! Where credentials may go: origins compared, and credential query parameters taken out
//! of URLs that came from the provider (next-page links, redirect targets).

/// Whether two URLs have the same scheme, host and port.
pub(crate) fn same_origin(a: &str, b: &str) -> bool {
    match (reqwest::Url::parse(a), reqwest::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// `url` without the query parameters named in `names` (the API-key parameters).
pub(crate) fn without_params(url: &str, names: &[&str]) -> String {
    rewrite_query(url, |name, pair| {
        (!names.contains(&name.as_str())).then(|| pair.to_owned())
    })
}

/// `url` with the value of every query parameter replaced by `***`: a redirect target on
/// another origin may be a signed URL, whose query is a credential of its own.
pub(crate) fn masked_query(url: &str) -> String {
    rewrite_query(url, |_, pair| {
        let name = pair.split('=').next().unwrap_or(pair);
        Some(format!("{name}=***"))
    })
}

/// Rebuilds the query of `url` from `keep(decoded name, raw pair)` of each pair.
fn rewrite_query(url: &str, keep: impl Fn(String, &str) -> Option<String>) -> String {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let Some((base, query)) = rest.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let raw_name = pair.split('=').next().unwrap_or(pair).replace('+', " ");
            let name = percent_encoding::percent_decode_str(&raw_name)
                .decode_utf8_lossy()
                .into_owned();
            keep(name, pair)
        })
        .collect();
    let mut rebuilt = base.to_owned();
    if !kept.is_empty() {
        rebuilt.push('?');
        rebuilt.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        rebuilt.push('#');
        rebuilt.push_str(fragment);
    }
    rebuilt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert!(same_origin("https://a.com/x", "https://a.com:443/y"));
        assert!(!same_origin("https://a.com/x", "https://b.com/x"));
        assert!(!same_origin("http://a.com/x", "https://a.com/x"));
        assert!(!same_origin("http://a.com:1/x", "http://a.com:2/x"));
    }

    #[test]
    fn key_parameters_are_taken_out() {
        assert_eq!(
            without_params(
                "https://a.com/p?page=2&api_key=K&api%5Fkey=K#top",
                &["api_key"]
            ),
            "https://a.com/p?page=2#top"
        );
        assert_eq!(
            without_params("https://a.com/p?api_key=K", &["api_key"]),
            "https://a.com/p"
        );
        assert_eq!(
            without_params("https://a.com/p", &["api_key"]),
            "https://a.com/p"
        );
    }

    #[test]
    fn query_values_are_masked() {
        assert_eq!(
            masked_query("https://cdn.example/f?X-Sig=abc&flag"),
            "https://cdn.example/f?X-Sig=***&flag=***"
        );
    }
}
