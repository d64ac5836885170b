//! `tether generate SPEC`: prints the generated client as formatted source.

use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `tether generate`.
pub struct Options {
    /// The spec to generate from.
    pub spec: PathBuf,
    /// `--sandbox`: generate the sandbox module too.
    pub sandbox: bool,
}

impl Options {
    /// Reads the arguments after `generate`: the spec, and `--sandbox` before or after it.
    pub fn parse(arguments: &[String]) -> Result<Options, String> {
        let sandbox = arguments.iter().any(|argument| argument == "--sandbox");
        let rest: Vec<&String> = arguments
            .iter()
            .filter(|argument| *argument != "--sandbox")
            .collect();
        match rest.as_slice() {
            [spec] if !spec.starts_with("--") => Ok(Options {
                spec: PathBuf::from(spec),
                sandbox,
            }),
            _ => Err("`generate` takes the spec and, optionally, `--sandbox`".to_owned()),
        }
    }
}

/// Generates and prints the client; failure when the spec cannot be read.
pub fn run(options: &Options) -> ExitCode {
    let emit = tether_codegen::EmitOptions {
        sandbox: options.sandbox,
        ..tether_codegen::EmitOptions::default()
    };
    match tether_codegen::generate_source(&options.spec, &Default::default(), &emit) {
        Ok(source) => {
            print!("{source}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
