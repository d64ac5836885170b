//! Delimited groups: on one line when they fit, otherwise broken over lines, with the
//! trailing comma of a list dropped on one line and added on several, as rustfmt does.

use proc_macro2::Delimiter;

use super::atoms::{Atom, Group};
use super::operators::Operator;
use super::spacing::Prev;
use super::{BraceKind, Layout, Level, Printer};

/// A group read for printing.
pub(super) struct Delimited<'a> {
    delimiter: Delimiter,
    /// The least width of its tokens on one line ([`Group::width`]).
    width: usize,
    kind: Option<BraceKind>,
    atoms: &'a [Atom<'a>],
    /// The input of a macro call, whose tokens are the macro's to read.
    in_macro: bool,
}

/// Whether a group's trailing comma may change with its layout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TrailingComma {
    /// It must stay as written: a macro's input, a one-element tuple `(a,)`, a struct
    /// literal ending in `..rest`, or a group that is no list.
    AsWritten,
    /// A list whose trailing comma is optional; `written` when it has one.
    Optional { written: bool },
}

impl<'a> Delimited<'a> {
    /// `group`, whose atoms are `atoms`, of brace `kind` when it is a brace group;
    /// `in_macro` when it is the input of a macro call, whose tokens are the macro's to read.
    pub(super) fn new(
        group: &Group,
        atoms: &'a [Atom<'a>],
        kind: Option<BraceKind>,
        in_macro: bool,
    ) -> Self {
        Delimited {
            delimiter: group.delimiter(),
            width: group.width(),
            kind,
            atoms,
            in_macro,
        }
    }

    fn delimiters(&self) -> (&'static str, &'static str) {
        match self.delimiter {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace | Delimiter::None => ("{", "}"),
        }
    }

    /// Whether the group may not be written on one line.
    fn must_break(&self) -> bool {
        self.atoms
            .iter()
            .any(|atom| matches!(atom, Atom::Doc { .. }))
            || match self.kind {
                Some(BraceKind::Body) => true,
                Some(BraceKind::Block) => holds_statements(self.atoms),
                _ => false,
            }
    }

    /// Whether the trailing comma may change with the layout. Read from the atoms when a
    /// layout asks, not for every group met: most never need it (no comma to drop on one
    /// line, or never broken).
    fn trailing_comma(&self) -> TrailingComma {
        if self.in_macro {
            TrailingComma::AsWritten
        } else {
            trailing_comma(self.atoms, self.delimiter)
        }
    }

    /// The atoms written on one line: without an optional trailing comma.
    fn flat_atoms(&self) -> &[Atom<'a>] {
        match self.atoms {
            [rest @ .., Atom::Op(Operator::Comma)]
                if self.trailing_comma() == (TrailingComma::Optional { written: true }) =>
            {
                rest
            }
            _ => self.atoms,
        }
    }
}

impl<'a> Printer<'a> {
    /// Writes a delimited group: flat inside a flat layout; otherwise flat when it and
    /// its `tail` (what follows it up to where a line may break, then `then` columns
    /// more) fit, else broken over lines.
    pub(super) fn group(
        &mut self,
        group: &Delimited<'a>,
        layout: Layout,
        tail: &[Atom<'a>],
        then: usize,
    ) {
        if group.delimiter == Delimiter::None {
            self.list(group.atoms, layout, &mut Level::after(Prev::Start));
            return;
        }
        let (open, close) = group.delimiters();
        if group.atoms.is_empty() {
            self.out.push_str(open);
            self.out.push_str(close);
            return;
        }
        let must_break = group.must_break();
        if layout == Layout::Flat {
            if must_break {
                self.flat_failed = true;
            } else {
                self.flat_group(group);
            }
            return;
        }
        if !must_break && self.may_fit_flat(group.width) && self.fits_flat(group, tail, then) {
            return;
        }
        if group.kind.is_none() && self.hugs_last_brace(group) {
            return;
        }
        self.out.push_str(open);
        self.indent += 1;
        self.newline();
        let inner = if group.kind.is_some() {
            Layout::Lines
        } else {
            Layout::Items
        };
        let mut level = Level::after(Prev::Start);
        self.list(group.atoms, inner, &mut level);
        let ends_in_block = level.prev == Prev::Closed(Delimiter::Brace)
            && matches!(level.prev_brace, Some(BraceKind::Body | BraceKind::Block));
        if !ends_in_block && group.trailing_comma() == (TrailingComma::Optional { written: false })
        {
            self.out.push(',');
        }
        self.indent -= 1;
        self.newline();
        self.out.push_str(close);
    }

    fn flat_group(&mut self, group: &Delimited<'a>) {
        let (open, close) = group.delimiters();
        let padded = group.kind.is_some_and(|kind| kind != BraceKind::UseList);
        self.out.push_str(open);
        if padded {
            self.out.push(' ');
        }
        self.list(
            group.flat_atoms(),
            Layout::Flat,
            &mut Level::after(Prev::Start),
        );
        if padded {
            self.out.push(' ');
        }
        self.out.push_str(close);
    }

    /// Writes the group on one line when it and its tail fit; leaves nothing written
    /// when they do not.
    fn fits_flat(&mut self, group: &Delimited<'a>, tail: &[Atom<'a>], then: usize) -> bool {
        let start = self.out.len();
        self.flat_group(group);
        let end = self.out.len();
        if !self.flat_failed {
            self.list(
                tail,
                Layout::Flat,
                &mut Level::after(Prev::Closed(group.delimiter)),
            );
            if self.column() + then > self.limit {
                self.flat_failed = true;
            }
        }
        let fits = !self.flat_failed;
        self.flat_failed = false;
        self.out.truncate(if fits { end } else { start });
        fits
    }

    /// `call(x, |v| {` ... `})`: parentheses whose last element is a brace group stay
    /// on the line up to that brace when it fits, the way rustfmt lays out a closure or
    /// an `async` block passed last. Leaves nothing written when it does not fit.
    fn hugs_last_brace(&mut self, group: &Delimited<'a>) -> bool {
        let atoms = group.flat_atoms();
        let Some(Atom::Group(last)) = atoms.last() else {
            return false;
        };
        if last.delimiter() != Delimiter::Brace {
            return false;
        }
        let (open, close) = group.delimiters();
        let start = self.out.len();
        self.out.push_str(open);
        let mut level = Level::after(Prev::Start);
        self.list(&atoms[..atoms.len() - 1], Layout::Flat, &mut level);
        // The brace's ` {` must fit on the line too.
        if self.flat_failed || self.column() + 2 > self.limit {
            self.flat_failed = false;
            self.out.truncate(start);
            return false;
        }
        // The closing delimiter follows the brace on its line.
        self.limit -= close.len();
        self.list(&atoms[atoms.len() - 1..], Layout::Items, &mut level);
        self.limit += close.len();
        self.out.push_str(close);
        true
    }
}

/// Whether the trailing comma of `atoms` may change: they must be a list (a comma
/// outside any `<...>` and any closure's `|...|`; two elements at least in parentheses,
/// where `(a,)` is a tuple) that does not end in `..rest`.
fn trailing_comma(atoms: &[Atom], delimiter: Delimiter) -> TrailingComma {
    let mut open_angles = 0usize;
    let mut in_closure_parameters = false;
    let mut commas = 0;
    let mut rest_last = false;
    let mut prev: Option<&Atom> = None;
    for atom in atoms {
        match atom {
            Atom::Op(Operator::Lt) => open_angles += 1,
            Atom::Op(Operator::Gt) => open_angles = open_angles.saturating_sub(1),
            // A `|` after a value is an `or`; anywhere else it opens a closure's parameters.
            Atom::Op(Operator::Or) if in_closure_parameters => in_closure_parameters = false,
            Atom::Op(Operator::Or) if !ends_value(prev) => in_closure_parameters = true,
            Atom::Op(Operator::Comma) if open_angles == 0 && !in_closure_parameters => {
                commas += 1;
                rest_last = false;
            }
            Atom::Op(Operator::DotDot) if open_angles == 0 => rest_last = true,
            _ => {}
        }
        prev = Some(atom);
    }
    let written = matches!(atoms.last(), Some(Atom::Op(Operator::Comma)));
    let separators = commas - usize::from(written);
    let is_list = match delimiter {
        Delimiter::Parenthesis => separators >= 1,
        Delimiter::Brace | Delimiter::Bracket => commas >= 1,
        Delimiter::None => false,
    };
    if is_list && !rest_last {
        TrailingComma::Optional { written }
    } else {
        TrailingComma::AsWritten
    }
}

/// Whether `atom` ends a value, so that a `|` after it is an `or`.
fn ends_value(atom: Option<&Atom>) -> bool {
    match atom {
        Some(Atom::Ident(ident)) => *ident != "move",
        Some(
            Atom::Literal(_) | Atom::Lifetime(_) | Atom::Group(_) | Atom::Op(Operator::Question),
        ) => true,
        _ => false,
    }
}

/// Whether a block holds statements (not a single expression), so that it needs lines.
fn holds_statements(atoms: &[Atom]) -> bool {
    atoms.iter().any(|atom| match atom {
        Atom::Op(operator) => *operator == Operator::Semicolon,
        Atom::Attribute { .. } => true,
        Atom::Ident(ident) => *ident == "let",
        _ => false,
    })
}
