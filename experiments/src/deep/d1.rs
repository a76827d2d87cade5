//! D1: the PCA pipeline against an MLP with a bottleneck of the same width
//! `k`: test risks side by side, and the alignment of each bottleneck's
//! coordinate-design jets with the principal directions of the training
//! inputs, ordered by explained variance.

use mojet_jets::diagnosis::compare;
use mojet_jets::{DesignKind, Group, Tolerances};
use mojet_models::pca::PrincipalComponents;
use mojet_models::prepared::PreparedData;
use serde::{Deserialize, Serialize};

use super::alignment::{DirectionAlignment, direction_alignment, top_minus_rest};
use crate::linear::ReproduceError;
use crate::zoo::{self, Evaluated, REPRESENTATION, candidate, discrepancy, tap_reports};

/// Tap of the PCA pipeline that D1 compares.
pub const PCA_TAP: &str = "pca";
/// Tap of the MLP pipeline that D1 compares.
pub const BOTTLENECK_TAP: &str = "bottleneck";

/// Measurements of D1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct D1Report {
    /// Training seeds, one PCA and one MLP pipeline each.
    pub seeds: Vec<u64>,
    /// Test mean squared error of each PCA pipeline, in standardised target
    /// units.
    pub pca_test_mse: Vec<f64>,
    /// Test mean squared error of each MLP pipeline.
    pub mlp_test_mse: Vec<f64>,
    /// Test R² of each PCA pipeline.
    pub pca_test_r2: Vec<f64>,
    /// Test R² of each MLP pipeline.
    pub mlp_test_r2: Vec<f64>,
    /// `|mean MLP MSE − mean PCA MSE| / mean PCA MSE`.
    pub relative_risk_gap: f64,
    /// Fraction of the training variance along every principal direction,
    /// decreasing; the directions come from the standardised inputs, so
    /// from the correlation matrix.
    pub explained_variance_ratio: Vec<f64>,
    /// Alignment of the `pca` tap of the first PCA pipeline, the reference:
    /// it responds to the top `k` directions only.
    pub pca_alignment: DirectionAlignment,
    /// Alignment of the `bottleneck` tap of each MLP pipeline.
    pub mlp_alignment: Vec<DirectionAlignment>,
    /// Mean over the MLP seeds of the energy share of each direction.
    pub mlp_energy_share: Vec<f64>,
    /// Mean over the MLP seeds of the fraction of each direction inside the
    /// dominant row space.
    pub mlp_row_space_fraction: Vec<f64>,
    /// Mean over the MLP seeds of the mean squared principal-angle cosine
    /// between the dominant row space and the top-`k` principal subspace.
    pub mlp_mean_squared_cosine: f64,
    /// Mean energy share of the top `k` directions minus that of the rest.
    pub energy_share_top_minus_rest: f64,
    /// Mean row-space fraction of the top `k` directions minus that of the
    /// rest.
    pub row_space_fraction_top_minus_rest: f64,
    /// Per seed, the discrepancy modulo general-linear between the `pca` tap
    /// and the `bottleneck` tap of the same seed, coordinate design.
    pub representation_general_linear: Vec<f64>,
    /// Per seed, the output-jet discrepancy between the PCA and MLP
    /// pipelines of the same seed.
    pub output_jet: Vec<f64>,
}

/// Measures D1 on pipelines trained seed by seed: `pcas[i]` and `mlps[i]`
/// share seed `seeds[i]`.
///
/// # Errors
/// [`ReproduceError::Config`] when a bottleneck's jets vanish, so its
/// alignment is undefined.
pub fn report(
    data: &PreparedData,
    pcas: &[Evaluated],
    mlps: &[Evaluated],
    k: usize,
    tolerances: &Tolerances,
) -> Result<D1Report, ReproduceError> {
    let x_train = data.training().x_train;
    let d = x_train.ncols();
    let principal = PrincipalComponents::fit(&x_train, d)
        .map_err(|err| ReproduceError::Config(err.to_string()))?;
    let align = |evaluated: &Evaluated, tap: &str| {
        let jet = evaluated.tap(DesignKind::Coordinate, tap);
        direction_alignment(jet, &principal.components, k, tolerances.rank).map_err(|err| {
            ReproduceError::Config(format!(
                "alignment of tap {tap}, seed {}: {err}",
                evaluated.seed
            ))
        })
    };
    let pca_alignment = align(&pcas[0], PCA_TAP)?;
    let mlp_alignment = mlps
        .iter()
        .map(|mlp| align(mlp, BOTTLENECK_TAP))
        .collect::<Result<Vec<_>, _>>()?;
    let mlp_energy_share = mean_by_direction(&mlp_alignment, |a| &a.energy_share);
    let mlp_row_space_fraction = mean_by_direction(&mlp_alignment, |a| &a.row_space_fraction);

    let (representation_general_linear, output_jet) = pca_against_mlp(pcas, mlps, tolerances);
    let loss = |models: &[Evaluated]| models.iter().map(|m| m.risk.loss).collect::<Vec<_>>();
    let score = |models: &[Evaluated]| models.iter().map(|m| m.risk.score).collect::<Vec<_>>();
    let (pca_test_mse, mlp_test_mse) = (loss(pcas), loss(mlps));
    let pca_mean = zoo::mean(&pca_test_mse);
    Ok(D1Report {
        seeds: mlps.iter().map(|m| m.seed).collect(),
        relative_risk_gap: (zoo::mean(&mlp_test_mse) - pca_mean).abs() / pca_mean,
        pca_test_mse,
        mlp_test_mse,
        pca_test_r2: score(pcas),
        mlp_test_r2: score(mlps),
        explained_variance_ratio: principal.explained_variance_ratio,
        pca_alignment,
        energy_share_top_minus_rest: top_minus_rest(&mlp_energy_share, k),
        row_space_fraction_top_minus_rest: top_minus_rest(&mlp_row_space_fraction, k),
        mlp_mean_squared_cosine: zoo::mean(
            &mlp_alignment
                .iter()
                .map(|a| a.mean_squared_cosine)
                .collect::<Vec<_>>(),
        ),
        mlp_alignment,
        mlp_energy_share,
        mlp_row_space_fraction,
        representation_general_linear,
        output_jet,
    })
}

/// Compares the PCA and MLP pipelines of each seed: the representation
/// modulo general-linear (the two taps share no coordinates) and the
/// output jets.
fn pca_against_mlp(
    pcas: &[Evaluated],
    mlps: &[Evaluated],
    tolerances: &Tolerances,
) -> (Vec<f64>, Vec<f64>) {
    let output = super::d2::output_tap(pcas);
    pcas.iter()
        .zip(mlps)
        .map(|(pca, mlp)| {
            let group = Group::GeneralLinear;
            let a = candidate("pca".into(), pca, PCA_TAP, &output, group, false);
            let b = candidate("mlp".into(), mlp, BOTTLENECK_TAP, &output, group, false);
            let pair = compare(&a, &b, tolerances);
            let representation = tap_reports(
                std::slice::from_ref(&pair),
                REPRESENTATION,
                DesignKind::Coordinate.name(),
            )
            .map(|report| discrepancy(report, Group::GeneralLinear))
            .next()
            .unwrap_or(f64::INFINITY);
            (representation, pair.output_jet)
        })
        .unzip()
}

fn mean_by_direction(
    alignments: &[DirectionAlignment],
    values: impl Fn(&DirectionAlignment) -> &Vec<f64>,
) -> Vec<f64> {
    let d = alignments.first().map_or(0, |a| values(a).len());
    (0..d)
        .map(|i| {
            let column: Vec<f64> = alignments.iter().map(|a| values(a)[i]).collect();
            zoo::mean(&column)
        })
        .collect()
}
