//! `tether conformance CORPUS_DIR`: generates every spec of a corpus, type-checks the
//! generated code with rustc, and reports per spec what was generated, what degraded
//! and whether it compiles.

mod cargo;
mod check;
mod crates;
mod generation;
mod manifest;
mod reasons;
mod report;
pub mod rustc_timer;
mod scan;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use check::Module;
use crates::Dependencies;
use report::{CrateReport, Outcome, Report, SpecReport};

/// The arguments of `tether conformance`.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The corpus: a directory with `MANIFEST.tsv`, or any folder of specs.
    pub corpus: PathBuf,
    /// Where to write the report as JSON.
    pub json: Option<PathBuf>,
    /// Only specs whose manifest path contains this.
    pub only: Option<String>,
    /// Where the generated crates are written.
    pub work: PathBuf,
    /// Whether each client is generated with its sandbox module (`sandbox = true`).
    pub sandbox: bool,
}

impl Options {
    /// Reads the arguments after `conformance`.
    pub fn parse(arguments: &[String]) -> Result<Options, String> {
        let mut corpus = None;
        let mut json = None;
        let mut only = None;
        let mut work = None;
        let mut sandbox = false;
        let mut arguments = arguments.iter();
        while let Some(argument) = arguments.next() {
            if argument == "--sandbox" {
                sandbox = true;
                continue;
            }
            let (flag, inline) = match argument.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
                _ => (argument.as_str(), None),
            };
            let slot = match flag {
                "--json" => &mut json,
                "--only" => &mut only,
                "--work" => &mut work,
                flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
                _ if corpus.is_none() => {
                    corpus = Some(argument.clone());
                    continue;
                }
                _ => return Err(format!("unexpected argument `{argument}`")),
            };
            let value = match inline {
                Some(value) => value,
                None => arguments
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))?,
            };
            *slot = Some(value);
        }
        Ok(Options {
            corpus: PathBuf::from(corpus.ok_or("`conformance` needs the corpus directory")?),
            json: json.map(PathBuf::from),
            only,
            work: PathBuf::from(work.unwrap_or_else(|| "target/conformance".to_owned())),
            sandbox,
        })
    }
}

/// Runs the conformance check and prints the table; failure when any spec fails or the
/// run cannot be done.
pub fn run(options: &Options) -> ExitCode {
    let report = match conformance(options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report::table(&report));
    if let Some(path) = &options.json {
        let written = serde_json::to_string_pretty(&report)
            .map_err(|error| error.to_string())
            .and_then(|json| fs::write(path, json + "\n").map_err(|error| error.to_string()));
        if let Err(error) = written {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn conformance(options: &Options) -> Result<Report, String> {
    let started = Instant::now();
    let manifest_path = options.corpus.join("MANIFEST.tsv");
    let listed = if manifest_path.exists() {
        let text = fs::read_to_string(&manifest_path)
            .map_err(|error| format!("cannot read {}: {error}", manifest_path.display()))?;
        manifest::parse(&text).map_err(|error| format!("{}: {error}", options.corpus.display()))?
    } else {
        scan::scan(&options.corpus)?
    };
    if listed.is_empty() {
        return Err(format!("no spec in {}", options.corpus.display()));
    }
    let entries: Vec<manifest::Entry> = listed
        .into_iter()
        .filter(|entry| {
            options
                .only
                .as_ref()
                .is_none_or(|only| entry.path.contains(only.as_str()))
        })
        .collect();
    if entries.is_empty() {
        return Err("no spec of the manifest matches `--only`".to_owned());
    }

    eprintln!("generating {} specs", entries.len());
    let generations: Vec<generation::Generation> = entries
        .iter()
        .map(|entry| generation::generate(&options.corpus.join(&entry.path), options.sandbox))
        .collect();
    let generation_seconds = started.elapsed().as_secs_f64();

    let names = module_names(&entries);
    let modules: Vec<Option<Module<'_>>> = generations
        .iter()
        .zip(&names)
        .map(|(generation, name)| {
            let module = generation.module.as_ref().ok()?;
            Some(Module {
                name,
                source: &module.source,
                lines: module.lines,
            })
        })
        .collect();
    let work = absolute(&options.work)?;
    let tether = tether_workspace();
    let runtime = tether.join("runtime");
    if !runtime.join("Cargo.toml").is_file() {
        return Err(format!(
            "the runtime crate is not at {}; run the tether built from its workspace",
            runtime.display()
        ));
    }
    let lock_file = tether.join("Cargo.lock");
    let dependencies = Dependencies {
        runtime: &runtime,
        lock_file: lock_file.is_file().then_some(lock_file.as_path()),
        sandbox: options.sandbox,
    };
    let runner = cargo::Runner {
        target_dir: work.join("target"),
        root: work.clone(),
        timer: Some(
            std::env::current_exe()
                .map_err(|error| format!("cannot find this binary to time rustc with: {error}"))?,
        ),
    };
    let checks = check::check_all(&runner, &dependencies, &modules).map_err(|error| {
        format!(
            "cannot check the generated code in {}: {error}",
            work.display()
        )
    })?;

    let specs: Vec<SpecReport> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            SpecReport::new(entry, &generations[index], checks.verdicts.get(&index))
        })
        .collect();
    let passed = specs
        .iter()
        .filter(|spec| spec.result == Outcome::Pass)
        .count();
    let notes = generations
        .iter()
        .filter_map(|generation| generation.module.as_ref().ok())
        .flat_map(|module| &module.notes)
        .map(|note| note.message.as_str());
    let warnings = checks
        .verdicts
        .values()
        .flat_map(|verdict| &verdict.warnings)
        .map(String::as_str);
    Ok(Report {
        corpus: options.corpus.display().to_string(),
        passed,
        failed: specs.len() - passed,
        wall_seconds: started.elapsed().as_secs_f64(),
        generation_seconds,
        check_seconds: checks.seconds,
        check_seconds_meaning: report::CHECK_SECONDS_MEANING,
        crates: checks
            .crates
            .iter()
            .map(|checked| CrateReport::new(checked, |spec| entries[spec].path.clone()))
            .collect(),
        specs,
        degradations_by_reason: report::counts(reasons::by_reason(notes)),
        warnings_by_reason: report::counts(reasons::by_reason(warnings)),
    })
}

/// A unique module name per spec.
fn module_names(entries: &[manifest::Entry]) -> Vec<String> {
    let mut taken = HashSet::new();
    entries
        .iter()
        .map(|entry| {
            let base = crates::module_name(&entry.path);
            let mut name = base.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{suffix}");
                suffix += 1;
            }
            name
        })
        .collect()
}

/// The tether workspace this binary was built from: the generated crates depend on its
/// runtime and start from its lock file.
fn tether_workspace() -> PathBuf {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR"));
    cli.parent().unwrap_or(cli).to_path_buf()
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    fs::create_dir_all(path)
        .and_then(|()| path.canonicalize())
        .map_err(|error| {
            format!(
                "cannot use {} as the work directory: {error}",
                path.display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arguments(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_the_options_in_any_order() {
        let options = Options::parse(&arguments(
            "--only stripe corpus --json=out.json --sandbox --work /tmp/w",
        ))
        .unwrap();
        assert_eq!(
            options,
            Options {
                corpus: PathBuf::from("corpus"),
                json: Some(PathBuf::from("out.json")),
                only: Some("stripe".to_owned()),
                work: PathBuf::from("/tmp/w"),
                sandbox: true,
            }
        );
        let defaults = Options::parse(&arguments("corpus")).unwrap();
        assert_eq!(defaults.work, PathBuf::from("target/conformance"));
        assert_eq!(defaults.json, None);
        assert!(!defaults.sandbox);
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(Options::parse(&[]).is_err());
        assert!(Options::parse(&arguments("corpus --json")).is_err());
        assert!(Options::parse(&arguments("corpus --jobs 3")).is_err());
        assert!(Options::parse(&arguments("corpus other")).is_err());
    }

    #[test]
    fn a_spec_that_does_not_generate_fails_without_ending_the_run() {
        let corpus = std::env::temp_dir().join(format!("tether-corpus-{}", std::process::id()));
        fs::create_dir_all(&corpus).unwrap();
        fs::write(
            corpus.join("future.yaml"),
            "openapi: 9.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        fs::write(
            corpus.join("MANIFEST.tsv"),
            "path\tprovider\tsource_repo\tsource_path\tcommit\tformat\tbytes\toperations\tlicense_note\texternal_ref_files\n\
             future.yaml\tacme\tacme/specs\tfuture.yaml\tabc\topenapi-9.0.0\t60\t0\tMIT\t0\n\
             missing.yaml\tacme\tacme/specs\tmissing.yaml\tabc\topenapi-3.0.0\t10\t2\tMIT\t0\n",
        )
        .unwrap();
        let options = Options {
            corpus: corpus.clone(),
            json: None,
            only: None,
            work: corpus.join("work"),
            sandbox: false,
        };
        let report = conformance(&options).unwrap();
        assert_eq!((report.passed, report.failed), (0, 2));
        let future = &report.specs[0];
        assert_eq!(future.failed_in, Some(report::Stage::Generation));
        assert!(
            future
                .first_error
                .as_deref()
                .unwrap()
                .contains("unsupported `openapi: 9.0.0`"),
            "{future:?}"
        );
        assert_eq!(report.specs[1].operations_in_spec, 2);
        assert_eq!(report.specs[1].operations_generated, None);
        assert!(report.crates.is_empty());
        let table = report::table(&report);
        assert!(table.contains("    generation failed: "), "{table}");
        assert!(table.contains("2 specs: 0 PASS, 2 FAIL"), "{table}");

        let only = Options {
            only: Some("nothing-matches".to_owned()),
            ..options
        };
        assert!(conformance(&only).is_err());
        fs::remove_dir_all(&corpus).unwrap();
    }

    #[test]
    fn module_names_are_unique() {
        let entry = |path: &str| manifest::Entry {
            path: path.to_owned(),
            provider: String::new(),
            source_repo: String::new(),
            source_path: String::new(),
            commit: String::new(),
            format: String::new(),
            bytes: 0,
            operations: 0,
            license_note: String::new(),
            external_ref_files: 0,
        };
        let names = module_names(&[entry("a/b.json"), entry("a_b.json"), entry("a-b.json")]);
        assert_eq!(names, vec!["a_b_json", "a_b_json_2", "a_b_json_3"]);
    }
}
