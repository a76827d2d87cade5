//! One fresh process that times mojet's jets on an inputs file, so that its
//! peak memory belongs to one configuration only.

use std::path::PathBuf;
use std::time::Instant;

use burn::backend::NdArray;

use crate::files::{read_inputs, write_jets};
use crate::jets::{jets, lifted_model};
use crate::peak::peak_rss_kib;

/// What a worker measures, printed as one JSON line on stdout; the Python
/// peers print the same fields.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WorkerReport {
    /// Engine name (`mojet`, `jax`, `torch`).
    pub engine: String,
    /// Wall time of each timed repetition, in seconds.
    pub times_s: Vec<f64>,
    /// Peak resident memory of the process, in KiB (`VmHWM`).
    pub peak_rss_kib: Option<u64>,
}

/// Settings of one worker run.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Inputs file written by the driver.
    #[arg(long)]
    pub inputs: PathBuf,
    /// Untimed repetitions before the timed ones.
    #[arg(long, default_value_t = 1)]
    pub warmup: usize,
    /// Timed repetitions.
    #[arg(long, default_value_t = 1)]
    pub reps: usize,
    /// Base points per forward pass.
    #[arg(long)]
    pub chunk_size: usize,
    /// Where to write the jets of the last repetition, for the comparison.
    #[arg(long)]
    pub jets_out: Option<PathBuf>,
}

/// Times the jets of every tap on `NdArray<f32>` and prints a [`WorkerReport`].
///
/// The timed region starts from the inputs in host memory and ends with the
/// jets of every tap in host arrays `[K, N, m]` of `f32`.
///
/// # Errors
/// Fails when the inputs cannot be read or the jets cannot be written.
pub fn run_worker(args: &WorkerArgs) -> anyhow::Result<()> {
    let inputs = read_inputs(&args.inputs)?;
    let device = Default::default();
    let model = lifted_model::<NdArray<f32>>(&inputs.weights, &device)?;
    let (x, u) = (inputs.x.view(), inputs.u.view());

    for _ in 0..args.warmup {
        jets(&model, x, u, args.chunk_size, &device)?;
    }
    let mut times_s = Vec::with_capacity(args.reps);
    let mut last = None;
    for _ in 0..args.reps {
        // Drop the previous jets first, so that the peak contains one copy.
        drop(last.take());
        let start = Instant::now();
        let computed = jets(&model, x, u, args.chunk_size, &device)?;
        times_s.push(start.elapsed().as_secs_f64());
        last = Some(computed);
    }
    if let (Some(path), Some(jets)) = (&args.jets_out, &last) {
        write_jets(path, jets)?;
    }
    let report = WorkerReport {
        engine: "mojet".to_string(),
        times_s,
        peak_rss_kib: peak_rss_kib(),
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
