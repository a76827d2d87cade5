//! Synthetic data with its planted decomposition `(A*, B*)`, in the raw
//! coordinates the planted matrices act on.

use mojet_models::data::{DataError, Synthetic, SyntheticSpec, generate, select_rows, split};

use super::candidate::Evaluation;
use super::config::SplitConfig;

/// A synthetic data set, its ground truth and its held-out rows.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The data and the planted `A*` `[rank, d]`, `B*` `[p, rank]`.
    pub truth: Synthetic,
    /// Test rows, base points and training rows for designs.
    pub eval: Evaluation,
}

/// Generates `spec` and splits it. The data stay unstandardised, so the
/// planted matrices are the exact minimiser of the noiseless risk.
///
/// # Errors
/// [`DataError`] when the spec or the split is invalid.
pub fn planted(
    spec: &SyntheticSpec,
    split_config: &SplitConfig,
    base_points: usize,
) -> Result<Planted, DataError> {
    let truth = generate(spec)?;
    let parts = split(
        spec.n,
        split_config.valid_fraction,
        split_config.test_fraction,
        split_config.seed,
    )?;
    let table = &truth.table;
    let base_rows: Vec<usize> = parts.test.iter().copied().take(base_points).collect();
    let eval = Evaluation {
        x_test: select_rows(&table.x, &parts.test),
        y_test: select_rows(&table.y, &parts.test),
        base_points: select_rows(&table.x, &base_rows),
        reference: select_rows(&table.x, &parts.train),
    };
    Ok(Planted { truth, eval })
}
