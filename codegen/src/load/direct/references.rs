//! The text of the references the direct reading reads, shared by every place that writes
//! one reference while a document is read (see [`ReferenceOr`](super::ReferenceOr)): a spec
//! names a few hundred components from tens of thousands of places.

use std::cell::RefCell;

use rustc_hash::FxHashSet;
use smol_str::SmolStr;

thread_local! {
    /// The text of each reference read while a [`SharedReferences`] lasts (`None` when
    /// none does), which every place writing that reference shares.
    static REFERENCES: RefCell<Option<FxHashSet<SmolStr>>> = const { RefCell::new(None) };
}

/// `text` as the text of a reference: the one read before, shared, or a new one. Texts
/// short enough to be held inline are not looked up.
pub(super) fn reference_text(text: &str) -> SmolStr {
    const INLINE: usize = 23;
    if text.len() <= INLINE {
        return SmolStr::new(text);
    }
    REFERENCES.with_borrow_mut(|known| {
        let Some(known) = known else {
            return SmolStr::new(text);
        };
        if let Some(shared) = known.get(text) {
            return shared.clone();
        }
        let new = SmolStr::new(text);
        known.insert(new.clone());
        new
    })
}

/// While it lasts, the references read share their texts (see [`ReferenceOr`](super::ReferenceOr)); they are
/// forgotten when it ends, so that nothing of one document outlives its reading.
pub(crate) struct SharedReferences(());

impl SharedReferences {
    pub(crate) fn start() -> Self {
        REFERENCES.with_borrow_mut(|known| *known = Some(FxHashSet::default()));
        SharedReferences(())
    }
}

impl Drop for SharedReferences {
    fn drop(&mut self) {
        REFERENCES.with_borrow_mut(|known| *known = None);
    }
}
