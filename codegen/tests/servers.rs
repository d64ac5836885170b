//! The client's default base URL says what to give `Client::new` when the spec's first
//! server cannot be called as written: a placeholder `variables` gives no value (Asana's
//! app components name just `{siteUrl}`), a relative URL, an empty one.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::{emit, pretty, EmitOptions};

/// The generated source of a document whose only server is `url`, and its notes.
fn generated(url: &str) -> (String, Vec<String>) {
    let api = lowered(
        json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": url}],
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "responses": {"200": {"description": "ok"}}
            }}}
        }),
        "spec.json",
    );
    let notes = api
        .notes
        .iter()
        .map(|note| format!("{}: {}", note.pointer, note.message))
        .collect();
    (pretty(&emit::emit(&api, &EmitOptions::default())), notes)
}

/// The doc line just above `DEFAULT_BASE_URL`.
fn base_url_doc(source: &str) -> &str {
    let at = source
        .find("pub const DEFAULT_BASE_URL")
        .expect("the client has a default base URL");
    let doc = source[..at].trim_end();
    doc[doc.rfind('\n').map_or(0, |newline| newline + 1)..].trim_start()
}

#[test]
fn a_placeholder_without_a_value_is_noted_and_the_doc_says_what_to_pass() {
    let (source, notes) = generated("{siteUrl}");
    assert_eq!(
        base_url_doc(&source),
        "/// The base URL the spec names first, `{siteUrl}`, has a placeholder the spec gives no value: give `new` the URL with it filled in."
    );
    assert!(
        notes.iter().any(|note| note.starts_with("/servers/0/url: ")
            && note.contains("`{siteUrl}` has a placeholder")),
        "{notes:?}"
    );
}

#[test]
fn a_relative_or_empty_url_asks_for_the_full_one_without_a_note() {
    let (source, notes) = generated("/api/v3");
    assert_eq!(
        base_url_doc(&source),
        "/// The base URL the spec names first, `/api/v3`, is relative to where the API is served: give `new` the full URL."
    );
    assert!(notes.is_empty(), "{notes:?}");
    let (source, _) = generated("");
    assert!(
        base_url_doc(&source)
            .contains("is empty, which means where the document itself is served from"),
        "{source}"
    );
}

#[test]
fn a_full_url_is_simply_named() {
    let (source, notes) = generated("https://api.example.com/v2");
    assert_eq!(
        base_url_doc(&source),
        "/// The base URL the spec names first: `https://api.example.com/v2`."
    );
    assert!(notes.is_empty(), "{notes:?}");
}
