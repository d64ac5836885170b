//! Snapshots of the code generated for every spec in `specs/`, pretty-printed: a change
//! to the generator shows up as a reviewable diff of the code users get.

use std::path::{Path, PathBuf};

use tether_codegen::{generate, generate_source, pretty, EmitOptions, Selection};

fn our_specs() -> Vec<PathBuf> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("specs/ is part of the repository")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn generated_code_for_our_specs() {
    let specs = our_specs();
    assert!(
        specs.len() >= 2,
        "expected our specs in specs/, found {specs:?}"
    );
    for spec in specs {
        // What `tether generate` prints.
        let source = generate_source(&spec, &Selection::default(), &EmitOptions::default())
            .unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
        if let Err(error) = syn::parse_file(&source) {
            panic!(
                "{}: the generated code does not parse: {error}",
                spec.display()
            );
        }
        let name = spec
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or("spec")
            .to_owned();
        insta::assert_snapshot!(name, source);
    }
}

#[test]
fn selecting_operations_emits_only_what_they_reach() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml");
    let selection = Selection {
        operations: vec!["getPetById".to_owned()],
        ..Selection::default()
    };
    let generated =
        generate(&spec, &selection, &EmitOptions::default()).expect("petstore generates");
    let names: Vec<&str> = generated
        .api
        .types
        .iter()
        .map(|definition| definition.name.as_str())
        .collect();
    assert_eq!(generated.api.operations.len(), 1);
    assert!(
        names.contains(&"Pet") && names.contains(&"ApiError"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Order"),
        "Order is not reachable from getPetById: {names:?}"
    );
    let everything = generate(&spec, &Selection::default(), &EmitOptions::default())
        .expect("petstore generates");
    assert!(everything.api.types.len() > generated.api.types.len());
}

#[test]
fn generated_sandbox_for_the_pet_store() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml");
    let options = EmitOptions {
        sandbox: true,
        ..EmitOptions::default()
    };
    let generated = generate(&spec, &Selection::default(), &options).expect("petstore generates");
    let source = pretty(&generated.code);
    // The client is in the `petstore` snapshot already: this one is the sandbox module.
    let start = source
        .find("/// A sandbox of")
        .expect("the sandbox module is generated");
    insta::assert_snapshot!("petstore-sandbox", &source[start..]);
}
