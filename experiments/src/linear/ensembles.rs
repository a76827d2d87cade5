//! L2, trained ensembles: linear pipelines trained from several seeds on the
//! same data, compared pair by pair under the coordinate, tangent and normal
//! designs.
//!
//! Three regimes on synthetic data:
//! - full-rank inputs with an encoder as wide as the rank of `W*`, which is
//!   identifiable up to `GL(r)`;
//! - inputs on a subspace. The encoder's component off the subspace gets no
//!   gradient and keeps its seed-dependent initialisation, so the seeds are a
//!   mirage under the tangent design;
//! - an over-complete encoder. Its rows beyond the rank of `W*` are never
//!   pinned down, so the jets differ modulo `GL(r)` under every design.

use burn::module::AutodiffModule;
use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::design::{Design, DesignSpec, build};
use mojet_jets::diagnosis::PairReport;
use mojet_jets::{DesignKind, EngineKind, Group, Tolerances, Verdict};
use mojet_models::Task;
use mojet_models::data::select_rows;
use mojet_models::linear::{LinearPipeline, LinearPipelineConfig};
use mojet_models::prepared::PreparedData;
use mojet_models::train::{TrainConfig, fit};
use serde::{Deserialize, Serialize};

use super::ReproduceError;
use super::candidate::{Evaluation, candidate, compare_pairs};

/// Number of synthetic regimes a run trains.
pub const REGIMES: usize = 3;

/// Epochs between updates of the progress message during training.
const PROGRESS_EPOCHS: usize = 100;

/// The comparison of an ensemble under one design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignReport {
    /// Design name.
    pub design: String,
    /// Directions `K` per base point.
    pub k: usize,
    /// Largest raw encoder-jet discrepancy over the seed pairs.
    pub tap_jet_raw: f64,
    /// Largest encoder-jet discrepancy modulo `GL(r)` over the seed pairs.
    pub tap_jet_gl: f64,
    /// Verdict from the largest discrepancies over the seed pairs, under the
    /// coordinate design and under this one.
    pub verdict: Verdict,
}

/// One ensemble: a regime, its seeds and their comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnsembleReport {
    /// Regime name.
    pub regime: String,
    /// Encoder width `r`.
    pub width: usize,
    /// Training seeds, one pipeline each.
    pub seeds: Vec<u64>,
    /// Test mean squared error of each seed, in standardised target units.
    pub test_mse: Vec<f64>,
    /// `(max − min) / mean` of the test mean squared errors.
    pub risk_spread: f64,
    /// Largest relative output-jet discrepancy over the seed pairs.
    pub output_jet: f64,
    /// One report per design, coordinate first.
    pub designs: Vec<DesignReport>,
}

/// The data, width, seeds and training settings of an ensemble.
#[derive(Debug, Clone)]
pub struct EnsembleSpec<'a> {
    /// Regime name for reports.
    pub regime: String,
    /// Split and standardised data.
    pub data: &'a PreparedData,
    /// Encoder width `r`.
    pub width: usize,
    /// Whether the modules carry biases.
    pub bias: bool,
    /// Dimension of the local tangent space of the tangent and normal designs.
    pub tangent_dim: usize,
    /// Training seeds.
    pub seeds: &'a [u64],
    /// Training settings; the seed is replaced by each of `seeds`.
    pub train: &'a TrainConfig,
    /// Maximum number of test rows used as base points.
    pub base_points: usize,
}

/// Trains one pipeline per seed and compares them pair by pair.
///
/// # Errors
/// [`ReproduceError`] when a design cannot be built or training diverges.
pub fn ensemble<B: AutodiffBackend>(
    spec: &EnsembleSpec<'_>,
    engine: EngineKind,
    tolerances: &Tolerances,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<EnsembleReport, ReproduceError> {
    let data = spec.data;
    let eval = evaluation(data, spec.base_points);
    let designs = designs(&eval, spec.tangent_dim)?;
    let config = LinearPipelineConfig {
        d_input: data.x.ncols(),
        width: spec.width,
        d_output: data.output_width(),
        bias: spec.bias,
    };

    let mut candidates = Vec::with_capacity(spec.seeds.len());
    for &seed in spec.seeds {
        let train = TrainConfig {
            seed,
            ..spec.train.clone()
        };
        let epochs = train.epochs;
        let label = format!("{}, seed {seed}", spec.regime);
        progress.set_message(label.clone());
        let mut on_epoch = |epoch: usize, _valid: f64| {
            if epoch.is_multiple_of(PROGRESS_EPOCHS) {
                progress.set_message(format!("{label}: epoch {epoch}/{epochs}"));
            }
        };
        let initial = config.init::<B>(seed, device);
        let (trained, _history) = fit(
            initial,
            Task::Regression,
            &data.training(),
            &train,
            &mut on_epoch,
        )?;
        let model = LinearPipeline::<B>::from_inner(trained);
        candidates.push(candidate(
            format!("seed {seed}"),
            &model,
            engine,
            &eval,
            &designs,
            device,
        ));
        progress.inc(1);
    }

    let pairs = compare_pairs(&candidates, tolerances);
    let test_mse: Vec<f64> = candidates.iter().map(|c| c.risk.loss).collect();
    Ok(EnsembleReport {
        regime: spec.regime.clone(),
        width: spec.width,
        seeds: spec.seeds.to_vec(),
        risk_spread: spread(&test_mse),
        test_mse,
        output_jet: pairs.iter().map(|p| p.output_jet).fold(0.0, f64::max),
        designs: design_reports(&pairs, &designs, tolerances.quotient),
    })
}

/// Collects the test split, base points from it and training rows as reference.
fn evaluation(data: &PreparedData, base_points: usize) -> Evaluation {
    let (x_test, y_test) = data.rows(&data.split.test);
    let base_rows: Vec<usize> = data.split.test.iter().copied().take(base_points).collect();
    Evaluation {
        x_test,
        y_test,
        base_points: select_rows(&data.x, &base_rows),
        reference: select_rows(&data.x, &data.split.train),
    }
}

/// Builds the coordinate design, `tangent_dim` tangent directions and the
/// `d − tangent_dim` directions normal to the same local tangent space.
fn designs(eval: &Evaluation, tangent_dim: usize) -> Result<Vec<Design>, ReproduceError> {
    let d = eval.base_points.ncols();
    if tangent_dim >= d {
        return Err(ReproduceError::Config(format!(
            "tangent dimension {tangent_dim} leaves no normal directions in input dimension {d}; \
             set it below {d}"
        )));
    }
    let coordinate = DesignSpec::new(DesignKind::Coordinate);
    let tangent = DesignSpec {
        k: Some(tangent_dim),
        ..DesignSpec::new(DesignKind::Tangent)
    };
    let normal = DesignSpec {
        k: Some(d - tangent_dim),
        tangent_dim: Some(tangent_dim),
        ..DesignSpec::new(DesignKind::Normal)
    };
    [coordinate, tangent, normal]
        .iter()
        .map(|spec| build(spec, &eval.base_points, &eval.reference).map_err(ReproduceError::from))
        .collect()
}

/// Aggregates the encoder comparisons of every pair, design by design.
fn design_reports(pairs: &[PairReport], designs: &[Design], tolerance: f64) -> Vec<DesignReport> {
    let largest = |design: DesignKind, group: Group| -> f64 {
        pairs
            .iter()
            .flat_map(|pair| &pair.taps)
            .filter(|tap| tap.tap == "encoder" && tap.design == design.name())
            .map(|tap| match group {
                Group::Identity => tap.raw.unwrap_or(f64::INFINITY),
                _ => tap.quotients[group.name()],
            })
            .fold(0.0, f64::max)
    };
    let full = largest(DesignKind::Coordinate, Group::GeneralLinear);
    designs
        .iter()
        .map(|design| {
            let general_linear = largest(design.kind, Group::GeneralLinear);
            DesignReport {
                design: design.kind.name().to_string(),
                k: design.directions_per_point(),
                tap_jet_raw: largest(design.kind, Group::Identity),
                tap_jet_gl: general_linear,
                verdict: Verdict::decide(full, general_linear, tolerance),
            }
        })
        .collect()
}

/// `(max − min) / mean`, 0 for a constant or empty list.
fn spread(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    if mean == 0.0 { 0.0 } else { (max - min) / mean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_constant_is_zero() {
        assert_eq!(spread(&[0.5, 0.5, 0.5]), 0.0);
    }

    #[test]
    fn spread_is_range_over_mean() {
        assert!((spread(&[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-12);
    }
}
