//! Killing `mojet reproduce linear` while it writes its results leaves no
//! truncated file, and a rerun in the same directory completes.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A reproduction small enough to run in seconds in a debug build. Its
/// numbers are too rough for every expected relation to hold, so the run may
/// exit 1 after writing all its files.
const SMALL: &str = r#"
base_points = 12

[synthetic]
n = 200
d = 5
p = 3
rank = 2
subspace_dim = 3
noise = 0.1
seed = 3

[mirage]
steps = 3

[ensembles]
seeds = [1, 2]
over_complete_width = 3

[ensembles.train]
learning_rate = 0.05
epochs = 60

[estimator]
hidden_width = 4
epsilons = [0.01, 0.1]
noises = [1e-4, 1e-2]

[real_data]
widths = [1, 3]
seeds = [1, 2]

[real_data.data]
path = "diabetes.csv"
targets = ["progression"]

[real_data.train]
learning_rate = 0.05
epochs = 40
"#;

fn reproduce(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mojet"));
    command
        .current_dir(dir)
        .args([
            "reproduce",
            "linear",
            "--config",
            "small.toml",
            "--out",
            "results",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Returns whether the run has written any figure file.
fn has_figure(results: &Path) -> bool {
    fs::read_dir(results).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            [".csv", ".svg", ".png"]
                .iter()
                .any(|ext| name.ends_with(ext))
                && !name.contains(".tmp")
        })
    })
}

/// Asserts that every finished file in `results` is complete; temporaries
/// are skipped when `allow_temporaries` is set and rejected otherwise.
fn assert_complete(results: &Path, allow_temporaries: bool) {
    for entry in fs::read_dir(results).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.contains(".tmp") {
            assert!(
                allow_temporaries,
                "{name}: temporary file left after a completed run"
            );
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|err| panic!("{name}: invalid JSON: {err}"));
            }
            Some("csv") => {
                let text = String::from_utf8(bytes).unwrap();
                let widths: Vec<usize> = text.lines().map(field_count).collect();
                assert!(widths.len() > 1, "{name}: no data rows");
                assert!(text.ends_with('\n'), "{name}: last row cut");
                assert!(
                    widths.iter().all(|&w| w == widths[0]),
                    "{name}: ragged rows"
                );
            }
            Some("svg") => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.trim_end().ends_with("</svg>"), "{name}: cut short");
            }
            Some("png") => {
                assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
                assert!(bytes.len() > 20, "{name}: cut short");
                assert_eq!(
                    &bytes[bytes.len() - 8..bytes.len() - 4],
                    b"IEND",
                    "{name}: cut short"
                );
            }
            _ => panic!("{name}: unexpected file in the results"),
        }
    }
}

/// Counts the fields of a CSV line, skipping commas inside quotes.
fn field_count(line: &str) -> usize {
    let mut quoted = false;
    let mut fields = 1;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields += 1,
            _ => {}
        }
    }
    fields
}

#[test]
fn killed_reproduction_reruns_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("small.toml"), SMALL).unwrap();
    let diabetes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/diabetes.csv");
    fs::copy(diabetes, dir.path().join("diabetes.csv")).unwrap();
    let results = dir.path().join("results");

    let mut child = reproduce(dir.path()).spawn().unwrap();
    let started = Instant::now();
    while !has_figure(&results) && child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no figure after 600 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL, so nothing in the process can finish a write on its way out.
    let _ = child.kill();
    child.wait().unwrap();
    assert_complete(&results, true);

    let output = reproduce(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => {}
        Some(1) => assert!(
            stderr.contains("expected relations do not hold"),
            "{stderr}"
        ),
        code => panic!("rerun exited with {code:?}: {stderr}"),
    }
    assert_complete(&results, false);
    for file in [
        "summary.json",
        "run.json",
        "mirage_family.png",
        "real_data.svg",
    ] {
        assert!(
            results.join(file).is_file(),
            "{file} missing after the rerun"
        );
    }
}
