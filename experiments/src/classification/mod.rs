//! The classification results (C1): on each data set, a PCA + softmax
//! pipeline against an MLP encoder + softmax with the same representation
//! width, and a seed ensemble of MLPs.
//!
//! [`run`] trains one PCA and one MLP pipeline per seed and data set, writes
//! the figures and `summary.json` into an output directory and returns the
//! summary.

pub mod config;
pub mod dataset;
pub mod figures;
pub mod summary;

use std::path::Path;
use std::time::Instant;

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_models::config::BackendKind;
use mojet_models::io::write_atomic;

use crate::deep::create_out_dir;
use crate::linear::ReproduceError;

pub use config::ClassificationConfig;
pub use summary::ClassificationSummary;

/// Runs C1 on backend `B` and writes its results into `out`, which is
/// created if missing.
///
/// `backend` only names the backend in the summary; `progress` advances by
/// [`ClassificationConfig::progress_steps`] steps in total.
///
/// # Errors
/// [`ReproduceError`] naming what failed.
pub fn run<B: AutodiffBackend>(
    config: &ClassificationConfig,
    backend: BackendKind,
    out: &Path,
    progress: &ProgressBar,
) -> Result<ClassificationSummary, ReproduceError> {
    let started = Instant::now();
    let device = B::Device::default();
    create_out_dir(out)?;
    let shared = dataset::Shared {
        network: &config.network,
        train: &config.train,
        seeds: &config.seeds,
        base_points: config.base_points,
        engine: config.engine,
        tolerances: config.tolerances.diagnosis(),
    };
    let datasets = config
        .datasets
        .iter()
        .map(|dataset| dataset::dataset::<B>(dataset, &shared, progress, &device))
        .collect::<Result<Vec<_>, _>>()?;

    let mut summary = ClassificationSummary {
        experiment: summary::EXPERIMENT.to_string(),
        backend: backend.to_string(),
        engine: config.engine.name().to_string(),
        config: config.clone(),
        datasets,
        checks: Vec::new(),
        wall_time_s: 0.0,
    };
    summary.checks = summary::checks(&summary);

    progress.set_message("writing figures");
    figures::write_figures(&summary, out)?;
    summary.wall_time_s = started.elapsed().as_secs_f64();
    let json = serde_json::to_vec_pretty(&summary).expect("the summary serialises to JSON");
    write_atomic(&out.join("summary.json"), &json)?;
    Ok(summary)
}
