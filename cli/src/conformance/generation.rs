//! Generating one spec's module for the run: timed, and with a generator error or panic
//! kept as that spec's result, so that one bad spec does not end the run.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use tether_codegen::{EmitOptions, Note, Selection};

/// The formatted module generated for one spec.
#[derive(Debug, Clone)]
pub struct Module {
    /// The pretty-printed items.
    pub source: String,
    /// Lines of `source`.
    pub lines: usize,
    /// How many operations the client has.
    pub operations: usize,
    /// The list operations that page, by style (`98 (has-more 98)`), or `-`.
    pub pagination: String,
    /// What degraded while generating.
    pub notes: Vec<Note>,
}

/// The outcome of generating one spec.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Wall time of generating and formatting, in milliseconds.
    pub millis: f64,
    /// The module, or why there is none.
    pub module: Result<Module, String>,
}

/// Generates the client for the spec at `path` (with its sandbox when `sandbox`) and
/// formats it.
pub fn generate(path: &Path, sandbox: bool) -> Generation {
    let started = Instant::now();
    let options = EmitOptions {
        sandbox,
        ..EmitOptions::default()
    };
    let module = catching_panics(|| {
        let generated = tether_codegen::generate(path, &Selection::default(), &options)
            .map_err(|error| error.to_string())?;
        let source = tether_codegen::pretty(&generated.code);
        Ok(Module {
            lines: source.lines().count(),
            source,
            operations: generated.api.operations.len(),
            pagination: pagination_summary(&generated.api),
            notes: generated.api.notes,
        })
    })
    .and_then(|module| module);
    Generation {
        millis: started.elapsed().as_secs_f64() * 1000.0,
        module,
    }
}

/// Runs `work`, turning a panic into an error that says where the generator panicked.
fn catching_panics<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    // The hook runs on the panicking thread before unwinding; it keeps the location,
    // which the payload alone does not have, and keeps the default hook's report off
    // stderr, since the message becomes the spec's result.
    static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    panic::set_hook(previous);
    result.map_err(|payload| {
        let recorded = LAST_PANIC.lock().ok().and_then(|mut last| last.take());
        let message = recorded.unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned())
        });
        format!(
            "the generator panicked: {}",
            message.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    })
}

/// `98 (has-more 98)`: the operations that page, by style; `-` when none do.
fn pagination_summary(api: &tether_codegen::ir::Api) -> String {
    let mut styles: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for pagination in api
        .operations
        .iter()
        .filter_map(|operation| operation.pagination.as_ref())
    {
        *styles.entry(pagination.next.style()).or_default() += 1;
    }
    if styles.is_empty() {
        return "-".to_owned();
    }
    let total: usize = styles.values().sum();
    let parts: Vec<String> = styles
        .iter()
        .map(|(style, count)| format!("{style} {count}"))
        .collect();
    format!("{total} ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_location() {
        let error = catching_panics(|| -> u8 { panic!("no schema at {}", "/x") }).unwrap_err();
        assert!(
            error.starts_with("the generator panicked: panicked at "),
            "{error}"
        );
        assert!(error.contains("generation.rs"), "{error}");
        assert!(error.contains("no schema at /x"), "{error}");
        assert_eq!(catching_panics(|| 7), Ok(7));
    }

    #[test]
    fn a_missing_spec_is_a_failed_generation() {
        let generation = generate(Path::new("/nonexistent/tether/spec.yaml"), false);
        assert!(generation.module.is_err());
    }
}
