//! Subspace alignment by principal angles.
//!
//! The cosines of the principal angles between two subspaces are the singular
//! values of `Q_a^T Q_b`, where `Q_a` and `Q_b` are orthonormal bases. They
//! compare the input directions two modules respond to (the row spaces of
//! their jets), or those of one module with a PCA subspace of the data.

use nalgebra::{DMatrix, SVD};
use serde::Serialize;
use thiserror::Error;

use crate::linalg::{column_space_basis, is_finite};

/// Principal-angle summary of two subspaces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Cosines of the principal angles, descending, each in `[0, 1]`. There
    /// are `min(dim A, dim B)` of them.
    pub cosines: Vec<f64>,
    /// Mean of the squared cosines: 1 when the smaller subspace lies inside
    /// the larger, 0 when the two are orthogonal.
    pub mean_squared_cosine: f64,
}

/// Reasons an alignment cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AlignmentError {
    /// The two subspaces live in spaces of different dimension.
    #[error(
        "subspaces must live in the same space, got dimension {left} and {right}; \
         check that both matrices have the same {axis}"
    )]
    DimensionMismatch {
        /// Ambient dimension of the first subspace.
        left: usize,
        /// Ambient dimension of the second subspace.
        right: usize,
        /// The matrix axis that gives the ambient dimension.
        axis: &'static str,
    },
    /// A spanning matrix is zero or empty, so it spans no direction.
    #[error(
        "the {subspace} subspace is empty: its spanning matrix is zero or has no vectors, \
         so there are no angles to measure"
    )]
    EmptySubspace {
        /// `"first"` or `"second"`.
        subspace: &'static str,
    },
    /// An entry is NaN or infinite.
    #[error("the {subspace} spanning matrix contains a NaN or infinite entry")]
    NonFinite {
        /// `"first"` or `"second"`.
        subspace: &'static str,
    },
    /// Jets and design directions come in different numbers or shapes.
    #[error(
        "jet at base point {point} is [{jet_rows}, {jet_cols}] but its directions are \
         [{direction_rows}, {direction_cols}]; the directions need {dimension} rows, the \
         dimension of the subspace, and as many columns as the jet"
    )]
    DesignShape {
        /// Index of the base point.
        point: usize,
        /// Rows of the jet.
        jet_rows: usize,
        /// Columns of the jet.
        jet_cols: usize,
        /// Rows of the directions.
        direction_rows: usize,
        /// Columns of the directions.
        direction_cols: usize,
        /// Ambient dimension `d` of the subspace.
        dimension: usize,
    },
    /// The numbers of jets and direction matrices differ.
    #[error("got {jets} jets but {directions} direction matrices; pass one of each per base point")]
    PointCountMismatch {
        /// Number of jets.
        jets: usize,
        /// Number of direction matrices.
        directions: usize,
    },
}

/// Computes the principal angles between the column spaces of `a` `[n, p]`
/// and `b` `[n, q]`.
///
/// Neither input needs orthonormal or independent columns: each is reduced to
/// an orthonormal basis of its column space, keeping singular values above
/// `relative_tolerance * sigma_max`.
///
/// # Errors
/// If the row counts differ, an input has a non-finite entry, or an input
/// spans nothing (zero or without columns).
pub fn principal_angles(
    a: &DMatrix<f64>,
    b: &DMatrix<f64>,
    relative_tolerance: f64,
) -> Result<Alignment, AlignmentError> {
    if a.nrows() != b.nrows() {
        return Err(AlignmentError::DimensionMismatch {
            left: a.nrows(),
            right: b.nrows(),
            axis: "number of rows",
        });
    }
    let basis_a = orthonormal_basis(a, "first", relative_tolerance)?;
    let basis_b = orthonormal_basis(b, "second", relative_tolerance)?;

    let overlap = basis_a.transpose() * basis_b;
    let singular_values = SVD::new(overlap, false, false).singular_values;
    // Rounding can put a cosine just above 1.
    let cosines: Vec<f64> = singular_values.iter().map(|c| c.clamp(0.0, 1.0)).collect();
    let mean_squared_cosine = cosines.iter().map(|c| c * c).sum::<f64>() / cosines.len() as f64;
    Ok(Alignment {
        cosines,
        mean_squared_cosine,
    })
}

fn orthonormal_basis(
    spanning: &DMatrix<f64>,
    subspace: &'static str,
    relative_tolerance: f64,
) -> Result<DMatrix<f64>, AlignmentError> {
    if !is_finite(spanning) {
        return Err(AlignmentError::NonFinite { subspace });
    }
    let basis = column_space_basis(spanning, relative_tolerance);
    if basis.ncols() == 0 {
        return Err(AlignmentError::EmptySubspace { subspace });
    }
    Ok(basis)
}

/// Computes the principal angles between the row spaces of two stacked jets,
/// `m` `[m, N*K]` and `m_prime` `[m', N*K]`.
///
/// Each row space is the span of the jet's rows as vectors in `R^{N*K}`: the
/// combinations of design directions and base points the tap responds to.
/// The widths `m` and `m'` may differ.
///
/// # Errors
/// As [`principal_angles`], with the column counts required to match.
pub fn row_space_alignment(
    m: &DMatrix<f64>,
    m_prime: &DMatrix<f64>,
    relative_tolerance: f64,
) -> Result<Alignment, AlignmentError> {
    if m.ncols() != m_prime.ncols() {
        return Err(AlignmentError::DimensionMismatch {
            left: m.ncols(),
            right: m_prime.ncols(),
            axis: "number of columns N*K",
        });
    }
    principal_angles(&m.transpose(), &m_prime.transpose(), relative_tolerance)
}

/// Computes the principal angles between the input directions a tap responds
/// to and a subspace of the input space, such as the top principal directions
/// of the data.
///
/// At base point `x_n` the tap's jet `J(x_n) U_n` `[m, K]` responds only to
/// the design directions `U_n` `[d, K]`, so its input directions are the columns
/// of `U_n (J(x_n) U_n)^T` `[d, m]`: the rows of `J(x_n)` projected onto the
/// span of `U_n`. These are stacked side by side over all base points. For a
/// coordinate design (`U_n = I`) this is the row space of the full Jacobians.
///
/// # Arguments
/// * `jets`: `jets[n]` is `J(x_n) U_n`, `[m, K]`.
/// * `directions`: `directions[n]` is `U_n`, `[d, K]` with orthonormal columns.
/// * `subspace`: vectors spanning the subspace, `[d, k]`.
///
/// # Errors
/// If the jets and directions disagree in number or shape, the dimensions
/// differ from `subspace`, or either side spans nothing.
pub fn input_space_alignment(
    jets: &[DMatrix<f64>],
    directions: &[DMatrix<f64>],
    subspace: &DMatrix<f64>,
    relative_tolerance: f64,
) -> Result<Alignment, AlignmentError> {
    if jets.len() != directions.len() {
        return Err(AlignmentError::PointCountMismatch {
            jets: jets.len(),
            directions: directions.len(),
        });
    }
    let dimension = subspace.nrows();
    for (point, (jet, design)) in jets.iter().zip(directions).enumerate() {
        if jet.ncols() != design.ncols() || design.nrows() != dimension {
            return Err(AlignmentError::DesignShape {
                point,
                jet_rows: jet.nrows(),
                jet_cols: jet.ncols(),
                direction_rows: design.nrows(),
                direction_cols: design.ncols(),
                dimension,
            });
        }
    }

    let total_columns = jets.iter().map(|jet| jet.nrows()).sum();
    let mut responded = DMatrix::zeros(dimension, total_columns);
    let mut start = 0;
    for (jet, design) in jets.iter().zip(directions) {
        responded
            .columns_mut(start, jet.nrows())
            .copy_from(&(design * jet.transpose()));
        start += jet.nrows();
    }
    principal_angles(&responded, subspace, relative_tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::DEFAULT_RELATIVE_TOLERANCE;
    use crate::linalg::tests::random_matrix;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const TOLERANCE: f64 = DEFAULT_RELATIVE_TOLERANCE;

    fn assert_cosines(alignment: &Alignment, expected: &[f64]) {
        assert_eq!(alignment.cosines.len(), expected.len(), "{alignment:?}");
        for (got, want) in alignment.cosines.iter().zip(expected) {
            assert!(
                (got - want).abs() < 1e-10,
                "{alignment:?}, expected {expected:?}"
            );
        }
    }

    #[test]
    fn identical_subspaces_have_unit_cosines() {
        let mut rng = ChaCha8Rng::seed_from_u64(40);
        let a = random_matrix(6, 3, &mut rng);
        // A different spanning set of the same subspace.
        let b = &a * random_matrix(3, 3, &mut rng);
        let alignment = principal_angles(&a, &b, TOLERANCE).unwrap();

        assert_cosines(&alignment, &[1.0, 1.0, 1.0]);
        assert!((alignment.mean_squared_cosine - 1.0).abs() < 1e-10);
    }

    #[test]
    fn orthogonal_subspaces_have_zero_cosines() {
        let identity = DMatrix::<f64>::identity(5, 5);
        let a = identity.columns(0, 2).into_owned();
        let b = identity.columns(2, 3).into_owned();
        let alignment = principal_angles(&a, &b, TOLERANCE).unwrap();

        assert_cosines(&alignment, &[0.0, 0.0]);
        assert!(alignment.mean_squared_cosine < 1e-20);
    }

    #[test]
    fn line_at_known_angle_to_plane() {
        let theta: f64 = 0.3;
        let plane = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let line = DMatrix::from_row_slice(3, 1, &[theta.cos(), 0.0, theta.sin()]);
        let alignment = principal_angles(&plane, &line, TOLERANCE).unwrap();

        assert_cosines(&alignment, &[theta.cos()]);
        let expected_mean = theta.cos().powi(2);
        assert!((alignment.mean_squared_cosine - expected_mean).abs() < 1e-12);
    }

    #[test]
    fn cosines_are_sorted_descending() {
        let mut rng = ChaCha8Rng::seed_from_u64(41);
        let a = random_matrix(8, 4, &mut rng);
        let b = random_matrix(8, 3, &mut rng);
        let alignment = principal_angles(&a, &b, TOLERANCE).unwrap();

        assert_eq!(alignment.cosines.len(), 3);
        for pair in alignment.cosines.windows(2) {
            assert!(pair[0] >= pair[1], "{:?}", alignment.cosines);
        }
        assert!(alignment.cosines.iter().all(|c| (0.0..=1.0).contains(c)));
    }

    #[test]
    fn rank_deficient_input_uses_its_rank() {
        // Three columns that span only a plane, plus a tiny rounding-level
        // component that the tolerance must ignore.
        let mut a = DMatrix::from_row_slice(
            4,
            3,
            &[1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        );
        a[(2, 2)] = 1e-15;
        let b = DMatrix::<f64>::identity(4, 4).columns(0, 3).into_owned();
        let alignment = principal_angles(&a, &b, TOLERANCE).unwrap();

        assert_cosines(&alignment, &[1.0, 1.0]);
    }

    #[test]
    fn row_space_alignment_compares_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let m_prime = random_matrix(3, 10, &mut rng);
        // Five rows that are combinations of the three rows of M'.
        let m = random_matrix(5, 3, &mut rng) * &m_prime;
        let alignment = row_space_alignment(&m, &m_prime, TOLERANCE).unwrap();

        assert_cosines(&alignment, &[1.0, 1.0, 1.0]);
    }

    #[test]
    fn coordinate_jet_input_space_is_row_space() {
        // The Jacobian responds only to the first two input coordinates.
        let jacobian = DMatrix::from_row_slice(2, 4, &[1.0, 2.0, 0.0, 0.0, -1.0, 1.0, 0.0, 0.0]);
        let identity = DMatrix::<f64>::identity(4, 4);
        let leading = identity.columns(0, 2).into_owned();
        let trailing = identity.columns(2, 2).into_owned();

        let jets = [jacobian];
        let directions = [identity];

        let aligned = input_space_alignment(&jets, &directions, &leading, TOLERANCE).unwrap();
        let orthogonal = input_space_alignment(&jets, &directions, &trailing, TOLERANCE).unwrap();

        assert_cosines(&aligned, &[1.0, 1.0]);
        assert_cosines(&orthogonal, &[0.0, 0.0]);
    }

    #[test]
    fn input_space_sees_only_design_span() {
        let mut rng = ChaCha8Rng::seed_from_u64(43);
        let jacobian = random_matrix(3, 5, &mut rng);
        let identity = DMatrix::<f64>::identity(5, 5);
        // A design along e_0 only, at two base points.
        let design = identity.columns(0, 1).into_owned();
        let jets = [&jacobian * &design, &jacobian * &design];
        let alignment = input_space_alignment(
            &jets,
            &[design.clone(), design.clone()],
            &identity.columns(0, 2).into_owned(),
            TOLERANCE,
        )
        .unwrap();

        assert_cosines(&alignment, &[1.0]);
    }

    #[test]
    fn dimension_mismatch_is_rejected() {
        let error = principal_angles(
            &DMatrix::identity(3, 1),
            &DMatrix::identity(4, 1),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "subspaces must live in the same space, got dimension 3 and 4; \
             check that both matrices have the same number of rows"
        );
    }

    #[test]
    fn zero_jet_is_rejected() {
        let error = row_space_alignment(&DMatrix::zeros(2, 6), &DMatrix::identity(2, 6), TOLERANCE)
            .unwrap_err();

        assert_eq!(
            error.to_string(),
            "the first subspace is empty: its spanning matrix is zero or has no vectors, \
             so there are no angles to measure"
        );
    }

    #[test]
    fn non_finite_input_is_rejected() {
        let mut b = DMatrix::identity(3, 2);
        b[(0, 1)] = f64::NAN;
        let error = principal_angles(&DMatrix::identity(3, 1), &b, TOLERANCE).unwrap_err();

        assert_eq!(
            error.to_string(),
            "the second spanning matrix contains a NaN or infinite entry"
        );
    }

    #[test]
    fn design_shape_mismatch_is_rejected() {
        let error = input_space_alignment(
            &[DMatrix::zeros(2, 3)],
            &[DMatrix::zeros(4, 2)],
            &DMatrix::identity(4, 1),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "jet at base point 0 is [2, 3] but its directions are [4, 2]; the directions \
             need 4 rows, the dimension of the subspace, and as many columns as the jet"
        );
    }

    #[test]
    fn point_count_mismatch_is_rejected() {
        let error = input_space_alignment(
            &[DMatrix::zeros(2, 3)],
            &[],
            &DMatrix::identity(4, 1),
            TOLERANCE,
        )
        .unwrap_err();

        assert_eq!(
            error.to_string(),
            "got 1 jets but 0 direction matrices; pass one of each per base point"
        );
    }

    #[test]
    fn alignment_serialises_to_json() {
        let alignment = Alignment {
            cosines: vec![1.0, 0.5],
            mean_squared_cosine: 0.625,
        };
        let json = serde_json::to_string(&alignment).unwrap();

        assert_eq!(json, r#"{"cosines":[1.0,0.5],"mean_squared_cosine":0.625}"#);
    }
}
