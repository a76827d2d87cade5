//! Errors of the data layer. Each message is one line that names the file or
//! setting, the offending value, and what to change.

use std::io;

/// Failure to read, split, standardise or generate a data set.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: file not found; check the path, or set [data] path to an existing CSV file")]
    FileNotFound { path: String },

    #[error("{path}: cannot read: {error}")]
    Read { path: String, error: io::Error },

    #[error(
        "{path}: file is empty; expected a header row naming the columns, then one row per sample"
    )]
    EmptyFile { path: String },

    #[error("{path}: cannot parse line {line} as CSV: {message}")]
    Malformed {
        path: String,
        line: u64,
        message: String,
    },

    #[error(
        "{path}: header row missing, line 1 contains only numbers ({first_cells}); add a first line naming each column"
    )]
    MissingHeader { path: String, first_cells: String },

    #[error("{path}: header column {column} has no name; give every column a name")]
    EmptyColumnName { path: String, column: usize },

    #[error(
        "{path}: column name \"{name}\" appears twice in the header (columns {first} and {second}); rename one of them"
    )]
    DuplicateColumnName {
        path: String,
        name: String,
        first: usize,
        second: usize,
    },

    #[error(
        "{path}: target column \"{name}\" not found; available columns: {available}; set [data] targets to one of them"
    )]
    TargetNotFound {
        path: String,
        name: String,
        available: String,
    },

    #[error(
        "{path}: feature column \"{name}\" not found; available columns: {available}; set [data] features to names from that list"
    )]
    FeatureNotFound {
        path: String,
        name: String,
        available: String,
    },

    #[error(
        "{path}: {role} column \"{name}\" is listed twice; list each column once in [data] {role}s"
    )]
    DuplicateSelection {
        path: String,
        role: &'static str,
        name: String,
    },

    #[error(
        "{path}: no target column requested; set [data] targets to one or more of: {available}"
    )]
    NoTargets { path: String, available: String },

    #[error(
        "{path}: no feature column selected; columns other than the targets: {available}; list some of them in [data] features, or leave it unset to use them all"
    )]
    NoFeatures { path: String, available: String },

    #[error(
        "{path}: column \"{name}\" is both a feature and a target; remove it from [data] features"
    )]
    FeatureIsTarget { path: String, name: String },

    #[error(
        "{path}: line {line} has {found} fields, expected {expected} (one per header column); fix that row or the header"
    )]
    RaggedRow {
        path: String,
        line: u64,
        expected: usize,
        found: usize,
    },

    #[error(
        "{path}: line {line}, column {column} (\"{name}\") is empty; fill in a number or delete the row"
    )]
    EmptyCell {
        path: String,
        line: u64,
        column: usize,
        name: String,
    },

    #[error(
        "{path}: line {line}, column {column} (\"{name}\"): \"{text}\" is not a number; replace it with a number, or leave the column out of [data] features"
    )]
    NonNumeric {
        path: String,
        line: u64,
        column: usize,
        name: String,
        text: String,
    },

    #[error(
        "{path}: line {line}, column {column} (\"{name}\"): \"{text}\" is not a finite number; replace it with a finite value or delete the row"
    )]
    NonFinite {
        path: String,
        line: u64,
        column: usize,
        name: String,
        text: String,
    },

    #[error(
        "{path}: {found} data rows, at least {minimum} are needed (one each for training, validation and test); add rows"
    )]
    TooFewRows {
        path: String,
        found: usize,
        minimum: usize,
    },

    /// The I/O error's message already names the path.
    #[error("{error}")]
    Write { path: String, error: io::Error },

    #[error(
        "split: {name} = {value} is outside [0, 1); choose a fraction from 0 up to but excluding 1"
    )]
    InvalidFraction { name: &'static str, value: f64 },

    #[error(
        "split: valid_fraction {valid} + test_fraction {test} = {sum} leaves no training rows; make the sum less than 1"
    )]
    FractionsTooLarge { valid: f64, test: f64, sum: f64 },

    #[error(
        "split: {n} rows with valid_fraction {valid} and test_fraction {test} give train {n_train}, valid {n_valid}, test {n_test} rows; every part needs at least 1 row, so {fix}"
    )]
    EmptySplitPart {
        n: usize,
        valid: f64,
        test: f64,
        n_train: usize,
        n_valid: usize,
        n_test: usize,
        /// What to change, which depends on the part that came out empty.
        fix: &'static str,
    },

    #[error("standardise: {rows} rows; at least 1 is needed to compute a mean and a scale")]
    NoRowsToFit { rows: usize },

    #[error(
        "standardise: column \"{name}\" is constant (every row is {value}), so it has no scale; drop it from [data] features or set [data] drop_constant_columns = true"
    )]
    ConstantColumn { name: String, value: f64 },

    #[error(
        "standardise: {names} column names for a matrix of {columns} columns; pass one name per column"
    )]
    NameCount { names: usize, columns: usize },

    #[error(
        "standardise: {context} has {found} columns, the standardiser was fitted on {expected}; pass a matrix with the fitted columns"
    )]
    ColumnCount {
        /// The matrix passed: `apply input` or `invert input`.
        context: &'static str,
        expected: usize,
        found: usize,
    },

    #[error("synthetic data: {message}")]
    InvalidSyntheticSpec { message: String },
}
