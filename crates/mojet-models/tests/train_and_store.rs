//! Training recovers a planted linear map, and a saved model loads back with
//! the same outputs; damaged model directories get clear errors.

use std::fs;
use std::path::Path;

use burn::backend::{Autodiff, NdArray};
use mojet_models::config::RunConfig;
use mojet_models::host::{to_matrix, to_tensor};
use mojet_models::prepared::PreparedData;
use mojet_models::store::{FORMAT_VERSION, Metadata, Metrics, SavedModel, save};
use mojet_models::train::fit;
use mojet_models::{Pipeline, Zoo};

type B = Autodiff<NdArray<f32>>;
type Inner = NdArray<f32>;

const CONFIG: &str = r#"
[data.synthetic]
n = 300
d = 5
p = 3
rank = 2
noise = 0.01
seed = 4
[model]
kind = "linear"
width = 2
bias = false
[train]
learning_rate = 0.05
epochs = 600
early_stopping = false
"#;

fn trained() -> (RunConfig, PreparedData, Zoo<Inner>, Metadata) {
    let config = RunConfig::parse(CONFIG, Path::new("test.toml")).unwrap();
    let data = PreparedData::load(&config.data).unwrap();
    let device = Default::default();
    let model = config.model.init::<B>(5, 3, 7, &device);
    let (model, history) = fit(
        model,
        config.data.task,
        &data.training(),
        &config.train,
        &mut |_, _| {},
    )
    .unwrap();
    let (x, y) = data.rows(&data.split.test);
    let test = config
        .data
        .task
        .risk(model.forward(to_tensor::<Inner>(&x, &device)), &y);
    let metadata = Metadata {
        format_version: FORMAT_VERSION,
        mojet_version: "test".into(),
        config: config.clone(),
        seed: 7,
        input_width: 5,
        taps: model.taps(),
        data: data.record.clone(),
        metrics: Metrics {
            train: test,
            valid: test,
            test,
        },
        history,
    };
    (config, data, model, metadata)
}

#[test]
fn training_fits_planted_map() {
    let (_, _, _, metadata) = trained();
    // Noise 0.01 on outputs of unit variance leaves R² near 1.
    assert!(
        metadata.metrics.test.score > 0.99,
        "test r2 {}",
        metadata.metrics.test.score
    );
}

#[test]
fn saved_model_loads_same_outputs() {
    let (_, data, model, metadata) = trained();
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &model, &metadata).unwrap();
    let saved = SavedModel::open(dir.path()).unwrap();
    assert_eq!(saved.metadata, metadata);
    let device = Default::default();
    let loaded = saved.load::<Inner>(&device).unwrap();
    let x = to_tensor::<Inner>(&data.x, &device);
    assert_eq!(
        to_matrix(loaded.forward(x.clone())),
        to_matrix(model.forward(x))
    );
}

#[test]
fn truncated_record_is_reported() {
    let (_, _, model, metadata) = trained();
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &model, &metadata).unwrap();
    let record = dir.path().join("model.mpk");
    let bytes = fs::read(&record).unwrap();
    fs::write(&record, &bytes[..bytes.len() / 2]).unwrap();
    let saved = SavedModel::open(dir.path()).unwrap();
    let err = saved
        .load::<Inner>(&Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("{}: cannot load weights:", record.display())),
        "{err}"
    );
    assert!(
        err.ends_with("the file is corrupt or from another model, retrain it"),
        "{err}"
    );
}

#[test]
fn other_format_version_is_rejected() {
    let (_, _, model, mut metadata) = trained();
    metadata.format_version = FORMAT_VERSION + 1;
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &model, &metadata).unwrap();
    let err = SavedModel::open(dir.path()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: format_version {} is not supported (this mojet reads {FORMAT_VERSION}); retrain the model with this version",
            dir.path().join("metadata.json").display(),
            FORMAT_VERSION + 1
        )
    );
}

#[test]
fn diverging_training_names_epoch() {
    let text = CONFIG
        .replace("learning_rate = 0.05", "learning_rate = 1e6")
        .replace("kind = \"linear\"", "kind = \"linear\"\n");
    let config = RunConfig::parse(&text, Path::new("test.toml")).unwrap();
    let data = PreparedData::load(&config.data).unwrap();
    let model = config.model.init::<B>(5, 3, 7, &Default::default());
    let mut train = config.train.clone();
    train.optimizer = mojet_models::train::OptimizerKind::Sgd;
    let err = fit(
        model,
        config.data.task,
        &data.training(),
        &train,
        &mut |_, _| {},
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("training diverged at epoch "),
        "{message}"
    );
    assert!(
        message.ends_with("lower [train] learning_rate (now 1000000)"),
        "{message}"
    );
}
