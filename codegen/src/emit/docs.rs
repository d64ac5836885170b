//! Doc comments from spec text. Descriptions are Markdown written for a web page; rustdoc
//! would run their code blocks as doctests and warn about their bare links and HTML, so
//! they are made safe here.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` attributes for `docs`, followed by `extra` lines (method and path,
/// for example).
pub(crate) fn attributes(docs: &Docs, extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    let summary = docs
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    let description = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    if let Some(summary) = summary {
        paragraphs.push(sanitize(summary));
    }
    if let Some(description) = description {
        if summary != Some(description) {
            paragraphs.push(sanitize(description));
        }
    }
    for note in &docs.notes {
        paragraphs.push(format!("Note: {}", sanitize(note)));
    }
    paragraphs.extend(extra.iter().cloned());
    lines(&paragraphs.join("\n\n"))
}

/// Like [`attributes`], but with `fallback` as the text when the spec says nothing about
/// the item: every generated item has docs.
pub(crate) fn attributes_or(docs: &Docs, fallback: impl FnOnce() -> String) -> TokenStream {
    let said = |text: &Option<String>| text.as_deref().is_some_and(|text| !text.trim().is_empty());
    if said(&docs.summary) || said(&docs.description) || !docs.notes.is_empty() {
        attributes(docs, &[])
    } else {
        lines(&fallback())
    }
}

/// `#[doc = "..."]` attributes for text that is already safe.
pub(crate) fn lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Makes Markdown from a spec safe for rustdoc.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence becomes a `text` block so rustdoc never compiles it.
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            // Indented lines would be code blocks (and doctests): drop the indentation.
            out.push_str(&inline(trimmed));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// One line outside code blocks: HTML escaped, brackets that are not links escaped,
/// bare URLs wrapped in `<...>`; `code spans` are left as written.
fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut index = 0;
    let mut in_code = false;
    while index < chars.len() {
        let character = chars[index];
        if character == '`' {
            in_code = !in_code;
        }
        if in_code || character == '`' {
            out.push(character);
            index += 1;
            continue;
        }
        let starts_url = ["http://", "https://"].iter().any(|scheme| {
            chars[index..]
                .iter()
                .take(scheme.len())
                .copied()
                .eq(scheme.chars())
        });
        let inside_link = index >= 2 && chars[index - 1] == '(' && chars[index - 2] == ']';
        if starts_url && !inside_link {
            let end = chars[index..]
                .iter()
                .position(|c| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '`' | '<' | '>'))
                .map_or(chars.len(), |offset| index + offset);
            let mut url: String = chars[index..end].iter().collect();
            let trailing: String = url
                .chars()
                .rev()
                .take_while(|c| matches!(c, '.' | ',' | ';' | ':'))
                .collect();
            url.truncate(url.len() - trailing.len());
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.extend(trailing.chars().rev());
            index = end;
            continue;
        }
        match character {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' if !is_link(&chars, index) => out.push_str("\\["),
            ']' if chars.get(index + 1) != Some(&'(') => out.push_str("\\]"),
            other => out.push(other),
        }
        index += 1;
    }
    out
}

/// Whether the `[` at `open` starts a Markdown link `[text](url)`.
fn is_link(chars: &[char], open: usize) -> bool {
    let Some(close) = chars[open..]
        .iter()
        .position(|c| *c == ']')
        .map(|offset| open + offset)
    else {
        return false;
    };
    close + 1 < chars.len() && chars[close + 1] == '('
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_never_become_doctests() {
        let text = "Example:\n```json\n{\"a\": 1}\n```\n\n    indented code\nend";
        assert_eq!(
            sanitize(text),
            "Example:\n```text\n{\"a\": 1}\n```\n\nindented code\nend"
        );
    }

    #[test]
    fn links_html_and_brackets() {
        assert_eq!(sanitize("See https://x.io/a."), "See <https://x.io/a>.");
        assert_eq!(sanitize("[docs](https://x.io)"), "[docs](https://x.io)");
        assert_eq!(sanitize("an [array] of <b>"), "an \\[array\\] of &lt;b&gt;");
        assert_eq!(sanitize("`a[0]` [x]"), "`a[0]` \\[x\\]");
        assert_eq!(sanitize("`Vec<T>` <br>"), "`Vec<T>` &lt;br&gt;");
    }
}
