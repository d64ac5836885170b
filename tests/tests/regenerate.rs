//! Editing the spec and running `cargo build` regenerates the client: a small crate is
//! checked, its spec gains an operation that its code then calls, and it is checked
//! again. The second check can only pass if the macro ran again on the new spec.

use std::path::{Path, PathBuf};
use std::process::Command;

const SPEC_V1: &str = r#"openapi: 3.0.3
info: {title: Regen, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok}
"#;

const OPERATION_V2: &str = r#"  /things:
    post:
      operationId: createThing
      responses:
        "201": {description: created}
"#;

const MAIN_V1: &str = "#[tether::integration(spec = \"api.yaml\")]\npub mod api {}\n\nfn main() {\n    let client = api::Client::new(\"http://127.0.0.1:1\").unwrap();\n    drop(client.get_thing(1));\n}\n";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text)
        .unwrap_or_else(|error| panic!("writing {}: {error}", path.display()));
}

fn cargo_check(project: &Path, target: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline"])
        .current_dir(project)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn editing_the_spec_regenerates_the_client() {
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regenerate");
    let project = scratch.join("project");
    std::fs::create_dir_all(project.join("src")).expect("scratch dir");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let manifest = format!(
        "[package]\nname = \"regen\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\ntether = {{ path = {:?} }}\n\n[workspace]\n",
        runtime.display().to_string()
    );
    write(&project.join("Cargo.toml"), &manifest);
    write(&project.join("api.yaml"), SPEC_V1);
    write(&project.join("src/main.rs"), MAIN_V1);
    // Share the workspace's lock file so the nested build uses the same dependency versions.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(&lock, project.join("Cargo.lock")).expect("workspace lock file");
    let target = scratch.join("target");

    let (ok, stderr) = cargo_check(&project, &target);
    assert!(ok, "the first version does not build:\n{stderr}");

    let calls_new_operation = MAIN_V1.replace(
        "drop(client.get_thing(1));",
        "drop(client.get_thing(1));\n    drop(client.create_thing());",
    );
    write(&project.join("src/main.rs"), &calls_new_operation);
    let (ok, stderr) = cargo_check(&project, &target);
    assert!(
        !ok,
        "calling an operation the spec does not have yet must fail"
    );
    assert!(stderr.contains("create_thing"), "{stderr}");

    write(
        &project.join("api.yaml"),
        &format!("{SPEC_V1}{OPERATION_V2}"),
    );
    let (ok, stderr) = cargo_check(&project, &target);
    assert!(
        ok,
        "after adding the operation to the spec, the crate must build:\n{stderr}"
    );
}
