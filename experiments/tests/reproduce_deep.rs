//! The deep regression reproduction on a reduced config: the same code as
//! `just reproduce-deep` on the diabetes data, with fewer seeds, epochs and
//! base points, checked against the relations the full run reports.

use std::path::Path;
use std::sync::OnceLock;

use burn::backend::{Autodiff, NdArray};
use indicatif::ProgressBar;
use mojet_experiments::deep::figures::FIGURES;
use mojet_experiments::deep::summary::table;
use mojet_experiments::deep::{DeepConfig, DeepSummary, run};
use mojet_models::config::BackendKind;

type B = Autodiff<NdArray<f32>>;

const REDUCED: &str = r#"
base_points = 16
k = 3
seeds = [1, 2, 3, 4]
tangent_dim = 4

[network]
hidden = [16]
head_hidden = [8]

[data]
path = "../data/diabetes.csv"
targets = ["progression"]
test_fraction = 0.2

[train]
optimizer = "adam"
learning_rate = 0.005
epochs = 100
batch_size = 0
early_stopping = false
"#;

/// Runs the reduced reproduction once and shares it between the tests.
fn reduced_run() -> &'static (DeepSummary, tempfile::TempDir) {
    static RUN: OnceLock<(DeepSummary, tempfile::TempDir)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let config_path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs/reduced-deep.toml");
        let mut config = DeepConfig::parse(REDUCED, &config_path).unwrap();
        config.data.path = Some(config_path.parent().unwrap().join("../data/diabetes.csv"));
        let out = dir.path().join("deep");
        let summary =
            run::<B>(&config, BackendKind::Ndarray, &out, &ProgressBar::hidden()).unwrap();
        (summary, dir)
    })
}

#[test]
fn reduced_run_passes_its_checks() {
    let (summary, _) = reduced_run();
    for check in &summary.checks {
        assert!(check.passed, "{check:?}\n{}", table(summary));
    }
}

#[test]
fn pca_and_mlp_risks_are_comparable() {
    let d1 = &reduced_run().0.d1;
    assert_eq!(d1.pca_test_mse.len(), 4);
    assert_eq!(d1.mlp_test_mse.len(), 4);
    for mse in d1.pca_test_mse.iter().chain(&d1.mlp_test_mse) {
        assert!(*mse > 0.0, "{d1:?}");
        assert!(*mse < 1.0, "{d1:?}");
    }
    assert!(d1.relative_risk_gap < 0.2, "{}", d1.relative_risk_gap);
}

#[test]
fn pca_tap_spans_top_principal_directions() {
    let d1 = &reduced_run().0.d1;
    for (i, fraction) in d1.pca_alignment.row_space_fraction.iter().enumerate() {
        let expected = if i < 3 { 1.0 } else { 0.0 };
        assert!(
            (fraction - expected).abs() < 1e-4,
            "direction {}: {fraction}",
            i + 1
        );
    }
    for cosine in &d1.pca_alignment.cosines {
        assert!((cosine - 1.0).abs() < 1e-4, "{cosine}");
    }
}

#[test]
fn mlp_alignment_falls_with_variance() {
    let d1 = &reduced_run().0.d1;
    let shares: f64 = d1.mlp_energy_share.iter().sum();
    assert!((shares - 1.0).abs() < 1e-6, "{shares}");
    assert!(d1.energy_share_top_minus_rest > 0.0, "{d1:?}");
    assert!(d1.row_space_fraction_top_minus_rest > 0.0, "{d1:?}");
    let ratios = &d1.explained_variance_ratio;
    assert_eq!(ratios.len(), 10);
    assert!(
        ratios.windows(2).all(|pair| pair[0] >= pair[1]),
        "{ratios:?}"
    );
}

#[test]
fn mlp_seeds_differ_modulo_permutation_scale() {
    let d2 = &reduced_run().0.d2;
    assert_eq!(d2.group, "permutation-scale");
    let names: Vec<&str> = d2.designs.iter().map(|d| d.design.as_str()).collect();
    assert_eq!(names, ["coordinate", "tangent", "normal"]);
    let coordinate = &d2.designs[0];
    assert!(coordinate.symmetry_min > 0.05, "{coordinate:?}");
    // A larger group can only shrink the discrepancy.
    for design in &d2.designs {
        assert!(
            design.general_linear <= design.symmetry + 1e-9,
            "{design:?}"
        );
        assert!(design.symmetry <= design.raw + 1e-9, "{design:?}");
    }
    assert!(
        d2.pca_representation_raw_max < 1e-6,
        "{}",
        d2.pca_representation_raw_max
    );
}

#[test]
fn every_figure_and_summary_written() {
    let (_, dir) = reduced_run();
    let out = dir.path().join("deep");
    for stem in FIGURES {
        for extension in ["png", "svg", "csv"] {
            let path = out.join(format!("{stem}.{extension}"));
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let parsed: DeepSummary = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.experiment, "deep");
    assert!(parsed.wall_time_s > 0.0);
}

#[test]
fn same_config_gives_same_numbers() {
    let (first, _) = reduced_run();
    let dir = tempfile::tempdir().unwrap();
    let mut config = first.config.clone();
    config.seeds = vec![1, 2];
    let rerun = |out: &str| {
        run::<B>(
            &config,
            BackendKind::Ndarray,
            &dir.path().join(out),
            &ProgressBar::hidden(),
        )
        .unwrap()
    };
    let (a, b) = (rerun("a"), rerun("b"));
    assert_eq!(a.d1, b.d1);
    assert_eq!(a.d2, b.d2);
}
