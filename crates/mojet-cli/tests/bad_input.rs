//! Every kind of bad input gets one line on stderr that names the file or
//! flag, the value and the fix, with exit code 2 and no panic.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CONFIG: &str = r#"[data]
path = "data.csv"
targets = ["y"]
[model]
kind = "linear"
width = 1
[train]
epochs = 3
"#;

fn mojet_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mojet"))
        .current_dir(dir)
        .args(args)
        .env_remove("MOJET_LOG")
        .output()
        .expect("the mojet binary runs")
}

/// Asserts exit code 2 and a single `error: ` line, and returns that line
/// without the prefix.
fn input_error(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    stderr
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("no error prefix: {stderr}"))
        .trim_end()
        .to_string()
}

/// Returns a CSV of 40 rows with features a, b and target y.
fn good_csv() -> String {
    let rows: String = (0..40)
        .map(|i| format!("{},{},{}\n", i % 7, (i * 3) % 11, i % 5))
        .collect();
    format!("a,b,y\n{rows}")
}

/// Creates a directory containing `data.csv` with `csv` and `run.toml` with
/// `config`.
fn setup(csv: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("data.csv"), csv).unwrap();
    fs::write(dir.path().join("run.toml"), config).unwrap();
    dir
}

/// Trains from `csv` and `config` and returns the error message, with the
/// temporary directory left out of the absolute data path it names.
fn train_error(csv: &str, config: &str) -> String {
    let dir = setup(csv, config);
    let message = input_error(&mojet_in(
        dir.path(),
        &["train", "--config", "run.toml", "--out", "model"],
    ));
    // The working directory may reach the temporary directory through a
    // symbolic link, so both spellings of it are left out.
    let canonical = fs::canonicalize(dir.path()).unwrap();
    [dir.path(), canonical.as_path()]
        .iter()
        .fold(message, |message, prefix| {
            message.replace(&format!("{}/", prefix.display()), "")
        })
}

/// Trains a small model into `dir/model` and returns its path.
fn trained_model(dir: &Path) -> PathBuf {
    fs::write(dir.join("data.csv"), good_csv()).unwrap();
    fs::write(dir.join("run.toml"), CONFIG).unwrap();
    let output = mojet_in(dir, &["train", "--config", "run.toml", "--out", "model"]);
    assert!(
        output.status.success(),
        "train failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir.join("model")
}

#[test]
fn config_errors_name_position_and_fix() {
    let cases = [
        (
            CONFIG.replace("width = 1", "width = 1\ndepth = 2"),
            "run.toml:7:1: unknown field `depth`",
            "; remove the key or correct its spelling",
        ),
        (
            CONFIG.replace("width = 1", "width = \"one\""),
            "run.toml:6:9: invalid type: string \"one\", expected a non-negative integer",
            "; change the value to a whole number such as 3",
        ),
        (
            CONFIG.replace("width = 1", "width = -1"),
            "run.toml:6:9: invalid value: integer `-1`, expected a non-negative integer",
            "; change the value to a whole number such as 3",
        ),
        (
            format!("backend = \"cuda\"\n{CONFIG}"),
            "run.toml:1:11: unknown variant `cuda`, expected `ndarray` or `wgpu`",
            "; use one of the expected values",
        ),
        (
            CONFIG.replace("kind = \"linear\"", "kind = \"linear\"\n[oops"),
            "run.toml:",
            "; fix the TOML syntax at that position",
        ),
    ];
    for (config, start, end) in cases {
        let message = train_error(&good_csv(), &config);
        assert!(message.starts_with(start), "{message}");
        assert!(message.ends_with(end), "{message}");
    }
}

#[test]
fn config_out_of_range_values() {
    let cases = [
        (
            CONFIG.replace("width = 1", "width = 0"),
            "run.toml: [model] width = 0 is invalid",
        ),
        (
            CONFIG.replace("epochs = 3", "epochs = 3\nlearning_rate = -0.5"),
            "run.toml: [train] learning_rate = -0.5 is invalid; use a positive number such as 0.01",
        ),
        (
            CONFIG.replace("epochs = 3", "epochs = 0"),
            "run.toml: [train] epochs = 0 is invalid; use a positive integer",
        ),
        (
            CONFIG.replace(
                "targets = [\"y\"]",
                "targets = [\"y\"]\ntest_fraction = 1.5",
            ),
            "run.toml: [data] test_fraction = 1.5 is invalid; use a fraction in (0, 1)",
        ),
    ];
    for (config, start) in cases {
        let message = train_error(&good_csv(), &config);
        assert!(message.starts_with(start), "{message}");
    }
}

#[test]
fn missing_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let message = input_error(&mojet_in(dir.path(), &["train", "--config", "nope.toml"]));
    assert!(
        message.starts_with("nope.toml: cannot read config:"),
        "{message}"
    );
    assert!(
        message.ends_with("pass an existing TOML file to --config"),
        "{message}"
    );
}

#[test]
fn csv_errors_name_line_column_and_fix() {
    let good = good_csv();
    let with_row = |row: &str| good.replacen("\n", &format!("\n{row}\n"), 1);
    let constant: String = std::iter::once("a,b,y\n".to_string())
        .chain((0..40).map(|i| format!("5,{},{}\n", i % 11, i % 5)))
        .collect();
    let cases = [
        (
            "1,2,3\n4,5,6\n".to_string(),
            "data.csv: header row missing, line 1 contains only numbers (1, 2, 3); add a first line naming each column",
        ),
        (
            good.replacen("a,b,y", "a,a,y", 1),
            "data.csv: column name \"a\" appears twice in the header (columns 1 and 2); rename one of them",
        ),
        (
            with_row("1,2"),
            "data.csv: line 2 has 2 fields, expected 3 (one per header column); fix that row or the header",
        ),
        (
            with_row("1,x,2"),
            "data.csv: line 2, column 2 (\"b\"): \"x\" is not a number; replace it with a number, or leave the column out of [data] features",
        ),
        (
            with_row("1,NaN,2"),
            "data.csv: line 2, column 2 (\"b\"): \"NaN\" is not a finite number; replace it with a finite value or delete the row",
        ),
        (
            with_row("inf,1,2"),
            "data.csv: line 2, column 1 (\"a\"): \"inf\" is not a finite number; replace it with a finite value or delete the row",
        ),
        (
            String::new(),
            "data.csv: file is empty; expected a header row naming the columns, then one row per sample",
        ),
        (
            "a,b,y\n1,2,3\n4,5,6\n7,8,1\n".to_string(),
            "data.csv: split: 3 rows with valid_fraction 0.15 and test_fraction 0.15 give train 3, valid 0, test 0 rows; every part needs at least 1 row, so use more rows or larger fractions",
        ),
        (
            constant,
            "data.csv: standardise: column \"a\" is constant (every row is 5), so it has no scale; drop it from [data] features",
        ),
    ];
    for (csv, start) in cases {
        let message = train_error(&csv, CONFIG);
        assert!(message.starts_with(start), "{message}");
    }
}

#[test]
fn csv_target_absent_or_file_missing() {
    let message = train_error(&good_csv(), &CONFIG.replace("[\"y\"]", "[\"price\"]"));
    assert_eq!(
        message,
        "data.csv: target column \"price\" not found; available columns: a, b, y; set [data] targets to one of them"
    );
    let message = train_error(&good_csv(), &CONFIG.replace("data.csv", "absent.csv"));
    assert_eq!(
        message,
        "absent.csv: file not found; check the path, or set [data] path to an existing CSV file"
    );
}

#[test]
fn labels_that_skip_classes_rejected() {
    let config = CONFIG.replace(
        "targets = [\"y\"]",
        "targets = [\"y\"]\ntask = \"classification\"",
    );
    // Labels 25, 27, …, 33: a count or a score, not classes 0..C.
    let rows: String = (0..40)
        .map(|i| format!("{},{},{}\n", i % 7, i % 3, 25 + 2 * (i % 5)))
        .collect();
    let message = train_error(&format!("a,b,y\n{rows}"), &config);
    assert_eq!(
        message,
        "data.csv: target y has labels up to 33 but only 5 distinct values, so class 0 never occurs; classification labels must be 0, 1, …, C − 1 with every class present (for a continuous target set task = \"regression\")"
    );
    let message = train_error(&good_csv().replace("\n3,9,3\n", "\n3,9,0.5\n"), &config);
    assert_eq!(
        message,
        "data.csv: target y has label 0.5 in row 3; classification labels must be integers 0, 1, …"
    );
}

#[test]
fn divergence_names_epoch_and_learning_rate() {
    let config = CONFIG.replace("epochs = 3", "epochs = 3\nlearning_rate = 1e30");
    let message = train_error(&good_csv(), &config);
    assert!(
        message.starts_with("run.toml: training diverged at epoch 1: the loss is"),
        "{message}"
    );
    assert!(
        message.contains("lower [train] learning_rate (now "),
        "{message}"
    );
}

#[test]
fn model_errors_name_file_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let model = trained_model(dir.path());
    let copy = |name: &str, edit: &dyn Fn(&Path)| {
        let target = dir.path().join(name);
        fs::create_dir_all(&target).unwrap();
        for file in ["model.mpk", "metadata.json"] {
            fs::copy(model.join(file), target.join(file)).unwrap();
        }
        edit(&target);
    };
    let metadata = |dir: &Path| fs::read_to_string(dir.join("metadata.json")).unwrap();
    copy("truncated", &|d| {
        let bytes = fs::read(d.join("model.mpk")).unwrap();
        fs::write(d.join("model.mpk"), &bytes[..bytes.len() / 2]).unwrap();
    });
    copy("no-record", &|d| {
        fs::remove_file(d.join("model.mpk")).unwrap()
    });
    copy("corrupt-metadata", &|d| {
        fs::write(d.join("metadata.json"), &metadata(d)[..40]).unwrap();
    });
    copy("old-version", &|d| {
        let text = metadata(d).replace("\"format_version\": 1", "\"format_version\": 0");
        fs::write(d.join("metadata.json"), text).unwrap();
    });
    let edit_json = |d: &Path, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut json: serde_json::Value = serde_json::from_str(&metadata(d)).unwrap();
        edit(&mut json);
        fs::write(d.join("metadata.json"), json.to_string()).unwrap();
    };
    copy("inconsistent-width", &|d| {
        edit_json(d, &|json| json["input_width"] = 3.into());
    });
    copy("wrong-width", &|d| {
        // A consistent metadata for three features, which no longer matches
        // the weights, which take two inputs.
        edit_json(d, &|json| {
            json["input_width"] = 3.into();
            let data = &mut json["data"];
            data["feature_names"] = serde_json::json!(["c", "a", "b"]);
            for key in ["mean", "scale"] {
                data["x_standardizer"][key]
                    .as_array_mut()
                    .unwrap()
                    .insert(0, 1.0.into());
            }
        });
    });

    let jets_error = |name: &str| {
        input_error(&mojet_in(
            dir.path(),
            &["jets", "--model", name, "--out", "jets.npz"],
        ))
    };
    let cases = [
        (
            "no-such-dir",
            "no-such-dir: model directory not found; pass a directory written by `mojet train`",
        ),
        ("truncated", "truncated/model.mpk: cannot load weights: "),
        ("no-record", "no-record/model.mpk: cannot load weights: "),
        (
            "corrupt-metadata",
            "corrupt-metadata/metadata.json: invalid metadata: ",
        ),
        (
            "old-version",
            "old-version/metadata.json: format_version 0 is not supported (this mojet reads 1); retrain the model with this version",
        ),
    ];
    for (name, start) in cases {
        let message = jets_error(name);
        assert!(message.starts_with(start), "{message}");
    }
    for name in ["truncated", "no-record"] {
        let message = jets_error(name);
        assert!(
            message.ends_with("the file is corrupt or from another model, retrain it"),
            "{message}"
        );
    }
    // A CSV with the three features the edited metadata names, so that only
    // the weights disagree.
    let wide: String = std::iter::once("c,a,b,y\n".to_string())
        .chain((0..40).map(|i| format!("{},{},{},{}\n", i % 3, i % 7, (i * 3) % 11, i % 5)))
        .collect();
    fs::write(dir.path().join("wide.csv"), wide).unwrap();
    let message = input_error(&mojet_in(
        dir.path(),
        &[
            "-q",
            "jets",
            "--model",
            "wrong-width",
            "--data",
            "wide.csv",
            "--out",
            "jets.npz",
        ],
    ));
    assert!(
        message.starts_with("wrong-width/model.mpk: cannot load weights: parameter shapes"),
        "{message}"
    );
    assert!(message.contains("(input width 3)"), "{message}");
}

#[test]
fn data_without_model_features() {
    let dir = tempfile::tempdir().unwrap();
    trained_model(dir.path());
    fs::write(dir.path().join("other.csv"), "a,y\n1,2\n3,4\n").unwrap();
    let message = input_error(&mojet_in(
        dir.path(),
        &[
            "jets",
            "--model",
            "model",
            "--data",
            "other.csv",
            "--out",
            "jets.npz",
        ],
    ));
    assert_eq!(
        message,
        "other.csv: feature column \"b\" not found; available columns: a, y; set [data] features to names from that list"
    );
}

#[test]
fn flag_values_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    trained_model(dir.path());
    let jets = |extra: &[&str]| {
        let mut args = vec!["jets", "--model", "model", "--out", "jets.npz"];
        args.extend_from_slice(extra);
        input_error(&mojet_in(dir.path(), &args))
    };
    let cases: [(&[&str], &str); 12] = [
        (
            &["--k", "0"],
            "--k 0 is invalid; use 1 or more directions per base point",
        ),
        (
            &["--points", "0"],
            "--points 0 is invalid; use 1 or more base points",
        ),
        (
            &["--engine", "central", "--epsilon", "0"],
            "--epsilon 0 is invalid; use a positive finite step such as 0.01",
        ),
        (
            &["--engine", "central", "--epsilon=-0.1"],
            "--epsilon -0.1 is invalid; use a positive finite step such as 0.01",
        ),
        (
            &["--engine", "central", "--epsilon", "-1"],
            "--epsilon -1 is invalid; use a positive finite step such as 0.01",
        ),
        (
            &["--engine", "least-squares", "--k", "4", "--samples", "2"],
            "--samples 2 is invalid; use --samples 4 or more (least squares needs at least K = 4 perturbations per base point), or leave it unset for 2K",
        ),
        (
            &["--engine", "least-squares", "--samples", "0"],
            "--samples 0 is invalid; use 1 or more perturbations per base point, or leave it unset for 2K",
        ),
        (
            &["--design", "normal", "--tangent-dim", "0"],
            "--tangent-dim 0 is invalid; use 1 or more tangent directions, or leave it unset for K",
        ),
        (
            &["--design", "normal", "--k", "1", "--tangent-dim", "2"],
            "the normal design needs tangent dimension + K <= d, got 2 + 1 > 2; lower the tangent dimension (tangent_dim, --tangent-dim) or K (k, --k)",
        ),
        (
            &["--engine", "magic"],
            "invalid value 'magic' for '--engine <NAME>': unknown engine \"magic\"; available: forward, reverse, central, least-squares; run with --help for usage",
        ),
        (
            &["--design", "spiral"],
            "invalid value 'spiral' for '--design <NAME>': unknown design \"spiral\"; valid names: coordinate, isotropic, principal, tangent, normal; run with --help for usage",
        ),
        (
            &["--backend", "cuda"],
            "invalid value 'cuda' for '--backend <NAME>': unknown backend \"cuda\"; available: ndarray, wgpu; run with --help for usage",
        ),
    ];
    for (extra, expected) in cases {
        assert_eq!(jets(extra), expected, "flags {extra:?}");
    }
    assert!(
        !dir.path().join("jets.npz").exists(),
        "a rejected run wrote its output"
    );

    let message = input_error(&mojet_in(
        dir.path(),
        &[
            "diagnose",
            "--models",
            "model",
            "model",
            "--tolerance=-1",
            "--out",
            "diagnosis",
        ],
    ));
    assert_eq!(
        message,
        "--tolerance -1 is invalid; use a small positive number such as 0.05"
    );
}

#[test]
fn missing_flag_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let message = input_error(&mojet_in(dir.path(), &["jets", "--model", "model"]));
    assert_eq!(
        message,
        "the following required arguments were not provided: --out <FILE>; run with --help for usage"
    );
}

#[test]
fn output_under_a_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    trained_model(dir.path());
    // A path below a regular file cannot be created, even by root, which
    // permission bits would not stop.
    let unwritable = "data.csv/sub: cannot write the output directory: Not a directory (os error 20); pass a writable directory to --out";
    let train = mojet_in(
        dir.path(),
        &["train", "--config", "run.toml", "--out", "data.csv/sub"],
    );
    assert_eq!(input_error(&train), unwritable);
    let jets = mojet_in(
        dir.path(),
        &["jets", "--model", "model", "--out", "data.csv/sub/jets.npz"],
    );
    assert_eq!(input_error(&jets), unwritable);
    let diagnose = mojet_in(
        dir.path(),
        &[
            "diagnose",
            "--models",
            "model",
            "model",
            "--designs",
            "coordinate",
            "--out",
            "data.csv/sub",
        ],
    );
    assert_eq!(input_error(&diagnose), unwritable);
}

#[test]
fn wgpu_without_adapter() {
    let dir = setup(&good_csv(), &format!("backend = \"wgpu\"\n{CONFIG}"));
    // Pointing the Vulkan loader at a missing driver manifest hides every
    // Vulkan adapter, including Mesa's software one.
    let output = Command::new(env!("CARGO_BIN_EXE_mojet"))
        .current_dir(dir.path())
        .args(["train", "--config", "run.toml", "--out", "model"])
        .env("VK_ICD_FILENAMES", "/nonexistent/icd.json")
        .env("VK_DRIVER_FILES", "/nonexistent/icd.json")
        .output()
        .unwrap();
    if output.status.success() {
        // NOTE: wgpu may still find a GL adapter on machines with one, so the
        // message is only checked where hiding Vulkan leaves none.
        eprintln!("skipped: wgpu found an adapter other than Vulkan");
        return;
    }
    assert_eq!(
        input_error(&output),
        "backend \"wgpu\": no GPU adapter found; install a Vulkan driver (Debian: apt-get install mesa-vulkan-drivers) or set backend = \"ndarray\""
    );
}
