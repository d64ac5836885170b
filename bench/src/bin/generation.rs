//! Generation time, spec file → generated source → formatted source, for the four big specs of the
//! corpus: tether against progenitor 0.15 (where it accepts the spec) and against the
//! floor, serde parsing the same file into a generic value (JSON or YAML, as the file is).
//! The contenders take turns, round after round, and each reports its median: on a noisy
//! machine the ratios hold even when absolute times drift.
//!
//! The floor and tether are each timed in a process of their own (this binary, started
//! with [`ALONE`]), one round at a time, the two taking turns: parsed in the process that
//! also ran tether, serde's parse took 12 % to 19 % longer (Kubernetes 13.4 ms against
//! 11.3 ms alone), slowed by the heap that tether's runs leave behind, which made every
//! ratio look better than it is; and a process started between tether's runs slows those
//! in turn (its caches are the other process's). In processes of their own, both start
//! alike. So are tether's stages, for the table of where its time goes: timed in this
//! process, after progenitor's runs, they took a third longer than tether's whole run.
//! Progenitor, far from any target, runs in this process.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin generation`
//! (`RUNS=n` for another number of rounds than 5.)

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tether_bench::generators;
use tether_bench::{
    corpus_spec, interleaved_self_timed, median, ratio, runs, show, timed, CORPUS_SPECS,
};
use tether_codegen::{EmitOptions, Selection};

const RUNS: usize = 5;

/// The target: generation at most 3× the floor.
const TARGET: f64 = 3.0;

/// The argument that makes this binary time one round of a contender by itself:
/// `generation --alone floor|tether|stages <spec>` runs the contender on the spec
/// [`WARMUPS`] times, then once more timed, and prints that run's nanoseconds (for
/// `stages`, those of each of tether's four stages).
const ALONE: &str = "--alone";

/// Untimed runs before the timed one, so that each contender is timed warm.
const WARMUPS: usize = 2;

/// A contender timed in a process of its own.
#[derive(Clone, Copy)]
enum Alone {
    Floor,
    Tether,
    /// Tether's stages, each timed.
    Stages,
}

impl Alone {
    fn name(self) -> &'static str {
        match self {
            Alone::Floor => "floor",
            Alone::Tether => "tether",
            Alone::Stages => "stages",
        }
    }

    /// One run, and its times: the whole run's, or each stage's.
    fn run(self, path: &Path) -> Result<Vec<Duration>, String> {
        match self {
            Alone::Floor => whole(timed(|| generators::serde_floor(path))),
            Alone::Tether => whole(timed(|| generators::tether(path, &Selection::default()))),
            Alone::Stages => stages(path).map(Vec::from),
        }
    }
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().map(String::as_str) == Some(ALONE) {
        let contender = match arguments.get(1).map(String::as_str) {
            Some("floor") => Some(Alone::Floor),
            Some("tether") => Some(Alone::Tether),
            Some("stages") => Some(Alone::Stages),
            _ => None,
        };
        let code = match (contender, arguments.get(2)) {
            (Some(contender), Some(path)) => run_alone(contender, Path::new(path)),
            _ => {
                eprintln!("usage: generation {ALONE} floor|tether|stages <spec>");
                2
            }
        };
        std::process::exit(code);
    }
    let runs = runs(RUNS);
    println!("## Generation: spec → generated source → formatted source (median of {runs})\n");
    println!("| spec | serde floor | tether | tether / floor | target ≤ {TARGET}× | progenitor | tether / progenitor | lines tether | lines progenitor |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut breakdowns = Vec::new();
    for relative in CORPUS_SPECS {
        let Some(path) = corpus_spec(relative) else {
            continue;
        };
        let tether_lines = match generators::tether(&path, &Selection::default()) {
            Ok(source) => source.lines().count().to_string(),
            Err(error) => format!("fails: {}", first_line(&error)),
        };
        // One try first: a spec progenitor rejects or panics on is reported, not timed.
        let progenitor_result = generators::progenitor(&path);
        let progenitor_lines = match &progenitor_result {
            Ok(source) => source.lines().count().to_string(),
            Err(error) => format!("fails: {}", first_line(error)),
        };
        let floor = Box::new(|| in_own_process(Alone::Floor, &path)[0]);
        let tether = Box::new(|| in_own_process(Alone::Tether, &path)[0]);
        let progenitor = Box::new(|| timed(|| generators::progenitor(&path)).1);
        let mut contenders: Vec<Box<dyn FnMut() -> Duration + '_>> = vec![floor, tether];
        if progenitor_result.is_ok() {
            contenders.push(progenitor);
        }
        let times = interleaved_self_timed(runs, &mut contenders);
        let (floor, tether, progenitor) = (times[0], times[1], times.get(2).copied());
        let over_floor = tether.as_secs_f64() / floor.as_secs_f64();
        println!(
            "| {relative} | {} | {} | {over_floor:.1}× | {} | {} | {} | {tether_lines} | {progenitor_lines} |",
            show(floor),
            show(tether),
            if over_floor <= TARGET { "met" } else { "missed" },
            progenitor.map_or("—".to_owned(), show),
            progenitor.map_or("—".to_owned(), |progenitor: Duration| ratio(tether, progenitor)),
        );
        breakdowns.push((relative, path.clone(), floor));
    }
    println!("\n### Where tether's generation time goes (median of {runs}, each stage's product dropped outside its time)\n");
    println!("| spec | read + parse + bundle (`load`) | model (`ir::lower`) | source text (`emit`) | formatting (`pretty`) | without formatting, as the macro runs | that / floor |");
    println!("|---|---|---|---|---|---|---|");
    for (relative, path, floor) in breakdowns {
        let rounds: Vec<Vec<Duration>> = (0..runs)
            .map(|_| in_own_process(Alone::Stages, &path))
            .collect();
        let stage = |index: usize| median(rounds.iter().map(|times| times[index]).collect());
        let (load, lower, emit, pretty) = (stage(0), stage(1), stage(2), stage(3));
        println!(
            "| {relative} | {} | {} | {} | {} | {} | {} |",
            show(load),
            show(lower),
            show(emit),
            show(pretty),
            show(load + lower + emit),
            ratio(load + lower + emit, floor),
        );
    }
}

/// The time of each stage of one run of tether's generator, in turn as `generate` and the
/// layout run them: load, lower, emit, pretty. Each stage's product is dropped after its
/// time is taken (the document once it is lowered, as `generate` drops it).
fn stages(path: &Path) -> Result<[Duration; 4], String> {
    let (loaded, load) = timed(|| tether_codegen::load::load(path));
    let loaded = loaded.map_err(|problems| problems.to_string())?;
    let (api, lower) = timed(|| {
        tether_codegen::ir::lower(
            &loaded.document,
            loaded.notes.clone(),
            &Selection::default(),
        )
    });
    let api = api.map_err(|error| error.to_string())?;
    drop(loaded);
    let (code, emit) = timed(|| tether_codegen::emit::emit(&api, &EmitOptions::default()));
    let (_, pretty) = timed(|| tether_codegen::pretty(&code));
    Ok([load, lower, emit, pretty])
}

/// The time of a whole run, or its error.
fn whole<T>((made, time): (Result<T, String>, Duration)) -> Result<Vec<Duration>, String> {
    made.map(|_| vec![time])
}

/// One round of `contender`, timed by a process of its own (see [`ALONE`]).
fn in_own_process(contender: Alone, path: &Path) -> Vec<Duration> {
    let output = std::env::current_exe().and_then(|program| {
        Command::new(program)
            .arg(ALONE)
            .arg(contender.name())
            .arg(path)
            .output()
    });
    let times = match &output {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(|nanoseconds| nanoseconds.parse::<u64>().map(Duration::from_nanos))
            .collect::<Result<Vec<_>, _>>()
            .ok()
            .filter(|times| !times.is_empty()),
        _ => None,
    };
    match times {
        Some(times) => times,
        None => {
            eprintln!(
                "the {} process failed for {}: {output:?}",
                contender.name(),
                path.display()
            );
            std::process::exit(1);
        }
    }
}

/// The process of [`ALONE`]. Returns its exit code.
fn run_alone(contender: Alone, path: &Path) -> i32 {
    for _ in 0..WARMUPS {
        black_box(contender.run(path)).ok();
    }
    match contender.run(path) {
        Ok(times) => {
            let nanoseconds: Vec<String> = times
                .iter()
                .map(|time| time.as_nanos().to_string())
                .collect();
            println!("{}", nanoseconds.join(" "));
            0
        }
        Err(error) => {
            eprintln!("{}: {error}", path.display());
            1
        }
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(120).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}
