//! Reading one spec file into JSON, whatever its syntax (JSON or YAML).

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::Problem;

/// Reads and parses `path`. JSON is tried first when the text looks like JSON; YAML
/// otherwise (YAML is a superset, but the JSON parser is faster and its errors clearer).
pub(crate) fn read(path: &Path) -> Result<Value, Problem> {
    let problem = |line: Option<usize>, message: String| Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        line,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|error| {
        problem(None, format!("cannot read the spec ({error}); check the path, which is relative to the crate's Cargo.toml"))
    })?;
    parse(&text).map_err(|(line, message)| problem(line, message))
}

/// Parses spec text; on failure gives the line (where known) and the parser's message.
pub(crate) fn parse(text: &str) -> Result<Value, (Option<usize>, String)> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|error| (Some(error.line()), format!("invalid JSON: {error}")));
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|error| {
        let line = error.location().map(|location| location.line());
        (line, format!("invalid YAML: {error}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_give_the_same_value() {
        let json = parse(r#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        let yaml = parse("openapi: 3.0.3\npaths: {}\n").unwrap();
        assert_eq!(json, yaml);
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
