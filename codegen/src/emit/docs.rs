//! Doc comments from spec text. Descriptions are Markdown written for a web page; rustdoc
//! would run their code blocks as doctests and warn about their bare links and HTML, so
//! they are made safe here.

use std::cell::RefCell;
use std::hash::BuildHasher as _;

use rustc_hash::FxBuildHasher;

use super::code::{is_comment_byte, is_comment_text, Code, SharedCode, ToCode};
use super::Emitter;
use crate::ir::{Docs, SmolStr};

/// Doc attributes already made. Big specs repeat the same descriptions on hundreds of
/// parameters and fields (Kubernetes' `pretty`, `dryRun`, `limit`, ...), and making Markdown
/// safe and writing each line as a comment or string literal is most of the cost of docs:
/// a repeat is looked up by the spec's text before any of that work, and shared rather
/// than copied (the emitter writes it into its item's code). The texts are long, so they
/// are hashed with rustc-hash's fast hash.
#[derive(Default)]
pub(crate) struct Cache {
    /// By the spec's text they are made from ([`write_source_key`]).
    by_source: Keyed,
    /// By the safe text they write.
    by_text: Keyed,
    /// Where new attributes' text is made safe ([`Scratch`]).
    scratch: RefCell<Scratch>,
}

/// Doc attributes by a key text, each kept with the key's hash and the key before its
/// code in its one allocation ([`SharedCode::with_key`]): a repeat costs no allocation.
#[derive(Default)]
struct Keyed(RefCell<hashbrown::HashTable<(u64, SharedCode)>>);

impl Keyed {
    /// The attributes kept under `key`, or else those `make` writes into
    /// `scratch.lines`, kept under it.
    fn get_or_make(
        &self,
        key: &str,
        scratch: &mut Scratch,
        make: impl FnOnce(&mut Scratch),
    ) -> SharedCode {
        let hash = FxBuildHasher.hash_one(key);
        let found = self
            .0
            .borrow()
            .find(hash, |(known, made)| *known == hash && made.key() == key)
            .map(|(_, made)| made.clone());
        if let Some(made) = found {
            return made;
        }
        make(scratch);
        let made = SharedCode::with_key(key, &scratch.lines, &mut scratch.joined);
        self.0
            .borrow_mut()
            .insert_unique(hash, (hash, made.clone()), |(known, _)| *known);
        made
    }
}

/// Buffers that making doc attributes reuses, rather than allocating strings for each
/// paragraph and for their join (most of the docs' allocations, and docs were more than a
/// third of emission's).
#[derive(Default)]
struct Scratch {
    /// One paragraph made safe.
    paragraph: String,
    /// The paragraphs, joined.
    text: String,
    /// Their lines, before they are shared.
    lines: Code,
    /// A source key ([`write_source_key`]).
    key: String,
    /// A key and its lines, joined to be shared ([`SharedCode::with_key`]).
    joined: String,
    /// The text said in place of docs a spec leaves out ([`Emitter::doc_attributes_or`]).
    fallback: String,
}

impl Emitter<'_> {
    /// `#[doc = "..."]` attributes for `docs`, followed by `extra` lines (method and path,
    /// for example).
    pub(crate) fn doc_attributes(&self, docs: &Docs, extra: &[String]) -> SharedCode {
        let scratch = &mut *self.docs.scratch.borrow_mut();
        // The key is written where the attributes would be made: taken out while they are.
        let mut key = std::mem::take(&mut scratch.key);
        write_source_key(docs, extra, &mut key);
        let made = self.docs.by_source.get_or_make(&key, scratch, |scratch| {
            make_doc_attributes(docs, extra, scratch);
        });
        scratch.key = key;
        made
    }

    /// [`Emitter::doc_attributes`] written at the end of `code` and not kept: for docs that
    /// no other item repeats (a client method's, which name its method and path), which
    /// the cache would only copy and hold.
    pub(crate) fn write_unique_doc_attributes(
        &self,
        docs: &Docs,
        extra: &[String],
        code: &mut Code,
    ) {
        let mut scratch = self.docs.scratch.borrow_mut();
        make_doc_attributes(docs, extra, &mut scratch);
        scratch.lines.write_to(code);
    }

    /// Like [`Emitter::doc_attributes`], but with `fallback` as the text when the spec says
    /// nothing about the item: every generated item has docs.
    pub(crate) fn doc_attributes_or(
        &self,
        docs: &Docs,
        fallback: impl FnOnce(&mut String),
    ) -> SharedCode {
        let said =
            |text: &Option<SmolStr>| text.as_deref().is_some_and(|text| !text.trim().is_empty());
        if said(&docs.summary) || said(&docs.description) || !docs.notes.is_empty() {
            let made = self.doc_attributes(docs, &[]);
            // Text that is only markup (AWS's `<p/>`) says nothing once made safe.
            if !made.as_str().is_empty() {
                return made;
            }
        }
        // Written into a buffer kept between calls: most fields of most specs have no
        // docs of their own, and the text is only a key once its lines are made.
        let mut text = std::mem::take(&mut self.docs.scratch.borrow_mut().fallback);
        text.clear();
        fallback(&mut text);
        let lines = self.doc_lines(&text);
        self.docs.scratch.borrow_mut().fallback = text;
        lines
    }

    /// `#[doc = "..."]` attributes for text that is already safe.
    pub(crate) fn doc_lines(&self, text: &str) -> SharedCode {
        let scratch = &mut *self.docs.scratch.borrow_mut();
        self.docs.by_text.get_or_make(text, scratch, |scratch| {
            lines_into(text, &mut scratch.lines)
        })
    }
}

/// The attributes of [`Emitter::doc_attributes`], made in `scratch.lines`: the
/// paragraphs, one blank line between them, written as lines.
fn make_doc_attributes(docs: &Docs, extra: &[String], scratch: &mut Scratch) {
    let Scratch {
        paragraph,
        text,
        lines,
        ..
    } = scratch;
    text.clear();
    let mut paragraphs = 0;
    let mut add = |written: &str, text: &mut String| {
        if paragraphs > 0 {
            text.push_str("\n\n");
        }
        paragraphs += 1;
        text.push_str(written);
    };
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
        sanitize_into(summary, paragraph);
        add(paragraph, text);
    }
    if let Some(description) = description {
        if summary != Some(description) {
            sanitize_into(description, paragraph);
            add(paragraph, text);
        }
    }
    for note in &docs.notes {
        sanitize_into(note, paragraph);
        add("Note: ", text);
        text.push_str(paragraph);
    }
    for line in extra {
        add(line, text);
    }
    lines_into(text, lines);
}

/// The spec's text that [`Emitter::doc_attributes`] makes `docs` and `extra` into, as one
/// key, written into `key`: the number of notes and `;`, then each part after its length
/// and `:`, so that no two different sets of parts give the same key whatever characters
/// they hold.
fn write_source_key(docs: &Docs, extra: &[String], key: &mut String) {
    key.clear();
    let mut digits = itoa::Buffer::new();
    key.push_str(digits.format(docs.notes.len()));
    key.push(';');
    for part in source_parts(docs, extra) {
        key.push_str(digits.format(part.len()));
        key.push(':');
        key.push_str(part);
    }
}

/// The texts docs are made from: summary, description, notes and extra lines.
fn source_parts<'d>(docs: &'d Docs, extra: &'d [String]) -> impl Iterator<Item = &'d str> {
    [docs.summary.as_deref(), docs.description.as_deref()]
        .into_iter()
        .map(|part| part.unwrap_or(""))
        .chain(docs.notes.iter().map(String::as_str))
        .chain(extra.iter().map(String::as_str))
}

/// Writes `text` as doc lines into `tokens`, which it empties first.
fn lines_into(text: &str, mut tokens: &mut Code) {
    tokens.clear();
    // Each line is `///` and a space more than its text, or an attribute a little longer.
    tokens.reserve(text.len() + text.len() / 8 + 8);
    // Most text is printable ASCII throughout, which every line can be written as a comment:
    // checked once for the whole text, in a loop without an early exit that the compiler
    // vectorizes, rather than a byte at a time for each line.
    let all_comment_text = text.bytes().fold(true, |plain, byte| {
        plain & (is_comment_byte(byte) | (byte == b'\n') | (byte == b'\r'))
    });
    for line in text_lines(text) {
        if all_comment_text || is_comment_text(line) {
            tokens.doc_comment(line);
        } else {
            // rustdoc strips one leading space, as it does from a comment.
            let written = [" ", line].concat();
            code_into!(tokens; #[doc = #written]);
        }
    }
}

/// The lines of `text`, ended by `\n`, `\r\n` or a lone `\r` (old Mac line ends, which
/// `str::lines` keeps inside a line; rustc refuses a bare `\r` in a `///` comment): the
/// lines of `str::lines` split again at each `\r`, found in one byte search rather than a
/// search per line (which was 1 % of generation).
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|text| !text.is_empty());
    std::iter::from_fn(move || {
        let current = rest?;
        let bytes = current.as_bytes();
        let Some(end) = memchr::memchr2(b'\n', b'\r', bytes) else {
            rest = None;
            return Some(current);
        };
        let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
        let after = &current[end + if crlf { 2 } else { 1 }..];
        // A last `\n` (or `\r\n`) ends the last line; a lone `\r` starts another.
        let ends_text = after.is_empty() && (crlf || bytes[end] == b'\n');
        rest = (!ends_text).then_some(after);
        Some(&current[..end])
    })
}

/// Makes Markdown from a spec safe for rustdoc.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    sanitize_into(text, &mut out);
    out
}

/// [`sanitize`] into `out`, which it empties first; returns what it wrote.
pub(crate) fn sanitize_into<'o>(text: &str, out: &'o mut String) -> &'o str {
    out.clear();
    out.reserve(text.len() + 16);
    let mut in_fence = false;
    for line in text_lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence becomes a `text` block so rustdoc never compiles it.
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            // Indented lines would be code blocks (and doctests): drop the indentation.
            inline(trimmed, out);
            // One blank line between paragraphs is all Markdown reads, and none before the
            // first; a tag that ends a block (`</p>`) has written it already.
            if out.is_empty() || out.ends_with("\n\n") {
                continue;
            }
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// Appends one line outside code blocks to `out`: the common HTML tags of spec text
/// (Stripe's `<p>`, AWS's `<code>` and `<a href>`) as their Markdown, other HTML escaped,
/// brackets that are not links escaped, bare URLs wrapped in `<...>`; `code spans` are
/// left as written.
///
/// Works on byte offsets: every character it looks at is ASCII, so a match on a byte is
/// always a whole character, and the text between matches is copied as one slice.
fn inline(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let mut index = 0;
    let mut in_code = false;
    // Inside `<code>`, whose end is a tag, not a backtick.
    let mut in_html_code = false;
    // Inside an `<a>` written as its text: the target of its `href`, if it is a link.
    let mut anchor: Option<Option<String>> = None;
    // Where the next `http` is, which may start a bare URL: searched for once, and again
    // only once passed (stopping at every `h` of the text was most of this function's time).
    let mut next_http = find_http(bytes, 0);
    while index < bytes.len() {
        if next_http.is_some_and(|at| at < index) {
            next_http = find_http(bytes, index);
        }
        let special = |byte: &u8| {
            if in_html_code {
                matches!(byte, b'`' | b'<')
            } else if in_code {
                *byte == b'`'
            } else {
                matches!(byte, b'`' | b'<' | b'>' | b'[' | b']')
            }
        };
        let url_start = next_http.filter(|_| !in_code && !in_html_code);
        let searched = &bytes[index..url_start.unwrap_or(bytes.len())];
        let Some(at) = searched
            .iter()
            .position(special)
            .map(|offset| index + offset)
            .or(url_start)
        else {
            out.push_str(&line[index..]);
            return;
        };
        out.push_str(&line[index..at]);
        index = at;
        let rest = &line[index..];
        let inside_link = index >= 2 && &bytes[index - 2..index] == b"](";
        if bytes[index] == b'<' {
            if let Some(tag) = html_tag(rest) {
                let written = match (tag.name.as_str(), tag.closing) {
                    ("code" | "tt", false) if !in_code && !in_html_code && tag.closed_in(rest) => {
                        in_html_code = true;
                        Some("`")
                    }
                    ("code" | "tt", true) if in_html_code => {
                        in_html_code = false;
                        Some("`")
                    }
                    _ if in_html_code => None,
                    ("p" | "ul" | "ol" | "br" | "div", _) => Some("\n\n"),
                    ("li", false) if out.ends_with('\n') => Some("- "),
                    ("li", false) => Some("\n- "),
                    ("li", true) => Some(""),
                    ("i" | "em", _) if tag.closing || tag.closed_in(rest) => Some("*"),
                    ("b" | "strong", _) if tag.closing || tag.closed_in(rest) => Some("**"),
                    ("a", false) if anchor.is_none() && tag.closed_in(rest) => {
                        let link = tag
                            .href
                            .filter(|href| href.starts_with("http"))
                            .map(|href| href.replace(' ', "%20").replace(')', "%29"));
                        let open = if link.is_some() { "[" } else { "" };
                        anchor = Some(link);
                        Some(open)
                    }
                    ("a", true) if anchor.is_some() => {
                        if let Some(Some(href)) = anchor.take() {
                            out.push_str("](");
                            out.push_str(&href);
                            out.push(')');
                        }
                        Some("")
                    }
                    _ => None,
                };
                if let Some(written) = written {
                    if written == "\n\n" {
                        // One blank line between blocks, none before the first.
                        let breaks = out.len() - out.trim_end_matches('\n').len();
                        if !out.is_empty() && breaks < 2 {
                            out.push_str(&"\n\n"[breaks..]);
                        }
                    } else {
                        out.push_str(written);
                    }
                    index += tag.length;
                    // A line the tag starts must not start with spaces: four would make
                    // it a code block.
                    if written.ends_with('\n') {
                        index += line[index..].len() - line[index..].trim_start().len();
                    }
                    continue;
                }
            }
            if in_html_code {
                out.push('<');
                index += 1;
                continue;
            }
        }
        match bytes[index] {
            b'`' if in_html_code => out.push('\''),
            b'`' => {
                in_code = !in_code;
                out.push('`');
            }
            b'h' if !inside_link
                && (rest.starts_with("http://") || rest.starts_with("https://")) =>
            {
                let end = rest
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '`' | '<' | '>')
                    })
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&rest[url.len()..end]);
                index += end;
                continue;
            }
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'[' if !is_link(rest) => out.push_str("\\["),
            b']' if bytes.get(index + 1) != Some(&b'(') => out.push_str("\\]"),
            other => out.push(char::from(other)),
        }
        index += 1;
    }
}

/// Where `http` next appears in `bytes`, from `from` on.
fn find_http(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'h', &bytes[at..]) {
        let h = at + offset;
        if bytes[h..].starts_with(b"http") {
            return Some(h);
        }
        at = h + 1;
    }
    None
}

/// The doc line of an enum variant: the value it stands for, as code (a backtick in it
/// would end the span early, so it is shown as `'`).
pub(crate) fn enum_value_doc(value: &str) -> String {
    if value.is_empty() {
        // An empty code span shows as two backticks.
        " The empty string.".to_owned()
    } else {
        // Joined, not formatted: every value of every enum has one.
        let mut doc = String::with_capacity(value.len() + 3);
        doc.push_str(" `");
        doc.extend(
            value
                .chars()
                .map(|char| if char == '`' { '\'' } else { char }),
        );
        doc.push('`');
        doc
    }
}

/// An HTML tag that starts a text: `<p>`, `</a>`, `<br/>`, `<a href="...">`.
struct HtmlTag<'t> {
    /// Its length in bytes.
    length: usize,
    /// `</...>`.
    closing: bool,
    /// Its name, lowercase.
    name: String,
    /// The value of its `href` attribute.
    href: Option<&'t str>,
}

impl HtmlTag<'_> {
    /// Whether the element this opening tag starts ends in `rest` (which starts with the
    /// tag): an inline element written only half is text, not markup.
    fn closed_in(&self, rest: &str) -> bool {
        rest[self.length..].match_indices("</").any(|(at, _)| {
            let name = rest
                .as_bytes()
                .get(self.length + at + 2..self.length + at + 2 + self.name.len());
            name.is_some_and(|name| name.eq_ignore_ascii_case(self.name.as_bytes()))
        })
    }
}

/// The HTML tag `text` starts with, if it is one: `<`, an optional `/`, a name of letters
/// and digits starting with a letter, attributes, and `>` on the same line.
fn html_tag(text: &str) -> Option<HtmlTag<'_>> {
    let after = text.strip_prefix('<')?;
    let (closing, after) = match after.strip_prefix('/') {
        Some(after) => (true, after),
        None => (false, after),
    };
    let name_length = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len());
    let name = &after[..name_length];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let attributes = &after[name_length..];
    if !attributes.is_empty() && !attributes.starts_with([' ', '>', '/']) {
        return None;
    }
    let end = attributes.find('>')?;
    let attributes = &attributes[..end];
    if attributes.contains('<') {
        return None;
    }
    let href = attributes
        .split_once("href=\"")
        .and_then(|(_, value)| value.split_once('"'))
        .map(|(href, _)| href);
    Some(HtmlTag {
        length: 1 + usize::from(closing) + name_length + end + 1,
        closing,
        name: name.to_ascii_lowercase(),
        href,
    })
}

/// Whether `text`, which starts with `[`, starts a Markdown link `[text](url)`.
fn is_link(text: &str) -> bool {
    text.find(']')
        .is_some_and(|close| text.as_bytes().get(close + 1) == Some(&b'('))
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_lines_are_the_lines_of_str_lines_split_at_each_carriage_return() {
        let texts = [
            "",
            "a",
            "a\n",
            "\n",
            "a\r",
            "\r",
            "a\r\n",
            "a\n\nb",
            "a\r\rb",
            "a\r\r\n",
            "\r\n\r",
            "one\r\ntwo\rthree\nfour",
            "trailing\n\n",
            "é\rü\n",
        ];
        for text in texts {
            let expected: Vec<&str> = text.lines().flat_map(|line| line.split('\r')).collect();
            assert_eq!(text_lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    use super::*;

    #[test]
    fn source_keys_tell_parts_apart() {
        let docs = |summary: &str, description: &str, notes: &[&str]| Docs {
            summary: Some(summary.into()),
            description: Some(description.into()),
            notes: notes.iter().map(|note| note.to_string()).collect(),
        };
        let extra = ["GET /a".to_owned()];
        let written = docs("ab", "c", &["n"]);
        let key = source_key(&written, &extra);
        assert_eq!(key, source_key(&docs("ab", "c", &["n"]), &extra));
        // The same characters in other parts, or a part more or less, are another key.
        for other in [
            docs("a", "bc", &["n"]),
            docs("ab", "cn", &[]),
            docs("ab", "c", &["n", ""]),
        ] {
            assert_ne!(key, source_key(&other, &extra), "{other:?}");
        }
        assert_ne!(key, source_key(&written, &[]));
    }

    /// The source key of `docs` and `extra`, as a string of its own.
    fn source_key(docs: &Docs, extra: &[String]) -> String {
        let mut key = String::new();
        write_source_key(docs, extra, &mut key);
        key
    }

    #[test]
    fn shared_code_keeps_its_key_before_its_text() {
        let mut code = Code::new();
        code.doc_comment("text");
        let shared = SharedCode::with_key("3;key", &code, &mut String::new());
        assert_eq!(shared.key(), "3;key");
        assert_eq!(shared.as_str(), code.as_str());
        assert_eq!(SharedCode::new(&code).key(), "");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        assert_eq!(sanitize("first\rsecond\r\nthird"), "first\nsecond\nthird");
        let mut lines = Code::new();
        lines_into("a\rb", &mut lines);
        assert!(!lines.to_string().contains("\\r"));
    }

    #[test]
    fn doc_sources_with_different_parts_have_different_keys() {
        let docs = |summary: Option<&str>, notes: &[&str]| Docs {
            summary: summary.map(SmolStr::new),
            notes: notes.iter().map(|note| (*note).to_owned()).collect(),
            ..Docs::default()
        };
        let extra = |lines: &[&str]| -> Vec<String> {
            lines.iter().map(|line| (*line).to_owned()).collect()
        };
        let keys = [
            source_key(&docs(Some("a"), &["b"]), &[]),
            source_key(&docs(Some("a"), &[]), &extra(&["b"])),
            source_key(&docs(Some("a1:b"), &[]), &[]),
            source_key(&docs(Some("a"), &["b", "c"]), &[]),
            source_key(&docs(Some("a"), &["b"]), &extra(&["c"])),
        ];
        for (index, key) in keys.iter().enumerate() {
            assert!(!keys[index + 1..].contains(key), "{key:?}");
        }
        assert_eq!(
            source_key(&docs(Some("a"), &["b"]), &[]),
            source_key(&docs(Some("a"), &["b"]), &[])
        );
    }

    #[test]
    fn enum_values_are_shown_as_code_and_the_empty_one_in_words() {
        assert_eq!(enum_value_doc("asc"), " `asc`");
        assert_eq!(enum_value_doc("a`b"), " `a'b`");
        assert_eq!(enum_value_doc(""), " The empty string.");
    }

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
        assert_eq!(sanitize("`Vec<T>` <br>"), "`Vec<T>`");
    }

    #[test]
    fn common_html_tags_are_written_as_markdown() {
        assert_eq!(
            sanitize("<p>Retrieves an account.</p>"),
            "Retrieves an account."
        );
        assert_eq!(
            sanitize("<p>Cancels a <code>Key</code>; see <a href=\"https://aws.example/keys\">Deleting keys</a> and <a>EnableKey</a>.</p>     <p>Then <i>wait</i>, <b>really</b>.</p>"),
            "Cancels a `Key`; see [Deleting keys](https://aws.example/keys) and EnableKey.\n\nThen *wait*, **really**."
        );
        assert_eq!(
            sanitize("Steps:<ul><li>one</li><li>two <code>a<b</code></li></ul>"),
            "Steps:\n\n- one\n- two `a<b`"
        );
        assert_eq!(sanitize("<p>\nOne.\n</p>\n\n\n<p>Two.</p>"), "One.\n\nTwo.");
        // Tags not in the list, and inline tags written only half, are text.
        assert_eq!(
            sanitize("Basic <api_key>, a <b> alone, <<LB>>, <a href=\"/rel\">here</a>"),
            "Basic &lt;api_key&gt;, a &lt;b&gt; alone, &lt;&lt;LB&gt;&gt;, here"
        );
        assert_eq!(
            sanitize("see <a\nhref=\"https://x.io\">the token</a>"),
            "see &lt;a\nhref=\"<https://x.io>\"&gt;the token&lt;/a&gt;"
        );
    }
}
