//! The specs of a folder that has no manifest: every JSON or YAML file below it whose top
//! level says `openapi` or `swagger` (a file of shared components is no spec of its own),
//! and every one that does not parse, so that its error is reported. What a manifest would
//! say of a spec (its format, size and operations) is read from the spec itself.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::manifest::Entry;

/// The HTTP methods a path item keys its operations by.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The specs below `folder`, in path order.
pub fn scan(folder: &Path) -> Result<Vec<Entry>, String> {
    let mut files = Vec::new();
    spec_files(folder, &mut files)
        .map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
    files.sort();
    let mut entries = Vec::new();
    for file in files {
        let relative = file.strip_prefix(folder).unwrap_or(&file);
        let path = relative.to_string_lossy().replace('\\', "/");
        let bytes = fs::metadata(&file).map_or(0, |metadata| metadata.len());
        let document = tether_codegen::load::read_document(&file).ok();
        let format = match &document {
            Some(document) => match version(document) {
                Some(format) => format,
                None => continue,
            },
            None => "unreadable".to_owned(),
        };
        entries.push(Entry {
            provider: path.split('/').next().unwrap_or_default().to_owned(),
            operations: document.as_ref().map_or(0, operations),
            path,
            source_repo: String::new(),
            source_path: String::new(),
            commit: String::new(),
            format,
            bytes,
            license_note: String::new(),
            external_ref_files: 0,
        });
    }
    Ok(entries)
}

/// The JSON and YAML files below `folder`, leaving out hidden folders and `target`, where
/// generated crates go.
fn spec_files(folder: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                spec_files(&path, files)?;
            }
        } else if [".json", ".yaml", ".yml"]
            .iter()
            .any(|extension| name.ends_with(extension))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// `openapi-3.1.0` or `swagger-2.0`, as the manifest writes formats; `None` for a file
/// that is no spec.
fn version(document: &Value) -> Option<String> {
    ["openapi", "swagger"].iter().find_map(|key| {
        let version = match document.get(*key)? {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        Some(format!("{key}-{version}"))
    })
}

/// How many operations the spec's `paths` hold, counted as the corpus counts them. A path
/// item that is a reference within the document counts the operations of the item it
/// names, as the generated client has them, and from 3.1 on (as tether reads it) its
/// `query` operation and `additionalOperations` count too.
fn operations(document: &Value) -> usize {
    let Some(Value::Object(paths)) = document.get("paths") else {
        return 0;
    };
    let with_additional = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with('3') && !version.starts_with("3.0"));
    let additional = |item: &serde_json::Map<String, Value>| {
        let query = usize::from(item.contains_key("query"));
        let others = match item.get("additionalOperations") {
            Some(Value::Object(operations)) => operations.len(),
            _ => 0,
        };
        query + others
    };
    // `x-` keys of `paths` are extensions, not path items.
    paths
        .iter()
        .filter(|(key, _)| !key.starts_with("x-"))
        .map(|(_, item)| {
            let local_target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|pointer| document.pointer(pointer));
            local_target.unwrap_or(item)
        })
        .filter_map(Value::as_object)
        .map(|item| {
            let methods = item
                .keys()
                .filter(|key| METHODS.contains(&key.as_str()))
                .count();
            methods + if with_additional { additional(item) } else { 0 }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_specs_with_their_format_and_operations() {
        let folder = std::env::temp_dir().join(format!("tether-scan-{}", std::process::id()));
        let nested = folder.join("acme");
        fs::create_dir_all(&nested).unwrap();
        fs::create_dir_all(folder.join("target")).unwrap();
        fs::write(
            folder.join("a.json"),
            r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {}, "post": {}, "parameters": []}, "/b": {"delete": {}},
                          "/c": {"$ref": "#/paths/~1a"}}}"##,
        )
        .unwrap();
        fs::write(
            folder.join("b.yaml"),
            "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /d:\n    get: {}\n    query: {}\n    additionalOperations: {COPY: {}, LINK: {}}\n",
        )
        .unwrap();
        fs::write(
            nested.join("swagger.yaml"),
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /c: {get: {}}\n  x-internal: {get: {}}\n",
        )
        .unwrap();
        fs::write(nested.join("components.yaml"), "Pet: {type: object}\n").unwrap();
        fs::write(nested.join("broken.yml"), "openapi: [\n").unwrap();
        fs::write(
            folder.join("target/generated.json"),
            "{\"openapi\": \"3.0.0\"}",
        )
        .unwrap();
        fs::write(folder.join("notes.txt"), "openapi: 3.0.0").unwrap();

        let entries = scan(&folder).unwrap();
        let found: Vec<(&str, &str, usize)> = entries
            .iter()
            .map(|entry| (entry.path.as_str(), entry.format.as_str(), entry.operations))
            .collect();
        assert_eq!(
            found,
            [
                ("a.json", "openapi-3.1.0", 5),
                ("acme/broken.yml", "unreadable", 0),
                ("acme/swagger.yaml", "swagger-2.0", 1),
                ("b.yaml", "openapi-3.2.0", 4),
            ]
        );
        assert_eq!(entries[2].provider, "acme");
        assert!(entries[0].bytes > 0);
        fs::remove_dir_all(&folder).unwrap();
    }
}
