//! `mojet`: train supervised pipelines, estimate the jets of their taps, and
//! diagnose whether their decompositions are identifiable or a mirage.

mod backend;
mod base_points;
mod checks;
mod config_error;
mod diagnose;
mod engine;
mod failure;
mod jets;
mod npz;
mod progress;
mod reproduce;
mod run_record;
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return report_usage_error(err),
    };
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Train(args) => train::run(&args),
        Command::Jets(args) => run_jets(&args),
        Command::Diagnose(args) => diagnose::run(&args),
        Command::Reproduce(args) => reproduce::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Prints help and version as clap does, and any other command-line error as
/// one line with exit code 2.
fn report_usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    let text = err.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("Usage:"))
        .filter(|line| !line.starts_with("For more information"))
        .map(|line| line.strip_prefix("error: ").unwrap_or(line))
        .collect();
    Failure::Input(format!("{}; run with --help for usage", parts.join(" "))).report()
}

/// Runs `mojet jets` between the checks of its flags and its `run.json`, which
/// are called here so that `jets.rs` contains only the estimate.
fn run_jets(args: &jets::JetsArgs) -> CommandResult {
    checks::check_estimate(&args.estimate)?;
    checks::prepare_out_file(&args.out)?;
    let used = jets::run(args)?;
    run_record::write_jets_record(args, &used)
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
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

/// Result of a command.
type CommandResult = Result<(), Failure>;
