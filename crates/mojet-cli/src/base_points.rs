//! The base points and reference data of a jet estimate, in the input
//! coordinates a saved model was trained in.

use std::path::Path;

use mojet_models::data::{Table, generate, read_csv, select_rows, split};
use mojet_models::store::SavedModel;
use nalgebra::DMatrix;
use tracing::warn;

use crate::failure::Failure;

/// Standardised inputs for a jet estimate.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Base points, `[N, d]`: held-out rows.
    pub base_points: DMatrix<f64>,
    /// Reference rows for data-dependent designs (PCA, neighbours), `[n, d]`.
    pub reference: DMatrix<f64>,
}

/// Loads the data a model was trained on, or `data` if given, standardises it
/// with the model's statistics, and takes up to `points` base points from the
/// test split.
///
/// When `data` is not the file the model was trained on (its fingerprint
/// differs), every row is held out, so all rows serve as base points and as
/// reference.
///
/// # Errors
/// [`Failure::Input`] when the data cannot be read or lacks the model's
/// columns.
pub fn evaluation(
    saved: &SavedModel,
    data: Option<&Path>,
    points: usize,
) -> Result<Evaluation, Failure> {
    let record = &saved.metadata.data;
    let table = load_table(saved, data)?;
    let x = record
        .x_standardizer
        .apply(&table.x)
        .map_err(Failure::input)?;
    let (base_rows, reference_rows) = if table.fingerprint == record.fingerprint {
        let config = &saved.metadata.config.data;
        let parts = split(
            table.n_rows(),
            config.valid_fraction,
            config.test_fraction,
            config.split_seed,
        )
        .map_err(Failure::input)?;
        (parts.test, parts.train)
    } else {
        warn!(
            "{}: not the data {} was trained on; using every row as held out",
            table.source,
            saved.dir.display()
        );
        let all: Vec<usize> = (0..table.n_rows()).collect();
        (all.clone(), all)
    };
    let base_rows: Vec<usize> = base_rows.into_iter().take(points).collect();
    Ok(Evaluation {
        base_points: select_rows(&x, &base_rows),
        reference: select_rows(&x, &reference_rows),
    })
}

fn load_table(saved: &SavedModel, data: Option<&Path>) -> Result<Table, Failure> {
    let record = &saved.metadata.data;
    let config = &saved.metadata.config.data;
    let path = data.or(config.path.as_deref());
    match (path, &config.synthetic) {
        // Jets need only the inputs, so a file without the target columns
        // serves as well.
        (Some(path), _) => read_csv(path, Some(&record.feature_names), &[]).map_err(Failure::input),
        (None, Some(spec)) => Ok(generate(spec).map_err(Failure::input)?.table),
        (None, None) => Err(Failure::Input(format!(
            "{}: the model records no data source; pass --data FILE",
            saved.dir.display()
        ))),
    }
}
