//! The figures of the classification reproduction, each saved as PNG, SVG
//! and the CSV behind it.

use std::path::Path;

use crate::linear::figures::legend_headroom;
use crate::plot::{BarChart, BarSeries, LegendCorner, PlotError, ReferenceLine, Scale};
use crate::zoo;

use super::dataset::DatasetReport;
use super::summary::ClassificationSummary;

/// Stems of every figure, in the order the README shows them.
pub const FIGURES: [&str; 3] = ["c1_accuracy", "c1_cross_entropy", "c1_jets"];

/// Writes every figure into `out`.
///
/// # Errors
/// [`PlotError`] from the first figure that cannot be drawn or written.
pub fn write_figures(summary: &ClassificationSummary, out: &Path) -> Result<(), PlotError> {
    let accuracy = risk_chart(
        summary,
        "C1: test accuracy of each seed",
        "test accuracy (fraction of rows)",
        |report| (&report.pca_accuracy, &report.mlp_accuracy),
    );
    accuracy.save(&out.join("c1_accuracy"))?;
    let cross_entropy = risk_chart(
        summary,
        "C1: test cross-entropy of each seed",
        "test cross-entropy (nats)",
        |report| (&report.pca_cross_entropy, &report.mlp_cross_entropy),
    );
    cross_entropy.save(&out.join("c1_cross_entropy"))?;
    jets(summary).save(&out.join("c1_jets"))?;
    Ok(())
}

/// One group of bars per data set and pipeline kind, one bar per seed.
fn risk_chart(
    summary: &ClassificationSummary,
    title: &str,
    y_label: &str,
    values: impl Fn(&DatasetReport) -> (&Vec<f64>, &Vec<f64>),
) -> BarChart {
    let mut categories = Vec::new();
    for report in &summary.datasets {
        categories.push(format!("{}: PCA + softmax", report.name));
        categories.push(format!("{}: MLP + softmax", report.name));
    }
    let mut chart = BarChart::new(title, "data set and pipeline", y_label, categories);
    chart.series = summary
        .config
        .seeds
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let bars = summary
                .datasets
                .iter()
                .flat_map(|report| {
                    let (pca, mlp) = values(report);
                    [pca[i], mlp[i]]
                })
                .collect();
            BarSeries::new(format!("seed {seed}"), bars)
        })
        .collect();
    chart.y_max = Some(legend_headroom(&chart));
    chart.legend = LegendCorner::UpperRight;
    chart
}

/// Logit and representation jets of the compared pairs, coordinate design.
fn jets(summary: &ClassificationSummary) -> BarChart {
    let mut categories = Vec::new();
    let mut logit = Vec::new();
    let mut raw = Vec::new();
    let mut permutation_scale = Vec::new();
    let mut general_linear = Vec::new();
    for report in &summary.datasets {
        let pairs = [
            (
                "PCA vs MLP",
                &report.pca_against_mlp_logit_jet,
                &report.pca_against_mlp,
            ),
            ("MLP seeds", &report.mlp_seeds_logit_jet, &report.mlp_seeds),
        ];
        for (label, logit_jets, designs) in pairs {
            let Some(coordinate) = designs.first() else {
                continue;
            };
            categories.push(format!("{}: {label}", report.name));
            logit.push(zoo::mean(logit_jets));
            raw.push(coordinate.raw);
            permutation_scale.push(coordinate.permutation_scale);
            general_linear.push(coordinate.general_linear);
        }
    }
    let mut chart = BarChart::new(
        "C1: jets of compared pairs, coordinate design",
        "data set and pair",
        "mean discrepancy over pairs (dimensionless)",
        categories,
    );
    chart.y_scale = Scale::Log;
    chart.series = vec![
        BarSeries::new("logits, centred", logit),
        BarSeries::new("representation, raw", raw),
        BarSeries::new("representation modulo permutation-scale", permutation_scale),
        BarSeries::new("representation modulo general-linear", general_linear),
    ];
    let tau = summary.config.tolerances.quotient;
    chart.references = vec![ReferenceLine::horizontal(tau, format!("τ = {tau}"))];
    // The headroom estimate leaves the four-row legend touching the tallest
    // bars on this log axis, so raise the top by another half decade.
    chart.y_max = Some(legend_headroom(&chart) * 3.0);
    chart.legend = LegendCorner::UpperLeft;
    chart
}
