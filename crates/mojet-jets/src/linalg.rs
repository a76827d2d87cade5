//! Dense linear-algebra helpers on `DMatrix<f64>`: pseudo-inverse, orthonormal
//! bases of row and column spaces, principal directions and orthogonal
//! complements.
//!
//! Every public rank decision compares a singular value with
//! `relative_tolerance` times the largest singular value of the same matrix,
//! so the result does not depend on the scale of the input.

use nalgebra::{DMatrix, DVector, SVD};

/// Default relative tolerance for rank decisions: a singular value counts when
/// it exceeds `1e-10 * sigma_max`.
///
/// Rounding in a matrix computed in `f64` leaves spurious singular values of
/// about `max(rows, cols) * f64::EPSILON * sigma_max`. That stays below
/// `1e-10 * sigma_max` up to about 450 000 rows or columns, so the fixed cut
/// ignores rounding at any realistic size. Unlike a size-scaled cut, it does
/// not move when more base points are stacked into a jet, and it still keeps
/// directions ten orders of magnitude weaker than the strongest one.
///
/// NOTE: jets computed in `f32` or by finite differences carry relative noise
/// of about `1e-7` or more. Pass a larger tolerance for them (for example
/// `1e-5`), or their noise directions count towards the rank.
pub const DEFAULT_RELATIVE_TOLERANCE: f64 = 1e-10;

/// Moore–Penrose pseudo-inverse together with the rank it was computed at.
#[derive(Debug, Clone, PartialEq)]
pub struct PseudoInverse {
    /// The pseudo-inverse, of shape `[cols, rows]` for an input `[rows, cols]`.
    pub matrix: DMatrix<f64>,
    /// Number of singular values above the tolerance. The others were treated
    /// as zero.
    pub rank: usize,
}

/// Principal directions of a data matrix, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalDirections {
    /// Orthonormal directions as columns, `[d, k]`.
    pub directions: DMatrix<f64>,
    /// Sample variance of the data along each direction (divisor `n - 1`),
    /// in the order of `directions`.
    pub explained_variances: Vec<f64>,
    /// Mean of the data, `[d]`, subtracted before the decomposition.
    pub mean: DVector<f64>,
}

/// Computes the thin SVD with both factors, singular values descending.
fn thin_svd(a: &DMatrix<f64>) -> SVD<f64, nalgebra::Dyn, nalgebra::Dyn> {
    SVD::new(a.clone(), true, true)
}

/// Counts the singular values above `relative_tolerance * sigma_max`.
///
/// `singular_values` must be sorted in descending order, as `SVD::new`
/// returns them. A zero matrix has rank 0.
pub fn numerical_rank(singular_values: &DVector<f64>, relative_tolerance: f64) -> usize {
    let Some(&sigma_max) = singular_values.iter().next() else {
        return 0;
    };
    if sigma_max <= 0.0 {
        return 0;
    }
    let threshold = relative_tolerance * sigma_max;
    singular_values.iter().filter(|&&s| s > threshold).count()
}

/// Computes the pseudo-inverse of `a` `[rows, cols]`, treating singular values
/// at or below `relative_tolerance * sigma_max` as zero.
///
/// # Returns
/// The pseudo-inverse `[cols, rows]` and the rank used. A zero or empty matrix
/// gives a zero pseudo-inverse of rank 0.
pub fn pseudo_inverse(a: &DMatrix<f64>, relative_tolerance: f64) -> PseudoInverse {
    let (rows, cols) = a.shape();
    if rows == 0 || cols == 0 {
        return PseudoInverse {
            matrix: DMatrix::zeros(cols, rows),
            rank: 0,
        };
    }

    let svd = thin_svd(a);
    let rank = numerical_rank(&svd.singular_values, relative_tolerance);
    let u = svd.u.as_ref().expect("SVD computed with U");
    let v_t = svd.v_t.as_ref().expect("SVD computed with V^T");

    // A^+ = V_r diag(1 / sigma_r) U_r^T over the kept singular values.
    let mut scaled_v = v_t.rows(0, rank).transpose();
    for (j, mut column) in scaled_v.column_iter_mut().enumerate() {
        column /= svd.singular_values[j];
    }
    PseudoInverse {
        matrix: scaled_v * u.columns(0, rank).transpose(),
        rank,
    }
}

/// Computes an orthonormal basis of the column space of `a` `[rows, cols]`.
///
/// # Returns
/// `[rows, r]` with orthonormal columns, where `r` is the numerical rank of
/// `a` at `relative_tolerance`. The columns are the left singular vectors,
/// strongest first.
pub fn column_space_basis(a: &DMatrix<f64>, relative_tolerance: f64) -> DMatrix<f64> {
    if a.is_empty() {
        return DMatrix::zeros(a.nrows(), 0);
    }
    let svd = thin_svd(a);
    let rank = numerical_rank(&svd.singular_values, relative_tolerance);
    let u = svd.u.expect("SVD computed with U");
    u.columns(0, rank).into_owned()
}

/// Computes an orthonormal basis of the row space of `a` `[rows, cols]`: the
/// span of its rows as vectors in `R^cols`.
///
/// # Returns
/// `[cols, r]` with the basis vectors as columns, where `r` is the numerical
/// rank of `a` at `relative_tolerance`.
pub fn row_space_basis(a: &DMatrix<f64>, relative_tolerance: f64) -> DMatrix<f64> {
    column_space_basis(&a.transpose(), relative_tolerance)
}

/// Computes the top-`k` principal directions of `data` `[n, d]`, one sample
/// per row, after subtracting the column means.
///
/// A direction counts when its singular value in the centred data exceeds
/// `relative_tolerance * sigma_max`. The SVD gives at most `min(n - 1, d)`
/// such directions. When `k` exceeds their number, the remaining directions
/// are an orthonormal basis of the orthogonal complement of those found,
/// chosen deterministically, with explained variance 0. So the result always
/// has `k` orthonormal columns.
///
/// # Panics
/// If `k > d`.
pub fn principal_directions(
    data: &DMatrix<f64>,
    k: usize,
    relative_tolerance: f64,
) -> PrincipalDirections {
    principal_directions_at_scale(data, k, relative_tolerance, None)
}

/// Computes principal directions as [`principal_directions`], except that a
/// direction counts only when its singular value exceeds
/// `relative_tolerance * scale`. Pass the spread of a larger data set as
/// `scale` to ignore directions that are negligible relative to it. `None`
/// uses the largest singular value of `data` itself.
pub(crate) fn principal_directions_at_scale(
    data: &DMatrix<f64>,
    k: usize,
    relative_tolerance: f64,
    scale: Option<f64>,
) -> PrincipalDirections {
    let (n, d) = data.shape();
    assert!(
        k <= d,
        "cannot take {k} principal directions in dimension {d}"
    );

    let mean = if n == 0 {
        DVector::zeros(d)
    } else {
        data.row_mean().transpose()
    };
    let centred = centre_rows(data, &mean);

    let (found, mut variances) =
        leading_right_singular_vectors(&centred, k, relative_tolerance, scale);
    let missing = k - found.ncols();
    let directions = if missing == 0 {
        found
    } else {
        let fill = orthogonal_complement(&found)
            .columns(0, missing)
            .into_owned();
        variances.resize(k, 0.0);
        concat_columns(&found, &fill)
    };

    PrincipalDirections {
        directions,
        explained_variances: variances,
        mean,
    }
}

/// Subtracts `mean` `[d]` from every row of `data` `[n, d]`.
pub(crate) fn centre_rows(data: &DMatrix<f64>, mean: &DVector<f64>) -> DMatrix<f64> {
    let mut centred = data.clone();
    for mut row in centred.row_iter_mut() {
        row -= mean.transpose();
    }
    centred
}

/// Returns up to `k` right singular vectors of `centred` `[n, d]` whose
/// singular value exceeds `relative_tolerance * scale`, as columns `[d, r]`,
/// and the sample variance along each. `scale` defaults to `sigma_max`.
fn leading_right_singular_vectors(
    centred: &DMatrix<f64>,
    k: usize,
    relative_tolerance: f64,
    scale: Option<f64>,
) -> (DMatrix<f64>, Vec<f64>) {
    let (n, d) = centred.shape();
    if n == 0 || d == 0 {
        return (DMatrix::zeros(d, 0), Vec::new());
    }
    let svd = thin_svd(centred);
    let sigma_max = svd.singular_values[0];
    let threshold = relative_tolerance * scale.unwrap_or(sigma_max);
    let significant = svd
        .singular_values
        .iter()
        .filter(|&&s| s > threshold)
        .count();
    let direction_count = significant.min(k);
    let v_t = svd.v_t.expect("SVD computed with V^T");

    // One sample has no spread, and dividing by 1 keeps its variance at 0.
    let divisor = (n.saturating_sub(1)).max(1) as f64;
    let variances = svd
        .singular_values
        .iter()
        .take(direction_count)
        .map(|s| s * s / divisor)
        .collect();
    (v_t.rows(0, direction_count).transpose(), variances)
}

/// Orthonormalises the columns of `a` `[d, K]` by a thin QR decomposition.
///
/// The signs are fixed so that the diagonal of `R` is nonnegative, which makes
/// the result equal to Gram–Schmidt on the columns in order. Columns that
/// depend linearly on earlier ones give arbitrary (but still orthonormal)
/// columns, so pass a matrix of full column rank when the span matters.
///
/// # Returns
/// `[d, min(d, K)]` with orthonormal columns.
pub fn orthonormalize(a: &DMatrix<f64>) -> DMatrix<f64> {
    if a.is_empty() {
        return DMatrix::zeros(a.nrows(), 0);
    }
    let qr = a.clone().qr();
    let r_diagonal = qr.r().diagonal();
    let mut q = qr.q();
    for (j, mut column) in q.column_iter_mut().enumerate() {
        if r_diagonal[j] < 0.0 {
            column.neg_mut();
        }
    }
    q
}

/// Computes an orthonormal basis of the orthogonal complement of the span of
/// `basis` `[d, k]`, whose columns must be orthonormal.
///
/// # Returns
/// `[d, d - k]` with orthonormal columns, each orthogonal to every column of
/// `basis`. The result depends only on `basis`, so repeated calls agree.
pub fn orthogonal_complement(basis: &DMatrix<f64>) -> DMatrix<f64> {
    let (d, k) = basis.shape();
    if k >= d {
        return DMatrix::zeros(d, 0);
    }
    // QR of [basis | I] yields a full orthogonal Q whose first k columns span
    // the basis, so its last d - k columns span the complement.
    let augmented = concat_columns(basis, &DMatrix::identity(d, d));
    let q = augmented.qr().q();
    q.columns(k, d - k).into_owned()
}

/// Places `right` to the right of `left`. Both must have the same rows.
pub(crate) fn concat_columns(left: &DMatrix<f64>, right: &DMatrix<f64>) -> DMatrix<f64> {
    assert_eq!(left.nrows(), right.nrows(), "row counts differ");
    let mut joined = DMatrix::zeros(left.nrows(), left.ncols() + right.ncols());
    joined.columns_mut(0, left.ncols()).copy_from(left);
    joined
        .columns_mut(left.ncols(), right.ncols())
        .copy_from(right);
    joined
}

/// Returns whether every entry of `a` is finite.
pub(crate) fn is_finite(a: &DMatrix<f64>) -> bool {
    a.iter().all(|x| x.is_finite())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    /// Fills a `[rows, cols]` matrix with standard normal entries.
    pub(crate) fn random_matrix(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
        DMatrix::from_fn(rows, cols, |_, _| rng.sample(StandardNormal))
    }

    /// Largest absolute entry of `Q^T Q - I`.
    pub(crate) fn orthonormality_error(q: &DMatrix<f64>) -> f64 {
        let gram = q.transpose() * q;
        (gram - DMatrix::identity(q.ncols(), q.ncols())).amax()
    }

    #[test]
    fn pseudo_inverse_of_invertible_is_inverse() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let a = random_matrix(5, 5, &mut rng);
        let pinv = pseudo_inverse(&a, DEFAULT_RELATIVE_TOLERANCE);
        let inverse = a.clone().try_inverse().unwrap();

        assert_eq!(pinv.rank, 5);
        assert!((pinv.matrix - inverse).amax() < 1e-9);
    }

    #[test]
    fn pseudo_inverse_reports_rank_of_product() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let a = random_matrix(6, 2, &mut rng) * random_matrix(2, 4, &mut rng);
        let pinv = pseudo_inverse(&a, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(pinv.rank, 2);
        assert_eq!(pinv.matrix.shape(), (4, 6));
        // The four Penrose conditions that pin down A^+ uniquely.
        let p = &pinv.matrix;
        assert!((&a * p * &a - &a).amax() < 1e-9);
        assert!((p * &a * p - p).amax() < 1e-9);
        assert!(((&a * p).transpose() - &a * p).amax() < 1e-9);
        assert!(((p * &a).transpose() - p * &a).amax() < 1e-9);
    }

    #[test]
    fn pseudo_inverse_of_zero_is_zero() {
        let pinv = pseudo_inverse(&DMatrix::zeros(3, 2), DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(pinv.rank, 0);
        assert_eq!(pinv.matrix, DMatrix::zeros(2, 3));
    }

    #[test]
    fn pseudo_inverse_drops_tiny_singular_values() {
        let a = DMatrix::from_diagonal(&DVector::from_vec(vec![2.0, 1e-14]));
        let pinv = pseudo_inverse(&a, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(pinv.rank, 1);
        assert!((pinv.matrix[(0, 0)] - 0.5).abs() < 1e-15);
        assert_eq!(pinv.matrix[(1, 1)], 0.0);
    }

    #[test]
    fn column_space_basis_spans_columns() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let a = random_matrix(7, 3, &mut rng) * random_matrix(3, 5, &mut rng);
        let basis = column_space_basis(&a, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(basis.shape(), (7, 3));
        assert!(orthonormality_error(&basis) < 1e-12);
        let projected = &basis * (basis.transpose() * &a);
        assert!((projected - &a).amax() < 1e-9);
    }

    #[test]
    fn row_space_basis_spans_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let a = random_matrix(2, 6, &mut rng);
        let basis = row_space_basis(&a, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(basis.shape(), (6, 2));
        assert!(orthonormality_error(&basis) < 1e-12);
        let projected = (&a * &basis) * basis.transpose();
        assert!((projected - &a).amax() < 1e-9);
    }

    #[test]
    fn principal_directions_find_planted_axes() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let scales = [10.0, 3.0, 0.01, 0.01];
        let data = DMatrix::from_fn(500, 4, |_, j| {
            let z: f64 = rng.sample(StandardNormal);
            5.0 + scales[j] * z
        });
        let pca = principal_directions(&data, 2, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(pca.directions.shape(), (4, 2));
        assert!(pca.directions[(0, 0)].abs() > 0.999);
        assert!(pca.directions[(1, 1)].abs() > 0.999);
        assert!((pca.explained_variances[0] / 100.0 - 1.0).abs() < 0.2);
        assert!((pca.explained_variances[1] / 9.0 - 1.0).abs() < 0.2);
        assert!((pca.mean[0] - 5.0).abs() < 1.0);
    }

    #[test]
    fn principal_directions_pad_beyond_rank() {
        // Three points span a 2-D affine plane in R^4.
        let data = DMatrix::from_row_slice(
            3,
            4,
            &[0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 1.0],
        );
        let pca = principal_directions(&data, 4, DEFAULT_RELATIVE_TOLERANCE);

        assert_eq!(pca.directions.shape(), (4, 4));
        assert!(orthonormality_error(&pca.directions) < 1e-12);
        assert_eq!(pca.explained_variances[2], 0.0);
        assert_eq!(pca.explained_variances[3], 0.0);
        let in_plane = pca.directions.view((0, 0), (2, 2)).into_owned();
        assert!((in_plane.determinant().abs() - 1.0).abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "cannot take 3 principal directions in dimension 2")]
    fn principal_directions_reject_k_above_dimension() {
        principal_directions(&DMatrix::zeros(4, 2), 3, DEFAULT_RELATIVE_TOLERANCE);
    }

    #[test]
    fn orthonormalize_keeps_span_and_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let a = random_matrix(6, 3, &mut rng);
        let q = orthonormalize(&a);

        assert_eq!(q.shape(), (6, 3));
        assert!(orthonormality_error(&q) < 1e-12);
        // The first column is the first input column normalised.
        let first = a.column(0) / a.column(0).norm();
        assert!((q.column(0) - first).amax() < 1e-12);
        // Upper-triangular coefficients: column j of A lies in span(q_0..q_j).
        let coefficients = q.transpose() * &a;
        assert!(coefficients[(1, 0)].abs() < 1e-12);
        assert!(coefficients[(2, 0)].abs() < 1e-12);
        assert!(coefficients[(2, 1)].abs() < 1e-12);
    }

    #[test]
    fn orthogonal_complement_completes_basis() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let basis = orthonormalize(&random_matrix(5, 2, &mut rng));
        let complement = orthogonal_complement(&basis);

        assert_eq!(complement.shape(), (5, 3));
        assert!(orthonormality_error(&complement) < 1e-12);
        assert!((basis.transpose() * &complement).amax() < 1e-12);
    }

    #[test]
    fn orthogonal_complement_of_full_basis_is_empty() {
        let complement = orthogonal_complement(&DMatrix::identity(3, 3));

        assert_eq!(complement.shape(), (3, 0));
    }

    #[test]
    fn orthogonal_complement_of_nothing_is_whole_space() {
        let complement = orthogonal_complement(&DMatrix::zeros(3, 0));

        assert_eq!(complement.shape(), (3, 3));
        assert!(orthonormality_error(&complement) < 1e-12);
    }
}
