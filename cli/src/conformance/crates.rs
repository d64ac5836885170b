//! The crates the generated modules are type-checked in: which spec goes in which crate
//! (balanced by generated lines, so parallel checks finish together), and writing them
//! as one cargo workspace under the work directory.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Generated lines per crate the run aims for: enough crates to keep both cores busy
/// and to keep one spec's fatal error from hiding the others, few enough that the
/// fixed cost per crate stays small. It also bounds the memory of each check, which
/// grows with the crate: a folder of 2,600 specs split into 8 crates of 2.5 million
/// lines had two checks of 11 GB each fill a 24 GB machine.
const LINES_PER_CRATE: usize = 150_000;

/// One crate to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCrate {
    /// Its directory under the workspace, also its package name.
    pub name: String,
    /// The modules it holds: indices into the caller's list of specs.
    pub specs: Vec<usize>,
}

impl CheckCrate {
    /// The crate's name as rustc knows it (`--crate-name`).
    pub fn crate_name(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The path of a module's file, relative to the workspace root, as rustc names it in
    /// diagnostics.
    pub fn module_file(&self, module: &str) -> String {
        format!("{}/src/{module}.rs", self.name)
    }
}

/// How many crates `total_lines` of generated code are split into.
pub fn crate_count(total_lines: usize, specs: usize) -> usize {
    total_lines
        .div_ceil(LINES_PER_CRATE)
        .max(1)
        .min(specs.max(1))
}

/// Splits items with the given line counts into at most `crates` groups of about equal
/// lines: largest first, each into the lightest group so far. A spec larger than the
/// average share ends up alone. Returns the item indices of each non-empty group,
/// heaviest group first.
pub fn balance(lines: &[usize], crates: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[b].cmp(&lines[a]).then(a.cmp(&b)));
    let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); crates.max(1)];
    for index in order {
        let lightest = groups
            .iter_mut()
            .min_by_key(|(total, _)| *total)
            .expect("at least one group");
        lightest.0 += lines[index];
        lightest.1.push(index);
    }
    groups.sort_by_key(|(total, _)| std::cmp::Reverse(*total));
    groups
        .into_iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(_, mut members)| {
            members.sort_unstable();
            members
        })
        .collect()
}

/// A Rust module name for the spec at `path` (relative to the corpus): lower case,
/// `_` for everything that is not a letter or digit, never starting with a digit.
pub fn module_name(path: &str) -> String {
    let mut name = String::with_capacity(path.len());
    for character in path.chars() {
        if character.is_ascii_alphanumeric() {
            name.push(character.to_ascii_lowercase());
        } else if !name.ends_with('_') && !name.is_empty() {
            name.push('_');
        }
    }
    let name = name.trim_end_matches('_');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("spec_{name}")
    } else {
        name.to_owned()
    }
}

/// What every crate of the workspace depends on.
pub struct Dependencies<'a> {
    /// The runtime crate's directory (absolute).
    pub runtime: &'a Path,
    /// A lock file to start from, so the runtime's dependencies resolve to the versions
    /// already built and downloaded for the tether workspace.
    pub lock_file: Option<&'a Path>,
    /// Whether the runtime's `sandbox` feature is on (the modules hold sandboxes).
    pub sandbox: bool,
}

/// Writes a cargo workspace at `root` with `crates` as its members; `module` gives a
/// spec's module name and source. Every file is rewritten, so that rustc checks every
/// crate again and its time is measured.
pub fn write_workspace<'s>(
    root: &Path,
    crates: &[CheckCrate],
    dependencies: &Dependencies<'_>,
    module: impl Fn(usize) -> (&'s str, &'s str),
) -> io::Result<()> {
    fs::create_dir_all(root)?;
    let mut manifest = String::from(
        "# Written by `tether conformance`; rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for check_crate in crates {
        let _ = writeln!(manifest, "    {},", toml_string(&check_crate.name));
    }
    manifest.push_str("]\n");
    fs::write(root.join("Cargo.toml"), manifest)?;
    if let Some(lock_file) = dependencies.lock_file {
        fs::copy(lock_file, root.join("Cargo.lock"))?;
    }
    for check_crate in crates {
        let directory = root.join(&check_crate.name);
        fs::create_dir_all(directory.join("src"))?;
        fs::write(
            directory.join("Cargo.toml"),
            crate_manifest(&check_crate.name, dependencies),
        )?;
        // `missing_docs`: every generated item is documented, and a spec whose client
        // leaves one without docs fails with that warning.
        let mut library = String::from(
            "//! Written by `tether conformance`: one module per spec.\n#![warn(missing_docs)]\n\n",
        );
        for &spec in &check_crate.specs {
            let (name, source) = module(spec);
            let _ = writeln!(library, "/// The spec's client.\npub mod {name};");
            fs::write(directory.join("src").join(format!("{name}.rs")), source)?;
        }
        fs::write(directory.join("src/lib.rs"), library)?;
    }
    Ok(())
}

fn crate_manifest(name: &str, dependencies: &Dependencies<'_>) -> String {
    let features = if dependencies.sandbox {
        ", features = [\"sandbox\"]"
    } else {
        ""
    };
    format!(
        "[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ntether = {{ path = {}{features} }}\n",
        toml_string(name),
        toml_string(&dependencies.runtime.to_string_lossy())
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            control if control.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", control as u32);
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_spec_is_alone_and_the_rest_is_balanced() {
        let lines = [200, 10, 60, 50, 40, 30, 20, 5];
        let groups = balance(&lines, 3);
        assert_eq!(groups[0], vec![0]);
        let totals: Vec<usize> = groups
            .iter()
            .map(|group| group.iter().map(|&index| lines[index]).sum())
            .collect();
        assert_eq!(totals, vec![200, 110, 105]);
        let mut all: Vec<usize> = groups.concat();
        all.sort_unstable();
        assert_eq!(all, (0..lines.len()).collect::<Vec<_>>());
    }

    #[test]
    fn no_empty_groups() {
        assert_eq!(balance(&[5, 7], 4), vec![vec![1], vec![0]]);
        assert!(balance(&[], 4).is_empty());
        assert_eq!(balance(&[1, 1, 1], 0), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn crate_count_follows_the_lines() {
        assert_eq!(crate_count(0, 0), 1);
        assert_eq!(crate_count(1_000, 30), 1);
        assert_eq!(crate_count(1_090_000, 67), 8);
        assert_eq!(crate_count(19_650_000, 2_639), 131);
        assert_eq!(crate_count(400_000, 67), 3);
        assert_eq!(crate_count(400_000, 2), 2);
    }

    #[test]
    fn module_names_are_rust_identifiers() {
        assert_eq!(
            module_name("petstore/examples/v2.0/json/petstore.json"),
            "petstore_examples_v2_0_json_petstore_json"
        );
        assert_eq!(
            module_name("hubspot/Marketing/Marketing Emails/v3/marketingEmails.json"),
            "hubspot_marketing_marketing_emails_v3_marketingemails_json"
        );
        assert_eq!(module_name("3scale/api.yaml"), "spec_3scale_api_yaml");
        assert_eq!(module_name("--"), "spec_");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
    }

    #[test]
    fn writes_a_workspace_of_crates() {
        let root = std::env::temp_dir().join(format!("tether-crates-test-{}", std::process::id()));
        let crates = vec![CheckCrate {
            name: "group-1".to_owned(),
            specs: vec![0, 1],
        }];
        let modules = [("alpha", "pub struct A;\n"), ("beta", "pub struct B;\n")];
        let mut dependencies = Dependencies {
            runtime: Path::new("/opt/tether/runtime"),
            lock_file: None,
            sandbox: false,
        };
        write_workspace(&root, &crates, &dependencies, |spec| modules[spec]).unwrap();
        let workspace = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(workspace.contains("\"group-1\","), "{workspace}");
        let manifest = fs::read_to_string(root.join("group-1/Cargo.toml")).unwrap();
        assert!(
            manifest.contains("tether = { path = \"/opt/tether/runtime\" }"),
            "{manifest}"
        );
        dependencies.sandbox = true;
        write_workspace(&root, &crates, &dependencies, |spec| modules[spec]).unwrap();
        let manifest = fs::read_to_string(root.join("group-1/Cargo.toml")).unwrap();
        assert!(
            manifest
                .contains("tether = { path = \"/opt/tether/runtime\", features = [\"sandbox\"] }"),
            "{manifest}"
        );
        let library = fs::read_to_string(root.join("group-1/src/lib.rs")).unwrap();
        assert!(
            library.contains(
                "/// The spec's client.\npub mod alpha;\n/// The spec's client.\npub mod beta;\n"
            ),
            "{library}"
        );
        assert_eq!(
            fs::read_to_string(root.join(crates[0].module_file("beta"))).unwrap(),
            "pub struct B;\n"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
