//! Where the `spec` option points, and how the files of a spec are shown in errors: the
//! way the user wrote the option, relative to the crate's `Cargo.toml`, rather than an
//! absolute path that says little and differs from machine to machine.

use std::path::{Component, Path, PathBuf};

/// The spec file an attribute names, resolved against the crate's manifest directory.
pub(crate) struct SpecPath {
    manifest_dir: PathBuf,
    file: PathBuf,
    written_absolute: bool,
}

impl SpecPath {
    /// Resolves `spec` (the option's value) against `CARGO_MANIFEST_DIR`.
    pub(crate) fn new(spec: &str) -> Self {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let manifest_dir = normalize(&manifest_dir);
        SpecPath {
            file: normalize(&manifest_dir.join(spec)),
            manifest_dir,
            written_absolute: Path::new(spec).is_absolute(),
        }
    }

    /// The spec file, absolute when cargo gave the manifest directory (it always does).
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// `file` as the user would write it in the attribute: relative to the manifest
    /// directory, unless they wrote an absolute path.
    pub(crate) fn shown(&self, file: &Path) -> PathBuf {
        if self.written_absolute {
            return file.to_path_buf();
        }
        relative(&self.manifest_dir, &normalize(file)).unwrap_or_else(|| file.to_path_buf())
    }
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist). This is
/// how the generator resolves `$ref` paths too, so both agree on what a file is called.
fn normalize(path: &Path) -> PathBuf {
    let mut result = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !result.pop() {
                    result.push("..");
                }
            }
            Component::CurDir => {}
            other => result.push(other.as_os_str()),
        }
    }
    result
}

/// The path from `base` to `path`, both normalized; `None` when they share no prefix (one
/// relative and one absolute, or on different drives).
fn relative(base: &Path, path: &Path) -> Option<PathBuf> {
    let base: Vec<Component> = base.components().collect();
    let path: Vec<Component> = path.components().collect();
    let common = base
        .iter()
        .zip(&path)
        .take_while(|(left, right)| left == right)
        .count();
    if common == 0 {
        return None;
    }
    let mut result: PathBuf = base[common..].iter().map(|_| "..").collect();
    result.extend(&path[common..]);
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_parent_and_current_directories() {
        assert_eq!(
            normalize(Path::new("/w/target/tests/./x/../../../specs/a.yaml")),
            Path::new("/w/specs/a.yaml")
        );
        assert_eq!(normalize(Path::new("../a/../b")), Path::new("../b"));
    }

    #[test]
    fn files_are_shown_relative_to_the_manifest_directory() {
        let base = Path::new("/w/target/tests/trybuild/t");
        assert_eq!(
            relative(base, Path::new("/w/tests/ui/specs/pets.yaml")),
            Some(PathBuf::from("../../../../tests/ui/specs/pets.yaml"))
        );
        assert_eq!(
            relative(Path::new("/w/crate"), Path::new("/w/crate/specs/a.yaml")),
            Some(PathBuf::from("specs/a.yaml"))
        );
        assert_eq!(relative(Path::new("/w"), Path::new("specs/a.yaml")), None);
    }
}
