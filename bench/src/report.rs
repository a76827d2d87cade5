//! Markdown tables and sweep figures from the benchmark's measurements.

use std::fmt::Write;
use std::path::Path;

use anyhow::Context;
use mojet_experiments::plot::{LegendCorner, LineChart, Scale, Series, SeriesStyle};

use crate::driver::CaseResult;
use crate::memory::MemoryReport;
use crate::sgemm::SgemmReport;

const KIB_PER_MIB: f64 = 1024.0;

/// Returns a markdown table of the cases: one row per engine with its median
/// time, GFLOP/s, peak memory, the ratio of mojet's time to its time, and the
/// largest relative difference of its jets from mojet's.
pub fn cases_table(results: &[CaseResult]) -> String {
    let mut table = String::from(
        "| case | chunk | engine | median (s) | GFLOP/s | peak (MiB) | mojet / engine | max rel. diff |\n\
         |---|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for result in results {
        let mojet = result.engines[0].median_s;
        for engine in &result.engines {
            let peak = engine.peak_rss_kib.map_or("n/a".to_string(), |kib| {
                format!("{:.0}", kib as f64 / KIB_PER_MIB)
            });
            let _ = writeln!(
                table,
                "| {} | {} | {} | {:.4} | {:.1} | {} | {:.2} | {:.1e} |",
                result.case.label(),
                result.chunk_size,
                engine.engine,
                engine.median_s,
                result.flops / engine.median_s / 1e9,
                peak,
                mojet / engine.median_s,
                engine.max_relative_difference,
            );
        }
    }
    table
}

/// Returns a markdown table of the matrix-product throughputs.
pub fn sgemm_table(reports: &[SgemmReport]) -> String {
    let mut table = String::from("| library | n | median (s) | GFLOP/s |\n|---|---:|---:|---:|\n");
    for report in reports {
        let _ = writeln!(
            table,
            "| {} | {} | {:.3} | {:.1} |",
            report.library, report.size, report.median_s, report.gflops
        );
    }
    table
}

/// Returns a markdown table of a streaming run.
pub fn memory_table(report: &MemoryReport) -> String {
    let peak = report.peak_rss_kib.map_or("n/a".to_string(), |kib| {
        format!("{:.0}", kib as f64 / KIB_PER_MIB)
    });
    format!(
        "| case | chunk | total (s) | jets (s) | peak (MiB) |\n|---|---:|---:|---:|---:|\n\
         | {} | {} | {:.1} | {:.1} | {} |\n",
        report.label, report.chunk_size, report.total_s, report.jets_s, peak
    )
}

/// Which size a sweep varies.
#[derive(Debug, Clone, Copy)]
pub enum Sweep {
    /// The number of base points `N`.
    Points,
    /// The number of directions per point `K`.
    Directions,
}

impl Sweep {
    fn value(self, result: &CaseResult) -> f64 {
        match self {
            Sweep::Points => result.case.points as f64,
            Sweep::Directions => result.case.directions as f64,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Sweep::Points => "points",
            Sweep::Directions => "directions",
        }
    }

    fn axis_label(self) -> &'static str {
        match self {
            Sweep::Points => "base points N",
            Sweep::Directions => "directions per point K",
        }
    }
}

/// Saves two log-log charts of a sweep into `figures`: median time and peak
/// memory against the swept size, one series per engine.
///
/// # Errors
/// Fails when a figure cannot be written.
pub fn plot_sweep(results: &[CaseResult], sweep: Sweep, figures: &Path) -> anyhow::Result<()> {
    let Some(first) = results.first() else {
        return Ok(());
    };
    let preset = &first.case.preset;
    let engines: Vec<&str> = first.engines.iter().map(|e| e.engine.as_str()).collect();
    let series = |measure: &dyn Fn(&CaseResult, usize) -> Option<f64>| -> Vec<Series> {
        engines
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let points = results
                    .iter()
                    .filter_map(|r| measure(r, index).map(|y| (sweep.value(r), y)))
                    .collect();
                Series::new(*name, points, SeriesStyle::LineAndMarkers)
            })
            .collect()
    };

    let time = series(&|r, i| Some(r.engines[i].median_s));
    let memory = series(&|r, i| {
        r.engines[i]
            .peak_rss_kib
            .map(|kib| kib as f64 / KIB_PER_MIB)
    });
    for (measure, y_label, values) in [
        ("time", "median time (s)", time),
        ("memory", "peak resident memory (MiB)", memory),
    ] {
        let mut chart = LineChart::new(
            format!(
                "Jets of every tap, {preset} MLP: {measure} against {}",
                sweep.name()
            ),
            sweep.axis_label(),
            y_label,
        );
        chart.x_scale = Scale::Log;
        chart.y_scale = Scale::Log;
        chart.series = values;
        chart.legend = LegendCorner::UpperLeft;
        let stem = figures.join(format!("sweep-{}-{measure}", sweep.name()));
        chart
            .save(&stem)
            .with_context(|| format!("saving {}", stem.display()))?;
    }
    Ok(())
}
