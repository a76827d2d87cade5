//! The linear reproduction on a reduced config: the same code as
//! `just reproduce-linear`, with fewer rows, seeds, epochs and sweep points,
//! checked against the relations the full run must show.

use std::path::Path;
use std::sync::OnceLock;

use burn::backend::{Autodiff, NdArray};
use indicatif::ProgressBar;
use mojet_experiments::linear::figures::FIGURES;
use mojet_experiments::linear::summary::{mirage_raw_increase, mirage_risk_change};
use mojet_experiments::linear::{FULL_RANK, LinearConfig, OVER_COMPLETE, SUBSPACE, Summary, run};
use mojet_jets::Verdict;
use mojet_models::config::BackendKind;

type B = Autodiff<NdArray<f32>>;

const REDUCED: &str = r#"
base_points = 24

[synthetic]
n = 400
d = 6
p = 3
rank = 2
subspace_dim = 3
noise = 0.1
seed = 3

[mirage]
t_max = 1.5
steps = 5

[ensembles]
seeds = [1, 2, 3]
over_complete_width = 4

[ensembles.train]
learning_rate = 0.02
epochs = 800

[estimator]
hidden_width = 8
epsilons = [0.01, 0.1]
noises = [1e-4, 1e-2]

[real_data]
widths = [1, 3]
seeds = [1, 2]

[real_data.train]
learning_rate = 0.02
epochs = 400
"#;

/// Runs the reduced reproduction once and shares it between the tests.
fn reduced_run() -> &'static (Summary, tempfile::TempDir) {
    static RUN: OnceLock<(Summary, tempfile::TempDir)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let config_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../configs")
            .join("reduced-linear.toml");
        let mut config = LinearConfig::parse(REDUCED, &config_path).unwrap();
        config.real_data.data.path =
            Some(config_path.parent().unwrap().join("../data/diabetes.csv"));
        let out = dir.path().join("linear");
        let summary =
            run::<B>(&config, BackendKind::Ndarray, &out, &ProgressBar::hidden()).unwrap();
        (summary, dir)
    })
}

fn ensemble<'a>(
    summary: &'a Summary,
    regime: &str,
) -> &'a mojet_experiments::linear::ensembles::EnsembleReport {
    summary
        .ensembles
        .iter()
        .find(|report| report.regime == regime)
        .unwrap_or_else(|| panic!("no ensemble for regime {regime}"))
}

fn design<'a>(
    report: &'a mojet_experiments::linear::ensembles::EnsembleReport,
    name: &str,
) -> &'a mojet_experiments::linear::ensembles::DesignReport {
    report
        .designs
        .iter()
        .find(|design| design.design == name)
        .unwrap_or_else(|| panic!("{}: no {name} design", report.regime))
}

#[test]
fn mirage_family_keeps_risk_and_output_flat() {
    let (summary, _) = reduced_run();
    let risk_change = mirage_risk_change(&summary.mirage_family);
    assert!(risk_change < 1e-5, "relative risk change {risk_change:e}");
    for row in &summary.mirage_family {
        assert!(
            row.output_jet < 1e-5,
            "t = {}: output jet {:e}",
            row.t,
            row.output_jet
        );
    }
}

#[test]
fn mirage_family_moves_raw_tap_jets_only() {
    let (summary, _) = reduced_run();
    let increase = mirage_raw_increase(&summary.mirage_family);
    assert!(increase > 0.0, "raw tap jet decreased by {:e}", -increase);
    for row in &summary.mirage_family {
        assert!(
            row.tap_jet_gl < 1e-4,
            "t = {}: GL discrepancy {:e}",
            row.t,
            row.tap_jet_gl
        );
    }
    let last = summary.mirage_family.last().unwrap();
    assert!(
        last.tap_jet_raw > 0.5,
        "raw discrepancy at t_max {}",
        last.tap_jet_raw
    );
}

#[test]
fn recovery_succeeds_only_under_rank_conditions() {
    let (summary, _) = reduced_run();
    let holds: Vec<bool> = summary
        .recovery
        .iter()
        .map(|r| r.rank_conditions_hold)
        .collect();
    assert_eq!(holds, vec![true, false, false]);
    let exact = &summary.recovery[0];
    assert!(exact.a_error < 1e-4, "A error {:e}", exact.a_error);
    assert!(exact.b_error < 1e-4, "B error {:e}", exact.b_error);
    let deficient = &summary.recovery[1];
    assert!(
        deficient.b_error > 0.1,
        "rank-deficient B error {:e}",
        deficient.b_error
    );
    let on_subspace = &summary.recovery[2];
    assert!(
        on_subspace.a_error > 0.1,
        "subspace A error {:e}",
        on_subspace.a_error
    );
}

#[test]
fn full_rank_regime_is_identifiable() {
    let (summary, _) = reduced_run();
    let report = ensemble(summary, FULL_RANK);
    assert!(
        report.risk_spread < 0.05,
        "risk spread {}",
        report.risk_spread
    );
    let coordinate = design(report, "coordinate");
    assert!(
        coordinate.tap_jet_gl < 0.05,
        "GL {:e}",
        coordinate.tap_jet_gl
    );
    assert_eq!(coordinate.verdict, Verdict::Identifiable);
}

#[test]
fn subspace_regime_is_tangent_mirage() {
    let (summary, _) = reduced_run();
    let report = ensemble(summary, SUBSPACE);
    assert!(
        report.risk_spread < 0.05,
        "risk spread {}",
        report.risk_spread
    );
    let tangent = design(report, "tangent");
    let normal = design(report, "normal");
    assert!(
        tangent.tap_jet_gl < 0.05,
        "tangent GL {:e}",
        tangent.tap_jet_gl
    );
    assert!(
        normal.tap_jet_gl > 0.05,
        "normal GL {:e}",
        normal.tap_jet_gl
    );
    assert_eq!(tangent.verdict, Verdict::Mirage);
    assert_eq!(normal.verdict, Verdict::Distinguishable);
}

#[test]
fn over_complete_regime_is_distinguishable() {
    let (summary, _) = reduced_run();
    let report = ensemble(summary, OVER_COMPLETE);
    assert!(
        report.risk_spread < 0.05,
        "risk spread {}",
        report.risk_spread
    );
    for name in ["coordinate", "tangent", "normal"] {
        let design = design(report, name);
        assert!(
            design.tap_jet_gl > 0.05,
            "{name} GL {:e}",
            design.tap_jet_gl
        );
    }
}

#[test]
fn estimator_identifies_at_k_equal_d() {
    let (summary, _) = reduced_run();
    let d = summary.config.synthetic.d;
    let exact = |k: usize| {
        summary
            .estimator
            .iter()
            .find(|row| row.engine == summary.engine && row.k == k)
            .unwrap()
            .relative_error
    };
    assert!(exact(d) < 1e-4, "error at K = d: {:e}", exact(d));
    assert!(
        exact(d - 1) > 0.05,
        "error at K = d - 1: {:e}",
        exact(d - 1)
    );
}

#[test]
fn every_check_passes() {
    let (summary, _) = reduced_run();
    let failed: Vec<_> = summary.checks.iter().filter(|c| !c.passed).collect();
    assert!(failed.is_empty(), "failed checks: {failed:#?}");
}

#[test]
fn outputs_are_written() {
    let (_, dir) = reduced_run();
    let out = dir.path().join("linear");
    for stem in FIGURES {
        for extension in ["png", "svg", "csv"] {
            let path = out.join(format!("{stem}.{extension}"));
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    for key in [
        "experiment",
        "backend",
        "config",
        "mirage_family",
        "recovery",
        "ensembles",
        "estimator",
        "real_data",
    ] {
        assert!(json.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(json["experiment"], "linear");
    assert_eq!(json["backend"], "ndarray");
}
