//! Misusing a generated client, or the attribute itself, is a compile error that points at
//! the mistake. Each program in `ui/` is built by trybuild and its diagnostics compared
//! with the `.stderr` file next to it; after a deliberate change to a message, regenerate
//! them with `TRYBUILD=overwrite cargo test -p tether-tests --test compile_fail` and read
//! the diff.
//!
//! trybuild builds the programs in a crate of its own at `target/tests/trybuild/tether-tests`,
//! and that directory is their `CARGO_MANIFEST_DIR`: so `spec` paths in `ui/` climb four
//! levels to the workspace root (`../../../../specs/petstore.yaml`).

use std::path::{Path, PathBuf};

#[test]
fn misuse_is_a_compile_error() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    check_target_dir(&workspace);
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}

/// The relative `spec` paths in `ui/` hold only when the target directory is the
/// workspace's `target/`: say so plainly rather than fail every case with "not found".
fn check_target_dir(workspace: &Path) {
    let canonical = |path: PathBuf| path.canonicalize().unwrap_or(path);
    let target = canonical(workspace.join("target"));
    let executable = canonical(std::env::current_exe().unwrap_or_default());
    assert!(
        executable.starts_with(&target),
        "the compile-fail cases find their specs through `{}`, but this build's target \
         directory is elsewhere (`{}`); run them without CARGO_TARGET_DIR or `build.target-dir`",
        target.display(),
        executable.display(),
    );
}
