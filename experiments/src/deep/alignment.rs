//! D1 alignment: how much of a representation tap's response lies along each
//! principal direction of the data.
//!
//! The coordinate-design jets `J(x_n)` `[k, d]` of the tap are stacked into
//! `S = [J(x_1); …; J(x_N)]` `[N k, d]`, whose row space is the set of input
//! directions the tap responds to. For a ReLU tap that row space is usually
//! all of `R^d`, because each base point switches on other units, so the
//! measures below weight directions by how strongly the tap responds:
//!
//! - the energy share of a unit direction `v`, `‖S v‖² / ‖S‖²_F`. Over an
//!   orthonormal basis the shares sum to 1, like explained-variance ratios;
//! - the fraction `‖P_k v‖²` of `v` inside the dominant row space, the span
//!   of the top `k` right singular vectors of `S`;
//! - the principal-angle cosines between the dominant row space and the top
//!   `k` principal directions of the data.

use mojet_jets::TapJet;
use mojet_jets::alignment::{AlignmentError, principal_angles};
use mojet_jets::linalg::row_space_basis;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// The alignment of one tap with the principal directions of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectionAlignment {
    /// Energy share of each principal direction, in order of decreasing
    /// explained variance; the values sum to 1.
    pub energy_share: Vec<f64>,
    /// Fraction of each principal direction inside the dominant row space.
    pub row_space_fraction: Vec<f64>,
    /// Cosines of the principal angles between the dominant row space and
    /// the top-`k` principal subspace, descending.
    pub cosines: Vec<f64>,
    /// Mean of the squared cosines.
    pub mean_squared_cosine: f64,
    /// Numerical rank of the stacked jet `S`: the dimension of its whole row
    /// space.
    pub row_space_rank: usize,
}

/// Measures the alignment of a tap's coordinate-design jets with the
/// principal directions `directions` `[d, d]` (columns, by decreasing
/// explained variance), using the top `k` of each side for the angles.
///
/// # Errors
/// [`AlignmentError`] when the jets vanish or their width is not `d`.
pub fn direction_alignment(
    jet: &TapJet,
    directions: &DMatrix<f64>,
    k: usize,
    relative_tolerance: f64,
) -> Result<DirectionAlignment, AlignmentError> {
    let stacked = stack_rows(jet);
    let d = directions.nrows();
    if stacked.ncols() != d {
        return Err(AlignmentError::DimensionMismatch {
            left: stacked.ncols(),
            right: d,
            axis: "input dimension",
        });
    }
    let total = stacked.norm_squared();
    if total == 0.0 {
        return Err(AlignmentError::EmptySubspace { subspace: "first" });
    }
    let energy_share = directions
        .column_iter()
        .map(|v| (&stacked * v).norm_squared() / total)
        .collect();

    let basis = row_space_basis(&stacked, relative_tolerance);
    let row_space_rank = basis.ncols();
    let dominant = basis.columns(0, k.min(row_space_rank)).into_owned();
    let row_space_fraction = directions
        .column_iter()
        .map(|v| (dominant.transpose() * v).norm_squared())
        .collect();

    let top = directions.columns(0, k.min(d)).into_owned();
    let angles = principal_angles(&dominant, &top, relative_tolerance)?;
    Ok(DirectionAlignment {
        energy_share,
        row_space_fraction,
        cosines: angles.cosines,
        mean_squared_cosine: angles.mean_squared_cosine,
        row_space_rank,
    })
}

/// Stacks the per-point jets `[k, d]` vertically into `[N k, d]`.
fn stack_rows(jet: &TapJet) -> DMatrix<f64> {
    let width = jet.values.first().map_or(0, DMatrix::ncols);
    let rows: usize = jet.values.iter().map(DMatrix::nrows).sum();
    let mut stacked = DMatrix::zeros(rows, width);
    let mut start = 0;
    for value in &jet.values {
        stacked.rows_mut(start, value.nrows()).copy_from(value);
        start += value.nrows();
    }
    stacked
}

/// Mean of `values[i]` over the first `k` directions minus its mean over
/// the rest: positive when the alignment falls from the high-variance to the
/// low-variance directions.
pub fn top_minus_rest(values: &[f64], k: usize) -> f64 {
    let (top, rest) = values.split_at(k.min(values.len()));
    crate::zoo::mean(top) - crate::zoo::mean(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jet(values: Vec<DMatrix<f64>>) -> TapJet {
        TapJet {
            tap: "bottleneck".into(),
            values,
        }
    }

    #[test]
    fn projection_onto_top_directions_aligns_fully() {
        // Principal directions: the coordinate axes; the tap reads axes 0 and 1.
        let directions = DMatrix::identity(4, 4);
        let projection = DMatrix::from_row_slice(2, 4, &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let measured = direction_alignment(
            &jet(vec![projection.clone(), projection]),
            &directions,
            2,
            1e-10,
        )
        .unwrap();
        assert_eq!(measured.energy_share, vec![0.5, 0.5, 0.0, 0.0]);
        assert_eq!(measured.row_space_fraction, vec![1.0, 1.0, 0.0, 0.0]);
        assert_eq!(measured.cosines, vec![1.0, 1.0]);
        assert_eq!(measured.row_space_rank, 2);
    }

    #[test]
    fn energy_shares_sum_to_one() {
        let directions = DMatrix::identity(3, 3);
        let first = DMatrix::from_row_slice(1, 3, &[1.0, 2.0, 0.5]);
        let second = DMatrix::from_row_slice(1, 3, &[-0.3, 0.0, 4.0]);
        let measured =
            direction_alignment(&jet(vec![first, second]), &directions, 1, 1e-10).unwrap();
        let sum: f64 = measured.energy_share.iter().sum();
        assert!((sum - 1.0).abs() < 1e-12, "{measured:?}");
        assert_eq!(measured.row_space_rank, 2);
    }

    #[test]
    fn zero_jet_is_rejected() {
        let directions = DMatrix::identity(2, 2);
        let zero = DMatrix::zeros(1, 2);
        assert!(direction_alignment(&jet(vec![zero]), &directions, 1, 1e-10).is_err());
    }

    #[test]
    fn falling_values_give_positive_difference() {
        assert!((top_minus_rest(&[0.9, 0.7, 0.2, 0.1, 0.0], 2) - 0.7).abs() < 1e-12);
    }
}
