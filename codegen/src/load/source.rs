//! Reading one spec file into JSON, whatever its syntax (JSON or YAML).

use std::cell::{Cell, RefCell};
use std::path::Path;

use serde::de::Error as _;
use serde_json::{Number, Value};

use super::lean::{Arena, Lean, Tree};
use super::position::{Dialect, Position};
use super::survey::Sightings;
use crate::diagnostics::{pointer_push, push_segment, Note, Problem};

mod build;

use build::{float, Build, BuildLean, BuildValue, GiveUp};

/// What a reading keeps of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// The whole text.
    Everything,
    /// All but the examples of a document's schemas, parameters, headers, media types,
    /// responses and components: the generator never reads them, and they can be most of a
    /// document (a third of GitHub's), each string and object of them an allocation to
    /// make and to free. The survey's [`Sightings`] are noted on the way.
    AllButExamples,
}

/// A spec file as read.
pub(crate) struct Parsed {
    pub(crate) value: Value,
    /// What the survey looks for, where the reading noted it: `None` when it kept
    /// everything, or met a YAML merge key (whose entries it reads without their position).
    pub(crate) sightings: Option<Sightings>,
}

/// A spec file as read into a [`Lean`] tree, which borrows from its text.
pub(crate) struct LeanParsed<'t> {
    pub(crate) tree: Lean<'t>,
    pub(crate) sightings: Sightings,
}

/// Reads and parses `path`. JSON is tried first when the text looks like JSON; YAML
/// otherwise (YAML is a superset, but the JSON parser is faster and its errors clearer).
/// Keys an object repeats are noted in `notes`.
pub(crate) fn read(path: &Path, keep: Keep, notes: &mut Vec<Note>) -> Result<Parsed, Problem> {
    let text = read_text(path)?;
    parse_text(path, &text, keep, notes)
}

/// The text of the spec at `path`.
pub(crate) fn read_text(path: &Path) -> Result<String, Problem> {
    let bytes = std::fs::read(path).map_err(|error| {
        problem(path, None, format!("cannot read the spec ({error}); check the path, which is relative to the crate's Cargo.toml"))
    })?;
    decode(bytes).map_err(|(line, message)| problem(path, Some(line), message))
}

/// [`parse`], its failure a problem of the file at `path`.
pub(crate) fn parse_text(
    path: &Path,
    text: &str,
    keep: Keep,
    notes: &mut Vec<Note>,
) -> Result<Parsed, Problem> {
    parse(text, keep, notes).map_err(|(line, message)| problem(path, line, message))
}

fn problem(path: &Path, line: Option<usize>, message: String) -> Problem {
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        line,
        message,
    }
}

/// The line and the message of a YAML parse error.
fn yaml_problem(error: &serde_yaml_ng::Error) -> (Option<usize>, String) {
    let line = error.location().map(|location| location.line());
    (
        line,
        format!("invalid YAML: {error}{}", why_too_deep(&error.to_string())),
    )
}

/// What a parser's "recursion limit exceeded" means in a spec.
fn why_too_deep(message: &str) -> &'static str {
    if message.contains("recursion limit exceeded") {
        " (the spec nests deeper than the parser follows, 128 levels: most often a YAML alias \
         that holds itself, which no JSON can write)"
    } else {
        ""
    }
}

/// `text` with its lines of only spaces and tabs (with a tab) emptied.
fn blank_whitespace_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let content = line.trim_end_matches(['\n', '\r']);
            if content.contains('\t') && content.trim_matches([' ', '\t']).is_empty() {
                &line[content.len()..]
            } else {
                line
            }
        })
        .collect()
}

/// A spec file's text: UTF-8, or UTF-16 after its byte order mark (which Windows tools
/// write, and which JSON and YAML allow). On failure, the line of the first byte that is
/// not text, and why.
fn decode(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    let (rest, little_endian) = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return utf8(bytes),
    };
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|pair| match little_endian {
            true => u16::from_le_bytes([pair[0], pair[1]]),
            false => u16::from_be_bytes([pair[0], pair[1]]),
        })
        .collect();
    String::from_utf16(&units).map_err(|_| {
        (
            1,
            "the spec starts as UTF-16 but is not UTF-16 text".to_owned(),
        )
    })
}

fn utf8(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = 1 + bytes[..valid].iter().filter(|&&byte| byte == b'\n').count();
        (
            line,
            format!(
                "the spec is not UTF-8 text (byte 0x{:02X} at offset {valid}); JSON and YAML specs are UTF-8: save it as UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// Parses spec text; on failure gives the line (where known) and the parser's message.
pub(crate) fn parse(
    text: &str,
    keep: Keep,
    notes: &mut Vec<Note>,
) -> Result<Parsed, (Option<usize>, String)> {
    // A byte order mark, as some Windows editors write: the YAML parser would read it as
    // content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = is_json(text);
    let reading = Reading {
        merge_keys: !is_json,
        ..Reading::default()
    };
    // Nothing is left out of a node whose position is not known.
    let root = match keep {
        Keep::Everything => Position::Opaque,
        Keep::AllButExamples => Position::Document,
    };
    let node = Node::root(&reading, BuildValue, root);
    let value = if is_json {
        let mut json = serde_json::Deserializer::from_str(text);
        serde::de::DeserializeSeed::deserialize(node, &mut json)
            .and_then(|value| json.end().map(|()| value))
            .map_err(|error| {
                let message = error.to_string();
                let why = why_too_deep(&message);
                (Some(error.line()), format!("invalid JSON: {message}{why}"))
            })?
    } else {
        let yaml = |text: &str| {
            serde::de::DeserializeSeed::deserialize(
                node,
                serde_yaml_ng::Deserializer::from_str(text),
            )
        };
        match yaml(text) {
            Ok(value) => value,
            // A line of only spaces and tabs inside a block scalar (a description pasted
            // from a document) is a tab where YAML expects indentation, and the whole spec
            // unreadable; read as an empty line it loses at most a tab of a description.
            Err(error) if error.to_string().contains("found a tab character") => {
                let blanked = blank_whitespace_lines(text);
                // What the failed reading noted, it notes again.
                reading.notes.borrow_mut().clear();
                reading.sightings.take();
                reading.merged.take();
                let value = yaml(&blanked).map_err(|_| yaml_problem(&error))?;
                reading.notes.borrow_mut().push(Note::new(
                    "",
                    format!(
                        "{}; lines of only spaces and tabs were read as empty lines",
                        yaml_problem(&error).1
                    ),
                ));
                value
            }
            Err(error) => return Err(yaml_problem(&error)),
        }
    };
    notes.append(&mut reading.notes.into_inner());
    let sightings =
        (root != Position::Opaque && !reading.merged.get()).then(|| reading.sightings.get());
    Ok(Parsed { value, sightings })
}

/// Whether spec text is JSON rather than YAML, by its first character.
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Parses spec text into a [`Lean`] tree in `arena`, its examples left out as
/// [`Keep::AllButExamples`] leaves them. `None` for text that needs more than that reading
/// does: an object that repeats a key or a YAML merge key (each noted or merged as
/// [`parse`] does), or text that does not parse ([`parse`] says why).
pub(crate) fn parse_lean<'t>(text: &'t str, arena: &'t Arena) -> Option<LeanParsed<'t>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = is_json(text);
    let reading = Reading {
        merge_keys: !is_json,
        ..Reading::default()
    };
    let build = BuildLean::new(arena);
    let node = Node::root(&reading, &build, Position::Document);
    let tree = if is_json {
        let mut json = serde_json::Deserializer::from_str(text);
        let tree = serde::de::DeserializeSeed::deserialize(node, &mut json).ok()?;
        json.end().ok()?;
        tree
    } else {
        serde::de::DeserializeSeed::deserialize(node, serde_yaml_ng::Deserializer::from_str(text))
            .ok()?
    };
    Some(LeanParsed {
        tree,
        sightings: reading.sightings.get(),
    })
}

/// A JSON or YAML node read as JSON. Unlike `serde_json::Value`'s own reader it accepts
/// integers beyond 64 bits (OpenAI's spec has one) as floats, non-string keys (YAML allows
/// `200:`) as their text, and notes a repeated key instead of keeping the later value
/// silently. `B` builds the tree: a `Value`, or a [`Lean`] tree.
#[derive(Clone, Copy)]
struct Node<'r, 'k, B> {
    reading: &'r Reading,
    /// Where the node is in the document, to leave its examples out and to note what the
    /// survey looks for.
    place: Place<'k>,
    build: B,
}

impl<'r, B> Node<'r, 'static, B> {
    /// The document's root, at `position`.
    fn root(reading: &'r Reading, build: B, position: Position) -> Self {
        Node {
            reading,
            place: Place::At(position),
            build,
        }
    }
}

/// Where a node is: worked out only for an object or an array, since a leaf holds no
/// examples (and most nodes are leaves).
#[derive(Clone, Copy)]
enum Place<'k> {
    /// At a known position; `Opaque` where that is not known or not wanted.
    At(Position),
    /// Under a key of an object at a position.
    Under(Position, &'k str),
    /// An item of an array at a position.
    In(Position),
}

impl Place<'_> {
    fn position(self) -> Position {
        // Swagger 2.0's positions are the 3.0 ones and a few more, which a 3.0 document does
        // not write: the dialect is not known before its `swagger` key is read.
        match self {
            Place::At(position)
            | Place::Under(position @ Position::Opaque, _)
            | Place::In(position @ Position::Opaque) => position,
            Place::Under(parent, key) => parent.child(key, Dialect::Swagger2),
            Place::In(parent) => parent.item(Dialect::Swagger2),
        }
    }
}

/// What reading one text keeps besides the value: notes about keys an object repeats
/// (YAML forbids it, JSON advises against it, and hand-written specs do it).
#[derive(Default)]
struct Reading {
    /// While a node is read, the pointers of its notes are relative to it; each level
    /// puts its segment in front of them on the way out, so that a text without repeated
    /// keys (every spec but a few) costs no pointer work at all.
    notes: RefCell<Vec<Note>>,
    /// Whether `<<` is YAML's merge key rather than an ordinary key, as in JSON.
    merge_keys: bool,
    /// What the survey looks for, in the objects read at a known position.
    sightings: Cell<Sightings>,
    /// Whether a merge key added entries, which are read without their position.
    merged: Cell<bool>,
}

/// Where a child is in its parent node.
enum Segment<'k> {
    Key(&'k str),
    Index(usize),
}

impl Reading {
    /// Notes with `note` what the survey looks for in a node at `position`, when that is
    /// known.
    fn sight(&self, position: Position, note: impl FnOnce(&mut Sightings)) {
        if position != Position::Opaque {
            let mut sightings = self.sightings.get();
            note(&mut sightings);
            self.sightings.set(sightings);
        }
    }

    /// Reads `read`, a child of the node being read at `segment`.
    fn within<T>(&self, segment: Segment<'_>, read: impl FnOnce() -> T) -> T {
        let before = self.notes.borrow().len();
        let read = read();
        let mut notes = self.notes.borrow_mut();
        if notes.len() > before {
            let mut prefix = String::new();
            match segment {
                Segment::Key(key) => push_segment(&mut prefix, key),
                Segment::Index(index) => push_segment(&mut prefix, &index.to_string()),
            }
            for note in &mut notes[before..] {
                note.pointer.insert_str(0, &prefix);
            }
        }
        read
    }

    /// Keeps the later of two values a mapping gives `key`, noted. Two path items of one
    /// path (a key starting with `/`, two mappings) are merged instead, so that no
    /// operation is lost.
    fn repeated(&self, earlier: &mut Value, later: Value, key: &str) {
        let message = match (earlier, later) {
            (Value::Object(earlier), Value::Object(later)) if key.starts_with('/') => {
                earlier.extend(later);
                format!("the path `{key}` is written twice; its two path items are merged (where both have an entry, the later one is kept)")
            }
            (earlier, later) => {
                *earlier = later;
                format!("the key `{key}` is written twice in one object; the later value is kept")
            }
        };
        self.notes
            .borrow_mut()
            .push(Note::new(pointer_push("", key), message));
    }
}

impl<'de, B: Build<'de>> serde::de::DeserializeSeed<'de> for Node<'_, '_, B> {
    type Value = B::Tree;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<B::Tree, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, B: Build<'de>> serde::de::Visitor<'de> for Node<'_, '_, B> {
    type Value = B::Tree;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON or YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<B::Tree, E> {
        Ok(self.build.bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<B::Tree, E> {
        Ok(self.build.number(Number::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<B::Tree, E> {
        Ok(self.build.number(Number::from(value)))
    }

    fn visit_i128<E>(self, value: i128) -> Result<B::Tree, E> {
        Ok(float(self.build, value as f64))
    }

    fn visit_u128<E>(self, value: u128) -> Result<B::Tree, E> {
        Ok(float(self.build, value as f64))
    }

    fn visit_f64<E>(self, value: f64) -> Result<B::Tree, E> {
        Ok(float(self.build, value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<B::Tree, E> {
        Ok(self.build.borrowed_str(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<B::Tree, E> {
        Ok(self.build.str(value))
    }

    fn visit_string<E>(self, value: String) -> Result<B::Tree, E> {
        Ok(self.build.string(value))
    }

    fn visit_unit<E>(self) -> Result<B::Tree, E> {
        Ok(self.build.null())
    }

    fn visit_none<E>(self) -> Result<B::Tree, E> {
        Ok(self.build.null())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<B::Tree, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<B::Tree, A::Error> {
        let mut items = self.build.start_array(seq.size_hint());
        let item_node = Node {
            place: Place::In(self.place.position()),
            ..self
        };
        let mut index = 0;
        while let Some(item) = self
            .reading
            .within(Segment::Index(index), || seq.next_element_seed(item_node))?
        {
            self.build.push_item(&mut items, item);
            index += 1;
        }
        Ok(self.build.array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<B::Tree, A::Error> {
        let mut object = self.build.start_object();
        let position = self.place.position();
        let give_up = || A::Error::custom("left to the other reading");
        while let Some(key) = map.next_key_seed(self)? {
            let key = self.build.into_key(key);
            if position.holds_example(&key) {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let child = Node {
                place: Place::Under(position, &key),
                ..self
            };
            let value = self
                .reading
                .within(Segment::Key(&key), || map.next_value_seed(child))?;
            if key == "$ref" {
                if let Some(reference) = value.as_str() {
                    self.reading.sight(position, |sightings| {
                        sightings.reference(reference, position)
                    });
                }
            }
            self.build
                .insert(self.reading, &mut object, position, key, value)
                .map_err(|GiveUp| give_up())?;
        }
        let object = self.build.object(object).map_err(|GiveUp| give_up())?;
        self.reading
            .sight(position, |sightings| sightings.schema(&object, position));
        Ok(object)
    }
}

#[cfg(test)]
mod tests {

    use super::super::lean::Tree;
    use super::*;

    #[test]
    fn examples_are_left_out_where_their_position_is_known_and_nothing_else() {
        let json = r#"{
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "in": "query", "example": 1, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "example": {"a": 1},
                        "properties": {"example": {"type": "string", "examples": ["x"]}}},
                    "examples": {"one": {"value": {"a": 1}}},
                    "x-sample": {"example": 2}
                }}}}
            }}},
            "components": {
                "examples": {"E": {"value": 1}},
                "schemas": {"example": {"type": "string", "example": "s"}}
            },
            "x-example": {"example": 3}
        }"#;
        let kept = without_examples(json);
        let whole = super::parse(json, Keep::Everything, &mut Vec::new())
            .map(|parsed| parsed.value)
            .expect("read");
        let operation = &kept["paths"]["/a"]["get"];
        assert_eq!(
            operation["parameters"][0],
            serde_json::json!({"name": "p", "in": "query", "schema": {"type": "integer"}})
        );
        let media = &operation["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"],
            serde_json::json!({"type": "object", "properties": {"example": {"type": "string"}}}),
            "a property named `example` is a schema, not an example"
        );
        assert_eq!(media["examples"], Value::Null);
        assert_eq!(
            media["x-sample"],
            serde_json::json!({"example": 2}),
            "extensions are kept"
        );
        assert_eq!(
            kept["components"],
            serde_json::json!({"schemas": {"example": {"type": "string"}}})
        );
        assert_eq!(kept["x-example"], whole["x-example"]);
        // Read whole, the text keeps them all.
        assert_eq!(whole["components"]["examples"]["E"]["value"], 1);
        assert_eq!(whole["paths"]["/a"]["get"]["parameters"][0]["example"], 1);
    }

    #[test]
    fn examples_are_left_out_of_yaml_and_swagger_2_responses_too() {
        let yaml = "swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n          schema: {type: string, example: s}\n          examples: {application/json: {a: 1}}\ndefinitions:\n  A: {type: object, example: {a: 1}}\n";
        let kept = without_examples(yaml);
        assert_eq!(
            kept["paths"]["/a"]["get"]["responses"]["200"],
            serde_json::json!({"description": "ok", "schema": {"type": "string"}})
        );
        assert_eq!(
            kept["definitions"]["A"],
            serde_json::json!({"type": "object"})
        );
    }

    #[test]
    fn a_yaml_anchor_inside_a_skipped_example_still_reads_where_it_is_aliased() {
        let yaml = "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: &sample {id: 1}\n      default: *sample\n";
        let kept = without_examples(yaml);
        assert_eq!(
            kept["components"]["schemas"]["A"],
            serde_json::json!({"type": "object", "default": {"id": 1}})
        );
    }

    #[test]
    fn a_line_of_spaces_and_a_tab_in_a_block_scalar_is_read_as_empty_with_a_note() {
        let yaml =
            "openapi: 3.0.3\ninfo:\n  description: |-\n    \t\n    Tabs\there.\n  title: T\n";
        let mut notes = Vec::new();
        let value = super::parse(yaml, Keep::Everything, &mut notes)
            .map(|parsed| parsed.value)
            .expect("read");
        assert_eq!(value["info"]["description"], "\nTabs\there.");
        assert_eq!(value["info"]["title"], "T");
        let [note] = notes.as_slice() else {
            panic!("one note: {notes:?}");
        };
        assert!(
            note.message.contains("read as empty lines"),
            "{}",
            note.message
        );
        // A tab that is indentation for real stays an error.
        assert!(parse("a:\n\tb: 1\n").is_err());
    }

    #[test]
    fn a_yaml_alias_that_holds_itself_is_an_error_that_says_so() {
        let Err((line, message)) = parse("a: &loop\n  b: *loop\n") else {
            panic!("an alias inside itself cannot be read as JSON");
        };
        assert!(line.is_some());
        assert!(
            message.contains("a YAML alias that holds itself"),
            "{message}"
        );
    }

    #[test]
    fn text_is_utf8_or_utf16_after_its_byte_order_mark() {
        let spec = "openapi: 3.0.0\ninfo: {title: Ünïcode}\n";
        assert_eq!(decode(spec.as_bytes().to_vec()).as_deref(), Ok(spec));
        for (mark, unit) in [
            ([0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            ([0xFE, 0xFF], u16::to_be_bytes),
        ] {
            let utf16: Vec<u8> = mark
                .into_iter()
                .chain(spec.encode_utf16().flat_map(unit))
                .collect();
            assert_eq!(decode(utf16).as_deref(), Ok(spec));
        }
        // ISO-8859-2's `ł` on the second line.
        let latin = b"openapi: 3.0.0\ninfo: {title: \xB3}\n".to_vec();
        let Err((line, message)) = decode(latin) else {
            panic!("not UTF-8");
        };
        assert_eq!(line, 2);
        assert!(
            message.contains("not UTF-8") && message.contains("0xB3"),
            "{message}"
        );
    }

    /// Parses `text` as a spec is read for generation, without its examples.
    /// The lean reading of `text`, as a `Value`, and its sightings; `None` where it
    /// leaves the text to the other reading.
    fn lean_reading(text: &str) -> Option<(Value, Sightings)> {
        let arena = Arena::new();
        super::parse_lean(text, &arena).map(|parsed| (parsed.tree.to_value(), parsed.sightings))
    }

    #[test]
    fn the_lean_reading_reads_what_the_value_reading_reads() {
        let json = r#"{"openapi": "3.0.3", "info": {"title": "caf\u00e9 \"q\"", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "example": 1,
                "schema": {"type": "integer", "maximum": 123456789012345678901234567890}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "other.json#/A", "type": ["string", "null"]},
                    "examples": {"one": {"value": 1}}}}}}}}},
            "components": {"schemas": {"example": {"type": "string", "example": "s"}}}}"#;
        let yaml = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\ncomponents:\n  schemas:\n    A:\n      example: &sample {id: 1}\n      default: *sample\n      enum: [1.5, true, null, ~]\n";
        for text in [json, yaml] {
            let mut notes = Vec::new();
            let by_value = super::parse(text, Keep::AllButExamples, &mut notes).expect("read");
            let (tree, sightings) = lean_reading(text).expect("read lean");
            assert_eq!(tree, by_value.value, "{text}");
            assert_eq!(Some(sightings), by_value.sightings, "{text}");
            assert!(notes.is_empty());
        }
        let (tree, sightings) = lean_reading(json).expect("read lean");
        assert!(
            sightings
                .survey(&tree, Dialect::OpenApi3, true)
                .reads_a_document
        );
        // A plain string is borrowed from the text; the escaped title is unescaped into the
        // arena.
        let arena = Arena::new();
        let parsed = super::parse_lean(json, &arena).expect("read lean");
        let in_text = |text: &str| json.as_bytes().as_ptr_range().contains(&text.as_ptr());
        let string = |key: &str| match parsed.tree.field(key) {
            Some(Lean::String(text)) => *text,
            _ => panic!("no {key}"),
        };
        assert!(string("openapi") == "3.0.3" && in_text(string("openapi")));
        let title = parsed
            .tree
            .field("info")
            .and_then(|info| info.field("title"));
        let title = title.and_then(Tree::as_str).expect("a title");
        assert!(title == "caf\u{e9} \"q\"" && !in_text(title));
    }

    #[test]
    fn the_lean_reading_leaves_to_the_value_reading_what_it_does_not_read() {
        let many_keys: String = (0..20)
            .map(|index| format!(r#""k{}": {index}, "#, index % 19))
            .collect();
        for text in [
            // A repeated key, noted by the other reading; in a big object too.
            r#"{"openapi": "3.0.3", "info": {"title": "a", "title": "b"}}"#.to_owned(),
            format!(r#"{{"openapi": "3.0.3", "x": {{{many_keys}"end": 0}}}}"#),
            // A YAML merge key.
            "openapi: 3.0.3\nbase: &base {a: 1}\ninfo:\n  <<: *base\n  title: t\n".to_owned(),
            // Another version than 3.0 or Swagger 2.0.
            r#"{"openapi": "3.1.0", "paths": {}}"#.to_owned(),
            "openapi: 3.2.0\npaths: {}\n".to_owned(),
            // Text that does not parse, which the other reading reports.
            r#"{"openapi": "3.0.3", "#.to_owned(),
        ] {
            assert_eq!(lean_reading(&text), None, "{text}");
        }
        let mut notes = Vec::new();
        super::parse(
            &format!(r#"{{"x": {{{many_keys}"end": 0}}}}"#),
            Keep::Everything,
            &mut notes,
        )
        .expect("read");
        assert_eq!(
            notes.len(),
            1,
            "the other reading notes the repeated key: {notes:?}"
        );
        // Swagger 2.0 is read lean too (and upgraded on the lean tree), whether its key
        // comes first or last.
        assert!(lean_reading("swagger: '2.0'\npaths: {}\n").is_some());
        assert!(lean_reading(r#"{"paths": {}, "swagger" : "2.0"}"#).is_some());
    }

    fn without_examples(text: &str) -> Value {
        super::parse(text, Keep::AllButExamples, &mut Vec::new())
            .map(|parsed| parsed.value)
            .expect("read")
    }

    /// Parses `text`, leaving out the notes.
    fn parse(text: &str) -> Result<Value, (Option<usize>, String)> {
        super::parse(text, Keep::Everything, &mut Vec::new()).map(|parsed| parsed.value)
    }

    #[test]
    fn a_repeated_key_is_noted_and_a_repeated_path_keeps_both_items_in_yaml_and_json() {
        let yaml = "paths:\n\
                    \x20 /a:\n\
                    \x20   get: {operationId: first}\n\
                    \x20   parameters: [{name: early}]\n\
                    \x20 /a:\n\
                    \x20   post: {operationId: second}\n\
                    \x20   parameters: [{name: late}]\n\
                    components:\n\
                    \x20 schemas:\n\
                    \x20   Pet: {type: string, type: integer}\n\
                    base: &base {a: 1}\n\
                    merged: {<<: *base, a: 2}\n";
        let mut notes = Vec::new();
        let value = super::parse(yaml, Keep::Everything, &mut notes)
            .map(|parsed| parsed.value)
            .unwrap();
        assert_eq!(value["paths"]["/a"]["get"]["operationId"], "first");
        assert_eq!(value["paths"]["/a"]["post"]["operationId"], "second");
        assert_eq!(value["paths"]["/a"]["parameters"][0]["name"], "late");
        assert_eq!(value["components"]["schemas"]["Pet"]["type"], "integer");
        assert_eq!(value["merged"]["a"], 2);
        let noted: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert_eq!(noted, ["/paths/~1a", "/components/schemas/Pet/type"]);
        assert!(notes[0].message.contains("merged"), "{notes:?}");
        assert!(
            notes[1].message.contains("the later value is kept"),
            "{notes:?}"
        );

        let json = r#"{"paths": {"/a": {"get": {}}, "/a": {"put": {}}}, "tags": [{"name": "a", "name": "b"}], "<<": {"x": 1}}"#;
        let mut notes = Vec::new();
        let value = super::parse(json, Keep::Everything, &mut notes)
            .map(|parsed| parsed.value)
            .unwrap();
        assert_eq!(
            value["paths"]["/a"],
            serde_json::json!({"get": {}, "put": {}})
        );
        assert_eq!(value["tags"][0]["name"], "b");
        assert_eq!(value["<<"]["x"], 1, "`<<` merges in YAML only");
        let noted: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert_eq!(noted, ["/paths/~1a", "/tags/0/name"]);
    }

    #[test]
    fn json_and_yaml_give_the_same_value() {
        let json = parse(r#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        let yaml = parse("openapi: 3.0.3\npaths: {}\n").unwrap();
        assert_eq!(json, yaml);
    }

    #[test]
    fn yaml_accepts_huge_integers_and_numeric_keys() {
        let value = parse("minimum: -9223372036854776000\nresponses:\n  200: ok\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(value["responses"]["200"], "ok");
    }

    #[test]
    fn merge_keys_add_what_the_mapping_does_not_say_itself() {
        let yaml = "base: &base {type: object, description: base, nullable: true}\n\
                    other: &other {description: other, title: other}\n\
                    one: {description: own, <<: *base}\n\
                    two: {<<: [*other, *base], nullable: false}\n";
        let value = parse(yaml).unwrap();
        assert_eq!(
            value["one"],
            serde_json::json!({"description": "own", "type": "object", "nullable": true})
        );
        assert_eq!(
            value["two"],
            serde_json::json!({"description": "other", "title": "other", "type": "object", "nullable": false})
        );
        assert_eq!(parse("<<: 5\n").unwrap()["<<"], 5);
    }

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let yaml = parse("\u{feff}openapi: 3.0.3\npaths: {}\n").unwrap();
        let json = parse("\u{feff}{\"openapi\": \"3.0.3\", \"paths\": {}}").unwrap();
        assert_eq!(yaml["openapi"], "3.0.3");
        assert_eq!(yaml, json);
    }

    #[test]
    fn errors_carry_the_line() {
        let (line, message) = parse("{\n  \"openapi\": ,\n}").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(message.starts_with("invalid JSON"), "{message}");
        let (line, _) = parse("openapi: 3.0.3\npaths: [\n").unwrap_err();
        assert!(line.is_some());
    }
}
