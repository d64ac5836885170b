//! What the generator tells its caller: problems that stop generation, and notes on
//! constructs that were accepted leniently (degraded) so that nothing is silently lost.

use std::fmt;
use std::path::PathBuf;

/// Something in the spec that tether accepted in a weaker form than written, for example a
/// schema it could not type (now `serde_json::Value`) or a key it had to ignore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// JSON pointer (RFC 6901) of the construct in the loaded document, e.g. `/paths/~1pets/get`.
    pub pointer: String,
    /// What was done and why, in a sentence.
    pub message: String,
}

impl Note {
    /// A note about the construct at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Note {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// A problem that stops generation: the file, where in it, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The spec file the problem is in.
    pub file: PathBuf,
    /// JSON pointer of the offending construct (empty for the whole file).
    pub pointer: String,
    /// 1-based line, where the parser gives one.
    pub line: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at #{}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run, so that a user fixes them all in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Appends one segment to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    // Room for every character escaped: a path's segments are full of `/`.
    let mut pushed = String::with_capacity(pointer.len() + 2 * segment.len() + 1);
    pushed.push_str(pointer);
    push_segment(&mut pushed, segment);
    pushed
}

/// Like [`pointer_push`], in place: for walks that extend one pointer and cut it back.
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    let mut rest = segment;
    // Paths are full of `/` to escape: a byte search, not a search by character.
    while let Some(at) = memchr::memchr2(b'~', b'/', rest.as_bytes()) {
        pointer.push_str(&rest[..at]);
        pointer.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    pointer.push_str(rest);
}

/// Where a node is in the document: a JSON pointer written out only when asked for.
/// Lowering passes one to everything it reads, and writes out the few that a note is about
/// (it built 43,000 pointers for Kubernetes' client, each a `String`, for a handful of notes).
#[derive(Debug, Clone, Copy)]
pub(crate) enum At<'a> {
    /// A pointer written out.
    Pointer(&'a str),
    /// The value of a key of the node at a place.
    Key(&'a At<'a>, &'a str),
    /// An item of the array at a place.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// The value under `key` of the node here.
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    /// The item at `index` of the array here.
    pub(crate) fn index(&'a self, index: usize) -> At<'a> {
        At::Index(self, index)
    }

    /// The JSON pointer written out.
    pub(crate) fn pointer(&self) -> String {
        let mut pointer = String::new();
        self.write(&mut pointer);
        pointer
    }

    fn write(&self, pointer: &mut String) {
        match self {
            At::Pointer(text) => pointer.push_str(text),
            At::Key(parent, key) => {
                parent.write(pointer);
                push_segment(pointer, key);
            }
            At::Index(parent, index) => {
                parent.write(pointer);
                push_segment(pointer, &index.to_string());
            }
        }
    }
}

/// A place written out, for a [`Note`] about it.
impl From<At<'_>> for String {
    fn from(at: At<'_>) -> String {
        at.pointer()
    }
}

#[cfg(test)]
mod tests {
    use super::{pointer_push, At};

    #[test]
    fn a_place_writes_the_pointer_its_keys_make() {
        let root = At::Pointer("/paths");
        let item = root.key("/a/{b}~c");
        let parameters = item.key("parameters");
        let first = parameters.index(0);
        let schema = first.key("schema");
        let written = pointer_push(
            &pointer_push(
                &pointer_push(&pointer_push("/paths", "/a/{b}~c"), "parameters"),
                "0",
            ),
            "schema",
        );
        assert_eq!(schema.pointer(), written);
        assert_eq!(At::Pointer("").key("a").pointer(), "/a");
    }

    #[test]
    fn segments_escape_tildes_and_slashes() {
        assert_eq!(pointer_push("", "paths"), "/paths");
        assert_eq!(
            pointer_push("/paths", "/repos/{owner}/~x~"),
            "/paths/~1repos~1{owner}~1~0x~0"
        );
        assert_eq!(pointer_push("/a", "é/ü"), "/a/é~1ü");
        assert_eq!(pointer_push("/a", ""), "/a/");
    }
}
