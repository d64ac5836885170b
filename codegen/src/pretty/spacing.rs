//! Where a space goes between two atoms on one line: the rules rustfmt follows for the
//! Rust that tether generates (`a: B`, `x = y`, `&self`, `f(x)`, `if (`, `Vec<T>`,
//! `|v| v.a`), decided from what was written last and what comes next.

use proc_macro2::Delimiter;

use super::atoms::Atom;
use super::operators::Operator;
use crate::short_names::{short_names, ShortNames};

/// What the printer wrote last, as far as spacing and layout care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Prev {
    /// The start of a group or of the output.
    Start,
    /// A keyword that is not a value; `paren_spaced` when a group after it gets a space
    /// (`if (`, `in [`, but `pub(crate)` and `fn(u8)`).
    Keyword {
        paren_spaced: bool,
    },
    /// The end of a value: a name, a literal, `self`, a lifetime.
    Operand,
    /// A closing delimiter.
    Closed(Delimiter),
    Op(Role),
    Attribute,
    /// A `///` line, always followed by a line break.
    Doc,
}

/// What an operator does where it stands, which decides the spaces around it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    /// `a = b`, `a => b`, `T: A + B`.
    Binary,
    /// `&x`, `*x`, `-1`, `!x`.
    Prefix,
    /// `name!(...)`.
    MacroBang,
    /// The first `|` of a closure's parameters.
    OpenClosure,
    /// The last `|` of a closure's parameters.
    CloseClosure,
    /// `||` starting a closure without parameters.
    EmptyClosure,
    Path,
    /// `.`, `..`, `..=`.
    Dot,
    Colon,
    Comma,
    Semicolon,
    Try,
    GenericOpen,
    GenericClose,
    /// `#`, `$`, `~` and a lone `'`: never spaced.
    Other,
}

impl Prev {
    /// Whether a value ends here, so that `&`, `*`, `-`, `|` after it are binary.
    fn ends_value(self) -> bool {
        matches!(self, Prev::Operand | Prev::Closed(_) | Prev::Op(Role::Try))
    }

    fn wants_space_after(self) -> bool {
        match self {
            Prev::Start | Prev::Doc => false,
            Prev::Keyword { .. } | Prev::Operand | Prev::Closed(_) | Prev::Attribute => true,
            Prev::Op(role) => matches!(
                role,
                Role::Binary
                    | Role::CloseClosure
                    | Role::EmptyClosure
                    | Role::Colon
                    | Role::Comma
                    | Role::Semicolon
                    | Role::Try
                    | Role::GenericClose
            ),
        }
    }

    /// Whether a path or range after this starts a new expression (`= ::x`, `, ..rest`).
    fn starts_expression(self) -> bool {
        matches!(
            self,
            Prev::Keyword { .. }
                | Prev::Op(
                    Role::Binary
                        | Role::Comma
                        | Role::Colon
                        | Role::Semicolon
                        | Role::CloseClosure
                        | Role::EmptyClosure
                )
        )
    }
}

/// The role of `operator` after `prev`; `closure_open` while inside `|...|`.
pub(super) fn role(operator: Operator, prev: Prev, closure_open: bool) -> Role {
    match operator {
        Operator::PathSep => Role::Path,
        Operator::Dot | Operator::DotDot | Operator::DotDotDot | Operator::DotDotEq => Role::Dot,
        Operator::Colon => Role::Colon,
        Operator::Comma => Role::Comma,
        Operator::Semicolon => Role::Semicolon,
        Operator::Question => Role::Try,
        Operator::Lt => Role::GenericOpen,
        Operator::Gt => Role::GenericClose,
        Operator::Or if closure_open => Role::CloseClosure,
        Operator::Bang if prev == Prev::Operand => Role::MacroBang,
        Operator::Or if !prev.ends_value() => Role::OpenClosure,
        Operator::OrOr if !prev.ends_value() => Role::EmptyClosure,
        Operator::And | Operator::Star | Operator::Minus | Operator::AndAnd | Operator::Bang
            if !prev.ends_value() =>
        {
            Role::Prefix
        }
        Operator::Pound | Operator::Dollar | Operator::Tilde | Operator::Quote => Role::Other,
        _ => Role::Binary,
    }
}

/// What an identifier tells the layout.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct IdentFacts {
    /// What the printer has written last once it is written.
    pub(super) prev: Prev,
    /// `let`: a brace group before its `=` is a pattern.
    pub(super) starts_let: bool,
    /// `fn`, `impl`, `if`, ...: the next brace group is a body.
    pub(super) expects_body: bool,
}

const OPERAND: IdentFacts = IdentFacts {
    prev: Prev::Operand,
    starts_let: false,
    expects_body: false,
};

/// A keyword that is not a value: a group after it gets a space when `paren_spaced`
/// (`if (`, `in [`, but `pub(crate)` and `fn(u8)`), and a brace group is its body when
/// `expects_body`.
const fn keyword(paren_spaced: bool, expects_body: bool) -> IdentFacts {
    IdentFacts {
        prev: Prev::Keyword { paren_spaced },
        starts_let: false,
        expects_body,
    }
}

const SPACED: IdentFacts = keyword(true, false);
const BODY: IdentFacts = keyword(true, true);

/// The identifiers the layout treats apart from other names: keywords that are values read
/// as operands.
const SPECIAL_IDENTS: [(&str, IdentFacts); 39] = [
    ("Self", OPERAND),
    ("as", SPACED),
    ("async", BODY),
    ("await", SPACED),
    ("break", SPACED),
    ("const", SPACED),
    ("continue", SPACED),
    ("crate", OPERAND),
    ("dyn", SPACED),
    ("else", BODY),
    ("enum", BODY),
    ("extern", BODY),
    ("false", OPERAND),
    ("fn", keyword(false, true)),
    ("for", BODY),
    ("if", BODY),
    ("impl", BODY),
    ("in", SPACED),
    (
        "let",
        IdentFacts {
            starts_let: true,
            ..SPACED
        },
    ),
    ("loop", BODY),
    ("match", BODY),
    ("mod", BODY),
    ("move", SPACED),
    ("mut", SPACED),
    ("pub", keyword(false, false)),
    ("ref", SPACED),
    ("return", SPACED),
    ("self", OPERAND),
    ("static", SPACED),
    ("struct", BODY),
    ("super", OPERAND),
    ("trait", BODY),
    ("true", OPERAND),
    ("type", SPACED),
    ("unsafe", BODY),
    ("use", SPACED),
    ("where", SPACED),
    ("while", BODY),
    ("yield", SPACED),
];

/// [`SPECIAL_IDENTS`]' names, for a lookup by hash (every identifier of the text is
/// looked up).
static SPECIAL_IDENT_NAMES: ShortNames = short_names!(SPECIAL_IDENTS.0);

/// What the identifier `text` tells the layout.
pub(super) fn ident_facts(text: &str) -> IdentFacts {
    SPECIAL_IDENT_NAMES
        .position(text)
        .map_or(OPERAND, |index| SPECIAL_IDENTS[index].1)
}

/// Whether a space goes between `prev` and the next atom (`role` when it is an operator).
pub(super) fn spaced(prev: Prev, next: &Atom, role: Option<Role>) -> bool {
    if let (Prev::Op(Role::MacroBang), Atom::Group(group)) = (prev, next) {
        // `name! { ... }`, but `name!(...)` and `name![...]`.
        return group.delimiter() == Delimiter::Brace;
    }
    if !prev.wants_space_after() {
        return false;
    }
    match (next, role) {
        (Atom::Op(_), Some(role)) => match role {
            Role::Binary | Role::Prefix | Role::OpenClosure | Role::EmptyClosure => true,
            Role::Path | Role::Dot => prev.starts_expression(),
            _ => false,
        },
        (Atom::Group(group), _) => match group.delimiter() {
            Delimiter::Brace | Delimiter::None => true,
            Delimiter::Parenthesis | Delimiter::Bracket => match prev {
                Prev::Keyword { paren_spaced } => paren_spaced,
                Prev::Op(Role::GenericClose) => false,
                Prev::Op(_) | Prev::Attribute => true,
                _ => false,
            },
        },
        (
            Atom::Ident(_)
            | Atom::Literal(_)
            | Atom::Lifetime(_)
            | Atom::Attribute { .. }
            | Atom::Doc { .. }
            | Atom::Op(_),
            _,
        ) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_idents_are_found() {
        for (name, facts) in SPECIAL_IDENTS {
            assert_eq!(ident_facts(name), facts, "{name}");
        }
        for name in ["selfish", "Sel", "lets", "fnord", "i", "continues", "value"] {
            assert_eq!(ident_facts(name), OPERAND, "{name}");
        }
        assert_eq!(ident_facts("if").prev, Prev::Keyword { paren_spaced: true });
        assert_eq!(
            ident_facts("pub").prev,
            Prev::Keyword {
                paren_spaced: false
            }
        );
        assert!(ident_facts("let").starts_let && !ident_facts("let").expects_body);
        assert!(ident_facts("fn").expects_body);
    }
}
