//! The whole benchmark behind `just bench`: the matrix-product yardstick,
//! the three size presets, the sweeps over `N` and `K`, and a streaming run
//! for peak memory, each engine in fresh processes.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::config::Case;
use crate::driver::{CaseResult, Engine, Schedule, available_engines, run_case, venv_python};
use crate::memory::MemoryReport;
use crate::report::{Sweep, cases_table, memory_table, plot_sweep, sgemm_table};
use crate::sgemm::{SgemmReport, burn_sgemm};

/// Settings of the whole benchmark.
#[derive(Debug, Clone, clap::Args)]
pub struct SuiteArgs {
    /// Directory for inputs, jets and the summary.
    #[arg(long, default_value = "bench/out")]
    pub out: PathBuf,
    /// Directory for the sweep figures (PNG, SVG, CSV).
    #[arg(long, default_value = "bench/figures")]
    pub figures: PathBuf,
    /// Rounds per case; each round starts one worker per engine in turn.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Timed repetitions per worker.
    #[arg(long, default_value_t = 2)]
    pub reps: usize,
    /// Base points per forward pass on the large preset, for every engine.
    #[arg(long, default_value_t = 1024)]
    pub large_chunk_size: usize,
    /// Base points of the streaming run on the large preset; 0 skips it.
    #[arg(long, default_value_t = 100_000)]
    pub memory_points: usize,
    /// Base points per forward pass of the streaming run.
    #[arg(long, default_value_t = 512)]
    pub memory_chunk_size: usize,
    /// Side of the square matrix product that measures the sgemm peak.
    #[arg(long, default_value_t = 4096)]
    pub sgemm_size: usize,
    /// Skip the sweeps over `N` and `K`.
    #[arg(long)]
    pub no_sweeps: bool,
}

/// Runs every part of the benchmark and writes `summary.md` and
/// `summary.json` into `args.out`.
///
/// # Errors
/// Fails when a worker fails or a peer's jets differ from mojet's.
pub fn run_suite(args: &SuiteArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out)?;
    std::fs::create_dir_all(&args.figures)?;
    let load_before = load_average();
    let python = venv_python();
    let engines = available_engines(&python)?;

    let mut sgemm = vec![burn_sgemm(args.sgemm_size, 3)];
    if python.exists() {
        sgemm.push(numpy_sgemm(&python, args.sgemm_size)?);
    }
    println!("{}", sgemm_table(&sgemm));

    let mut presets = Vec::new();
    for name in ["small", "medium", "large"] {
        let case = Case::preset(name).expect("the preset exists");
        let chunk_size = if name == "large" {
            args.large_chunk_size
        } else {
            case.points
        };
        presets.push(run_and_print(&case, &engines, args, chunk_size)?);
    }

    let mut sweeps = (Vec::new(), Vec::new());
    if !args.no_sweeps {
        let medium = Case::preset("medium").expect("the preset exists");
        for points in [256, 1024, 4096, 16384] {
            let case = Case {
                points,
                ..medium.clone()
            };
            sweeps.0.push(run_and_print(&case, &engines, args, points)?);
        }
        for directions in [4, 16, 64] {
            let case = Case {
                directions,
                ..medium.clone()
            };
            sweeps
                .1
                .push(run_and_print(&case, &engines, args, case.points)?);
        }
        plot_sweep(&sweeps.0, Sweep::Points, &args.figures)?;
        plot_sweep(&sweeps.1, Sweep::Directions, &args.figures)?;
    }

    let memory = (args.memory_points > 0)
        .then(|| streaming_run(args.memory_points, args.memory_chunk_size))
        .transpose()?;
    let load_after = load_average();
    write_summary(
        args,
        &sgemm,
        &presets,
        &sweeps,
        memory.as_ref(),
        [load_before, load_after],
    )
}

fn run_and_print(
    case: &Case,
    engines: &[Engine],
    args: &SuiteArgs,
    chunk_size: usize,
) -> anyhow::Result<CaseResult> {
    let schedule = Schedule {
        rounds: args.rounds,
        reps: args.reps,
        chunk_size,
    };
    let result = run_case(case, engines, &schedule, &args.out)?;
    print!("{}", cases_table(std::slice::from_ref(&result)));
    Ok(result)
}

/// Runs the streaming case in a fresh process, so that its peak memory is
/// its own.
fn streaming_run(points: usize, chunk_size: usize) -> anyhow::Result<MemoryReport> {
    let output = Command::new(std::env::current_exe()?)
        .args([
            "memory",
            "--preset",
            "large",
            "--points",
            &points.to_string(),
        ])
        .args(["--chunk-size", &chunk_size.to_string()])
        .output()
        .context("starting the streaming run")?;
    anyhow::ensure!(
        output.status.success(),
        "the streaming run failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: MemoryReport = last_json_line(&output.stdout)?;
    print!("{}", memory_table(&report));
    Ok(report)
}

fn numpy_sgemm(python: &Path, size: usize) -> anyhow::Result<SgemmReport> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/sgemm.py");
    let output = Command::new(python)
        .arg(script)
        .args(["--size", &size.to_string()])
        .output()
        .context("starting the NumPy matrix product")?;
    anyhow::ensure!(
        output.status.success(),
        "the NumPy matrix product failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    last_json_line(&output.stdout)
}

fn last_json_line<T: serde::de::DeserializeOwned>(stdout: &[u8]) -> anyhow::Result<T> {
    let text = String::from_utf8_lossy(stdout);
    let line = text.lines().last().context("the process printed nothing")?;
    serde_json::from_str(line).with_context(|| format!("parsing the report: {line}"))
}

/// Returns the 1-minute load average from `/proc/loadavg`, where it exists.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn write_summary(
    args: &SuiteArgs,
    sgemm: &[SgemmReport],
    presets: &[CaseResult],
    sweeps: &(Vec<CaseResult>, Vec<CaseResult>),
    memory: Option<&MemoryReport>,
    load: [Option<f64>; 2],
) -> anyhow::Result<()> {
    let mut markdown = format!(
        "Load average (1 min) before: {:?}, after: {:?}\n\n## sgemm\n\n{}\n## Presets\n\n{}\n",
        load[0],
        load[1],
        sgemm_table(sgemm),
        cases_table(presets)
    );
    if !sweeps.0.is_empty() {
        markdown += &format!(
            "## Sweep over N\n\n{}\n## Sweep over K\n\n{}\n",
            cases_table(&sweeps.0),
            cases_table(&sweeps.1)
        );
    }
    if let Some(memory) = memory {
        markdown += &format!("## Streaming run\n\n{}", memory_table(memory));
    }
    let summary = serde_json::json!({
        "load_average": load,
        "sgemm": sgemm,
        "presets": presets,
        "sweep_points": sweeps.0,
        "sweep_directions": sweeps.1,
        "memory": memory,
    });
    std::fs::write(args.out.join("summary.md"), &markdown)?;
    std::fs::write(
        args.out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;
    println!("\n{markdown}");
    Ok(())
}
