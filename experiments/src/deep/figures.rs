//! The figures of the deep regression reproduction, each saved as PNG, SVG
//! and the CSV behind it.

use std::path::Path;

use crate::linear::figures::legend_headroom;
use crate::plot::{
    BarChart, BarSeries, LegendCorner, LineChart, PlotError, ReferenceLine, Scale, Series,
    SeriesStyle,
};

use super::alignment::DirectionAlignment;
use super::summary::DeepSummary;

/// Stems of every figure, in the order the README shows them.
pub const FIGURES: [&str; 5] = [
    "d1_risk",
    "d1_alignment",
    "d1_row_space",
    "d1_principal_angles",
    "d2_jets",
];

/// Writes every figure into `out`.
///
/// # Errors
/// [`PlotError`] from the first figure that cannot be drawn or written.
pub fn write_figures(summary: &DeepSummary, out: &Path) -> Result<(), PlotError> {
    risk(summary).save(&out.join("d1_risk"))?;
    alignment(summary).save(&out.join("d1_alignment"))?;
    row_space(summary).save(&out.join("d1_row_space"))?;
    principal_angles(summary).save(&out.join("d1_principal_angles"))?;
    d2_jets(summary).save(&out.join("d2_jets"))?;
    Ok(())
}

/// Test MSE of the PCA pipeline and the MLP, seed by seed.
fn risk(summary: &DeepSummary) -> BarChart {
    let d1 = &summary.d1;
    let categories = d1.seeds.iter().map(|seed| format!("seed {seed}")).collect();
    let mut chart = BarChart::new(
        format!(
            "D1: test risk, PCA pipeline against MLP (k = {})",
            summary.config.k
        ),
        "training seed",
        "test MSE (standardised target units²)",
        categories,
    );
    chart.series = vec![
        BarSeries::new("PCA pipeline", d1.pca_test_mse.clone()),
        BarSeries::new("MLP with bottleneck", d1.mlp_test_mse.clone()),
    ];
    chart.y_max = Some(legend_headroom(&chart));
    chart.legend = LegendCorner::UpperLeft;
    chart
}

fn by_direction(values: &[f64]) -> Points {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| ((i + 1) as f64, *value))
        .collect()
}

/// Points `(direction index, value)` of a line series.
type Points = Vec<(f64, f64)>;

/// Smallest and largest value over the seeds, direction by direction.
fn seed_range(
    alignments: &[DirectionAlignment],
    values: impl Fn(&DirectionAlignment) -> &Vec<f64>,
) -> (Points, Points) {
    let d = alignments.first().map_or(0, |a| values(a).len());
    let extreme = |pick: fn(f64, f64) -> f64, start: f64| -> Vec<f64> {
        (0..d)
            .map(|i| alignments.iter().map(|a| values(a)[i]).fold(start, pick))
            .collect()
    };
    (
        by_direction(&extreme(f64::min, f64::INFINITY)),
        by_direction(&extreme(f64::max, f64::NEG_INFINITY)),
    )
}

fn k_line(k: usize) -> ReferenceLine {
    ReferenceLine::vertical(k as f64 + 0.5, format!("k = {k}"))
}

/// Energy share of each principal direction in the MLP bottleneck's jets,
/// against the share of the data variance along it.
fn alignment(summary: &DeepSummary) -> LineChart {
    let d1 = &summary.d1;
    let mut chart = LineChart::new(
        "D1: MLP bottleneck jets along the principal directions",
        "principal direction i, by decreasing explained variance",
        "share of the total (dimensionless)",
    );
    chart.y_scale = Scale::Log;
    chart.series = vec![
        Series::new(
            "explained variance ratio of direction i",
            by_direction(&d1.explained_variance_ratio),
            SeriesStyle::LineAndMarkers,
        ),
        Series::new(
            "energy share ‖S vᵢ‖² / ‖S‖², mean of seeds",
            by_direction(&d1.mlp_energy_share),
            SeriesStyle::LineAndMarkers,
        ),
    ];
    let (low, high) = seed_range(&d1.mlp_alignment, |a| &a.energy_share);
    chart.series.push(Series::new(
        "energy share, lowest seed",
        low,
        SeriesStyle::Dashed,
    ));
    chart.series.push(Series::new(
        "energy share, highest seed",
        high,
        SeriesStyle::Dashed,
    ));
    chart.references = vec![k_line(summary.config.k)];
    chart.legend = LegendCorner::LowerLeft;
    chart
}

/// Fraction of each principal direction inside the dominant row space of
/// the bottleneck jets, MLP against the PCA pipeline.
fn row_space(summary: &DeepSummary) -> LineChart {
    let d1 = &summary.d1;
    let k = summary.config.k;
    let mut chart = LineChart::new(
        format!("D1: principal directions inside the top-{k} row space of the tap jets"),
        "principal direction i, by decreasing explained variance",
        "fraction ‖P vᵢ‖² in the row space (dimensionless)",
    );
    chart.series = vec![
        Series::new(
            "PCA pipeline, pca tap",
            by_direction(&d1.pca_alignment.row_space_fraction),
            SeriesStyle::Dashed,
        ),
        Series::new(
            "MLP bottleneck, mean of seeds",
            by_direction(&d1.mlp_row_space_fraction),
            SeriesStyle::LineAndMarkers,
        ),
    ];
    let (low, high) = seed_range(&d1.mlp_alignment, |a| &a.row_space_fraction);
    chart
        .series
        .push(Series::new("MLP, lowest seed", low, SeriesStyle::Markers));
    chart
        .series
        .push(Series::new("MLP, highest seed", high, SeriesStyle::Markers));
    chart.references = vec![k_line(k)];
    chart.legend = LegendCorner::UpperRight;
    chart
}

/// Principal-angle cosines between each MLP's dominant row space and the
/// top-`k` principal subspace.
fn principal_angles(summary: &DeepSummary) -> BarChart {
    let d1 = &summary.d1;
    let k = summary.config.k;
    let angles = d1.mlp_alignment.first().map_or(0, |a| a.cosines.len());
    let categories = (1..=angles).map(|j| format!("angle {j}")).collect();
    let mut chart = BarChart::new(
        format!("D1: MLP row space against the top-{k} PCA subspace"),
        "principal angle, smallest first",
        "cosine of the principal angle (dimensionless)",
        categories,
    );
    chart.series = d1
        .seeds
        .iter()
        .zip(&d1.mlp_alignment)
        .map(|(seed, alignment)| BarSeries::new(format!("seed {seed}"), alignment.cosines.clone()))
        .collect();
    // Cosines are at most 1, and the smallest ones (right) leave room for
    // the legend.
    chart.y_max = Some(1.0);
    chart.legend = LegendCorner::UpperRight;
    chart
}

/// Bottleneck and output discrepancies of the MLP seed pairs, per design.
fn d2_jets(summary: &DeepSummary) -> BarChart {
    let d2 = &summary.d2;
    let categories = d2
        .designs
        .iter()
        .map(|design| format!("{} (K = {})", design.design, design.k))
        .collect();
    let mut chart = BarChart::new(
        "D2: MLP seed pairs, jets per design",
        "design",
        "mean discrepancy over seed pairs (dimensionless)",
        categories,
    );
    chart.y_scale = Scale::Log;
    let values =
        |value: fn(&crate::zoo::DesignComparison) -> f64| d2.designs.iter().map(value).collect();
    chart.series = vec![
        BarSeries::new("bottleneck, raw", values(|d| d.raw)),
        BarSeries::new(
            format!("bottleneck modulo {}", d2.group),
            values(|d| d.symmetry),
        ),
        BarSeries::new(
            "bottleneck modulo general-linear",
            values(|d| d.general_linear),
        ),
        BarSeries::new("output jet", values(|d| d.output)),
    ];
    let tau = summary.config.tolerances.quotient;
    chart.references = vec![ReferenceLine::horizontal(tau, format!("τ = {tau}"))];
    // The headroom estimate leaves the four-row legend touching the tallest
    // bars on this log axis, so raise the top by another half decade.
    chart.y_max = Some(legend_headroom(&chart) * 3.0);
    chart.legend = LegendCorner::UpperLeft;
    chart
}
