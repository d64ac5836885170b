//! `tether generate SPEC`: prints the generated client as formatted source.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.as_slice() {
        [command, spec] if command == "generate" => {
            let path = PathBuf::from(spec);
            let options = tether_codegen::EmitOptions::default();
            match tether_codegen::generate(&path, &Default::default(), &options) {
                Ok(generated) => match tether_codegen::pretty(&generated.tokens) {
                    Ok(source) => {
                        print!("{source}");
                        ExitCode::SUCCESS
                    }
                    Err(error) => {
                        eprintln!("error: the generated code does not parse: {error}");
                        ExitCode::FAILURE
                    }
                },
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: tether generate SPEC");
            ExitCode::from(2)
        }
    }
}
