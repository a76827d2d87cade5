//! `summary.json` of the deep regression reproduction, the relations it is
//! checked against, and the short table printed at the end of a run.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::config::DeepConfig;
use super::d1::D1Report;
use super::d2::D2Report;
use crate::linear::summary::{Check, Comparison};

/// Name of the experiment in `summary.json`.
pub const EXPERIMENT: &str = "deep";

/// Bound on the raw `pca`-tap discrepancy across seeds: the PCA is fitted
/// once on the same rows, so only rounding separates the seeds.
pub const PCA_SEED_BOUND: f64 = 1e-6;

/// Everything a run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeepSummary {
    /// Always [`EXPERIMENT`].
    pub experiment: String,
    /// Backend the run used.
    pub backend: String,
    /// Exact jet engine the run used.
    pub engine: String,
    /// Data set: CSV path, its SHA-256, rows per split and features.
    pub data: DataSummary,
    /// The config as run.
    pub config: DeepConfig,
    /// D1: the PCA pipeline against the MLP.
    pub d1: D1Report,
    /// D2: the MLP seed ensemble.
    pub d2: D2Report,
    /// The relations the run is expected to show, each with its value.
    pub checks: Vec<Check>,
    /// Wall-clock seconds of the computation, without building.
    pub wall_time_s: f64,
}

/// Provenance of a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    /// Source of the rows: the CSV path.
    pub source: String,
    /// SHA-256 of the data file.
    pub fingerprint: String,
    /// Rows in the training, validation and test splits.
    pub rows: [usize; 3],
    /// Number of input features `d` after preparation.
    pub features: usize,
}

/// Evaluates the expected relations of a run on its results.
pub fn checks(summary: &DeepSummary) -> Vec<Check> {
    let tolerances = &summary.config.tolerances;
    let d1 = &summary.d1;
    let d2 = &summary.d2;
    let mut checks = vec![
        Check::new(
            "D1: relative gap between the mean test MSE of the MLP and of the PCA pipelines",
            d1.relative_risk_gap,
            Comparison::Below,
            tolerances.comparable_risk,
        ),
        Check::new(
            "D1: MLP bottleneck energy share, mean over the top k principal directions minus mean over the rest",
            d1.energy_share_top_minus_rest,
            Comparison::Above,
            0.0,
        ),
        Check::new(
            "D1: fraction of each principal direction in the MLP's dominant row space, mean over the top k minus mean over the rest",
            d1.row_space_fraction_top_minus_rest,
            Comparison::Above,
            0.0,
        ),
        Check::new(
            "D2: relative spread of the MLPs' test MSE",
            d2.risk_spread,
            Comparison::Below,
            tolerances.risk,
        ),
        Check::new(
            "D2: largest raw pca-tap discrepancy between PCA pipelines of different seeds",
            d2.pca_representation_raw_max,
            Comparison::Below,
            PCA_SEED_BOUND,
        ),
    ];
    if let Some(coordinate) = d2.designs.first() {
        checks.push(Check::new(
            format!(
                "D2, coordinate design: smallest bottleneck discrepancy modulo {} over the seed pairs",
                d2.group
            ),
            coordinate.symmetry_min,
            Comparison::Above,
            tolerances.quotient,
        ));
    }
    checks
}

/// Formats the short table a run prints at its end.
pub fn table(summary: &DeepSummary) -> String {
    let mut out = String::new();
    let d1 = &summary.d1;
    let k = summary.config.k;
    let _ = writeln!(
        out,
        "D1 PCA pipeline against MLP, k = {k} ({} backend, {} jets)",
        summary.backend, summary.engine
    );
    let _ = writeln!(
        out,
        "  test MSE: PCA {}, MLP {} (relative gap {:.3})",
        list(&d1.pca_test_mse),
        list(&d1.mlp_test_mse),
        d1.relative_risk_gap
    );
    let _ = writeln!(
        out,
        "  {:>9} {:>9} {:>12} {:>12}",
        "direction", "variance", "MLP energy", "MLP in rows"
    );
    for (i, variance) in d1.explained_variance_ratio.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>9} {:>9.4} {:>12.4} {:>12.4}",
            i + 1,
            variance,
            d1.mlp_energy_share[i],
            d1.mlp_row_space_fraction[i]
        );
    }
    let _ = writeln!(
        out,
        "  mean squared cosine to the top-{k} PCA subspace: {:.3}",
        d1.mlp_mean_squared_cosine
    );

    let d2 = &summary.d2;
    let _ = writeln!(
        out,
        "D2 MLP seeds {:?}: risk spread {:.3}, largest output-jet discrepancy {:.3}",
        d2.seeds, d2.risk_spread, d2.output_jet_max
    );
    let _ = writeln!(
        out,
        "  {:<11} {:>7} {:>9} {:>9} {:>9}  verdicts modulo {}",
        "design", "raw", d2.group, "GL", "output", d2.group
    );
    for design in &d2.designs {
        let _ = writeln!(
            out,
            "  {:<11} {:>7.3} {:>9.3} {:>9.3} {:>9.3}  {}",
            design.design,
            design.raw,
            design.symmetry,
            design.general_linear,
            design.output,
            crate::zoo::verdict_counts(&design.verdicts)
        );
    }
    write_checks(&mut out, &summary.checks);
    out
}

/// Formats values to three significant decimals, comma separated.
pub fn list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:.3}")).collect();
    items.join(", ")
}

/// Appends the count of holding checks and every failed one.
pub fn write_checks(out: &mut String, checks: &[Check]) {
    let failed: Vec<&Check> = checks.iter().filter(|c| !c.passed).collect();
    let _ = writeln!(
        out,
        "Checks: {} of {} relations hold",
        checks.len() - failed.len(),
        checks.len()
    );
    for check in failed {
        let _ = writeln!(
            out,
            "  FAILED {}: {:.3e} is not {} {:.1e}",
            check.relation,
            check.value,
            match check.comparison {
                Comparison::Below => "below",
                Comparison::Above => "above",
            },
            check.bound
        );
    }
}
