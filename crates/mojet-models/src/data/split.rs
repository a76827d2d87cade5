//! Seeded partition of row indices into training, validation and test parts.

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::error::DataError;

/// Row indices of the three parts of a data set. The parts are disjoint,
/// together cover `0..n`, and each is sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub valid: Vec<usize>,
    pub test: Vec<usize>,
}

/// Shuffles the indices `0..n` with a ChaCha8 generator seeded by `seed` and
/// cuts them into training, validation and test parts.
///
/// The validation part gets `round(n * valid_fraction)` rows, the test part
/// `round(n * test_fraction)` rows, and the training part the rest. The same
/// `n`, fractions and seed always give the same split.
///
/// # Errors
/// - [`DataError::InvalidFraction`] when a fraction is outside `[0, 1)` or NaN;
/// - [`DataError::FractionsTooLarge`] when the fractions sum to 1 or more;
/// - [`DataError::EmptySplitPart`] when any part would get no row.
pub fn split(
    n: usize,
    valid_fraction: f64,
    test_fraction: f64,
    seed: u64,
) -> Result<Split, DataError> {
    check_fraction("valid_fraction", valid_fraction)?;
    check_fraction("test_fraction", test_fraction)?;
    let sum = valid_fraction + test_fraction;
    if sum >= 1.0 {
        return Err(DataError::FractionsTooLarge {
            valid: valid_fraction,
            test: test_fraction,
            sum,
        });
    }

    // Rounding adds at most 1/2 to each count and the exact counts sum below
    // n, so the integer counts sum to at most n and the subtraction is safe.
    let n_valid = (n as f64 * valid_fraction).round() as usize;
    let n_test = (n as f64 * test_fraction).round() as usize;
    let n_train = n - n_valid - n_test;
    if n_train == 0 || n_valid == 0 || n_test == 0 {
        let fix = if n_train == 0 {
            "use more rows or smaller fractions"
        } else {
            "use more rows or larger fractions"
        };
        return Err(DataError::EmptySplitPart {
            n,
            valid: valid_fraction,
            test: test_fraction,
            n_train,
            n_valid,
            n_test,
            fix,
        });
    }

    let mut indices: Vec<usize> = (0..n).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    indices.shuffle(&mut rng);

    let mut train = indices[..n_train].to_vec();
    let mut valid = indices[n_train..n_train + n_valid].to_vec();
    let mut test = indices[n_train + n_valid..].to_vec();
    train.sort_unstable();
    valid.sort_unstable();
    test.sort_unstable();
    Ok(Split { train, valid, test })
}

/// Copies the rows `rows` of `matrix`, in that order, into a new matrix of
/// shape `[rows.len(), matrix.ncols()]`.
///
/// # Panics
/// If an index is not below `matrix.nrows()`.
pub fn select_rows(matrix: &DMatrix<f64>, rows: &[usize]) -> DMatrix<f64> {
    matrix.select_rows(rows)
}

fn check_fraction(name: &'static str, value: f64) -> Result<(), DataError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(DataError::InvalidFraction { name, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_sizes_follow_fractions() {
        let parts = split(100, 0.2, 0.1, 7).unwrap();
        assert_eq!(parts.train.len(), 70);
        assert_eq!(parts.valid.len(), 20);
        assert_eq!(parts.test.len(), 10);
    }

    #[test]
    fn part_sizes_round_to_nearest() {
        // 0.15 * 43 = 6.45 rounds to 6, 0.25 * 43 = 10.75 rounds to 11.
        let parts = split(43, 0.15, 0.25, 0).unwrap();
        assert_eq!(parts.valid.len(), 6);
        assert_eq!(parts.test.len(), 11);
        assert_eq!(parts.train.len(), 26);
    }

    #[test]
    fn parts_partition_all_rows() {
        let parts = split(57, 0.2, 0.2, 3).unwrap();
        let mut all: Vec<usize> = parts
            .train
            .iter()
            .chain(&parts.valid)
            .chain(&parts.test)
            .copied()
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..57).collect::<Vec<_>>());
    }

    #[test]
    fn parts_are_sorted() {
        let parts = split(50, 0.2, 0.2, 11).unwrap();
        for part in [&parts.train, &parts.valid, &parts.test] {
            assert!(part.windows(2).all(|pair| pair[0] < pair[1]), "{part:?}");
        }
    }

    #[test]
    fn same_seed_same_split() {
        assert_eq!(
            split(200, 0.1, 0.1, 42).unwrap(),
            split(200, 0.1, 0.1, 42).unwrap()
        );
    }

    #[test]
    fn different_seed_different_split() {
        assert_ne!(
            split(200, 0.1, 0.1, 42).unwrap(),
            split(200, 0.1, 0.1, 43).unwrap()
        );
    }

    #[test]
    fn split_is_shuffled() {
        let parts = split(100, 0.1, 0.1, 0).unwrap();
        assert_ne!(parts.test, (90..100).collect::<Vec<_>>());
    }

    #[test]
    fn fraction_of_one_rejected() {
        let message = split(100, 1.0, 0.1, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "split: valid_fraction = 1 is outside [0, 1); choose a fraction from 0 up to but excluding 1"
        );
    }

    #[test]
    fn negative_fraction_rejected() {
        let message = split(100, 0.1, -0.2, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "split: test_fraction = -0.2 is outside [0, 1); choose a fraction from 0 up to but excluding 1"
        );
    }

    #[test]
    fn nan_fraction_rejected() {
        let message = split(100, f64::NAN, 0.1, 0).unwrap_err().to_string();
        assert!(
            message.starts_with("split: valid_fraction = NaN is outside [0, 1)"),
            "{message}"
        );
    }

    #[test]
    fn fraction_sum_of_one_rejected() {
        let message = split(100, 0.5, 0.5, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "split: valid_fraction 0.5 + test_fraction 0.5 = 1 leaves no training rows; make the sum less than 1"
        );
    }

    #[test]
    fn empty_validation_part_rejected() {
        let message = split(4, 0.1, 0.3, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "split: 4 rows with valid_fraction 0.1 and test_fraction 0.3 give train 3, valid 0, test 1 rows; every part needs at least 1 row, so use more rows or larger fractions"
        );
    }

    #[test]
    fn zero_fraction_gives_empty_part() {
        let error = split(100, 0.0, 0.2, 0).unwrap_err();
        assert!(
            matches!(error, DataError::EmptySplitPart { n_valid: 0, .. }),
            "{error}"
        );
    }

    #[test]
    fn empty_training_part_rejected() {
        // 1.5 rounds up to 2 validation rows and 1.47 to 1 test row, leaving none.
        let message = split(3, 0.5, 0.49, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "split: 3 rows with valid_fraction 0.5 and test_fraction 0.49 give train 0, valid 2, test 1 rows; every part needs at least 1 row, so use more rows or smaller fractions"
        );
    }

    #[test]
    fn select_rows_copies_in_order() {
        let matrix = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let rows = select_rows(&matrix, &[2, 0]);
        assert_eq!(rows, DMatrix::from_row_slice(2, 2, &[5.0, 6.0, 1.0, 2.0]));
    }
}
