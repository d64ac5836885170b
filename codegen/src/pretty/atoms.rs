//! What the layout reads: names, literals, Rust's operators (a punctuation run split into
//! them, `::`, `=>`, `>>`), groups, and `#[...]` as one attribute, with doc attributes
//! turned back into the text of a `///` comment.

use std::ops::Range;

use proc_macro2::Delimiter;

/// One thing the printer lays out.
pub(super) enum Atom<'a> {
    /// An identifier or keyword, `r#` included when it is raw.
    Ident(&'a str),
    /// A literal, as written.
    Literal(&'a str),
    /// `'a`: the name after the quote.
    Lifetime(&'a str),
    /// An operator or a single punctuation mark.
    Op(&'static str),
    /// A delimited group.
    Group(Group),
    /// `#[...]`, or `#![...]` when `inner`.
    Attribute { inner: bool, body: Group },
    /// A `///` comment, or an outer doc attribute whose text can be one: the line's text
    /// as the generated text writes it, with its escapes still in it when `escaped` (a doc
    /// attribute's string; only `\"`, `\\`, `\'` and `\t`), undone as it is written. Kept
    /// borrowed, so that an atom is no bigger than a name: the arena holds a stretch's
    /// atoms, tens of thousands for Kubernetes' biggest items.
    Doc { text: &'a str, escaped: bool },
}

/// Writes a doc line's text (see [`Atom::Doc`]) at the end of `out`.
pub(super) fn write_doc(text: &str, escaped: bool, out: &mut String) {
    if !escaped {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars();
    while let Some(char) = chars.next() {
        let unescaped = match char {
            '\\' => match chars.next() {
                Some('t') => '\t',
                Some(escaped) => escaped,
                None => break,
            },
            other => other,
        };
        out.push(unescaped);
    }
}

/// A delimited group: its delimiter, where its atoms are in the stretch's arena, and the
/// least width it takes on one line.
#[derive(Clone, Copy, Debug)]
pub(super) struct Group {
    delimiter: Delimiter,
    start: u32,
    end: u32,
    width: u32,
}

impl Group {
    pub(super) fn new(delimiter: Delimiter, atoms: Range<usize>, width: usize) -> Group {
        // A stretch is a few thousand tokens; the text a proc macro writes fits u32 anyway.
        let narrow = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
        Group {
            delimiter,
            start: narrow(atoms.start),
            end: narrow(atoms.end),
            width: narrow(width),
        }
    }

    pub(super) fn delimiter(&self) -> Delimiter {
        self.delimiter
    }

    /// Where the group's own atoms are in the arena.
    pub(super) fn atoms(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The columns its tokens take on one line at least, its delimiters and spaces left
    /// out: every token's text (the opening delimiters of its groups included, their
    /// closing ones not: those make up for the trailing comma each may drop). With its
    /// own delimiters, less its own trailing comma, a flat group is one column wider at
    /// least.
    pub(super) fn width(&self) -> usize {
        self.width as usize
    }
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

/// The operator of a mark that stands alone: one of the single marks that end
/// [`OPERATORS`].
fn single_mark(mark: u8) -> &'static str {
    SINGLE_MARKS
        .get(usize::from(mark))
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

/// Splits a run of joined marks into operators, longest match first (the lexer's runs hold
/// only marks, each an operator of its own at least).
pub(super) fn split_operators(mut run: &str, atoms: &mut Vec<Atom>) {
    // Most marks stand alone: they are looked up, not searched for.
    if let [mark] = run.as_bytes() {
        atoms.push(Atom::Op(single_mark(*mark)));
        return;
    }
    while !run.is_empty() {
        let Some(operator) = OPERATORS
            .iter()
            .find(|operator| run.starts_with(**operator))
        else {
            break;
        };
        atoms.push(Atom::Op(operator));
        run = &run[operator.len()..];
    }
}

/// The doc line of `doc = "..."` when it reads the same as a `///` comment: one line, no
/// escapes a comment cannot hold, and no leading `/` (that would make `////`, not a doc).
pub(super) fn doc_atom<'a>(body: &[Atom<'a>]) -> Option<Atom<'a>> {
    let [Atom::Ident("doc"), Atom::Op("="), Atom::Literal(literal)] = body else {
        return None;
    };
    let (text, escaped) = comment_text(literal)?;
    // An escape starts with `\`, which never stands for `/`: the written text starts with
    // `/` exactly when the line does.
    (!text.starts_with('/')).then_some(Atom::Doc { text, escaped })
}

/// The value of a string literal that holds one line: a raw string (`quote!` writes a
/// `///` comment as one), or a plain string whose escapes are only quotes, backslashes and
/// tabs. Anything else (a line break, a control or invisible character written as
/// `\u{...}`) stays an attribute. Returns the text as written, and whether it holds escapes.
fn comment_text(literal: &str) -> Option<(&str, bool)> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw[hashes..].strip_prefix('"')?;
        let inner = inner.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return (!inner.contains(['\n', '\r'])).then_some((inner, false));
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some((inner, false));
    }
    let mut chars = inner.chars();
    while let Some(char) = chars.next() {
        if char == '\\' && !matches!(chars.next()?, '"' | '\\' | '\'' | 't') {
            return None;
        }
    }
    Some((inner, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_that_would_read_back_as_one_operator_are_told_apart() {
        assert!(would_join("&", "&"));
        assert!(would_join("=", ">"));
        assert!(would_join(">", ">="));
        assert!(!would_join(">", "::"));
        assert!(!would_join("::", "<"));
    }

    /// The arena holds a stretch's atoms: they are kept as small as a name.
    #[test]
    fn an_atom_is_three_words() {
        assert_eq!(std::mem::size_of::<Atom>(), 24);
    }

    #[test]
    fn a_run_of_marks_splits_longest_first() {
        let mut atoms = Vec::new();
        for run in [">>::", "..=", ",", "#!", "&&&"] {
            split_operators(run, &mut atoms);
        }
        let operators: Vec<&str> = atoms
            .iter()
            .map(|atom| match atom {
                Atom::Op(operator) => *operator,
                _ => "?",
            })
            .collect();
        assert_eq!(operators, [">", ">", "::", "..=", ",", "#", "!", "&&", "&"]);
    }
}
