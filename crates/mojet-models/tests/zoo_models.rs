//! The PCA and MLP pipelines: the PCA recovers planted components and stays
//! frozen in training, every kind reduces its loss on regression and
//! classification, and every kind loads back from disk with the same outputs.

use std::path::Path;

use burn::backend::{Autodiff, NdArray};
use burn::module::AutodiffModule;
use burn::tensor::backend::AutodiffBackend;
use mojet_models::config::RunConfig;
use mojet_models::host::{to_matrix, to_tensor};
use mojet_models::pca::PrincipalComponents;
use mojet_models::prepared::PreparedData;
use mojet_models::store::{FORMAT_VERSION, Metadata, Metrics, SavedModel, save};
use mojet_models::train::{TrainingData, fit};
use mojet_models::{Pipeline, Task, Zoo};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

type Inner = NdArray<f64>;
type B = Autodiff<Inner>;

/// Rows `z diag(scales) Rᵀ + shift` with `z` standard normal, so the
/// principal directions are the columns of the rotation `R`, in order.
fn anisotropic(n: usize, rotation: &DMatrix<f64>, scales: &[f64], seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let d = scales.len();
    let z = DMatrix::from_fn(n, d, |_, j| {
        scales[j] * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, &mut rng)
    });
    let mut x = z * rotation.transpose();
    for mut row in x.row_iter_mut() {
        row[0] += 3.0;
    }
    x
}

fn rotation() -> DMatrix<f64> {
    let (c, s) = (0.6_f64, 0.8_f64);
    // Orthonormal columns (0.6, 0.8, 0), e3 and (-0.8, 0.6, 0).
    DMatrix::from_row_slice(3, 3, &[c, 0.0, -s, s, 0.0, c, 0.0, 1.0, 0.0])
}

#[test]
fn pca_recovers_planted_components() {
    let rotation = rotation();
    let x = anisotropic(4000, &rotation, &[4.0, 2.0, 0.5], 1);
    let fitted = PrincipalComponents::fit(&x, 2).unwrap();
    for j in 0..2 {
        let cosine = fitted.components.column(j).dot(&rotation.column(j)).abs();
        assert!(cosine > 0.999, "component {j}: |cos| = {cosine}");
    }
    let variances = [16.0, 4.0, 0.25];
    let total: f64 = variances.iter().sum();
    for (j, ratio) in fitted.explained_variance_ratio.iter().enumerate() {
        let planted = variances[j] / total;
        assert!(
            (ratio - planted).abs() < 0.02,
            "ratio {j}: {ratio} vs planted {planted}"
        );
    }
    assert!((fitted.mean[0] - 3.0).abs() < 0.2, "mean {}", fitted.mean);
}

const REGRESSION: &str = r#"
[data.synthetic]
n = 160
d = 5
p = 2
rank = 2
noise = 0.05
seed = 2
[train]
learning_rate = 0.02
epochs = 150
early_stopping = false
"#;

const CLASSIFICATION: &str = r#"
[data]
path = "../../data/wine.csv"
targets = ["label"]
task = "classification"
[train]
learning_rate = 0.02
epochs = 80
early_stopping = false
"#;

const MODELS: [&str; 5] = [
    "kind = \"linear\"\nwidth = 2",
    "kind = \"pca\"\nwidth = 4",
    "kind = \"pca\"\nwidth = 4\nhead_hidden = [6]\nactivation = \"tanh\"",
    "kind = \"mlp\"\nwidth = 3\nhidden = [8]\nactivation = \"relu\"",
    "kind = \"mlp\"\nwidth = 2\nhidden = [6, 5]\nhead_hidden = [4]\nactivation = \"gelu\"",
];

fn config(data: &str, model: &str) -> RunConfig {
    let text = format!("{data}[model]\n{model}\n");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test.toml");
    let mut config = RunConfig::parse(&text, &path).unwrap();
    if let Some(data_path) = &config.data.path {
        config.data.path = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(data_path));
    }
    config
}

fn initial<A: AutodiffBackend>(config: &RunConfig, data: &PreparedData, seed: u64) -> Zoo<A> {
    let training = data.training();
    config
        .model
        .init_on_data::<A>(
            &training.x_train,
            data.output_width(),
            config.data.task,
            seed,
            &Default::default(),
        )
        .unwrap()
}

fn train_loss(model: &Zoo<Inner>, task: Task, training: &TrainingData) -> f64 {
    let x = to_tensor::<Inner>(&training.x_train, &Default::default());
    task.risk(model.forward(x), &training.y_train).loss
}

#[test]
fn every_kind_reduces_its_loss() {
    for data_text in [REGRESSION, CLASSIFICATION] {
        for model_text in MODELS {
            let config = config(data_text, model_text);
            let data = PreparedData::load(&config.data).unwrap();
            let training = data.training();
            let task = config.data.task;
            let model = initial::<B>(&config, &data, 3);
            let before = train_loss(&model.valid(), task, &training);
            let (trained, _) = fit(model, task, &training, &config.train, &mut |_, _| {}).unwrap();
            let after = train_loss(&trained, task, &training);
            assert!(
                after < 0.5 * before,
                "{model_text} on {task:?}: loss {before} -> {after}"
            );
        }
    }
}

#[test]
fn classifiers_tap_logits() {
    let config = config(CLASSIFICATION, MODELS[3]);
    let data = PreparedData::load(&config.data).unwrap();
    let model = initial::<B>(&config, &data, 0);
    let taps = model.taps();
    let names: Vec<&str> = taps.iter().map(|tap| tap.name.as_str()).collect();
    assert_eq!(names, ["hidden1", "bottleneck", "logits"]);
    assert_eq!(taps[2].width, 3);
}

#[test]
fn pca_stays_frozen_in_training() {
    let config = config(REGRESSION, MODELS[2]);
    let data = PreparedData::load(&config.data).unwrap();
    let model = initial::<B>(&config, &data, 1);
    let Zoo::Pca(before) = model.valid() else {
        panic!("a pca config builds a PCA pipeline")
    };
    let (trained, _) = fit(
        model,
        Task::Regression,
        &data.training(),
        &config.train,
        &mut |_, _| {},
    )
    .unwrap();
    let Zoo::Pca(after) = trained else {
        panic!("training keeps the kind")
    };
    assert_eq!(after.components_matrix(), before.components_matrix());
    assert_eq!(after.mean_vector(), before.mean_vector());
    assert_eq!(
        after.explained_variance_ratio(),
        before.explained_variance_ratio()
    );
    let head_moved = (to_matrix(after.head.output.weight.val())
        - to_matrix(before.head.output.weight.val()))
    .norm();
    assert!(head_moved > 1e-3, "the head moved by {head_moved}");

    let fitted = PrincipalComponents::fit(&data.training().x_train, 4).unwrap();
    assert!((after.components_matrix() - &fitted.components).norm() < 1e-12);
    assert_eq!(
        after.explained_variance_ratio(),
        fitted.explained_variance_ratio
    );
}

#[test]
fn every_kind_loads_same_outputs() {
    for data_text in [REGRESSION, CLASSIFICATION] {
        for model_text in MODELS {
            let config = config(data_text, model_text);
            let data = PreparedData::load(&config.data).unwrap();
            let mut short = config.train.clone();
            short.epochs = 3;
            let model = initial::<B>(&config, &data, 5);
            let task = config.data.task;
            let (model, history) =
                fit(model, task, &data.training(), &short, &mut |_, _| {}).unwrap();
            let device = Default::default();
            let x = to_tensor::<Inner>(&data.x, &device);
            let risk = task.risk(model.forward(x.clone()), &data.y);
            let metadata = Metadata {
                format_version: FORMAT_VERSION,
                mojet_version: "test".into(),
                config: config.clone(),
                seed: 5,
                input_width: data.x.ncols(),
                taps: model.taps(),
                data: data.record.clone(),
                metrics: Metrics {
                    train: risk,
                    valid: risk,
                    test: risk,
                },
                history,
            };
            let dir = tempfile::tempdir().unwrap();
            save(dir.path(), &model, &metadata).unwrap();
            let loaded = SavedModel::open(dir.path())
                .unwrap()
                .load::<Inner>(&device)
                .unwrap();
            assert_eq!(loaded.taps(), model.taps(), "{model_text}");
            let expected = model.forward_taps(x.clone());
            let found = loaded.forward_taps(x);
            for (e, f) in expected.into_iter().zip(found) {
                let (e, f) = (to_matrix(e), to_matrix(f));
                // Records store weights as 64-bit floats, so an f64 model
                // loads back exactly.
                assert_eq!(f, e, "{model_text} on {task:?}");
            }
        }
    }
}
