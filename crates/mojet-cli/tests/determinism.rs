//! The same config and seeds reproduce identical files on ndarray.

use std::fs;
use std::path::Path;
use std::process::Command;

const CONFIG: &str = r#"[data]
split_seed = 0
[data.synthetic]
n = 120
d = 4
p = 2
rank = 1
noise = 0.05
seed = 3
[model]
kind = "linear"
width = 1
[train]
learning_rate = 0.05
epochs = 60
"#;

/// Trains two seeds and diagnoses them inside `dir`, with paths relative to
/// it, so that two runs in different directories write the same text.
fn train_and_diagnose(dir: &Path) {
    fs::write(dir.join("run.toml"), CONFIG).unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_mojet"))
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    for seed in ["1", "2"] {
        let out = format!("seed{seed}");
        run(&[
            "train", "--config", "run.toml", "--seed", seed, "--out", &out,
        ]);
    }
    run(&[
        "diagnose",
        "--models",
        "seed1",
        "seed2",
        "--designs",
        "coordinate,isotropic",
        "--k",
        "2",
        "--points",
        "16",
        "--out",
        "diagnosis",
    ]);
}

#[test]
fn rerun_writes_identical_files() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    train_and_diagnose(first.path());
    train_and_diagnose(second.path());

    // None of these files records a wall time or a date, so every byte must
    // match, the burn record included: the store numbers the parameters in
    // order instead of keeping burn's random ids.
    let files = [
        "seed1/model.mpk",
        "seed2/model.mpk",
        "seed1/metadata.json",
        "seed1/run.json",
        "seed2/metadata.json",
        "diagnosis/diagnosis.json",
        "diagnosis/run.json",
    ];
    for file in files {
        let a = fs::read(first.path().join(file)).unwrap();
        let b = fs::read(second.path().join(file)).unwrap();
        assert!(a == b, "{file} differs between two identical runs");
    }
}

#[test]
fn diagnosis_reports_general_linear_rank() {
    let dir = tempfile::tempdir().unwrap();
    train_and_diagnose(dir.path());
    let text = fs::read_to_string(dir.path().join("diagnosis/diagnosis.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let encoder = &json["pairs"][0]["taps"][0];
    assert_eq!(encoder["tap"], "encoder");
    // Width 1: the general-linear solver keeps rank 1 of the encoder jet.
    assert_eq!(encoder["general_linear_rank"], 1);

    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("diagnosis/run.json")).unwrap())
            .unwrap();
    assert_eq!(run["command"], "diagnose");
    assert_eq!(run["versions"]["mojet"], env!("CARGO_PKG_VERSION"));
    assert!(run["versions"]["burn"].as_str().unwrap().starts_with("0."));
    assert_eq!(run["backend"], "ndarray");
    assert_eq!(run["config"]["estimate"]["k"], 2);
    assert_eq!(run["config"]["designs"][1], "isotropic");
}
