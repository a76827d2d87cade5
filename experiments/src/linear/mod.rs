//! The linear results: for `f(x) = B A x`, the risk-only mirage family and the
//! recovery of `(A, B)` from module jets (L1), trained ensembles in three
//! regimes (L2), the finite-difference estimators against exact jets (L3),
//! and the L2 diagnosis on a real data set.
//!
//! [`run`] computes everything on one backend, writes the figures and
//! `summary.json` into an output directory and returns the summary.

pub mod candidate;
pub mod config;
pub mod ensembles;
pub mod estimator;
pub mod figures;
pub mod mirage;
pub mod planted;
pub mod real_data;
pub mod recovery;
pub mod summary;
pub mod tanh;

use std::path::Path;
use std::time::Instant;

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_models::config::{BackendKind, DataConfig};
use mojet_models::data::{DataError, SyntheticSpec};
use mojet_models::io::write_atomic;
use mojet_models::prepared::{PrepareError, PreparedData};
use mojet_models::train::TrainError;
use thiserror::Error;
use tracing::info;

use crate::plot::PlotError;

pub use config::LinearConfig;
pub use summary::Summary;

use ensembles::{EnsembleReport, EnsembleSpec, ensemble};

/// Regime with full-rank inputs and an encoder as wide as the rank of `W*`.
pub const FULL_RANK: &str = "full-rank";
/// Regime with inputs on a `k`-dimensional subspace.
pub const SUBSPACE: &str = "subspace";
/// Regime with an encoder wider than the rank of `W*`.
pub const OVER_COMPLETE: &str = "over-complete";

/// A reproduction that failed.
#[derive(Debug, Error)]
pub enum ReproduceError {
    /// The config cannot be used.
    #[error("{0}")]
    Config(String),
    /// Synthetic data cannot be generated or split.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The real data cannot be loaded or prepared.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// A design cannot be built.
    #[error(transparent)]
    Design(#[from] mojet_jets::design::DesignError),
    /// Training diverged.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// A figure cannot be drawn or written.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// A result file cannot be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Runs the whole reproduction on backend `B` and writes its results into
/// `out`, which is created if missing.
///
/// `backend` only names the backend in the summary; `progress` advances by
/// [`LinearConfig::progress_steps`] steps in total.
///
/// # Errors
/// [`ReproduceError`] naming what failed.
pub fn run<B: AutodiffBackend>(
    config: &LinearConfig,
    backend: BackendKind,
    out: &Path,
    progress: &ProgressBar,
) -> Result<Summary, ReproduceError> {
    let started = Instant::now();
    let device = B::Device::default();
    let engine = config.engine;
    let tolerances = config.tolerances.diagnosis();
    std::fs::create_dir_all(out).map_err(|err| {
        std::io::Error::new(
            err.kind(),
            format!(
                "{}: cannot create the output directory: {err}",
                out.display()
            ),
        )
    })?;

    info!("L1: mirage family and recovery");
    let full_spec = SyntheticSpec {
        subspace_dim: None,
        ..config.synthetic.clone()
    };
    let subspace_dim = config
        .synthetic
        .subspace_dim
        .expect("the config check requires [synthetic] subspace_dim");
    let full = planted::planted(&full_spec, &config.split, config.base_points)?;
    let on_subspace = planted::planted(&config.synthetic, &config.split, config.base_points)?;
    let mirage_family = mirage::mirage_family::<B>(
        &config.mirage,
        &full,
        engine,
        &tolerances,
        progress,
        &device,
    );
    let recovery = recovery::recovery_cases::<B>(
        &full,
        &on_subspace,
        subspace_dim,
        engine,
        config.tolerances.rank,
        progress,
        &device,
    )?;

    info!("L2: trained ensembles");
    let ensembles = synthetic_ensembles::<B>(config, progress, &device)?;

    info!("L3: finite-difference estimators");
    let estimator = estimator::estimator_sweeps::<B>(
        &config.estimator,
        engine,
        &full.eval.base_points,
        config.synthetic.p,
        progress,
        &device,
    );

    info!("real data: {}", config.real_data.name);
    let real_data = real_data::real_data::<B>(
        &config.real_data,
        config.base_points,
        engine,
        &tolerances,
        progress,
        &device,
    )?;

    let mut summary = Summary {
        experiment: summary::EXPERIMENT.to_string(),
        backend: backend.to_string(),
        engine: engine.name().to_string(),
        config: config.clone(),
        mirage_family,
        recovery,
        ensembles,
        estimator,
        real_data,
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

/// Trains the three synthetic regimes on standardised data.
fn synthetic_ensembles<B: AutodiffBackend>(
    config: &LinearConfig,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<Vec<EnsembleReport>, ReproduceError> {
    let prepare = |subspace_dim: Option<usize>| {
        PreparedData::load(&DataConfig {
            path: None,
            targets: Vec::new(),
            features: None,
            synthetic: Some(SyntheticSpec {
                subspace_dim,
                ..config.synthetic.clone()
            }),
            task: mojet_models::Task::Regression,
            valid_fraction: config.split.valid_fraction,
            test_fraction: config.split.test_fraction,
            drop_constant_columns: false,
            split_seed: config.split.seed,
        })
    };
    let full = prepare(None)?;
    let on_subspace = prepare(config.synthetic.subspace_dim)?;
    let rank = config.synthetic.rank;
    let subspace_dim = config
        .synthetic
        .subspace_dim
        .expect("the config check requires [synthetic] subspace_dim");
    let regimes = [
        (FULL_RANK, &full, rank),
        (SUBSPACE, &on_subspace, rank),
        (OVER_COMPLETE, &full, config.ensembles.over_complete_width),
    ];
    regimes
        .into_iter()
        .map(|(regime, data, width)| {
            let spec = EnsembleSpec {
                regime: regime.to_string(),
                data,
                width,
                bias: false,
                tangent_dim: subspace_dim,
                seeds: &config.ensembles.seeds,
                train: &config.ensembles.train,
                base_points: config.base_points,
            };
            ensemble::<B>(
                &spec,
                config.engine,
                &config.tolerances.diagnosis(),
                progress,
                device,
            )
        })
        .collect()
}
