//! The classification reproduction on a reduced config: the same code as
//! `just reproduce-classification` on the digits and wine data, with fewer
//! seeds, epochs and base points, checked against the relations the full run
//! reports.

use std::path::Path;
use std::sync::OnceLock;

use burn::backend::{Autodiff, NdArray};
use indicatif::ProgressBar;
use mojet_experiments::classification::figures::FIGURES;
use mojet_experiments::classification::summary::table;
use mojet_experiments::classification::{ClassificationConfig, ClassificationSummary, run};
use mojet_models::config::BackendKind;

type B = Autodiff<NdArray<f32>>;

const REDUCED: &str = r#"
base_points = 12
seeds = [1, 2]

[network]
hidden = [32]
head_hidden = []

[train]
optimizer = "adam"
learning_rate = 0.01
epochs = 120
batch_size = 0
early_stopping = false

[[datasets]]
name = "digits"
k = 10
tangent_dim = 8
[datasets.data]
path = "../data/digits.csv"
targets = ["label"]
task = "classification"
drop_constant_columns = true
test_fraction = 0.2

[[datasets]]
name = "wine"
k = 3
tangent_dim = 4
[datasets.data]
path = "../data/wine.csv"
targets = ["label"]
task = "classification"
test_fraction = 0.2
"#;

/// Runs the reduced reproduction once and shares it between the tests.
fn reduced_run() -> &'static (ClassificationSummary, tempfile::TempDir) {
    static RUN: OnceLock<(ClassificationSummary, tempfile::TempDir)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let configs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs");
        let config_path = configs.join("reduced-classification.toml");
        let mut config = ClassificationConfig::parse(REDUCED, &config_path).unwrap();
        for dataset in &mut config.datasets {
            let file = dataset.data.path.clone().unwrap();
            dataset.data.path = Some(configs.join(file));
        }
        let out = dir.path().join("classification");
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
fn accuracy_is_comparable_on_both_data_sets() {
    let summary = &reduced_run().0;
    let names: Vec<&str> = summary.datasets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["digits", "wine"]);
    for report in &summary.datasets {
        for accuracy in report.pca_accuracy.iter().chain(&report.mlp_accuracy) {
            assert!(*accuracy > 0.8, "{}: {accuracy}", report.name);
        }
        assert!(
            report.accuracy_gap < 0.1,
            "{}: {}",
            report.name,
            report.accuracy_gap
        );
    }
}

#[test]
fn digits_drops_constant_pixels() {
    let digits = &reduced_run().0.datasets[0];
    assert_eq!(digits.classes, 10);
    assert!(digits.data.features < 64, "{}", digits.data.features);
}

#[test]
fn jets_separate_pipelines_of_equal_accuracy() {
    let summary = &reduced_run().0;
    for report in &summary.datasets {
        let cross = &report.pca_against_mlp[0];
        assert_eq!(cross.design, "coordinate");
        assert_eq!(cross.group, "general-linear");
        assert!(
            cross.general_linear_min > 0.05,
            "{}: {cross:?}",
            report.name
        );
        for logit in &report.pca_against_mlp_logit_jet {
            assert!(*logit > 0.05, "{}: {logit}", report.name);
        }
        let seeds = &report.mlp_seeds[0];
        assert_eq!(seeds.group, "permutation-scale");
        assert!(seeds.symmetry_min > 0.05, "{}: {seeds:?}", report.name);
        assert_eq!(
            seeds.verdicts["distinguishable"], 1,
            "{}: {seeds:?}",
            report.name
        );
    }
}

#[test]
fn every_figure_and_summary_written() {
    let (_, dir) = reduced_run();
    let out = dir.path().join("classification");
    for stem in FIGURES {
        for extension in ["png", "svg", "csv"] {
            let path = out.join(format!("{stem}.{extension}"));
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let parsed: ClassificationSummary = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.experiment, "classification");
    assert_eq!(parsed.checks.len(), 10);
}
