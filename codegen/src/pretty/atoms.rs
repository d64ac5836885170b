//! Token trees regrouped into what a reader sees: a punctuation run split into Rust's
//! operators (`::`, `=>`, `>>`), a lifetime as one word, and `#[...]` as one attribute,
//! with doc attributes turned back into the text of a `///` comment.

use std::borrow::Cow;

use proc_macro2::Delimiter;

use super::lexer::{group_at, Group, Token, OPERATORS};

/// One thing the printer lays out.
pub(super) enum Atom<'a> {
    /// An identifier or a literal.
    Word(Word<'a>),
    /// An operator or a single punctuation mark.
    Op(&'static str),
    /// A delimited group, read into atoms only when it is printed.
    Group(Group<'a>),
    /// `#[...]`, or `#![...]` when `inner`.
    Attribute { inner: bool, body: Group<'a> },
    /// An outer doc attribute whose text can be a `///` comment.
    Doc(Cow<'a, str>),
}

pub(super) enum Word<'a> {
    Ident(&'a str),
    Literal(&'a str),
    /// `'a`: the name after the quote.
    Lifetime(&'a str),
}

/// Whether two marks printed side by side would be read back as one operator.
pub(super) fn would_join(first: &str, second: &str) -> bool {
    let (Some(&last), Some(&next)) = (first.as_bytes().last(), second.as_bytes().first()) else {
        return false;
    };
    // Operators are ASCII: other bytes join nothing.
    last < 128 && next < 128 && JOINING[usize::from(last)] >> next & 1 == 1
}

/// For each ASCII mark, the bit of every mark that makes an operator of two or more marks
/// with it ([`would_join`], asked between every two operators written side by side).
static JOINING: [u128; 128] = {
    let mut table = [0u128; 128];
    let mut index = 0;
    while index < OPERATORS.len() {
        let operator = OPERATORS[index].as_bytes();
        if operator.len() > 1 {
            table[operator[0] as usize] |= 1 << operator[1];
        }
        index += 1;
    }
    table
};

/// How many tokens `tokens` has at its own level, a group counting as one.
fn own_tokens(tokens: &[Token<'_>]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while let Some(token) = tokens.get(at) {
        count += 1;
        at += match token {
            Token::Open { inside, .. } => inside + 1,
            _ => 1,
        };
    }
    count
}

/// The atoms of one level of tokens (a group's contents), appended to `atoms`.
pub(super) fn read<'a>(tokens: &'a [Token<'a>], atoms: &mut Vec<Atom<'a>>) {
    // Sized up front (a level has at most as many atoms as tokens of its own): the layout
    // reads every group, and growing each vector was a tenth of its time.
    atoms.reserve(own_tokens(tokens));
    let mut run = String::new();
    let mut at = 0;
    while at < tokens.len() {
        match tokens[at] {
            Token::Ident(ident) => atoms.push(Atom::Word(Word::Ident(ident))),
            Token::Literal(literal) => atoms.push(Atom::Word(Word::Literal(literal))),
            Token::Lifetime(name) => atoms.push(Atom::Word(Word::Lifetime(name))),
            Token::Doc(text) => atoms.push(Atom::Doc(Cow::Borrowed(text))),
            Token::Open { .. } => {
                if let Some((group, end)) = group_at(tokens, at) {
                    atoms.push(Atom::Group(group));
                    at = end;
                    continue;
                }
            }
            Token::Punct { mark, joint: false } => {
                atoms.push(Atom::Op(single_mark(mark)));
                at = attach_attribute(atoms, tokens, at + 1);
                continue;
            }
            Token::Punct { mark, mut joint } => {
                run.clear();
                run.push(mark);
                while joint {
                    match tokens.get(at + 1) {
                        Some(&Token::Punct { mark, joint: next }) => {
                            run.push(mark);
                            joint = next;
                            at += 1;
                        }
                        _ => break,
                    }
                }
                split_operators(&run, atoms);
                at += 1;
                at = attach_attribute(atoms, tokens, at);
                continue;
            }
        }
        at += 1;
    }
}

/// The operator of a mark that stands alone: one of the single marks that end
/// [`OPERATORS`].
fn single_mark(mark: char) -> &'static str {
    u8::try_from(mark)
        .ok()
        .and_then(|byte| SINGLE_MARKS.get(usize::from(byte)))
        .copied()
        .filter(|operator| !operator.is_empty())
        .unwrap_or("'")
}

/// The single-mark operators by their ASCII byte, empty for other bytes: a table rather
/// than a search of [`OPERATORS`], since every mark of the text is looked up.
static SINGLE_MARKS: [&str; 128] = {
    let mut table = [""; 128];
    let mut index = 0;
    while index < OPERATORS.len() {
        let operator = OPERATORS[index];
        if operator.len() == 1 {
            table[operator.as_bytes()[0] as usize] = operator;
        }
        index += 1;
    }
    table
};

/// Splits a run of joined marks into operators, longest match first.
fn split_operators(mut run: &str, atoms: &mut Vec<Atom>) {
    while !run.is_empty() {
        let operator = OPERATORS
            .iter()
            .find(|operator| run.starts_with(**operator))
            .copied()
            .expect("`Punct` holds only the marks in OPERATORS");
        atoms.push(Atom::Op(operator));
        run = &run[operator.len()..];
    }
}

/// Makes `#` (or `#!`) and the bracket group after it (at `at`) one attribute atom;
/// returns where reading goes on.
fn attach_attribute<'a>(atoms: &mut Vec<Atom<'a>>, tokens: &'a [Token<'a>], at: usize) -> usize {
    let inner = match atoms.as_slice() {
        [.., Atom::Op("#"), Atom::Op("!")] => true,
        [.., Atom::Op("#")] => false,
        _ => return at,
    };
    let Some((body, end)) = tokens.get(at).and_then(|_| group_at(tokens, at)) else {
        return at;
    };
    if body.delimiter() != Delimiter::Bracket {
        return at;
    }
    atoms.truncate(atoms.len() - if inner { 2 } else { 1 });
    match doc_text(&body).filter(|_| !inner) {
        Some(text) => atoms.push(Atom::Doc(text)),
        None => atoms.push(Atom::Attribute { inner, body }),
    }
    end
}

/// The text of `doc = "..."` when it reads the same as a `///` comment: one line, no
/// escapes a comment cannot hold, and no leading `/` (that would make `////`, not a doc).
fn doc_text<'a>(body: &Group<'a>) -> Option<Cow<'a, str>> {
    let [Token::Ident("doc"), Token::Punct { mark: '=', .. }, Token::Literal(text)] = body.tokens()
    else {
        return None;
    };
    let text = unescape(text)?;
    (!text.starts_with('/')).then_some(text)
}

/// The value of a string literal that holds one line: a raw string (`quote!` writes a
/// `///` comment as one), or a plain string whose escapes are only quotes, backslashes and
/// tabs. Anything else (a line break, a control or invisible character written as
/// `\u{...}`) stays an attribute.
fn unescape(literal: &str) -> Option<Cow<'_, str>> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw[hashes..].strip_prefix('"')?;
        let inner = inner.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return (!inner.contains(['\n', '\r'])).then_some(Cow::Borrowed(inner));
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(char) = chars.next() {
        if char != '\\' {
            text.push(char);
            continue;
        }
        match chars.next()? {
            escaped @ ('"' | '\\' | '\'') => text.push(escaped),
            't' => text.push('\t'),
            _ => return None,
        }
    }
    Some(Cow::Owned(text))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn shapes(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let text = tokens.to_string();
        let tokens = super::super::lexer::lex(&text);
        let mut atoms = Vec::new();
        read(&tokens, &mut atoms);
        atoms
            .iter()
            .map(|atom| match atom {
                Atom::Word(Word::Ident(ident)) => format!("ident {ident}"),
                Atom::Word(Word::Literal(literal)) => format!("literal {literal}"),
                Atom::Word(Word::Lifetime(name)) => format!("lifetime {name}"),
                Atom::Op(operator) => format!("op {operator}"),
                Atom::Group(group) => format!("group {:?}", group.delimiter()),
                Atom::Attribute { inner, .. } => format!("attribute inner={inner}"),
                Atom::Doc(text) => format!("doc {text:?}"),
            })
            .collect()
    }

    #[test]
    fn joined_marks_split_into_rust_operators() {
        assert_eq!(
            shapes(quote!(a ::b => c >>:: d ..= e)),
            [
                "ident a", "op ::", "ident b", "op =>", "ident c", "op >", "op >", "op ::",
                "ident d", "op ..=", "ident e"
            ]
        );
    }

    #[test]
    fn a_lifetime_is_one_word_even_after_a_joined_mark() {
        assert_eq!(
            shapes(quote!(&'static str<'a>)),
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
    fn doc_attributes_become_comment_text_when_a_comment_can_hold_them() {
        assert_eq!(
            shapes(
                quote!(#[doc = " say \"hi\"\tnow"] #[doc = "/ not a doc"] #[doc = "two\nlines"] #![allow(x)] #[inline])
            ),
            [
                "doc \" say \\\"hi\\\"\\tnow\"",
                "attribute inner=false",
                "attribute inner=false",
                "attribute inner=true",
                "attribute inner=false"
            ]
        );
    }

    #[test]
    fn marks_that_would_read_back_as_one_operator_are_told_apart() {
        assert!(would_join("&", "&"));
        assert!(would_join("=", ">"));
        assert!(would_join(">", ">="));
        assert!(!would_join(">", "::"));
        assert!(!would_join("::", "<"));
    }
}
