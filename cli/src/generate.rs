//! `tether generate SPEC`: prints the generated client as formatted source.

use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `tether generate`.
pub struct Options {
    /// The spec to generate from.
    pub spec: PathBuf,
}

impl Options {
    /// Reads the arguments after `generate`.
    pub fn parse(arguments: &[String]) -> Result<Options, String> {
        match arguments {
            [spec] => Ok(Options {
                spec: PathBuf::from(spec),
            }),
            _ => Err("`generate` takes one argument, the spec".to_owned()),
        }
    }
}

/// Generates and prints the client; failure when the spec cannot be read.
pub fn run(options: &Options) -> ExitCode {
    let emit = tether_codegen::EmitOptions::default();
    let generated = match tether_codegen::generate(&options.spec, &Default::default(), &emit) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match tether_codegen::pretty(&generated.tokens) {
        Ok(source) => {
            print!("{source}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: the generated code does not parse: {error}");
            ExitCode::FAILURE
        }
    }
}
