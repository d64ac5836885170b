//! Misusing a generated client, or the attribute itself, is a compile error that points
//! at the mistake. Each case in `ui/` is built by trybuild; its expected diagnostics are
//! the `.stderr` file next to it (regenerate with `TRYBUILD=overwrite`).

#[test]
fn misuse_is_a_compile_error() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
