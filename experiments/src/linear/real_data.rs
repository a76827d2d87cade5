//! The L2 diagnosis on a real regression data set: one ensemble of linear
//! pipelines per encoder width. With a single target the map has rank 1, so
//! width 1 meets the rank conditions and wider encoders are over-complete.

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::{EngineKind, Tolerances};
use mojet_models::prepared::PreparedData;
use serde::{Deserialize, Serialize};

use super::ReproduceError;
use super::config::RealDataConfig;
use super::ensembles::{EnsembleReport, EnsembleSpec, ensemble};

/// The ensembles on the real data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealDataReport {
    /// Data set name.
    pub name: String,
    /// Source of the rows: the CSV path.
    pub source: String,
    /// SHA-256 of the data file.
    pub fingerprint: String,
    /// Rows in the training, validation and test splits.
    pub rows: [usize; 3],
    /// Number of input features `d`.
    pub features: usize,
    /// Number of targets `p`.
    pub targets: usize,
    /// One ensemble per encoder width, regime named `width r`.
    pub ensembles: Vec<EnsembleReport>,
}

/// Trains and compares one ensemble per configured width.
///
/// # Errors
/// [`ReproduceError`] when the data cannot be loaded, a design cannot be
/// built or training diverges.
pub fn real_data<B: AutodiffBackend>(
    config: &RealDataConfig,
    base_points: usize,
    engine: EngineKind,
    tolerances: &Tolerances,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<RealDataReport, ReproduceError> {
    let data = PreparedData::load(&config.data)?;
    let mut ensembles = Vec::with_capacity(config.widths.len());
    for &width in &config.widths {
        let spec = EnsembleSpec {
            regime: format!("{} width {width}", config.name),
            data: &data,
            width,
            bias: true,
            tangent_dim: config.tangent_dim,
            seeds: &config.seeds,
            train: &config.train,
            base_points,
        };
        ensembles.push(ensemble::<B>(&spec, engine, tolerances, progress, device)?);
    }
    Ok(RealDataReport {
        name: config.name.clone(),
        source: data.record.source.clone(),
        fingerprint: data.record.fingerprint.clone(),
        rows: data.record.rows,
        features: data.x.ncols(),
        targets: data.output_width(),
        ensembles,
    })
}
