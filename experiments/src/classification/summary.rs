//! `summary.json` of the classification reproduction, the relations it is
//! checked against, and the short table printed at the end of a run.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::config::ClassificationConfig;
use super::dataset::DatasetReport;
use crate::deep::summary::{list, write_checks};
use crate::linear::summary::{Check, Comparison};
use crate::zoo::{self, DesignComparison, verdict_counts};

/// Name of the experiment in `summary.json`.
pub const EXPERIMENT: &str = "classification";

/// Everything a run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationSummary {
    /// Always [`EXPERIMENT`].
    pub experiment: String,
    /// Backend the run used.
    pub backend: String,
    /// Exact jet engine the run used.
    pub engine: String,
    /// The config as run.
    pub config: ClassificationConfig,
    /// C1, one report per data set.
    pub datasets: Vec<DatasetReport>,
    /// The relations the run is expected to show, each with its value.
    pub checks: Vec<Check>,
    /// Wall-clock seconds of the computation, without building.
    pub wall_time_s: f64,
}

fn smallest(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Evaluates the expected relations of a run on its results.
pub fn checks(summary: &ClassificationSummary) -> Vec<Check> {
    let tolerances = &summary.config.tolerances;
    let tau = tolerances.quotient;
    let mut checks = Vec::new();
    for report in &summary.datasets {
        let name = &report.name;
        checks.push(Check::new(
            format!(
                "{name}: gap between the mean test accuracy of the MLP and of the PCA pipelines"
            ),
            report.accuracy_gap,
            Comparison::Below,
            tolerances.comparable_accuracy,
        ));
        checks.push(Check::new(
            format!("{name}: range of the MLP seeds' test accuracy"),
            report.mlp_accuracy_range,
            Comparison::Below,
            tolerances.accuracy_range,
        ));
        checks.push(Check::new(
            format!("{name}, PCA against MLP: smallest centred logit-jet discrepancy"),
            smallest(&report.pca_against_mlp_logit_jet),
            Comparison::Above,
            tau,
        ));
        if let Some(coordinate) = report.pca_against_mlp.first() {
            checks.push(Check::new(
                format!(
                    "{name}, PCA against MLP, coordinate design: smallest representation discrepancy modulo general-linear"
                ),
                coordinate.general_linear_min,
                Comparison::Above,
                tau,
            ));
        }
        if let Some(coordinate) = report.mlp_seeds.first() {
            checks.push(Check::new(
                format!(
                    "{name}, MLP seeds, coordinate design: smallest bottleneck discrepancy modulo {}",
                    coordinate.group
                ),
                coordinate.symmetry_min,
                Comparison::Above,
                tau,
            ));
        }
    }
    checks
}

/// Formats the short table a run prints at its end.
pub fn table(summary: &ClassificationSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "C1 classification ({} backend, {} jets, τ = {})",
        summary.backend, summary.engine, summary.config.tolerances.quotient
    );
    for report in &summary.datasets {
        let _ = writeln!(
            out,
            "{}: {} classes, d = {}, k = {}",
            report.name, report.classes, report.data.features, report.k
        );
        let _ = writeln!(
            out,
            "  accuracy      PCA {}  MLP {}",
            list(&report.pca_accuracy),
            list(&report.mlp_accuracy)
        );
        let _ = writeln!(
            out,
            "  cross-entropy PCA {}  MLP {}",
            list(&report.pca_cross_entropy),
            list(&report.mlp_cross_entropy)
        );
        let _ = writeln!(
            out,
            "  logit jets: PCA against MLP {:.3}, MLP seeds {:.3} (means over pairs)",
            zoo::mean(&report.pca_against_mlp_logit_jet),
            zoo::mean(&report.mlp_seeds_logit_jet)
        );
        write_comparisons(&mut out, "PCA against MLP", &report.pca_against_mlp);
        write_comparisons(&mut out, "MLP seeds", &report.mlp_seeds);
    }
    write_checks(&mut out, &summary.checks);
    out
}

fn write_comparisons(out: &mut String, label: &str, comparisons: &[DesignComparison]) {
    for design in comparisons {
        let _ = writeln!(
            out,
            "  {:<16} {:<11} raw {:>7.3}  {} {:>7.3}  GL {:>7.3}  {}",
            label,
            design.design,
            design.raw,
            design.group,
            design.symmetry,
            design.general_linear,
            verdict_counts(&design.verdicts)
        );
    }
}
