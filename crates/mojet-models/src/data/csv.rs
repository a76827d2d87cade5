//! Numeric tables read from and written to CSV files with a header row.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter};
use std::path::Path;

use nalgebra::DMatrix;
use sha2::{Digest, Sha256};

use super::error::DataError;
use crate::io::write_atomic_with;

/// Smallest number of data rows a table may have: one each for the training,
/// validation and test parts of a split.
pub const MIN_ROWS: usize = 3;

/// A numeric data set: features and targets with their column names and
/// provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Names of the columns of `x`, in order.
    pub feature_names: Vec<String>,
    /// Names of the columns of `y`, in order.
    pub target_names: Vec<String>,
    /// Features, `[n, d]`.
    pub x: DMatrix<f64>,
    /// Targets, `[n, p]`.
    pub y: DMatrix<f64>,
    /// Origin of the data: the file path as given, or a description of
    /// generated data.
    pub source: String,
    /// SHA-256 digest (lowercase hex) of the file bytes, or of the generating
    /// spec for synthetic data.
    pub fingerprint: String,
}

impl Table {
    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }

    /// Copies the rows `rows`, in that order, into a new table with the same
    /// names, source and fingerprint.
    ///
    /// # Panics
    /// If an index is not below [`Table::n_rows`].
    pub fn select_rows(&self, rows: &[usize]) -> Table {
        Table {
            feature_names: self.feature_names.clone(),
            target_names: self.target_names.clone(),
            x: self.x.select_rows(rows),
            y: self.y.select_rows(rows),
            source: self.source.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// Reads a numeric table from a CSV file whose first line names the columns.
///
/// # Arguments
/// - `features`: the feature columns, in the order wanted in `x`. `None`
///   selects every column that is not a target, in file order.
/// - `targets`: the target columns, in the order wanted in `y`; at least one
///   when `features` is `None`. A table read with named features and no
///   targets has an empty `y`: inputs for a trained model need no target.
///
/// Fields are trimmed of surrounding whitespace, and blank lines are skipped.
/// Columns that are not selected are not parsed, so they may contain text.
///
/// # Returns
/// A [`Table`] with `x` of shape `[n, d]` and `y` of shape `[n, p]`, whose
/// fingerprint is the SHA-256 digest of the file bytes.
///
/// # Errors
/// A [`DataError`] naming the file and the fix. The causes are a missing or
/// empty file, a missing header or one with an empty or repeated name, an
/// absent or twice-requested column, a row with the wrong number of fields, a
/// selected cell that is empty, not a number or not finite, and fewer than
/// [`MIN_ROWS`] data rows.
pub fn read_csv(
    path: &Path,
    features: Option<&[String]>,
    targets: &[String],
) -> Result<Table, DataError> {
    let source = path.display().to_string();
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(DataError::FileNotFound { path: source });
        }
        Err(error) => {
            return Err(DataError::Read {
                path: source,
                error,
            });
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::EmptyFile { path: source });
    }

    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(bytes.as_slice());
    let mut records = reader.records();

    let header = match records.next() {
        Some(record) => record.map_err(|error| malformed(&source, &bytes, &error))?,
        None => return Err(DataError::EmptyFile { path: source }),
    };
    let columns = parse_header(&source, &header)?;
    let selection = select_columns(&source, &columns, features, targets)?;

    // Selected cells, row by row: the feature columns, then the target columns.
    let selected: Vec<usize> = selection
        .features
        .iter()
        .chain(&selection.targets)
        .copied()
        .collect();
    let mut values = Vec::new();
    for record in records {
        let record = record.map_err(|error| malformed(&source, &bytes, &error))?;
        let start = record.position().map_or(0, ::csv::Position::byte);
        if record.len() != columns.len() {
            return Err(DataError::RaggedRow {
                path: source,
                line: line_at(&bytes, start),
                expected: columns.len(),
                found: record.len(),
            });
        }
        for &column in &selected {
            let cell = Cell {
                path: &source,
                bytes: &bytes,
                start,
                column,
                name: &columns[column],
            };
            values.push(cell.parse(&record[column])?);
        }
    }

    let width = selected.len();
    let n = values.len() / width;
    if n < MIN_ROWS {
        return Err(DataError::TooFewRows {
            path: source,
            found: n,
            minimum: MIN_ROWS,
        });
    }
    let d = selection.features.len();
    let p = selection.targets.len();
    let x = DMatrix::from_fn(n, d, |i, j| values[i * width + j]);
    let y = DMatrix::from_fn(n, p, |i, j| values[i * width + d + j]);

    Ok(Table {
        feature_names: selection
            .features
            .iter()
            .map(|&c| columns[c].clone())
            .collect(),
        target_names: selection
            .targets
            .iter()
            .map(|&c| columns[c].clone())
            .collect(),
        x,
        y,
        source,
        fingerprint: sha256_hex(&bytes),
    })
}

/// Writes `table` as CSV with a header row, the feature columns, then the
/// target columns.
///
/// The file is written beside `path` and renamed into place, so an
/// interrupted write leaves any earlier file intact. Each number is written in
/// the shortest decimal form that reads back to the same `f64`, without an
/// exponent, so whole numbers have no decimal point.
///
/// # Errors
/// [`DataError::Write`] when the file cannot be created, written or renamed.
///
/// # Panics
/// If the table's names and matrices disagree in size.
pub fn write_csv(table: &Table, path: &Path) -> Result<(), DataError> {
    assert_eq!(
        table.x.ncols(),
        table.feature_names.len(),
        "feature names vs columns of x"
    );
    assert_eq!(
        table.y.ncols(),
        table.target_names.len(),
        "target names vs columns of y"
    );
    assert_eq!(table.x.nrows(), table.y.nrows(), "rows of x vs rows of y");

    write_atomic_with(path, |file| {
        let mut writer = ::csv::Writer::from_writer(BufWriter::new(file));
        writer.write_record(table.feature_names.iter().chain(&table.target_names))?;
        for i in 0..table.n_rows() {
            let features = table
                .x
                .row(i)
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>();
            let targets = table
                .y
                .row(i)
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>();
            writer.write_record(features.iter().chain(&targets))?;
        }
        writer.flush()
    })
    .map_err(|error| DataError::Write {
        path: path.display().to_string(),
        error,
    })
}

/// Lowercase hex SHA-256 digest of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One-based line number of the record whose position is `offset`.
///
/// The csv crate (1.4) leaves blank lines out of its line count and reports a
/// record as starting before the blank lines that precede it, so this skips
/// those line breaks and counts the newlines before the record.
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut start = usize::try_from(offset).map_or(bytes.len(), |offset| offset.min(bytes.len()));
    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&byte| byte == b'\n').count() as u64
}

fn malformed(path: &str, bytes: &[u8], error: &::csv::Error) -> DataError {
    let line = error
        .position()
        .map_or(0, |position| line_at(bytes, position.byte()));
    let message = match error.kind() {
        ::csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8; save the file as UTF-8",
            err.field() + 1
        ),
        _ => error.to_string(),
    };
    DataError::Malformed {
        path: path.to_string(),
        line,
        message,
    }
}

/// Checks that the header names every column once and is not a data row.
fn parse_header(path: &str, header: &::csv::StringRecord) -> Result<Vec<String>, DataError> {
    if header.iter().all(|name| name.parse::<f64>().is_ok()) {
        let mut first_cells: Vec<&str> = header.iter().take(4).collect();
        if header.len() > 4 {
            first_cells.push("...");
        }
        return Err(DataError::MissingHeader {
            path: path.to_string(),
            first_cells: first_cells.join(", "),
        });
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let column = index + 1;
        if name.is_empty() {
            return Err(DataError::EmptyColumnName {
                path: path.to_string(),
                column,
            });
        }
        if let Some(&first) = seen.get(name) {
            return Err(DataError::DuplicateColumnName {
                path: path.to_string(),
                name: printable(name),
                first,
                second: column,
            });
        }
        seen.insert(name, column);
    }
    Ok(header.iter().map(str::to_string).collect())
}

/// Escapes line breaks, quotes and other control characters of a name or
/// cell, which quoted CSV fields may contain, so that an error stays one line.
fn printable(text: &str) -> String {
    text.escape_debug().to_string()
}

/// Zero-based column indices of the selected features and targets.
struct Selection {
    features: Vec<usize>,
    targets: Vec<usize>,
}

fn select_columns(
    path: &str,
    columns: &[String],
    features: Option<&[String]>,
    targets: &[String],
) -> Result<Selection, DataError> {
    let available = printable(&columns.join(", "));
    let index_of = |name: &str| columns.iter().position(|column| column == name);

    if targets.is_empty() && features.is_none() {
        return Err(DataError::NoTargets {
            path: path.to_string(),
            available,
        });
    }
    let mut target_columns = Vec::with_capacity(targets.len());
    for name in targets {
        let Some(column) = index_of(name) else {
            return Err(DataError::TargetNotFound {
                path: path.to_string(),
                name: printable(name),
                available,
            });
        };
        if target_columns.contains(&column) {
            return Err(DataError::DuplicateSelection {
                path: path.to_string(),
                role: "target",
                name: printable(name),
            });
        }
        target_columns.push(column);
    }

    let feature_columns: Vec<usize> = match features {
        None => (0..columns.len())
            .filter(|column| !target_columns.contains(column))
            .collect(),
        Some(names) => {
            let mut chosen = Vec::with_capacity(names.len());
            for name in names {
                let Some(column) = index_of(name) else {
                    return Err(DataError::FeatureNotFound {
                        path: path.to_string(),
                        name: printable(name),
                        available,
                    });
                };
                if target_columns.contains(&column) {
                    return Err(DataError::FeatureIsTarget {
                        path: path.to_string(),
                        name: printable(name),
                    });
                }
                if chosen.contains(&column) {
                    return Err(DataError::DuplicateSelection {
                        path: path.to_string(),
                        role: "feature",
                        name: printable(name),
                    });
                }
                chosen.push(column);
            }
            chosen
        }
    };

    if feature_columns.is_empty() {
        let others: Vec<&str> = (0..columns.len())
            .filter(|column| !target_columns.contains(column))
            .map(|column| columns[column].as_str())
            .collect();
        let others = if others.is_empty() {
            "(none)".to_string()
        } else {
            printable(&others.join(", "))
        };
        return Err(DataError::NoFeatures {
            path: path.to_string(),
            available: others,
        });
    }

    Ok(Selection {
        features: feature_columns,
        targets: target_columns,
    })
}

/// Location of one cell, for error messages.
struct Cell<'a> {
    path: &'a str,
    /// The whole file, to turn `start` into a line number.
    bytes: &'a [u8],
    /// Byte offset of the start of the record.
    start: u64,
    /// Zero-based index into the header.
    column: usize,
    name: &'a str,
}

impl Cell<'_> {
    fn parse(&self, text: &str) -> Result<f64, DataError> {
        let line = || line_at(self.bytes, self.start);
        if text.is_empty() {
            return Err(DataError::EmptyCell {
                path: self.path.to_string(),
                line: line(),
                column: self.column + 1,
                name: self.name.to_string(),
            });
        }
        let Ok(value) = text.parse::<f64>() else {
            return Err(DataError::NonNumeric {
                path: self.path.to_string(),
                line: line(),
                column: self.column + 1,
                name: printable(self.name),
                text: printable(text),
            });
        };
        if !value.is_finite() {
            return Err(DataError::NonFinite {
                path: self.path.to_string(),
                line: line(),
                column: self.column + 1,
                name: printable(self.name),
                text: printable(text),
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    /// Writes `contents` to `table.csv` in a fresh directory.
    fn write_file(contents: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("table.csv");
        fs::write(&path, contents).unwrap();
        (dir, path)
    }

    /// Reads `contents` with targets `["y"]` and all other columns as features,
    /// expecting an error; returns the file path and the message.
    fn read_error(contents: &str) -> (String, String) {
        read_error_with(contents, None, &names(&["y"]))
    }

    fn read_error_with(
        contents: &str,
        features: Option<&[String]>,
        targets: &[String],
    ) -> (String, String) {
        let (_dir, path) = write_file(contents);
        let error = read_csv(&path, features, targets).unwrap_err();
        (path.display().to_string(), error.to_string())
    }

    fn repository_data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data")
            .join(name)
    }

    #[test]
    fn reads_features_and_targets() {
        let (_dir, path) = write_file("a,b,y\n1,2,3\n4,5,6\n7,8.5,-9\n");
        let table = read_csv(&path, None, &names(&["y"])).unwrap();
        assert_eq!(table.feature_names, names(&["a", "b"]));
        assert_eq!(table.target_names, names(&["y"]));
        assert_eq!(
            table.x,
            DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 4.0, 5.0, 7.0, 8.5])
        );
        assert_eq!(table.y, DMatrix::from_row_slice(3, 1, &[3.0, 6.0, -9.0]));
        assert_eq!(table.source, path.display().to_string());
    }

    #[test]
    fn features_follow_requested_order() {
        let (_dir, path) = write_file("a,b,c,y\n1,2,3,0\n4,5,6,0\n7,8,9,0\n");
        let features = names(&["c", "a"]);
        let table = read_csv(&path, Some(&features), &names(&["y"])).unwrap();
        assert_eq!(table.feature_names, features);
        assert_eq!(
            table.x,
            DMatrix::from_row_slice(3, 2, &[3.0, 1.0, 6.0, 4.0, 9.0, 7.0])
        );
    }

    #[test]
    fn unselected_text_column_is_ignored() {
        let (_dir, path) = write_file("id,a,y\nfirst,1,2\nsecond,3,4\nthird,5,6\n");
        let table = read_csv(&path, Some(&names(&["a"])), &names(&["y"])).unwrap();
        assert_eq!(table.x, DMatrix::from_row_slice(3, 1, &[1.0, 3.0, 5.0]));
    }

    #[test]
    fn fields_are_trimmed() {
        let (_dir, path) = write_file(" a , y \n 1 , 2 \n3,4\n5,6\n");
        let table = read_csv(&path, None, &names(&["y"])).unwrap();
        assert_eq!(table.feature_names, names(&["a"]));
        assert_eq!(table.x[(0, 0)], 1.0);
        assert_eq!(table.y[(0, 0)], 2.0);
    }

    #[test]
    fn fingerprint_is_sha256_of_bytes() {
        let contents = "a,y\n1,2\n3,4\n5,6\n";
        let (_dir, path) = write_file(contents);
        let table = read_csv(&path, None, &names(&["y"])).unwrap();
        assert_eq!(table.fingerprint, sha256_hex(contents.as_bytes()));
    }

    #[test]
    fn sha256_hex_matches_standard_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn missing_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.csv");
        let error = read_csv(&path, None, &names(&["y"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: file not found; check the path, or set [data] path to an existing CSV file",
                path.display()
            )
        );
    }

    #[test]
    fn empty_file_error() {
        let (path, message) = read_error("");
        assert_eq!(
            message,
            format!(
                "{path}: file is empty; expected a header row naming the columns, then one row per sample"
            )
        );
    }

    #[test]
    fn whitespace_only_file_is_empty() {
        let (_path, message) = read_error(" \n\n");
        assert!(message.contains("file is empty"), "{message}");
    }

    #[test]
    fn missing_header_error() {
        let (path, message) = read_error("1,2,3,4,5\n6,7,8,9,10\n");
        assert_eq!(
            message,
            format!(
                "{path}: header row missing, line 1 contains only numbers (1, 2, 3, 4, ...); add a first line naming each column"
            )
        );
    }

    #[test]
    fn duplicate_header_error() {
        let (path, message) = read_error("a,b,a,y\n1,2,3,4\n");
        assert_eq!(
            message,
            format!(
                "{path}: column name \"a\" appears twice in the header (columns 1 and 3); rename one of them"
            )
        );
    }

    #[test]
    fn empty_header_name_error() {
        let (path, message) = read_error("a,,y\n1,2,3\n");
        assert_eq!(
            message,
            format!("{path}: header column 2 has no name; give every column a name")
        );
    }

    #[test]
    fn target_not_found_error() {
        let (path, message) =
            read_error_with("age,sex,bmi\n1,2,3\n", None, &names(&["progression"]));
        assert_eq!(
            message,
            format!(
                "{path}: target column \"progression\" not found; available columns: age, sex, bmi; set [data] targets to one of them"
            )
        );
    }

    #[test]
    fn feature_not_found_error() {
        let features = names(&["a", "weight"]);
        let (path, message) = read_error_with("a,b,y\n1,2,3\n", Some(&features), &names(&["y"]));
        assert_eq!(
            message,
            format!(
                "{path}: feature column \"weight\" not found; available columns: a, b, y; set [data] features to names from that list"
            )
        );
    }

    #[test]
    fn feature_is_target_error() {
        let features = names(&["a", "y"]);
        let (path, message) = read_error_with("a,b,y\n1,2,3\n", Some(&features), &names(&["y"]));
        assert_eq!(
            message,
            format!(
                "{path}: column \"y\" is both a feature and a target; remove it from [data] features"
            )
        );
    }

    #[test]
    fn duplicate_target_error() {
        let (path, message) = read_error_with("a,y\n1,2\n", None, &names(&["y", "y"]));
        assert_eq!(
            message,
            format!(
                "{path}: target column \"y\" is listed twice; list each column once in [data] targets"
            )
        );
    }

    #[test]
    fn duplicate_feature_error() {
        let features = names(&["a", "a"]);
        let (path, message) = read_error_with("a,y\n1,2\n", Some(&features), &names(&["y"]));
        assert_eq!(
            message,
            format!(
                "{path}: feature column \"a\" is listed twice; list each column once in [data] features"
            )
        );
    }

    #[test]
    fn no_targets_error() {
        let (path, message) = read_error_with("a,y\n1,2\n", None, &[]);
        assert_eq!(
            message,
            format!(
                "{path}: no target column requested; set [data] targets to one or more of: a, y"
            )
        );
    }

    #[test]
    fn no_features_error() {
        let (path, message) = read_error("y\n1\n2\n3\n");
        assert_eq!(
            message,
            format!(
                "{path}: no feature column selected; columns other than the targets: (none); list some of them in [data] features, or leave it unset to use them all"
            )
        );
    }

    #[test]
    fn ragged_row_error() {
        let (path, message) = read_error("a,b,y\n1,2,3\n4,5\n7,8,9\n");
        assert_eq!(
            message,
            format!(
                "{path}: line 3 has 2 fields, expected 3 (one per header column); fix that row or the header"
            )
        );
    }

    #[test]
    fn line_numbers_count_blank_lines() {
        let (path, message) = read_error("a,y\n1,2\n\n3,4,5\n");
        assert!(
            message.starts_with(&format!("{path}: line 4 has 3 fields")),
            "{message}"
        );
        let (path, message) = read_error("a,y\n\n\n1,x\n");
        assert!(
            message.starts_with(&format!("{path}: line 4, column 2")),
            "{message}"
        );
    }

    #[test]
    fn non_numeric_cell_error() {
        let (path, message) = read_error("a,b,y\n1,2,3\n4,abc,6\n");
        assert_eq!(
            message,
            format!(
                "{path}: line 3, column 2 (\"b\"): \"abc\" is not a number; replace it with a number, or leave the column out of [data] features"
            )
        );
    }

    #[test]
    fn empty_cell_error() {
        let (path, message) = read_error("a,b,y\n1,,3\n");
        assert_eq!(
            message,
            format!(
                "{path}: line 2, column 2 (\"b\") is empty; fill in a number or delete the row"
            )
        );
    }

    #[test]
    fn nan_cell_error() {
        let (path, message) = read_error("a,y\n1,2\n3,NaN\n");
        assert_eq!(
            message,
            format!(
                "{path}: line 3, column 2 (\"y\"): \"NaN\" is not a finite number; replace it with a finite value or delete the row"
            )
        );
    }

    #[test]
    fn infinite_cell_error() {
        let (path, message) = read_error("a,y\n-inf,2\n");
        assert_eq!(
            message,
            format!(
                "{path}: line 2, column 1 (\"a\"): \"-inf\" is not a finite number; replace it with a finite value or delete the row"
            )
        );
    }

    #[test]
    fn too_few_rows_error() {
        let (path, message) = read_error("a,y\n1,2\n3,4\n");
        assert_eq!(
            message,
            format!(
                "{path}: 2 data rows, at least 3 are needed (one each for training, validation and test); add rows"
            )
        );
    }

    #[test]
    fn invalid_utf8_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.csv");
        fs::write(&path, b"a,y\n1,2\n3,\xe9\n").unwrap();
        let error = read_csv(&path, None, &names(&["y"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: cannot parse line 3 as CSV: field 2 is not valid UTF-8; save the file as UTF-8",
                path.display()
            )
        );
    }

    #[test]
    fn shipped_diabetes_loads() {
        let path = repository_data("diabetes.csv");
        let table = read_csv(&path, None, &names(&["progression"])).unwrap();
        assert_eq!(table.x.shape(), (442, 10));
        assert_eq!(table.y.shape(), (442, 1));
        assert_eq!(
            table.feature_names,
            names(&[
                "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"
            ])
        );
        assert_eq!(table.target_names, names(&["progression"]));
        // First patient of the raw (unscaled) data.
        let first: Vec<f64> = table.x.row(0).iter().copied().collect();
        assert_eq!(
            first,
            [59.0, 2.0, 32.1, 101.0, 157.0, 93.2, 38.0, 4.0, 4.8598, 87.0]
        );
        assert_eq!(table.y[(0, 0)], 151.0);
    }

    #[test]
    fn shipped_classification_sets_load() {
        let label = names(&["label"]);
        for (file, rows, features, classes) in [
            ("breast_cancer.csv", 569, 30, 2),
            ("wine.csv", 178, 13, 3),
            ("digits.csv", 1797, 64, 10),
        ] {
            let table = read_csv(&repository_data(file), None, &label).unwrap();
            assert_eq!(table.x.shape(), (rows, features), "{file}");
            let max_label = table.y.max();
            assert_eq!(max_label, (classes - 1) as f64, "{file}");
            assert_eq!(table.y.min(), 0.0, "{file}");
        }
    }

    #[test]
    fn write_csv_round_trips() {
        let table = Table {
            feature_names: names(&["a", "b"]),
            target_names: names(&["y"]),
            x: DMatrix::from_row_slice(3, 2, &[1.0, -0.1, 2.5e-7, 1.0 / 3.0, 1e20, 0.0]),
            y: DMatrix::from_row_slice(3, 1, &[7.0, -3.25, std::f64::consts::PI]),
            source: "test".to_string(),
            fingerprint: String::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_csv(&table, &path).unwrap();
        let read = read_csv(&path, None, &names(&["y"])).unwrap();
        assert_eq!(read.feature_names, table.feature_names);
        assert_eq!(read.x, table.x);
        assert_eq!(read.y, table.y);
    }

    #[test]
    fn write_csv_writes_integers_plainly() {
        let table = Table {
            feature_names: names(&["a"]),
            target_names: names(&["y"]),
            x: DMatrix::from_row_slice(1, 1, &[59.0]),
            y: DMatrix::from_row_slice(1, 1, &[0.5]),
            source: "test".to_string(),
            fingerprint: String::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_csv(&table, &path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "a,y\n59,0.5\n");
    }

    #[test]
    fn write_csv_leaves_only_the_file() {
        let table = Table {
            feature_names: names(&["a"]),
            target_names: names(&["y"]),
            x: DMatrix::zeros(2, 1),
            y: DMatrix::zeros(2, 1),
            source: "test".to_string(),
            fingerprint: String::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        write_csv(&table, &dir.path().join("out.csv")).unwrap();
        let entries: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(entries, ["out.csv"]);
    }

    #[test]
    fn write_csv_error_names_path() {
        let table = Table {
            feature_names: names(&["a"]),
            target_names: names(&["y"]),
            x: DMatrix::zeros(1, 1),
            y: DMatrix::zeros(1, 1),
            source: "test".to_string(),
            fingerprint: String::new(),
        };
        let path = Path::new("/nonexistent-dir/out.csv");
        let message = write_csv(&table, path).unwrap_err().to_string();
        assert!(
            message.starts_with("/nonexistent-dir/out.csv: cannot write"),
            "{message}"
        );
    }

    #[test]
    fn select_rows_keeps_names() {
        let (_dir, path) = write_file("a,y\n1,2\n3,4\n5,6\n");
        let table = read_csv(&path, None, &names(&["y"])).unwrap();
        let subset = table.select_rows(&[2, 0]);
        assert_eq!(subset.x, DMatrix::from_row_slice(2, 1, &[5.0, 1.0]));
        assert_eq!(subset.y, DMatrix::from_row_slice(2, 1, &[6.0, 2.0]));
        assert_eq!(subset.feature_names, table.feature_names);
        assert_eq!(subset.fingerprint, table.fingerprint);
    }
}
