//! The privlink command-line tool.
//!
//! ```text
//! clap args ──► settings (flags, privlink.toml) ──► session (ingest::load → analysis::analyze) ──► command ──► report
//! ```

mod cli;
mod commands;
mod config;
mod plan;
mod report;
mod session;
mod version;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.no_color {
        anstream::ColorChoice::Never.write_global();
    }
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Rules(args) => commands::rules::list(args),
        Command::Rule(args) => commands::rules::show(args),
        Command::Cost(args) => commands::cost::run(args),
        #[cfg(feature = "aws")]
        Command::Aws(command) => commands::aws::run(command),
        #[cfg(not(feature = "aws"))]
        Command::Aws { .. } => Err(anyhow::anyhow!(
            "this privlink was built without the `aws` feature, so it has no `aws` command; \
             install it with the default features (`cargo install --path crates/privlink`), or \
             analyse a snapshot saved elsewhere with `privlink check --aws-snapshot FILE`"
        )),
        Command::Plan(args) => commands::plan::run(args),
        Command::Fix(args) => commands::fix::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            anstream::eprintln!(
                "{}: {e:#}",
                report::style::paint(report::style::ERROR, "error")
            );
            ExitCode::from(2)
        }
    }
}
