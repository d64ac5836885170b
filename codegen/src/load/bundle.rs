//! Makes a document self-contained: every `$ref` to another file, and every internal
//! `$ref` that does not name a component directly, is replaced by a reference to a
//! component of the root document (path items are inlined). Later stages then only ever
//! see `#/components/<kind>/<name>` (or Swagger 2.0's `#/definitions/<name>` and friends).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::position::{children_mut, is_container, Dialect, Position};
use super::source::{self, Keep};
use crate::diagnostics::{pointer_push, push_segment, Note, Problem};
use crate::text::split_once_byte;

/// The media type a body read from a remote file is given.
const JSON: &str = "application/json";

/// A resolved target: the file it is in and the JSON pointer inside it.
type Target = (PathBuf, String);

/// The result of bundling: every file read, and the problems found.
pub(crate) struct Bundled {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) problems: Vec<Problem>,
    /// References read in a weaker form than written (to remote files).
    pub(crate) notes: Vec<Note>,
    /// Nodes of the root copied to a component of their own (a reference deep into
    /// another schema): where the copy is, and where the node is written.
    pub(crate) relocated: Vec<(String, String)>,
}

struct Bundler {
    root_file: PathBuf,
    dialect: Dialect,
    /// Other files, parsed once each. `None` for one that could not be read.
    files: HashMap<PathBuf, Option<Value>>,
    /// Targets already given a component, and the internal `$ref` that now names it.
    hoisted: HashMap<Target, String>,
    /// Component names in use, per home (`components/schemas`, `definitions`, ...).
    names: HashMap<&'static [&'static str], HashSet<String>>,
    /// New components, added to the root once the walk is over.
    new_components: Vec<(&'static [&'static str], String, Value)>,
    /// See [`Bundled::relocated`].
    relocated: Vec<(String, String)>,
    /// Path items being inlined, to stop a path item that refers to itself.
    inlining: Vec<Target>,
    /// How many callbacks or encodings the walk is inside: parts the model reads but
    /// nothing is generated from, where a reference that cannot be resolved is noted and
    /// left out rather than stopping the spec.
    not_generated_from: usize,
    problems: Vec<Problem>,
    notes: Vec<Note>,
}

/// Bundles `root` (read from `root_file`) in place; `reads_a_document` is the survey's
/// (see [`super::survey`]).
pub(crate) fn bundle(
    root: &mut Value,
    root_file: &Path,
    dialect: Dialect,
    reads_a_document: bool,
) -> Bundled {
    let mut bundler = Bundler {
        root_file: root_file.to_path_buf(),
        dialect,
        files: HashMap::new(),
        hoisted: HashMap::new(),
        names: HashMap::new(),
        new_components: Vec::new(),
        relocated: Vec::new(),
        inlining: Vec::new(),
        not_generated_from: 0,
        problems: Vec::new(),
        notes: Vec::new(),
    };
    bundler.collect_existing_names(root);
    // Most documents refer only to their own components by name, and are left as they are.
    // Hoisting an internal target reads the root while the walk rewrites it, so other
    // documents are walked against a copy taken before the walk.
    if reads_a_document {
        let snapshot = RootView(root.clone());
        bundler.walk(
            root,
            Position::Document,
            root_file,
            &mut String::new(),
            &snapshot,
        );
    }
    for (home, name, value) in std::mem::take(&mut bundler.new_components) {
        insert_at(root, home, name, value);
    }
    let mut files: Vec<PathBuf> = vec![bundler.root_file.clone()];
    files.extend(bundler.files.keys().cloned());
    files.sort();
    files.dedup();
    Bundled {
        files,
        problems: bundler.problems,
        notes: bundler.notes,
        relocated: bundler.relocated,
    }
}

/// The root as it was before the walk, for the references that read it.
struct RootView(Value);

/// Whether resolving a reference (its file part and pointer, as [`split_ref`] splits it)
/// at `position` in the root reads a document: any reference into a file, and a local one
/// unless it names a component of its kind.
pub(crate) fn reads_root(
    file_part: &str,
    pointer: &str,
    position: Position,
    dialect: Dialect,
) -> bool {
    if !file_part.is_empty() {
        return true;
    }
    position
        .component_home(dialect)
        .is_none_or(|home| !is_direct(pointer, home))
}

/// Whether `pointer` in the root already names a component of `home` directly.
fn is_direct(pointer: &str, home: &[&str]) -> bool {
    let mut rest = pointer;
    for segment in home {
        let Some(after) = rest.strip_prefix('/').and_then(|r| r.strip_prefix(segment)) else {
            return false;
        };
        rest = after;
    }
    // One segment after the home: no `/` after the first (a byte search, not a count of
    // `split`'s pieces).
    rest.len() > 1 && rest.starts_with('/') && !rest.as_bytes()[1..].contains(&b'/')
}

fn insert_at(root: &mut Value, home: &[&str], name: String, value: Value) {
    let mut node = root;
    for segment in home {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else { return };
        node = map
            .entry(segment.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = node {
        map.insert(name, value);
    }
}

/// Splits a `$ref` into its file part (empty for the same file) and its JSON pointer.
pub(crate) fn split_ref(reference: &str) -> (&str, Cow<'_, str>) {
    // Every `$ref` of a spec comes here as it is read.
    let (file, fragment) = split_once_byte(reference, b'#').unwrap_or((reference, ""));
    // The decoder looks at one byte at a time (about 700 instructions for a pointer of 30
    // bytes), and nearly no pointer has an escape.
    let pointer = if fragment.as_bytes().contains(&b'%') {
        percent_encoding::percent_decode_str(fragment).decode_utf8_lossy()
    } else {
        Cow::Borrowed(fragment)
    };
    (file, pointer)
}

/// The last pointer segment, unescaped: the natural name of a component.
fn last_segment(pointer: &str) -> Option<String> {
    let segment = pointer.rsplit('/').next()?;
    (!segment.is_empty()).then(|| segment.replace("~1", "/").replace("~0", "~"))
}

impl Bundler {
    fn collect_existing_names(&mut self, root: &Value) {
        for position in [
            Position::Schema,
            Position::Parameter,
            Position::Response,
            Position::RequestBody,
            Position::Header,
        ] {
            let Some(home) = position.component_home(self.dialect) else {
                continue;
            };
            let mut node = Some(root);
            for segment in home {
                node = node.and_then(|node| node.get(segment));
            }
            let names = self.names.entry(home).or_default();
            if let Some(Value::Object(map)) = node {
                names.extend(map.keys().cloned());
            }
        }
    }

    /// A `$ref` at `node` that cannot be resolved: a problem with the spec, or, in a part
    /// nothing is generated from, a note and the node left out.
    fn unresolved(&mut self, node: &mut Value, file: &Path, pointer: &str, message: String) {
        if self.not_generated_from == 0 {
            self.problems.push(Problem {
                file: file.to_path_buf(),
                pointer: pointer.to_owned(),
                line: None,
                message,
            });
            return;
        }
        let place = if file == self.root_file {
            String::new()
        } else {
            format!(" (in `{}`)", file.display())
        };
        self.notes.push(Note::new(
            pointer,
            format!("ignored: {message}{place}; it is in a callback or an encoding, which nothing is generated from"),
        ));
        *node = Value::Object(serde_json::Map::new());
    }

    /// The value at `pointer` in `file`, read from disk for other files. Errors name the
    /// file as `written` in the `$ref` (an absolute path would differ between machines).
    fn target_value(
        &mut self,
        file: &Path,
        written: &str,
        pointer: &str,
        root: &RootView,
    ) -> Result<Value, String> {
        let document = self.document(file, written, root)?;
        document
            .pointer(pointer)
            // `file.yaml#/` (Schemathesis' tests) means the whole file, unless it has a key
            // that is the empty string, which is what the pointer names.
            .or_else(|| (pointer == "/").then_some(document))
            .cloned()
            .ok_or_else(|| format!("{written} has nothing at `#{pointer}`"))
    }

    /// The pointer of the schema in `file` whose `$anchor` (or `$dynamicAnchor`) is
    /// `fragment`: what a `$ref` to `#anchor` names (JSON Schema 2020-12). A fragment with
    /// a `/` is no anchor's name: it is a pointer written without its leading `/`
    /// (`#definitions/Pet`), read as the pointer with a note at `at`, where `reference` is.
    fn anchor_pointer(
        &mut self,
        file: &Path,
        written: &str,
        fragment: &str,
        root: &RootView,
        (reference, at): (&str, &str),
    ) -> Result<String, String> {
        let document = self.document(file, written, root)?;
        let mut pointer = String::new();
        if find_anchor(document, fragment, &mut pointer) {
            return Ok(pointer);
        }
        let slashed = format!("/{fragment}");
        if fragment.contains('/') && document.pointer(&slashed).is_some() {
            self.notes.push(Note::new(
                at,
                format!("`$ref: {reference}` has a fragment without its leading `/`; read as `#{slashed}`"),
            ));
            return Ok(slashed);
        }
        Err(format!(
            "{written} has no schema with `$anchor: {fragment}`"
        ))
    }

    /// The pointer of the nearest schema around `pointer` (itself included) that has an
    /// `$id`: what `$ref: "#"` inside it names.
    fn enclosing_resource(
        &mut self,
        file: &Path,
        written: &str,
        pointer: &str,
        root: &RootView,
    ) -> Result<String, String> {
        let document = self.document(file, written, root)?;
        let mut around = pointer;
        while !around.is_empty() {
            if document
                .pointer(around)
                .is_some_and(|node| node.get("$id").is_some())
            {
                return Ok(around.to_owned());
            }
            around = &around[..around.rfind('/').unwrap_or(0)];
        }
        // Another file a spec refers to for a schema is a schema document: its root is the
        // resource.
        if file != self.root_file {
            return Ok(String::new());
        }
        Err(
            "`#` is the whole document, which is not a schema, and no schema around this \
             reference has an `$id`"
                .to_owned(),
        )
    }

    /// `target`, a pointer into `file`; when it names nothing there, the same pointer from
    /// the nearest schema around `at` that has an `$id`, where JSON Schema reads it
    /// (`#/properties/size` inside such a schema), if it names something there.
    fn within_resource(
        &mut self,
        file: &Path,
        written: &str,
        at: &str,
        target: String,
        root: &RootView,
    ) -> String {
        let names_something = |bundler: &mut Bundler, pointer: &str| {
            bundler
                .document(file, written, root)
                .is_ok_and(|document| document.pointer(pointer).is_some())
        };
        if names_something(self, &target) {
            return target;
        }
        match self.enclosing_resource(file, written, at, root) {
            Ok(resource) if !resource.is_empty() => {
                let within = format!("{resource}{target}");
                if names_something(self, &within) {
                    within
                } else {
                    target
                }
            }
            _ => target,
        }
    }

    /// The whole document of `file`: the root, or another file read once.
    fn document<'s>(
        &'s mut self,
        file: &Path,
        written: &str,
        root: &'s RootView,
    ) -> Result<&'s Value, String> {
        let document = if file == self.root_file {
            &root.0
        } else {
            if !self.files.contains_key(file) {
                let parsed = if file.exists() {
                    let mut notes = Vec::new();
                    let parsed = source::read(file, Keep::Everything, &mut notes)
                        .map(|parsed| parsed.value)
                        .map_err(|problem| format!("{written}: {}", problem.message));
                    // The pointers of these notes are in that file, which the message names.
                    self.notes.extend(notes.into_iter().map(|note| Note {
                        message: format!("in `{}`: {}", file.display(), note.message),
                        ..note
                    }));
                    parsed
                } else {
                    Err(format!("{written} does not exist (a `$ref` path is relative to the file the `$ref` is in)"))
                };
                let entry = match parsed {
                    Ok(value) => Some(value),
                    Err(message) => {
                        self.files.insert(file.to_path_buf(), None);
                        return Err(message);
                    }
                };
                self.files.insert(file.to_path_buf(), entry);
            }
            match self.files.get(file) {
                Some(Some(value)) => value,
                _ => return Err("the file could not be read".to_owned()),
            }
        };
        Ok(document)
    }

    /// Resolves every `$ref` in `node`. `pointer` is where `node` is, extended for its
    /// children and cut back after each, rather than a new string per node.
    fn walk(
        &mut self,
        node: &mut Value,
        position: Position,
        file: &Path,
        pointer: &mut String,
        root: &RootView,
    ) {
        if position == Position::Opaque {
            return;
        }
        let not_generated_from = matches!(position, Position::Callbacks | Position::Encodings);
        self.not_generated_from += usize::from(not_generated_from);
        // Keys written beside a `$ref` are walked where they are written, before the
        // reference is resolved: a copy it brings in place is walked while it is being
        // copied, and walking it again would resolve, again, a reference back to itself
        // that the copy holds, one level deeper each time, without end.
        let length = pointer.len();
        for (key, child) in children_mut(node) {
            if key == "$ref" || !is_container(child) {
                continue;
            }
            let child_position = position.child(&key, self.dialect);
            push_segment(pointer, &key);
            self.walk(child, child_position, file, pointer, root);
            pointer.truncate(length);
        }
        if let Some(reference) = node.get("$ref").and_then(Value::as_str).map(str::to_owned) {
            self.resolve(node, &reference, position, file, pointer, root);
        }
        self.not_generated_from -= usize::from(not_generated_from);
    }

    fn resolve(
        &mut self,
        node: &mut Value,
        reference: &str,
        position: Position,
        file: &Path,
        pointer: &str,
        root: &RootView,
    ) {
        let (file_part, target_pointer) = split_ref(reference);
        let mut target_pointer = target_pointer.into_owned();
        if file_part.starts_with("http://") || file_part.starts_with("https://") {
            self.remote(node, reference, position, pointer);
            return;
        }
        let target_file = if file_part.is_empty() {
            file.to_path_buf()
        } else {
            let base = file.parent().unwrap_or(Path::new("."));
            normalize(&base.join(file_part))
        };
        let written = if file_part.is_empty() {
            "this file".to_owned()
        } else {
            format!("`{file_part}`")
        };
        // A fragment that is not a pointer names an anchor; a schema's `#` names the schema
        // resource it is in (the nearest with an `$id`), not the document.
        let named = if !target_pointer.is_empty() && !target_pointer.starts_with('/') {
            Some(self.anchor_pointer(
                &target_file,
                &written,
                &target_pointer,
                root,
                (reference, pointer),
            ))
        } else if target_pointer.is_empty() && file_part.is_empty() && position == Position::Schema
        {
            Some(self.enclosing_resource(file, &written, pointer, root))
        } else {
            None
        };
        let renamed = named.is_some();
        let home = position.component_home(self.dialect);
        // A reference the root makes into itself that names nothing (Meilisearch's
        // `#/components/schema/...`, Fitbit's empty `$ref`) stays as written: the model
        // reads it as nothing, with a note where it stands, and the rest of the spec is
        // generated.
        let stays_as_written =
            home.is_some() && file == self.root_file && target_file == self.root_file;
        match named {
            Some(Ok(found)) => target_pointer = found,
            Some(Err(_)) if stays_as_written => return,
            Some(Err(message)) => {
                self.unresolved(
                    node,
                    file,
                    pointer,
                    format!("`$ref: {reference}` cannot be resolved: {message}"),
                );
                return;
            }
            None if file_part.is_empty() && position == Position::Schema => {
                target_pointer =
                    self.within_resource(file, &written, pointer, target_pointer, root);
            }
            None => {}
        }
        if target_file == self.root_file {
            if let Some(home) = home {
                if is_direct(&target_pointer, home) {
                    if renamed || !file_part.is_empty() || file != self.root_file {
                        set_ref(node, format!("#{target_pointer}"));
                    }
                    return;
                }
            }
        }
        let target: Target = (target_file.clone(), target_pointer.clone());
        let content = match self.target_value(&target_file, &written, &target_pointer, root) {
            Ok(content) => content,
            Err(_) if stays_as_written => return,
            Err(message) => {
                self.unresolved(
                    node,
                    file,
                    pointer,
                    format!("`$ref: {reference}` cannot be resolved: {message}"),
                );
                return;
            }
        };
        match home {
            // Path items, operations and the other nodes that have no component home of
            // their own are copied in place.
            None => {
                if self.inlining.contains(&target) {
                    self.unresolved(
                        node,
                        file,
                        pointer,
                        format!("`$ref: {reference}` refers to itself"),
                    );
                    return;
                }
                self.inlining.push(target);
                let mut content = content;
                self.walk(
                    &mut content,
                    position,
                    &target_file,
                    &mut target_pointer,
                    root,
                );
                self.inlining.pop();
                // Keys written beside the `$ref` stay, over the copied ones: Meilisearch
                // lists properties beside a `$ref` to another schema's `properties`.
                if let (Value::Object(siblings), Value::Object(copied)) = (&mut *node, &mut content)
                {
                    siblings.remove("$ref");
                    copied.extend(std::mem::take(siblings));
                }
                *node = content;
            }
            Some(home) => {
                if let Some(existing) = self.hoisted.get(&target) {
                    set_ref(node, existing.clone());
                    return;
                }
                let natural = last_segment(&target_pointer)
                    .or_else(|| {
                        target_file
                            .file_stem()
                            .map(|stem| stem.to_string_lossy().into_owned())
                    })
                    .unwrap_or_else(|| "Component".to_owned());
                let name = self.unique_name(home, &natural);
                let new_pointer = home
                    .iter()
                    .fold(String::new(), |acc, s| pointer_push(&acc, s));
                let new_pointer = pointer_push(&new_pointer, &name);
                if target_file == self.root_file {
                    self.relocated
                        .push((new_pointer.clone(), target_pointer.clone()));
                }
                let new_ref = format!("#{new_pointer}");
                self.hoisted.insert(target, new_ref.clone());
                set_ref(node, new_ref);
                let mut content = content;
                self.walk(
                    &mut content,
                    position,
                    &target_file,
                    &mut target_pointer,
                    root,
                );
                self.new_components.push((home, name, content));
            }
        }
    }

    /// A reference into a remote file, which is not fetched at build time (builds stay
    /// offline and reproducible): a schema is any JSON value, a response or request body
    /// one of any JSON value, and anything else stays a reference that names nothing,
    /// which lowering leaves out. The note says how to have the types generated.
    fn remote(&mut self, node: &mut Value, reference: &str, position: Position, pointer: &str) {
        let body = matches!(position, Position::Response | Position::RequestBody);
        let what = match position {
            Position::Schema => "it is typed as any JSON value",
            _ if body => "its body is any JSON value",
            _ => "it is left out",
        };
        let message = format!(
            "`$ref: {reference}` points at a remote URL, which tether does not fetch at build time, so {what}; download that file next to the spec and refer to it by a relative path to have it generated"
        );
        let any = json!({ super::DEGRADED: message });
        match position {
            Position::Schema => *node = any,
            _ if body && self.dialect == Dialect::Swagger2 => {
                *node = json!({"description": reference, "schema": any});
            }
            _ if body => {
                *node = json!({"description": reference, "content": {JSON: {"schema": any}}});
            }
            _ => {}
        }
        self.notes.push(Note::new(pointer, message));
    }

    fn unique_name(&mut self, home: &'static [&'static str], natural: &str) -> String {
        let names = self.names.entry(home).or_default();
        let mut candidate = natural.to_owned();
        let mut counter = 2;
        while names.contains(&candidate) {
            candidate = format!("{natural}{counter}");
            counter += 1;
        }
        names.insert(candidate.clone());
        candidate
    }
}

/// Finds the object whose `$anchor` or `$dynamicAnchor` is `anchor` below `node`, leaving
/// its pointer in `pointer` (which is where `node` is).
fn find_anchor(node: &Value, anchor: &str, pointer: &mut String) -> bool {
    let length = pointer.len();
    match node {
        Value::Object(map) => {
            let names_it = |key: &str| map.get(key).and_then(Value::as_str) == Some(anchor);
            // Draft 6 and 7 declared an anchor as an `$id` of a fragment alone (`#name`).
            let id_names_it = map
                .get("$id")
                .and_then(Value::as_str)
                .and_then(|id| id.strip_prefix('#'))
                == Some(anchor);
            if names_it("$anchor") || names_it("$dynamicAnchor") || id_names_it {
                return true;
            }
            for (key, child) in map {
                push_segment(pointer, key);
                if find_anchor(child, anchor, pointer) {
                    return true;
                }
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                push_segment(pointer, &index.to_string());
                if find_anchor(child, anchor, pointer) {
                    return true;
                }
                pointer.truncate(length);
            }
        }
        _ => {}
    }
    false
}

fn set_ref(node: &mut Value, reference: String) {
    if let Value::Object(map) = node {
        map.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut result = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                if !result.pop() {
                    result.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => result.push(other.as_os_str()),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// [`bundle`] with its walk on, as the survey asks for when a reference reads a
    /// document; the walk must leave alone what needs nothing.
    fn bundle_walked(root: &mut Value, root_file: &Path, dialect: Dialect) -> Bundled {
        bundle(root, root_file, dialect, true)
    }

    /// A folder of spec files for one test, removed when dropped.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str, files: &[(&str, &str)]) -> Folder {
            let root =
                std::env::temp_dir().join(format!("tether-bundle-{name}-{}", std::process::id()));
            for (path, text) in files {
                let path = root.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Folder(root)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn root_document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {"$ref": "paths/pets.yaml"},
                "/owners": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "schemas/owner.yaml"}
                }}}}}}
            }
        })
    }

    /// The name of the schema component `reference` (a `{"$ref": ...}` node) names.
    fn component_name(reference: &Value) -> &str {
        reference["$ref"]
            .as_str()
            .and_then(|name| name.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("a reference to a component: {reference}"))
    }

    #[test]
    fn a_reference_splits_into_its_file_and_its_pointer_unescaped() {
        let (file, pointer) = split_ref("common.yaml#/components/schemas/Pet");
        assert_eq!(
            (file, &*pointer),
            ("common.yaml", "/components/schemas/Pet")
        );
        assert!(matches!(pointer, Cow::Borrowed(_)));
        let (file, pointer) = split_ref("#/paths/%7Bid%7D~1a%2Fb");
        assert_eq!((file, &*pointer), ("", "/paths/{id}~1a/b"));
        let (file, pointer) = split_ref("other.json");
        assert_eq!((file, &*pointer), ("other.json", ""));
    }

    #[test]
    fn a_reference_to_an_anchor_names_the_schema_that_declares_it() {
        let mut document = json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {"Tree": {
                "type": "object",
                "properties": {"name": {"$ref": "#label"}, "size": {"$ref": "#nowhere"}},
                "$defs": {"label": {"$anchor": "label", "type": "string"}}
            }}}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        let component =
            component_name(&document["components"]["schemas"]["Tree"]["properties"]["name"]);
        assert_eq!(
            document["components"]["schemas"][component],
            json!({"$anchor": "label", "type": "string"})
        );
        // An anchor no schema declares names nothing: left for the model to note.
        assert_eq!(
            document["components"]["schemas"]["Tree"]["properties"]["size"],
            json!({"$ref": "#nowhere"})
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
    }

    #[test]
    fn a_pointer_written_without_its_leading_slash_is_read_as_the_pointer() {
        let mut document = json!({
            "openapi": "3.0.0",
            "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {"owner": {"$ref": "#components/schemas/Owner"}}},
                "Owner": {"type": "string"}
            }}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        assert_eq!(
            document["components"]["schemas"]["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Owner"})
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let [note] = bundled.notes.as_slice() else {
            panic!("one note: {:?}", bundled.notes);
        };
        assert_eq!(note.pointer, "/components/schemas/Pet/properties/owner");
        assert!(
            note.message.contains("without its leading `/`"),
            "{}",
            note.message
        );
    }

    /// Fitbit's spec has `$ref: ""` where a generator lost the target: a reference the
    /// root makes into itself that names no schema is left as written, not an error.
    #[test]
    fn an_empty_reference_in_the_root_is_left_for_the_model() {
        let mut document = json!({
            "openapi": "3.0.0",
            "paths": {},
            "components": {"schemas": {"Event": {
                "type": "object",
                "properties": {"owner": {"$ref": ""}, "kind": {"allOf": [{"$ref": ""}]}}
            }}}
        });
        let before = document.clone();
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        assert_eq!(document, before);
    }

    #[test]
    fn a_schemas_hash_names_the_schema_with_the_nearest_id() {
        let mut document = json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {
                "Tree": {
                    "$id": "https://example.com/schemas/tree",
                    "type": "object",
                    "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}
                },
                "Leaf": {"$anchor": "leaf", "type": "string"},
                "Uses": {"properties": {"leaf": {"$ref": "#leaf"}, "lost": {"$ref": "#"}}}
            }}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Tree"]["properties"]["children"]["items"]["$ref"],
            "#/components/schemas/Tree"
        );
        assert_eq!(
            schemas["Uses"]["properties"]["leaf"]["$ref"],
            "#/components/schemas/Leaf"
        );
        // No schema around `lost` has an `$id`: its `#` names nothing, left for the model.
        assert_eq!(schemas["Uses"]["properties"]["lost"], json!({"$ref": "#"}));
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
    }

    /// A schema document of its own: its `#` is its root, and a draft 7 `$id: "#name"`
    /// declares an anchor.
    #[test]
    fn another_files_hash_is_its_root_and_a_draft_7_id_fragment_is_an_anchor() {
        let folder = Folder::new(
            "schema-document",
            &[(
                "node.json",
                r##"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"next": {"$ref": "#"}, "label": {"$ref": "#label"}}, "definitions": {"label": {"$id": "#label", "type": "string"}}}"##,
            )],
        );
        let mut document = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "Node": {"$ref": "node.json#"}
        }}});
        let bundled = bundle_walked(
            &mut document,
            &folder.0.join("root.json"),
            Dialect::OpenApi3,
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let schemas = &document["components"]["schemas"];
        let node = component_name(&schemas["Node"]);
        let properties = &schemas[node]["properties"];
        assert_eq!(
            properties["next"]["$ref"],
            format!("#/components/schemas/{node}")
        );
        assert_eq!(
            schemas[component_name(&properties["label"])]["type"],
            "string"
        );
    }

    /// JSON Schema reads a pointer inside a schema with an `$id` from that schema.
    #[test]
    fn a_pointer_that_names_nothing_in_the_file_is_read_from_the_nearest_id() {
        let mut document = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "Page": {
                "$id": "https://example.com/page.json",
                "type": "object",
                "properties": {"size": {"type": "integer"}, "limit": {"$ref": "#/properties/size"}}
            }
        }}});
        let bundled = bundle_walked(&mut document, Path::new("root.json"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let limit =
            component_name(&document["components"]["schemas"]["Page"]["properties"]["limit"]);
        assert_eq!(
            document["components"]["schemas"][limit],
            json!({"type": "integer"})
        );
    }

    #[test]
    fn external_files_become_components_and_path_items_are_inlined() {
        let folder = Folder::new("external", &[
            ("paths/pets.yaml", "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '../schemas/pet.yaml#/Pet'\n"),
            ("schemas/pet.yaml", "Pet:\n  type: object\n  properties:\n    owner:\n      $ref: 'owner.yaml'\n    friend:\n      $ref: '#/Pet'\n"),
            ("schemas/owner.yaml", "type: object\nproperties:\n  name:\n    type: string\n"),
        ]);
        let mut document = root_document();
        let bundled = bundle_walked(
            &mut document,
            &folder.0.join("root.yaml"),
            Dialect::OpenApi3,
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        assert_eq!(bundled.files.len(), 4);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["owner"]["$ref"],
            "#/components/schemas/owner"
        );
        // The self-reference resolves to the same component, not a copy.
        assert_eq!(
            schemas["Pet"]["properties"]["friend"]["$ref"],
            "#/components/schemas/Pet"
        );
        let pets =
            &document["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(pets["schema"]["$ref"], "#/components/schemas/Pet");
        let owners =
            &document["paths"]["/owners"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(owners["schema"]["$ref"], "#/components/schemas/owner");
    }

    #[test]
    fn a_missing_file_is_a_problem_with_its_pointer() {
        let folder = Folder::new("missing", &[("paths/pets.yaml", "get:\n  responses: {}\n")]);
        let mut document = root_document();
        let bundled = bundle_walked(
            &mut document,
            &folder.0.join("root.yaml"),
            Dialect::OpenApi3,
        );
        assert_eq!(bundled.problems.len(), 1, "{:?}", bundled.problems);
        let problem = &bundled.problems[0];
        assert_eq!(
            problem.pointer,
            "/paths/~1owners/get/responses/200/content/application~1json/schema"
        );
        assert!(
            problem.message.contains("schemas/owner.yaml"),
            "{}",
            problem.message
        );
    }

    /// A callback may name itself (a callback's operation that calls back again), and an
    /// encoding's header may name a file that is not there: nothing is generated from
    /// either, so each is noted and left out, and the spec goes on.
    #[test]
    fn what_cannot_be_resolved_in_callbacks_and_encodings_is_noted_and_left_out() {
        let mut document = json!({
            "openapi": "3.0.3",
            "paths": {"/loops": {"post": {
                "callbacks": {"loop": {"$ref": "#/components/callbacks/Loop"}},
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object"},
                    "encoding": {"part": {"headers": {"X-Ignored": {"$ref": "missing.json#/Header"}}}}
                }}},
                "responses": {"204": {"description": "done"}}
            }}},
            "components": {"callbacks": {"Loop": {"{$request.query.url}": {"post": {
                "callbacks": {"again": {"$ref": "#/components/callbacks/Loop"}},
                "responses": {"204": {"description": "done"}}
            }}}}}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let notes: Vec<&str> = bundled
            .notes
            .iter()
            .map(|note| note.pointer.as_str())
            .collect();
        // Where each reference is written: the callback's, once for its copy in the
        // operation and once for the component.
        let again = "/components/callbacks/Loop/{$request.query.url}/post/callbacks/again";
        assert_eq!(
            notes,
            [
                again,
                "/paths/~1loops/post/requestBody/content/multipart~1form-data/encoding/part/headers/X-Ignored",
                again,
            ]
        );
        let encoding = &document["paths"]["/loops"]["post"]["requestBody"]["content"]
            ["multipart/form-data"]["encoding"];
        assert_eq!(encoding["part"]["headers"]["X-Ignored"], json!({}));
        // The same reference where it is generated from stays a problem.
        let mut document = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {
            "200": {"description": "ok", "headers": {"X-Rate": {"$ref": "missing.json#/Header"}}}
        }}}}});
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        assert_eq!(bundled.problems.len(), 1, "{:?}", bundled.problems);
    }

    #[test]
    fn a_pointer_to_the_root_of_another_file_is_the_file() {
        let folder = Folder::new(
            "slash",
            &[(
                "paths/pets.yaml",
                "get:\n  responses:\n    '204':\n      description: done\n",
            )],
        );
        let mut document =
            json!({"openapi": "3.0.3", "paths": {"/pets": {"$ref": "paths/pets.yaml#/"}}});
        let bundled = bundle_walked(
            &mut document,
            &folder.0.join("root.yaml"),
            Dialect::OpenApi3,
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        assert_eq!(
            document["paths"]["/pets"]["get"]["responses"]["204"]["description"],
            "done"
        );
    }

    #[test]
    fn operations_from_other_files_are_inlined() {
        let folder = Folder::new("operation", &[
            ("ops/list.yml", "operationId: listThings\nparameters:\n  - $ref: '../params.yml#/limit'\nresponses:\n  '200':\n    description: ok\n"),
            ("params.yml", "limit:\n  name: limit\n  in: query\n  schema:\n    type: integer\n"),
        ]);
        let mut document =
            json!({"openapi": "3.0.0", "paths": {"/things": {"get": {"$ref": "ops/list.yml"}}}});
        let bundled = bundle_walked(
            &mut document,
            &folder.0.join("root.yaml"),
            Dialect::OpenApi3,
        );
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let operation = &document["paths"]["/things"]["get"];
        assert_eq!(operation["operationId"], "listThings");
        assert_eq!(
            operation["parameters"][0]["$ref"],
            "#/components/parameters/limit"
        );
        assert_eq!(document["components"]["parameters"]["limit"]["in"], "query");
    }

    #[test]
    fn a_path_item_named_by_a_component_pointer_is_inlined() {
        // Not a component of its own kind (path items have none), so the root is read.
        let mut document = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.json"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let response = &document["paths"]["/a"]["get"]["responses"]["200"];
        assert_eq!(response["description"], "ok");
    }

    #[test]
    fn remote_references_are_noted_and_read_as_any_value_where_they_can_be() {
        let remote =
            |kind: &str| json!({"$ref": format!("https://example.com/common.yaml#/{kind}/X")});
        let mut document = json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"post": {
                    "parameters": [remote("parameters")],
                    "requestBody": remote("requestBodies"),
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": remote("schemas")}}},
                        "default": remote("responses")
                    }
                }},
                "/b": remote("paths")
            }
        });
        let bundled = bundle_walked(&mut document, Path::new("root.yaml"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let pointers: Vec<&str> = bundled
            .notes
            .iter()
            .map(|note| note.pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/post/parameters/0",
                "/paths/~1a/post/requestBody",
                "/paths/~1a/post/responses/200/content/application~1json/schema",
                "/paths/~1a/post/responses/default",
                "/paths/~1b"
            ]
        );
        assert!(bundled.notes[2]
            .message
            .contains("it is typed as any JSON value"));
        let operation = &document["paths"]["/a"]["post"];
        let degraded = |schema: &Value| schema.get(super::super::DEGRADED).is_some();
        assert!(degraded(
            &operation["responses"]["200"]["content"]["application/json"]["schema"]
        ));
        assert!(degraded(
            &operation["requestBody"]["content"]["application/json"]["schema"]
        ));
        assert!(degraded(
            &operation["responses"]["default"]["content"]["application/json"]["schema"]
        ));
        // What has no form of any value stays a reference that names nothing.
        assert!(operation["parameters"][0]["$ref"].is_string());
        assert!(document["paths"]["/b"]["$ref"].is_string());

        let mut swagger = json!({"swagger": "2.0", "paths": {"/a": {"get": {"responses": {
            "200": remote("responses")
        }}}}});
        let bundled = bundle_walked(&mut swagger, Path::new("root.yaml"), Dialect::Swagger2);
        assert_eq!(bundled.notes.len(), 1);
        assert!(degraded(
            &swagger["paths"]["/a"]["get"]["responses"]["200"]["schema"]
        ));
    }

    #[test]
    fn keys_beside_a_copied_reference_are_kept() {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {
                "SearchQuery": {"type": "object", "properties": {
                    "q": {"type": "string"}, "limit": {"type": "integer"}
                }},
                "FederatedQuery": {"type": "object", "properties": {
                    "indexUid": {"type": "string"},
                    "$ref": "#/components/schemas/SearchQuery/properties",
                    "limit": {"type": "number"}
                }}
            }}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.json"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let properties = &document["components"]["schemas"]["FederatedQuery"]["properties"];
        assert_eq!(
            properties,
            &json!({"q": {"type": "string"}, "limit": {"type": "number"},
                    "indexUid": {"type": "string"}})
        );
    }

    /// Found by the fuzzer: a `properties` map whose `$ref` names the schema it is in was
    /// copied in place, the copy walked again, and copied again inside itself until the
    /// stack overflowed.
    #[test]
    fn a_copied_reference_back_to_its_own_schema_is_a_problem_not_a_crash() {
        let mut document = json!({
            "swagger": "2.0",
            "paths": {},
            "definitions": {"Stats": {"type": "array", "items": {"type": "object",
                "properties": {"$ref": "#/definitions/Stats", "date": {"type": "number"}}
            }}}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.json"), Dialect::Swagger2);
        let problems: Vec<(&str, &str)> = bundled
            .problems
            .iter()
            .map(|problem| (problem.pointer.as_str(), problem.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [(
                "/definitions/Stats/items/properties",
                "`$ref: #/definitions/Stats` refers to itself"
            )]
        );
    }

    #[test]
    fn deep_internal_references_are_hoisted() {
        let mut document = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"x": {"type": "string"}}}
            }}}}}},
            "/b": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}
            }}}}}}}
        });
        let bundled = bundle_walked(&mut document, Path::new("root.json"), Dialect::OpenApi3);
        assert!(bundled.problems.is_empty(), "{:?}", bundled.problems);
        let hoisted = &document["components"]["schemas"]["schema"];
        assert_eq!(hoisted["properties"]["x"]["type"], "string");
    }
}
