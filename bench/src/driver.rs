//! Runs mojet and the installed Python peers on one case, interleaved round
//! by round in fresh processes, checks that the peers' jets equal mojet's,
//! and summarises the timings.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::config::{Case, SEED, seeded_inputs};
use crate::files::{Inputs, max_relative_difference, read_jets, write_inputs};
use crate::model::Weights;
use crate::stats::median;
use crate::worker::WorkerReport;

/// Largest relative difference (`‖a − b‖∞ / ‖b‖∞` per tap) accepted between a
/// peer's jets and mojet's.
pub const TOLERANCE: f64 = 1e-4;

/// An engine and the command that starts one of its workers.
#[derive(Debug, Clone)]
pub struct Engine {
    /// `mojet`, `jax` or `torch`.
    pub name: String,
    program: PathBuf,
    prefix: Vec<String>,
}

/// Returns the Python interpreter of the benchmark's virtual environment.
pub fn venv_python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")
}

/// Returns mojet and every Python peer whose framework imports in `python`,
/// printing how to install the missing ones.
///
/// # Errors
/// Fails when the path of the running executable is unknown.
pub fn available_engines(python: &Path) -> anyhow::Result<Vec<Engine>> {
    let mut engines = vec![Engine {
        name: "mojet".to_string(),
        program: std::env::current_exe().context("locating the mojet-bench executable")?,
        prefix: vec!["worker".to_string()],
    }];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/jets.py");
    for (name, module, install) in [
        ("jax", "jax", "just bench-setup"),
        (
            "torch",
            "torch",
            "bench/.venv/bin/pip install torch (the PyPI wheel pulls several GB of CUDA libraries)",
        ),
    ] {
        let imports = Command::new(python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|output| output.status.success());
        if imports {
            engines.push(Engine {
                name: name.to_string(),
                program: python.to_path_buf(),
                prefix: vec![
                    script.display().to_string(),
                    "--framework".to_string(),
                    name.to_string(),
                ],
            });
        } else {
            eprintln!(
                "{name} is not installed in {}; skipping it. Install it with: {install}",
                python.display()
            );
        }
    }
    Ok(engines)
}

/// How often and how to run each engine on a case.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Rounds; each round starts one fresh worker per engine, in turn.
    pub rounds: usize,
    /// Timed repetitions per worker, after one untimed warm-up.
    pub reps: usize,
    /// Base points per forward pass, for every engine.
    pub chunk_size: usize,
}

/// The measurements of one engine on one case.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EngineResult {
    /// Engine name.
    pub engine: String,
    /// Median over all timed repetitions of all rounds, in seconds.
    pub median_s: f64,
    /// All timed repetitions, in seconds.
    pub times_s: Vec<f64>,
    /// Largest peak resident memory over the engine's workers, in KiB.
    pub peak_rss_kib: Option<u64>,
    /// Largest relative difference of the jets from mojet's; zero for mojet.
    pub max_relative_difference: f64,
}

/// The measurements of all engines on one case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseResult {
    /// The case.
    pub case: Case,
    /// Base points per forward pass.
    pub chunk_size: usize,
    /// Floating-point operations of the matrix products (see [`Case::flops`]).
    pub flops: f64,
    /// One entry per engine, mojet first.
    pub engines: Vec<EngineResult>,
}

/// Writes the inputs of `case`, runs every engine `schedule.rounds` times in
/// turn, and checks the jets after the first round.
///
/// # Errors
/// Fails when a worker fails or a peer's jets differ from mojet's by more
/// than [`TOLERANCE`].
pub fn run_case(
    case: &Case,
    engines: &[Engine],
    schedule: &Schedule,
    out: &Path,
) -> anyhow::Result<CaseResult> {
    let directory = out.join(case.label());
    std::fs::create_dir_all(&directory)
        .with_context(|| format!("creating {}", directory.display()))?;
    let inputs_path = directory.join("inputs.npz");
    let (x, u) = seeded_inputs(
        SEED + 1,
        case.points,
        case.directions,
        case.architecture.input,
    );
    let weights = Weights::seeded(&case.architecture, SEED);
    write_inputs(&inputs_path, &Inputs { weights, x, u })?;

    let mut reports: Vec<Vec<WorkerReport>> = vec![Vec::new(); engines.len()];
    let mut differences = vec![0.0; engines.len()];
    for round in 0..schedule.rounds {
        for (engine, collected) in engines.iter().zip(&mut reports) {
            let jets_out =
                (round == 0).then(|| directory.join(format!("jets-{}.npz", engine.name)));
            collected.push(run_worker(
                engine,
                &inputs_path,
                schedule,
                jets_out.as_deref(),
            )?);
        }
        if round == 0 {
            differences = compare_jets(case, engines, &directory)?;
        }
    }

    let results = engines
        .iter()
        .zip(reports)
        .zip(differences)
        .map(|((engine, reports), difference)| summarise(&engine.name, &reports, difference))
        .collect();
    Ok(CaseResult {
        case: case.clone(),
        chunk_size: schedule.chunk_size,
        flops: case.flops(),
        engines: results,
    })
}

fn run_worker(
    engine: &Engine,
    inputs: &Path,
    schedule: &Schedule,
    jets_out: Option<&Path>,
) -> anyhow::Result<WorkerReport> {
    let mut command = Command::new(&engine.program);
    command
        .args(&engine.prefix)
        .arg("--inputs")
        .arg(inputs)
        .args(["--reps", &schedule.reps.to_string()])
        .args(["--chunk-size", &schedule.chunk_size.to_string()]);
    if let Some(path) = jets_out {
        command.arg("--jets-out").arg(path);
    }
    let output = command
        .output()
        .with_context(|| format!("starting the {} worker", engine.name))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "the {} worker failed ({}):\n{}",
        engine.name,
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .last()
        .with_context(|| format!("the {} worker printed no report", engine.name))?;
    serde_json::from_str(line)
        .with_context(|| format!("parsing the report of the {} worker: {line}", engine.name))
}

/// Compares every engine's jets with mojet's, prints the differences, and
/// deletes the jet files, which are gigabytes on the large case.
fn compare_jets(case: &Case, engines: &[Engine], directory: &Path) -> anyhow::Result<Vec<f64>> {
    let tap_count = case.architecture.taps().len();
    let path = |engine: &Engine| directory.join(format!("jets-{}.npz", engine.name));
    let reference = read_jets(&path(&engines[0]), tap_count)?;
    let mut differences = vec![0.0];
    for engine in &engines[1..] {
        let jets = read_jets(&path(engine), tap_count)?;
        let difference = max_relative_difference(&jets, &reference)?;
        println!(
            "{}: {} jets differ from mojet's by at most {difference:.2e} (relative)",
            case.label(),
            engine.name
        );
        anyhow::ensure!(
            difference <= TOLERANCE,
            "{}: {} jets differ from mojet's by {difference:.2e}, above the tolerance {TOLERANCE:.0e}",
            case.label(),
            engine.name
        );
        differences.push(difference);
    }
    for engine in engines {
        std::fs::remove_file(path(engine))
            .with_context(|| format!("removing {}", path(engine).display()))?;
    }
    Ok(differences)
}

fn summarise(engine: &str, reports: &[WorkerReport], difference: f64) -> EngineResult {
    let times_s: Vec<f64> = reports.iter().flat_map(|r| r.times_s.clone()).collect();
    EngineResult {
        engine: engine.to_string(),
        median_s: median(&mut times_s.clone()),
        times_s,
        peak_rss_kib: reports.iter().filter_map(|r| r.peak_rss_kib).max(),
        max_relative_difference: difference,
    }
}
