//! Generated tokens laid out as source a person can read: items, statements, fields and
//! match arms one per line, bodies indented, a group of parentheses or brackets on one
//! line while it fits in 100 columns and one element per line when it does not, doc
//! attributes as `///` comments.
//!
//! tether lays out its own tokens rather than parsing them back with `syn` and printing
//! them with `prettyplease`: that round trip was three quarters of generation time for
//! the big specs (GitHub's 110,000 lines), and the layout here only needs the shapes of
//! Rust that the emitter writes. It changes no token but the optional trailing comma of a
//! list (dropped on one line, added on several, as rustfmt does), so the output reads back
//! as the tokens it came from (the tests check exactly that).

mod atoms;
mod groups;
mod lexer;
mod operators;
mod spacing;

use proc_macro2::Delimiter;

use atoms::{write_doc, Atom, Group};
use groups::Delimited;
use operators::Operator;
use spacing::{IdentFacts, Prev, Role};

/// Columns a line may take before a group on it is broken over several lines.
const WIDTH: usize = 100;
const INDENT: &str = "    ";

/// How many tokens the layout reads at a time (whole items, so a few more): enough that
/// a stretch costs little to start, few enough that its atoms stay in cache and their
/// arena small (16 K tokens made an arena of half a megabyte, fresh pages for every
/// layout: nexus' layout took 230 page faults a run, 120 at 4 K, and generation 3 % less
/// time).
const STRETCH: usize = 4 * 1024;

/// How many bytes of items [`pretty_items`] gathers before it lays them out: an item is a
/// few hundred bytes, and a layout costs a little to start.
const BATCH: usize = 32 * 1024;

/// `code` (a file's or a module's items) as formatted source.
pub fn pretty(code: &crate::emit::Code) -> String {
    in_stretches(code.as_str(), STRETCH)
}

/// `items` (whole items each) as formatted source: [`pretty`] of their text joined,
/// without joining it, but for a batch at a time in a buffer of its own, read while it
/// is fresh in cache.
pub(crate) fn pretty_items(items: &[crate::emit::Code]) -> String {
    let mut formatter =
        Formatter::for_text(items.iter().map(|item| item.as_str().len()).sum::<usize>());
    let mut batch = String::with_capacity(BATCH + BATCH / 4);
    for item in items {
        batch.push_str(item.as_str());
        if batch.len() >= BATCH {
            formatter.lay_out(&batch, STRETCH);
            batch.clear();
        }
    }
    formatter.lay_out(&batch, STRETCH);
    formatter.finish()
}

/// `text` laid out, its tokens read `stretch` at a time (in whole items): the layout is
/// the same whatever the stretch.
fn in_stretches(text: &str, stretch: usize) -> String {
    let mut formatter = Formatter::for_text(text.len());
    formatter.lay_out(text, stretch);
    formatter.finish()
}

/// The layout of a text given a part (whole items) at a time.
struct Formatter {
    out: String,
    /// Where the current line starts in `out`.
    line_start: usize,
    /// What the top level has seen so far.
    level: Level,
}

impl Formatter {
    /// A layout for `length` bytes of text, with room for its formatted source (the
    /// layout adds indentation and line breaks), made at once: grown as it was written
    /// (measured with each batch laid out as the emitter made it), nexus' source was
    /// copied at each doubling, and a process' third generation took 125 fresh pages
    /// against 2.
    fn for_text(length: usize) -> Self {
        Formatter {
            out: String::with_capacity(length * 5 / 4),
            line_start: 0,
            level: Level::after(Prev::Start),
        }
    }

    /// Lays out `text`, the next whole items, its tokens read `stretch` at a time.
    fn lay_out(&mut self, text: &str, stretch: usize) {
        let mut lexer = lexer::Lexer::new(text);
        while let Some(items) = lexer.next_items(stretch) {
            let mut printer = Printer {
                out: std::mem::take(&mut self.out),
                indent: 0,
                line_start: self.line_start,
                limit: WIDTH,
                flat_failed: false,
                arena: items.arena,
            };
            printer.list(items.top(), Layout::Lines, &mut self.level);
            (self.out, self.line_start) = (printer.out, printer.line_start);
        }
    }

    /// The formatted source.
    fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Items, statements, fields and arms: one per line.
    Lines,
    /// A broken parenthesis or bracket: one element (up to its `,`) per line.
    Items,
    /// Everything on the current line; fails past the width or at anything that needs a
    /// line of its own.
    Flat,
}

/// What a brace group is, which decides whether it may stay on one line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BraceKind {
    /// The body of an item or of `if`, `match`, `for`...: always on lines of its own.
    Body,
    /// Any other block (a closure's, a match arm's): on one line while it holds one
    /// short expression.
    Block,
    /// A struct literal or a struct pattern: on one line while it fits.
    Literal,
    /// `use a::{b, c}`: on one line while it fits, without spaces inside.
    UseList,
}

/// What one level of atoms has seen so far.
struct Level {
    prev: Prev,
    /// The operator written last, to keep two marks from reading back as one.
    prev_operator: Option<Operator>,
    /// The kind of the brace group written last, when that was the last atom.
    prev_brace: Option<BraceKind>,
    /// A keyword such as `fn`, `impl` or `if` was seen: the next brace group is its body.
    body_expected: bool,
    /// Between `let` and its `=`: a brace group is a pattern.
    in_let_pattern: bool,
    /// Between a closure's two `|`.
    in_closure_parameters: bool,
    /// How many `<` are open: a comma inside generics (or a closure's parameters) never
    /// breaks a line.
    open_angles: usize,
    /// The depth at which `impl<` or `for<` opened its generics: what follows their `>`
    /// is spaced as after the keyword (`impl<'de> ::serde::Deserialize`).
    keyword_generics: Option<usize>,
    /// The depths of the generics laid out one argument per line, innermost last: a comma
    /// at such a depth breaks the line.
    broken_generics: Vec<usize>,
}

impl Level {
    fn after(prev: Prev) -> Self {
        Level {
            prev,
            prev_operator: None,
            prev_brace: None,
            body_expected: false,
            in_let_pattern: false,
            in_closure_parameters: false,
            open_angles: 0,
            keyword_generics: None,
            broken_generics: Vec::new(),
        }
    }

    fn brace_kind(&self) -> BraceKind {
        if self.in_let_pattern {
            BraceKind::Literal
        } else if self.body_expected {
            BraceKind::Body
        } else if self.prev == Prev::Op(Role::Path) {
            BraceKind::UseList
        } else if matches!(self.prev, Prev::Operand | Prev::Op(Role::GenericClose)) {
            BraceKind::Literal
        } else {
            BraceKind::Block
        }
    }

    /// Takes note of an operator just written.
    fn wrote_operator(&mut self, operator: Operator, role: Role) {
        let after_keyword = matches!(self.prev, Prev::Keyword { .. });
        self.prev = Prev::Op(role);
        self.prev_operator = Some(operator);
        match role {
            Role::Comma | Role::Semicolon if self.open_angles == 0 => {
                self.body_expected = false;
                self.in_let_pattern = false;
            }
            Role::Binary if operator == Operator::Assign => self.in_let_pattern = false,
            Role::OpenClosure => self.in_closure_parameters = true,
            Role::CloseClosure => self.in_closure_parameters = false,
            Role::GenericOpen => {
                if after_keyword {
                    self.keyword_generics = Some(self.open_angles);
                }
                self.open_angles += 1;
            }
            Role::GenericClose => {
                self.open_angles = self.open_angles.saturating_sub(1);
                if self.keyword_generics == Some(self.open_angles) {
                    self.keyword_generics = None;
                    self.prev = Prev::Keyword { paren_spaced: true };
                }
            }
            _ => {}
        }
    }

    /// Takes note of an identifier just written.
    fn wrote_ident(&mut self, facts: IdentFacts) {
        self.in_let_pattern |= facts.starts_let;
        self.body_expected |= facts.expects_body;
        self.prev = facts.prev;
    }
}

struct Printer<'a> {
    out: String,
    indent: usize,
    /// Where the current line starts in `out`.
    line_start: usize,
    /// The column a flat layout may not pass.
    limit: usize,
    /// Set when a flat attempt overflows or meets something that needs its own line.
    flat_failed: bool,
    /// The atoms of the stretch's groups ([`Group::atoms`] says where each group's are).
    arena: &'a [Atom<'a>],
}

impl<'a> Printer<'a> {
    fn column(&self) -> usize {
        self.out.len() - self.line_start
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.line_start = self.out.len();
        for _ in 0..self.indent {
            self.out.push_str(INDENT);
        }
    }

    /// Writes one level of atoms in `layout`, continuing `level`.
    fn list(&mut self, atoms: &[Atom<'a>], layout: Layout, level: &mut Level) {
        // Where a method chain laid out one call per line ends, while in one.
        let mut chain_end: Option<usize> = None;
        // Chains are measured once per stretch between break points.
        let mut measured_until = 0;
        // The generics laid out one argument per line: where each closes, and whether it
        // is a list (a comma at its depth), innermost last.
        let mut broken: Vec<(usize, bool)> = Vec::new();
        for (index, atom) in atoms.iter().enumerate() {
            if chain_end == Some(index) {
                chain_end = None;
                self.indent -= 1;
            }
            let closes_broken = broken.last().is_some_and(|(close, _)| *close == index);
            if let Some((_, is_list)) = closes_broken.then(|| broken.pop()).flatten() {
                if is_list && !matches!(atoms[index - 1], Atom::Op(Operator::Comma)) {
                    self.out.push(',');
                }
                level.broken_generics.pop();
                self.indent -= 1;
                self.newline();
            }
            let role = match atom {
                Atom::Op(operator) => Some(spacing::role(
                    *operator,
                    level.prev,
                    level.in_closure_parameters,
                )),
                _ => None,
            };
            let calls_method = layout != Layout::Flat
                && role == Some(Role::Dot)
                && is_method_call(&atoms[index..]);
            if calls_method && chain_end.is_none() && index >= measured_until {
                measured_until = self.measure_chain(&atoms[index..], level.prev) + index;
                if measured_until > index {
                    chain_end = Some(measured_until);
                    self.indent += 1;
                }
            }
            if calls_method && chain_end.is_some() {
                self.newline();
            } else if !closes_broken {
                self.separate(level, atom, role, layout);
            }
            let breaks_generics = role == Some(Role::GenericOpen) && layout != Layout::Flat;
            let broken_close = breaks_generics
                .then(|| self.generics_that_do_not_fit(atoms, index, level.prev, chain_end))
                .flatten();
            level.prev_brace = None;
            match atom {
                Atom::Ident(text) => {
                    self.out.push_str(text);
                    level.wrote_ident(spacing::ident_facts(text));
                }
                Atom::Literal(text) => {
                    self.out.push_str(text);
                    level.prev = Prev::Operand;
                }
                Atom::Lifetime(name) => {
                    self.out.push('\'');
                    self.out.push_str(name);
                    // `&'a [T]`, `&'a (A, B)`: spaced like after a keyword.
                    level.prev = Prev::Keyword { paren_spaced: true };
                }
                Atom::Op(operator) => {
                    // Most operators are one ASCII mark: pushed as one, without the copy
                    // a string of unknown length takes.
                    match operator.text().as_bytes() {
                        &[mark] => self.out.push(char::from(mark)),
                        _ => self.out.push_str(operator.text()),
                    }
                    level.wrote_operator(*operator, role.unwrap_or(Role::Other));
                    if let Some(close) = broken_close {
                        broken.push((close, commas_at_depth(&atoms[index + 1..close])));
                        level.broken_generics.push(level.open_angles);
                        self.indent += 1;
                        self.newline();
                    }
                }
                Atom::Group(group) => {
                    let rest = &atoms[index + 1..];
                    let (tail_end, then) = tail(rest, chain_end.is_some());
                    self.group_atom(group, level, layout, &rest[..tail_end], then);
                }
                Atom::Attribute { inner, body } => {
                    self.attribute(*inner, body);
                    level.prev = Prev::Attribute;
                }
                Atom::Doc { text, escaped } => {
                    if layout == Layout::Flat {
                        self.flat_failed = true;
                    }
                    self.out.push_str("///");
                    write_doc(text, *escaped, &mut self.out);
                    level.prev = Prev::Doc;
                }
            }
            if layout == Layout::Flat && (self.flat_failed || self.column() > self.limit) {
                self.flat_failed = true;
                return;
            }
        }
        if chain_end.is_some() {
            self.indent -= 1;
        }
    }

    /// At the first `.call()` of a stretch of `atoms` (up to the next break point): how
    /// many atoms a chain laid out one call per line takes, or 0 when the stretch fits on
    /// the line or holds fewer than two calls (nothing to gain from breaking it).
    fn measure_chain(&mut self, atoms: &[Atom<'a>], prev: Prev) -> usize {
        let end = atoms.iter().position(is_break_point).unwrap_or(atoms.len());
        let calls = (0..end)
            .filter(|&index| is_method_call(&atoms[index..end]))
            .count();
        if calls >= 2 && !self.fits_on_line(&atoms[..end], prev, 0) {
            end
        } else {
            0
        }
    }

    /// Writes a group met at this level, with `tail` (and `then` columns) after it.
    fn group_atom(
        &mut self,
        group: &Group,
        level: &mut Level,
        layout: Layout,
        tail: &[Atom<'a>],
        then: usize,
    ) {
        if layout == Layout::Flat && !self.may_fit_flat(group.width()) {
            self.flat_failed = true;
            return;
        }
        let kind = (group.delimiter() == Delimiter::Brace).then(|| level.brace_kind());
        if kind == Some(BraceKind::Body) {
            level.body_expected = false;
        }
        let in_macro = level.prev == Prev::Op(Role::MacroBang);
        let atoms = &self.arena[group.atoms()];
        let delimited = Delimited::new(group, atoms, kind, in_macro);
        self.group(&delimited, layout, tail, then);
        level.prev = Prev::Closed(group.delimiter());
        level.prev_brace = kind;
    }

    /// Whether a group of `width` ([`Group::width`]) may fit on the rest of the line: a
    /// group wider than the columns left cannot, which is found out without reading it.
    fn may_fit_flat(&self, width: usize) -> bool {
        self.column() + width < self.limit
    }

    /// Where the generics opened by the `<` at `open` close, when they and what follows
    /// them to the next break point do not fit on the line: then they are broken, one
    /// argument per line. Writes nothing.
    fn generics_that_do_not_fit(
        &mut self,
        atoms: &[Atom<'a>],
        open: usize,
        prev: Prev,
        chain_end: Option<usize>,
    ) -> Option<usize> {
        let close = matching_angle(atoms, open)?;
        let rest = &atoms[close + 1..];
        let (tail_end, then) = tail(rest, chain_end.is_some());
        let span = &atoms[open..close + 1 + tail_end];
        (!self.fits_on_line(span, prev, then)).then_some(close)
    }

    /// Whether `atoms`, then `then` columns more, fit on the rest of the current line;
    /// writes nothing.
    fn fits_on_line(&mut self, atoms: &[Atom<'a>], prev: Prev, then: usize) -> bool {
        let start = self.out.len();
        self.list(atoms, Layout::Flat, &mut Level::after(prev));
        if self.column() + then > self.limit {
            self.flat_failed = true;
        }
        let fits = !self.flat_failed;
        self.flat_failed = false;
        self.out.truncate(start);
        fits
    }

    /// `#[...]` on one line whatever its length: breaking an attribute helps nobody
    /// reading `#[serde(rename = "...")]`.
    fn attribute(&mut self, inner: bool, body: &Group) {
        self.out.push_str(if inner { "#![" } else { "#[" });
        let limit = std::mem::replace(&mut self.limit, usize::MAX);
        let atoms = &self.arena[body.atoms()];
        self.list(atoms, Layout::Flat, &mut Level::after(Prev::Start));
        self.limit = limit;
        self.out.push(']');
    }

    /// The line break or space before `atom`, if any.
    fn separate(&mut self, level: &Level, atom: &Atom, role: Option<Role>, layout: Layout) {
        if level.prev == Prev::Start {
            return;
        }
        let line_break = layout != Layout::Flat
            && (matches!(atom, Atom::Doc { .. })
                || match level.prev {
                    Prev::Doc => true,
                    Prev::Op(Role::Comma) => {
                        (level.open_angles == 0
                            || level.broken_generics.last() == Some(&level.open_angles))
                            && !level.in_closure_parameters
                    }
                    Prev::Op(Role::Semicolon) | Prev::Attribute => layout == Layout::Lines,
                    Prev::Closed(Delimiter::Brace) => {
                        layout == Layout::Lines
                            && !matches!(
                                level.prev_brace,
                                Some(BraceKind::Literal | BraceKind::UseList)
                            )
                            && !continues_after_block(atom)
                    }
                    _ => false,
                });
        if line_break {
            self.newline();
        } else if spacing::spaced(level.prev, atom, role)
            // `>>` closing two generics reads back the same; other marks would not.
            || matches!((level.prev, atom), (Prev::Op(prev), Atom::Op(next))
                if level.prev_operator.is_some_and(|prev| prev.would_join(*next))
                    && !(prev == Role::GenericClose && role == Some(Role::GenericClose)))
        {
            self.out.push(' ');
        }
    }
}

/// Whether `atoms` (starting at a `.`) are a method call or `.await`.
fn is_method_call(atoms: &[Atom]) -> bool {
    matches!(atoms, [Atom::Op(Operator::Dot), Atom::Ident(name), next, ..]
        if *name == "await" || matches!(next, Atom::Group(group) if group.delimiter() == Delimiter::Parenthesis)
            || matches!(next, Atom::Op(Operator::PathSep)))
        || matches!(atoms, [Atom::Op(Operator::Dot), Atom::Ident(name)] if *name == "await")
}

/// What must fit on the line after a group for it to stay flat: the atoms of `rest` up
/// to where the line may break or the next group starts (its index), then how many
/// columns the atom there keeps on the line (` {`, `(`, `,`). In a chain laid out one
/// call per line, the next call starts a line.
fn tail(rest: &[Atom], in_chain: bool) -> (usize, usize) {
    for (index, atom) in rest.iter().enumerate() {
        let kept = match atom {
            Atom::Group(group) if group.delimiter() == Delimiter::Brace => 2,
            Atom::Group(_) => 1,
            Atom::Op(operator @ (Operator::Comma | Operator::Semicolon | Operator::FatArrow)) => {
                operator.text().len() + 1
            }
            Atom::Attribute { .. } | Atom::Doc { .. } => 0,
            Atom::Op(Operator::Dot) if in_chain && is_method_call(&rest[index..]) => 0,
            _ => continue,
        };
        return (index, kept);
    }
    (rest.len(), 0)
}

/// The `>` that closes the `<` at `open`, within one stretch (a `;`, `=>` or brace group
/// ends the search: that `<` was a comparison).
fn matching_angle(atoms: &[Atom], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, atom) in atoms.iter().enumerate().skip(open) {
        match atom {
            Atom::Op(Operator::Lt) => depth += 1,
            Atom::Op(Operator::Gt) => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            Atom::Op(Operator::Semicolon | Operator::FatArrow) => return None,
            Atom::Group(group) if group.delimiter() == Delimiter::Brace => return None,
            _ => {}
        }
    }
    None
}

/// Whether generic arguments hold a comma of their own (not one of nested generics).
fn commas_at_depth(atoms: &[Atom]) -> bool {
    let mut depth = 0usize;
    atoms.iter().any(|atom| {
        match atom {
            Atom::Op(Operator::Lt) => depth += 1,
            Atom::Op(Operator::Gt) => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && matches!(atom, Atom::Op(Operator::Comma))
    })
}

/// Whether `atom`, after a block, continues the same expression (`} else {`, `}.await`,
/// `},`), so that no line break goes between them.
fn continues_after_block(atom: &Atom) -> bool {
    match atom {
        Atom::Op(operator) => matches!(
            operator,
            Operator::Dot | Operator::Question | Operator::Comma | Operator::Semicolon
        ),
        Atom::Ident(ident) => *ident == "else" || *ident == "as",
        _ => false,
    }
}

fn is_break_point(atom: &Atom) -> bool {
    match atom {
        Atom::Op(operator) => matches!(
            operator,
            Operator::Comma | Operator::Semicolon | Operator::FatArrow
        ),
        Atom::Group(group) => group.delimiter() == Delimiter::Brace,
        Atom::Attribute { .. } | Atom::Doc { .. } => true,
        Atom::Ident(_) | Atom::Literal(_) | Atom::Lifetime(_) => false,
    }
}

#[cfg(test)]
mod tests;
