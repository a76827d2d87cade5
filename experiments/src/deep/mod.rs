//! The deep regression results on a real data set: the PCA pipeline
//! against an MLP with a bottleneck of the same width (D1), and a seed
//! ensemble of MLPs (D2).
//!
//! [`run`] trains one PCA and one MLP pipeline per seed, writes the figures
//! and `summary.json` into an output directory and returns the summary.

pub mod alignment;
pub mod config;
pub mod d1;
pub mod d2;
pub mod figures;
pub mod summary;

use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::Group;
use mojet_models::ModelKind;
use mojet_models::config::BackendKind;
use mojet_models::io::write_atomic;
use mojet_models::prepared::PreparedData;
use tracing::info;

use crate::linear::ReproduceError;
use crate::zoo;

pub use config::DeepConfig;
pub use summary::DeepSummary;

/// Runs D1 and D2 on backend `B` and writes their results into `out`, which
/// is created if missing.
///
/// `backend` only names the backend in the summary; `progress` advances by
/// [`DeepConfig::progress_steps`] steps in total.
///
/// # Errors
/// [`ReproduceError`] naming what failed.
pub fn run<B: AutodiffBackend>(
    config: &DeepConfig,
    backend: BackendKind,
    out: &Path,
    progress: &ProgressBar,
) -> Result<DeepSummary, ReproduceError> {
    let started = Instant::now();
    let device = B::Device::default();
    let tolerances = config.tolerances.diagnosis();
    create_out_dir(out)?;

    let data = PreparedData::load(&config.data)?;
    let eval = zoo::evaluation(&data, config.base_points);
    let designs = zoo::designs(&eval, config.tangent_dim)?;
    let group = Group::from_str(config.network.activation.symmetry())
        .expect("every activation names a symmetry group");

    let mut pcas = Vec::with_capacity(config.seeds.len());
    let mut mlps = Vec::with_capacity(config.seeds.len());
    for &seed in &config.seeds {
        for (kind, trained) in [(ModelKind::Pca, &mut pcas), (ModelKind::Mlp, &mut mlps)] {
            info!(seed, kind = kind.name(), "training");
            let model_config = config.network.model(kind, config.k);
            let label = format!("{} seed {seed}", kind.name());
            let model = zoo::train::<B>(
                &model_config,
                &data,
                &config.train,
                seed,
                &label,
                progress,
                &device,
            )?;
            trained.push(zoo::evaluate(
                &model,
                seed,
                &data,
                config.engine,
                &eval,
                &designs,
                &device,
            ));
            progress.inc(1);
        }
    }

    progress.set_message("comparing");
    let d1 = d1::report(&data, &pcas, &mlps, config.k, &tolerances)?;
    let d2 = d2::report(&pcas, &mlps, &designs, group, &tolerances);
    let mut summary = DeepSummary {
        experiment: summary::EXPERIMENT.to_string(),
        backend: backend.to_string(),
        engine: config.engine.name().to_string(),
        data: data_summary(&data),
        config: config.clone(),
        d1,
        d2,
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

/// Collects the provenance of prepared data for a summary.
pub fn data_summary(data: &PreparedData) -> summary::DataSummary {
    summary::DataSummary {
        source: data.record.source.clone(),
        fingerprint: data.record.fingerprint.clone(),
        rows: data.record.rows,
        features: data.x.ncols(),
    }
}

/// Creates `out` and its parents, naming the directory on failure.
pub fn create_out_dir(out: &Path) -> Result<(), std::io::Error> {
    std::fs::create_dir_all(out).map_err(|err| {
        std::io::Error::new(
            err.kind(),
            format!(
                "{}: cannot create the output directory: {err}",
                out.display()
            ),
        )
    })
}
