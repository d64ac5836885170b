//! Shared pieces of the benchmarks: a loopback server, memory readings, medians.

use std::time::Duration;

/// The process's resident memory now, in KiB (Linux), from `/proc/self/status`.
pub fn resident_kib() -> u64 {
    status_field("VmRSS:")
}

fn status_field(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(name))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user and system) of the child processes this process has waited for, from
/// `/proc/self/stat` (Linux). On a machine shared with other builds, the CPU time a build
/// takes moves much less than its wall time, which waits for the cores.
pub fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // cutime and cstime are fields 16 and 17 of the line, in clock ticks of 1/100 s.
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&index| {
            fields
                .get(index)
                .and_then(|field| field.parse::<u64>().ok())
        })
        .sum();
    Duration::from_millis(ticks * 10)
}

/// How many rounds a benchmark makes: `RUNS` from the environment, or `default`.
pub fn runs(default: usize) -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(default)
}

/// The median of some durations.
pub fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

/// The lower quartile, the median and the upper quartile of some ratios, each the value at
/// or just below its rank (of 15 rounds, the 4th, 8th and 11th smallest; of an even number
/// the lower of the two middle values is the median).
pub fn quartiles(mut ratios: Vec<f64>) -> (f64, f64, f64) {
    ratios.sort_by(f64::total_cmp);
    let at = |quarter: usize| {
        let last = ratios.len().saturating_sub(1);
        ratios.get(last * quarter / 4).copied().unwrap_or(f64::NAN)
    };
    (at(1), at(2), at(3))
}

/// Starts `router` on a loopback port and returns its origin.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let origin = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    origin
}

/// Starts `router` on a loopback port, served by a thread of its own with its own runtime,
/// and returns its origin. The clients measured then run on the caller's runtime alone,
/// as they would against a provider elsewhere: in one multi-threaded runtime, where the
/// client's and the server's tasks landed decided a client's cost for a whole run.
pub fn serve_on_own_thread(router: axum::Router) -> String {
    let (origin_sender, origin) = std::sync::mpsc::channel();
    let server = std::thread::Builder::new().name("server".to_owned());
    let started = server.spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        runtime.block_on(async move {
            let origin = serve(router).await;
            origin_sender
                .send(origin)
                .expect("the caller waits for the origin");
            std::future::pending::<()>().await;
        });
    });
    started.expect("a thread for the server");
    origin.recv().expect("the server thread starts")
}

/// The process's peak resident memory so far, in KiB (Linux), from `/proc/self/status`.
pub fn peak_resident_kib() -> u64 {
    status_field("VmHWM:")
}

/// What `work` makes, and how long it takes (what it makes is dropped outside that time).
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = std::time::Instant::now();
    let made = std::hint::black_box(work());
    (made, started.elapsed())
}

/// Runs each of `contenders` once per round, for `rounds` rounds, and returns the median
/// time each reports. Interleaving spreads the noise of a shared machine over all
/// contenders alike, so their ratios hold even when the absolute times drift. A contender
/// reports its own time: one that runs in a process of its own reports the time measured
/// there, without the process's start.
pub fn interleaved_self_timed(
    rounds: usize,
    contenders: &mut [Box<dyn FnMut() -> Duration + '_>],
) -> Vec<Duration> {
    let mut times = vec![Vec::with_capacity(rounds); contenders.len()];
    for _ in 0..rounds.max(1) {
        for (contender, times) in contenders.iter_mut().zip(&mut times) {
            times.push(contender());
        }
    }
    times.into_iter().map(median).collect()
}

/// The specs of the performance issue, as paths inside the corpus.
pub const CORPUS_SPECS: [&str; 4] = [
    "oxide/nexus.json",
    "github/api.github.com.json",
    "stripe/spec3.yaml",
    "kubernetes/swagger.json",
];

/// The corpus of real specs: `$TETHER_CORPUS`, or `../shared/corpus` beside the repository.
/// Specs are read in place, never copied.
pub fn corpus() -> std::path::PathBuf {
    match std::env::var_os("TETHER_CORPUS") {
        Some(path) => path.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

/// The corpus spec at `relative`, or `None` (after saying so) when it is absent.
pub fn corpus_spec(relative: &str) -> Option<std::path::PathBuf> {
    let path = corpus().join(relative);
    if path.is_file() {
        Some(path)
    } else {
        println!("skipped {relative}: {} is absent", path.display());
        None
    }
}

/// A duration as seconds with three decimals, or milliseconds below one second.
pub fn show(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{:.1} ms", seconds * 1000.0)
    }
}

/// `a / b` as a ratio with two decimals.
pub fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}", a.as_secs_f64() / b.as_secs_f64())
}

/// The message a panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// The two generators compared: tether's and progenitor's, each from a spec file to
/// formatted source.
pub mod generators {
    use std::path::Path;

    use tether_codegen::{EmitOptions, Selection};

    /// tether: spec file → tokens → formatted source, for the operations of `selection`.
    pub fn tether(path: &Path, selection: &Selection) -> Result<String, String> {
        tether_codegen::generate_source(path, selection, &EmitOptions::default())
            .map_err(|error| error.to_string())
    }

    /// Every operation tether generates for the spec, in spec order.
    pub fn tether_operations(path: &Path) -> Result<Vec<tether_codegen::ir::Operation>, String> {
        let generated =
            tether_codegen::generate(path, &Selection::default(), &EmitOptions::default())
                .map_err(|error| error.to_string())?;
        Ok(generated.api.operations)
    }

    /// progenitor 0.15 with its default settings: spec file → `openapiv3::OpenAPI` →
    /// tokens → formatted source. A panic inside progenitor is an `Err` with its message.
    pub fn progenitor(path: &Path) -> Result<String, String> {
        let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
        let spec: openapiv3::OpenAPI = if is_yaml(path) {
            serde_yaml_ng::from_str(&text).map_err(|error| format!("not OpenAPI 3: {error}"))?
        } else {
            serde_json::from_str(&text).map_err(|error| format!("not OpenAPI 3: {error}"))?
        };
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let generated = std::panic::catch_unwind(|| {
            let mut generator =
                progenitor::Generator::new(&progenitor::GenerationSettings::default());
            generator.generate_tokens(&spec)
        });
        std::panic::set_hook(quiet);
        let tokens = match generated {
            Ok(Ok(tokens)) => tokens,
            Ok(Err(error)) => return Err(error.to_string()),
            Err(panic) => return Err(format!("panics: {}", super::panic_message(&*panic))),
        };
        let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
        Ok(prettyplease::unparse(&file))
    }

    /// The floor: the same file parsed by serde into a generic value, nothing else.
    pub fn serde_floor(path: &Path) -> Result<usize, String> {
        let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
        if is_yaml(path) {
            let value: serde_yaml_ng::Value =
                serde_yaml_ng::from_str(&text).map_err(|error| error.to_string())?;
            Ok(value.as_mapping().map_or(0, |mapping| mapping.len()))
        } else {
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|error| error.to_string())?;
            Ok(value.as_object().map_or(0, |object| object.len()))
        }
    }

    /// Whether the spec is YAML, by its extension.
    pub fn is_yaml(path: &Path) -> bool {
        matches!(
            path.extension().and_then(|extension| extension.to_str()),
            Some("yaml" | "yml")
        )
    }
}
