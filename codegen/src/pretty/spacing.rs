//! Where a space goes between two atoms on one line: the rules rustfmt follows for the
//! Rust that tether generates (`a: B`, `x = y`, `&self`, `f(x)`, `if (`, `Vec<T>`,
//! `|v| v.a`), decided from what was written last and what comes next.

use proc_macro2::Delimiter;

use super::atoms::{Atom, Word};

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
pub(super) fn role(operator: &str, prev: Prev, closure_open: bool) -> Role {
    match operator {
        "::" => Role::Path,
        "." | ".." | "..." | "..=" => Role::Dot,
        ":" => Role::Colon,
        "," => Role::Comma,
        ";" => Role::Semicolon,
        "?" => Role::Try,
        "<" => Role::GenericOpen,
        ">" => Role::GenericClose,
        "|" if closure_open => Role::CloseClosure,
        "!" if prev == Prev::Operand => Role::MacroBang,
        "|" if !prev.ends_value() => Role::OpenClosure,
        "||" if !prev.ends_value() => Role::EmptyClosure,
        "&" | "*" | "-" | "&&" | "!" if !prev.ends_value() => Role::Prefix,
        "#" | "$" | "~" | "'" => Role::Other,
        _ => Role::Binary,
    }
}

/// What `prev` becomes after writing the identifier `text`.
pub(super) fn after_ident(text: &str) -> Prev {
    match text {
        // Keywords that are values.
        "self" | "Self" | "super" | "crate" | "true" | "false" => Prev::Operand,
        "pub" | "fn" => Prev::Keyword {
            paren_spaced: false,
        },
        _ if is_keyword(text) => Prev::Keyword { paren_spaced: true },
        _ => Prev::Operand,
    }
}

fn is_keyword(text: &str) -> bool {
    matches!(
        text,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
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
        (Atom::Word(_) | Atom::Attribute { .. } | Atom::Doc(_) | Atom::Op(_), _) => true,
    }
}

/// What `prev` becomes after writing `word` (whose text is `text`).
pub(super) fn after_word(word: &Word, text: &str) -> Prev {
    match word {
        Word::Ident(_) => after_ident(text),
        Word::Literal(_) => Prev::Operand,
        // `&'a [T]`, `&'a (A, B)`: spaced like after a keyword.
        Word::Lifetime(_) => Prev::Keyword { paren_spaced: true },
    }
}
