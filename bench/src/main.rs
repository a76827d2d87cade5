//! `mojet-bench`: times mojet's forward-mode jets against JAX and PyTorch.

use clap::{Parser, Subcommand};
use mojet_bench::config::Case;
use mojet_bench::driver::{Schedule, available_engines, run_case, venv_python};
use mojet_bench::memory::run_streaming;
use mojet_bench::report::cases_table;
use mojet_bench::sgemm::burn_sgemm;
use mojet_bench::suite::{SuiteArgs, run_suite};
use mojet_bench::worker::{WorkerArgs, run_worker};

#[derive(Parser)]
#[command(about = "Benchmark of mojet's forward-mode jets against JAX and PyTorch")]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Run the whole benchmark: sgemm, presets, sweeps, streaming run.
    All(SuiteArgs),
    /// Run one case with every installed engine.
    Case(CaseArgs),
    /// Time mojet's jets on an inputs file (started by the driver).
    Worker(WorkerArgs),
    /// Stream the jets of many base points and report the peak memory.
    Memory(MemoryArgs),
    /// Time a square matrix product with burn-ndarray.
    Sgemm {
        /// Side n of the [n, n] × [n, n] product.
        #[arg(long, default_value_t = 4096)]
        size: usize,
        /// Timed products.
        #[arg(long, default_value_t = 3)]
        reps: usize,
    },
}

#[derive(clap::Args)]
struct CaseArgs {
    /// Size preset: tiny, small, medium or large.
    #[arg(long)]
    preset: String,
    /// Base points N; the preset's by default.
    #[arg(long)]
    points: Option<usize>,
    /// Directions per point K; the preset's by default.
    #[arg(long)]
    directions: Option<usize>,
    /// Base points per forward pass; all of them by default.
    #[arg(long)]
    chunk_size: Option<usize>,
    /// Rounds; each starts one worker per engine in turn.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Timed repetitions per worker.
    #[arg(long, default_value_t = 2)]
    reps: usize,
    /// Directory for inputs and jets.
    #[arg(long, default_value = "bench/out")]
    out: std::path::PathBuf,
}

#[derive(clap::Args)]
struct MemoryArgs {
    /// Size preset: tiny, small, medium or large.
    #[arg(long)]
    preset: String,
    /// Base points N.
    #[arg(long)]
    points: usize,
    /// Base points per forward pass.
    #[arg(long)]
    chunk_size: usize,
}

fn preset(name: &str) -> anyhow::Result<Case> {
    Case::preset(name).ok_or_else(|| {
        anyhow::anyhow!("unknown preset {name:?}; expected tiny, small, medium or large")
    })
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Action::All(args) => run_suite(&args),
        Action::Case(args) => {
            let mut case = preset(&args.preset)?;
            case.points = args.points.unwrap_or(case.points);
            case.directions = args.directions.unwrap_or(case.directions);
            let schedule = Schedule {
                rounds: args.rounds,
                reps: args.reps,
                chunk_size: args.chunk_size.unwrap_or(case.points),
            };
            let engines = available_engines(&venv_python())?;
            let result = run_case(&case, &engines, &schedule, &args.out)?;
            print!("{}", cases_table(&[result]));
            Ok(())
        }
        Action::Worker(args) => run_worker(&args),
        Action::Memory(args) => {
            let mut case = preset(&args.preset)?;
            case.points = args.points;
            let report = run_streaming(&case, args.chunk_size)?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(())
        }
        Action::Sgemm { size, reps } => {
            println!("{}", serde_json::to_string(&burn_sgemm(size, reps))?);
            Ok(())
        }
    }
}
