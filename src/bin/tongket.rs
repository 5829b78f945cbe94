//! The tongket client. Reads flags and calls into [`tongket::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    match tongket::cli::run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tongket: {error:#}");
            ExitCode::from(2)
        }
    }
}
