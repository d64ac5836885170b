//! The generator behind tether, as a plain library: [`load`] reads a spec into one
//! OpenAPI 3.0 document, [`ir::lower`] turns it into a model of types and operations,
//! and [`emit`] writes the Rust source. The proc-macro and the snapshot tests call
//! [`generate`]; the CLI and the benchmarks, which want formatted source,
//! [`generate_source`].

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
mod pretty;
mod short_names;
mod text;

use std::path::{Path, PathBuf};

pub use diagnostics::{Note, Problem, Problems};
pub use emit::{Code, EmitOptions};
pub use ir::{LowerError, PaginationHint, Selection, SelectionError};
pub use pretty::pretty;

/// What can stop generation.
#[derive(Debug, Clone)]
pub enum GenerateError {
    /// The spec cannot be read.
    Spec(Problems),
    /// The selection or a pagination hint does not fit the spec.
    Lower(LowerError),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Spec(problems) => problems.fmt(f),
            GenerateError::Lower(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Generated code for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The items of the generated module, as source text.
    pub code: Code,
    /// The model the code was made from.
    pub api: ir::Api,
    /// Every file read, for rebuild tracking.
    pub files: Vec<PathBuf>,
}

/// Reads the spec at `path` and generates the client for `selection`.
pub fn generate(
    path: &Path,
    selection: &Selection,
    options: &EmitOptions,
) -> Result<Generated, GenerateError> {
    let (api, files) = load_and_lower(path, selection)?;
    let code = emit::emit(&api, options);
    Ok(Generated { code, api, files })
}

/// Reads the spec at `path` and generates the client for `selection` as formatted
/// source: [`generate`] then [`pretty`], the items laid out as they were emitted, without
/// the text of the whole module made first.
pub fn generate_source(
    path: &Path,
    selection: &Selection,
    options: &EmitOptions,
) -> Result<String, GenerateError> {
    let (api, _) = load_and_lower(path, selection)?;
    Ok(pretty::pretty_items(&emit::emit_items(&api, options)))
}

/// The model of the spec at `path` for `selection`, and every file read. The document is
/// the biggest thing in memory; freed before the code is written, its memory is the
/// code's to take.
fn load_and_lower(
    path: &Path,
    selection: &Selection,
) -> Result<(ir::Api, Vec<PathBuf>), GenerateError> {
    let loaded = load::load(path).map_err(GenerateError::Spec)?;
    let api = lower(&loaded, selection).map_err(GenerateError::Lower)?;
    Ok((api, loaded.files))
}

/// The model of a loaded spec for `selection` ([`ir::lower`]), with every note pointing
/// where the spec writes the node it is about, also for nodes the loader moved.
pub fn lower(loaded: &load::LoadedSpec, selection: &Selection) -> Result<ir::Api, LowerError> {
    let mut api = ir::lower(&loaded.document, loaded.notes.clone(), selection)?;
    load::relocate(&mut api.notes, &loaded.relocated);
    Ok(api)
}
