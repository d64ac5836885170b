//! The run's report: one row per spec, as a table for people and as JSON for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::check::{CheckedCrate, Verdict};
use super::generation::Generation;
use super::manifest::Entry;
use super::reasons;

/// What a spec's check time means (the crates are checked whole, not module by module).
pub const CHECK_SECONDS_MEANING: &str =
    "rustc's wall time for the spec's crate times the spec's share of the crate's generated lines";

/// Errors kept per spec in the JSON (the count is always complete).
const ERRORS_KEPT: usize = 20;

/// Reasons shown per spec in the table (the JSON has them all).
const REASONS_SHOWN: usize = 2;

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The corpus directory.
    pub corpus: String,
    /// Specs that generated and compiled.
    pub passed: usize,
    /// Specs that did not.
    pub failed: usize,
    /// Wall time of the whole run.
    pub wall_seconds: f64,
    /// Wall time of generating every spec.
    pub generation_seconds: f64,
    /// Wall time of every cargo check.
    pub check_seconds: f64,
    /// What a spec's `check_seconds` means.
    pub check_seconds_meaning: &'static str,
    /// One row per spec, in manifest order.
    pub specs: Vec<SpecReport>,
    /// The crates the modules were checked in.
    pub crates: Vec<CrateReport>,
    /// Degradations of every spec, by reason.
    pub degradations_by_reason: Vec<Count>,
    /// Warnings rustc gave on generated code, by reason.
    pub warnings_by_reason: Vec<Count>,
}

/// A reason and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The reason, specifics that vary replaced by `…`.
    pub reason: String,
    /// How often.
    pub count: usize,
}

/// Whether a spec passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    /// Generated, and the generated code compiles.
    Pass,
    /// Generation failed, or the code does not compile.
    Fail,
}

/// Where a spec failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// `tether_codegen::generate` returned an error or panicked.
    Generation,
    /// The generated code does not compile.
    Check,
}

/// One spec's row.
#[derive(Debug, Serialize)]
pub struct SpecReport {
    /// The root document, relative to the corpus.
    pub path: String,
    /// Who publishes the API.
    pub provider: String,
    /// The spec version as the manifest gives it.
    pub format: String,
    /// Operations in the spec, as the manifest counts them.
    pub operations_in_spec: usize,
    /// Operations in the generated client.
    pub operations_generated: Option<usize>,
    /// How many notes generation left (constructs accepted in a weaker form).
    pub degraded: usize,
    /// The notes by reason, most frequent first.
    pub degraded_reasons: Vec<Count>,
    /// The list operations with pagination detected, by style (`98 (has-more 98)`).
    pub pagination: Option<String>,
    /// Wall time of generating and formatting, in milliseconds.
    pub generation_ms: f64,
    /// Lines of the formatted module.
    pub generated_lines: Option<usize>,
    /// The crate its module was last checked in.
    pub check_crate: Option<String>,
    /// Its check time, see [`Report::check_seconds_meaning`].
    pub check_seconds: Option<f64>,
    /// Warnings rustc gave on its module.
    pub warnings: usize,
    /// PASS or FAIL.
    pub result: Outcome,
    /// Where it failed.
    pub failed_in: Option<Stage>,
    /// The first error, on one line.
    pub first_error: Option<String>,
    /// How many errors.
    pub error_count: usize,
    /// The first errors, one line each.
    pub errors: Vec<String>,
}

impl SpecReport {
    /// The row of `entry`, from its generation and, when it generated, its check.
    pub fn new(entry: &Entry, generation: &Generation, verdict: Option<&Verdict>) -> Self {
        let module = generation.module.as_ref().ok();
        let notes = module
            .map(|module| module.notes.as_slice())
            .unwrap_or_default();
        let (result, failed_in, errors) = match (&generation.module, verdict) {
            (Err(error), _) => (Outcome::Fail, Some(Stage::Generation), vec![error.clone()]),
            (Ok(_), Some(verdict)) if verdict.passed => (Outcome::Pass, None, Vec::new()),
            (Ok(_), Some(verdict)) => (Outcome::Fail, Some(Stage::Check), verdict.errors.clone()),
            (Ok(_), None) => (
                Outcome::Fail,
                Some(Stage::Check),
                vec!["the module was not checked".to_owned()],
            ),
        };
        SpecReport {
            path: entry.path.clone(),
            provider: entry.provider.clone(),
            format: entry.format.clone(),
            operations_in_spec: entry.operations,
            operations_generated: module.map(|module| module.operations),
            degraded: notes.len(),
            degraded_reasons: counts(reasons::by_reason(
                notes.iter().map(|note| note.message.as_str()),
            )),
            pagination: module.map(|module| module.pagination.clone()),
            generation_ms: generation.millis,
            generated_lines: module.map(|module| module.lines),
            check_crate: verdict.map(|verdict| verdict.crate_name.clone()),
            check_seconds: verdict.and_then(|verdict| verdict.check_seconds),
            warnings: verdict.map_or(0, |verdict| verdict.warnings.len()),
            result,
            failed_in,
            first_error: errors.first().map(|error| one_line(error)),
            error_count: errors.len(),
            errors: errors.into_iter().take(ERRORS_KEPT).collect(),
        }
    }
}

/// One crate's row.
#[derive(Debug, Serialize)]
pub struct CrateReport {
    /// Its directory under the work directory.
    pub name: String,
    /// The round it was checked in.
    pub round: usize,
    /// Its specs.
    pub specs: Vec<String>,
    /// Its generated lines.
    pub lines: usize,
    /// rustc's wall time for it.
    pub rustc_seconds: Option<f64>,
    /// Whether it compiled.
    pub compiled: bool,
}

impl CrateReport {
    /// The row of a checked crate; `path` names a spec by index.
    pub fn new(checked: &CheckedCrate, path: impl Fn(usize) -> String) -> Self {
        CrateReport {
            name: checked.name.clone(),
            round: checked.round,
            specs: checked.specs.iter().map(|&spec| path(spec)).collect(),
            lines: checked.lines,
            rustc_seconds: checked.rustc_seconds,
            compiled: checked.compiled,
        }
    }
}

/// Reason counts as report rows.
pub fn counts(reasons: Vec<(String, usize)>) -> Vec<Count> {
    reasons
        .into_iter()
        .map(|(reason, count)| Count { reason, count })
        .collect()
}

/// The first line of a message, with a mark when there is more.
fn one_line(message: &str) -> String {
    let mut lines = message.lines();
    let first = lines.next().unwrap_or_default().trim();
    match lines.count() {
        0 => first.to_owned(),
        more => format!("{first} (+{more} more lines)"),
    }
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(most.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// The report as a table, each spec's first error and main degradations under its row,
/// then a summary.
pub fn table(report: &Report) -> String {
    let headers = [
        "spec",
        "format",
        "ops",
        "generated",
        "degraded",
        "pagination",
        "gen ms",
        "check s",
        "result",
    ];
    let rows: Vec<[String; 9]> = report
        .specs
        .iter()
        .map(|spec| {
            let generated = match spec.operations_generated {
                Some(count) if count != spec.operations_in_spec => format!("{count} (≠)"),
                Some(count) => count.to_string(),
                None => "-".to_owned(),
            };
            [
                spec.path.clone(),
                spec.format.clone(),
                spec.operations_in_spec.to_string(),
                generated,
                spec.degraded.to_string(),
                spec.pagination.clone().unwrap_or_else(|| "-".to_owned()),
                format!("{:.0}", spec.generation_ms),
                spec.check_seconds
                    .map_or_else(|| "-".to_owned(), |seconds| format!("{seconds:.2}")),
                match spec.result {
                    Outcome::Pass => "PASS".to_owned(),
                    Outcome::Fail => "FAIL".to_owned(),
                },
            ]
        })
        .collect();
    let mut widths = headers.map(|header| header.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut line = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let padding = width - cell.chars().count();
            // Text left-aligned, numbers right-aligned.
            if matches!(index, 0 | 1 | 5 | 8) {
                let _ = write!(line, "{cell}{}  ", " ".repeat(padding));
            } else {
                let _ = write!(line, "{}{cell}  ", " ".repeat(padding));
            }
        }
        line.trim_end().to_owned()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(&headers.map(str::to_owned)));
    for (spec, row) in report.specs.iter().zip(&rows) {
        let _ = writeln!(out, "{}", line(row));
        if let Some(error) = &spec.first_error {
            let stage = match spec.failed_in {
                Some(Stage::Generation) => "generation failed",
                _ => "error",
            };
            let more = match spec.error_count {
                0 | 1 => String::new(),
                count => format!(" (1 of {count} errors)"),
            };
            let _ = writeln!(out, "    {stage}: {error}{more}");
        }
        if !spec.degraded_reasons.is_empty() {
            let shown: Vec<String> = spec
                .degraded_reasons
                .iter()
                .take(REASONS_SHOWN)
                .map(|count| format!("{}× {}", count.count, shorten(&count.reason, 90)))
                .collect();
            let _ = writeln!(out, "    degraded: {}", shown.join(" | "));
        }
    }
    out.push_str(&summary(report));
    out
}

fn summary(report: &Report) -> String {
    let mut out = String::new();
    let specs = report.specs.len();
    let _ = writeln!(
        out,
        "\n{specs} specs: {} PASS, {} FAIL",
        report.passed, report.failed
    );
    for spec in report
        .specs
        .iter()
        .filter(|spec| spec.result == Outcome::Fail)
    {
        let _ = writeln!(
            out,
            "  FAIL {}: {}",
            spec.path,
            spec.first_error.as_deref().unwrap_or("")
        );
    }
    let in_spec: usize = report
        .specs
        .iter()
        .map(|spec| spec.operations_in_spec)
        .sum();
    let generated: usize = report
        .specs
        .iter()
        .filter_map(|spec| spec.operations_generated)
        .sum();
    let differing: Vec<&str> = report
        .specs
        .iter()
        .filter(|spec| {
            spec.operations_generated
                .is_some_and(|count| count != spec.operations_in_spec)
        })
        .map(|spec| spec.path.as_str())
        .collect();
    let _ = writeln!(
        out,
        "operations: {generated} generated of {in_spec} in the specs; counts differ (≠) in {} specs{}",
        differing.len(),
        if differing.is_empty() { String::new() } else { format!(": {}", differing.join(", ")) }
    );
    let degraded: usize = report.specs.iter().map(|spec| spec.degraded).sum();
    let degraded_specs = report.specs.iter().filter(|spec| spec.degraded > 0).count();
    let _ = writeln!(
        out,
        "degraded: {degraded} notes in {degraded_specs} specs; most common:"
    );
    for count in report.degradations_by_reason.iter().take(8) {
        let _ = writeln!(out, "  {:>6}× {}", count.count, count.reason);
    }
    let warnings: usize = report.specs.iter().map(|spec| spec.warnings).sum();
    let _ = writeln!(out, "warnings on generated code: {warnings}");
    for count in report.warnings_by_reason.iter().take(5) {
        let _ = writeln!(out, "  {:>6}× {}", count.count, count.reason);
    }
    let paged: usize = report
        .specs
        .iter()
        .filter_map(|spec| spec.pagination.as_deref())
        .filter_map(|summary| summary.split(' ').next()?.parse::<usize>().ok())
        .sum();
    let _ = writeln!(
        out,
        "pagination: {paged} list operations paged (per spec in the table)"
    );
    let _ = writeln!(out, "crates:");
    for checked in &report.crates {
        let seconds = checked
            .rustc_seconds
            .map_or_else(|| "not run".to_owned(), |seconds| format!("{seconds:.1} s"));
        let _ = writeln!(
            out,
            "  {} ({} modules, {} lines): {seconds}, {}",
            checked.name,
            checked.specs.len(),
            checked.lines,
            if checked.compiled {
                "compiled"
            } else {
                "failed"
            }
        );
    }
    let _ = writeln!(out, "check s = {CHECK_SECONDS_MEANING}");
    let _ = writeln!(
        out,
        "time: generation {:.1} s, cargo check {:.1} s, whole run {:.1} s",
        report.generation_seconds, report.check_seconds, report.wall_seconds
    );
    out
}
