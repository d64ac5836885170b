//! Build time of a generated client: `cargo build` (debug) of a crate that holds nothing but
//! the whole generated client, its dependencies already built, tether against progenitor
//! 0.15 on the same spec where progenitor generates one. Also the generated line count, and
//! Stripe's client built from a fraction of its operations, to show that selecting
//! operations makes the build proportionally cheaper. tether's operation methods are
//! `#[inline]`, so their machine code is built where they are used: for each whole tether
//! client, a crate that sends every operation is built too, and its cost is added to the
//! client's in a table of its own.
//!
//! The crates are written under `bench/target/build-bench/`, one cargo workspace per
//! generator so that each builds its dependencies once, first, through a member that has the
//! same dependencies and no code. Each measured build first runs `cargo clean -p <crate>` (so rustc
//! builds the client from nothing, as after a spec change) and times `cargo build -p
//! <crate>`. Crates take turns, round after round, and the medians of the wall time and of
//! the CPU time (cargo and rustc, user + system) are reported.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin compile`
//! (`RUNS=n` for another number of rounds than 3; `BUILD_SPECS=all` adds GitHub and
//! Kubernetes, which only tether generates.)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tether_bench::generators;
use tether_bench::{children_cpu, corpus_spec, median, ratio, runs, show};
use tether_codegen::Selection;

const RUNS: usize = 3;

/// One crate to build: a generated client.
struct SpecCrate {
    /// The cargo package name.
    name: String,
    /// What the row says: the spec, and the selection if not everything.
    label: String,
    /// The spec's path inside the corpus.
    spec: &'static str,
    generator: Generator,
    /// Lines of the generated source.
    lines: usize,
    /// How many operations it holds.
    operations: usize,
    role: Role,
}

/// What a crate of the benchmark is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The whole client of a spec.
    Client,
    /// A client of a share of the spec's operations.
    Share,
    /// A crate that depends on the whole tether client and sends every operation: the
    /// client's methods are `#[inline]`, so their machine code is built where they are
    /// used, and this is where.
    Caller,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Generator {
    Tether,
    Progenitor,
}

impl Generator {
    fn name(self) -> &'static str {
        match self {
            Generator::Tether => "tether",
            Generator::Progenitor => "progenitor",
        }
    }
}

/// The full specs built by default, and the extra ones of `BUILD_SPECS=all`.
const SPECS: [&str; 2] = ["oxide/nexus.json", "stripe/spec3.yaml"];
const MORE_SPECS: [&str; 2] = ["github/api.github.com.json", "kubernetes/swagger.json"];

/// Shares of Stripe's operations built on their own, in percent.
const STRIPE_SHARES: [usize; 1] = [10];

/// The targets: at most a third of progenitor's build time, the full Stripe client under
/// 30 s on a 2-core machine.
const TARGET_RATIO: f64 = 1.0 / 3.0;
const TARGET_STRIPE: Duration = Duration::from_secs(30);

fn main() {
    let runs = runs(RUNS);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/build-bench");
    let runtime = match std::env::var_os("TETHER_RUNTIME") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime"),
    };
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let mut specs: Vec<&'static str> = SPECS.to_vec();
    if std::env::var("BUILD_SPECS").is_ok_and(|specs| specs == "all") {
        specs.extend(MORE_SPECS);
    }

    let mut crates = Vec::new();
    let mut failures = Vec::new();
    for spec in specs {
        let Some(path) = corpus_spec(spec) else {
            continue;
        };
        let short = short_name(spec);
        match write_tether_crate(&root, &runtime, &short, spec, &path, &Selection::default()) {
            Ok(spec_crate) => {
                crates.push(spec_crate);
                match write_tether_caller(&root, &runtime, &short, spec, &path) {
                    Ok(caller) => crates.push(caller),
                    Err(error) => failures.push(format!("caller of tether on {spec}: {error}")),
                }
            }
            Err(error) => failures.push(format!("tether on {spec}: {error}")),
        }
        match write_progenitor_crate(&root, &short, spec, &path) {
            Ok(spec_crate) => crates.push(spec_crate),
            Err(error) => failures.push(format!("progenitor on {spec}: {}", first_line(&error))),
        }
        if spec == "stripe/spec3.yaml" {
            let ids: Vec<String> = generators::tether_operations(&path)
                .unwrap_or_default()
                .into_iter()
                .map(|operation| operation.id.to_string())
                .collect();
            for share in STRIPE_SHARES {
                let count = (ids.len() * share).div_ceil(100);
                let selection = Selection {
                    operations: ids[..count].to_vec(),
                    ..Selection::default()
                };
                let name = format!("{short}-{share}pct");
                match write_tether_crate(&root, &runtime, &name, spec, &path, &selection) {
                    Ok(mut spec_crate) => {
                        spec_crate.label = format!("{spec}, first {share}% of operations");
                        spec_crate.role = Role::Share;
                        crates.push(spec_crate);
                    }
                    Err(error) => failures.push(format!("tether on {spec} ({share}%): {error}")),
                }
            }
        }
    }
    for generator in [Generator::Tether, Generator::Progenitor] {
        let workspace = root.join(generator.name());
        // A member with the generated crates' dependencies and no code: building it warms
        // every dependency without building a client.
        let warm = format!("{}-dependencies", generator.name());
        let dependencies = match generator {
            Generator::Tether => tether_dependencies(&runtime),
            Generator::Progenitor => PROGENITOR_DEPENDENCIES.to_owned(),
        };
        let mut members: Vec<&str> = crates
            .iter()
            .filter(|spec_crate| spec_crate.generator == generator)
            .map(|spec_crate| spec_crate.name.as_str())
            .collect();
        members.push(&warm);
        let written = write_crate(&workspace, &warm, &dependencies, "")
            .and_then(|()| write_workspace(&workspace, &members));
        if let Err(error) = written {
            eprintln!("cannot write the {} workspace: {error}", generator.name());
            return;
        }
        eprintln!("warming {} ...", workspace.display());
        let started = Instant::now();
        let warmed = cargo(&workspace, &["build", "-p", &warm]);
        eprintln!(
            "  {} in {}",
            if warmed.is_ok() { "built" } else { "failed" },
            show(started.elapsed())
        );
        if let Err(error) = warmed {
            failures.push(format!(
                "{} dependencies do not build:\n{error}",
                generator.name()
            ));
            crates.retain(|spec_crate| spec_crate.generator != generator);
        }
    }

    let mut builds = vec![Vec::new(); crates.len()];
    for round in 1..=runs {
        for (index, spec_crate) in crates.iter().enumerate() {
            let workspace = root.join(spec_crate.generator.name());
            let name = spec_crate.name.as_str();
            eprintln!(
                "round {round}/{runs}: {} ({})",
                spec_crate.label,
                spec_crate.generator.name()
            );
            if let Err(error) = cargo(&workspace, &["clean", "-p", name]) {
                failures.push(format!("cargo clean -p {name}: {error}"));
                continue;
            }
            match timed_build(&workspace, name) {
                Ok(time) => builds[index].push(time),
                Err(error) => failures.push(error),
            }
        }
    }
    let builds: Vec<BuildTime> = builds.into_iter().map(medians).collect();
    report(&crates, &builds, runs);
    for failure in failures {
        println!("\n{failure}");
    }
}

/// The tables: tether against progenitor per spec, then the selections.
fn report(crates: &[SpecCrate], builds: &[BuildTime], runs: usize) {
    let find_role = |spec: &str, generator: Generator, role: Role| {
        crates.iter().position(|spec_crate| {
            spec_crate.spec == spec && spec_crate.generator == generator && spec_crate.role == role
        })
    };
    let find = |spec: &str, generator: Generator| find_role(spec, generator, Role::Client);
    println!("## Build: `cargo build` (debug) of the crate holding the generated client, dependencies built (median of {runs})\n");
    println!("Wall time, and CPU time (user + system) of cargo and rustc, which moves less with the load of the machine.\n");
    println!("| spec | operations | tether wall | progenitor wall | tether / progenitor (wall) | tether CPU | progenitor CPU | tether / progenitor (CPU) | target ≤ 0.33 | tether lines | progenitor lines |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut specs: Vec<&str> = crates.iter().map(|spec_crate| spec_crate.spec).collect();
    specs.dedup();
    for spec in specs {
        let Some(tether) = find(spec, Generator::Tether) else {
            continue;
        };
        let progenitor = find(spec, Generator::Progenitor);
        let verdict = match progenitor {
            Some(progenitor) => {
                let over = builds[tether].cpu.as_secs_f64() / builds[progenitor].cpu.as_secs_f64();
                if over <= TARGET_RATIO {
                    "met"
                } else {
                    "missed"
                }
                .to_owned()
            }
            None => "no peer".to_owned(),
        };
        let verdict = if spec == "stripe/spec3.yaml" {
            let stripe = if builds[tether].cpu <= TARGET_STRIPE {
                "met"
            } else {
                "missed"
            };
            format!("{verdict}; < 30 s CPU: {stripe}")
        } else {
            verdict
        };
        let peer = |figure: fn(&BuildTime) -> Duration| {
            progenitor.map_or("fails".to_owned(), |index| show(figure(&builds[index])))
        };
        let over = |figure: fn(&BuildTime) -> Duration| {
            progenitor.map_or("—".to_owned(), |index| {
                ratio(figure(&builds[tether]), figure(&builds[index]))
            })
        };
        println!(
            "| {spec} | {} | {} | {} | {} | {} | {} | {} | {verdict} | {} | {} |",
            crates[tether].operations,
            show(builds[tether].wall),
            peer(|build| build.wall),
            over(|build| build.wall),
            show(builds[tether].cpu),
            peer(|build| build.cpu),
            over(|build| build.cpu),
            crates[tether].lines,
            progenitor.map_or("—".to_owned(), |index| crates[index].lines.to_string()),
        );
    }
    println!("\n### Where the client is used: tether's client and a crate sending every operation, against progenitor's client (median of {runs})\n");
    println!("tether's operation methods are `#[inline]`: a crate holding the client type-checks it, and the machine code of an operation is built in the crate that sends it. These rows add the cost of a crate that sends every operation (a fn pointer to each builder's `into_future`) to the client's; progenitor builds all of its machine code in the client crate.\n");
    println!("| spec | tether client CPU | every operation sent, CPU | tether total CPU | progenitor client CPU | tether total / progenitor |");
    println!("|---|---|---|---|---|---|");
    for spec in crates
        .iter()
        .map(|spec_crate| spec_crate.spec)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (Some(client), Some(caller)) = (
            find(spec, Generator::Tether),
            find_role(spec, Generator::Tether, Role::Caller),
        ) else {
            continue;
        };
        let total = builds[client].cpu + builds[caller].cpu;
        let progenitor = find(spec, Generator::Progenitor);
        println!(
            "| {spec} | {} | {} | {} | {} | {} |",
            show(builds[client].cpu),
            show(builds[caller].cpu),
            show(total),
            progenitor.map_or("fails".to_owned(), |index| show(builds[index].cpu)),
            progenitor.map_or("—".to_owned(), |index| ratio(total, builds[index].cpu)),
        );
    }
    let Some(whole) = find("stripe/spec3.yaml", Generator::Tether) else {
        return;
    };
    println!("\n### Selecting operations: tether on Stripe (median of {runs})\n");
    println!("| operations | lines | wall | CPU | CPU / full build's | lines / full lines |");
    println!("|---|---|---|---|---|---|");
    let mut rows: Vec<usize> = crates
        .iter()
        .enumerate()
        .filter(|(_, spec_crate)| {
            spec_crate.spec == "stripe/spec3.yaml"
                && spec_crate.generator == Generator::Tether
                && spec_crate.role != Role::Caller
        })
        .map(|(index, _)| index)
        .collect();
    rows.sort_by_key(|&index| crates[index].operations);
    for index in rows {
        println!(
            "| {} of {} | {} | {} | {} | {} | {:.2} |",
            crates[index].operations,
            crates[whole].operations,
            crates[index].lines,
            show(builds[index].wall),
            show(builds[index].cpu),
            ratio(builds[index].cpu, builds[whole].cpu),
            crates[index].lines as f64 / crates[whole].lines as f64,
        );
    }
}

/// Writes a crate holding tether's client of `path` for `selection`.
fn write_tether_crate(
    root: &Path,
    runtime: &Path,
    name: &str,
    spec: &'static str,
    path: &Path,
    selection: &Selection,
) -> Result<SpecCrate, String> {
    let source = generators::tether(path, selection)?;
    let operations = match selection.operations.len() {
        0 => generators::tether_operations(path)?.len(),
        selected => selected,
    };
    write_crate(
        &root.join("tether"),
        name,
        &tether_dependencies(runtime),
        &source,
    )
    .map_err(|error| error.to_string())?;
    Ok(SpecCrate {
        name: name.to_owned(),
        label: spec.to_owned(),
        spec,
        generator: Generator::Tether,
        lines: source.lines().count(),
        operations,
        role: Role::Client,
    })
}

/// Writes a crate that depends on tether's whole client `client` of `path` and sends every
/// operation, so that each one's machine code is built.
fn write_tether_caller(
    root: &Path,
    runtime: &Path,
    client: &str,
    spec: &'static str,
    path: &Path,
) -> Result<SpecCrate, String> {
    let operations = generators::tether_operations(path)?;
    let library = client.replace('-', "_");
    let mut source = String::from(
        "//! Every operation of the client, sent: the machine code of each is built here.\n\npub fn every_operation() -> Vec<*const ()> {\n    vec![\n",
    );
    for operation in &operations {
        let _ = writeln!(
            source,
            "        <{library}::{} as ::std::future::IntoFuture>::into_future as *const (),",
            operation.builder_name
        );
    }
    source.push_str("    ]\n}\n");
    let name = format!("{client}-every-call");
    let dependencies = format!(
        "{}{client} = {{ path = {} }}\n",
        tether_dependencies(runtime),
        toml_string(&format!("../{client}"))
    );
    write_crate(&root.join("tether"), &name, &dependencies, &source)
        .map_err(|error| error.to_string())?;
    Ok(SpecCrate {
        name,
        label: format!("{spec}, a crate sending every operation"),
        spec,
        generator: Generator::Tether,
        lines: source.lines().count(),
        operations: operations.len(),
        role: Role::Caller,
    })
}

/// The one dependency of tether's generated code: the runtime, by path.
fn tether_dependencies(runtime: &Path) -> String {
    format!(
        "tether = {{ path = {} }}\n",
        toml_string(&runtime.to_string_lossy())
    )
}

/// The dependencies of progenitor's generated code, as its README and its own build tests
/// list them.
const PROGENITOR_DEPENDENCIES: &str = r#"progenitor-client = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
chrono = { version = "0.4", default-features = false, features = ["serde"] }
uuid = { version = "1", features = ["serde", "v4"] }
futures = "0.3"
futures-core = "0.3"
bytes = "1"
regress = "0.12"
percent-encoding = "2"
base64 = "0.22"
rand = "0.10"
"#;

/// Writes a crate holding progenitor's client of `path`.
fn write_progenitor_crate(
    root: &Path,
    name: &str,
    spec: &'static str,
    path: &Path,
) -> Result<SpecCrate, String> {
    let source = generators::progenitor(path)?;
    let operations = generators::tether_operations(path)?.len();
    write_crate(
        &root.join("progenitor"),
        name,
        PROGENITOR_DEPENDENCIES,
        &source,
    )
    .map_err(|error| error.to_string())?;
    Ok(SpecCrate {
        name: name.to_owned(),
        label: spec.to_owned(),
        spec,
        generator: Generator::Progenitor,
        lines: source.lines().count(),
        operations,
        role: Role::Client,
    })
}

/// Writes `workspace/name` with `source` as its `src/lib.rs`, leaving it untouched when it
/// already holds the same source (so a rerun does not rebuild it for nothing).
fn write_crate(
    workspace: &Path,
    name: &str,
    dependencies: &str,
    source: &str,
) -> std::io::Result<()> {
    let directory = workspace.join(name);
    std::fs::create_dir_all(directory.join("src"))?;
    let manifest = format!(
        "[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\ndoctest = false\n\n[lints.rust]\nwarnings = \"allow\"\n\n[dependencies]\n{dependencies}",
        toml_string(name)
    );
    write_if_changed(&directory.join("Cargo.toml"), &manifest)?;
    write_if_changed(&directory.join("src/lib.rs"), source)
}

fn write_workspace(workspace: &Path, members: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(workspace)?;
    let mut manifest = String::from(
        "# Written by tether's compile benchmark.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(manifest, "    {},", toml_string(member));
    }
    manifest.push_str("]\n");
    write_if_changed(&workspace.join("Cargo.toml"), &manifest)
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents)
}

/// How long a build took: wall time, and the CPU time of cargo and the compilers it ran.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct BuildTime {
    wall: Duration,
    cpu: Duration,
}

/// `cargo build -p name`, timed.
fn timed_build(workspace: &Path, name: &str) -> Result<BuildTime, String> {
    let (started, cpu) = (Instant::now(), children_cpu());
    cargo(workspace, &["build", "-p", name])?;
    Ok(BuildTime {
        wall: started.elapsed(),
        cpu: children_cpu().saturating_sub(cpu),
    })
}

/// The median wall time and the median CPU time of some builds.
fn medians(builds: Vec<BuildTime>) -> BuildTime {
    BuildTime {
        wall: median(builds.iter().map(|build| build.wall).collect()),
        cpu: median(builds.iter().map(|build| build.cpu).collect()),
    }
}

/// Runs cargo in `workspace`; its error output when it fails.
fn cargo(workspace: &Path, arguments: &[&str]) -> Result<(), String> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(arguments)
        .arg("--quiet")
        .current_dir(workspace)
        // The benchmark's own target directory must not capture the generated crates'.
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let errors = String::from_utf8_lossy(&output.stderr);
        Err(errors.lines().take(40).collect::<Vec<_>>().join("\n"))
    }
}

/// `oxide/nexus.json` → `nexus`, a package name.
fn short_name(spec: &str) -> String {
    let file = spec.rsplit('/').next().unwrap_or(spec);
    let stem = file.split('.').next().unwrap_or(file);
    let directory = spec.split('/').next().unwrap_or(spec);
    match stem {
        "spec3" | "swagger" | "api" => directory.to_owned(),
        stem => stem.to_owned(),
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect()
}
