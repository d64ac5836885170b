//! `MANIFEST.tsv`: one row per root document of the corpus, with what the corpus says
//! about it (format, size, how many operations it has).

use std::fmt;

/// The columns a manifest must have, in the order the corpus writes them.
const COLUMNS: [&str; 10] = [
    "path",
    "provider",
    "source_repo",
    "source_path",
    "commit",
    "format",
    "bytes",
    "operations",
    "license_note",
    "external_ref_files",
];

/// One spec of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The root document, relative to the corpus directory.
    pub path: String,
    /// Who publishes the API.
    pub provider: String,
    /// The repository the bytes were copied from.
    pub source_repo: String,
    /// The document's path in that repository.
    pub source_path: String,
    /// The commit the bytes were taken from.
    pub commit: String,
    /// The spec version as written, e.g. `openapi-3.0.1` or `swagger-2.0`.
    pub format: String,
    /// Size of the root file plus every file it reaches.
    pub bytes: u64,
    /// How many operations the document has (method keys under `paths`).
    pub operations: usize,
    /// The licence the bytes are under.
    pub license_note: String,
    /// How many other files the root reaches through relative `$ref`s.
    pub external_ref_files: usize,
}

/// A manifest that cannot be read, with the line at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// 1-based line number (1 is the header).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MANIFEST.tsv line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ManifestError {}

/// Reads a manifest: a header row naming the columns (in any order), then one
/// tab-separated row per spec. Blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Entry>, ManifestError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(ManifestError {
            line: 1,
            message: "the manifest is empty; expected a header row".to_owned(),
        });
    };
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    let mut positions = [0; COLUMNS.len()];
    for (position, column) in positions.iter_mut().zip(COLUMNS) {
        *position = names
            .iter()
            .position(|name| *name == column)
            .ok_or_else(|| ManifestError {
                line: header_line,
                message: format!("the header has no `{column}` column"),
            })?;
    }
    lines
        .map(|(line, row)| entry(line, row, &positions, names.len()))
        .collect()
}

fn entry(
    line: usize,
    row: &str,
    positions: &[usize; COLUMNS.len()],
    width: usize,
) -> Result<Entry, ManifestError> {
    let cells: Vec<&str> = row.split('\t').collect();
    if cells.len() != width {
        return Err(ManifestError {
            line,
            message: format!(
                "the row has {} cells but the header names {width} columns",
                cells.len()
            ),
        });
    }
    let text = |column: usize| cells[positions[column]].trim().to_owned();
    let number = |column: usize| {
        let cell = cells[positions[column]].trim();
        cell.parse::<u64>().map_err(|_| ManifestError {
            line,
            message: format!("`{}` is `{cell}`, not a number", COLUMNS[column]),
        })
    };
    let path = text(0);
    if path.is_empty() {
        return Err(ManifestError {
            line,
            message: "the `path` cell is empty".to_owned(),
        });
    }
    Ok(Entry {
        path,
        provider: text(1),
        source_repo: text(2),
        source_path: text(3),
        commit: text(4),
        format: text(5),
        bytes: number(6)?,
        operations: number(7)? as usize,
        license_note: text(8),
        external_ref_files: number(9)? as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "path\tprovider\tsource_repo\tsource_path\tcommit\tformat\tbytes\toperations\tlicense_note\texternal_ref_files";

    #[test]
    fn reads_rows_by_header_name() {
        let text = format!(
            "{HEADER}\nacme/openapi.json\tacme\tacme/specs\tspec/openapi.json\tabc123\topenapi-3.0.1\t1024\t12\tMIT\t0\n\n\
             petstore/v2 spaced.yaml\tpetstore\tOAI/OpenAPI\tex.yaml\tdef456\tswagger-2.0\t99\t3\tApache-2.0\t4\r\n"
        );
        let entries = parse(&text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0],
            Entry {
                path: "acme/openapi.json".to_owned(),
                provider: "acme".to_owned(),
                source_repo: "acme/specs".to_owned(),
                source_path: "spec/openapi.json".to_owned(),
                commit: "abc123".to_owned(),
                format: "openapi-3.0.1".to_owned(),
                bytes: 1024,
                operations: 12,
                license_note: "MIT".to_owned(),
                external_ref_files: 0,
            }
        );
        assert_eq!(entries[1].path, "petstore/v2 spaced.yaml");
        assert_eq!(entries[1].external_ref_files, 4);
    }

    #[test]
    fn columns_may_come_in_any_order() {
        let text = "operations\tpath\tprovider\tsource_repo\tsource_path\tcommit\tformat\tbytes\tlicense_note\texternal_ref_files\n\
                    7\ta.yaml\tp\tr\ts\tc\topenapi-3.1.0\t10\tMIT\t0\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries[0].path, "a.yaml");
        assert_eq!(entries[0].operations, 7);
    }

    #[test]
    fn names_the_line_of_a_bad_row() {
        let text = format!("{HEADER}\na.yaml\tp\tr\ts\tc\tf\tmany\t1\tMIT\t0\n");
        let error = parse(&text).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("`bytes` is `many`"), "{error}");

        let short = format!("{HEADER}\na.yaml\tp\n");
        assert_eq!(parse(&short).unwrap_err().line, 2);
    }

    #[test]
    fn a_missing_column_is_an_error() {
        let error = parse("path\tprovider\n").unwrap_err();
        assert_eq!(error.line, 1);
        assert!(error.message.contains("source_repo"), "{error}");
        assert!(parse("").is_err());
    }
}
