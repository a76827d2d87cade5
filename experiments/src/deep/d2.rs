//! D2: a seed ensemble of MLPs compared pair by pair: risk spread,
//! output-jet discrepancy, and the bottleneck's jet discrepancy raw, modulo
//! the symmetry of its units and modulo general-linear, with verdicts per
//! design. The PCA pipelines of the same seeds are the contrast: their `pca`
//! tap is fitted, not trained, so it is the same in every seed.

use mojet_jets::diagnosis::Candidate;
use mojet_jets::{Design, Group, Tolerances};
use serde::{Deserialize, Serialize};

use super::d1::{BOTTLENECK_TAP, PCA_TAP};
use crate::linear::candidate::compare_pairs;
use crate::zoo::{
    self, DesignComparison, Evaluated, REPRESENTATION, candidate, design_comparison, discrepancy,
    tap_reports,
};

/// Measurements of D2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct D2Report {
    /// Training seeds.
    pub seeds: Vec<u64>,
    /// Symmetry group of the bottleneck units (from the activation).
    pub group: String,
    /// Test mean squared error of each MLP.
    pub test_mse: Vec<f64>,
    /// `(max − min) / mean` of the test MSE.
    pub risk_spread: f64,
    /// Largest output-jet discrepancy over the seed pairs, coordinate design.
    pub output_jet_max: f64,
    /// One report per design, coordinate first.
    pub designs: Vec<DesignComparison>,
    /// Largest raw `pca`-tap discrepancy between PCA pipelines of different
    /// seeds, coordinate design.
    pub pca_representation_raw_max: f64,
    /// Test MSE spread of the PCA pipelines.
    pub pca_risk_spread: f64,
}

/// Compares the MLPs (and, as the contrast, the PCA pipelines) seed by seed.
pub fn report(
    pcas: &[Evaluated],
    mlps: &[Evaluated],
    designs: &[Design],
    group: Group,
    tolerances: &Tolerances,
) -> D2Report {
    let output = output_tap(mlps);
    let mlp_candidates: Vec<Candidate> = mlps
        .iter()
        .map(|mlp| {
            candidate(
                format!("seed {}", mlp.seed),
                mlp,
                BOTTLENECK_TAP,
                &output,
                group,
                false,
            )
        })
        .collect();
    let pairs = compare_pairs(&mlp_candidates, tolerances);

    let pca_candidates: Vec<Candidate> = pcas
        .iter()
        .map(|pca| {
            candidate(
                format!("seed {}", pca.seed),
                pca,
                PCA_TAP,
                &output,
                Group::Identity,
                false,
            )
        })
        .collect();
    let pca_pairs = compare_pairs(&pca_candidates, tolerances);
    let pca_representation_raw_max = tap_reports(&pca_pairs, REPRESENTATION, "coordinate")
        .map(|report| discrepancy(report, Group::Identity))
        .fold(0.0, f64::max);

    let test_mse: Vec<f64> = mlps.iter().map(|m| m.risk.loss).collect();
    let pca_mse: Vec<f64> = pcas.iter().map(|m| m.risk.loss).collect();
    D2Report {
        seeds: mlps.iter().map(|m| m.seed).collect(),
        group: group.name().to_string(),
        risk_spread: zoo::spread(&test_mse),
        test_mse,
        output_jet_max: pairs.iter().map(|p| p.output_jet).fold(0.0, f64::max),
        designs: designs
            .iter()
            .map(|design| design_comparison(&pairs, design, group))
            .collect(),
        pca_representation_raw_max,
        pca_risk_spread: zoo::spread(&pca_mse),
    }
}

/// Name of the output tap of the pipelines.
pub fn output_tap(models: &[Evaluated]) -> String {
    models
        .first()
        .and_then(|model| model.jets.first())
        .and_then(|(_, taps)| taps.last())
        .map(|jet| jet.tap.clone())
        .expect("a pipeline has an output tap")
}
