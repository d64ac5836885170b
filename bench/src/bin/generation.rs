//! Generation time, spec file → generated source → formatted source, for the four big specs of the
//! corpus: tether against progenitor 0.15 (where it accepts the spec) and against the
//! floor, serde parsing the same file into a generic value (JSON or YAML, as the file is).
//! The contenders take turns, round after round, and each reports its median: on a noisy
//! machine the ratios hold even when absolute times drift.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin generation`
//! (`RUNS=n` for another number of rounds than 5.)

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use tether_bench::generators;
use tether_bench::{corpus_spec, interleaved_medians, ratio, runs, show, CORPUS_SPECS};
use tether_codegen::{EmitOptions, Selection};

const RUNS: usize = 5;

/// The target: generation at most 3× the floor.
const TARGET: f64 = 3.0;

fn main() {
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
        let mut floor = || {
            black_box(generators::serde_floor(&path)).ok();
        };
        let mut tether = || {
            black_box(generators::tether(&path, &Selection::default())).ok();
        };
        let mut progenitor = || {
            black_box(generators::progenitor(&path)).ok();
        };
        let times = if progenitor_result.is_ok() {
            interleaved_medians(runs, &mut [&mut floor, &mut tether, &mut progenitor])
        } else {
            interleaved_medians(runs, &mut [&mut floor, &mut tether])
        };
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
        breakdowns.push((relative, stages(&path, runs), floor));
    }
    println!("\n### Where tether's generation time goes (median of {runs})\n");
    println!("| spec | read + parse + bundle (`load`) | model (`ir::lower`) | source text (`emit`) | formatting (`pretty`) | without formatting, as the macro runs | that / floor |");
    println!("|---|---|---|---|---|---|---|");
    for (relative, stages, floor) in breakdowns {
        match stages {
            Ok([load, lower, emit, pretty]) => println!(
                "| {relative} | {} | {} | {} | {} | {} | {} |",
                show(load),
                show(lower),
                show(emit),
                show(pretty),
                show(load + lower + emit),
                ratio(load + lower + emit, floor),
            ),
            Err(error) => println!("| {relative} | fails: {} | | | | | |", first_line(&error)),
        }
    }
}

/// The median time of each stage of tether's generator: load, lower, emit, pretty.
fn stages(path: &Path, runs: usize) -> Result<[Duration; 4], String> {
    let selection = Selection::default();
    let options = EmitOptions::default();
    let loaded = tether_codegen::load::load(path).map_err(|problems| problems.to_string())?;
    let api = tether_codegen::ir::lower(&loaded.document, loaded.notes.clone(), &selection)
        .map_err(|error| error.to_string())?;
    let code = tether_codegen::emit::emit(&api, &options);
    let times = interleaved_medians(
        runs,
        &mut [
            &mut || {
                black_box(tether_codegen::load::load(path)).ok();
            },
            &mut || {
                black_box(tether_codegen::ir::lower(
                    &loaded.document,
                    loaded.notes.clone(),
                    &selection,
                ))
                .ok();
            },
            &mut || {
                black_box(tether_codegen::emit::emit(&api, &options));
            },
            &mut || {
                black_box(tether_codegen::pretty(&code));
            },
        ],
    );
    Ok([times[0], times[1], times[2], times[3]])
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(120).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}
