//! Data as a run uses it: loaded from the config, split, standardised with
//! statistics fitted on the training rows.

use std::collections::BTreeSet;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use tracing::info;

use crate::config::DataConfig;
use crate::data::{DataError, Split, Standardizer, Table, generate, read_csv, select_rows, split};
use crate::task::{Task, one_hot};
use crate::train::TrainingData;

/// Provenance of a saved model's data, enough to rebuild the split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataRecord {
    /// Source of the rows (a path, or `synthetic`).
    pub source: String,
    /// SHA-256 of the source bytes or of the synthetic spec.
    pub fingerprint: String,
    /// Feature columns, in input order.
    pub feature_names: Vec<String>,
    /// Target columns.
    pub target_names: Vec<String>,
    /// Number of classes when classifying.
    pub classes: Option<usize>,
    /// Rows in the training, validation and test splits.
    pub rows: [usize; 3],
    /// Standardisation of the inputs, fitted on the training rows.
    pub x_standardizer: Standardizer,
    /// Standardisation of regression targets, fitted on the training rows.
    pub y_standardizer: Option<Standardizer>,
}

/// Data that cannot be prepared.
#[derive(Debug, Error)]
pub enum PrepareError {
    /// Loading, splitting or standardising failed.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A classification label is not a non-negative integer.
    #[error(
        "{file}: target {target} has label {value} in row {row}; classification labels must be integers 0, 1, …"
    )]
    InvalidLabel {
        /// The data source.
        file: String,
        /// The target column.
        target: String,
        /// The offending value.
        value: f64,
        /// Row index (0-based, data rows only).
        row: usize,
    },
    /// A class in `0..classes` that never occurs: the labels are not numbered
    /// from 0, or the target is a continuous value.
    #[error(
        "{file}: target {target} has labels up to {largest} but only {present} distinct values, so class {missing} never occurs; classification labels must be 0, 1, …, C − 1 with every class present (for a continuous target set task = \"regression\")"
    )]
    MissingClass {
        /// The data source.
        file: String,
        /// The target column.
        target: String,
        /// The largest label.
        largest: u64,
        /// The number of distinct labels.
        present: usize,
        /// The smallest label that never occurs.
        missing: u64,
    },
}

/// A split, standardised data set.
#[derive(Debug, Clone)]
pub struct PreparedData {
    /// The raw table as loaded.
    pub table: Table,
    /// Row indices of each split.
    pub split: Split,
    /// Provenance and standardisation.
    pub record: DataRecord,
    /// Standardised inputs of every row, `[n, d]`.
    pub x: DMatrix<f64>,
    /// Targets of every row as the model sees them, `[n, p]`: standardised
    /// for regression, one-hot for classification.
    pub y: DMatrix<f64>,
}

impl PreparedData {
    /// Loads and prepares the data a config names.
    ///
    /// # Errors
    /// [`PrepareError`] naming the file, the value and the fix.
    pub fn load(config: &DataConfig) -> Result<Self, PrepareError> {
        let table = match (&config.path, &config.synthetic) {
            (Some(path), _) => read_csv(path, config.features.as_deref(), &config.targets)?,
            (None, Some(spec)) => generate(spec)?.table,
            (None, None) => unreachable!("the config check requires a data source"),
        };
        Self::from_table(table, config)
    }

    /// Splits and standardises a loaded table.
    ///
    /// # Errors
    /// [`PrepareError`] naming the value and the fix.
    pub fn from_table(mut table: Table, config: &DataConfig) -> Result<Self, PrepareError> {
        let split = split(
            table.n_rows(),
            config.valid_fraction,
            config.test_fraction,
            config.split_seed,
        )?;
        if config.drop_constant_columns {
            drop_constant_columns(&mut table, &split.train);
        }
        let x_standardizer =
            Standardizer::fit(&select_rows(&table.x, &split.train), &table.feature_names)?;
        let x = x_standardizer.apply(&table.x)?;
        let (y, y_standardizer, classes) = match config.task {
            Task::Regression => {
                let fitted =
                    Standardizer::fit(&select_rows(&table.y, &split.train), &table.target_names)?;
                (fitted.apply(&table.y)?, Some(fitted), None)
            }
            Task::Classification => {
                let classes = count_classes(&table)?;
                (one_hot(&table.y, classes), None, Some(classes))
            }
        };
        let record = DataRecord {
            source: table.source.clone(),
            fingerprint: table.fingerprint.clone(),
            feature_names: table.feature_names.clone(),
            target_names: table.target_names.clone(),
            classes,
            rows: [split.train.len(), split.valid.len(), split.test.len()],
            x_standardizer,
            y_standardizer,
        };
        Ok(Self {
            table,
            split,
            record,
            x,
            y,
        })
    }

    /// Returns the training and validation splits for [`crate::train::fit`].
    pub fn training(&self) -> TrainingData {
        TrainingData {
            x_train: select_rows(&self.x, &self.split.train),
            y_train: select_rows(&self.y, &self.split.train),
            x_valid: select_rows(&self.x, &self.split.valid),
            y_valid: select_rows(&self.y, &self.split.valid),
        }
    }

    /// Standardised inputs and model-space targets of the given rows.
    pub fn rows(&self, rows: &[usize]) -> (DMatrix<f64>, DMatrix<f64>) {
        (select_rows(&self.x, rows), select_rows(&self.y, rows))
    }

    /// Width of the model output: targets, or classes when classifying.
    pub fn output_width(&self) -> usize {
        self.y.ncols()
    }
}

/// Removes the feature columns that are constant on the training rows,
/// logging their names.
fn drop_constant_columns(table: &mut Table, train: &[usize]) {
    let x_train = select_rows(&table.x, train);
    let constant: Vec<usize> = (0..x_train.ncols())
        .filter(|&j| {
            let column = x_train.column(j);
            column.iter().all(|&value| value == column[0])
        })
        .collect();
    if constant.is_empty() {
        return;
    }
    let names: Vec<&str> = constant
        .iter()
        .map(|&j| table.feature_names[j].as_str())
        .collect();
    info!(
        source = %table.source,
        "dropping {} feature columns constant on the training rows: {}",
        names.len(),
        names.join(", ")
    );
    table.x = table.x.clone().remove_columns_at(&constant);
    table.feature_names = (0..table.feature_names.len())
        .filter(|j| !constant.contains(j))
        .map(|j| table.feature_names[j].clone())
        .collect();
}

/// Counts the classes, checking that the labels are exactly `0..classes`: a
/// class that never occurs would get an output that no row trains.
fn count_classes(table: &Table) -> Result<usize, PrepareError> {
    let mut labels = BTreeSet::new();
    for (row, &value) in table.y.column(0).iter().enumerate() {
        if value < 0.0 || value.fract() != 0.0 {
            return Err(PrepareError::InvalidLabel {
                file: table.source.clone(),
                target: table.target_names[0].clone(),
                value,
                row,
            });
        }
        // Saturates for huge values, which then fail the gap check below.
        labels.insert(value as u64);
    }
    let largest = labels.last().copied().unwrap_or(0);
    if let Some(missing) = (0..).zip(&labels).find(|(k, label)| k != *label) {
        return Err(PrepareError::MissingClass {
            file: table.source.clone(),
            target: table.target_names[0].clone(),
            largest,
            present: labels.len(),
            missing: missing.0,
        });
    }
    Ok(labels.len())
}
