//! The `tongket` command line client: argument parsing and one function per
//! subcommand. `src/bin/tongket.rs` only calls [`run`].

mod import;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{convert, parse, proto, text};

/// Imports, parses and queries Vietnamese year-end review reports.
#[derive(Debug, Parser)]
#[command(name = "tongket", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parses one file locally, with no server, and prints the report.
    Parse {
        /// The text file to parse.
        file: PathBuf,
        /// Print exactly one proto3 JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the client with the process's arguments.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { file, json } => parse_file(&file, json),
    }
}

fn parse_file(file: &PathBuf, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let raw = String::from_utf8(bytes).with_context(|| format!("{} is not valid UTF-8", file.display()))?;
    let normalized = text::Normalized::new(&raw);
    let report = proto::Report::from(parse::parse(&normalized));
    let value = convert::to_json(&report);
    if json {
        println!("{}", serde_json::to_string(&value)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&value)?);
    }
    Ok(ExitCode::SUCCESS)
}
