//! `mojet reproduce`: rerun a set of experiments and write its figures and
//! `summary.json`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use mojet_experiments::classification::{self, ClassificationConfig};
use mojet_experiments::deep::{self, DeepConfig};
use mojet_experiments::linear::figures::FIGURES;
use mojet_experiments::linear::summary::{Check, table};
use mojet_experiments::linear::{self, LinearConfig};
use mojet_models::config::BackendKind;

use crate::CommandResult;
use crate::backend::with_backend;
use crate::checks::prepare_out_dir;
use crate::config_error::config_failure;
use crate::failure::Failure;
use crate::progress::bar;
use crate::run_record::{RUN_FILE, write_run_record};

/// Arguments of `mojet reproduce`.
#[derive(Debug, Args)]
pub struct ReproduceArgs {
    #[command(subcommand)]
    pub experiment: Experiment,
}

/// The experiments `mojet reproduce` runs.
#[derive(Debug, Subcommand)]
pub enum Experiment {
    /// The linear results: mirage family and recovery (L1), trained
    /// ensembles (L2), finite-difference estimators (L3), and real data.
    Linear(LinearArgs),
    /// The deep regression results: PCA pipeline against a bottleneck MLP
    /// with alignment to the principal directions (D1), and an MLP seed
    /// ensemble (D2).
    Deep(DeepArgs),
    /// The classification results (C1): PCA + softmax against MLP +
    /// softmax, and an MLP seed ensemble, on several data sets.
    Classification(ClassificationArgs),
}

/// Arguments of `mojet reproduce linear`.
#[derive(Debug, Args)]
pub struct LinearArgs {
    /// Reproduction config: sizes, seeds, tolerances, backend and engine.
    #[arg(
        long,
        default_value = "configs/reproduce-linear.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Directory to write the figures (PNG, SVG, CSV) and summary.json into.
    #[arg(long, default_value = "results/linear", value_name = "DIR")]
    pub out: PathBuf,
    /// Backend to run on [default: the config's backend].
    #[arg(long, value_name = "NAME")]
    pub backend: Option<BackendKind>,
}

/// Arguments of `mojet reproduce deep`.
#[derive(Debug, Args)]
pub struct DeepArgs {
    /// Reproduction config: data, k, network, seeds, training, tolerances,
    /// backend and engine.
    #[arg(
        long,
        default_value = "configs/reproduce-deep.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Directory to write the figures (PNG, SVG, CSV) and summary.json into.
    #[arg(long, default_value = "results/deep", value_name = "DIR")]
    pub out: PathBuf,
    /// Backend to run on [default: the config's backend].
    #[arg(long, value_name = "NAME")]
    pub backend: Option<BackendKind>,
}

/// Arguments of `mojet reproduce classification`.
#[derive(Debug, Args)]
pub struct ClassificationArgs {
    /// Reproduction config: data sets, network, seeds, training, tolerances,
    /// backend and engine.
    #[arg(
        long,
        default_value = "configs/reproduce-classification.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Directory to write the figures (PNG, SVG, CSV) and summary.json into.
    #[arg(long, default_value = "results/classification", value_name = "DIR")]
    pub out: PathBuf,
    /// Backend to run on [default: the config's backend].
    #[arg(long, value_name = "NAME")]
    pub backend: Option<BackendKind>,
}

/// Runs `mojet reproduce`.
pub fn run(args: &ReproduceArgs) -> CommandResult {
    match &args.experiment {
        Experiment::Linear(linear_args) => run_linear(linear_args),
        Experiment::Deep(deep_args) => run_deep(deep_args),
        Experiment::Classification(classification_args) => run_classification(classification_args),
    }
}

fn run_deep(args: &DeepArgs) -> CommandResult {
    let mut config = DeepConfig::load(&args.config).map_err(config_failure)?;
    if let Some(backend) = args.backend {
        config.backend = backend;
    }
    let backend = config.backend;
    prepare_out_dir(&args.out)?;
    write_run_record(&args.out.join(RUN_FILE), "reproduce deep", backend, &config)?;
    let progress = bar(config.progress_steps(), "deep");
    let summary = with_backend!(backend, |B| deep::run::<B>(
        &config, backend, &args.out, &progress
    )
    .map_err(Failure::runtime)?);
    progress.finish_and_clear();

    print!("{}", deep::summary::table(&summary));
    println!(
        "wrote {} figures and summary.json to {} ({:.0} s on {backend})",
        deep::figures::FIGURES.len(),
        args.out.display(),
        summary.wall_time_s
    );
    fail_on_checks(&summary.checks, &args.out)
}

fn run_classification(args: &ClassificationArgs) -> CommandResult {
    let mut config = ClassificationConfig::load(&args.config).map_err(config_failure)?;
    if let Some(backend) = args.backend {
        config.backend = backend;
    }
    let backend = config.backend;
    prepare_out_dir(&args.out)?;
    write_run_record(
        &args.out.join(RUN_FILE),
        "reproduce classification",
        backend,
        &config,
    )?;
    let progress = bar(config.progress_steps(), "classification");
    let summary = with_backend!(backend, |B| classification::run::<B>(
        &config, backend, &args.out, &progress
    )
    .map_err(Failure::runtime)?);
    progress.finish_and_clear();

    print!("{}", classification::summary::table(&summary));
    println!(
        "wrote {} figures and summary.json to {} ({:.0} s on {backend})",
        classification::figures::FIGURES.len(),
        args.out.display(),
        summary.wall_time_s
    );
    fail_on_checks(&summary.checks, &args.out)
}

/// Fails the command when an expected relation does not hold.
fn fail_on_checks(checks: &[Check], out: &std::path::Path) -> CommandResult {
    let failed = checks.iter().filter(|check| !check.passed).count();
    if failed > 0 {
        return Err(Failure::Runtime(format!(
            "{failed} of {} expected relations do not hold; the checks in {} list them",
            checks.len(),
            out.join("summary.json").display()
        )));
    }
    Ok(())
}

fn run_linear(args: &LinearArgs) -> CommandResult {
    let mut config = LinearConfig::load(&args.config).map_err(config_failure)?;
    if let Some(backend) = args.backend {
        config.backend = backend;
    }
    let backend = config.backend;
    prepare_out_dir(&args.out)?;
    write_run_record(
        &args.out.join(RUN_FILE),
        "reproduce linear",
        backend,
        &config,
    )?;
    let progress = bar(config.progress_steps(), "linear");
    let summary = with_backend!(backend, |B| linear::run::<B>(
        &config, backend, &args.out, &progress
    )
    .map_err(Failure::runtime)?);
    progress.finish_and_clear();

    print!("{}", table(&summary));
    println!(
        "wrote {} figures and summary.json to {} ({:.0} s on {backend})",
        FIGURES.len(),
        args.out.display(),
        summary.wall_time_s
    );
    fail_on_checks(&summary.checks, &args.out)
}
