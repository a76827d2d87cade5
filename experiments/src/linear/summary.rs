//! `summary.json` of the linear reproduction, the relations it is checked
//! against, and the short table printed at the end of a run.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::config::LinearConfig;
use super::ensembles::EnsembleReport;
use super::estimator::{EstimatorRow, Sweep};
use super::mirage::MirageRow;
use super::real_data::RealDataReport;
use super::recovery::RecoveryRow;
use super::{FULL_RANK, SUBSPACE};

/// Name of the experiment in `summary.json`.
pub const EXPERIMENT: &str = "linear";

/// Everything a run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always [`EXPERIMENT`].
    pub experiment: String,
    /// Backend the run used.
    pub backend: String,
    /// Exact jet engine the run used.
    pub engine: String,
    /// The config as run.
    pub config: LinearConfig,
    /// L1: one row per value of `t`.
    pub mirage_family: Vec<MirageRow>,
    /// L1: one row per recovery case.
    pub recovery: Vec<RecoveryRow>,
    /// L2: one report per synthetic regime.
    pub ensembles: Vec<EnsembleReport>,
    /// L3: one row per engine and sweep point.
    pub estimator: Vec<EstimatorRow>,
    /// The L2 diagnosis on real data.
    pub real_data: RealDataReport,
    /// The relations the run is expected to show, each with its value.
    pub checks: Vec<Check>,
    /// Wall-clock seconds of the computation, without building.
    pub wall_time_s: f64,
}

/// Direction of a check's inequality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    /// The value must stay below the bound.
    Below,
    /// The value must exceed the bound.
    Above,
}

/// One expected relation and whether the run showed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Statement of the relation.
    pub relation: String,
    /// The measured value.
    pub value: f64,
    /// Whether the value must be below or above the bound.
    pub comparison: Comparison,
    /// The bound.
    pub bound: f64,
    /// Whether the relation holds.
    pub passed: bool,
}

impl Check {
    /// Builds a check of `value` against `bound` and records whether it holds.
    pub fn new(
        relation: impl Into<String>,
        value: f64,
        comparison: Comparison,
        bound: f64,
    ) -> Self {
        let passed = match comparison {
            Comparison::Below => value < bound,
            Comparison::Above => value > bound,
        };
        Self {
            relation: relation.into(),
            value,
            comparison,
            bound,
            passed,
        }
    }
}

/// Largest relative change of the test risk along the mirage family.
pub fn mirage_risk_change(rows: &[MirageRow]) -> f64 {
    let origin = rows.first().map_or(0.0, |row| row.test_mse);
    rows.iter()
        .map(|row| (row.test_mse - origin).abs() / origin.abs().max(f64::MIN_POSITIVE))
        .fold(0.0, f64::max)
}

/// Smallest increase of the raw tap-jet discrepancy between successive `t`.
pub fn mirage_raw_increase(rows: &[MirageRow]) -> f64 {
    rows.windows(2)
        .map(|pair| pair[1].tap_jet_raw - pair[0].tap_jet_raw)
        .fold(f64::INFINITY, f64::min)
}

/// Evaluates the expected relations of a run on its results.
pub fn checks(summary: &Summary) -> Vec<Check> {
    let tolerances = &summary.config.tolerances;
    let rows = &summary.mirage_family;
    let largest = |value: fn(&MirageRow) -> f64| rows.iter().map(value).fold(0.0, f64::max);
    let mut checks = vec![
        Check::new(
            "mirage family: largest relative change of test risk",
            mirage_risk_change(rows),
            Comparison::Below,
            tolerances.mirage_flat,
        ),
        Check::new(
            "mirage family: largest output-jet discrepancy",
            largest(|row| row.output_jet),
            Comparison::Below,
            tolerances.mirage_flat,
        ),
        Check::new(
            "mirage family: smallest step-to-step increase of the raw tap-jet discrepancy",
            mirage_raw_increase(rows),
            Comparison::Above,
            0.0,
        ),
        Check::new(
            "mirage family: largest tap-jet discrepancy modulo GL(r)",
            largest(|row| row.tap_jet_gl),
            Comparison::Below,
            tolerances.mirage_quotient,
        ),
    ];

    for row in &summary.recovery {
        let error = row.a_error.max(row.b_error);
        checks.push(if row.rank_conditions_hold {
            Check::new(
                format!("recovery, {}: larger of the A and B errors", row.case),
                error,
                Comparison::Below,
                tolerances.recovery,
            )
        } else {
            Check::new(
                format!(
                    "recovery, {} (rank conditions fail): larger of the A and B errors",
                    row.case
                ),
                error,
                Comparison::Above,
                tolerances.quotient,
            )
        });
    }

    for report in &summary.ensembles {
        checks.push(Check::new(
            format!("{}: relative spread of test risk", report.regime),
            report.risk_spread,
            Comparison::Below,
            tolerances.risk,
        ));
        for design in &report.designs {
            // Full-rank seeds agree under every design, subspace seeds only
            // under the tangent design, over-complete seeds under none.
            let regime = report.regime.as_str();
            let expected_below =
                regime == FULL_RANK || (regime == SUBSPACE && design.design == "tangent");
            let comparison = if expected_below {
                Comparison::Below
            } else {
                Comparison::Above
            };
            checks.push(Check::new(
                format!(
                    "{}, {} design: tap-jet discrepancy modulo GL(r)",
                    report.regime, design.design
                ),
                design.tap_jet_gl,
                comparison,
                tolerances.quotient,
            ));
        }
    }

    let d = summary.config.synthetic.d;
    let exact_error = |k: usize| {
        summary
            .estimator
            .iter()
            .find(|row| row.sweep == Sweep::K && row.engine == summary.engine && row.k == k)
            .map_or(f64::NAN, |row| row.relative_error)
    };
    checks.push(Check::new(
        format!("estimator: exact Jacobian reconstructed from K = d = {d} directions"),
        exact_error(d),
        Comparison::Below,
        tolerances.recovery,
    ));
    checks.push(Check::new(
        format!(
            "estimator: exact Jacobian reconstructed from K = d - 1 = {} directions",
            d - 1
        ),
        exact_error(d - 1),
        Comparison::Above,
        tolerances.quotient,
    ));
    checks
}

/// Formats the short table a run prints at its end.
pub fn table(summary: &Summary) -> String {
    let mut out = String::new();
    let rows = &summary.mirage_family;
    let last = rows.last().copied();
    let _ = writeln!(
        out,
        "L1 mirage family, t from 0 to {:.2} ({} steps, {} backend, {} jets)",
        last.map_or(0.0, |row| row.t),
        rows.len(),
        summary.backend,
        summary.engine
    );
    let _ = writeln!(
        out,
        "  risk change {:.1e}, output jet {:.1e}, raw tap jet {:.3} at t_max, GL tap jet {:.1e}",
        mirage_risk_change(rows),
        rows.iter().map(|r| r.output_jet).fold(0.0, f64::max),
        last.map_or(0.0, |row| row.tap_jet_raw),
        rows.iter().map(|r| r.tap_jet_gl).fold(0.0, f64::max),
    );

    let _ = writeln!(out, "L1 recovery of (A, B) from jets");
    for row in &summary.recovery {
        let _ = writeln!(
            out,
            "  {:<24} rank conditions {:<5}  A error {:.1e}  B error {:.1e}",
            row.case,
            if row.rank_conditions_hold {
                "hold"
            } else {
                "fail"
            },
            row.a_error,
            row.b_error
        );
    }

    let _ = writeln!(
        out,
        "L2 ensembles (tolerance τ = {} on GL discrepancies)",
        summary.config.tolerances.quotient
    );
    write_ensembles(&mut out, &summary.ensembles);

    let _ = writeln!(
        out,
        "L3 estimator, relative error of the reconstructed Jacobian"
    );
    for engine in ["central", "least-squares", summary.engine.as_str()] {
        let errors: Vec<String> = summary
            .estimator
            .iter()
            .filter(|row| row.sweep == Sweep::K && row.engine == engine)
            .map(|row| format!("{:.0e}", row.relative_error))
            .collect();
        let _ = writeln!(out, "  {engine:<14} K = 1..d: {}", errors.join(" "));
    }

    let _ = writeln!(out, "Real data: {}", summary.real_data.name);
    write_ensembles(&mut out, &summary.real_data.ensembles);

    let failed: Vec<&Check> = summary.checks.iter().filter(|c| !c.passed).collect();
    let _ = writeln!(
        out,
        "Checks: {} of {} relations hold",
        summary.checks.len() - failed.len(),
        summary.checks.len()
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
    out
}

fn write_ensembles(out: &mut String, reports: &[EnsembleReport]) {
    let _ = writeln!(
        out,
        "  {:<22} {:>11} {:<11} {:>9} {:>9}  verdict",
        "regime", "risk spread", "design", "raw", "GL"
    );
    for report in reports {
        for (i, design) in report.designs.iter().enumerate() {
            let (regime, spread) = if i == 0 {
                (report.regime.clone(), format!("{:.1e}", report.risk_spread))
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                out,
                "  {:<22} {:>11} {:<11} {:>9.2e} {:>9.2e}  {}",
                regime,
                spread,
                design.design,
                design.tap_jet_raw,
                design.tap_jet_gl,
                design.verdict.name()
            );
        }
    }
}
