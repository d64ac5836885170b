//! Token trees regrouped into what a reader sees: a punctuation run split into Rust's
//! operators (`::`, `=>`, `>>`), a lifetime as one word, and `#[...]` as one attribute,
//! with doc attributes turned back into the text of a `///` comment.

use proc_macro2::{Delimiter, Group, Ident, Literal, Spacing, TokenStream, TokenTree};

/// One thing the printer lays out.
pub(super) enum Atom {
    /// An identifier or a literal.
    Word(Word),
    /// An operator or a single punctuation mark.
    Op(&'static str),
    /// A delimited group, read into atoms only when it is printed.
    Group(Group),
    /// `#[...]`, or `#![...]` when `inner`.
    Attribute { inner: bool, body: Group },
    /// An outer doc attribute whose text can be a `///` comment.
    Doc(String),
}

pub(super) enum Word {
    Ident(Ident),
    Literal(Literal),
    /// `'a`: the quote and the name.
    Lifetime(Ident),
}

/// The operators a run of joined punctuation can hold, longest first so that a greedy
/// split finds `..=` before `..`; every single mark comes last, so the split always moves on.
/// `>>` is not one: in generated code it closes two generics, which the layout may break
/// apart (a shift reads back the same from two `>`).
const OPERATORS: &[&str] = &[
    "..=", "...", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "..", "+=",
    "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", "+", "-", "*", "/", "%", "^", "!", "&", "|",
    "=", "<", ">", "@", ".", ",", ";", ":", "#", "$", "?", "~", "'",
];

/// Whether two marks printed side by side would be read back as one operator.
pub(super) fn would_join(first: &str, second: &str) -> bool {
    let (Some(last), Some(next)) = (first.chars().last(), second.chars().next()) else {
        return false;
    };
    OPERATORS.iter().any(|operator| {
        operator.len() > 1 && operator.starts_with(last) && operator[1..].starts_with(next)
    })
}

/// The atoms of one level of a token stream.
pub(super) fn read(stream: TokenStream) -> Vec<Atom> {
    let mut atoms = Vec::new();
    let mut tokens = stream.into_iter().peekable();
    let mut run = String::new();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(ident) => atoms.push(Atom::Word(Word::Ident(ident))),
            TokenTree::Literal(literal) => atoms.push(Atom::Word(Word::Literal(literal))),
            TokenTree::Group(group) => atoms.push(Atom::Group(group)),
            TokenTree::Punct(punct) if punct.as_char() == '\'' => {
                if let Some(TokenTree::Ident(name)) = tokens.peek().cloned() {
                    tokens.next();
                    atoms.push(Atom::Word(Word::Lifetime(name)));
                } else {
                    atoms.push(Atom::Op("'"));
                }
            }
            TokenTree::Punct(punct) => {
                run.clear();
                run.push(punct.as_char());
                let mut spacing = punct.spacing();
                // A lifetime's quote never joins the mark before it (`&'a`, `<'a>`).
                while spacing == Spacing::Joint {
                    match tokens.peek() {
                        Some(TokenTree::Punct(next)) if next.as_char() != '\'' => {
                            run.push(next.as_char());
                            spacing = next.spacing();
                            tokens.next();
                        }
                        _ => break,
                    }
                }
                split_operators(&run, &mut atoms);
                attach_attribute(&mut atoms, &mut tokens);
            }
        }
    }
    atoms
}

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

/// Makes `#` (or `#!`) and the bracket group after it one attribute atom.
fn attach_attribute(
    atoms: &mut Vec<Atom>,
    tokens: &mut std::iter::Peekable<impl Iterator<Item = TokenTree>>,
) {
    let inner = match atoms.as_slice() {
        [.., Atom::Op("#"), Atom::Op("!")] => true,
        [.., Atom::Op("#")] => false,
        _ => return,
    };
    let Some(TokenTree::Group(body)) = tokens.peek() else {
        return;
    };
    if body.delimiter() != Delimiter::Bracket {
        return;
    }
    let body = body.clone();
    tokens.next();
    atoms.truncate(atoms.len() - if inner { 2 } else { 1 });
    match doc_text(&body).filter(|_| !inner) {
        Some(text) => atoms.push(Atom::Doc(text)),
        None => atoms.push(Atom::Attribute { inner, body }),
    }
}

/// The text of `doc = "..."` when it reads the same as a `///` comment: one line, no
/// escapes a comment cannot hold, and no leading `/` (that would make `////`, not a doc).
fn doc_text(body: &Group) -> Option<String> {
    let mut tokens = body.stream().into_iter();
    let (
        Some(TokenTree::Ident(name)),
        Some(TokenTree::Punct(equals)),
        Some(TokenTree::Literal(text)),
        None,
    ) = (tokens.next(), tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    if name != "doc" || equals.as_char() != '=' {
        return None;
    }
    let text = unescape(&text.to_string())?;
    (!text.starts_with('/')).then_some(text)
}

/// The value of a string literal that holds one line: a raw string (`quote!` writes a
/// `///` comment as one), or a plain string whose escapes are only quotes, backslashes and
/// tabs. Anything else (a line break, a control or invisible character written as
/// `\u{...}`) stays an attribute.
fn unescape(literal: &str) -> Option<String> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw[hashes..].strip_prefix('"')?;
        let inner = inner.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return (!inner.contains(['\n', '\r'])).then(|| inner.to_owned());
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
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
    Some(text)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn shapes(tokens: TokenStream) -> Vec<String> {
        read(tokens)
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
