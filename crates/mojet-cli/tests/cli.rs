//! The `mojet` binary end to end: train, jets, diagnose, and its one-line
//! errors on bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ndarray::{Array2, Array3};
use ndarray_npy::NpzReader;

const SYNTHETIC: &str = r#"
[data]
split_seed = 0
[data.synthetic]
n = 200
d = 4
p = 2
rank = 1
noise = 0.05
seed = 3
[model]
kind = "linear"
width = 1
bias = false
[train]
learning_rate = 0.05
epochs = 400
early_stopping = false
"#;

fn mojet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mojet"))
        .args(args)
        .output()
        .expect("the mojet binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("run.toml");
    fs::write(&path, text).unwrap();
    path
}

fn train(config: &Path, seed: u64, out: &Path) {
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
}

#[test]
fn train_writes_record_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), SYNTHETIC);
    let model = dir.path().join("model");
    train(&config, 1, &model);
    let metadata: serde_json::Value =
        serde_json::from_slice(&fs::read(model.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(metadata["seed"], 1);
    assert_eq!(metadata["input_width"], 4);
    assert_eq!(metadata["taps"][0]["name"], "encoder");
    assert!(metadata["metrics"]["test"]["score"].as_f64().unwrap() > 0.9);
    assert!(model.join("model.mpk").is_file());
}

#[test]
fn jets_writes_npz_per_tap() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), SYNTHETIC);
    let model = dir.path().join("model");
    train(&config, 1, &model);
    let out = dir.path().join("jets.npz");
    let output = mojet(&[
        "jets",
        "--model",
        model.to_str().unwrap(),
        "--design",
        "isotropic",
        "--k",
        "3",
        "--engine",
        "reverse",
        "--points",
        "10",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "jets failed: {}", stderr(&output));

    let mut npz = NpzReader::new(fs::File::open(&out).unwrap()).unwrap();
    let encoder: Array3<f64> = npz.by_name("encoder").unwrap();
    let output_jet: Array3<f64> = npz.by_name("output").unwrap();
    let base_points: Array2<f64> = npz.by_name("base_points").unwrap();
    let directions: Array3<f64> = npz.by_name("directions").unwrap();
    assert_eq!(encoder.shape(), &[10, 1, 3]);
    assert_eq!(output_jet.shape(), &[10, 2, 3]);
    assert_eq!(base_points.shape(), &[10, 4]);
    assert_eq!(directions.shape(), &[10, 4, 3]);

    let record = read_json(&dir.path().join("jets.run.json"));
    assert_eq!(record["config"]["estimate"]["base_points"], 10);
    assert!(record["config"]["estimate"]["epsilon"].is_null());
}

#[test]
fn jets_read_inputs_without_targets() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), SYNTHETIC);
    let model = dir.path().join("model");
    train(&config, 1, &model);
    // Columns in another order than the model's, and no target column.
    let rows: String = (0..12)
        .map(|i| format!("{},{},{},{}\n", i % 5, i % 3, -i, i % 2))
        .collect();
    let inputs = dir.path().join("inputs.csv");
    fs::write(&inputs, format!("x4,x2,x1,x3\n{rows}")).unwrap();
    let out = dir.path().join("new.npz");
    let output = mojet(&[
        "jets",
        "--model",
        model.to_str().unwrap(),
        "--data",
        inputs.to_str().unwrap(),
        "--design",
        "isotropic",
        "--k",
        "3",
        "--engine",
        "central",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "jets failed: {}", stderr(&output));

    let mut npz = NpzReader::new(fs::File::open(&out).unwrap()).unwrap();
    let encoder: Array3<f64> = npz.by_name("encoder").unwrap();
    assert_eq!(encoder.shape(), &[12, 1, 3]);
    let record = read_json(&dir.path().join("new.run.json"));
    let estimate = &record["config"]["estimate"];
    assert_eq!(estimate["points"], 128);
    assert_eq!(estimate["base_points"], 12);
    assert!(estimate["epsilon"].as_f64().unwrap() > 0.0);
}

/// Trains seeds 1 to `seeds` of the synthetic config in `dir`, diagnoses them
/// with `flags` and returns the diagnosis directory.
fn train_and_diagnose(dir: &Path, seeds: u64, flags: &[&str]) -> PathBuf {
    let config = write_config(dir, SYNTHETIC);
    let models: Vec<PathBuf> = (1..=seeds)
        .map(|seed| dir.join(format!("seed{seed}")))
        .collect();
    for (model, seed) in models.iter().zip(1..) {
        train(&config, seed, model);
    }
    let out = dir.join("diagnosis");
    let mut args = vec!["diagnose", "--models"];
    args.extend(models.iter().map(|m| m.to_str().unwrap()));
    args.extend_from_slice(flags);
    args.extend(["--out", out.to_str().unwrap()]);
    let output = mojet(&args);
    assert!(
        output.status.success(),
        "diagnose failed: {}",
        stderr(&output)
    );
    out
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn least_squares_reports_local_nonlinearity() {
    let dir = tempfile::tempdir().unwrap();
    let out = train_and_diagnose(
        dir.path(),
        2,
        &[
            "--designs",
            "isotropic",
            "--engine",
            "least-squares",
            "--points",
            "20",
        ],
    );

    let json = read_json(&out.join("diagnosis.json"));
    assert!(json["epsilon"].as_f64().unwrap() > 0.0);
    for model in json["models"].as_array().unwrap() {
        let scores = model["local_nonlinearity"].as_array().unwrap();
        // Designs coordinate and isotropic, taps encoder and output.
        assert_eq!(scores.len(), 4, "{model}");
        for score in scores {
            // A linear pipeline is linear at every scale: only f32 rounding
            // is left in the residual.
            let r = score["nonlinearity"].as_f64().unwrap();
            assert!((0.0..1e-3).contains(&r), "{score}");
        }
    }
    let record = read_json(&out.join("run.json"));
    assert_eq!(record["config"]["estimate"]["epsilon"], json["epsilon"]);
    assert_eq!(record["config"]["estimate"]["base_points"], 20);
}

#[test]
fn diagnose_writes_pairs_and_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let out = train_and_diagnose(
        dir.path(),
        3,
        &["--designs", "coordinate,principal", "--k", "2"],
    );

    let json = read_json(&out.join("diagnosis.json"));
    assert_eq!(json["engine"], "forward");
    assert_eq!(json["backend"], "ndarray");
    // Coordinate has K = d = 4 directions against taps 1 + 2 wide, so reverse
    // mode is cheaper and runs; principal has K = 2 and keeps forward mode.
    let designs = json["designs"].as_array().unwrap();
    assert_eq!(designs.len(), 2);
    assert_eq!(designs[0]["engine"], "reverse");
    assert_eq!(designs[1]["engine"], "forward");
    assert!(json["tolerances"]["quotient"].is_number());
    let pairs = json["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    for pair in pairs {
        assert!(pair["risk_gap"].as_f64().unwrap() < 1e-2);
        assert!(pair["output_jet"].as_f64().unwrap() < 1e-2);
        let taps = pair["taps"].as_array().unwrap();
        assert_eq!(taps.len(), 4);
        // Width 1 meets the rank conditions: the encoder is pinned down up to a scale.
        let encoder = &taps[0];
        assert_eq!(encoder["tap"], "encoder");
        assert_eq!(encoder["design"], "coordinate");
        assert!(encoder["quotients"]["general-linear"].as_f64().unwrap() < 1e-3);
        assert_eq!(encoder["verdict"], "identifiable");
    }
}

#[test]
fn malformed_config_is_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &SYNTHETIC.replace("width = 1", "width = [1"));
    let output = mojet(&["train", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with(&format!("error: {}:", config.display())),
        "{message}"
    );
}

#[test]
fn missing_target_column_is_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("data.csv");
    let rows: String = (0..20).map(|i| format!("{i},{}\n", i * 2)).collect();
    fs::write(&csv, format!("a,b\n{rows}")).unwrap();
    let text = "[data]\npath = \"data.csv\"\ntargets = [\"price\"]\n[model]\nkind = \"linear\"\nwidth = 1\n";
    let config = write_config(dir.path(), text);
    let output = mojet(&["train", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("\"price\""), "{message}");
    assert!(message.contains("a, b"), "{message}");
}

#[test]
fn missing_model_dir_is_one_line_error() {
    let output = mojet(&["jets", "--model", "no/such/model", "--out", "x.npz"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no/such/model: model directory not found; pass a directory written by `mojet train`\n"
    );
}

#[test]
fn wgpu_backend_trains_and_matches_ndarray_jets() {
    let dir = tempfile::tempdir().unwrap();
    let gpu_config = write_config(dir.path(), &format!("backend = \"wgpu\"\n{SYNTHETIC}"));
    let model = dir.path().join("gpu");
    let output = mojet(&[
        "train",
        "--config",
        gpu_config.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    if stderr(&output).contains("no GPU adapter found") {
        eprintln!("skipped: no wgpu adapter on this machine (install mesa-vulkan-drivers)");
        return;
    }
    assert!(
        output.status.success(),
        "wgpu train failed: {}",
        stderr(&output)
    );

    let mlp_config = write_config(
        dir.path(),
        &SYNTHETIC
            .replace(
                "kind = \"linear\"",
                "kind = \"mlp\"\nhidden = [6]\nactivation = \"tanh\"",
            )
            .replace("width = 1", "width = 2")
            .replace("epochs = 400", "epochs = 50"),
    );
    let mlp = dir.path().join("mlp");
    train(&mlp_config, 1, &mlp);
    engines_agree_on_both_backends(&model, &["encoder", "output"]);
    engines_agree_on_both_backends(&mlp, &["hidden1", "bottleneck", "output"]);
}

/// `jets` of every tap of `model` with forward and reverse mode on ndarray
/// and wgpu agree with ndarray's reverse mode within 1e-4 relative.
fn engines_agree_on_both_backends(model: &Path, taps: &[&str]) {
    let jets = |backend: &str, engine: &str| {
        let out = model.with_extension(format!("{backend}-{engine}.npz"));
        let output = mojet(&[
            "jets",
            "--model",
            model.to_str().unwrap(),
            "--backend",
            backend,
            "--engine",
            engine,
            "--forward-only",
            "--points",
            "8",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{backend} {engine} jets failed: {}",
            stderr(&output)
        );
        let mut npz = NpzReader::new(fs::File::open(&out).unwrap()).unwrap();
        taps.iter()
            .map(|tap| {
                npz.by_name::<ndarray::OwnedRepr<f64>, ndarray::Ix3>(tap)
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    let reference = jets("ndarray", "reverse");
    for (backend, engine) in [
        ("ndarray", "forward"),
        ("wgpu", "forward"),
        ("wgpu", "reverse"),
    ] {
        let values = jets(backend, engine);
        for ((tap, value), expected) in taps.iter().zip(&values).zip(&reference) {
            let difference = relative_difference(value, expected);
            eprintln!("{backend} {engine} {tap}: relative difference {difference:.2e}");
            assert!(
                difference < 1e-4,
                "{backend} {engine} {tap}: relative difference {difference}"
            );
        }
    }
}

fn relative_difference(value: &Array3<f64>, expected: &Array3<f64>) -> f64 {
    let difference = (value - expected).mapv(|v| v * v).sum().sqrt();
    difference / expected.mapv(|v| v * v).sum().sqrt()
}

#[test]
fn forward_and_reverse_engines_agree() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &SYNTHETIC.replace("width = 1", "width = 2"));
    let model = dir.path().join("model");
    train(&config, 2, &model);
    let jets = |engine: &str| {
        let out = dir.path().join(format!("{engine}.npz"));
        let output = mojet(&[
            "jets",
            "--model",
            model.to_str().unwrap(),
            "--engine",
            engine,
            "--forward-only",
            "--design",
            "isotropic",
            "--k",
            "3",
            "--points",
            "12",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "{engine} jets failed: {}",
            stderr(&output)
        );
        let mut npz = NpzReader::new(fs::File::open(&out).unwrap()).unwrap();
        let encoder: Array3<f64> = npz.by_name("encoder").unwrap();
        let output_jet: Array3<f64> = npz.by_name("output").unwrap();
        (encoder, output_jet)
    };
    let (forward, reverse) = (jets("forward"), jets("reverse"));
    for (f, r) in [(&forward.0, &reverse.0), (&forward.1, &reverse.1)] {
        let difference = (f - r).mapv(|v| v * v).sum().sqrt() / r.mapv(|v| v * v).sum().sqrt();
        assert!(difference < 1e-5, "relative difference {difference}");
    }
}

#[test]
fn unknown_engine_lists_choices() {
    let output = mojet(&[
        "jets", "--model", "m", "--engine", "magic", "--out", "x.npz",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "unknown engine \"magic\"; available: forward, reverse, central, least-squares"
        ),
        "{}",
        stderr(&output)
    );
}
