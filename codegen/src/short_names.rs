//! Constant sets of short names (keywords and the like, eight bytes at most), looked up
//! by hashing: the emitter asks for every name it writes whether it is a keyword, and the
//! layout asks for every identifier of the text what it is, so a lookup is one multiply
//! and, nearly always, one comparison.

/// Slots of a table: a power of two, at least twice the names it holds, so that a probe
/// seldom goes past its first slot.
const SLOTS: usize = 128;

/// A set of names of one to eight bytes, each with the index it was added at.
pub(crate) struct ShortNames {
    /// Each name [`packed`] into its slot.
    keys: [u64; SLOTS],
    /// The index of the slot's name, plus one; zero for an empty slot.
    entries: [u8; SLOTS],
    len: usize,
}

impl ShortNames {
    pub(crate) const EMPTY: ShortNames = ShortNames {
        keys: [0; SLOTS],
        entries: [0; SLOTS],
        len: 0,
    };

    /// `self` with `name` added as entry `index` (when the table is built, at compile
    /// time: a name too long, given twice or one too many stops the build).
    pub(crate) const fn with(mut self, name: &str, index: usize) -> ShortNames {
        assert!(
            !name.is_empty() && name.len() <= 8,
            "a short name has 1 to 8 bytes"
        );
        assert!(
            self.len < SLOTS / 2 && index < u8::MAX as usize,
            "too many names"
        );
        let key = packed(name.as_bytes());
        let mut slot = slot_of(key);
        while self.entries[slot] != 0 {
            assert!(self.keys[slot] != key, "a name given twice");
            slot = (slot + 1) % SLOTS;
        }
        self.keys[slot] = key;
        self.entries[slot] = index as u8 + 1;
        self.len += 1;
        self
    }

    /// The index `name` was added at, if it is in the set.
    #[inline]
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        // Longer names (most of them) are none of these: they skip the lookup.
        if name.is_empty() || name.len() > 8 {
            return None;
        }
        let key = packed_by_loads(name.as_bytes());
        let mut slot = slot_of(key);
        loop {
            let entry = self.entries[slot];
            if entry == 0 {
                return None;
            }
            if self.keys[slot] == key {
                return Some(usize::from(entry) - 1);
            }
            slot = (slot + 1) % SLOTS;
        }
    }
}

/// The [`ShortNames`] of a constant array of names (or, given a field such as `.0`, of
/// its entries' names), each at its index in the array.
macro_rules! short_names {
    ($entries:ident $($field:tt)*) => {{
        let mut table = $crate::short_names::ShortNames::EMPTY;
        let mut index = 0;
        while index < $entries.len() {
            table = table.with($entries[index]$($field)*, index);
            index += 1;
        }
        table
    }};
}
pub(crate) use short_names;

/// Up to eight bytes as one integer, zero after them: no name holds a zero byte, so two
/// names of up to eight bytes pack alike only when they are equal.
const fn packed(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let mut index = 0;
    while index < bytes.len() && index < 8 {
        word[index] = bytes[index];
        index += 1;
    }
    u64::from_le_bytes(word)
}

/// [`packed`] at run time, for one to eight bytes: two loads that may overlap, shifted
/// into place. Copying the bytes into a zeroed word and reading it back, as the constant
/// function must, stalls the load behind the copy's stores (a tenth of the layout's
/// printing went there).
#[inline]
fn packed_by_loads(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*first))
            | u64::from(u32::from_le_bytes(*last)) << (8 * (len - 4))
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<2>(), bytes.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*first))
            | u64::from(u16::from_le_bytes(*last)) << (8 * (len - 2))
    } else {
        bytes.first().map_or(0, |&byte| u64::from(byte))
    }
}

/// The first slot a packed name is looked for in: the top bits of a multiplicative hash.
const fn slot_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 5] = ["as", "fn", "abstract", "a", "zzzzzzzz"];
    static TABLE: ShortNames = short_names!(NAMES);

    #[test]
    fn every_name_is_found_at_its_index_and_nothing_else_is() {
        for (index, name) in NAMES.iter().enumerate() {
            assert_eq!(TABLE.position(name), Some(index), "{name}");
        }
        for name in [
            "",
            "b",
            "f",
            "asx",
            "abstracts",
            "abstrac",
            "zzzzzzzzz",
            "é",
        ] {
            assert_eq!(TABLE.position(name), None, "{name}");
        }
    }

    #[test]
    fn packing_by_loads_is_packing() {
        let text = b"abcdefgh\xc3\xa9";
        for start in 0..text.len() {
            for end in start + 1..=text.len().min(start + 8) {
                let bytes = &text[start..end];
                assert_eq!(packed_by_loads(bytes), packed(bytes), "{bytes:?}");
            }
        }
    }

    #[test]
    fn names_that_share_a_first_slot_are_all_found() {
        // Enough one- and two-letter names that some collide in 128 slots.
        let names: Vec<String> = (b'a'..=b'z')
            .flat_map(|first| [String::from(first as char), format!("{}x", first as char)])
            .take(SLOTS / 2)
            .collect();
        let mut table = ShortNames::EMPTY;
        for (index, name) in names.iter().enumerate() {
            table = table.with(name, index);
        }
        let first_slots: std::collections::HashSet<usize> = names
            .iter()
            .map(|name| slot_of(packed(name.as_bytes())))
            .collect();
        assert!(first_slots.len() < names.len(), "no collision to test");
        for (index, name) in names.iter().enumerate() {
            assert_eq!(table.position(name), Some(index), "{name}");
        }
        assert_eq!(table.position("ax"), Some(1));
        assert_eq!(table.position("zy"), None);
    }
}
