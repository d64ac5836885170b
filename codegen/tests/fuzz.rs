//! A mutation fuzzer for the generator. Real specs (ours in `specs/`, and the shared
//! corpus when it is there) are mutated as JSON and run through load, lower, emit and
//! pretty-printing. Two properties are checked: nothing panics, and whenever generation
//! succeeds the tokens parse as a Rust file.
//!
//! `cargo test` runs a short session with a fixed seed. Longer sessions:
//!
//! ```text
//! TETHER_FUZZ_SECONDS=600 cargo test --release -p tether-codegen --test fuzz -- --nocapture
//! ```
//!
//! Other knobs: `TETHER_FUZZ_SEED` (the session seed, decimal or `0x` hex),
//! `TETHER_FUZZ_REPLAY=<finding>.json` (runs one saved document, panics shown as usual), and
//! `TETHER_FUZZ_CASE=<spec>:<case seed>` (rebuilds one case from its seed spec and case
//! seed, saves it, and runs it; for a case that killed the process, e.g. by overflowing
//! the stack, which `in-flight.txt` names).
//!
//! `TETHER_FUZZ_KEEP=<dir>` keeps every case that generates, with a `MANIFEST.tsv`, so that
//! `tether conformance <dir>` compiles them: parsing is all this test checks of the output.
//!
//! Findings are written to `target/fuzz-findings/<case seed>.json` (the mutated document),
//! with `.txt` (what happened, and the base path its `$ref`s resolve against) and, for
//! output that does not parse, `.rs` (the tokens).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Once, OnceLock};
use std::time::{Duration, Instant};

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Map, Value};
use tether_codegen::{emit, ir, load, pretty, EmitOptions, Selection};

/// The session seed of a plain `cargo test`.
const DEFAULT_SEED: u64 = 0x7e7e_5eed_f0f0_c0de;
/// The length of a plain `cargo test` session.
const DEFAULT_SECONDS: f64 = 4.0;
/// Corpus specs larger than this are left out of short sessions: parsing them in a debug
/// build would use up the whole budget.
const SHORT_SESSION_MAX_BYTES: u64 = 300_000;
/// Specs larger than this are mutated through an excerpt (a few path items or components
/// and everything they refer to) rather than whole, most of the time.
const EXCERPT_ABOVE_BYTES: u64 = 200_000;
/// One case taking longer than this is reported as a hang.
const HANG_SECONDS: u64 = 60;
/// Mutations never nest the document deeper than this: a generator may recurse once per
/// level, and a stack overflow from an absurd depth is not the bug being looked for.
const MAX_DEPTH: usize = 96;
/// Findings saved per distinct panic location or parse error.
const SAVED_PER_KIND: usize = 2;
/// The worker's stack: generous, so that only unbounded recursion overflows it.
const WORKER_STACK: usize = 16 << 20;

// ---------------------------------------------------------------------------------------
// Randomness

/// SplitMix64: small, fast, and enough to make every case reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next() % den < num
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// The seed of case `index` of a session.
fn case_seed(session: u64, index: u64) -> u64 {
    Rng(session ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03)).next()
}

// ---------------------------------------------------------------------------------------
// Seed specs

/// One real spec mutations start from.
struct SeedSpec {
    /// How findings name it: `specs/petstore.yaml`, `corpus/stripe/spec3.yaml`.
    name: String,
    /// Where it is; external `$ref`s resolve against it.
    path: PathBuf,
    /// Its size with every file its `$ref`s reach.
    bytes: u64,
    /// Parsed on first use; `None` when it cannot be parsed.
    value: OnceLock<Option<Value>>,
}

impl SeedSpec {
    fn new(name: String, path: PathBuf) -> SeedSpec {
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        SeedSpec {
            name,
            path,
            bytes,
            value: OnceLock::new(),
        }
    }

    fn value(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| match read_spec(&self.path) {
                Ok(value) => Some(value),
                Err(error) => {
                    println!("fuzz: skipping {}: {error}", self.name);
                    None
                }
            })
            .as_ref()
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the codegen crate is inside the workspace")
        .to_path_buf()
}

fn findings_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| workspace().join("target"))
        .join("fuzz-findings")
}

/// Our specs, then every spec of the shared corpus when it is there.
fn seed_specs() -> Vec<SeedSpec> {
    let specs = workspace().join("specs");
    let mut ours: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("specs/ is part of the repository")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    ours.sort();
    let mut seeds: Vec<SeedSpec> = ours
        .into_iter()
        .map(|path| {
            let name = format!(
                "specs/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            SeedSpec::new(name, path)
        })
        .collect();
    let corpus = workspace().join("../shared/corpus");
    let manifest = corpus.join("MANIFEST.tsv");
    match std::fs::read_to_string(&manifest) {
        Ok(text) => {
            for line in text.lines().skip(1) {
                let Some(relative) = line.split('\t').next().filter(|p| !p.is_empty()) else {
                    continue;
                };
                let mut seed = SeedSpec::new(format!("corpus/{relative}"), corpus.join(relative));
                // The manifest counts the files the spec refers to as well.
                if let Some(bytes) = line.split('\t').nth(6).and_then(|b| b.parse().ok()) {
                    seed.bytes = seed.bytes.max(bytes);
                }
                seeds.push(seed);
            }
        }
        Err(error) => println!(
            "fuzz: no corpus ({}: {error}); fuzzing our specs only",
            manifest.display()
        ),
    }
    seeds
}

/// Reads a spec the way the generator does, into plain JSON.
fn read_spec(path: &Path) -> Result<Value, String> {
    load::read_document(path).map_err(|problem| problem.to_string())
}

// ---------------------------------------------------------------------------------------
// JSON pointers

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

/// Whether `inner` is `outer` or inside it.
fn within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with('/'))
}

fn height(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(height).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(height).max().unwrap_or(0),
        _ => 0,
    }
}

fn pointer_depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// Pointers of every node `keep` accepts, in document order.
fn collect(doc: &Value, keep: &dyn Fn(&str, &Value) -> bool) -> Vec<String> {
    fn walk(
        value: &Value,
        pointer: &mut String,
        keep: &dyn Fn(&str, &Value) -> bool,
        out: &mut Vec<String>,
    ) {
        if keep(pointer, value) {
            out.push(pointer.clone());
        }
        let len = pointer.len();
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    pointer.push('/');
                    pointer.push_str(&escape(key));
                    walk(child, pointer, keep, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    walk(child, pointer, keep, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut String::new(), keep, &mut out);
    out
}

const SCHEMA_KEYS: &[&str] = &[
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "additionalProperties",
    "format",
    "nullable",
    "discriminator",
];

fn is_schema(pointer: &str, value: &Value) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    SCHEMA_KEYS.iter().any(|key| map.contains_key(*key))
        || pointer.ends_with("/schema")
        || pointer.contains("/schemas/")
        || pointer.starts_with("/definitions/")
        || (map.contains_key("$ref") && pointer.contains("schema"))
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn is_operation(pointer: &str, value: &Value) -> bool {
    let parts = tokens(pointer);
    value.is_object() && parts.len() == 3 && parts[0] == "paths" && METHODS.contains(&&*parts[2])
}

// ---------------------------------------------------------------------------------------
// Excerpts of big specs

const SECTIONS: &[&str] = &[
    "paths",
    "components",
    "definitions",
    "parameters",
    "responses",
    "webhooks",
];

/// Internal `$ref` targets, as pointer tokens.
fn internal_refs(value: &Value, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some(fragment) = reference.strip_prefix('#') {
                    out.push(tokens(
                        &percent_encoding::percent_decode_str(fragment).decode_utf8_lossy(),
                    ));
                }
            }
            map.values().for_each(|v| internal_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| internal_refs(v, out)),
        _ => {}
    }
}

fn get_path<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn set_path(doc: &mut Value, path: &[String], value: Value) {
    let Some((last, init)) = path.split_last() else {
        *doc = value;
        return;
    };
    let mut node = doc;
    for token in init {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else { return };
        node = map
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        map.insert(last.clone(), value);
    }
}

/// A small document cut from a big one: a few path items (or a few schemas) and every
/// section entry they reach through internal `$ref`s, plus the top-level fields.
fn excerpt(doc: &Value, rng: &mut Rng) -> Value {
    let Some(root) = doc.as_object() else {
        return doc.clone();
    };
    let mut out = Value::Object(
        root.iter()
            .filter(|(key, _)| !SECTIONS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    );
    set_path(&mut out, &["paths".to_owned()], json!({}));
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        set_path(
            &mut out,
            &["components".to_owned(), "securitySchemes".to_owned()],
            schemes.clone(),
        );
    }
    let mut wanted: Vec<Vec<String>> = Vec::new();
    let paths: Vec<&String> = doc
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| paths.keys().collect())
        .unwrap_or_default();
    let schemas: Vec<Vec<String>> = ["/components/schemas", "/definitions"]
        .iter()
        .filter_map(|home| {
            doc.pointer(home)
                .and_then(Value::as_object)
                .map(|m| (home, m))
        })
        .flat_map(|(home, map)| {
            map.keys().map(move |key| {
                let mut path = tokens(home);
                path.push(key.clone());
                path
            })
        })
        .collect();
    if !paths.is_empty() && (schemas.is_empty() || rng.chance(4, 5)) {
        for _ in 0..1 + rng.below(4) {
            if let Some(path) = rng.pick(&paths) {
                wanted.push(vec!["paths".to_owned(), (*path).clone()]);
            }
        }
    } else {
        for _ in 0..1 + rng.below(3) {
            if let Some(path) = rng.pick(&schemas) {
                wanted.push(path.clone());
            }
        }
    }
    let mut copied: HashSet<Vec<String>> = HashSet::new();
    while let Some(home) = wanted.pop() {
        if !copied.insert(home.clone()) {
            continue;
        }
        let Some(value) = get_path(doc, &home) else {
            continue;
        };
        let mut refs = Vec::new();
        internal_refs(value, &mut refs);
        set_path(&mut out, &home, value.clone());
        for target in refs {
            let Some(first) = target.first() else {
                continue;
            };
            if !SECTIONS.contains(&first.as_str()) {
                continue;
            }
            let depth = if first == "components" { 3 } else { 2 };
            if target.len() >= depth {
                wanted.push(target[..depth].to_vec());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Values mutations put in

/// Names that mean something to Rust, to serde, or to the generated code.
const RUST_NAMES: &[&str] = &[
    "}{#[]'\\",
    "r#",
    "r#type",
    "r#\"x\"#",
    "self",
    "Self",
    "super",
    "crate",
    "_",
    "__",
    "0",
    "123",
    "1abc",
    "-1",
    "+1",
    "type",
    "fn",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "union",
    "macro_rules!",
    "/*",
    "*/",
    "//",
    "///",
    "\"",
    "'a",
    "::",
    "std",
    "core",
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "HashMap",
    "serde",
    "serde_json",
    "chrono",
    "uuid",
    "Default",
    "Client",
    "new",
    "with_base_url",
    "send",
    "body",
    "Error",
    "Ok",
    "Err",
    "Some",
    "None",
    "value",
    "Value",
    "#[doc = \"x\"]",
    "\\u{0}",
    "\n",
    "\t",
    "a\nb",
    "-",
    "+",
    "=",
    "!=",
    "__private",
    "tether",
    "Other",
    "other",
    "Unknown",
    "additional",
    "extra",
    "Bytes",
    "=",
    "*",
    "",
    " ",
    // Names the generated code itself uses: generic parameters, locals, items.
    "A",
    "D",
    "E",
    "S",
    "T",
    "call",
    "http",
    "api",
    "request",
    "deserializer",
    "__map",
    "__key",
    "sandbox",
    "Api",
    "as_str",
    "from_map",
];

/// Names pagination detection looks for, for parameters and for fields of a page.
const PAGING_PARAMS: &[&str] = &[
    "after",
    "cursor",
    "page_token",
    "pageToken",
    "continue",
    "marker",
    "offset",
    "skip",
    "start",
    "page",
    "pageNumber",
    "limit",
    "per_page",
    "pageSize",
    "count",
    "$top",
    "size",
    "starting_after",
    "next",
    "",
];
const PAGING_FIELDS: &[&str] = &[
    "data",
    "items",
    "results",
    "values",
    "value",
    "entries",
    "nodes",
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next",
    "has_more",
    "hasMore",
    "@odata.nextLink",
    "nextLink",
    "next_url",
    "links",
    "paging",
    "meta",
    "pagination",
    "total",
    "cursor",
    "end_cursor",
    "page_info",
    "id",
    "",
];

const GARBAGE_CHARS: &[char] = &[
    'a', 'Z', '0', '9', '_', '-', ' ', '.', '/', '~', '%', '{', '}', '#', '"', '\'', '\\', '\n',
    '\t', '\r', '\u{0}', '\u{7f}', 'é', 'ß', 'İ', 'ﬁ', 'Σ', 'ς', '中', '🦀', '\u{200b}',
    '\u{202e}', '\u{feff}', '\u{301}', 'ǅ', 'Ⅻ', '٣', '𝔘', '$', '@', '!', '?', '&', '=', '+', '*',
    '<', '>', '[', ']', '(', ')', ':', ';', ',', '`', '^', '|',
];

fn garbage_string(rng: &mut Rng) -> String {
    let len = match rng.below(8) {
        0 => 0,
        1 => 200 + rng.below(5000),
        _ => 1 + rng.below(12),
    };
    (0..len)
        .map(|_| GARBAGE_CHARS[rng.below(GARBAGE_CHARS.len())])
        .collect()
}

/// Case and spelling variants that should collide after conversion to Rust.
fn collisions_of(name: &str) -> Vec<String> {
    vec![
        name.to_owned(),
        name.to_snake_case(),
        name.to_upper_camel_case(),
        name.to_lower_camel_case(),
        name.to_kebab_case(),
        name.to_shouty_snake_case(),
        name.to_uppercase(),
        name.to_lowercase(),
        format!("{name}_"),
        format!("_{name}"),
        format!("{name}2"),
        format!("{name} "),
        format!("{}.{}", name, name),
        format!("{name}Request"),
        format!("{name}Response"),
        format!("{name}Responses"),
        format!("{name}Error"),
        format!("{name}Other"),
        format!("{}Request", name.to_upper_camel_case()),
        format!("{}Responses", name.to_upper_camel_case()),
    ]
}

/// Names found in the document: component names, property names, operation ids, enum
/// values. Mutations reuse them so that new names collide with old ones.
struct Names(Vec<String>);

impl Names {
    fn of(doc: &Value) -> Names {
        let mut names = Vec::new();
        fn walk(value: &Value, names: &mut Vec<String>, key: Option<&str>) {
            match value {
                Value::Object(map) => {
                    for (k, v) in map {
                        if matches!(
                            key,
                            Some("schemas" | "properties" | "definitions" | "parameters")
                        ) {
                            names.push(k.clone());
                        }
                        if k == "operationId" || k == "name" {
                            if let Value::String(s) = v {
                                names.push(s.clone());
                            }
                        }
                        walk(v, names, Some(k));
                    }
                }
                Value::Array(items) => {
                    for item in items {
                        if key == Some("enum") {
                            if let Value::String(s) = item {
                                names.push(s.clone());
                            }
                        }
                        walk(item, names, None);
                    }
                }
                _ => {}
            }
        }
        walk(doc, &mut names, None);
        names.sort();
        names.dedup();
        names.truncate(4000);
        Names(names)
    }

    /// A name for a key, an id or an enum value.
    fn any(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=3 => RUST_NAMES[rng.below(RUST_NAMES.len())].to_owned(),
            4..=6 if !self.0.is_empty() => {
                let base = &self.0[rng.below(self.0.len())];
                let variants = collisions_of(base);
                variants[rng.below(variants.len())].clone()
            }
            7 if !self.0.is_empty() => self.0[rng.below(self.0.len())].clone(),
            8 => pick_str(rng, PAGING_FIELDS),
            _ => garbage_string(rng),
        }
    }
}

fn huge_number(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => json!(i64::MIN),
        1 => json!(u64::MAX),
        2 => json!(1e308),
        3 => json!(-1.797_693_134_862_315_7e308),
        4 => json!(f64::MIN_POSITIVE),
        5 => json!(-0.0),
        6 => json!(i64::MAX),
        7 => json!(65536),
        _ => json!(-1),
    }
}

/// Any value at all.
fn junk(rng: &mut Rng, names: &Names, depth: usize) -> Value {
    match rng.below(if depth > 2 { 8 } else { 12 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(1, 2)),
        2 => huge_number(rng),
        3 => json!(rng.below(1000)),
        4 => json!(""),
        5 => json!(garbage_string(rng)),
        6 => json!(names.any(rng)),
        7 => json!(1.5),
        8 => json!([]),
        9 => json!({}),
        10 => Value::Array(
            (0..rng.below(4))
                .map(|_| junk(rng, names, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (names.any(rng), junk(rng, names, depth + 1)))
                .collect(),
        ),
    }
}

/// A schema: small and plausible, or junk.
fn schema(rng: &mut Rng, names: &Names, refs: &[String], depth: usize) -> Value {
    if depth > 3 {
        return json!({"type": "string"});
    }
    match rng.below(14) {
        0 => json!({"type": "string"}),
        1 => json!({"type": "integer", "format": pick_str(rng, FORMATS)}),
        2 => json!({"type": "number"}),
        3 => json!({"type": "boolean"}),
        4 => json!({"type": "array", "items": schema(rng, names, refs, depth + 1)}),
        5 => {
            let properties: Map<String, Value> = (0..rng.below(4))
                .map(|_| (names.any(rng), schema(rng, names, refs, depth + 1)))
                .collect();
            json!({"type": "object", "properties": properties})
        }
        6 => json!({"type": "string", "enum": colliding_enum(rng, names)}),
        7 | 8 => match rng.pick(refs) {
            Some(target) => json!({ "$ref": target }),
            None => json!({"$ref": "#/components/schemas/Missing"}),
        },
        9 => json!({}),
        10 => {
            json!({"oneOf": [schema(rng, names, refs, depth + 1), schema(rng, names, refs, depth + 1)]})
        }
        11 => {
            json!({"type": "object", "additionalProperties": schema(rng, names, refs, depth + 1)})
        }
        12 => json!({"allOf": [schema(rng, names, refs, depth + 1)], "nullable": true}),
        _ => junk(rng, names, depth),
    }
}

fn pick_str(rng: &mut Rng, items: &[&str]) -> String {
    items[rng.below(items.len())].to_owned()
}

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "int8",
    "int16",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "date",
    "date-time",
    "uuid",
    "binary",
    "byte",
    "password",
    "email",
    "decimal",
    "",
    "bogus",
    "DATE-TIME",
];

fn colliding_enum(rng: &mut Rng, names: &Names) -> Value {
    let base = names.any(rng);
    let mut values: Vec<Value> = Vec::new();
    let variants = collisions_of(&base);
    for _ in 0..1 + rng.below(6) {
        values.push(json!(variants[rng.below(variants.len())]));
    }
    for _ in 0..rng.below(3) {
        values.push(match rng.below(12) {
            0 => json!("other"),
            1 => json!("Other"),
            2 => json!("OTHER"),
            3 => json!("unknown"),
            4 => json!(""),
            5 => Value::Null,
            6 => json!(1),
            7 => json!(true),
            8 => json!({}),
            9 => json!("Self"),
            10 => json!("self"),
            _ => json!(names.any(rng)),
        });
    }
    Value::Array(values)
}

/// Pointers a `$ref` can name: components, any node, dangling ones, odd syntax.
fn ref_target(rng: &mut Rng, doc: &Value, components: &[String], own: &str) -> String {
    match rng.below(12) {
        0..=3 => components
            .get(rng.below(components.len().max(1)))
            .cloned()
            .unwrap_or_else(|| "#/components/schemas/Missing".to_owned()),
        4 => format!("#{own}"),
        5 => format!("#{}", parent(own).unwrap_or("")),
        6 | 7 => {
            let all = collect(doc, &|_, _| true);
            format!("#{}", all[rng.below(all.len())])
        }
        _ => pick_str(
            rng,
            &[
                "#/components/schemas/DoesNotExist",
                "#/definitions/DoesNotExist",
                "#/nope/nope",
                "#",
                "#/",
                "",
                "missing.yaml",
                "missing.yaml#/components/schemas/X",
                "#/components/schemas/",
                "#/components/schemas/%zz",
                "#/components/schemas/a~2b",
                "#/components/schemas/a%2Fb",
                "#/paths",
                "#/components",
                "#/info/title",
                "#/paths/~1/get",
                "components/schemas/X",
                "#components/schemas/X",
                "#/components/schemas/🦀",
            ],
        ),
    }
}

/// `#/components/<kind>/<name>` (or Swagger 2.0's section) pointers of the document.
fn component_refs(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for home in [
        "/components/schemas",
        "/components/parameters",
        "/components/responses",
        "/components/requestBodies",
        "/components/headers",
        "/definitions",
        "/parameters",
        "/responses",
    ] {
        if let Some(Value::Object(map)) = doc.pointer(home) {
            out.extend(map.keys().map(|key| format!("#{}", child(home, key))));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Mutations

/// One mutation of a case: the document, what it started from, and randomness.
struct Mutator<'a> {
    doc: Value,
    rng: &'a mut Rng,
    names: Names,
    /// Small documents that subtrees can be spliced in from.
    donors: &'a [Value],
}

impl Mutator<'_> {
    fn pick_node(&mut self, keep: &dyn Fn(&str, &Value) -> bool) -> Option<String> {
        let nodes = collect(&self.doc, keep);
        self.rng.pick(&nodes).cloned()
    }

    fn node(&mut self, pointer: &str) -> Option<&mut Value> {
        self.doc.pointer_mut(pointer)
    }

    fn set(&mut self, pointer: &str, value: Value) {
        if let Some(node) = self.node(pointer) {
            *node = value;
        }
    }

    fn insert(&mut self, pointer: &str, key: String, value: Value) {
        if let Some(node) = self.node(pointer) {
            if !node.is_object() {
                *node = json!({});
            }
            if let Value::Object(map) = node {
                map.insert(key, value);
            }
        }
    }

    fn junk(&mut self) -> Value {
        junk(self.rng, &self.names, 0)
    }

    fn schema(&mut self) -> Value {
        let refs = component_refs(&self.doc);
        schema(self.rng, &self.names, &refs, 0)
    }

    fn name(&mut self) -> String {
        self.names.any(self.rng)
    }

    /// Applies one random mutation; false when it found nothing to apply to.
    fn mutate(&mut self) -> bool {
        match self.rng.below(36) {
            0 | 1 => self.delete_key(),
            2..=4 => self.replace_with_junk(),
            5 => self.swap_subtrees(),
            6 => self.duplicate_deeper(),
            7 | 8 => self.schema_to_ref(),
            9 => self.self_ref(),
            10 => self.ref_cycle(),
            11 => self.bad_type(),
            12 => self.required_oddities(),
            13 => self.rename_operation_id(),
            14 => self.colliding_enum(),
            15 => self.colliding_properties(),
            16 => self.rename_component(),
            17 => self.mangle_string(),
            18 => self.rename_key(),
            19 => self.path_template(),
            20 => self.bad_parameter(),
            21 => self.splice(),
            22 => self.version_flip(),
            23 => self.odd_status(),
            24 => self.odd_media_type(),
            25 => self.composition(),
            26 => self.discriminator(),
            27 => self.schema_keyword(),
            28 => self.security(),
            29 => self.add_operation(),
            30 | 31 => self.paged_operation(),
            32 => self.pagination_extension(),
            33 => self.response_headers(),
            34 => self.deep_nesting(),
            _ => self.ref_chain(),
        }
    }

    /// A schema wrapped in many levels of arrays, maps, compositions and properties.
    fn deep_nesting(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let levels = 1 + self.rng.below(80);
        if pointer_depth(&pointer) + levels * 3 > MAX_DEPTH {
            return false;
        }
        let Some(mut value) = self.doc.pointer(&pointer).cloned() else {
            return false;
        };
        if pointer_depth(&pointer) + levels * 3 + height(&value) > MAX_DEPTH {
            value = json!({"type": "string"});
        }
        for _ in 0..levels {
            value = match self.rng.below(7) {
                0 => json!({"type": "array", "items": value}),
                1 => json!({"allOf": [value]}),
                2 => json!({"oneOf": [value, {"type": "integer"}]}),
                3 => json!({"type": "object", "properties": {"x": value}}),
                4 => json!({"type": "object", "additionalProperties": value}),
                5 => json!({"anyOf": [value], "nullable": true}),
                _ => json!({"allOf": [value, {"properties": {"y": {"type": "string"}}}]}),
            };
        }
        self.set(&pointer, value);
        true
    }

    /// A chain of components, each only a `$ref` to the next, longer than the generator
    /// follows, sometimes closing into a loop.
    fn ref_chain(&mut self) -> bool {
        let swagger = self.doc.get("swagger").is_some();
        let home = if swagger {
            "/definitions"
        } else {
            "/components/schemas"
        };
        if !self.doc.pointer(home).is_some_and(Value::is_object) {
            set_path(&mut self.doc, &tokens(home), json!({}));
        }
        let length = 1 + self.rng.below(48);
        let prefix = self.name();
        let end = match self.rng.below(3) {
            0 => json!({"type": "string"}),
            1 => json!({"$ref": format!("#{}", child(home, &format!("{prefix}0")))}),
            _ => self.schema(),
        };
        let Some(Value::Object(map)) = self.doc.pointer_mut(home) else {
            return false;
        };
        for index in 0..length {
            let next = format!("#{}", child(home, &format!("{prefix}{}", index + 1)));
            map.insert(format!("{prefix}{index}"), json!({ "$ref": next }));
        }
        map.insert(format!("{prefix}{length}"), end);
        let first = format!("#{}", child(home, &format!("{prefix}0")));
        if let Some(target) = self.pick_node(&is_schema) {
            self.set(&target, json!({ "$ref": first }));
        }
        true
    }

    /// A list operation shaped for pagination detection, with parts of it made odd.
    fn paged_operation(&mut self) -> bool {
        let cursor = pick_str(self.rng, PAGING_PARAMS);
        let limit = pick_str(self.rng, PAGING_PARAMS);
        let items = pick_str(self.rng, PAGING_FIELDS);
        let next = pick_str(self.rng, PAGING_FIELDS);
        let item = self.schema();
        let next_schema = match self.rng.below(4) {
            0 => json!({"type": "string", "nullable": true}),
            1 => json!({"type": "integer"}),
            2 => self.schema(),
            _ => json!({"type": "object", "properties": {
                pick_str(self.rng, PAGING_FIELDS): {"type": "string"},
                pick_str(self.rng, PAGING_FIELDS): self.schema()
            }}),
        };
        let items_schema = if self.rng.chance(3, 4) {
            json!({"type": "array", "items": item})
        } else {
            item
        };
        let page = json!({"type": "object", "properties": {
            items: items_schema,
            next: next_schema,
            pick_str(self.rng, PAGING_FIELDS): {"type": "boolean"},
        }});
        let page = if self.rng.chance(1, 4) {
            json!({"allOf": [page, self.schema()]})
        } else {
            page
        };
        let mut parameters = vec![
            json!({"name": cursor, "in": "query", "schema": {"type": "string"}}),
            json!({"name": limit, "in": pick_str(self.rng, &["query", "header", "path"]), "schema": self.schema()}),
        ];
        if self.rng.chance(1, 3) {
            parameters.push(json!({"name": self.name(), "in": "query", "required": true, "schema": self.schema()}));
        }
        let id = self.name();
        let mut responses = json!({
            "200": {"description": "ok", "content": {"application/json": {"schema": page}}}
        });
        if self.rng.chance(1, 3) {
            responses["200"]["headers"] = json!({"Link": {"schema": {"type": "string"}}});
        }
        if self.rng.chance(1, 4) {
            responses["201"] = json!({"description": "x", "content": {"text/plain": {"schema": {"type": "string"}}}});
        }
        let mut operation =
            json!({"operationId": id, "parameters": parameters, "responses": responses});
        if self.rng.chance(1, 4) {
            operation["requestBody"] = json!({"content": {"application/json": {"schema": {
                "type": "object", "properties": {cursor: {"type": "string"}, limit: {"type": "integer"}}
            }}}});
        }
        let path = format!("/{}", self.name());
        let method = pick_str(self.rng, &["get", "post"]);
        if !self.doc.get("paths").is_some_and(Value::is_object) {
            set_path(&mut self.doc, &["paths".to_owned()], json!({}));
        }
        if let Some(Value::Object(paths)) = self.doc.get_mut("paths") {
            let entry = paths.entry(path).or_insert_with(|| json!({}));
            if let Value::Object(entry) = entry {
                entry.insert(method, operation);
            }
        }
        true
    }

    /// Speakeasy's pagination extension on an operation, naming fields that may or may
    /// not exist.
    fn pagination_extension(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_operation) else {
            return false;
        };
        let field = |rng: &mut Rng, names: &Names| match rng.below(6) {
            0 => format!("$.{}", pick_str(rng, PAGING_FIELDS)),
            1 => format!("$.{}.{}", names.any(rng), pick_str(rng, PAGING_FIELDS)),
            2 => names.any(rng),
            3 => pick_str(
                rng,
                &[
                    "$",
                    "$.",
                    "",
                    "..",
                    "$..",
                    "$.a.b.c.d.e",
                    "$[0]",
                    "$.data[*]",
                ],
            ),
            _ => pick_str(rng, PAGING_FIELDS),
        };
        let kind = pick_str(self.rng, &["cursor", "offsetLimit", "url", "bogus"]);
        let mut inputs = Vec::new();
        for _ in 0..self.rng.below(4) {
            let name = field(self.rng, &self.names);
            let role = pick_str(self.rng, &["cursor", "offset", "page", "limit", "bogus"]);
            let place = pick_str(self.rng, &["parameters", "requestBody", "bogus"]);
            inputs.push(json!({"name": name, "in": place, "type": role}));
        }
        let mut outputs = Map::new();
        for key in ["nextCursor", "nextUrl", "results"] {
            if self.rng.chance(2, 3) {
                outputs.insert(key.to_owned(), json!(field(self.rng, &self.names)));
            }
        }
        let extension = if self.rng.chance(1, 6) {
            self.junk()
        } else {
            json!({"type": kind, "inputs": inputs, "outputs": outputs})
        };
        self.insert(&pointer, "x-speakeasy-pagination".to_owned(), extension);
        true
    }

    fn response_headers(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|p, v| {
            v.is_object() && tokens(p).iter().rev().nth(1).map(String::as_str) == Some("responses")
        }) else {
            return false;
        };
        let mut headers = Map::new();
        for _ in 0..1 + self.rng.below(3) {
            let name = match self.rng.below(3) {
                0 => pick_str(
                    self.rng,
                    &[
                        "Link",
                        "link",
                        "LINK",
                        "X-Next",
                        "Content-Type",
                        "",
                        "Retry-After",
                    ],
                ),
                _ => self.name(),
            };
            let value = match self.rng.below(3) {
                0 => json!({"schema": self.schema()}),
                1 => json!({"$ref": "#/components/headers/Missing"}),
                _ => self.junk(),
            };
            headers.insert(name, value);
        }
        self.insert(&pointer, "headers".to_owned(), Value::Object(headers));
        true
    }

    fn delete_key(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|_, v| v.as_object().is_some_and(|m| !m.is_empty()))
        else {
            return false;
        };
        let rng = &mut *self.rng;
        if let Some(Value::Object(map)) = self.doc.pointer_mut(&pointer) {
            let index = rng.below(map.len());
            if let Some(key) = map.keys().nth(index).cloned() {
                map.remove(&key);
            }
        }
        true
    }

    fn replace_with_junk(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|p, _| !p.is_empty()) else {
            return false;
        };
        let value = self.junk();
        self.set(&pointer, value);
        true
    }

    fn swap_subtrees(&mut self) -> bool {
        let nodes = collect(&self.doc, &|p, _| !p.is_empty());
        for _ in 0..8 {
            let (Some(a), Some(b)) = (self.rng.pick(&nodes), self.rng.pick(&nodes)) else {
                return false;
            };
            if within(a, b) || within(b, a) {
                continue;
            }
            let (a, b) = (a.clone(), b.clone());
            let value_a = self.doc.pointer(&a).cloned().unwrap_or(Value::Null);
            let value_b = self.doc.pointer(&b).cloned().unwrap_or(Value::Null);
            if pointer_depth(&a) + height(&value_b) > MAX_DEPTH
                || pointer_depth(&b) + height(&value_a) > MAX_DEPTH
            {
                continue;
            }
            self.set(&a, value_b);
            self.set(&b, value_a);
            return true;
        }
        false
    }

    fn duplicate_deeper(&mut self) -> bool {
        let Some(outer) = self.pick_node(&|p, v| {
            !p.is_empty() && (v.is_object() || v.is_array()) && pointer_depth(p) < 12
        }) else {
            return false;
        };
        let Some(copy) = self.doc.pointer(&outer).cloned() else {
            return false;
        };
        let inside: Vec<String> = collect(&copy, &|_, v| v.is_object() || v.is_array())
            .into_iter()
            .map(|p| format!("{outer}{p}"))
            .collect();
        let Some(target) = self.rng.pick(&inside).cloned() else {
            return false;
        };
        if pointer_depth(&target) + 1 + height(&copy) > MAX_DEPTH {
            return false;
        }
        let key = match self.rng.below(3) {
            0 => "properties".to_owned(),
            1 => "items".to_owned(),
            _ => self.name(),
        };
        match self.node(&target) {
            Some(Value::Array(items)) => items.push(copy),
            Some(Value::Object(map)) => {
                map.insert(key, copy);
            }
            _ => return false,
        }
        true
    }

    fn schema_to_ref(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let components = component_refs(&self.doc);
        let target = ref_target(self.rng, &self.doc, &components, &pointer);
        let value = if self.rng.chance(1, 4) {
            // A `$ref` with siblings, which 3.0 ignores and 3.1 merges.
            let extra = self.schema();
            let mut map = extra.as_object().cloned().unwrap_or_default();
            map.insert("$ref".to_owned(), json!(target));
            Value::Object(map)
        } else {
            json!({ "$ref": target })
        };
        self.set(&pointer, value);
        true
    }

    fn self_ref(&mut self) -> bool {
        let holders = collect(&self.doc, &|p, v| {
            v.get("$ref").is_some_and(Value::is_string) || p.contains("/schemas/")
        });
        let Some(pointer) = self.rng.pick(&holders).cloned() else {
            return false;
        };
        let target = if self.rng.chance(1, 2) {
            format!("#{pointer}")
        } else {
            // The nearest enclosing component: recursion through a property.
            let parts = tokens(&pointer);
            let depth = if parts.first().map(String::as_str) == Some("components") {
                3
            } else {
                2
            };
            let mut own = String::new();
            for part in parts.iter().take(depth) {
                own = child(&own, part);
            }
            format!("#{own}")
        };
        self.set(&pointer, json!({ "$ref": target }));
        true
    }

    fn ref_cycle(&mut self) -> bool {
        let components = component_refs(&self.doc);
        let (Some(a), Some(b)) = (
            self.rng.pick(&components).cloned(),
            self.rng.pick(&components).cloned(),
        ) else {
            return false;
        };
        let wrap = |rng: &mut Rng, target: &str| match rng.below(7) {
            0 => json!({ "$ref": target }),
            1 => json!({ "allOf": [{ "$ref": target }] }),
            2 => json!({ "oneOf": [{ "$ref": target }, {"type": "string"}] }),
            3 => json!({ "type": "array", "items": { "$ref": target } }),
            4 => json!({ "type": "object", "additionalProperties": { "$ref": target } }),
            5 => json!({ "anyOf": [{ "$ref": target }] , "nullable": true}),
            _ => {
                json!({ "type": "object", "required": ["next"], "properties": { "next": { "$ref": target } } })
            }
        };
        let to_b = wrap(self.rng, &b);
        let to_a = wrap(self.rng, &a);
        self.set(&a[1..], to_b);
        self.set(&b[1..], to_a);
        true
    }

    fn bad_type(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let value = match self.rng.below(16) {
            0 => json!("strin"),
            1 => json!(""),
            2 => json!("null"),
            3 => json!("Object"),
            4 => json!("int"),
            5 => json!(["string", "null"]),
            6 => json!(["null"]),
            7 => json!([]),
            8 => json!(["integer", "number"]),
            9 => json!(["object", "array", "null"]),
            10 => json!(5),
            11 => Value::Null,
            12 => json!({"a": 1}),
            13 => json!("file"),
            14 => json!("array"),
            _ => json!("object"),
        };
        self.insert(&pointer, "type".to_owned(), value);
        true
    }

    fn required_oddities(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let existing: Vec<Value> = self
            .doc
            .pointer(&pointer)
            .and_then(|v| v.get("properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| json!(k)).collect())
            .unwrap_or_default();
        let name = self.name();
        let value = match self.rng.below(9) {
            0 | 1 => json!(true),
            2 => json!(false),
            3 => json!("yes"),
            4 => json!([]),
            5 => json!(["nonexistent", name]),
            6 => json!([1, null, ""]),
            7 => {
                let mut twice = existing.clone();
                twice.extend(existing);
                Value::Array(twice)
            }
            _ => json!({"a": 1}),
        };
        self.insert(&pointer, "required".to_owned(), value);
        true
    }

    fn rename_operation_id(&mut self) -> bool {
        let operations = collect(&self.doc, &is_operation);
        let Some(pointer) = self.rng.pick(&operations).cloned() else {
            return false;
        };
        let others: Vec<String> = operations
            .iter()
            .filter_map(|p| self.doc.pointer(p)?.get("operationId")?.as_str())
            .map(str::to_owned)
            .collect();
        let id = match self.rng.below(8) {
            0 | 1 if !others.is_empty() => {
                let other = others[self.rng.below(others.len())].clone();
                let variants = collisions_of(&other);
                json!(variants[self.rng.below(variants.len())])
            }
            2 => json!(""),
            3 => json!(pick_str(
                self.rng,
                &["self", "Self", "type", "fn", "crate", "super", "async", "r#try", "new"]
            )),
            4 => json!(pick_str(self.rng, &["🦀", "😀_😀", "٣", "ß", "İ"])),
            5 => Value::Null,
            _ => json!(self.name()),
        };
        self.insert(&pointer, "operationId".to_owned(), id);
        true
    }

    fn colliding_enum(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let values = colliding_enum(self.rng, &self.names);
        if self.rng.chance(1, 2) {
            if let Some(Value::Array(existing)) =
                self.node(&pointer).and_then(|v| v.get_mut("enum"))
            {
                if let Value::Array(values) = values {
                    existing.extend(values);
                }
                return true;
            }
        }
        if self.rng.chance(2, 3) {
            self.insert(&pointer, "type".to_owned(), json!("string"));
        }
        self.insert(&pointer, "enum".to_owned(), values);
        true
    }

    fn colliding_properties(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let existing: Vec<String> = self
            .doc
            .pointer(&pointer)
            .and_then(|v| v.get("properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut properties = Map::new();
        for _ in 0..1 + self.rng.below(5) {
            let name = match self.rng.pick(&existing) {
                Some(base) if self.rng.chance(1, 2) => {
                    let variants = collisions_of(base);
                    variants[self.rng.below(variants.len())].clone()
                }
                _ => self.name(),
            };
            let value = self.schema();
            properties.insert(name, value);
        }
        let required: Vec<Value> = properties.keys().map(|k| json!(k)).collect();
        let Some(Value::Object(node)) = self.node(&pointer) else {
            return false;
        };
        match node.get_mut("properties") {
            Some(Value::Object(map)) => map.extend(properties),
            _ => {
                node.insert("properties".to_owned(), Value::Object(properties));
            }
        }
        node.insert("required".to_owned(), Value::Array(required));
        true
    }

    fn rename_component(&mut self) -> bool {
        let homes = [
            "/components/schemas",
            "/components/parameters",
            "/components/responses",
            "/components/requestBodies",
            "/components/headers",
            "/components/securitySchemes",
            "/definitions",
            "/parameters",
            "/responses",
            "/securityDefinitions",
        ];
        let candidates: Vec<(String, String)> = homes
            .iter()
            .filter_map(|home| Some((*home, self.doc.pointer(home)?.as_object()?)))
            .flat_map(|(home, map)| map.keys().map(move |k| (home.to_owned(), k.clone())))
            .collect();
        let Some((home, old)) = self.rng.pick(&candidates).cloned() else {
            return false;
        };
        let new = self.name();
        let rewrite = self.rng.chance(3, 4);
        if let Some(Value::Object(map)) = self.doc.pointer_mut(&home) {
            if let Some(value) = map.remove(&old) {
                map.insert(new.clone(), value);
            }
        }
        if rewrite {
            let from = format!("#{}", child(&home, &old));
            let to = format!("#{}", child(&home, &new));
            rewrite_refs(&mut self.doc, &from, &to);
        }
        true
    }

    fn mangle_string(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|_, v| v.is_string()) else {
            return false;
        };
        let value = match self.rng.below(4) {
            0 => {
                let old = self
                    .doc
                    .pointer(&pointer)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let variants = collisions_of(&old);
                variants[self.rng.below(variants.len())].clone()
            }
            1 => pick_str(
                self.rng,
                &[
                    "*/ fn main() {} /*",
                    "```rust\npanic!()\n```",
                    "    indented code\n    more",
                    "<script>x</script> [link] [[a]] `code",
                    "\"}\n#[doc = \"",
                    "\\",
                    "\r\n\r\n",
                    "{petId}",
                    "http://",
                    "{scheme}://{host}",
                    "//comment",
                    "application/json",
                ],
            ),
            _ => self.name(),
        };
        self.set(&pointer, json!(value));
        true
    }

    fn rename_key(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|_, v| v.as_object().is_some_and(|m| !m.is_empty()))
        else {
            return false;
        };
        let new = self.name();
        let rng = &mut *self.rng;
        if let Some(Value::Object(map)) = self.doc.pointer_mut(&pointer) {
            let index = rng.below(map.len());
            if let Some(key) = map.keys().nth(index).cloned() {
                if let Some(value) = map.remove(&key) {
                    map.insert(new, value);
                }
            }
        }
        true
    }

    fn path_template(&mut self) -> bool {
        let Some(Value::Object(paths)) = self.doc.get("paths") else {
            return false;
        };
        let keys: Vec<String> = paths.keys().cloned().collect();
        let Some(old) = self.rng.pick(&keys).cloned() else {
            return false;
        };
        let name = self.name();
        let new = match self.rng.below(16) {
            0 => "/{id}/{id}".to_owned(),
            1 => "/{}".to_owned(),
            2 => "/{a".to_owned(),
            3 => "/a}".to_owned(),
            4 => "/{a}{b}".to_owned(),
            5 => "/{🦀}".to_owned(),
            6 => "/{type}".to_owned(),
            7 => "/{self}".to_owned(),
            8 => String::new(),
            9 => "no-slash".to_owned(),
            10 => format!("{old}/{{undeclared}}"),
            11 => "/{a}/{A}".to_owned(),
            12 => "//".to_owned(),
            13 => "/{{a}}".to_owned(),
            14 => format!("/x/{{{name}}}"),
            _ => format!("{old}/{{{name}}}.json"),
        };
        if let Some(Value::Object(paths)) = self.doc.get_mut("paths") {
            if let Some(item) = paths.remove(&old) {
                paths.insert(new, item);
            }
        }
        true
    }

    fn bad_parameter(&mut self) -> bool {
        let mut parameter = Map::new();
        let name = self.name();
        parameter.insert("name".to_owned(), json!(name));
        let location = match self.rng.below(9) {
            0 | 1 => json!("path"),
            2 | 3 => json!("query"),
            4 => json!("header"),
            5 => json!("cookie"),
            6 => json!("body"),
            7 => json!("formData"),
            _ => self.junk(),
        };
        parameter.insert("in".to_owned(), location);
        if self.rng.chance(2, 3) {
            parameter.insert("required".to_owned(), json!(self.rng.chance(1, 2)));
        }
        if self.rng.chance(1, 3) {
            let style = pick_str(
                self.rng,
                &[
                    "form",
                    "spaceDelimited",
                    "pipeDelimited",
                    "deepObject",
                    "matrix",
                    "label",
                    "simple",
                    "bogus",
                ],
            );
            parameter.insert("style".to_owned(), json!(style));
            parameter.insert("explode".to_owned(), json!(self.rng.chance(1, 2)));
        }
        match self.rng.below(4) {
            0 => {
                parameter.insert(
                    "type".to_owned(),
                    json!(pick_str(
                        self.rng,
                        &["string", "integer", "array", "file", "object"]
                    )),
                );
                parameter.insert(
                    "collectionFormat".to_owned(),
                    json!(pick_str(
                        self.rng,
                        &["csv", "multi", "pipes", "tsv", "ssv", "bogus"]
                    )),
                );
            }
            1 => {}
            _ => {
                let schema = self.schema();
                parameter.insert("schema".to_owned(), schema);
            }
        }
        // Into an operation (or path item, or a parameter component), or over an
        // existing parameter.
        let targets = collect(&self.doc, &|p, v| {
            (is_operation(p, v) || (p.starts_with("/paths/") && pointer_depth(p) == 2))
                && v.is_object()
        });
        if self.rng.chance(1, 3) {
            if let Some(existing) =
                self.pick_node(&|p, v| v.get("in").is_some() && p.contains("parameters"))
            {
                self.set(&existing, Value::Object(parameter));
                return true;
            }
        }
        let Some(target) = self.rng.pick(&targets).cloned() else {
            return false;
        };
        match self.node(&target).and_then(|v| v.as_object_mut()) {
            Some(map) => {
                let list = map.entry("parameters").or_insert_with(|| json!([]));
                if let Value::Array(items) = list {
                    items.push(Value::Object(parameter));
                } else {
                    *list = json!([parameter]);
                }
                true
            }
            None => false,
        }
    }

    fn splice(&mut self) -> bool {
        let Some(donor) = self.rng.pick(self.donors) else {
            return false;
        };
        let nodes = collect(donor, &|p, _| !p.is_empty());
        let Some(from) = self.rng.pick(&nodes) else {
            return false;
        };
        let Some(value) = donor.pointer(from).cloned() else {
            return false;
        };
        let Some(to) = self.pick_node(&|p, _| !p.is_empty()) else {
            return false;
        };
        if pointer_depth(&to) + height(&value) > MAX_DEPTH {
            return false;
        }
        self.set(&to, value);
        true
    }

    fn version_flip(&mut self) -> bool {
        let Value::Object(root) = &mut self.doc else {
            return false;
        };
        match self.rng.below(9) {
            0 => {
                root.insert("openapi".to_owned(), json!("3.1.0"));
            }
            1 => {
                root.insert("openapi".to_owned(), json!("3.0.0"));
            }
            2 => {
                root.insert("openapi".to_owned(), json!(3.1));
            }
            3 => {
                root.insert("openapi".to_owned(), json!("3.0"));
            }
            4 => {
                root.insert("swagger".to_owned(), json!("2.0"));
            }
            5 => {
                root.remove("swagger");
                root.insert("openapi".to_owned(), json!("3.0.3"));
            }
            6 => {
                root.remove("openapi");
                root.insert("swagger".to_owned(), json!("2.0"));
            }
            7 => {
                root.insert("openapi".to_owned(), json!("3.1.99-rc"));
            }
            _ => {
                root.insert(
                    "jsonSchemaDialect".to_owned(),
                    json!("https://json-schema.org/draft/2020-12/schema"),
                );
            }
        }
        true
    }

    fn odd_status(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|p, v| p.ends_with("/responses") && v.is_object())
        else {
            return false;
        };
        let status = pick_str(
            self.rng,
            &[
                "2XX", "2xx", "default", "DEFAULT", "abc", "999", "0", "", "600", "1XX", "99",
                "200.0", "65536", "4XX", "400", "200", "201", "204", "5XX", "XXX", "2X0", "-1",
                "+200", " 200", "0200", "299",
            ],
        );
        let body = match self.rng.below(5) {
            0 => json!({"description": "x"}),
            1 => {
                let schema = self.schema();
                json!({"description": "x", "content": {"application/json": {"schema": schema}}})
            }
            2 => {
                let schema = self.schema();
                json!({"description": "x", "schema": schema})
            }
            3 => {
                let components = component_refs(&self.doc);
                let target = ref_target(self.rng, &self.doc, &components, &pointer);
                json!({ "$ref": target })
            }
            _ => self.junk(),
        };
        self.insert(&pointer, status, body);
        true
    }

    fn odd_media_type(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&|p, v| {
            (p.ends_with("/content") || p.ends_with("/requestBody")) && v.is_object()
        }) else {
            return false;
        };
        let media = pick_str(
            self.rng,
            &[
                "application/json; charset=utf-8",
                "*/*",
                "text/plain",
                "multipart/form-data",
                "application/x-www-form-urlencoded",
                "application/octet-stream",
                "",
                "json",
                "application/vnd.api+json",
                "APPLICATION/JSON",
                "text/event-stream",
                "application/xml",
                "image/*",
                "application/problem+json",
            ],
        );
        let schema = self.schema();
        let pointer = if pointer.ends_with("/requestBody") {
            self.insert(&pointer, "content".to_owned(), json!({}));
            format!("{pointer}/content")
        } else {
            pointer
        };
        let entry = if self.rng.chance(1, 5) {
            self.junk()
        } else {
            json!({ "schema": schema })
        };
        if self.rng.chance(1, 3) {
            self.set(&pointer, json!({ media: entry }));
        } else {
            self.insert(&pointer, media, entry);
        }
        true
    }

    fn composition(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let keyword = pick_str(self.rng, &["allOf", "oneOf", "anyOf", "not"]);
        let own = format!("#{pointer}");
        let mut parts = Vec::new();
        for _ in 0..self.rng.below(5) {
            let part = match self.rng.below(6) {
                0 => json!({ "$ref": own }),
                1 => json!({}),
                2 => json!({"type": "null"}),
                3 => json!({"nullable": true}),
                _ => self.schema(),
            };
            parts.push(part);
        }
        let value = if keyword == "not" {
            parts.pop().unwrap_or(json!({}))
        } else {
            Value::Array(parts)
        };
        self.insert(&pointer, keyword, value);
        true
    }

    fn discriminator(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let components = component_refs(&self.doc);
        let mut alternatives = Vec::new();
        for _ in 0..self.rng.below(4) {
            if let Some(target) = self.rng.pick(&components) {
                alternatives.push(json!({ "$ref": target }));
            }
        }
        let mut mapping = Map::new();
        for _ in 0..self.rng.below(4) {
            let key = self.name();
            let target = ref_target(self.rng, &self.doc, &components, &pointer);
            mapping.insert(key, json!(target));
        }
        let property = self.name();
        let discriminator = match self.rng.below(4) {
            0 => self.junk(),
            1 => json!({ "propertyName": property }),
            _ => json!({ "propertyName": property, "mapping": mapping }),
        };
        if !alternatives.is_empty() {
            let keyword = pick_str(self.rng, &["oneOf", "anyOf"]);
            self.insert(&pointer, keyword, Value::Array(alternatives));
        }
        self.insert(&pointer, "discriminator".to_owned(), discriminator);
        true
    }

    fn schema_keyword(&mut self) -> bool {
        let Some(pointer) = self.pick_node(&is_schema) else {
            return false;
        };
        let own = format!("#{pointer}");
        let (key, value) = match self.rng.below(22) {
            0 => ("additionalProperties", json!(self.rng.chance(1, 2))),
            1 => ("additionalProperties", json!({ "$ref": own })),
            2 => ("additionalProperties", self.schema()),
            3 => ("format", json!(pick_str(self.rng, FORMATS))),
            4 => ("minimum", huge_number(self.rng)),
            5 => ("maximum", huge_number(self.rng)),
            6 => ("default", self.junk()),
            7 => ("example", self.junk()),
            8 => ("const", self.junk()),
            9 => ("nullable", self.junk()),
            10 => ("readOnly", json!(true)),
            11 => ("writeOnly", json!(true)),
            12 => ("items", self.schema()),
            13 => ("items", json!([{"type": "string"}, {"type": "integer"}])),
            14 => ("prefixItems", json!([{"type": "string"}])),
            15 => ("$defs", json!({ "Inner": { "$ref": own } })),
            16 => ("exclusiveMinimum", huge_number(self.rng)),
            17 => ("if", self.schema()),
            18 => ("deprecated", self.junk()),
            19 => ("title", json!(self.name())),
            20 => ("x-rust-type", json!(self.name())),
            _ => ("properties", self.junk()),
        };
        self.insert(&pointer, key.to_owned(), value);
        true
    }

    fn security(&mut self) -> bool {
        let swagger = self.doc.get("swagger").is_some();
        let name = self.name();
        let scheme = match self.rng.below(8) {
            0 => json!({"type": "apiKey", "in": "header", "name": self.name()}),
            1 => json!({"type": "apiKey", "in": "cookie", "name": ""}),
            2 => json!({"type": "apiKey", "in": "body", "name": "x"}),
            3 => {
                json!({"type": "http", "scheme": pick_str(self.rng, &["Bearer", "basic", "digest", ""])})
            }
            4 => json!({"type": "oauth2", "flows": self.junk()}),
            5 => json!({"type": "openIdConnect", "openIdConnectUrl": ""}),
            6 => json!({"type": "basic"}),
            _ => self.junk(),
        };
        let home = if swagger {
            "/securityDefinitions"
        } else {
            "/components/securitySchemes"
        };
        if !self.doc.pointer(home).is_some_and(Value::is_object) {
            set_path(&mut self.doc, &tokens(home), json!({}));
        }
        if let Some(Value::Object(map)) = self.doc.pointer_mut(home) {
            map.insert(name.clone(), scheme);
        }
        let requirement = match self.rng.below(4) {
            0 => json!([{ name: [] }]),
            1 => json!([{ "nonexistent": [] }, {}]),
            2 => json!([{ name: ["scope"], "other": [] }]),
            _ => self.junk(),
        };
        let target = self.pick_node(&is_operation).unwrap_or_default();
        self.insert(&target, "security".to_owned(), requirement);
        true
    }

    fn add_operation(&mut self) -> bool {
        let method = pick_str(self.rng, METHODS);
        let path = format!("/{}", self.name());
        let id = self.name();
        let parameter = json!({"name": self.name(), "in": "query", "schema": self.schema()});
        let response = self.schema();
        let operation = json!({
            "operationId": id,
            "parameters": [parameter],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": response}}},
                "default": {"description": "error"}
            }
        });
        if !self.doc.get("paths").is_some_and(Value::is_object) {
            set_path(&mut self.doc, &["paths".to_owned()], json!({}));
        }
        if let Some(Value::Object(paths)) = self.doc.get_mut("paths") {
            let item = paths.entry(path).or_insert_with(|| json!({}));
            if let Value::Object(item) = item {
                item.insert(method, operation);
            }
        }
        true
    }
}

fn rewrite_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if reference == from {
                    *reference = to.to_owned();
                } else if let Some(rest) = reference.strip_prefix(from) {
                    if rest.starts_with('/') {
                        *reference = format!("{to}{rest}");
                    }
                }
            }
            map.values_mut().for_each(|v| rewrite_refs(v, from, to));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, from, to)),
        _ => {}
    }
}

/// The document of one case: the seed (or an excerpt of it), mutated.
fn make_case(seed: &Value, bytes: u64, case: u64, donors: &[Value]) -> Value {
    let mut rng = Rng(case);
    let whole = bytes <= EXCERPT_ABOVE_BYTES / 4
        || (bytes <= EXCERPT_ABOVE_BYTES && rng.chance(1, 2))
        || rng.chance(1, 2000);
    let doc = if whole {
        seed.clone()
    } else {
        excerpt(seed, &mut rng)
    };
    let names = Names::of(&doc);
    let mut mutator = Mutator {
        doc,
        rng: &mut rng,
        names,
        donors,
    };
    let count = if whole || mutator.rng.chance(19, 20) {
        let mut count = 1;
        while count < 8 && mutator.rng.chance(1, 2) {
            count += 1;
        }
        count
    } else {
        0
    };
    let mut applied = 0;
    let mut tries = 0;
    while applied < count && tries < count * 4 {
        tries += 1;
        if mutator.mutate() {
            applied += 1;
        }
    }
    mutator.doc
}

// ---------------------------------------------------------------------------------------
// Running the generator

/// A panic caught in the generator.
#[derive(Debug, Clone)]
struct PanicRecord {
    message: String,
    location: String,
    backtrace: String,
}

thread_local! {
    /// Set on the fuzzing worker: its panics are recorded, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<PanicRecord>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                return default(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a panic without a message)".to_owned());
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                .unwrap_or_default();
            let backtrace = std::backtrace::Backtrace::force_capture().to_string();
            LAST_PANIC.with(|last| {
                *last.borrow_mut() = Some(PanicRecord {
                    message,
                    location,
                    backtrace,
                })
            });
        }));
    });
}

/// What one run of the generator came to.
enum Outcome {
    /// The spec was refused with an error: fine.
    Rejected,
    /// Code was generated and it parses.
    Generated,
    Panicked(PanicRecord),
    /// Code was generated and it does not parse.
    Unparsable {
        error: String,
        tokens: String,
    },
}

/// Load, lower, emit, parse, lay out and parse again.
fn run_pipeline(doc: Value, base: &Path) -> Outcome {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Ok(loaded) = load::load_value(doc, base) else {
            return Outcome::Rejected;
        };
        let Ok(api) = ir::lower(&loaded.document, loaded.notes, &Selection::default()) else {
            return Outcome::Rejected;
        };
        let tokens = emit::emit(&api, &EmitOptions::default());
        // The tokens must parse, and so must their layout (which may not panic either).
        let parsed = syn::parse_file(tokens.as_str()).and_then(|_| {
            syn::parse_file(&pretty(&tokens)).map_err(|error| {
                syn::Error::new(error.span(), format!("the laid-out source: {error}"))
            })
        });
        match parsed {
            Ok(_) => Outcome::Generated,
            Err(error) => Outcome::Unparsable {
                error: error.to_string(),
                tokens: tokens.to_string(),
            },
        }
    }));
    match result {
        Ok(outcome) => outcome,
        Err(payload) => {
            let record = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_else(|| PanicRecord {
                    message: payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                    location: String::new(),
                    backtrace: String::new(),
                });
            Outcome::Panicked(record)
        }
    }
}

/// A thread with a big stack that runs cases, so a hang can be noticed by the caller.
struct Worker {
    jobs: mpsc::Sender<(Value, PathBuf)>,
    outcomes: mpsc::Receiver<Outcome>,
}

impl Worker {
    fn start() -> Worker {
        let (jobs, job_queue) = mpsc::channel::<(Value, PathBuf)>();
        let (outcome_sender, outcomes) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-worker".to_owned())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                QUIET.with(|quiet| quiet.set(true));
                while let Ok((doc, base)) = job_queue.recv() {
                    if outcome_sender.send(run_pipeline(doc, &base)).is_err() {
                        break;
                    }
                }
            })
            .expect("a thread can be started");
        Worker { jobs, outcomes }
    }

    /// The outcome, or `None` when the case ran longer than [`HANG_SECONDS`].
    fn run(&self, doc: Value, base: &Path) -> Option<Outcome> {
        self.jobs.send((doc, base.to_path_buf())).ok()?;
        self.outcomes
            .recv_timeout(Duration::from_secs(HANG_SECONDS))
            .ok()
    }
}

// ---------------------------------------------------------------------------------------
// Findings

struct Finding<'a> {
    case: u64,
    seed: &'a SeedSpec,
    kind: &'static str,
    summary: String,
    detail: String,
    tokens: Option<String>,
}

fn save_finding(doc: &Value, finding: &Finding) -> PathBuf {
    let dir = findings_dir();
    let _ = std::fs::create_dir_all(&dir);
    let stem = format!("{:016x}", finding.case);
    let json_path = dir.join(format!("{stem}.json"));
    let _ = std::fs::write(
        &json_path,
        serde_json::to_string_pretty(doc).unwrap_or_default(),
    );
    let report = format!(
        "kind: {}\nseed spec: {}\nbase: {}\ncase seed: {stem}\nsummary: {}\nreplay: TETHER_FUZZ_REPLAY={} cargo test -p tether-codegen --test fuzz -- --nocapture\n\n{}\n",
        finding.kind,
        finding.seed.name,
        finding.seed.path.display(),
        finding.summary,
        json_path.display(),
        finding.detail,
    );
    let _ = std::fs::write(dir.join(format!("{stem}.txt")), report);
    if let Some(tokens) = &finding.tokens {
        let _ = std::fs::write(dir.join(format!("{stem}.rs")), tokens);
    }
    json_path
}

fn env_u64(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

// ---------------------------------------------------------------------------------------
// The session

#[derive(Default)]
struct Tally {
    executions: u64,
    generated: u64,
    rejected: u64,
    panics: u64,
    unparsable: u64,
    hangs: u64,
    /// How many findings of each distinct kind were seen (and the first few saved).
    distinct: BTreeMap<String, u64>,
    slowest: (Duration, String),
    /// Time spent making cases, and running the generator on them.
    mutating: Duration,
    generating: Duration,
}

/// Where `TETHER_FUZZ_KEEP` keeps the cases that generate: one JSON file each, listed in a
/// manifest of the shape `tether conformance` reads.
struct Kept {
    dir: PathBuf,
}

impl Kept {
    fn new(dir: PathBuf) -> Kept {
        let manifest = "path\tprovider\tsource_repo\tsource_path\tcommit\tformat\tbytes\toperations\tlicense_note\texternal_ref_files\n";
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join("MANIFEST.tsv"), manifest))
            .unwrap_or_else(|error| panic!("TETHER_FUZZ_KEEP={}: {error}", dir.display()));
        Kept { dir }
    }

    /// Writes the case and lists it; its operation count is left to the generator (0).
    fn add(&self, doc: &Value, seed: &str, case: u64) {
        use std::io::Write;
        let name = format!("{case:016x}.json");
        let text = serde_json::to_string_pretty(doc).unwrap_or_default();
        let line = format!("{name}\tfuzz\t{seed}\t-\t-\t-\t{}\t0\t-\t0\n", text.len());
        let written = std::fs::write(self.dir.join(&name), text).and_then(|()| {
            std::fs::OpenOptions::new()
                .append(true)
                .open(self.dir.join("MANIFEST.tsv"))
                .and_then(|mut manifest| manifest.write_all(line.as_bytes()))
        });
        if let Err(error) = written {
            println!("fuzz: could not keep case {case:016x}: {error}");
        }
    }
}

#[test]
fn mutated_specs_never_crash_the_generator_and_always_parse() {
    if std::env::var_os("TETHER_FUZZ_REPLAY").is_some()
        || std::env::var_os("TETHER_FUZZ_CASE").is_some()
    {
        replay();
        return;
    }
    install_panic_hook();
    let session_seed = env_u64("TETHER_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let long = std::env::var("TETHER_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok());
    let seconds = long.unwrap_or(DEFAULT_SECONDS);
    let seeds: Vec<SeedSpec> = seed_specs()
        .into_iter()
        .filter(|seed| long.is_some() || seed.bytes <= SHORT_SESSION_MAX_BYTES)
        .collect();
    let ours = seeds
        .iter()
        .filter(|s| s.name.starts_with("specs/"))
        .count();
    assert!(ours >= 1, "no specs in specs/");
    let donors: Vec<Value> = seeds[..ours]
        .iter()
        .filter_map(|s| s.value().cloned())
        .collect();
    println!(
        "fuzz: session seed {session_seed:#x}, {seconds} s, {} seed specs ({ours} ours)",
        seeds.len()
    );
    let dir = findings_dir();
    let in_flight = dir.join("in-flight.txt");
    if let Ok(previous) = std::fs::read_to_string(&in_flight) {
        println!(
            "fuzz: a previous session died during case {} (a stack overflow or abort); rebuild it with TETHER_FUZZ_CASE={}",
            previous.trim(),
            previous.trim()
        );
    }
    let _ = std::fs::create_dir_all(&dir);

    let keep = std::env::var_os("TETHER_FUZZ_KEEP").map(|dir| Kept::new(PathBuf::from(dir)));
    let worker = Worker::start();
    let mut rng = Rng(session_seed);
    let mut tally = Tally::default();
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut index = 0u64;
    while Instant::now() < deadline {
        index += 1;
        let seed = if rng.chance(3, 20) {
            &seeds[rng.below(ours)]
        } else {
            &seeds[rng.below(seeds.len())]
        };
        let Some(value) = seed.value() else {
            continue;
        };
        let case = case_seed(session_seed, index);
        let mutating = Instant::now();
        let doc = make_case(value, seed.bytes, case, &donors);
        tally.mutating += mutating.elapsed();
        let _ = std::fs::write(&in_flight, format!("{}:{case:016x}", seed.name));
        let began = Instant::now();
        let outcome = worker.run(doc.clone(), &seed.path);
        let took = began.elapsed();
        tally.generating += took;
        tally.executions += 1;
        if took > tally.slowest.0 {
            tally.slowest = (took, format!("{}:{case:016x}", seed.name));
        }
        let finding = match outcome {
            None => {
                tally.hangs += 1;
                Some(Finding {
                    case,
                    seed,
                    kind: "hang",
                    summary: format!("ran for more than {HANG_SECONDS} s"),
                    detail: String::new(),
                    tokens: None,
                })
            }
            Some(Outcome::Rejected) => {
                tally.rejected += 1;
                None
            }
            Some(Outcome::Generated) => {
                tally.generated += 1;
                if let Some(keep) = &keep {
                    keep.add(&doc, &seed.name, case);
                }
                None
            }
            Some(Outcome::Panicked(record)) => {
                tally.panics += 1;
                Some(Finding {
                    case,
                    seed,
                    kind: "panic",
                    summary: format!("panicked at {}: {}", record.location, record.message),
                    detail: record.backtrace,
                    tokens: None,
                })
            }
            Some(Outcome::Unparsable { error, tokens }) => {
                tally.unparsable += 1;
                Some(Finding {
                    case,
                    seed,
                    kind: "unparsable output",
                    summary: format!("the generated code does not parse: {error}"),
                    detail: String::new(),
                    tokens: Some(tokens),
                })
            }
        };
        if let Some(finding) = finding {
            let key = match finding.kind {
                "panic" => finding
                    .summary
                    .split(": ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                _ => finding.summary.clone(),
            };
            let seen = tally.distinct.entry(key).or_default();
            *seen += 1;
            if *seen as usize <= SAVED_PER_KIND {
                let path = save_finding(&doc, &finding);
                println!(
                    "fuzz: {} in case {}:{:016x}: {}\n      saved to {}",
                    finding.kind,
                    seed.name,
                    case,
                    finding.summary,
                    path.display()
                );
            }
            if finding.kind == "hang" {
                // The worker is still busy with it; nothing more can run.
                break;
            }
        }
    }
    let _ = std::fs::remove_file(&in_flight);
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {} executions in {elapsed:.1} s ({:.0}/s): {} generated, {} rejected, {} panics, {} parse failures, {} hangs",
        tally.executions,
        tally.executions as f64 / elapsed.max(1e-9),
        tally.generated,
        tally.rejected,
        tally.panics,
        tally.unparsable,
        tally.hangs,
    );
    println!(
        "fuzz: {:.1} s making cases, {:.1} s in the generator",
        tally.mutating.as_secs_f64(),
        tally.generating.as_secs_f64()
    );
    println!(
        "fuzz: slowest case {:.2} s ({})",
        tally.slowest.0.as_secs_f64(),
        tally.slowest.1
    );
    for (what, count) in &tally.distinct {
        println!("fuzz: {count:>6} × {what}");
    }
    assert!(
        tally.panics + tally.unparsable + tally.hangs == 0,
        "the fuzzer found {} panics, {} unparsable outputs and {} hangs (session seed {session_seed:#x}); the cases are in {}",
        tally.panics,
        tally.unparsable,
        tally.hangs,
        dir.display()
    );
}

/// Runs one saved finding, or rebuilds one case, with panics reported as usual.
fn replay() {
    let (doc, base) = if let Ok(path) = std::env::var("TETHER_FUZZ_REPLAY") {
        let path = PathBuf::from(path);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text).expect("a finding is JSON");
        let report = std::fs::read_to_string(path.with_extension("txt")).unwrap_or_default();
        let base = report
            .lines()
            .find_map(|line| line.strip_prefix("base: "))
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("specs/replay.json"));
        (doc, base)
    } else {
        let spec = std::env::var("TETHER_FUZZ_CASE").unwrap_or_default();
        let (name, case) = spec
            .rsplit_once(':')
            .expect("TETHER_FUZZ_CASE is <seed spec>:<case seed in hex>");
        let case = u64::from_str_radix(case, 16).expect("the case seed is hex");
        let seeds = seed_specs();
        let seed = seeds
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no seed spec {name}"));
        let donors: Vec<Value> = seeds
            .iter()
            .filter(|s| s.name.starts_with("specs/"))
            .filter_map(|s| s.value().cloned())
            .collect();
        let value = seed.value().expect("the seed spec parses");
        let doc = make_case(value, seed.bytes, case, &donors);
        let path = save_finding(
            &doc,
            &Finding {
                case,
                seed,
                kind: "rebuilt case",
                summary: "rebuilt by TETHER_FUZZ_CASE".to_owned(),
                detail: String::new(),
                tokens: None,
            },
        );
        println!("fuzz: case saved to {}", path.display());
        (doc, seed.path.clone())
    };
    let loaded = match load::load_value(doc, &base) {
        Ok(loaded) => loaded,
        Err(problems) => {
            println!("fuzz: rejected while loading: {problems}");
            return;
        }
    };
    let api = match ir::lower(&loaded.document, loaded.notes, &Selection::default()) {
        Ok(api) => api,
        Err(error) => {
            println!("fuzz: rejected while lowering: {error}");
            return;
        }
    };
    let tokens = emit::emit(&api, &EmitOptions::default());
    if let Err(error) = syn::parse_file(tokens.as_str()) {
        panic!("the generated code does not parse: {error}\n{tokens}");
    }
    if let Err(error) = syn::parse_file(&pretty(&tokens)) {
        panic!("the laid-out code does not parse: {error}");
    }
    println!("fuzz: generated code parses");
}
