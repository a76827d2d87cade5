//! The figures of the linear reproduction, each saved as PNG, SVG and the
//! CSV behind it.

use std::path::Path;

use crate::plot::{
    BarChart, BarSeries, LegendCorner, LineChart, PlotError, ReferenceLine, Scale, Series,
    SeriesStyle,
};

use super::ensembles::EnsembleReport;
use super::estimator::{EstimatorRow, Sweep};
use super::summary::Summary;

/// Stems of every figure, in the order the README shows them.
pub const FIGURES: [&str; 9] = [
    "mirage_family",
    "recovery",
    "ensemble_risk",
    "ensemble_tap_jets_gl",
    "ensemble_tap_jets_raw",
    "estimator_k",
    "estimator_epsilon",
    "estimator_noise",
    "real_data",
];

/// Writes every figure into `out`.
///
/// # Errors
/// [`PlotError`] from the first figure that cannot be drawn or written.
pub fn write_figures(summary: &Summary, out: &Path) -> Result<(), PlotError> {
    mirage_family(summary).save(&out.join("mirage_family"))?;
    recovery(summary).save(&out.join("recovery"))?;
    ensemble_risk(summary).save(&out.join("ensemble_risk"))?;
    ensemble_tap_jets(summary, true).save(&out.join("ensemble_tap_jets_gl"))?;
    ensemble_tap_jets(summary, false).save(&out.join("ensemble_tap_jets_raw"))?;
    estimator_k(summary).save(&out.join("estimator_k"))?;
    estimator_epsilon(summary).save(&out.join("estimator_epsilon"))?;
    estimator_noise(summary).save(&out.join("estimator_noise"))?;
    real_data(summary).save(&out.join("real_data"))?;
    Ok(())
}

/// Plots the relative discrepancies to `t = 0` along the family. The member
/// at `t = 0` is the reference, where every discrepancy is 0, so it is left out of the
/// log axis.
fn mirage_family(summary: &Summary) -> LineChart {
    let rows: Vec<_> = summary.mirage_family.iter().filter(|r| r.t > 0.0).collect();
    let origin = summary
        .mirage_family
        .first()
        .map_or(1.0, |row| row.test_mse);
    let series = |name: &str, value: &dyn Fn(&super::mirage::MirageRow) -> f64| {
        Series::new(
            name,
            rows.iter().map(|row| (row.t, value(row))).collect(),
            SeriesStyle::LineAndMarkers,
        )
    };

    let mut chart = LineChart::new(
        "L1: the mirage family (S_t A*, B* S_t⁻¹), S_t = exp(tG)",
        "position t along the family (dimensionless, ‖G‖₂ = 1)",
        "relative discrepancy to t = 0 (dimensionless)",
    );
    chart.y_scale = Scale::Log;
    chart.series = vec![
        series("encoder jet, raw", &|row| row.tap_jet_raw),
        series("test risk, |R(t) − R(0)| / R(0)", &|row| {
            (row.test_mse - origin).abs() / origin
        }),
        series("output jet", &|row| row.output_jet),
        series("encoder jet modulo GL(r)", &|row| row.tap_jet_gl),
    ];
    let tolerances = &summary.config.tolerances;
    chart.references = vec![
        ReferenceLine::horizontal(
            tolerances.mirage_quotient,
            format!("bound on GL discrepancy {:.0e}", tolerances.mirage_quotient),
        ),
        ReferenceLine::horizontal(
            tolerances.mirage_flat,
            format!(
                "bound on risk and output change {:.0e}",
                tolerances.mirage_flat
            ),
        ),
    ];
    // The raw discrepancy fills the top of the plot and the flat quantities
    // its bottom, so only the middle is free for the legend.
    chart.legend = LegendCorner::MiddleLeft;
    chart
}

/// Recovery errors of `A` and `B` per case.
fn recovery(summary: &Summary) -> BarChart {
    let categories = summary
        .recovery
        .iter()
        .map(|row| {
            let status = if row.rank_conditions_hold {
                "hold"
            } else {
                "fail"
            };
            format!("{} ({status})", row.case)
        })
        .collect();
    let mut chart = BarChart::new(
        "L1: recovery of (A, B) from module jets",
        "case (rank conditions)",
        "relative Frobenius error (dimensionless)",
        categories,
    );
    chart.y_scale = Scale::Log;
    chart.series = vec![
        BarSeries::new(
            "A error ‖Â − A‖ / ‖A‖",
            summary.recovery.iter().map(|row| row.a_error).collect(),
        ),
        BarSeries::new(
            "B error ‖B̂ − B‖ / ‖B‖",
            summary.recovery.iter().map(|row| row.b_error).collect(),
        ),
    ];
    let bound = summary.config.tolerances.recovery;
    chart.references = vec![ReferenceLine::horizontal(
        bound,
        format!("bound {bound:.0e}"),
    )];
    chart.legend = LegendCorner::UpperLeft;
    chart
}

/// Test risk of every seed, per regime.
fn ensemble_risk(summary: &Summary) -> BarChart {
    let reports = &summary.ensembles;
    let categories = reports.iter().map(|r| r.regime.clone()).collect();
    let mut chart = BarChart::new(
        "L2: test risk of each seed",
        "regime",
        "test MSE (standardised target units²)",
        categories,
    );
    let seeds = reports.first().map_or(&[][..], |r| &r.seeds[..]);
    chart.series = seeds
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            BarSeries::new(
                format!("seed {seed}"),
                reports.iter().map(|r| r.test_mse[i]).collect(),
            )
        })
        .collect();
    chart.y_max = Some(legend_headroom(&chart));
    chart.legend = LegendCorner::UpperLeft;
    chart
}

/// Encoder-jet discrepancies between seeds, per regime and design.
fn ensemble_tap_jets(summary: &Summary, general_linear: bool) -> BarChart {
    let (title, y_label) = if general_linear {
        (
            "L2: encoder jets of seed pairs modulo GL(r)",
            "largest discrepancy modulo GL(r) over pairs (dimensionless)",
        )
    } else {
        (
            "L2: encoder jets of seed pairs, raw",
            "largest raw discrepancy over pairs (dimensionless)",
        )
    };
    let mut chart = design_bars(title, "regime", y_label, &summary.ensembles, general_linear);
    let tau = summary.config.tolerances.quotient;
    chart.references = vec![ReferenceLine::horizontal(tau, format!("τ = {tau}"))];
    chart.y_max = Some(legend_headroom(&chart));
    chart
}

/// Builds a log-scale chart with one bar per design in each report's group.
fn design_bars(
    title: &str,
    x_label: &str,
    y_label: &str,
    reports: &[EnsembleReport],
    general_linear: bool,
) -> BarChart {
    let categories = reports.iter().map(|r| r.regime.clone()).collect();
    let mut chart = BarChart::new(title, x_label, y_label, categories);
    chart.y_scale = Scale::Log;
    let designs: Vec<String> = reports
        .first()
        .map(|r| r.designs.iter().map(|d| d.design.clone()).collect())
        .unwrap_or_default();
    chart.series = designs
        .iter()
        .enumerate()
        .map(|(i, design)| {
            let k = reports[0].designs[i].k;
            BarSeries::new(
                format!("{design} design (K = {k})"),
                reports
                    .iter()
                    .map(|r| {
                        let report = &r.designs[i];
                        if general_linear {
                            report.tap_jet_gl
                        } else {
                            report.tap_jet_raw
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    chart.legend = LegendCorner::UpperLeft;
    chart
}

fn estimator_rows(summary: &Summary, sweep: Sweep, engine: &str) -> Vec<EstimatorRow> {
    summary
        .estimator
        .iter()
        .filter(|row| row.sweep == sweep && row.engine == engine)
        .cloned()
        .collect()
}

/// Error of the reconstructed Jacobian against the number of directions.
fn estimator_k(summary: &Summary) -> LineChart {
    let mut chart = LineChart::new(
        "L3: Jacobian reconstructed from K isotropic directions",
        format!(
            "directions per base point K (input dimension d = {})",
            summary.config.synthetic.d
        ),
        "relative error of (J U) Uᵀ (dimensionless)",
    );
    chart.y_scale = Scale::Log;
    let epsilon = summary.config.estimator.epsilon;
    for (engine, label) in [
        (
            summary.engine.clone(),
            format!("{} (exact)", summary.engine),
        ),
        ("central".to_string(), format!("central, ε = {epsilon}")),
        (
            "least-squares".to_string(),
            format!("least squares, ε = {epsilon}"),
        ),
    ] {
        let points = estimator_rows(summary, Sweep::K, &engine)
            .iter()
            .map(|row| (row.k as f64, row.relative_error))
            .collect();
        chart
            .series
            .push(Series::new(label, points, SeriesStyle::LineAndMarkers));
    }
    let d = summary.config.synthetic.d as f64;
    // The line sits at the right end of the axis, where a long label is cut.
    chart.references = vec![ReferenceLine::vertical(d, "K = d")];
    chart.legend = LegendCorner::LowerLeft;
    chart
}

/// Error against the step, with dashed slope references through the
/// second-largest step of each engine's curve, where truncation error
/// dominates rounding error and the leading term dominates the truncation
/// error.
fn estimator_epsilon(summary: &Summary) -> LineChart {
    let mut chart = LineChart::new(
        "L3: finite-difference jets against the step ε (K = d, no noise)",
        "step ε (input units; inputs have unit variance)",
        "relative error of the Jacobian (dimensionless)",
    );
    chart.x_scale = Scale::Log;
    chart.y_scale = Scale::Log;
    for (engine, label, order, order_label) in [
        ("central", "central differences", 2, "O(ε²) reference"),
        ("least-squares", "least squares", 1, "O(ε) reference"),
    ] {
        let points: Vec<(f64, f64)> = estimator_rows(summary, Sweep::Epsilon, engine)
            .iter()
            .map(|row| (row.epsilon, row.relative_error))
            .collect();
        let reference = slope_reference(&points, order);
        chart
            .series
            .push(Series::new(label, points, SeriesStyle::LineAndMarkers));
        chart
            .series
            .push(Series::new(order_label, reference, SeriesStyle::Dashed));
    }
    chart.legend = LegendCorner::LowerRight;
    chart
}

/// `c x^order` at the x of every point, through the second-largest x.
fn slope_reference(points: &[(f64, f64)], order: i32) -> Vec<(f64, f64)> {
    let mut by_x = points.to_vec();
    by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    let anchor = by_x.len().saturating_sub(2);
    let Some(&(x0, y0)) = by_x.get(anchor) else {
        return Vec::new();
    };
    points
        .iter()
        .map(|&(x, _)| (x, y0 * (x / x0).powi(order)))
        .collect()
}

/// Error against the observation noise at a fixed step.
fn estimator_noise(summary: &Summary) -> LineChart {
    let epsilon = summary.config.estimator.epsilon;
    let mut chart = LineChart::new(
        format!("L3: finite-difference jets under observation noise (K = d, ε = {epsilon})"),
        "noise standard deviation σ (tap units)",
        "relative error of the Jacobian (dimensionless)",
    );
    chart.x_scale = Scale::Log;
    chart.y_scale = Scale::Log;
    for (engine, label) in [
        ("central", "central differences"),
        ("least-squares", "least squares"),
    ] {
        let points = estimator_rows(summary, Sweep::Noise, engine)
            .iter()
            .map(|row| (row.noise, row.relative_error))
            .collect();
        chart
            .series
            .push(Series::new(label, points, SeriesStyle::LineAndMarkers));
    }
    chart.legend = LegendCorner::UpperLeft;
    chart
}

/// Encoder-jet discrepancies of the real-data ensembles per width: raw
/// under the coordinate design, and modulo `GL(r)` under every design.
fn real_data(summary: &Summary) -> BarChart {
    let real = &summary.real_data;
    let reports = &real.ensembles;
    let categories = reports
        .iter()
        .map(|r| format!("width {}", r.width))
        .collect();
    let mut chart = BarChart::new(
        format!("Real data ({}): encoder jets of seed pairs", real.name),
        "encoder width r (the map has rank 1)",
        "largest discrepancy over pairs (dimensionless)",
        categories,
    );
    chart.y_scale = Scale::Log;
    if let Some(first) = reports.first() {
        let coordinate = &first.designs[0].design;
        chart.series.push(BarSeries::new(
            format!("{coordinate} design, raw"),
            reports.iter().map(|r| r.designs[0].tap_jet_raw).collect(),
        ));
        for (i, design) in first.designs.iter().enumerate() {
            chart.series.push(BarSeries::new(
                format!("{} design, modulo GL(r)", design.design),
                reports.iter().map(|r| r.designs[i].tap_jet_gl).collect(),
            ));
        }
    }
    let tau = summary.config.tolerances.quotient;
    chart.references = vec![ReferenceLine::horizontal(tau, format!("τ = {tau}"))];
    chart.y_max = Some(legend_headroom(&chart));
    chart.legend = LegendCorner::UpperLeft;
    chart
}

/// Height of the plot area in pixels, about: the figure less its title and
/// x axis labels.
const PLOT_HEIGHT_PX: f64 = 450.0;
/// Height of one legend entry and of the legend's margins and border, in
/// pixels, about.
const LEGEND_ROW_PX: f64 = 20.0;
const LEGEND_PADDING_PX: f64 = 40.0;

/// Top of the y axis that leaves a legend in an upper corner clear of the
/// tallest bar, from the approximate sizes above.
pub(crate) fn legend_headroom(chart: &BarChart) -> f64 {
    let values: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|series| series.values.iter().copied())
        .filter(|value| value.is_finite() && *value > 0.0)
        .collect();
    let max = values.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
    let legend = LEGEND_PADDING_PX + LEGEND_ROW_PX * chart.series.len() as f64;
    let fraction = (legend / PLOT_HEIGHT_PX).min(0.6);
    match chart.y_scale {
        Scale::Linear => max / (1.0 - fraction),
        Scale::Log => {
            let min = values.iter().copied().fold(max, f64::min);
            let decades = (max / min).log10().max(1.0);
            max * 10f64.powf(decades * fraction / (1.0 - fraction))
        }
    }
}
