//! Setters that several request builders have word for word, written once.
//!
//! Specs repeat parameters across operations: every Kubernetes operation takes `pretty`,
//! every list operation the same ten list options with the same long descriptions, and
//! their setters were half of that client's source. A setter that more than one builder
//! has, identical to the byte, is written once, in an invocation of the runtime's
//! `__impl_each!` that adds it to each builder named; builders that share the same
//! setters share one invocation. The compiler expands it into the very items it would
//! otherwise have read, so the builders' API, docs and errors are unchanged; the text to
//! write, lay out and lex is smaller.

use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;

use super::code::{Code, Name, ToCode};

/// What a shared setter costs besides its text: the builders' names in an invocation and
/// a share of the invocation around it. A setter is shared only where writing it once saves
/// more than that.
const COST_PER_BUILDER: usize = 40;
const COST_PER_INVOCATION: usize = 60;

/// The setters of every operation split into those written in its builder and the
/// invocations that add the shared ones.
pub(crate) struct SplitSetters {
    /// Per operation, in order: the setters its builder's `impl` writes itself.
    pub(crate) own: Vec<Vec<Rc<Code>>>,
    /// The invocations that add the shared setters, one per set of builders sharing them.
    pub(crate) shared: Code,
}

/// Splits `setters` (per operation, in order) given each operation's builder name and the
/// path of the runtime.
pub(crate) fn split(
    setters: Vec<Vec<Rc<Code>>>,
    builders: &[Name],
    runtime: &Code,
) -> SplitSetters {
    let (ids, is_shared, shared) = {
        let (ids, texts) = distinct(&setters);
        // For each distinct setter, the operations whose builders have it, in order.
        let mut sharing: Vec<Vec<usize>> = vec![Vec::new(); texts.len()];
        for (operation, operation_ids) in ids.iter().enumerate() {
            for &id in operation_ids {
                sharing[id].push(operation);
            }
        }
        let is_shared: Vec<bool> = texts
            .iter()
            .zip(&sharing)
            .map(|(text, sharing)| {
                let builders = sharing.len();
                builders > 1
                    && (builders - 1) * text.len()
                        > builders * COST_PER_BUILDER + COST_PER_INVOCATION
            })
            .collect();
        // Builders that share a setter often share several (a list operation's options):
        // one invocation per set of builders, its setters in the order they first appear.
        let mut groups: IndexMap<&[usize], Vec<&str>> = IndexMap::new();
        for (operation, operation_ids) in ids.iter().enumerate() {
            for &id in operation_ids {
                // Added once, by the first builder that has it.
                if is_shared[id] && sharing[id].first() == Some(&operation) {
                    groups.entry(&sharing[id]).or_default().push(texts[id]);
                }
            }
        }
        let mut shared = Code::new();
        for (sharing, group) in &groups {
            write_invocation(&mut shared, runtime, sharing, group, builders);
        }
        (ids, is_shared, shared)
    };
    // The setters no other builder has stay with their own builder, moved rather than copied.
    let own = setters
        .into_iter()
        .zip(ids)
        .map(|(operation_setters, operation_ids)| {
            operation_setters
                .into_iter()
                .zip(operation_ids)
                .filter_map(|(setter, id)| (!is_shared[id]).then_some(setter))
                .collect()
        })
        .collect();
    SplitSetters { own, shared }
}

/// Each setter as the index of its text among the distinct texts, which are returned too.
/// A setter made once for equal parameters is one `Rc` wherever it is used: it is looked up
/// by that first, and its text (docs and all, hundreds of bytes) hashed once.
fn distinct(setters: &[Vec<Rc<Code>>]) -> (Vec<Vec<usize>>, Vec<&str>) {
    let mut by_setter: FxHashMap<*const Code, usize> = FxHashMap::default();
    let mut by_text: FxHashMap<&str, usize> = FxHashMap::default();
    let mut texts = Vec::new();
    let ids = setters
        .iter()
        .map(|operation_setters| {
            operation_setters
                .iter()
                .map(|setter| {
                    *by_setter.entry(Rc::as_ptr(setter)).or_insert_with(|| {
                        *by_text.entry(setter.as_str()).or_insert_with(|| {
                            texts.push(setter.as_str());
                            texts.len() - 1
                        })
                    })
                })
                .collect()
        })
        .collect();
    (ids, texts)
}

/// `__impl_each!([builders...] { setters })`: `setters` added to each builder of `sharing`.
fn write_invocation(
    code: &mut Code,
    runtime: &Code,
    sharing: &[usize],
    setters: &[&str],
    builders: &[Name],
) {
    code.push(runtime.as_str().trim_end());
    code.push(":: __impl_each ! ( [");
    for (position, operation) in sharing.iter().enumerate() {
        if position > 0 {
            code.push(",");
        }
        builders[*operation].write_to(code);
    }
    code.push("] {");
    for setter in setters {
        code.push(setter.trim_end());
    }
    code.push("} ) ;");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setter(name: &str, doc_words: usize) -> Rc<Code> {
        let doc = "word ".repeat(doc_words);
        let mut code = Code::new();
        code.doc_comment(&doc);
        code.push(&format!("pub fn {name} ( mut self ) -> Self {{ self }}"));
        Rc::new(code)
    }

    fn names<'n>(names: &[&'n str]) -> Vec<Name<'n>> {
        names.iter().map(|name| Name::new(name)).collect()
    }

    #[test]
    fn a_long_setter_of_several_builders_is_written_once() {
        let long = setter("pretty", 60);
        let short = setter("limit", 1);
        let setters = vec![
            vec![long.clone(), short.clone()],
            vec![short.clone()],
            vec![long.clone()],
        ];
        let split = split(
            setters,
            &names(&["ListA", "ListB", "ListC"]),
            &code!(::tether),
        );
        assert_eq!(split.own, vec![vec![short.clone()], vec![short], vec![]]);
        let shared = split.shared.as_str();
        assert_eq!(shared.matches("pub fn pretty").count(), 1, "{shared}");
        assert!(
            shared.contains(":: tether :: __impl_each ! ( [ ListA , ListC ] {"),
            "{shared}"
        );
    }

    #[test]
    fn builders_sharing_the_same_setters_share_one_invocation() {
        let (a, b, c) = (setter("a", 60), setter("b", 60), setter("c", 60));
        let setters = vec![
            vec![a.clone(), b.clone()],
            vec![a.clone(), b.clone(), c.clone()],
            vec![c.clone()],
        ];
        let split = split(setters, &names(&["One", "Two", "Three"]), &code!(::tether));
        assert!(split.own.iter().all(Vec::is_empty));
        let shared = split.shared.as_str();
        assert_eq!(shared.matches("__impl_each").count(), 2, "{shared}");
        assert!(
            shared.contains("__impl_each ! ( [ One , Two ] {"),
            "{shared}"
        );
        assert!(
            shared.contains("__impl_each ! ( [ Two , Three ] {"),
            "{shared}"
        );
        for name in ["pub fn a", "pub fn b", "pub fn c"] {
            assert_eq!(shared.matches(name).count(), 1, "{name}: {shared}");
        }
    }

    #[test]
    fn setters_that_differ_in_a_byte_are_not_shared() {
        let setters = vec![vec![setter("a", 60)], vec![setter("a", 61)]];
        let split = split(setters, &names(&["One", "Two"]), &code!(::tether));
        assert!(split.shared.as_str().is_empty());
        assert!(split.own.iter().all(|own| own.len() == 1));
    }
}
