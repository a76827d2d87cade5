//! Jet discrepancy modulo a symmetry group of the tap.
//!
//! Two pipelines may represent the same information in a tap up to a
//! reparametrisation `S` (relabelled units, negated tanh units, rescaled
//! ReLU units, a rotation, any invertible map). Given the stacked jets `M`
//! `[m, N*K]` and `M'` `[m', N*K]` of that tap along the same design and base points, the
//! discrepancy modulo a group `G` is
//!
//! `min_{S in G} ||M - S M'||_F / ||M||_F`,
//!
//! with one `S` shared by all base points, because a symmetry reparametrises
//! the representation globally.

use std::fmt;
use std::str::FromStr;

use nalgebra::{DMatrix, SVD};
use serde::Serialize;
use thiserror::Error;

use crate::assignment::min_cost_assignment;
use crate::linalg::{DEFAULT_RELATIVE_TOLERANCE, is_finite, numerical_rank, pseudo_inverse};

/// Symmetry group acting on the left of a tap's jets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Only `S = I`: the raw discrepancy in the tap's own coordinates.
    Identity,
    /// Permutation matrices: the units may be relabelled.
    Permutation,
    /// `S = Σ P` with `Σ` a diagonal of signs `±1` and `P` a permutation, the
    /// symmetry of units whose activation is odd up to an affine map (tanh,
    /// sigmoid). Negating a unit's incoming and outgoing weights keeps the
    /// network's map and negates the unit's jet.
    SignedPermutation,
    /// `S = D P` with `D` a nonnegative diagonal and `P` a permutation, the
    /// symmetry of ReLU units. Scale 0 is the limit of positive scales, so
    /// allowing it turns the infimum over positive scales into a minimum
    /// without changing its value.
    PermutationScale,
    /// Orthogonal matrices: rotations and reflections of the tap.
    Orthogonal,
    /// All matrices `[m, m']`. For equal widths this contains `GL(m)`, and the
    /// minimum is the least-squares fit `S = M M'^+`.
    GeneralLinear,
}

impl Group {
    /// Every group, from the smallest to the largest.
    pub const ALL: [Group; 6] = [
        Group::Identity,
        Group::Permutation,
        Group::SignedPermutation,
        Group::PermutationScale,
        Group::Orthogonal,
        Group::GeneralLinear,
    ];

    /// Kebab-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Group::Identity => "identity",
            Group::Permutation => "permutation",
            Group::SignedPermutation => "signed-permutation",
            Group::PermutationScale => "permutation-scale",
            Group::Orthogonal => "orthogonal",
            Group::GeneralLinear => "general-linear",
        }
    }

    /// Returns whether the group can map a tap of width `m_prime` onto one of
    /// width `m`. Only `general-linear` allows different widths.
    pub fn applies_to(self, m: usize, m_prime: usize) -> bool {
        self == Group::GeneralLinear || m == m_prime
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for a string that names no symmetry group.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "unknown symmetry group {value:?}; valid names: {}",
    valid_group_names()
)]
pub struct ParseGroupError {
    /// The string that was parsed.
    pub value: String,
}

fn valid_group_names() -> String {
    let names: Vec<&str> = Group::ALL.iter().map(|group| group.name()).collect();
    names.join(", ")
}

impl FromStr for Group {
    type Err = ParseGroupError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Group::ALL
            .into_iter()
            .find(|group| group.name() == value)
            .ok_or_else(|| ParseGroupError {
                value: value.to_owned(),
            })
    }
}

/// The best transform within a group and the discrepancy it leaves.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotientFit {
    /// The group searched.
    pub group: Group,
    /// `||M - S M'||_F / ||M||_F` at the optimal `S`.
    pub discrepancy: f64,
    /// The optimal `S`, `[m, m']`.
    pub transform: DMatrix<f64>,
    /// For `general-linear`, the rank of `M'` used by the pseudo-inverse.
    /// For `orthogonal`, the rank of `M M'^T`: below `m`, the optimal `S` is
    /// not unique, although the discrepancy is. `None` for the other groups.
    pub rank: Option<usize>,
}

/// Reasons a quotient discrepancy cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum QuotientError {
    /// `M` and `M'` have different numbers of columns.
    #[error(
        "stacked jets must have the same number of columns N*K, got {columns} for M and \
         {columns_prime} for M'; compute both along the same design at the same base points"
    )]
    ColumnMismatch {
        /// Columns of `M`.
        columns: usize,
        /// Columns of `M'`.
        columns_prime: usize,
    },
    /// The group needs taps of equal width.
    #[error(
        "the {group} group needs taps of equal width, got m = {width} and m' = {width_prime}; \
         use general-linear to compare taps of different widths"
    )]
    UnequalWidths {
        /// The group requested.
        group: Group,
        /// Width `m` of the tap of `M`.
        width: usize,
        /// Width `m'` of the tap of `M'`.
        width_prime: usize,
    },
    /// `||M||_F = 0`, so the relative discrepancy is undefined.
    #[error(
        "M has zero Frobenius norm, so the relative discrepancy is undefined; the jet of \
         this tap vanishes along the design at every base point"
    )]
    ZeroNorm,
    /// An entry of `M` or `M'` is NaN or infinite.
    #[error("{matrix} contains a NaN or infinite entry; check the jets that were stacked into it")]
    NonFinite {
        /// `"M"` or `"M'"`.
        matrix: &'static str,
    },
}

/// Finds the `S` in `group` that minimises `||M - S M'||_F` and returns it
/// with the relative discrepancy it leaves.
///
/// # Arguments
/// * `m`: stacked jets `M` of the reference pipeline, `[m, N*K]`.
/// * `m_prime`: stacked jets `M'` of the other pipeline, `[m', N*K]`.
/// * `relative_tolerance`: rank cut for the SVD-based solvers, relative to the
///   largest singular value (see [`crate::linalg::DEFAULT_RELATIVE_TOLERANCE`]).
///
/// # Errors
/// If the column counts differ, the widths differ for a group other than
/// `general-linear`, `M` is zero or either matrix has a non-finite entry.
pub fn fit_quotient(
    group: Group,
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    relative_tolerance: f64,
) -> Result<QuotientFit, QuotientError> {
    validate(group, m, m_prime)?;

    let (transform, rank) = match group {
        Group::Identity => (DMatrix::identity(m.nrows(), m.nrows()), None),
        Group::Permutation => (fit_permutation(m, m_prime), None),
        Group::SignedPermutation => (fit_signed_permutation(m, m_prime), None),
        Group::PermutationScale => (fit_permutation_scale(m, m_prime), None),
        Group::Orthogonal => fit_orthogonal(m, m_prime, relative_tolerance),
        Group::GeneralLinear => fit_general_linear(m, m_prime, relative_tolerance),
    };
    let discrepancy = (m - &transform * m_prime).norm() / m.norm();
    Ok(QuotientFit {
        group,
        discrepancy,
        transform,
        rank,
    })
}

/// Fits `group` as [`fit_quotient`] does, at the default rank tolerance
/// [`DEFAULT_RELATIVE_TOLERANCE`].
///
/// # Errors
/// As [`fit_quotient`].
pub fn discrepancy(
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    group: Group,
) -> Result<QuotientFit, QuotientError> {
    fit_quotient(group, m, m_prime, DEFAULT_RELATIVE_TOLERANCE)
}

/// Fits every group in [`Group::ALL`] that applies to the two widths, in that
/// order.
///
/// # Errors
/// As [`fit_quotient`], except that groups needing equal widths are skipped
/// rather than rejected.
pub fn fit_all_quotients(
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    relative_tolerance: f64,
) -> Result<Vec<QuotientFit>, QuotientError> {
    Group::ALL
        .into_iter()
        .filter(|group| group.applies_to(m.nrows(), m_prime.nrows()))
        .map(|group| fit_quotient(group, m, m_prime, relative_tolerance))
        .collect()
}

fn validate(group: Group, m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> Result<(), QuotientError> {
    if m.ncols() != m_prime.ncols() {
        return Err(QuotientError::ColumnMismatch {
            columns: m.ncols(),
            columns_prime: m_prime.ncols(),
        });
    }
    if !group.applies_to(m.nrows(), m_prime.nrows()) {
        return Err(QuotientError::UnequalWidths {
            group,
            width: m.nrows(),
            width_prime: m_prime.nrows(),
        });
    }
    if !is_finite(m) {
        return Err(QuotientError::NonFinite { matrix: "M" });
    }
    if !is_finite(m_prime) {
        return Err(QuotientError::NonFinite { matrix: "M'" });
    }
    if m.norm() == 0.0 {
        return Err(QuotientError::ZeroNorm);
    }
    Ok(())
}

/// Assigns each row of `M` to a row of `M'` at minimum total cost and returns
/// the matrix `S` `[m, m]` with `S[i, j] = scale[i]` where row `i` takes row
/// `j`.
fn assign_rows(cost: &DMatrix<f64>, scale: impl Fn(usize, usize) -> f64) -> DMatrix<f64> {
    // The costs are finite because validate() checked both matrices.
    let assignment = min_cost_assignment(cost).expect("square cost matrix of finite entries");
    let n = cost.nrows();
    let mut transform = DMatrix::zeros(n, n);
    for (i, &j) in assignment.permutation.iter().enumerate() {
        transform[(i, j)] = scale(i, j);
    }
    transform
}

/// Inner products between the rows of `M` and `M'`, from which both
/// permutation solvers build their costs with one matrix product instead of
/// `m^2` row differences.
struct RowProducts {
    /// `M M'^T`, `[m, m']`.
    cross: DMatrix<f64>,
    /// `||m_i||^2` for each row of `M`.
    norms_squared: Vec<f64>,
    /// `||m'_j||^2` for each row of `M'`.
    norms_squared_prime: Vec<f64>,
}

impl RowProducts {
    fn new(m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> Self {
        Self {
            cross: m * m_prime.transpose(),
            norms_squared: m.row_iter().map(|row| row.norm_squared()).collect(),
            norms_squared_prime: m_prime.row_iter().map(|row| row.norm_squared()).collect(),
        }
    }

    /// Best scale `s >= 0` for `||m_i - s m'_j||`, 0 when `m'_j` is zero.
    fn best_scale(&self, i: usize, j: usize) -> f64 {
        if self.norms_squared_prime[j] == 0.0 {
            return 0.0;
        }
        self.cross[(i, j)].max(0.0) / self.norms_squared_prime[j]
    }
}

/// Solves the permutation group exactly: the residual splits over rows, so
/// matching row `i` of `M` to row `j` of `M'` costs `||m_i - m'_j||^2`.
fn fit_permutation(m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> DMatrix<f64> {
    let products = RowProducts::new(m, m_prime);
    let width = m.nrows();
    let cost = DMatrix::from_fn(width, width, |i, j| {
        let distance = products.norms_squared[i] + products.norms_squared_prime[j]
            - 2.0 * products.cross[(i, j)];
        // Rounding can push a zero distance slightly below zero.
        distance.max(0.0)
    });
    assign_rows(&cost, |_, _| 1.0)
}

/// Solves the signed-permutation group exactly: for a match `i -> j` the
/// better sign is that of `<m_i, m'_j>`, leaving
/// `||m_i||^2 + ||m'_j||^2 - 2 |<m_i, m'_j>|` as the assignment cost.
fn fit_signed_permutation(m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> DMatrix<f64> {
    let products = RowProducts::new(m, m_prime);
    let width = m.nrows();
    let cost = DMatrix::from_fn(width, width, |i, j| {
        let distance = products.norms_squared[i] + products.norms_squared_prime[j]
            - 2.0 * products.cross[(i, j)].abs();
        // Rounding can push a zero distance slightly below zero.
        distance.max(0.0)
    });
    assign_rows(&cost, |i, j| {
        if products.cross[(i, j)] < 0.0 {
            -1.0
        } else {
            1.0
        }
    })
}

/// Solves the permutation-scale group exactly.
///
/// For a fixed match `i -> j`, the best scale `s >= 0` minimises
/// `||m_i - s m'_j||^2` at `s = max(0, <m_i, m'_j>) / ||m'_j||^2`, leaving
/// `||m_i||^2 - max(0, <m_i, m'_j>)^2 / ||m'_j||^2`, which equals
/// `||m_i||^2 (1 - max(cos_ij, 0)^2)`. That residual is the assignment cost.
/// A zero row `m'_j` gets scale 0 and leaves `||m_i||^2`.
fn fit_permutation_scale(m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> DMatrix<f64> {
    let products = RowProducts::new(m, m_prime);
    let width = m.nrows();
    let cost = DMatrix::from_fn(width, width, |i, j| {
        let explained = products.best_scale(i, j) * products.cross[(i, j)].max(0.0);
        // Rounding can push the residual slightly below zero.
        (products.norms_squared[i] - explained).max(0.0)
    });
    assign_rows(&cost, |i, j| products.best_scale(i, j))
}

/// Solves orthogonal Procrustes: with `M M'^T = U Σ V^T`, `S = U V^T`
/// maximises `tr(S^T M M'^T)` and so minimises the residual.
fn fit_orthogonal(
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    relative_tolerance: f64,
) -> (DMatrix<f64>, Option<usize>) {
    let cross = m * m_prime.transpose();
    let svd = SVD::new(cross, true, true);
    let rank = numerical_rank(&svd.singular_values, relative_tolerance);
    let u = svd.u.expect("SVD computed with U");
    let v_t = svd.v_t.expect("SVD computed with V^T");
    (u * v_t, Some(rank))
}

/// Solves least squares: `S = M M'^+` minimises `||M - S M'||_F` over all
/// `[m, m']` matrices.
fn fit_general_linear(
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    relative_tolerance: f64,
) -> (DMatrix<f64>, Option<usize>) {
    let pinv = pseudo_inverse(m_prime, relative_tolerance);
    (m * pinv.matrix, Some(pinv.rank))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::orthonormalize;
    use crate::linalg::tests::random_matrix;
    use nalgebra::DVector;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const TOLERANCE: f64 = DEFAULT_RELATIVE_TOLERANCE;

    fn random_permutation(n: usize, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(rng);
        DMatrix::from_fn(n, n, |i, j| if order[i] == j { 1.0 } else { 0.0 })
    }

    fn random_positive_diagonal(n: usize, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
        DMatrix::from_fn(n, n, |i, j| {
            if i == j {
                rng.random_range(0.5..2.0)
            } else {
                0.0
            }
        })
    }

    fn fit(group: Group, m: &DMatrix<f64>, m_prime: &DMatrix<f64>) -> QuotientFit {
        fit_quotient(group, m, m_prime, TOLERANCE).unwrap()
    }

    #[test]
    fn group_names_round_trip() {
        for group in Group::ALL {
            assert_eq!(group.name().parse::<Group>().unwrap(), group);
            assert_eq!(group.to_string(), group.name());
        }
    }

    #[test]
    fn group_serialises_to_kebab_case() {
        let json = serde_json::to_string(&Group::PermutationScale).unwrap();

        assert_eq!(json, "\"permutation-scale\"");
    }

    #[test]
    fn group_parse_error_lists_names() {
        let error = "rotation".parse::<Group>().unwrap_err();

        assert_eq!(
            error.to_string(),
            "unknown symmetry group \"rotation\"; valid names: identity, permutation, \
             signed-permutation, permutation-scale, orthogonal, general-linear"
        );
    }

    #[test]
    fn only_general_linear_allows_unequal_widths() {
        for group in Group::ALL {
            assert!(group.applies_to(4, 4), "{group} rejects equal widths");
            let expected = group == Group::GeneralLinear;
            assert_eq!(group.applies_to(4, 3), expected, "{group}");
        }
    }

    #[test]
    fn identity_gives_relative_frobenius_difference() {
        let mut rng = ChaCha8Rng::seed_from_u64(20);
        let m = random_matrix(4, 9, &mut rng);
        let m_prime = random_matrix(4, 9, &mut rng);
        let result = fit(Group::Identity, &m, &m_prime);

        let expected = (&m - &m_prime).norm() / m.norm();
        assert!((result.discrepancy - expected).abs() < 1e-14);
        assert_eq!(result.transform, DMatrix::identity(4, 4));
        assert_eq!(result.rank, None);
    }

    #[test]
    fn permutation_recovers_planted_permutation() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let m_prime = random_matrix(7, 12, &mut rng);
        let planted = random_permutation(7, &mut rng);
        let m = &planted * &m_prime;
        let result = fit(Group::Permutation, &m, &m_prime);

        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert_eq!(result.transform, planted);
    }

    #[test]
    fn signed_permutation_recovers_planted_signs() {
        let mut rng = ChaCha8Rng::seed_from_u64(23);
        let m_prime = random_matrix(7, 12, &mut rng);
        let signs = DVector::from_fn(7, |i, _| if i % 3 == 0 { -1.0 } else { 1.0 });
        let planted = DMatrix::from_diagonal(&signs) * random_permutation(7, &mut rng);
        let m = &planted * &m_prime;

        let signed = fit(Group::SignedPermutation, &m, &m_prime);
        assert!(signed.discrepancy < 1e-8, "{}", signed.discrepancy);
        assert_eq!(signed.transform, planted);
        // Neither relabelling alone nor positive scales undo a sign flip.
        assert!(fit(Group::Permutation, &m, &m_prime).discrepancy > 0.1);
        assert!(fit(Group::PermutationScale, &m, &m_prime).discrepancy > 0.1);
    }

    #[test]
    fn permutation_scale_recovers_planted_transform() {
        let mut rng = ChaCha8Rng::seed_from_u64(22);
        let m_prime = random_matrix(7, 12, &mut rng);
        let planted = random_positive_diagonal(7, &mut rng) * random_permutation(7, &mut rng);
        let m = &planted * &m_prime;
        let result = fit(Group::PermutationScale, &m, &m_prime);

        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert!((result.transform - planted).amax() < 1e-8);
    }

    #[test]
    fn permutation_scale_matches_directions_not_magnitudes() {
        // Unit directions a = e_0 and b at 60 degrees to it. Matching by
        // distance would pair the small rows, but only the direction matters.
        let b = [0.5, 0.75_f64.sqrt()];
        let m_prime = DMatrix::from_row_slice(2, 2, &[0.1, 0.0, 10.0 * b[0], 10.0 * b[1]]);
        let planted = DMatrix::from_row_slice(2, 2, &[100.0, 0.0, 0.0, 0.01]);
        let m = &planted * &m_prime;
        let result = fit(Group::PermutationScale, &m, &m_prime);

        assert!(result.discrepancy < 1e-12, "{}", result.discrepancy);
        assert!((result.transform - planted).amax() < 1e-10);
    }

    #[test]
    fn permutation_scale_handles_zero_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(23);
        let mut m_prime = random_matrix(5, 8, &mut rng);
        m_prime.row_mut(2).fill(0.0);
        let planted = random_positive_diagonal(5, &mut rng) * random_permutation(5, &mut rng);
        let m = &planted * &m_prime;
        let result = fit(Group::PermutationScale, &m, &m_prime);

        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert!(result.transform.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn permutation_scale_never_uses_negative_scale() {
        let m_prime = DMatrix::from_row_slice(1, 3, &[1.0, -2.0, 0.5]);
        let m = -&m_prime;
        let result = fit(Group::PermutationScale, &m, &m_prime);

        assert_eq!(result.transform[(0, 0)], 0.0);
        assert!((result.discrepancy - 1.0).abs() < 1e-14);
    }

    #[test]
    fn orthogonal_recovers_planted_rotation() {
        let mut rng = ChaCha8Rng::seed_from_u64(24);
        let m_prime = random_matrix(6, 15, &mut rng);
        let planted = orthonormalize(&random_matrix(6, 6, &mut rng));
        let m = &planted * &m_prime;
        let result = fit(Group::Orthogonal, &m, &m_prime);

        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert!((result.transform - planted).amax() < 1e-8);
        assert_eq!(result.rank, Some(6));
    }

    #[test]
    fn general_linear_recovers_planted_map() {
        let mut rng = ChaCha8Rng::seed_from_u64(25);
        let m_prime = random_matrix(6, 15, &mut rng);
        let planted = random_matrix(6, 6, &mut rng);
        let m = &planted * &m_prime;
        let result = fit(Group::GeneralLinear, &m, &m_prime);

        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert!((result.transform - planted).amax() < 1e-8);
        assert_eq!(result.rank, Some(6));
    }

    #[test]
    fn general_linear_handles_unequal_widths() {
        let mut rng = ChaCha8Rng::seed_from_u64(26);
        let m_prime = random_matrix(8, 30, &mut rng);
        let planted = random_matrix(5, 8, &mut rng);
        let m = &planted * &m_prime;
        let result = fit(Group::GeneralLinear, &m, &m_prime);

        assert_eq!(result.transform.shape(), (5, 8));
        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
        assert!((result.transform - planted).amax() < 1e-8);
        assert_eq!(result.rank, Some(8));
    }

    #[test]
    fn general_linear_reports_deficient_rank() {
        let mut rng = ChaCha8Rng::seed_from_u64(27);
        let m_prime = random_matrix(6, 2, &mut rng) * random_matrix(2, 10, &mut rng);
        let m = random_matrix(6, 6, &mut rng) * &m_prime;
        let result = fit(Group::GeneralLinear, &m, &m_prime);

        assert_eq!(result.rank, Some(2));
        assert!(result.discrepancy < 1e-8, "{}", result.discrepancy);
    }

    #[test]
    fn perturbation_leaves_positive_discrepancy() {
        let mut rng = ChaCha8Rng::seed_from_u64(28);
        let m_prime = random_matrix(5, 20, &mut rng);
        let noise = random_matrix(5, 20, &mut rng);
        let m = random_permutation(5, &mut rng) * &m_prime + 0.1 * noise;

        for group in Group::ALL {
            let result = fit(group, &m, &m_prime);
            assert!(result.discrepancy > 1e-3, "{group}: {}", result.discrepancy);
        }
    }

    #[test]
    fn groups_order_discrepancies_by_inclusion() {
        let mut rng = ChaCha8Rng::seed_from_u64(29);
        for _ in 0..10 {
            let m_prime = random_matrix(5, 12, &mut rng);
            let planted = random_positive_diagonal(5, &mut rng) * random_permutation(5, &mut rng);
            let noise = random_matrix(5, 12, &mut rng);
            let m = planted * &m_prime + 0.3 * noise;
            let fits = fit_all_quotients(&m, &m_prime, TOLERANCE).unwrap();
            let [
                identity,
                permutation,
                signed_permutation,
                permutation_scale,
                orthogonal,
                general_linear,
            ] = [0, 1, 2, 3, 4, 5].map(|i| fits[i].discrepancy);
            let slack = 1e-12;

            assert!(permutation <= identity + slack);
            assert!(signed_permutation <= permutation + slack);
            assert!(orthogonal <= signed_permutation + slack);
            assert!(permutation_scale <= permutation + slack);
            assert!(orthogonal <= permutation + slack);
            assert!(general_linear <= permutation_scale + slack);
            assert!(general_linear <= orthogonal + slack);
        }
    }

    #[test]
    fn discrepancy_uses_default_tolerance() {
        let mut rng = ChaCha8Rng::seed_from_u64(31);
        let m = random_matrix(4, 9, &mut rng);
        let m_prime = random_matrix(4, 9, &mut rng);

        for group in Group::ALL {
            let shorthand = discrepancy(&m, &m_prime, group).unwrap();
            assert_eq!(shorthand, fit(group, &m, &m_prime), "{group}");
        }
    }

    #[test]
    fn fit_all_skips_groups_needing_equal_widths() {
        let mut rng = ChaCha8Rng::seed_from_u64(30);
        let m = random_matrix(3, 10, &mut rng);
        let m_prime = random_matrix(4, 10, &mut rng);
        let fits = fit_all_quotients(&m, &m_prime, TOLERANCE).unwrap();

        assert_eq!(fits.len(), 1);
        assert_eq!(fits[0].group, Group::GeneralLinear);
    }

    #[test]
    fn mismatched_columns_are_rejected() {
        let error = fit_quotient(
            Group::Identity,
            &DMatrix::zeros(3, 4),
            &DMatrix::zeros(3, 5),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "stacked jets must have the same number of columns N*K, got 4 for M and 5 for M'; \
             compute both along the same design at the same base points"
        );
    }

    #[test]
    fn unequal_widths_are_rejected() {
        let error = fit_quotient(
            Group::Orthogonal,
            &DMatrix::from_element(3, 4, 1.0),
            &DMatrix::from_element(2, 4, 1.0),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "the orthogonal group needs taps of equal width, got m = 3 and m' = 2; \
             use general-linear to compare taps of different widths"
        );
    }

    #[test]
    fn zero_reference_jet_is_rejected() {
        let error = fit_quotient(
            Group::Permutation,
            &DMatrix::zeros(3, 4),
            &DMatrix::from_element(3, 4, 1.0),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "M has zero Frobenius norm, so the relative discrepancy is undefined; the jet of \
             this tap vanishes along the design at every base point"
        );
    }

    #[test]
    fn non_finite_jet_is_rejected() {
        let mut m_prime = DMatrix::from_element(2, 3, 1.0);
        m_prime[(1, 2)] = f64::INFINITY;
        let error = fit_quotient(
            Group::GeneralLinear,
            &DMatrix::from_element(2, 3, 1.0),
            &m_prime,
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "M' contains a NaN or infinite entry; check the jets that were stacked into it"
        );
    }
}
