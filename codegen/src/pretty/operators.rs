//! Rust's operators as the layout reads them: one value each, so that the printer tells them
//! apart by a byte rather than by comparing their text (it asks of every mark it writes what
//! it is), with the text each is written as and which two would read back as one.

/// Declares [`Operator`] from its variants and their text, in the order of
/// [`Operator::ALL`].
macro_rules! operators {
    ($($variant:ident $text:literal,)*) => {
        /// One of Rust's operators or single punctuation marks.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub(super) enum Operator {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl Operator {
            /// Every operator, longest first so that a greedy split finds `..=` before
            /// `..`; every single mark comes last, so that a split always moves on.
            pub(super) const ALL: &[Operator] = &[$(Operator::$variant,)*];

            pub(super) const fn text(self) -> &'static str {
                match self {
                    $(Operator::$variant => $text,)*
                }
            }
        }
    };
}

// `>>` is not one: in generated code it closes two generics, which the layout may break
// apart (a shift reads back the same from two `>`).
operators! {
    DotDotEq "..=",
    DotDotDot "...",
    ShlAssign "<<=",
    ShrAssign ">>=",
    PathSep "::",
    Arrow "->",
    FatArrow "=>",
    EqEq "==",
    NotEq "!=",
    Le "<=",
    Ge ">=",
    AndAnd "&&",
    OrOr "||",
    DotDot "..",
    PlusAssign "+=",
    MinusAssign "-=",
    StarAssign "*=",
    SlashAssign "/=",
    PercentAssign "%=",
    CaretAssign "^=",
    AndAssign "&=",
    OrAssign "|=",
    Shl "<<",
    Plus "+",
    Minus "-",
    Star "*",
    Slash "/",
    Percent "%",
    Caret "^",
    Bang "!",
    And "&",
    Or "|",
    Assign "=",
    Lt "<",
    Gt ">",
    At "@",
    Dot ".",
    Comma ",",
    Semicolon ";",
    Colon ":",
    Pound "#",
    Dollar "$",
    Question "?",
    Tilde "~",
    Quote "'",
}

impl Operator {
    /// The operator of a mark that stands alone, if the mark is one.
    pub(super) fn single(mark: u8) -> Option<Operator> {
        SINGLE_MARKS.get(usize::from(mark)).copied().flatten()
    }

    /// The longest operator `run` (joined marks) starts with, if any: only the operators
    /// that start with its first mark are tried, longest first.
    pub(super) fn longest_at_start(run: &[u8]) -> Option<Operator> {
        let first = *run.first()?;
        BY_FIRST_MARK
            .get(usize::from(first))?
            .iter()
            .flatten()
            .copied()
            .find(|operator| run.starts_with(operator.text().as_bytes()))
    }

    /// Whether this and `next`, printed side by side, would be read back as one operator.
    pub(super) fn would_join(self, next: Operator) -> bool {
        JOINING[self as usize] >> next as usize & 1 == 1
    }
}

/// The single-mark operators by their ASCII byte: a table rather than a search of
/// [`Operator::ALL`], since every mark of the text is looked up (even trying only the
/// operators of its first mark, [`BY_FIRST_MARK`], took the layout 3 % more instructions
/// for nexus).
static SINGLE_MARKS: [Option<Operator>; 128] = {
    let mut table = [None; 128];
    let mut index = 0;
    while index < Operator::ALL.len() {
        let operator = Operator::ALL[index];
        if let [mark] = operator.text().as_bytes() {
            table[*mark as usize] = Some(operator);
        }
        index += 1;
    }
    table
};

/// The operators that start with each ASCII mark, in the order of [`Operator::ALL`]
/// (longest first): four at most (`..=`, `...`, `..`, `.`).
static BY_FIRST_MARK: [[Option<Operator>; 4]; 128] = {
    let mut table = [[None; 4]; 128];
    let mut index = 0;
    while index < Operator::ALL.len() {
        let operator = Operator::ALL[index];
        let first = operator.text().as_bytes()[0] as usize;
        let mut slot = 0;
        while table[first][slot].is_some() {
            slot += 1;
        }
        table[first][slot] = Some(operator);
        index += 1;
    }
    table
};

/// For each operator, the bit of every operator that would join it when written right
/// after it (asked between every two operators written side by side): the last mark of
/// the first and the first of the second make an operator of two marks or more.
static JOINING: [u64; Operator::ALL.len()] = {
    // By ASCII mark, the bit of each mark that follows it at the start of an operator.
    let mut pairs = [0u128; 128];
    let mut index = 0;
    while index < Operator::ALL.len() {
        if let [first, second, ..] = Operator::ALL[index].text().as_bytes() {
            pairs[*first as usize] |= 1 << *second;
        }
        index += 1;
    }
    let mut table = [0u64; Operator::ALL.len()];
    let mut first = 0;
    while first < Operator::ALL.len() {
        let last = *last_byte(Operator::ALL[first].text().as_bytes());
        let mut second = 0;
        while second < Operator::ALL.len() {
            let next = Operator::ALL[second].text().as_bytes()[0];
            if pairs[last as usize] >> next & 1 == 1 {
                table[Operator::ALL[first] as usize] |= 1 << Operator::ALL[second] as usize;
            }
            second += 1;
        }
        first += 1;
    }
    table
};

/// The last byte of an operator's text, which is never empty.
const fn last_byte(bytes: &[u8]) -> &u8 {
    match bytes {
        [.., last] => last,
        [] => panic!("an operator has a mark"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator(text: &str) -> Operator {
        *Operator::ALL
            .iter()
            .find(|operator| operator.text() == text)
            .expect("an operator")
    }

    #[test]
    fn marks_that_would_read_back_as_one_operator_are_told_apart() {
        let joins = |first, second| operator(first).would_join(operator(second));
        assert!(joins("&", "&"));
        assert!(joins("=", ">"));
        assert!(joins(">", ">="));
        assert!(!joins(">", "::"));
        assert!(!joins("::", "<"));
        assert!(!joins(",", ","));
    }

    #[test]
    fn a_run_starts_with_its_longest_operator() {
        for operator in Operator::ALL {
            let text = operator.text().as_bytes();
            assert_eq!(Operator::longest_at_start(text), Some(*operator));
            // Followed by a mark no operator continues with, it is still found.
            let mut longer = text.to_vec();
            longer.push(b'#');
            assert_eq!(Operator::longest_at_start(&longer), Some(*operator));
        }
        assert_eq!(Operator::longest_at_start(b"::<"), Some(Operator::PathSep));
        assert_eq!(Operator::longest_at_start(b">>"), Some(Operator::Gt));
        assert_eq!(Operator::longest_at_start(b""), None);
        assert_eq!(Operator::longest_at_start(b"a"), None);
    }

    #[test]
    fn a_single_mark_is_its_operator_and_other_bytes_none() {
        assert_eq!(Operator::single(b','), Some(Operator::Comma));
        assert_eq!(Operator::single(b'\''), Some(Operator::Quote));
        assert_eq!(Operator::single(b'a'), None);
        assert_eq!(Operator::single(0xC3), None);
    }
}
