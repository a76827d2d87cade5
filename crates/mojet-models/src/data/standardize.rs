//! Per-column standardisation `z = (x - mean) / scale`, fitted on the
//! training rows and stored with a model so new data is scaled the same way.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::error::DataError;

/// Per-column mean and scale of a matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Column means, one per column.
    pub mean: Vec<f64>,
    /// Column standard deviations (population form, dividing by `n`), one
    /// per column; all positive.
    pub scale: Vec<f64>,
}

impl Standardizer {
    /// Computes the mean and population standard deviation of each column of
    /// `x`, `[n, d]`. Pass the training rows only, so that validation and
    /// test rows do not leak into the scale.
    ///
    /// `names` labels the `d` columns in error messages.
    ///
    /// # Errors
    /// - [`DataError::NameCount`] when `names` does not have `d` entries;
    /// - [`DataError::NoRowsToFit`] when `x` has no row;
    /// - [`DataError::ConstantColumn`] when a column has the same value in
    ///   every row, because dividing by its zero scale is undefined.
    pub fn fit(x: &DMatrix<f64>, names: &[String]) -> Result<Standardizer, DataError> {
        if names.len() != x.ncols() {
            return Err(DataError::NameCount {
                names: names.len(),
                columns: x.ncols(),
            });
        }
        let n = x.nrows();
        if n == 0 {
            return Err(DataError::NoRowsToFit { rows: n });
        }

        let mut mean = Vec::with_capacity(x.ncols());
        let mut scale = Vec::with_capacity(x.ncols());
        for (column, name) in x.column_iter().zip(names) {
            let column_mean = column.mean();
            let variance = column
                .iter()
                .map(|value| (value - column_mean).powi(2))
                .sum::<f64>()
                / n as f64;
            // Compare the values themselves rather than the variance with a
            // tolerance, because a column of nearly equal values can still be
            // scaled. The zero check catches squares that underflow.
            let first = column[0];
            if column.iter().all(|&value| value == first) || variance == 0.0 {
                return Err(DataError::ConstantColumn {
                    name: name.clone(),
                    value: first,
                });
            }
            mean.push(column_mean);
            scale.push(variance.sqrt());
        }
        Ok(Standardizer { mean, scale })
    }

    /// Number of columns the standardiser was fitted on.
    pub fn n_columns(&self) -> usize {
        self.mean.len()
    }

    /// Returns `(x - mean) / scale` column by column, for `x` of shape `[n, d]`.
    ///
    /// # Errors
    /// [`DataError::ColumnCount`] when `x` does not have the fitted `d` columns.
    pub fn apply(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>, DataError> {
        self.check_columns("apply input", x)?;
        Ok(DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| {
            (x[(i, j)] - self.mean[j]) / self.scale[j]
        }))
    }

    /// Returns `z * scale + mean` column by column, undoing [`Standardizer::apply`].
    ///
    /// # Errors
    /// [`DataError::ColumnCount`] when `z` does not have the fitted `d` columns.
    pub fn invert(&self, z: &DMatrix<f64>) -> Result<DMatrix<f64>, DataError> {
        self.check_columns("invert input", z)?;
        Ok(DMatrix::from_fn(z.nrows(), z.ncols(), |i, j| {
            z[(i, j)] * self.scale[j] + self.mean[j]
        }))
    }

    fn check_columns(&self, context: &'static str, m: &DMatrix<f64>) -> Result<(), DataError> {
        if m.ncols() == self.n_columns() {
            Ok(())
        } else {
            Err(DataError::ColumnCount {
                context,
                expected: self.n_columns(),
                found: m.ncols(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    fn sample() -> DMatrix<f64> {
        DMatrix::from_row_slice(4, 2, &[1.0, 10.0, 2.0, 20.0, 3.0, 30.0, 6.0, 60.0])
    }

    #[test]
    fn fit_computes_mean_and_population_std() {
        let fitted = Standardizer::fit(&sample(), &names(&["a", "b"])).unwrap();
        assert_eq!(fitted.mean, [3.0, 30.0]);
        // Deviations -2, -1, 0, 3 give a population variance of 14 / 4.
        assert!(
            (fitted.scale[0] - 3.5_f64.sqrt()).abs() < 1e-12,
            "{:?}",
            fitted.scale
        );
        assert!(
            (fitted.scale[1] - 10.0 * 3.5_f64.sqrt()).abs() < 1e-12,
            "{:?}",
            fitted.scale
        );
    }

    #[test]
    fn apply_gives_zero_mean_unit_std() {
        let x = sample();
        let fitted = Standardizer::fit(&x, &names(&["a", "b"])).unwrap();
        let z = fitted.apply(&x).unwrap();
        for column in z.column_iter() {
            let mean = column.mean();
            let variance = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0;
            assert!(mean.abs() < 1e-12, "mean {mean}");
            assert!((variance - 1.0).abs() < 1e-12, "variance {variance}");
        }
    }

    #[test]
    fn invert_undoes_apply() {
        let x = sample();
        let fitted = Standardizer::fit(&x, &names(&["a", "b"])).unwrap();
        let restored = fitted.invert(&fitted.apply(&x).unwrap()).unwrap();
        assert!((restored - x).abs().max() < 1e-12);
    }

    #[test]
    fn constant_column_rejected() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 2.0, 0.0, 3.0, 0.0]);
        let message = Standardizer::fit(&x, &names(&["a", "p0"]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "standardise: column \"p0\" is constant (every row is 0), so it has no scale; drop it from [data] features or set [data] drop_constant_columns = true"
        );
    }

    #[test]
    fn nearly_constant_column_accepted() {
        let x = DMatrix::from_row_slice(3, 1, &[1.0, 1.0 + 1e-9, 1.0]);
        let fitted = Standardizer::fit(&x, &names(&["a"])).unwrap();
        assert!(fitted.scale[0] > 0.0);
    }

    #[test]
    fn name_count_mismatch_rejected() {
        let message = Standardizer::fit(&sample(), &names(&["a"]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "standardise: 1 column names for a matrix of 2 columns; pass one name per column"
        );
    }

    #[test]
    fn empty_matrix_rejected() {
        let x = DMatrix::<f64>::zeros(0, 2);
        let message = Standardizer::fit(&x, &names(&["a", "b"]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "standardise: 0 rows; at least 1 is needed to compute a mean and a scale"
        );
    }

    #[test]
    fn apply_column_count_mismatch_rejected() {
        let fitted = Standardizer::fit(&sample(), &names(&["a", "b"])).unwrap();
        let message = fitted.apply(&DMatrix::zeros(2, 3)).unwrap_err().to_string();
        assert_eq!(
            message,
            "standardise: apply input has 3 columns, the standardiser was fitted on 2; pass a matrix with the fitted columns"
        );
    }

    #[test]
    fn invert_column_count_mismatch_rejected() {
        let fitted = Standardizer::fit(&sample(), &names(&["a", "b"])).unwrap();
        let error = fitted.invert(&DMatrix::zeros(2, 1)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("standardise: invert input has 1 columns"),
            "{error}"
        );
    }

    #[test]
    fn serde_round_trip() {
        let fitted = Standardizer::fit(&sample(), &names(&["a", "b"])).unwrap();
        let json = serde_json::to_string(&fitted).unwrap();
        let restored: Standardizer = serde_json::from_str(&json).unwrap();
        assert_eq!(restored, fitted);
    }
}
