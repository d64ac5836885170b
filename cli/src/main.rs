//! The `tether` command line: reads the subcommand and hands its arguments to the module
//! that does the work.

mod conformance;
mod generate;
mod inspect;

use std::process::ExitCode;

const USAGE: &str = "usage:
  tether generate SPEC [--sandbox]
  tether inspect SPEC
  tether conformance DIR [--json PATH] [--only SUBSTRING] [--work DIR] [--sandbox]
    (DIR: a corpus with MANIFEST.tsv, or any folder of specs)";

fn main() -> ExitCode {
    // During a conformance run cargo starts this binary in place of rustc, to time each
    // crate's check on its own.
    if let Some(code) = conformance::rustc_timer::run_if_wrapping() {
        return code;
    }
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = arguments.split_first() else {
        return usage("");
    };
    match command.as_str() {
        "generate" => match generate::Options::parse(rest) {
            Ok(options) => generate::run(&options),
            Err(problem) => usage(&problem),
        },
        "inspect" => match inspect::Options::parse(rest) {
            Ok(options) => inspect::run(&options),
            Err(problem) => usage(&problem),
        },
        "conformance" => match conformance::Options::parse(rest) {
            Ok(options) => conformance::run(&options),
            Err(problem) => usage(&problem),
        },
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => usage(&format!("unknown command `{other}`")),
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
