//! A streaming run over many base points: chunks of inputs are drawn, their
//! jets computed and reduced, and nothing of size `N` is kept, so the peak
//! memory depends on the chunk size and not on `N`.

use std::time::Instant;

use burn::backend::NdArray;

use crate::config::{Case, SEED, seeded_inputs};
use crate::jets::{chunk_jets, lifted_model};
use crate::model::Weights;
use crate::peak::peak_rss_kib;

/// Outcome of a streaming run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MemoryReport {
    /// Label of the case, such as `large-N100000-K64`.
    pub label: String,
    /// Base points per forward pass.
    pub chunk_size: usize,
    /// Wall time of the whole run, drawing the inputs included, in seconds.
    pub total_s: f64,
    /// Wall time spent computing jets, in seconds.
    pub jets_s: f64,
    /// Peak resident memory of the process, in KiB (`VmHWM`).
    pub peak_rss_kib: Option<u64>,
    /// Sum of squares of each tap's jet, so that the work cannot be skipped.
    pub sum_of_squares: Vec<f64>,
}

/// Computes the jets of `case` chunk by chunk, drawing each chunk's base
/// points and directions from its own seed.
///
/// # Errors
/// Fails when an op of the model has no tangent rule.
pub fn run_streaming(case: &Case, chunk_size: usize) -> anyhow::Result<MemoryReport> {
    let start = Instant::now();
    let device = Default::default();
    let weights = Weights::seeded(&case.architecture, SEED);
    let model = lifted_model::<NdArray<f32>>(&weights, &device)?;
    let mut sum_of_squares = vec![0.0f64; case.architecture.taps().len()];
    let mut jets_s = 0.0;
    for (index, first) in (0..case.points).step_by(chunk_size).enumerate() {
        let points = chunk_size.min(case.points - first);
        let seed = SEED + 1 + index as u64;
        let (x, u) = seeded_inputs(seed, points, case.directions, case.architecture.input);
        let chunk_start = Instant::now();
        let jets = chunk_jets(&model, x.view(), u.view(), &device)?;
        jets_s += chunk_start.elapsed().as_secs_f64();
        for (total, jet) in sum_of_squares.iter_mut().zip(&jets) {
            *total += jet.iter().map(|v| (*v as f64) * (*v as f64)).sum::<f64>();
        }
    }
    Ok(MemoryReport {
        label: case.label(),
        chunk_size,
        total_s: start.elapsed().as_secs_f64(),
        jets_s,
        peak_rss_kib: peak_rss_kib(),
        sum_of_squares,
    })
}
