//! Timing each crate's check. One cargo checks all crates, two at a time, because cargo
//! locks its target directory and so two cargos sharing one would take turns. Cargo
//! then runs this binary as `RUSTC_WORKSPACE_WRAPPER` (only for the generated crates,
//! not their dependencies): it runs rustc and appends the crate's name and rustc's wall
//! time to the file named by [`LOG_VARIABLE`].

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The environment variable that makes this binary a rustc wrapper, naming the log.
pub const LOG_VARIABLE: &str = "TETHER_CONFORMANCE_RUSTC_LOG";

/// When cargo started this binary as a rustc wrapper: runs rustc, logs its time, and
/// returns rustc's exit code. `None` when this is an ordinary `tether` run.
pub fn run_if_wrapping() -> Option<ExitCode> {
    let log = std::env::var_os(LOG_VARIABLE)?;
    let mut arguments = std::env::args_os().skip(1);
    let rustc = arguments.next()?;
    let arguments: Vec<OsString> = arguments.collect();
    let started = Instant::now();
    let status = Command::new(&rustc).args(&arguments).status();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(name) = crate_name(&arguments) {
        // One short append per crate; cargo runs at most two at a time.
        let logged = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut file| writeln!(file, "{name}\t{seconds:.3}"));
        if let Err(error) = logged {
            eprintln!(
                "tether: cannot log rustc's time to {}: {error}",
                Path::new(&log).display()
            );
        }
    }
    Some(match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(error) => {
            eprintln!(
                "tether: cannot run {}: {error}",
                Path::new(&rustc).display()
            );
            ExitCode::FAILURE
        }
    })
}

fn crate_name(arguments: &[OsString]) -> Option<String> {
    arguments
        .windows(2)
        .find(|pair| pair[0] == "--crate-name")
        .map(|pair| pair[1].to_string_lossy().into_owned())
}

/// Reads a log: seconds per crate name (the last entry wins).
pub fn read_log(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter_map(|line| {
            let (name, seconds) = line.split_once('\t')?;
            Some((name.to_owned(), seconds.trim().parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_crate_name() {
        let arguments: Vec<OsString> = ["--edition=2021", "--crate-name", "group_1", "src/lib.rs"]
            .into_iter()
            .map(OsString::from)
            .collect();
        assert_eq!(crate_name(&arguments).as_deref(), Some("group_1"));
        assert_eq!(crate_name(&arguments[..1]), None);
    }

    #[test]
    fn reads_the_log() {
        let times = read_log("group_1\t12.500\ngroup_2\t3\nnot a line\ngroup_1\t13\n");
        assert_eq!(times.get("group_1"), Some(&13.0));
        assert_eq!(times.get("group_2"), Some(&3.0));
        assert_eq!(times.len(), 2);
    }
}
