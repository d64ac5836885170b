//! Messages counted by reason: what degraded in a spec, which warnings rustc gave.
//! Messages written from the same sentence with different specifics (a quoted name, a
//! number) count as one reason; the specifics that differ between them are shown as `…`,
//! the ones they share are kept.

use std::collections::HashMap;

/// A message split into its fixed text and its specifics: backtick-quoted text and
/// numbers.
#[derive(Debug, PartialEq, Eq)]
struct Sentence {
    /// The message with every specific replaced by a `\0` marker.
    template: String,
    /// The specifics in order, without quotes.
    specifics: Vec<String>,
}

fn sentence(message: &str) -> Sentence {
    let mut template = String::with_capacity(message.len());
    let mut specifics = Vec::new();
    let mut rest = message;
    while let Some(character) = rest.chars().next() {
        if character == '`' {
            if let Some(end) = rest[1..].find('`') {
                specifics.push(rest[1..=end].to_owned());
                template.push_str("`\0`");
                rest = &rest[end + 2..];
                continue;
            }
        }
        if character.is_ascii_digit() {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            specifics.push(rest[..end].to_owned());
            template.push('\0');
            rest = &rest[end..];
            continue;
        }
        template.push(character);
        rest = &rest[character.len_utf8()..];
    }
    Sentence {
        template,
        specifics,
    }
}

/// The reasons of `messages` with how often each occurs, most frequent first.
pub fn by_reason<'m>(messages: impl IntoIterator<Item = &'m str>) -> Vec<(String, usize)> {
    // Per template: how often, and each specific if it is the same in every note.
    let mut groups: HashMap<String, (usize, Vec<Option<String>>)> = HashMap::new();
    for message in messages {
        let Sentence {
            template,
            specifics,
        } = sentence(message);
        let (count, shared) = groups
            .entry(template)
            .or_insert_with(|| (0, specifics.iter().cloned().map(Some).collect()));
        *count += 1;
        for (kept, specific) in shared.iter_mut().zip(&specifics) {
            if kept.as_deref() != Some(specific.as_str()) {
                *kept = None;
            }
        }
    }
    let mut reasons: Vec<(String, usize)> = groups
        .into_iter()
        .map(|(template, (count, shared))| {
            let mut reason = String::with_capacity(template.len());
            let mut specifics = shared.into_iter();
            for piece in template.split_inclusive('\0') {
                match piece.strip_suffix('\0') {
                    Some(text) => {
                        reason.push_str(text);
                        let specific = specifics.next().flatten();
                        reason.push_str(specific.as_deref().unwrap_or("…"));
                    }
                    None => reason.push_str(piece),
                }
            }
            (reason, count)
        })
        .collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifics_that_differ_become_an_ellipsis() {
        let reasons = by_reason([
            "path placeholder `{app_id}` has no parameter; it is left in the path as written",
            "operation could not be read (missing field `responses`); kept as it is",
            "path placeholder `{uuid}` has no parameter; it is left in the path as written",
            "operation could not be read (missing field `responses`); kept as it is",
            "path placeholder `{app_id}` has no parameter; it is left in the path as written",
        ]);
        assert_eq!(
            reasons,
            vec![
                (
                    "path placeholder `…` has no parameter; it is left in the path as written"
                        .to_owned(),
                    3
                ),
                (
                    "operation could not be read (missing field `responses`); kept as it is"
                        .to_owned(),
                    2
                ),
            ]
        );
    }

    #[test]
    fn numbers_are_specifics_too() {
        let reasons = by_reason([
            "ignored: does not fit OpenAPI 3.0 at line 3 column 14",
            "ignored: does not fit OpenAPI 3.0 at line 9 column 14",
        ]);
        assert_eq!(
            reasons,
            vec![(
                "ignored: does not fit OpenAPI 3.0 at line … column 14".to_owned(),
                2
            )]
        );
    }

    #[test]
    fn an_unclosed_quote_is_text() {
        assert_eq!(
            sentence("a ` alone 12"),
            Sentence {
                template: "a ` alone \0".to_owned(),
                specifics: vec!["12".to_owned()],
            }
        );
    }
}
