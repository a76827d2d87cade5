//! `mojet`: train supervised pipelines, estimate the jets of their taps, and
//! diagnose whether their decompositions are identifiable or a mirage.

mod backend;
mod base_points;
mod diagnose;
mod engine;
mod failure;
mod jets;
mod npz;
mod progress;
mod reproduce;
mod table;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::failure::Failure;

/// Train pipelines and diagnose their modules with jets.
#[derive(Debug, Parser)]
#[command(name = "mojet", version, about, long_about = None)]
struct Cli {
    /// Log more: -v for progress details, -vv for debugging.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Log only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Train a pipeline from a TOML config and save it with its metadata.
    Train(train::TrainArgs),
    /// Estimate the jets of every tap of a trained pipeline and write an .npz.
    Jets(jets::JetsArgs),
    /// Compare trained pipelines pair by pair and write diagnosis.json.
    Diagnose(diagnose::DiagnoseArgs),
    /// Rerun a set of experiments and write its figures and summary.json.
    Reproduce(reproduce::ReproduceArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Train(args) => train::run(&args),
        Command::Jets(args) => jets::run(&args),
        Command::Diagnose(args) => diagnose::run(&args),
        Command::Reproduce(args) => reproduce::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("MOJET_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "mojet={level},mojet_models={level},mojet_jets={level},mojet_experiments={level}"
        ))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

/// Result of a command.
type CommandResult = Result<(), Failure>;
