//! The data layer: numeric tables read from CSV or generated with a known
//! low-rank linear map, seeded train/validation/test splits, and per-column
//! standardisation fitted on the training rows.
//!
//! Every table carries a SHA-256 fingerprint of its source (the file bytes,
//! or the synthetic spec), so results can record exactly which data they used.

pub mod csv;
pub mod error;
pub mod split;
pub mod standardize;
pub mod synthetic;

pub use self::csv::{MIN_ROWS, Table, read_csv, write_csv};
pub use self::error::DataError;
pub use self::split::{Split, select_rows, split};
pub use self::standardize::Standardizer;
pub use self::synthetic::{Synthetic, SyntheticSpec, generate};
