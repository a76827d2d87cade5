//! `mojet train`: train a pipeline from a config and save it.

use std::path::{Path, PathBuf};

use burn::tensor::backend::AutodiffBackend;
use clap::Args;
use mojet_models::config::RunConfig;
use mojet_models::host::to_tensor;
use mojet_models::prepared::PreparedData;
use mojet_models::store::{FORMAT_VERSION, Metadata, Metrics, save};
use mojet_models::train::fit;
use mojet_models::{Pipeline, Risk, Task};
use tracing::info;

use crate::CommandResult;
use crate::backend::with_backend;
use crate::checks::prepare_out_dir;
use crate::config_error::config_failure;
use crate::failure::Failure;
use crate::progress::bar;
use crate::run_record::{RUN_FILE, write_run_record};

/// Arguments of `mojet train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// TOML run config (backend, [data], [model], [train]).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Training seed (initial weights and mini-batch order); overrides
    /// [train] seed. The data split keeps [data] split_seed.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Directory to write model.mpk and metadata.json into
    /// [default: runs/<config name>-seed<N>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `mojet train`.
pub fn run(args: &TrainArgs) -> CommandResult {
    let config = RunConfig::load(&args.config).map_err(config_failure)?;
    let seed = args.seed.unwrap_or(config.train.seed);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.config, seed));
    let data = PreparedData::load(&config.data).map_err(|err| data_failure(&err, &config))?;
    prepare_out_dir(&out)?;
    let metadata = with_backend!(config.backend, |B| train_on::<B>(
        &config, seed, &data, &out
    )
    .map_err(|failure| name_config(failure, &args.config))?);
    write_run_record(
        &out.join(RUN_FILE),
        "train",
        config.backend,
        &metadata.config,
    )?;
    print_summary(&out, &metadata);
    Ok(())
}

/// Names the data source in split and standardisation errors, whose messages
/// name only the step.
fn data_failure(err: &impl std::fmt::Display, config: &RunConfig) -> Failure {
    let message = err.to_string();
    if !(message.starts_with("split:") || message.starts_with("standardise:")) {
        return Failure::Input(message);
    }
    let source = match &config.data.path {
        Some(path) => path.display().to_string(),
        None => "[data.synthetic]".to_string(),
    };
    Failure::Input(format!("{source}: {message}"))
}

/// Prefixes a training failure with the config it came from: divergence is
/// fixed by editing that file.
fn name_config(failure: Failure, config: &Path) -> Failure {
    match failure {
        Failure::Input(message) => Failure::Input(format!("{}: {message}", config.display())),
        runtime => runtime,
    }
}

fn default_out(config: &Path, seed: u64) -> PathBuf {
    let stem = config.file_stem().unwrap_or_default().to_string_lossy();
    PathBuf::from("runs").join(format!("{stem}-seed{seed}"))
}

fn train_on<B: AutodiffBackend>(
    config: &RunConfig,
    seed: u64,
    data: &PreparedData,
    out: &Path,
) -> Result<Metadata, Failure> {
    let device = B::Device::default();
    let d_input = data.x.ncols();
    let model = config
        .model
        .init_on_data::<B>(
            &data.training().x_train,
            data.output_width(),
            config.data.task,
            seed,
            &device,
        )
        .map_err(Failure::input)?;
    let mut train_config = config.train.clone();
    train_config.seed = seed;

    info!(seed, backend = %config.backend, "training {}", config.model.kind.name());
    let progress = bar(train_config.epochs as u64, "train");
    let mut on_epoch = |epoch: usize, valid_loss: f64| {
        progress.set_position(epoch as u64);
        progress.set_message(format!(
            "valid {}={valid_loss:.4}",
            config.data.task.loss_name()
        ));
    };
    let fitted = fit(
        model,
        config.data.task,
        &data.training(),
        &train_config,
        &mut on_epoch,
    );
    progress.finish_and_clear();
    // Divergence is an input error: the fix is a smaller learning rate.
    let (model, history) = fitted.map_err(Failure::input)?;

    let task = config.data.task;
    let metrics = Metrics {
        train: risk_of(&model, task, data, &data.split.train, &device),
        valid: risk_of(&model, task, data, &data.split.valid, &device),
        test: risk_of(&model, task, data, &data.split.test, &device),
    };
    let mut resolved = config.clone();
    resolved.train.seed = seed;
    let metadata = Metadata {
        format_version: FORMAT_VERSION,
        mojet_version: env!("CARGO_PKG_VERSION").to_string(),
        config: resolved,
        seed,
        input_width: d_input,
        taps: model.taps(),
        data: data.record.clone(),
        metrics,
        history,
    };
    save(out, &model, &metadata).map_err(Failure::runtime)?;
    Ok(metadata)
}

fn risk_of<B: burn::tensor::backend::Backend>(
    model: &impl Pipeline<B>,
    task: Task,
    data: &PreparedData,
    rows: &[usize],
    device: &B::Device,
) -> Risk {
    let (x, y) = data.rows(rows);
    task.risk(model.forward(to_tensor::<B>(&x, device)), &y)
}

fn print_summary(out: &Path, metadata: &Metadata) {
    let task = metadata.config.data.task;
    let (loss, score) = (task.loss_name(), task.score_name());
    let m = &metadata.metrics;
    println!(
        "saved {} ({} epochs, best {})",
        out.display(),
        metadata.history.epochs_run,
        metadata.history.best_epoch
    );
    println!("split   {loss:>12} {score:>10}");
    for (name, risk) in [("train", m.train), ("valid", m.valid), ("test", m.test)] {
        println!("{name:<7} {:>12.6} {:>10.4}", risk.loss, risk.score);
    }
}
