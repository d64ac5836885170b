//! The generated text read into atoms, a stretch of whole top-level items at a time, into
//! one arena where the atoms of each group lie together: reading a group is taking a
//! slice, however often the layout reads it (once to try it on one line, again to break
//! it), and a punctuation run is split into operators and `#[...]` made an attribute once.
//! A stretch rather than the whole text keeps the atoms in cache while they are laid out
//! (a big spec's text is millions of tokens). The text is the emitter's, but nothing here
//! panics on other text: an unknown character is a word of its own, an unmatched closing
//! delimiter is skipped and an unclosed group ends with the text.

use std::ops::Range;

use proc_macro2::Delimiter;

use super::atoms::{doc_atom, split_operators, Atom, Group};
use super::operators::Operator;

/// The punctuation marks Rust has: the single marks among [`Operator::ALL`], but for the
/// quote, which is read with the lifetime's name or the character after it.
static MARKS: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    while index < Operator::ALL.len() {
        if let [mark] = Operator::ALL[index].text().as_bytes() {
            table[*mark as usize] = *mark != b'\'';
        }
        index += 1;
    }
    table
};

fn is_mark(byte: u8) -> bool {
    MARKS[usize::from(byte)]
}

/// The ASCII bytes that continue a word: letters, digits and `_`.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric() || byte == b'_' as usize;
        byte += 1;
    }
    table
};

fn is_word_char(char: char) -> bool {
    char == '_' || char.is_alphanumeric()
}

/// The atoms of one stretch: the arena, and where in it the top level's atoms are.
pub(super) struct Stretch<'s, 'a> {
    pub(super) arena: &'s [Atom<'a>],
    top: Range<usize>,
}

impl<'s, 'a> Stretch<'s, 'a> {
    /// The stretch's top-level atoms.
    pub(super) fn top(&self) -> &'s [Atom<'a>] {
        &self.arena[self.top.clone()]
    }
}

/// Reads a text's atoms a stretch of whole top-level items at a time.
pub(super) struct Lexer<'a> {
    text: &'a str,
    at: usize,
    /// The atoms of the groups closed in this stretch, then those of its top level.
    arena: Vec<Atom<'a>>,
    /// The top level, then each group still open, innermost last; the levels past `depth`
    /// are kept only for their vectors.
    levels: Vec<OpenLevel<'a>>,
    depth: usize,
    /// How many tokens (a name, a literal, a mark, a comment, an opening delimiter) the
    /// stretch has read.
    tokens: usize,
    /// How many bytes of the text no group's flat width counts: spaces, line breaks,
    /// comments and closing delimiters (see [`Group::width`]).
    uncounted: usize,
    /// How many top-level atoms had been read when a `}` last closed every open group.
    body_closed_at: Option<usize>,
}

/// A level being read: the top level or an open group.
struct OpenLevel<'a> {
    delimiter: Delimiter,
    atoms: Vec<Atom<'a>>,
    /// Where the group's opening delimiter is in the text.
    opened_at: usize,
    /// [`Lexer::uncounted`] when the group opened.
    uncounted_before: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lexer {
            text,
            at: 0,
            arena: Vec::new(),
            levels: vec![OpenLevel {
                delimiter: Delimiter::None,
                atoms: Vec::new(),
                opened_at: 0,
                uncounted_before: 0,
            }],
            depth: 1,
            tokens: 0,
            uncounted: 0,
            body_closed_at: None,
        }
    }

    /// The atoms of the next top-level items: as many whole items as make `at_least`
    /// tokens, or the rest of the text; `None` once the text is read.
    pub(super) fn next_items(&mut self, at_least: usize) -> Option<Stretch<'_, 'a>> {
        self.arena.clear();
        self.levels[0].atoms.clear();
        self.tokens = 0;
        self.uncounted = 0;
        self.body_closed_at = None;
        let bytes = self.text.as_bytes();
        // Room for a stretch and the item that ends it, or for the rest of the text (every
        // token takes two bytes at least, itself and the space after it): growing to a
        // stretch's size copied the atoms a dozen times.
        let expected = at_least.saturating_add(at_least / 4);
        self.arena
            .reserve(expected.min((bytes.len() - self.at) / 2 + 1));
        while let Some(&byte) = bytes.get(self.at) {
            // The space after each token, half of what is read, is passed first.
            if byte == b' ' {
                self.at += 1;
                self.uncounted += 1;
                continue;
            }
            if self.tokens >= at_least && self.ends_item() {
                break;
            }
            let start = self.at;
            match byte {
                b'\n' | b'\t' | b'\r' => {
                    self.at += 1;
                    self.uncounted += 1;
                }
                b'(' | b'[' | b'{' => {
                    let delimiter = match byte {
                        b'(' => Delimiter::Parenthesis,
                        b'[' => Delimiter::Bracket,
                        _ => Delimiter::Brace,
                    };
                    self.open(delimiter);
                    self.at += 1;
                }
                b')' | b']' | b'}' => {
                    self.close();
                    if byte == b'}' && self.depth == 1 {
                        self.body_closed_at = Some(self.levels[0].atoms.len());
                    }
                    self.at += 1;
                    self.uncounted += 1;
                }
                b'/' if bytes.get(start + 1) == Some(&b'/') => {
                    self.at = memchr::memchr(b'\n', &bytes[start..])
                        .map_or(self.text.len(), |end| start + end);
                    // `///` is a doc comment; `////` and other comments are dropped.
                    let comment = &self.text[start..self.at];
                    match comment.strip_prefix("///") {
                        Some(doc) if !doc.starts_with('/') => self.push(Atom::Doc {
                            text: doc,
                            escaped: false,
                        }),
                        _ => self.uncounted += comment.len(),
                    }
                }
                b'/' if bytes.get(start + 1) == Some(&b'*') => {
                    self.at = self.text[start + 2..]
                        .find("*/")
                        .map_or(self.text.len(), |end| start + 2 + end + 2);
                    self.uncounted += self.at - start;
                }
                b'"' => self.literal(start, Self::quoted(bytes, start + 1, b'"')),
                b'\'' => self.quote_mark(start),
                b'0'..=b'9' => self.number(start),
                _ if is_mark(byte) => self.marks(start),
                _ => self.word(start),
            }
        }
        if self.at >= self.text.len() {
            while self.depth > 1 {
                self.close();
            }
        }
        if self.tokens == 0 {
            return None;
        }
        let top_start = self.arena.len();
        self.arena.append(&mut self.levels[0].atoms);
        Some(Stretch {
            arena: &self.arena,
            top: top_start..self.arena.len(),
        })
    }

    /// Whether the atoms read so far end a top-level item: no group is open and the last
    /// atom is a `;` or a brace group that no `;` follows (an item's body; nothing else
    /// continues an item after its braces).
    fn ends_item(&self) -> bool {
        if self.depth > 1 {
            return false;
        }
        let top = &self.levels[0].atoms;
        match top.last() {
            Some(Atom::Op(Operator::Semicolon)) => true,
            Some(_) if self.body_closed_at == Some(top.len()) => {
                let next = self.text.as_bytes()[self.at..]
                    .iter()
                    .find(|byte| !byte.is_ascii_whitespace());
                next != Some(&b';')
            }
            _ => false,
        }
    }

    /// Adds a token's atom to the innermost open level.
    fn push(&mut self, atom: Atom<'a>) {
        self.tokens += 1;
        self.levels[self.depth - 1].atoms.push(atom);
    }

    fn open(&mut self, delimiter: Delimiter) {
        self.tokens += 1;
        if self.depth == self.levels.len() {
            self.levels.push(OpenLevel {
                delimiter,
                atoms: Vec::new(),
                opened_at: 0,
                uncounted_before: 0,
            });
        }
        let level = &mut self.levels[self.depth];
        level.delimiter = delimiter;
        level.opened_at = self.at;
        level.uncounted_before = self.uncounted;
        self.depth += 1;
    }

    /// Closes the innermost open group, if any: its atoms go to the arena, and the group
    /// (or, for `#[...]`, the attribute) to the level around it.
    fn close(&mut self) {
        if self.depth == 1 {
            return;
        }
        self.depth -= 1;
        let (outer, inner) = self.levels.split_at_mut(self.depth);
        let level = &mut inner[0];
        let start = self.arena.len();
        self.arena.append(&mut level.atoms);
        // The bytes between the delimiters, less those no flat layout writes.
        let inside = self.at.saturating_sub(level.opened_at + 1);
        let group = Group::new(
            level.delimiter,
            start..self.arena.len(),
            inside.saturating_sub(self.uncounted - level.uncounted_before),
        );
        let outer = &mut outer[self.depth - 1].atoms;
        let attribute = match outer.as_slice() {
            _ if group.delimiter() != Delimiter::Bracket => None,
            [.., Atom::Op(Operator::Pound), Atom::Op(Operator::Bang)] => Some(true),
            [.., Atom::Op(Operator::Pound)] => Some(false),
            _ => None,
        };
        let Some(inner) = attribute else {
            outer.push(Atom::Group(group));
            return;
        };
        outer.truncate(outer.len() - if inner { 2 } else { 1 });
        match doc_atom(&self.arena[start..]).filter(|_| !inner) {
            Some(doc) => outer.push(doc),
            None => outer.push(Atom::Attribute { inner, body: group }),
        }
    }

    /// A run of punctuation marks, split into Rust's operators. A `//` or `/*` ends it:
    /// that is a comment.
    fn marks(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let mut end = start + 1;
        while end < bytes.len()
            && is_mark(bytes[end])
            && !(bytes[end] == b'/' && matches!(bytes.get(end + 1), Some(b'/' | b'*')))
        {
            end += 1;
        }
        self.tokens += end - start;
        split_operators(
            &self.text[start..end],
            &mut self.levels[self.depth - 1].atoms,
        );
        self.at = end;
    }

    fn literal(&mut self, start: usize, end: usize) {
        self.push(Atom::Literal(&self.text[start..end]));
        self.at = end;
    }

    /// The end of a literal quoted by `quote` whose text starts at `from` (escapes skipped).
    fn quoted(bytes: &[u8], from: usize, quote: u8) -> usize {
        // Docs are most of the text, and long: the escapes and the end are searched for.
        let mut at = from;
        while let Some(found) = bytes
            .get(at..)
            .and_then(|rest| memchr::memchr2(b'\\', quote, rest))
        {
            at += found;
            if bytes[at] == quote {
                return at + 1;
            }
            at += 2;
        }
        bytes.len()
    }

    /// The end of a raw string whose `r` is at `r`.
    fn raw(bytes: &[u8], r: usize) -> usize {
        let hashes = bytes[r + 1..].iter().take_while(|&&b| b == b'#').count();
        let body = r + 1 + hashes + 1;
        let mut at = body;
        while at < bytes.len() {
            if bytes[at] == b'"'
                && bytes[at + 1..].iter().take_while(|&&b| b == b'#').count() >= hashes
            {
                return at + 1 + hashes;
            }
            at += 1;
        }
        bytes.len()
    }

    /// `'`: a character literal (`'a'`, `'\n'`) or a lifetime (`'a`).
    fn quote_mark(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let mut chars = self.text[start + 1..].chars();
        match (chars.next(), chars.next()) {
            (Some('\\'), _) => self.literal(start, Self::quoted(bytes, start + 1, b'\'')),
            (Some(first), Some('\'')) => self.literal(start, start + 1 + first.len_utf8() + 1),
            (Some(first), _) if is_word_char(first) => {
                let name_end = self.word_end(start + 1);
                self.push(Atom::Lifetime(&self.text[start + 1..name_end]));
                self.at = name_end;
            }
            _ => {
                self.push(Atom::Op(Operator::Quote));
                self.at += 1;
            }
        }
    }

    /// A number: digits, letters (a suffix, a hexadecimal digit) and underscores, a
    /// fraction when a digit follows the point, a signed exponent.
    fn number(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let mut end = self.word_end(start);
        if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end = self.word_end(end + 1);
        }
        let hexadecimal = self.text[start..].starts_with("0x");
        if !hexadecimal
            && matches!(bytes.get(end - 1), Some(b'e' | b'E'))
            && matches!(bytes.get(end), Some(b'+' | b'-'))
        {
            end = self.word_end(end + 1);
        }
        self.literal(start, end);
    }

    #[inline]
    fn word_end(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        // ASCII first, by a table; other characters are decoded.
        let rest = bytes.get(from..).unwrap_or_default();
        let Some(offset) = rest.iter().position(|&byte| !ASCII_WORD[usize::from(byte)]) else {
            return bytes.len();
        };
        let end = from + offset;
        if bytes[end].is_ascii() {
            return end;
        }
        self.text[end..]
            .char_indices()
            .find(|&(_, char)| !is_word_char(char))
            .map_or(self.text.len(), |(offset, _)| end + offset)
    }

    /// An identifier, a prefixed literal (`b"..."`, `r#"..."#`, `b'a'`), or a character
    /// Rust has no token for (kept as a word of its own).
    fn word(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let end = self.word_end(start);
        if end == start {
            let width = self.text[start..].chars().next().map_or(1, char::len_utf8);
            return self.literal(start, start + width);
        }
        let prefix = &self.text[start..end];
        // A prefixed literal's quote or hash follows its prefix at once; most names are
        // followed by a space, and are done without comparing them with the prefixes.
        if !matches!(bytes.get(end), Some(b'"' | b'#' | b'\'')) {
            self.push(Atom::Ident(prefix));
            self.at = end;
            return;
        }
        match (prefix, bytes.get(end)) {
            ("r" | "br" | "cr", Some(b'"' | b'#'))
                if bytes[end] == b'"'
                    || self.text[end..].trim_start_matches('#').starts_with('"') =>
            {
                self.literal(start, Self::raw(bytes, end - 1));
            }
            ("b" | "c", Some(b'"')) => self.literal(start, Self::quoted(bytes, end + 1, b'"')),
            ("b", Some(b'\'')) => self.literal(start, Self::quoted(bytes, end + 1, b'\'')),
            ("r", Some(b'#')) => {
                let name_end = self.word_end(end + 1);
                self.push(Atom::Ident(&self.text[start..name_end]));
                self.at = name_end;
            }
            _ => {
                self.push(Atom::Ident(prefix));
                self.at = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::atoms::write_doc;
    use super::*;

    /// The atoms of `text`, read all at once, a group's atoms after it.
    fn shown(text: &str) -> Vec<String> {
        let mut lexer = Lexer::new(text);
        let Some(stretch) = lexer.next_items(usize::MAX) else {
            return Vec::new();
        };
        let mut shown = Vec::new();
        show(stretch.arena, stretch.top(), &mut shown);
        shown
    }

    fn show(arena: &[Atom], atoms: &[Atom], shown: &mut Vec<String>) {
        for atom in atoms {
            match atom {
                Atom::Ident(text) => shown.push(format!("ident {text}")),
                Atom::Literal(text) => shown.push(format!("literal {text}")),
                Atom::Lifetime(name) => shown.push(format!("lifetime {name}")),
                Atom::Op(operator) => shown.push(format!("op {}", operator.text())),
                Atom::Doc { text, escaped } => {
                    let mut line = "doc ".to_owned();
                    write_doc(text, *escaped, &mut line);
                    shown.push(line);
                }
                Atom::Group(group) | Atom::Attribute { body: group, .. } => {
                    let kind = if matches!(atom, Atom::Group(_)) {
                        "open"
                    } else {
                        "attribute"
                    };
                    shown.push(format!("{kind} {:?} {}", group.delimiter(), group.width()));
                    show(arena, &arena[group.atoms()], shown);
                    shown.push("close".to_owned());
                }
            }
        }
    }

    #[test]
    fn a_stretch_ends_with_a_whole_item() {
        let text = "struct A; impl B { fn f() {} } /// doc\n const C: D = E {}; fn g() {}";
        let mut lexer = Lexer::new(text);
        let mut stretches = Vec::new();
        while let Some(stretch) = lexer.next_items(1) {
            stretches.push(stretch.top().len());
        }
        // `struct A ;`, `impl B {…}`, the doc and `const C : D = E {} ;`, `fn g () {}`.
        assert_eq!(stretches, [3, 3, 1 + 8, 4]);
        let mut lexer = Lexer::new(text);
        assert_eq!(
            lexer.next_items(4).map(|stretch| stretch.top().len()),
            Some(3 + 3)
        );
    }

    #[test]
    fn doc_comments_are_atoms_and_other_comments_are_dropped() {
        assert_eq!(
            shown("/// one\n//// rule\n// note\n///\nstruct S; /* block */ a =// c\n"),
            [
                "doc  one",
                "doc ",
                "ident struct",
                "ident S",
                "op ;",
                "ident a",
                "op ="
            ]
        );
    }

    #[test]
    fn literals_of_every_kind_are_one_atom() {
        assert_eq!(
            shown(
                r####""a \" b" r#"x "y" z"# b"q" br"w" b'\'' 'c' '\u{1f600}' 'é' 1.5e-3f64 0x1F 1..=2 3usize"####
            ),
            [
                r#"literal "a \" b""#,
                r###"literal r#"x "y" z"#"###,
                r#"literal b"q""#,
                r#"literal br"w""#,
                r"literal b'\''",
                "literal 'c'",
                r"literal '\u{1f600}'",
                "literal 'é'",
                "literal 1.5e-3f64",
                "literal 0x1F",
                "literal 1",
                "op ..=",
                "literal 2",
                "literal 3usize",
            ]
        );
    }

    #[test]
    fn groups_know_their_width_and_lifetimes_are_not_characters() {
        assert_eq!(
            shown("fn f<'a>(x: &'a r#type) { [1] }"),
            [
                "ident fn",
                "ident f",
                "op <",
                "lifetime a",
                "op >",
                "open Parenthesis 11",
                "ident x",
                "op :",
                "op &",
                "lifetime a",
                "ident r#type",
                "close",
                "open Brace 2",
                "open Bracket 1",
                "literal 1",
                "close",
                "close",
            ]
        );
    }

    #[test]
    fn joined_marks_split_into_rust_operators() {
        assert_eq!(
            shown("a ::b => c >>:: d ..= e"),
            [
                "ident a", "op ::", "ident b", "op =>", "ident c", "op >", "op >", "op ::",
                "ident d", "op ..=", "ident e"
            ]
        );
        assert_eq!(
            shown("&'static str<'a>"),
            [
                "op &",
                "lifetime static",
                "ident str",
                "op <",
                "lifetime a",
                "op >"
            ]
        );
    }

    #[test]
    fn attributes_are_one_atom_and_docs_become_comment_text_when_a_comment_can_hold_them() {
        assert_eq!(
            shown(
                r#"#[doc = " say \"hi\"\tnow"] #[doc = "/ not a doc"] #[doc = "two\nlines"] #![allow(x)] # [inline] x[0]"#
            ),
            [
                "doc  say \"hi\"\tnow",
                "attribute Bracket 17",
                "ident doc",
                "op =",
                r#"literal "/ not a doc""#,
                "close",
                "attribute Bracket 16",
                "ident doc",
                "op =",
                r#"literal "two\nlines""#,
                "close",
                "attribute Bracket 7",
                "ident allow",
                "open Parenthesis 1",
                "ident x",
                "close",
                "close",
                "attribute Bracket 6",
                "ident inline",
                "close",
                "ident x",
                "open Bracket 1",
                "literal 0",
                "close",
            ]
        );
    }

    /// The marks come from the operator list; they are Rust's punctuation: ASCII's,
    /// without delimiters, quotes, the backslash, the backtick and `_`.
    #[test]
    fn the_marks_are_the_single_operators_but_the_quote() {
        let marks: String = (0..=u8::MAX)
            .filter(|&byte| is_mark(byte))
            .map(char::from)
            .collect();
        assert_eq!(marks, "!#$%&*+,-./:;<=>?@^|~");
    }

    #[test]
    fn odd_text_neither_panics_nor_loses_the_rest() {
        assert_eq!(
            shown(") a ] « (b"),
            [
                "ident a",
                "literal «",
                "open Parenthesis 1",
                "ident b",
                "close"
            ]
        );
        assert_eq!(shown("\"open"), ["literal \"open"]);
        assert_eq!(shown("r#\"open"), ["literal r#\"open"]);
        assert_eq!(shown("x // note\n y /* z */"), ["ident x", "ident y"]);
        assert!(shown("  // nothing\n").is_empty());
    }
}
