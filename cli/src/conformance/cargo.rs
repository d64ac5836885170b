//! Running `cargo check` over the generated workspace and reading its JSON messages:
//! which crates compiled, every diagnostic, and which spec's module each belongs to.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use super::rustc_timer;

/// How many crates rustc checks at a time (the machine the corpus runs on has 2 cores).
pub const PARALLEL_CHECKS: usize = 2;

/// Whether a diagnostic stops the crate from compiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// An error (including an internal compiler error).
    Error,
    /// A warning.
    Warning,
}

/// One compiler diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The crate rustc was compiling.
    pub crate_name: String,
    /// Error or warning.
    pub severity: Severity,
    /// The headline, e.g. ``error[E0412]: cannot find type `Pet` in this scope``.
    pub headline: String,
    /// Where it points: each primary span, then the macro calls it was expanded from,
    /// innermost first.
    pub places: Vec<Place>,
}

/// A position in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file as rustc names it (relative to the workspace root, or absolute).
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl Diagnostic {
    /// The headline and where it points, on one line: at `place`, else at the primary span.
    pub fn one_line(&self, place: Option<&Place>) -> String {
        match place.or(self.places.first()) {
            Some(place) => format!(
                "{} at {}:{}:{}",
                self.headline, place.file, place.line, place.column
            ),
            None => self.headline.clone(),
        }
    }
}

/// One message of `cargo check --message-format=json` that the run uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A diagnostic.
    Diagnostic(Diagnostic),
    /// A crate was checked without errors (its metadata was written).
    Compiled {
        /// The crate's name.
        crate_name: String,
    },
    /// The build ended.
    Finished {
        /// Whether every crate compiled.
        success: bool,
    },
}

/// Reads one line of cargo's JSON output; `None` for messages the run does not use and
/// for diagnostics that only summarise others ("aborting due to 3 previous errors").
pub fn parse_message(line: &str) -> Option<Message> {
    let value: Value = serde_json::from_str(line).ok()?;
    let crate_name = || {
        value
            .pointer("/target/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    match value.get("reason")?.as_str()? {
        "compiler-artifact" => Some(Message::Compiled {
            crate_name: crate_name(),
        }),
        "build-finished" => Some(Message::Finished {
            success: value.get("success")?.as_bool()?,
        }),
        "compiler-message" => {
            let message = value.get("message")?;
            let level = message.get("level")?.as_str()?;
            let severity = if level.starts_with("error") {
                Severity::Error
            } else if level == "warning" {
                Severity::Warning
            } else {
                return None;
            };
            let text = message.get("message")?.as_str()?;
            let spans = message
                .get("spans")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if spans.is_empty()
                && (text.starts_with("aborting due to") || text.ends_with(" emitted"))
            {
                return None;
            }
            let code = message
                .pointer("/code/code")
                .and_then(Value::as_str)
                .map(|code| format!("[{code}]"))
                .unwrap_or_default();
            let first_line = text.lines().next().unwrap_or_default();
            Some(Message::Diagnostic(Diagnostic {
                crate_name: crate_name(),
                severity,
                headline: format!("{level}{code}: {first_line}"),
                places: places(spans),
            }))
        }
        _ => None,
    }
}

fn primary(spans: &[Value]) -> impl Iterator<Item = &Value> {
    let any_primary = spans
        .iter()
        .any(|span| span.get("is_primary").and_then(Value::as_bool) == Some(true));
    spans.iter().filter(move |span| {
        !any_primary || span.get("is_primary").and_then(Value::as_bool) == Some(true)
    })
}

fn places(spans: &[Value]) -> Vec<Place> {
    let mut places = Vec::new();
    for span in primary(spans) {
        let mut current = Some(span);
        while let Some(span) = current {
            let place = (|| {
                Some(Place {
                    file: span.get("file_name")?.as_str()?.to_owned(),
                    line: span.get("line_start")?.as_u64()?,
                    column: span.get("column_start")?.as_u64()?,
                })
            })();
            places.extend(place);
            current = span.pointer("/expansion/span");
        }
    }
    places
}

/// Which spec a diagnostic belongs to, by the module file it points into.
pub struct Attribution {
    /// The workspace root, to make absolute file names relative.
    root: PathBuf,
    /// Spec index by module file relative to the root (`group-1/src/stripe.rs`).
    files: HashMap<String, usize>,
}

impl Attribution {
    /// An attribution for the workspace at `root` whose module files are `files`.
    pub fn new(root: &Path, files: HashMap<String, usize>) -> Self {
        Attribution {
            root: root.to_path_buf(),
            files,
        }
    }

    /// The spec whose module the diagnostic points into, and where in it.
    pub fn locate<'d>(&self, diagnostic: &'d Diagnostic) -> Option<(usize, &'d Place)> {
        diagnostic.places.iter().find_map(|place| {
            let path = Path::new(&place.file);
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            let relative = relative.strip_prefix(".").unwrap_or(relative);
            let spec = self.files.get(&*relative.to_string_lossy())?;
            Some((*spec, place))
        })
    }
}

/// What one `cargo check` reported.
#[derive(Debug, Default)]
pub struct Check {
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The crates that compiled.
    pub compiled: HashSet<String>,
    /// Whether cargo reported success.
    pub success: bool,
    /// Lines cargo itself wrote to stderr that start with `error`.
    pub cargo_errors: Vec<String>,
    /// rustc's wall time per workspace crate, in seconds.
    pub rustc_seconds: HashMap<String, f64>,
    /// Wall time of the whole cargo run, in seconds.
    pub seconds: f64,
}

/// How cargo is run over the generated workspace.
pub struct Runner {
    /// The workspace root.
    pub root: PathBuf,
    /// Cargo's target directory, shared by every crate and every run so that the
    /// runtime's dependencies are built once.
    pub target_dir: PathBuf,
    /// The binary cargo runs as the rustc wrapper that times each crate (this `tether`);
    /// without one, no times.
    pub timer: Option<PathBuf>,
}

impl Runner {
    /// Checks every crate of the workspace, at most [`PARALLEL_CHECKS`] at a time, going
    /// on past crates that fail. Cargo's own progress goes to stderr as it comes.
    pub fn check(&self) -> io::Result<Check> {
        let log = self.root.join("rustc-times.tsv");
        if log.exists() {
            std::fs::remove_file(&log)?;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args([
                "check",
                "--workspace",
                "--keep-going",
                "--message-format=json",
            ])
            .arg(format!("--jobs={PARALLEL_CHECKS}"))
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            // Each crate is checked once per run; incremental state would cost time and disk.
            .env("CARGO_INCREMENTAL", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(timer) = &self.timer {
            command
                .env("RUSTC_WORKSPACE_WRAPPER", timer)
                .env(rustc_timer::LOG_VARIABLE, &log);
        }
        let started = Instant::now();
        let mut child = command.spawn()?;
        let stderr = child.stderr.take().map(|stderr| {
            std::thread::spawn(move || {
                let mut errors = Vec::new();
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    if line.starts_with("error") {
                        errors.push(line);
                    }
                }
                errors
            })
        });
        let mut check = Check::default();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                match parse_message(&line?) {
                    Some(Message::Diagnostic(diagnostic)) => check.diagnostics.push(diagnostic),
                    Some(Message::Compiled { crate_name }) => {
                        check.compiled.insert(crate_name);
                    }
                    Some(Message::Finished { success }) => check.success = success,
                    None => {}
                }
            }
        }
        let status = child.wait()?;
        check.success &= status.success();
        check.cargo_errors = stderr
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default();
        check.seconds = started.elapsed().as_secs_f64();
        if let Ok(text) = std::fs::read_to_string(&log) {
            check.rustc_seconds = rustc_timer::read_log(&text);
        }
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error inside a derive: the primary span is in serde's expansion, called from
    /// the module file.
    const ERROR_IN_DERIVE: &str = r##"{"reason":"compiler-message","package_id":"path+file:///work/target/conformance/group-2#0.0.0","manifest_path":"/work/target/conformance/group-2/Cargo.toml","target":{"kind":["lib"],"crate_types":["lib"],"name":"group_2","src_path":"/work/target/conformance/group-2/src/lib.rs","edition":"2021","doc":true,"doctest":true,"test":true},"message":{"rendered":"error[E0277]: the trait bound `Pet: Deserialize<'de>` is not satisfied\n","$message_type":"diagnostic","children":[],"code":{"code":"E0277","explanation":null},"level":"error","message":"the trait bound `Pet: Deserialize<'de>` is not satisfied\nthe trait is not implemented","spans":[{"byte_end":10,"byte_start":0,"column_end":11,"column_start":1,"expansion":{"def_site_span":{"byte_end":0,"byte_start":0,"column_end":1,"column_start":1,"expansion":null,"file_name":"/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde_derive-1.0.219/src/lib.rs","is_primary":false,"label":null,"line_end":1,"line_start":1,"suggested_replacement":null,"suggestion_applicability":null,"text":[]},"macro_decl_name":"#[derive(serde::Deserialize)]","span":{"byte_end":30,"byte_start":20,"column_end":20,"column_start":10,"expansion":null,"file_name":"group-2/src/petstore_yaml.rs","is_primary":false,"label":null,"line_end":41,"line_start":41,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}},"file_name":"/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde-1.0.219/src/de/mod.rs","is_primary":true,"label":"required by this bound","line_end":3,"line_start":3,"suggested_replacement":null,"suggestion_applicability":null,"text":[]},{"byte_end":99,"byte_start":90,"column_end":9,"column_start":1,"expansion":null,"file_name":"group-2/src/stripe_yaml.rs","is_primary":false,"label":"other","line_end":7,"line_start":7,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}]}}"##;

    fn attribution() -> Attribution {
        Attribution::new(
            Path::new("/work/target/conformance"),
            HashMap::from([
                ("group-2/src/petstore_yaml.rs".to_owned(), 0),
                ("group-2/src/stripe_yaml.rs".to_owned(), 1),
            ]),
        )
    }

    #[test]
    fn an_error_in_a_derive_belongs_to_the_module_that_derives() {
        let Some(Message::Diagnostic(diagnostic)) = parse_message(ERROR_IN_DERIVE) else {
            panic!("not a diagnostic");
        };
        assert_eq!(diagnostic.crate_name, "group_2");
        assert_eq!(diagnostic.severity, Severity::Error);
        assert_eq!(
            diagnostic.headline,
            "error[E0277]: the trait bound `Pet: Deserialize<'de>` is not satisfied"
        );
        assert!(diagnostic.places[0]
            .file
            .ends_with("serde-1.0.219/src/de/mod.rs"));
        let (spec, place) = attribution().locate(&diagnostic).unwrap();
        assert_eq!(spec, 0);
        assert_eq!(
            diagnostic.one_line(Some(place)),
            "error[E0277]: the trait bound `Pet: Deserialize<'de>` is not satisfied at group-2/src/petstore_yaml.rs:41:10"
        );
    }

    #[test]
    fn an_absolute_file_name_is_made_relative_to_the_workspace() {
        let line = ERROR_IN_DERIVE.replace(
            "\"file_name\":\"/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde-1.0.219/src/de/mod.rs\",\"is_primary\":true",
            "\"file_name\":\"/work/target/conformance/group-2/src/stripe_yaml.rs\",\"is_primary\":true",
        );
        let Some(Message::Diagnostic(diagnostic)) = parse_message(&line) else {
            panic!("not a diagnostic");
        };
        assert_eq!(
            attribution().locate(&diagnostic).map(|(spec, _)| spec),
            Some(1)
        );
        assert_eq!(
            diagnostic.one_line(None),
            "error[E0277]: the trait bound `Pet: Deserialize<'de>` is not satisfied at /work/target/conformance/group-2/src/stripe_yaml.rs:3:1"
        );
    }

    /// Real output of `cargo check --message-format=json` on a crate of two modules: one
    /// derives `Deserialize` for a struct with a field that has none, the other has a
    /// mismatched type and an unused variable.
    const CHECK_OUTPUT: &str = include_str!("testdata/cargo-check.jsonl");

    #[test]
    fn real_output_is_attributed_to_modules() {
        let messages: Vec<Message> = CHECK_OUTPUT.lines().filter_map(parse_message).collect();
        assert_eq!(messages.last(), Some(&Message::Finished { success: false }));
        let diagnostics: Vec<&Diagnostic> = messages
            .iter()
            .filter_map(|message| match message {
                Message::Diagnostic(diagnostic) => Some(diagnostic),
                _ => None,
            })
            .collect();
        // The two "failure-note" summaries are not diagnostics.
        assert_eq!(diagnostics.len(), 5);
        let attribution = Attribution::new(
            Path::new("/work/target/conformance"),
            HashMap::from([
                ("round1-group1/src/petstore_yaml.rs".to_owned(), 0),
                ("round1-group1/src/stripe_yaml.rs".to_owned(), 1),
            ]),
        );
        let located: Vec<(usize, Severity, String)> = diagnostics
            .iter()
            .map(|diagnostic| {
                let (spec, place) = attribution.locate(diagnostic).unwrap();
                (spec, diagnostic.severity, diagnostic.one_line(Some(place)))
            })
            .collect();
        assert_eq!(
            located[0],
            (
                0,
                Severity::Error,
                "error[E0277]: the trait bound `Owner: serde::Deserialize<'de>` is not satisfied at round1-group1/src/petstore_yaml.rs:4:29".to_owned()
            )
        );
        assert_eq!(
            located[3],
            (
                1,
                Severity::Error,
                "error[E0308]: mismatched types at round1-group1/src/stripe_yaml.rs:2:20"
                    .to_owned()
            )
        );
        assert_eq!(located[4].0, 1);
        assert_eq!(located[4].1, Severity::Warning);
        assert!(diagnostics
            .iter()
            .all(|diagnostic| diagnostic.crate_name == "round1_group1"));
    }

    #[test]
    fn a_warning_and_the_summaries() {
        let warning = r#"{"reason":"compiler-message","target":{"name":"group_1"},"message":{"level":"warning","message":"unused variable: `x`","code":{"code":"unused_variables"},"spans":[{"file_name":"group-1/src/a.rs","is_primary":true,"line_start":3,"column_start":9,"expansion":null}]}}"#;
        let Some(Message::Diagnostic(diagnostic)) = parse_message(warning) else {
            panic!("not a diagnostic");
        };
        assert_eq!(diagnostic.severity, Severity::Warning);
        assert_eq!(
            diagnostic.one_line(None),
            "warning[unused_variables]: unused variable: `x` at group-1/src/a.rs:3:9"
        );
        assert_eq!(attribution().locate(&diagnostic), None);

        let aborting = r#"{"reason":"compiler-message","target":{"name":"group_1"},"message":{"level":"error","message":"aborting due to 2 previous errors","code":null,"spans":[]}}"#;
        assert_eq!(parse_message(aborting), None);
        let emitted = r#"{"reason":"compiler-message","target":{"name":"group_1"},"message":{"level":"warning","message":"3 warnings emitted","code":null,"spans":[]}}"#;
        assert_eq!(parse_message(emitted), None);
    }

    #[test]
    fn artifacts_and_the_end_of_the_build() {
        let artifact =
            r#"{"reason":"compiler-artifact","target":{"name":"group_1"},"fresh":false}"#;
        assert_eq!(
            parse_message(artifact),
            Some(Message::Compiled {
                crate_name: "group_1".to_owned()
            })
        );
        assert_eq!(
            parse_message(r#"{"reason":"build-finished","success":false}"#),
            Some(Message::Finished { success: false })
        );
        assert_eq!(parse_message("   Compiling tether"), None);
    }
}
