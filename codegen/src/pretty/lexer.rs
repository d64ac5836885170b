//! The generated text split into tokens, a stretch of whole top-level items at a time and
//! into one vector: a group is its opening token followed by the tokens inside it, so that
//! reading a group is taking a slice. A stretch rather than the whole text keeps the
//! tokens in cache while they are laid out (a big spec's text is millions of tokens, and
//! one vector of them all was most of the layout's memory and page faults). The text is
//! the emitter's, but nothing here panics on other text: an unknown character is a word of
//! its own, an unmatched closing delimiter is skipped and an unclosed group ends with the
//! text.

use proc_macro2::Delimiter;

/// One token of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// An identifier or keyword, `r#` included when it is raw.
    Ident(&'a str),
    /// A literal, as written.
    Literal(&'a str),
    /// A lifetime's name, without its quote.
    Lifetime(&'a str),
    /// One punctuation mark; `joint` when the next character is a mark too.
    Punct { mark: char, joint: bool },
    /// The start of a group: the `inside` tokens after this one are its contents.
    Open { delimiter: Delimiter, inside: usize },
    /// A `///` comment's text, after the slashes.
    Doc(&'a str),
}

/// A delimited group: its delimiter and the tokens inside it.
#[derive(Clone, Copy)]
pub(super) struct Group<'a> {
    delimiter: Delimiter,
    tokens: &'a [Token<'a>],
}

impl<'a> Group<'a> {
    pub(super) fn delimiter(&self) -> Delimiter {
        self.delimiter
    }

    pub(super) fn tokens(&self) -> &'a [Token<'a>] {
        self.tokens
    }
}

/// The group opened at `tokens[at]`, and the index after it; `None` when no group opens
/// there.
pub(super) fn group_at<'a>(tokens: &'a [Token<'a>], at: usize) -> Option<(Group<'a>, usize)> {
    let Token::Open { delimiter, inside } = tokens[at] else {
        return None;
    };
    let end = at + 1 + inside;
    Some((
        Group {
            delimiter,
            tokens: &tokens[at + 1..end],
        },
        end,
    ))
}

/// The operators a run of joined punctuation can hold, longest first so that a greedy
/// split finds `..=` before `..`; every single mark comes last, so the split always moves on.
/// `>>` is not one: in generated code it closes two generics, which the layout may break
/// apart (a shift reads back the same from two `>`).
pub(super) const OPERATORS: &[&str] = &[
    "..=", "...", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "..", "+=",
    "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", "+", "-", "*", "/", "%", "^", "!", "&", "|",
    "=", "<", ">", "@", ".", ",", ";", ":", "#", "$", "?", "~", "'",
];

/// The punctuation marks Rust has: the single marks among [`OPERATORS`], but for the quote,
/// which is read with the lifetime's name or the character after it.
static MARKS: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    while index < OPERATORS.len() {
        let operator = OPERATORS[index].as_bytes();
        if operator.len() == 1 && operator[0] != b'\'' {
            table[operator[0] as usize] = true;
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

/// Splits `text` into tokens, all at once.
#[cfg(test)]
pub(super) fn lex(text: &str) -> Vec<Token<'_>> {
    let mut lexer = Lexer::new(text);
    lexer.next_items(usize::MAX);
    lexer.tokens
}

/// Reads a text's tokens a stretch of whole top-level items at a time.
pub(super) struct Lexer<'a> {
    text: &'a str,
    at: usize,
    tokens: Vec<Token<'a>>,
    /// Where the groups still open started, innermost last.
    open: Vec<usize>,
    /// How many tokens had been read when a `}` last closed every open group.
    body_closed_at: Option<usize>,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lexer {
            text,
            at: 0,
            tokens: Vec::new(),
            open: Vec::new(),
            body_closed_at: None,
        }
    }

    /// The tokens of the next top-level items: as many whole items as make `at_least`
    /// tokens, or the rest of the text; `None` once the text is read.
    pub(super) fn next_items(&mut self, at_least: usize) -> Option<&[Token<'a>]> {
        self.tokens.clear();
        self.body_closed_at = None;
        let bytes = self.text.as_bytes();
        // Room for a stretch and the item that ends it, or for the rest of the text (every
        // token takes two bytes at least, itself and the space after it): growing to a
        // stretch's size copied the tokens a dozen times.
        let expected = at_least.saturating_add(at_least / 4);
        self.tokens
            .reserve(expected.min((bytes.len() - self.at) / 2 + 1));
        while let Some(&byte) = bytes.get(self.at) {
            if self.tokens.len() >= at_least && self.ends_item() {
                break;
            }
            let start = self.at;
            match byte {
                b' ' | b'\n' | b'\t' | b'\r' => self.at += 1,
                b'(' | b'[' | b'{' => {
                    let delimiter = match byte {
                        b'(' => Delimiter::Parenthesis,
                        b'[' => Delimiter::Bracket,
                        _ => Delimiter::Brace,
                    };
                    self.open.push(self.tokens.len());
                    self.tokens.push(Token::Open {
                        delimiter,
                        inside: 0,
                    });
                    self.at += 1;
                }
                b')' | b']' | b'}' => {
                    self.close();
                    if byte == b'}' && self.open.is_empty() {
                        self.body_closed_at = Some(self.tokens.len());
                    }
                    self.at += 1;
                }
                b'/' if bytes.get(start + 1) == Some(&b'/') => {
                    self.at = memchr::memchr(b'\n', &bytes[start..])
                        .map_or(self.text.len(), |end| start + end);
                    // `///` is a doc comment; `////` and other comments are dropped.
                    let comment = &self.text[start..self.at];
                    if let Some(doc) = comment.strip_prefix("///") {
                        if !doc.starts_with('/') {
                            self.tokens.push(Token::Doc(doc));
                        }
                    }
                }
                b'/' if bytes.get(start + 1) == Some(&b'*') => {
                    self.at = self.text[start + 2..]
                        .find("*/")
                        .map_or(self.text.len(), |end| start + 2 + end + 2);
                }
                b'"' => self.literal(start, Self::quoted(bytes, start + 1, b'"')),
                b'\'' => self.quote_mark(start),
                b'0'..=b'9' => self.number(start),
                _ if is_mark(byte) => {
                    let joint = bytes.get(start + 1).is_some_and(|&next| is_mark(next));
                    self.tokens.push(Token::Punct {
                        mark: char::from(byte),
                        joint,
                    });
                    self.at += 1;
                }
                _ => self.word(start),
            }
        }
        if self.at >= self.text.len() {
            while !self.open.is_empty() {
                self.close();
            }
        }
        (!self.tokens.is_empty()).then_some(self.tokens.as_slice())
    }

    /// Whether the tokens read so far end a top-level item: no group is open and the
    /// last token is a `;` or closed a brace group that no `;` follows (an item's body;
    /// nothing else continues an item after its braces).
    fn ends_item(&self) -> bool {
        if !self.open.is_empty() {
            return false;
        }
        match self.tokens.last() {
            Some(Token::Punct { mark: ';', .. }) => true,
            Some(_) if self.body_closed_at == Some(self.tokens.len()) => {
                let next = self.text.as_bytes()[self.at..]
                    .iter()
                    .find(|byte| !byte.is_ascii_whitespace());
                next != Some(&b';')
            }
            _ => false,
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.open.pop() {
            let inside_count = self.tokens.len() - open - 1;
            if let Token::Open { inside, .. } = &mut self.tokens[open] {
                *inside = inside_count;
            }
        }
    }

    fn literal(&mut self, start: usize, end: usize) {
        self.tokens.push(Token::Literal(&self.text[start..end]));
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
                self.tokens
                    .push(Token::Lifetime(&self.text[start + 1..name_end]));
                self.at = name_end;
            }
            _ => {
                self.tokens.push(Token::Punct {
                    mark: '\'',
                    joint: false,
                });
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
                self.tokens.push(Token::Ident(&self.text[start..name_end]));
                self.at = name_end;
            }
            _ => {
                self.tokens.push(Token::Ident(prefix));
                self.at = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        lex(text)
            .iter()
            .map(|token| match token {
                Token::Ident(text) => format!("ident {text}"),
                Token::Literal(text) => format!("literal {text}"),
                Token::Lifetime(name) => format!("lifetime {name}"),
                Token::Punct { mark, joint } => {
                    format!("punct {mark}{}", if *joint { "+" } else { "" })
                }
                Token::Open { delimiter, inside } => format!("open {delimiter:?} {inside}"),
                Token::Doc(text) => format!("doc {text}"),
            })
            .collect()
    }

    #[test]
    fn a_stretch_ends_with_a_whole_item() {
        let text = "struct A; impl B { fn f() {} } /// doc\n const C: D = E {}; fn g() {}";
        let mut lexer = Lexer::new(text);
        let mut stretches = Vec::new();
        while let Some(tokens) = lexer.next_items(1) {
            stretches.push(tokens.len());
        }
        // `struct A ;`, `impl B {…}` (4 tokens inside), the doc and `const C : D = E {} ;`,
        // `fn g () {}`.
        assert_eq!(stretches, [3, 3 + 4, 1 + 8, 4]);
        let mut lexer = Lexer::new(text);
        assert_eq!(lexer.next_items(4).map(<[Token]>::len), Some(3 + 7));
    }

    #[test]
    fn doc_comments_are_tokens_and_other_comments_are_dropped() {
        assert_eq!(
            shown("/// one\n//// rule\n// note\n///\nstruct S; /* block */"),
            ["doc  one", "doc ", "ident struct", "ident S", "punct ;"]
        );
    }

    #[test]
    fn literals_of_every_kind_are_one_token() {
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
                "punct .+",
                "punct .+",
                "punct =",
                "literal 2",
                "literal 3usize",
            ]
        );
    }

    #[test]
    fn groups_know_their_length_and_lifetimes_are_not_characters() {
        assert_eq!(
            shown("fn f<'a>(x: &'a r#type) { [1] }"),
            [
                "ident fn",
                "ident f",
                "punct <",
                "lifetime a",
                "punct >",
                "open Parenthesis 5",
                "ident x",
                "punct :",
                "punct &",
                "lifetime a",
                "ident r#type",
                "open Brace 2",
                "open Bracket 1",
                "literal 1",
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
            ["ident a", "literal «", "open Parenthesis 1", "ident b"]
        );
        assert_eq!(shown("\"open"), ["literal \"open"]);
        assert_eq!(shown("r#\"open"), ["literal r#\"open"]);
        assert_eq!(shown("x // note\n y /* z */"), ["ident x", "ident y"]);
    }
}
