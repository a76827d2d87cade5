//! `mojet train` and `mojet diagnose` on the MLP and PCA pipelines, for
//! regression and classification, and the opt-in dropping of constant
//! feature columns.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MLP_REGRESSION: &str = r#"
[data]
split_seed = 0
[data.synthetic]
n = 150
d = 4
p = 2
rank = 2
noise = 0.05
seed = 3
[model]
kind = "mlp"
width = 2
hidden = [6]
activation = "relu"
[train]
learning_rate = 0.02
epochs = 150
early_stopping = false
"#;

fn pca_classifier() -> String {
    let wine = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/wine.csv");
    format!(
        r#"
[data]
path = "{}"
targets = ["label"]
task = "classification"
[model]
kind = "pca"
width = 3
head_hidden = [4]
activation = "tanh"
[train]
learning_rate = 0.02
epochs = 100
early_stopping = false
"#,
        wine.display()
    )
}

fn mojet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mojet"))
        .args(args)
        .output()
        .expect("the mojet binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Trains one model per seed from `text` and returns their directories.
fn train_seeds(dir: &Path, text: &str, seeds: &[u64]) -> Vec<PathBuf> {
    let config = dir.join("run.toml");
    fs::write(&config, text).unwrap();
    seeds
        .iter()
        .map(|seed| {
            let out = dir.join(format!("seed{seed}"));
            let output = mojet(&[
                "train",
                "--config",
                config.to_str().unwrap(),
                "--seed",
                &seed.to_string(),
                "--out",
                out.to_str().unwrap(),
            ]);
            assert!(output.status.success(), "train failed: {}", stderr(&output));
            out
        })
        .collect()
}

/// Runs `mojet diagnose` on `models` and returns its JSON and stdout.
fn diagnose(dir: &Path, models: &[PathBuf]) -> (serde_json::Value, String) {
    let out = dir.join("diagnosis");
    let mut args = vec!["diagnose", "--models"];
    args.extend(models.iter().map(|m| m.to_str().unwrap()));
    args.extend([
        "--designs",
        "coordinate,isotropic",
        "--k",
        "2",
        "--points",
        "8",
        "--out",
        out.to_str().unwrap(),
    ]);
    let output = mojet(&args);
    assert!(
        output.status.success(),
        "diagnose failed: {}",
        stderr(&output)
    );
    let json = serde_json::from_slice(&fs::read(out.join("diagnosis.json")).unwrap()).unwrap();
    (json, String::from_utf8_lossy(&output.stdout).into_owned())
}

fn tap_names(pair: &serde_json::Value, design: &str) -> Vec<String> {
    pair["taps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|tap| tap["design"] == design)
        .map(|tap| tap["tap"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn mlp_regression_trains_and_diagnoses() {
    let dir = tempfile::tempdir().unwrap();
    let models = train_seeds(dir.path(), MLP_REGRESSION, &[1, 2]);
    let metadata: serde_json::Value =
        serde_json::from_slice(&fs::read(models[0].join("metadata.json")).unwrap()).unwrap();
    assert!(metadata["metrics"]["test"]["score"].as_f64().unwrap() > 0.8);

    let (json, stdout) = diagnose(dir.path(), &models);
    assert_eq!(json["task"], "regression");
    assert_eq!(json["models"][0]["kind"], "mlp");
    let pair = &json["pairs"][0];
    assert_eq!(
        tap_names(pair, "coordinate"),
        ["hidden1", "bottleneck", "output"]
    );
    let hidden = &pair["taps"][0];
    assert_eq!(hidden["group"], "permutation-scale");
    assert!(pair["risk_gap"].as_f64().unwrap().is_finite());
    assert!(stdout.contains("test mse"), "{stdout}");
}

#[test]
fn pca_classifier_trains_and_diagnoses() {
    let dir = tempfile::tempdir().unwrap();
    let models = train_seeds(dir.path(), &pca_classifier(), &[1, 2]);
    let metadata: serde_json::Value =
        serde_json::from_slice(&fs::read(models[0].join("metadata.json")).unwrap()).unwrap();
    // Three well separated cultivars: a trained classifier beats chance (1/3) by far.
    assert!(metadata["metrics"]["test"]["score"].as_f64().unwrap() > 0.8);
    assert_eq!(metadata["taps"][2]["name"], "logits");

    let (json, stdout) = diagnose(dir.path(), &models);
    assert_eq!(json["task"], "classification");
    let pair = &json["pairs"][0];
    assert_eq!(tap_names(pair, "coordinate"), ["pca", "head1", "logits"]);
    // Both seeds fit the same PCA, so its jets agree exactly.
    let pca = &pair["taps"][0];
    assert_eq!(pca["group"], "identity");
    assert!(pca["raw"].as_f64().unwrap() < 1e-9, "{pca}");
    assert_eq!(pca["verdict"], "identifiable");
    // tanh units may be negated as well as relabelled.
    let head = &pair["taps"][1];
    assert_eq!(head["group"], "signed-permutation");
    let quotients = &head["quotients"];
    assert!(
        quotients["signed-permutation"].as_f64().unwrap()
            <= quotients["permutation"].as_f64().unwrap() + 1e-12,
        "{head}"
    );
    let accuracy = pair["risk_a"]["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&accuracy));
    assert!(stdout.contains("test cross_entropy"), "{stdout}");
    assert!(stdout.contains("accuracy"), "{stdout}");
}

#[test]
fn constant_column_names_the_config_key() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("data.csv");
    let mut rows = String::from("a,blank,b,y\n");
    for i in 0..40 {
        rows.push_str(&format!("{},0,{},{}\n", i % 7, (i * 3) % 5, i % 2));
    }
    fs::write(&csv, rows).unwrap();
    let text = format!(
        "[data]\npath = \"{}\"\ntargets = [\"y\"]\ntask = \"classification\"\n[model]\nkind = \"mlp\"\nwidth = 2\n[train]\nepochs = 5\n",
        csv.display()
    );
    let config = dir.path().join("run.toml");
    fs::write(&config, &text).unwrap();
    let out = dir.path().join("model");
    let args = [
        "train",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let output = mojet(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("set [data] drop_constant_columns = true"),
        "{}",
        stderr(&output)
    );

    let dropping = text.replace("[model]", "drop_constant_columns = true\n[model]");
    fs::write(&config, dropping).unwrap();
    let output = mojet(&args);
    assert!(output.status.success(), "train failed: {}", stderr(&output));
    let metadata: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(
        metadata["data"]["feature_names"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(metadata["input_width"], 2);
}
