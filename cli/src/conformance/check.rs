//! Type-checking every generated module and deciding, per spec, whether it compiles.
//!
//! The modules are first checked in a few crates of about equal size. A crate that fails
//! may fail because of one module while the others are fine, and a fatal error in one
//! module can stop rustc before it reports on the others. So a spec passes only when a
//! crate holding it compiles: specs without errors of their own in a failed crate are
//! checked again in a second round, each in a crate of its own, which decides them all.

use std::collections::HashMap;
use std::io;

use super::cargo::{self, Attribution, Check, Runner, Severity};
use super::crates::{self, CheckCrate, Dependencies};

/// A generated module to check.
pub struct Module<'a> {
    /// Its Rust module name, unique in the run.
    pub name: &'a str,
    /// Its source.
    pub source: &'a str,
    /// Lines of `source`.
    pub lines: usize,
}

/// Whether one spec's module compiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether it compiled.
    pub passed: bool,
    /// The crate it was decided in.
    pub crate_name: String,
    /// rustc's time for that crate times the module's share of the crate's lines.
    pub check_seconds: Option<f64>,
    /// Its errors, one line each (for a failure without errors of its own, why).
    pub errors: Vec<String>,
    /// The headlines of its warnings.
    pub warnings: Vec<String>,
}

/// One crate as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCrate {
    /// Its directory and package name.
    pub name: String,
    /// The round it was checked in (1 is the first check of every module).
    pub round: usize,
    /// Its modules: indices into the run's specs.
    pub specs: Vec<usize>,
    /// Its generated lines.
    pub lines: usize,
    /// rustc's wall time for it, when rustc ran.
    pub rustc_seconds: Option<f64>,
    /// Whether it compiled.
    pub compiled: bool,
}

/// Every verdict, and how the checks went.
#[derive(Debug, Default)]
pub struct Checks {
    /// The verdict per spec index (specs without a module have none).
    pub verdicts: HashMap<usize, Verdict>,
    /// Every crate checked, in order.
    pub crates: Vec<CheckedCrate>,
    /// Wall time of all cargo runs.
    pub seconds: f64,
}

/// Checks `modules` (indexed like the run's specs; `None` for a spec without a module) in
/// crates written into the runner's workspace.
pub fn check_all(
    runner: &Runner,
    dependencies: &Dependencies<'_>,
    modules: &[Option<Module<'_>>],
) -> io::Result<Checks> {
    let mut checks = Checks::default();
    let mut pending: Vec<usize> = (0..modules.len())
        .filter(|&spec| modules[spec].is_some())
        .collect();
    let lines = |spec: usize| modules[spec].as_ref().map_or(0, |module| module.lines);
    let mut round = 1;
    while !pending.is_empty() {
        let weights: Vec<usize> = pending.iter().map(|&spec| lines(spec)).collect();
        let count = if round == 1 {
            crates::crate_count(weights.iter().sum(), pending.len())
        } else {
            pending.len()
        };
        let round_crates: Vec<CheckCrate> = crates::balance(&weights, count)
            .into_iter()
            .enumerate()
            .map(|(index, members)| CheckCrate {
                name: format!("round{round}-group{}", index + 1),
                specs: members.into_iter().map(|member| pending[member]).collect(),
            })
            .collect();
        let module = |spec: usize| {
            modules[spec]
                .as_ref()
                .map_or(("", ""), |module| (module.name, module.source))
        };
        crates::write_workspace(&runner.root, &round_crates, dependencies, module)?;
        eprintln!(
            "round {round}: checking {} modules in {} crates, {} at a time",
            pending.len(),
            round_crates.len(),
            cargo::PARALLEL_CHECKS
        );
        let mut files = HashMap::new();
        for check_crate in &round_crates {
            for &spec in &check_crate.specs {
                files.insert(check_crate.module_file(module(spec).0), spec);
            }
        }
        let attribution = Attribution::new(&runner.root, files);
        let check = runner.check()?;
        checks.seconds += check.seconds;
        let judged = judge(&round_crates, &check, &attribution, lines);
        for check_crate in &round_crates {
            checks.crates.push(CheckedCrate {
                name: check_crate.name.clone(),
                round,
                specs: check_crate.specs.clone(),
                lines: check_crate.specs.iter().map(|&spec| lines(spec)).sum(),
                rustc_seconds: check.rustc_seconds.get(&check_crate.crate_name()).copied(),
                compiled: check.compiled.contains(&check_crate.crate_name()),
            });
        }
        checks.verdicts.extend(judged.decided);
        pending = judged.again;
        round += 1;
    }
    Ok(checks)
}

/// What one round decided.
#[derive(Debug, Default, PartialEq)]
pub struct Judged {
    /// Verdicts for the specs decided in this round.
    pub decided: Vec<(usize, Verdict)>,
    /// Specs to check again: no errors of their own, in a crate that failed because of
    /// other modules.
    pub again: Vec<usize>,
}

/// Decides what one cargo run over `round_crates` says about each spec.
pub fn judge(
    round_crates: &[CheckCrate],
    check: &Check,
    attribution: &Attribution,
    lines: impl Fn(usize) -> usize,
) -> Judged {
    let mut errors: HashMap<usize, Vec<String>> = HashMap::new();
    let mut warnings: HashMap<usize, Vec<String>> = HashMap::new();
    let mut unattributed: HashMap<&str, Vec<String>> = HashMap::new();
    for diagnostic in &check.diagnostics {
        match (attribution.locate(diagnostic), diagnostic.severity) {
            (Some((spec, place)), Severity::Error) => errors
                .entry(spec)
                .or_default()
                .push(diagnostic.one_line(Some(place))),
            (Some((spec, _)), Severity::Warning) => warnings
                .entry(spec)
                .or_default()
                .push(diagnostic.headline.clone()),
            (None, Severity::Error) => unattributed
                .entry(diagnostic.crate_name.as_str())
                .or_default()
                .push(diagnostic.one_line(None)),
            (None, Severity::Warning) => {}
        }
    }
    // Errors outside every generated crate (in the runtime, or cargo's own) explain a
    // crate that failed without errors of its own.
    let elsewhere: Option<String> = check
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .find(|diagnostic| {
            !round_crates
                .iter()
                .any(|check_crate| check_crate.crate_name() == diagnostic.crate_name)
        })
        .map(|diagnostic| {
            format!(
                "{} (in crate `{}`)",
                diagnostic.one_line(None),
                diagnostic.crate_name
            )
        })
        .or_else(|| check.cargo_errors.first().cloned());

    let mut judged = Judged::default();
    for check_crate in round_crates {
        let crate_name = check_crate.crate_name();
        let compiled = check.compiled.contains(&crate_name);
        let crate_lines: usize = check_crate.specs.iter().map(|&spec| lines(spec)).sum();
        let seconds = check.rustc_seconds.get(&crate_name).copied();
        let any_own_errors = check_crate
            .specs
            .iter()
            .any(|spec| errors.contains_key(spec));
        for &spec in &check_crate.specs {
            let own = errors.remove(&spec).unwrap_or_default();
            let own_warnings = warnings.remove(&spec).unwrap_or_default();
            let verdict = |passed: bool, errors: Vec<String>| Verdict {
                passed,
                crate_name: check_crate.name.clone(),
                check_seconds: seconds
                    .map(|seconds| seconds * lines(spec) as f64 / crate_lines.max(1) as f64),
                errors,
                warnings: own_warnings.clone(),
            };
            if !own.is_empty() {
                judged.decided.push((spec, verdict(false, own)));
            } else if compiled && own_warnings.is_empty() {
                judged.decided.push((spec, verdict(true, Vec::new())));
            } else if compiled {
                // Generated code must compile cleanly: a user's `deny(warnings)` would fail.
                judged
                    .decided
                    .push((spec, verdict(false, own_warnings.clone())));
            } else if any_own_errors {
                judged.again.push(spec);
            } else {
                let why = match unattributed
                    .get(crate_name.as_str())
                    .and_then(|e| e.first())
                {
                    Some(error) => format!("its crate failed outside any module: {error}"),
                    None => match &elsewhere {
                        Some(error) => format!("its crate was not checked: {error}"),
                        None => "its crate was not checked, and cargo gave no reason".to_owned(),
                    },
                };
                judged.decided.push((spec, verdict(false, vec![why])));
            }
        }
    }
    judged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::cargo::{Diagnostic, Place};
    use std::collections::HashSet;
    use std::fs;
    use std::path::Path;

    fn diagnostic(crate_name: &str, severity: Severity, headline: &str, file: &str) -> Diagnostic {
        Diagnostic {
            crate_name: crate_name.to_owned(),
            severity,
            headline: headline.to_owned(),
            places: vec![Place {
                file: file.to_owned(),
                line: 3,
                column: 7,
            }],
        }
    }

    fn two_crates() -> (Vec<CheckCrate>, Attribution) {
        let round = vec![
            CheckCrate {
                name: "round1-group1".to_owned(),
                specs: vec![0, 1],
            },
            CheckCrate {
                name: "round1-group2".to_owned(),
                specs: vec![2],
            },
        ];
        let files = HashMap::from([
            ("round1-group1/src/a.rs".to_owned(), 0),
            ("round1-group1/src/b.rs".to_owned(), 1),
            ("round1-group2/src/c.rs".to_owned(), 2),
        ]);
        (round, Attribution::new(Path::new("/w"), files))
    }

    #[test]
    fn errors_and_warnings_fail_their_spec_and_its_neighbours_are_checked_again() {
        let (round, attribution) = two_crates();
        let check = Check {
            diagnostics: vec![
                diagnostic(
                    "round1_group1",
                    Severity::Warning,
                    "warning: unused",
                    "round1-group1/src/b.rs",
                ),
                diagnostic(
                    "round1_group1",
                    Severity::Error,
                    "error[E0412]: cannot find type `X`",
                    "round1-group1/src/a.rs",
                ),
                diagnostic(
                    "round1_group1",
                    Severity::Error,
                    "error[E0308]: mismatched types",
                    "round1-group1/src/a.rs",
                ),
                diagnostic(
                    "round1_group2",
                    Severity::Warning,
                    "warning[dead_code]: never used",
                    "round1-group2/src/c.rs",
                ),
            ],
            compiled: HashSet::from(["round1_group2".to_owned()]),
            rustc_seconds: HashMap::from([("round1_group1".to_owned(), 10.0)]),
            ..Check::default()
        };
        let judged = judge(&round, &check, &attribution, |spec| [300, 100, 50][spec]);
        assert_eq!(judged.again, vec![1]);
        let decided: HashMap<usize, Verdict> = judged.decided.into_iter().collect();
        assert_eq!(decided.len(), 2);
        let a = &decided[&0];
        assert!(!a.passed);
        assert_eq!(
            a.errors,
            vec![
                "error[E0412]: cannot find type `X` at round1-group1/src/a.rs:3:7",
                "error[E0308]: mismatched types at round1-group1/src/a.rs:3:7"
            ]
        );
        assert_eq!(a.check_seconds, Some(7.5));
        let c = &decided[&2];
        assert!(!c.passed, "it compiled, with a warning");
        assert_eq!(c.errors, vec!["warning[dead_code]: never used"]);
        assert_eq!(c.warnings, vec!["warning[dead_code]: never used"]);
        assert_eq!(c.check_seconds, None);
    }

    #[test]
    fn a_crate_that_fails_without_errors_of_its_own_fails_its_specs_with_the_reason() {
        let (round, attribution) = two_crates();
        let check = Check {
            diagnostics: vec![diagnostic(
                "tether",
                Severity::Error,
                "error[E0433]: failed to resolve",
                "/work/main/runtime/src/lib.rs",
            )],
            ..Check::default()
        };
        let judged = judge(&round, &check, &attribution, |_| 1);
        assert!(judged.again.is_empty());
        assert_eq!(judged.decided.len(), 3);
        for (_, verdict) in &judged.decided {
            assert!(!verdict.passed);
            assert_eq!(
                verdict.errors,
                vec!["its crate was not checked: error[E0433]: failed to resolve at /work/main/runtime/src/lib.rs:3:7 (in crate `tether`)"]
            );
        }
    }

    /// Runs cargo for real (the first run builds the runtime's dependencies, a minute or
    /// two): `cargo test -p tether-cli -- --ignored`.
    #[test]
    #[ignore]
    fn checks_real_crates_and_rechecks_the_neighbours_of_a_failure() {
        let tether = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = tether.join("target/conformance-selftest");
        let runtime = tether.join("runtime").canonicalize().unwrap();
        let lock_file = tether.join("Cargo.lock");
        let dependencies = Dependencies {
            runtime: &runtime,
            lock_file: Some(&lock_file),
            sandbox: false,
        };
        let module = |name, source| {
            Some(Module {
                name,
                source,
                lines: 1,
            })
        };
        let modules = [
            module(
                "fine",
                "pub struct Fine(pub ::tether::__private::serde_json::Value);\n",
            ),
            module("broken", "pub fn broken() -> u8 { \"text\" }\n"),
            None,
            module("warned", "pub fn warned() { let unused = 1; }\n"),
        ];
        fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        let runner = Runner {
            // The conformance run's target directory: its dependencies are built already.
            target_dir: tether.join("target/conformance/target"),
            root,
            // The test binary cannot stand in for rustc, so there are no times.
            timer: None,
        };
        let checks = check_all(&runner, &dependencies, &modules).unwrap();
        assert_eq!(checks.verdicts.len(), 3);
        let broken = &checks.verdicts[&1];
        assert!(!broken.passed);
        assert!(
            broken.errors[0]
                .starts_with("error[E0308]: mismatched types at round1-group1/src/broken.rs:1:"),
            "{broken:?}"
        );
        assert!(checks.verdicts[&0].passed);
        assert_eq!(checks.verdicts[&0].crate_name, "round2-group1");
        let warned = &checks.verdicts[&3];
        assert!(warned.passed);
        assert_eq!(
            warned.warnings,
            vec!["warning[unused_variables]: unused variable: `unused`"]
        );
        assert_eq!(checks.crates.len(), 3);
        assert!(checks
            .crates
            .iter()
            .all(|checked| checked.rustc_seconds.is_none()));
    }
}
