//! What the layout reads: names, literals, Rust's operators (a punctuation run split into
//! them, `::`, `=>`, `>>`), groups, and `#[...]` as one attribute, with doc attributes
//! turned back into the text of a `///` comment.

use std::ops::Range;

use proc_macro2::Delimiter;

use super::operators::Operator;

/// One thing the printer lays out.
pub(super) enum Atom<'a> {
    /// An identifier or keyword, `r#` included when it is raw.
    Ident(&'a str),
    /// A literal, as written.
    Literal(&'a str),
    /// `'a`: the name after the quote.
    Lifetime(&'a str),
    /// An operator or a single punctuation mark.
    Op(Operator),
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

/// Splits a run of joined marks into operators, longest match first (the lexer's runs hold
/// only marks, each an operator of its own at least).
pub(super) fn split_operators(mut run: &str, atoms: &mut Vec<Atom>) {
    // Most marks stand alone: they are looked up, not searched for.
    if let &[mark] = run.as_bytes() {
        atoms.push(Atom::Op(Operator::single(mark).unwrap_or(Operator::Quote)));
        return;
    }
    while let Some(operator) = Operator::longest_at_start(run.as_bytes()) {
        atoms.push(Atom::Op(operator));
        run = &run[operator.text().len()..];
    }
}

/// The doc line of `doc = "..."` when it reads the same as a `///` comment: one line, no
/// escapes a comment cannot hold, and no leading `/` (that would make `////`, not a doc).
pub(super) fn doc_atom<'a>(body: &[Atom<'a>]) -> Option<Atom<'a>> {
    let [Atom::Ident("doc"), Atom::Op(Operator::Assign), Atom::Literal(literal)] = body else {
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
                Atom::Op(operator) => operator.text(),
                _ => "?",
            })
            .collect();
        assert_eq!(operators, [">", ">", "::", "..=", ",", "#", "!", "&&", "&"]);
    }
}
