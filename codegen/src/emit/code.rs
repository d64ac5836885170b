//! Rust source as text, written with `quote!`'s syntax. The emitter writes hundreds of
//! thousands of tokens for a big spec; as `proc_macro2` tokens each one was an allocation
//! that every `#stream` interpolation copied again, a third of the emitter's time. Text
//! costs a `push_str` per token and per interpolation. The compiler and the layout stage
//! read the text back as tokens.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Rust source text: tokens, each followed by one space.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    /// No tokens.
    pub fn new() -> Code {
        Code::default()
    }

    /// No tokens yet, with room for `capacity` bytes of them.
    pub fn with_capacity(capacity: usize) -> Code {
        Code(String::with_capacity(capacity))
    }

    /// Removes every token, keeping the room they took.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Makes room for at least `additional` bytes more.
    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Adds tokens written out as text (one token, or several separated by spaces).
    pub fn push(&mut self, tokens: &str) {
        self.0.push_str(tokens);
        self.0.push(' ');
    }

    /// A `///` doc comment of one line: `///`, and a space and `line` unless it is empty
    /// (rustdoc strips one leading space; an empty line gets none, so that no `///` line
    /// ends in a space). `line` must be printable ASCII: the caller writes anything else as
    /// a `#[doc = "..."]` string, which can escape it. A comment is a token the compiler
    /// and the layout read as it is, where a string is escaped here and unescaped there.
    pub fn doc_comment(&mut self, line: &str) {
        debug_assert!(is_comment_text(line), "{line:?}");
        self.0.reserve(line.len() + 5);
        self.0.push_str("///");
        if !line.is_empty() {
            self.0.push(' ');
            self.0.push_str(line);
        }
        self.0.push('\n');
    }

    /// The text of `tokens`, for code made elsewhere (a path the user wrote, say).
    pub fn from_tokens(tokens: &proc_macro2::TokenStream) -> Code {
        let mut code = Code::new();
        code.push(&tokens.to_string());
        code
    }

    /// The tokens of `self`, as `proc_macro2` reads them (inside a proc macro, the
    /// compiler's own lexer).
    pub fn to_tokens(&self) -> Result<proc_macro2::TokenStream, proc_macro2::LexError> {
        self.0.parse()
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.trim_end())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.trim_end())
    }
}

/// What `#value` writes inside `code!`.
pub trait ToCode {
    /// Writes the tokens of `self` at the end of `code`.
    fn write_to(&self, code: &mut Code);

    /// About how many bytes [`ToCode::write_to`] writes: `code!` makes room for its body
    /// and what it interpolates before writing, so that the text seldom grows (each growth
    /// a copy of everything written so far).
    fn size_hint(&self) -> usize {
        16
    }
}

impl ToCode for Code {
    fn write_to(&self, code: &mut Code) {
        code.0.push_str(&self.0);
    }

    fn size_hint(&self) -> usize {
        self.0.len()
    }
}

impl<T: ToCode + ?Sized> ToCode for &T {
    fn write_to(&self, code: &mut Code) {
        (**self).write_to(code);
    }

    fn size_hint(&self) -> usize {
        (**self).size_hint()
    }
}

impl<T: ToCode + ?Sized> ToCode for std::rc::Rc<T> {
    fn write_to(&self, code: &mut Code) {
        (**self).write_to(code);
    }

    fn size_hint(&self) -> usize {
        (**self).size_hint()
    }
}

impl<T: ToCode> ToCode for Option<T> {
    fn write_to(&self, code: &mut Code) {
        if let Some(inner) = self {
            inner.write_to(code);
        }
    }

    fn size_hint(&self) -> usize {
        self.as_ref().map_or(0, ToCode::size_hint)
    }
}

/// Code made once and written in many places (the doc attributes specs repeat): one
/// allocation holding its text, shared, so that a copy costs a count. The allocation may
/// start with a key the code was made from ([`SharedCode::with_key`]), kept in the same
/// allocation rather than one of its own.
#[derive(Clone, Debug)]
pub struct SharedCode {
    text: std::rc::Rc<str>,
    /// Where the code starts in `text`: after its key.
    start: usize,
}

impl SharedCode {
    /// `code`'s text, shared.
    pub fn new(code: &Code) -> SharedCode {
        SharedCode {
            text: std::rc::Rc::from(code.as_str()),
            start: 0,
        }
    }

    /// `key` then `code` in one allocation (`key` is kept in `scratch` while they are
    /// joined); [`SharedCode::key`] is `key`.
    pub fn with_key(key: &str, code: &Code, scratch: &mut String) -> SharedCode {
        scratch.clear();
        scratch.push_str(key);
        scratch.push_str(code.as_str());
        SharedCode {
            text: std::rc::Rc::from(scratch.as_str()),
            start: key.len(),
        }
    }

    /// The key it was made with, or nothing.
    pub fn key(&self) -> &str {
        &self.text[..self.start]
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.text[self.start..]
    }
}

impl ToCode for SharedCode {
    fn write_to(&self, code: &mut Code) {
        code.0.push_str(self.as_str());
    }

    fn size_hint(&self) -> usize {
        self.as_str().len()
    }
}

/// An integer literal without a type suffix, written where it is interpolated.
pub struct Unsuffixed<T: std::fmt::Display>(pub T);

impl<T: std::fmt::Display> ToCode for Unsuffixed<T> {
    fn write_to(&self, code: &mut Code) {
        // Writing into a `String` cannot fail.
        let _ = write!(code.0, "{} ", self.0);
    }

    fn size_hint(&self) -> usize {
        4
    }
}

/// Code that `F` writes where it is interpolated: a piece a helper makes is then written
/// straight into the code around it, rather than made as text of its own and copied.
pub struct Writer<F: Fn(&mut Code)>(pub F);

impl<F: Fn(&mut Code)> ToCode for Writer<F> {
    fn write_to(&self, code: &mut Code) {
        (self.0)(code);
    }
}

/// `T`, with about how many bytes it writes: a [`Writer`]'s own guess is small.
pub struct SizeHinted<T>(pub usize, pub T);

impl<T: ToCode> ToCode for SizeHinted<T> {
    fn write_to(&self, code: &mut Code) {
        self.1.write_to(code);
    }

    fn size_hint(&self) -> usize {
        self.0
    }
}

/// Whether `line` can be the text of a `///` comment (after its space) as it is:
/// printable ASCII, tabs too.
pub fn is_comment_text(line: &str) -> bool {
    line.bytes().all(is_comment_byte)
}

/// Whether `byte` can stand in a `///` comment's text: printable ASCII or a tab.
pub fn is_comment_byte(byte: u8) -> bool {
    matches!(byte, b' '..=b'~' | b'\t')
}

/// Text is a string literal, as in `quote!`.
impl ToCode for str {
    fn write_to(&self, code: &mut Code) {
        // Most text (docs, wire names) needs no escape and is copied as it is; otherwise
        // `str`'s `Debug` is a valid Rust string literal: quotes and backslashes escaped,
        // control and invisible characters as `\n`, `\u{200b}`, ...
        // Checked in a loop without an early exit, which the compiler vectorizes.
        let plain = self.bytes().fold(true, |plain, byte| {
            plain & (matches!(byte, b' '..=b'~') && byte != b'"' && byte != b'\\')
        });
        if plain {
            code.0.reserve(self.len() + 3);
            code.0.push('"');
            code.0.push_str(self);
            code.0.push_str("\" ");
        } else {
            let _ = write!(code.0, "{self:?} ");
        }
    }

    fn size_hint(&self) -> usize {
        self.len() + 3
    }
}

/// Text that is owned: a string literal, as `str` writes it.
macro_rules! owned_texts {
    ($($text:ty)*) => {$(
        impl ToCode for $text {
            fn write_to(&self, code: &mut Code) {
                self.as_str().write_to(code);
            }

            fn size_hint(&self) -> usize {
                self.as_str().size_hint()
            }
        }
    )*};
}

owned_texts!(String smol_str::SmolStr);

impl ToCode for bool {
    fn write_to(&self, code: &mut Code) {
        code.push(if *self { "true" } else { "false" });
    }
}

/// Integers are literals with their type's suffix, as in `quote!`.
macro_rules! suffixed_integers {
    ($($integer:ident)*) => {$(
        impl ToCode for $integer {
            fn write_to(&self, code: &mut Code) {
                let _ = write!(code.0, "{}{} ", self, stringify!($integer));
            }
        }
    )*};
}
suffixed_integers!(u8 u16 u32 u64 usize i8 i16 i32 i64 isize);

/// An identifier: a name written as it is, or as `r#name` when it is a keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name<'a>(Cow<'a, str>);

impl Name<'_> {
    /// `name` as an identifier, raw when it is a keyword (only then a copy). `name` must
    /// be a valid identifier: names from a spec go through [`crate::ir::naming`] first.
    pub fn new(name: &str) -> Name<'_> {
        Name::raw_if_keyword(Cow::Borrowed(name))
    }

    /// [`Name::new`] of a name made by the emitter.
    pub fn owned(name: String) -> Name<'static> {
        Name::raw_if_keyword(Cow::Owned(name))
    }

    fn raw_if_keyword(name: Cow<'_, str>) -> Name<'_> {
        if crate::ir::naming::is_keyword(&name) {
            Name(Cow::Owned(["r#", &name].concat()))
        } else {
            Name(name)
        }
    }
}

impl ToCode for Name<'_> {
    fn write_to(&self, code: &mut Code) {
        code.push(&self.0);
    }

    fn size_hint(&self) -> usize {
        self.0.len() + 1
    }
}

/// The identifier as written (`r#` included).
impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a `#value` inside a `#(...)*` repetition is read: an iterator item by item, a
/// `Vec` or slice element by element, anything else the same each time. Which applies is
/// chosen by method resolution (by value, then by reference), as `quote!` does.
pub mod repetition {
    use super::ToCode;

    /// Iterators are repeated item by item (and consumed).
    pub trait ByIterator: Iterator + Sized {
        fn code_repetition(self) -> (Self, bool) {
            (self, true)
        }
    }
    impl<T: Iterator> ByIterator for T {}

    /// Slices (and `Vec`s, through `Deref`) are repeated element by element.
    pub trait BySlice {
        type Element;
        fn code_repetition(&self) -> (std::slice::Iter<'_, Self::Element>, bool);
    }
    impl<T> BySlice for [T] {
        type Element = T;
        fn code_repetition(&self) -> (std::slice::Iter<'_, T>, bool) {
            (self.iter(), true)
        }
    }

    /// Anything else is written the same in every round.
    pub trait Repeated: ToCode {
        fn code_repetition(&self) -> (std::iter::Repeat<&Self>, bool) {
            (std::iter::repeat(self), false)
        }
    }
    impl<T: ToCode + ?Sized> Repeated for T {}
}

/// Rust source text from tokens, with `quote!`'s interpolations: `#value` writes a
/// [`ToCode`], `#(...)*` and `#(...),*` repeat over the iterators, `Vec`s and slices
/// named inside (at least one must be).
///
/// Each token is written through `stringify!` with the three tokens before and after it
/// in view, so that a long body expands without recursion; only groups recurse.
macro_rules! code {
    () => { $crate::emit::code::Code::new() };
    ($($tokens:tt)*) => {{
        // Room for the body's own text twice over (what a repetition writes is not
        // counted), what it interpolates, and a name more.
        let capacity = stringify!($($tokens)*).len() * 2 + code_size!($($tokens)*) + 32;
        let mut code = $crate::emit::code::Code::with_capacity(capacity);
        code_into!(code; $($tokens)*);
        code
    }};
}

/// About how many bytes the `#value`s of a [`code!`] body write ([`ToCode::size_hint`]),
/// but for those inside a repetition. Each token is seen with the one before it (`#`), so
/// that only groups recurse, as in [`code!`].
macro_rules! code_size {
    ($($tokens:tt)*) => {
        code_size_windows!((@ $(($tokens))*) ($(($tokens))* @))
    };
}

/// Zips a body with itself shifted by one: each token with the one before it.
macro_rules! code_size_windows {
    (($($before:tt)*) ($($token:tt)*)) => {
        0 $(+ code_size_token!($before $token))*
    };
}

/// What one token of a [`code!`] body adds to its size.
macro_rules! code_size_token {
    ((#) ($value:ident)) => {
        $crate::emit::code::ToCode::size_hint(&$value)
    };
    // A repetition's items are counted as they are written.
    ((#) (( $($inner:tt)* ))) => {
        0
    };
    ($before:tt (( $($inner:tt)* ))) => {
        code_size!($($inner)*)
    };
    ($before:tt ([ $($inner:tt)* ])) => {
        code_size!($($inner)*)
    };
    ($before:tt ({ $($inner:tt)* })) => {
        code_size!($($inner)*)
    };
    ($before:tt $token:tt) => {
        0
    };
}

/// [`code!`] appending to an existing `Code` variable.
macro_rules! code_into {
    ($code:ident;) => {};
    ($code:ident; $($tokens:tt)*) => {
        code_windows!(
            $code;
            (@ @ @ @ @ @ $(($tokens))*)
            (@ @ @ @ @ $(($tokens))* @)
            (@ @ @ @ $(($tokens))* @ @)
            (@ @ @ $(($tokens))* @ @ @)
            (@ @ $(($tokens))* @ @ @ @)
            (@ $(($tokens))* @ @ @ @ @)
            ($(($tokens))* @ @ @ @ @ @)
        )
    };
}

/// Zips the seven shifted copies of a body: each token with three before and three after.
/// A real token is wrapped in parentheses; a bare `@` is the padding around the body.
macro_rules! code_windows {
    ($code:ident; ($($b3:tt)*) ($($b2:tt)*) ($($b1:tt)*) ($($token:tt)*) ($($a1:tt)*) ($($a2:tt)*) ($($a3:tt)*)) => {
        $( code_token!($code; $b3 $b2 $b1 $token $a1 $a2 $a3); )*
    };
}

/// One token of a [`code!`] body, in view of its neighbours.
macro_rules! code_token {
    // Padding.
    ($code:ident; $b3:tt $b2:tt $b1:tt @ $a1:tt $a2:tt $a3:tt) => {};
    // `#( ... )*` and `#( ... ) sep *`: the `#` writes the repetition, the rest is skipped.
    ($code:ident; $b3:tt $b2:tt $b1:tt (#) (( $($inner:tt)* )) (*) $a3:tt) => {
        code_repetition!($code; () $($inner)*);
    };
    ($code:ident; $b3:tt $b2:tt $b1:tt (#) (( $($inner:tt)* )) ($separator:tt) (*)) => {
        code_repetition!($code; ($separator) $($inner)*);
    };
    ($code:ident; $b3:tt $b2:tt (#) (( $($inner:tt)* )) (*) $a2:tt $a3:tt) => {};
    ($code:ident; $b3:tt $b2:tt (#) (( $($inner:tt)* )) $separator:tt (*) $a3:tt) => {};
    ($code:ident; $b3:tt (#) (( $($inner:tt)* )) (*) $a1:tt $a2:tt $a3:tt) => {};
    ($code:ident; $b3:tt (#) (( $($inner:tt)* )) $separator:tt (*) $a2:tt $a3:tt) => {};
    ($code:ident; (#) (( $($inner:tt)* )) $separator:tt (*) $a1:tt $a2:tt $a3:tt) => {};
    // `#value`.
    ($code:ident; $b3:tt $b2:tt $b1:tt (#) ($value:ident) $a2:tt $a3:tt) => {
        $crate::emit::code::ToCode::write_to(&$value, &mut $code);
    };
    ($code:ident; $b3:tt $b2:tt (#) ($value:ident) $a1:tt $a2:tt $a3:tt) => {};
    // Groups.
    ($code:ident; $b3:tt $b2:tt $b1:tt (( $($inner:tt)* )) $a1:tt $a2:tt $a3:tt) => {
        $code.push("(");
        code_into!($code; $($inner)*);
        $code.push(")");
    };
    ($code:ident; $b3:tt $b2:tt $b1:tt ([ $($inner:tt)* ]) $a1:tt $a2:tt $a3:tt) => {
        $code.push("[");
        code_into!($code; $($inner)*);
        $code.push("]");
    };
    ($code:ident; $b3:tt $b2:tt $b1:tt ({ $($inner:tt)* }) $a1:tt $a2:tt $a3:tt) => {
        $code.push("{");
        code_into!($code; $($inner)*);
        $code.push("}");
    };
    // Any other token, as written.
    ($code:ident; $b3:tt $b2:tt $b1:tt ($token:tt) $a1:tt $a2:tt $a3:tt) => {
        $code.push(stringify!($token));
    };
}

/// The body of a repetition, once per round, `separator` between rounds. A round ends the
/// repetition when any iterator named inside runs out.
macro_rules! code_repetition {
    ($code:ident; ($($separator:tt)?) $($inner:tt)*) => {
        code_repetition_values!($code; ($($separator)?) () ($($inner)*) $($inner)*)
    };
}

/// Finds the `#value`s of a repetition body (`found`), then writes the loop.
macro_rules! code_repetition_values {
    ($code:ident; ($($separator:tt)?) ($($found:ident)*) ($($body:tt)*)) => {{
        #[allow(unused_imports)]
        use $crate::emit::code::repetition::{ByIterator as _, BySlice as _, Repeated as _};
        let mut any_iterator = false;
        $(
            #[allow(unused_mut)]
            let (mut $found, iterates) = $found.code_repetition();
            any_iterator |= iterates;
        )*
        assert!(any_iterator, "a repetition in code! names no iterator");
        $(
            let mut first = true;
            let _ = stringify!($separator);
        )?
        loop {
            $(
                let Some($found) = $found.next() else { break };
            )*
            $(
                if !first {
                    $code.push(stringify!($separator));
                }
                first = false;
            )?
            code_into!($code; $($body)*);
        }
    }};
    ($code:ident; $separator:tt ($($found:ident)*) $body:tt # $value:ident $($rest:tt)*) => {
        code_repetition_values!($code; $separator ($($found)* $value) $body $($rest)*)
    };
    ($code:ident; $separator:tt $found:tt $body:tt ( $($inner:tt)* ) $($rest:tt)*) => {
        code_repetition_values!($code; $separator $found $body $($inner)* $($rest)*)
    };
    ($code:ident; $separator:tt $found:tt $body:tt [ $($inner:tt)* ] $($rest:tt)*) => {
        code_repetition_values!($code; $separator $found $body $($inner)* $($rest)*)
    };
    ($code:ident; $separator:tt $found:tt $body:tt { $($inner:tt)* } $($rest:tt)*) => {
        code_repetition_values!($code; $separator $found $body $($inner)* $($rest)*)
    };
    ($code:ident; $separator:tt $found:tt $body:tt $other:tt $($rest:tt)*) => {
        code_repetition_values!($code; $separator $found $body $($rest)*)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_the_string_literal_debug_writes() {
        for text in [
            "it's plain ~ text",
            "",
            "a \"quote\"",
            "back\\slash",
            "tab\tline\n",
            "ünï\u{200b}",
        ] {
            let mut code = Code::default();
            text.write_to(&mut code);
            assert_eq!(code.0, format!("{text:?} "));
        }
    }

    #[test]
    fn a_body_is_sized_by_what_it_interpolates_outside_repetitions() {
        let big = Code(" ".repeat(5000));
        let name = Name::new("type");
        let list = [code!(a), code!(b)];
        let size = code_size!(fn f(#name) { #big [#big] } #(#list),* #[doc = #name]);
        assert_eq!(size, 2 * 5000 + 2 * (name.to_string().len() + 1));
        assert_eq!(code!(#(#list),*).to_string(), "a , b");
    }

    #[test]
    fn tokens_are_written_as_text() {
        let name = Name::new("type");
        let ty = code!(Vec<String>);
        let code = code! {
            /// Docs.
            pub struct #name { field: #ty, other: [u8; 4], }
            fn f<'a>(x: &'a str) -> bool { x == "q\"" && 1u16 >= 2 }
        };
        assert_eq!(
            code.to_string(),
            "# [ doc = r\" Docs.\" ] pub struct r#type { field : Vec < String > , other : [ u8 ; 4 ] , } \
             fn f < 'a > ( x : & 'a str ) -> bool { x == \"q\\\"\" && 1u16 >= 2 }"
        );
    }

    #[test]
    fn values_are_literals_as_in_quote() {
        let text = "a \"b\"\n\u{200b}";
        let count = 3usize;
        let flag = true;
        let none: Option<Code> = None;
        let code = code!(#text #count #flag #none);
        assert_eq!(code.to_string(), r#""a \"b\"\n\u{200b}" 3usize true"#);
        let status = Unsuffixed(404);
        assert_eq!(code!(#status).to_string(), "404");
    }

    #[test]
    fn repetitions_zip_iterators_and_repeat_the_rest() {
        let names: Vec<Name> = ["a", "b"].into_iter().map(Name::new).collect();
        let values = ["x", "y", "z"].iter().map(|value| code!(#value));
        let runtime = code!(::tether);
        let code = code!(match v { #(#values => #runtime::#names,)* });
        assert_eq!(
            code.to_string(),
            "match v { \"x\" => :: tether :: a , \"y\" => :: tether :: b , }"
        );
        let tags = [code!(A), code!(B), code!(C)];
        assert_eq!(code!(#(#tags)|*).to_string(), "A | B | C");
        assert_eq!(code!(f(#(#tags),*)).to_string(), "f ( A , B , C )");
        let empty: Vec<Code> = Vec::new();
        assert_eq!(code!(f(#(#empty),*)).to_string(), "f ( )");
    }

    #[test]
    fn text_reads_back_as_the_tokens_quote_writes() {
        let name = Name::new("in");
        let from_code = code!(#[derive(Debug)] enum E { #name(u8), B { c: Option<&'static str> } }
            impl E { fn f(&self) -> Result<(), ()> { let _ = 1..=2; Ok(()) } });
        let from_quote = quote::quote!(#[derive(Debug)] enum E { r#in(u8), B { c: Option<&'static str> } }
            impl E { fn f(&self) -> Result<(), ()> { let _ = 1..=2; Ok(()) } });
        let tokens = from_code.to_tokens().expect("valid Rust tokens");
        assert_eq!(tokens.to_string(), from_quote.to_string());
    }
}
