//! Minimum-cost assignment on a square cost matrix (the linear assignment
//! problem), solved exactly in `O(n^3)` by the Hungarian method in its
//! shortest-augmenting-path form (Jonker–Volgenant).
//!
//! Rows are added one at a time. Each addition runs a Dijkstra-like search
//! over reduced costs `cost[i][j] - u[i] - v[j]`, which stay nonnegative, from
//! the new row to a free column, then flips the matching along that path and
//! updates the dual potentials `u`, `v`, so the matching stays optimal for the
//! rows added so far.

use nalgebra::DMatrix;
use thiserror::Error;

/// An optimal assignment of rows to columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// `permutation[i]` is the column assigned to row `i`.
    pub permutation: Vec<usize>,
    /// Sum of `cost[(i, permutation[i])]` over all rows.
    pub cost: f64,
}

/// Reasons the assignment cannot be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AssignmentError {
    /// The cost matrix is not square.
    #[error(
        "cost matrix must be square, got [{rows}, {cols}]; pad it with zero-cost rows or columns"
    )]
    NotSquare {
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
    /// An entry of the cost matrix is NaN or infinite.
    #[error("cost matrix entry ({row}, {col}) is {value}; every cost must be finite")]
    NonFiniteCost {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry.
        value: f64,
    },
}

/// Sentinel for "no row" or "no column" in the search below.
const NONE: usize = usize::MAX;

/// Finds the assignment of rows to columns that minimises the total cost.
///
/// # Shapes
/// `cost` is `[n, n]`. An empty matrix gives an empty assignment of cost 0.
///
/// # Errors
/// If `cost` is not square or has a non-finite entry.
pub fn min_cost_assignment(cost: &DMatrix<f64>) -> Result<Assignment, AssignmentError> {
    let (rows, cols) = cost.shape();
    if rows != cols {
        return Err(AssignmentError::NotSquare { rows, cols });
    }
    if let Some(((row, col), &value)) = cost
        .iter()
        .enumerate()
        .map(|(index, value)| ((index % rows, index / rows), value))
        .find(|(_, value)| !value.is_finite())
    {
        return Err(AssignmentError::NonFiniteCost { row, col, value });
    }

    let column_owner = Solver::new(cost).solve();
    let mut permutation = vec![0; rows];
    for (col, &row) in column_owner.iter().enumerate() {
        permutation[row] = col;
    }
    let total = permutation
        .iter()
        .enumerate()
        .map(|(row, &col)| cost[(row, col)])
        .sum();
    Ok(Assignment {
        permutation,
        cost: total,
    })
}

/// State of the shortest-augmenting-path search.
struct Solver<'a> {
    cost: &'a DMatrix<f64>,
    /// Dual potential of each row.
    row_potential: Vec<f64>,
    /// Dual potential of each column.
    column_potential: Vec<f64>,
    /// Row matched to each column, or `NONE`.
    column_owner: Vec<usize>,
}

impl<'a> Solver<'a> {
    fn new(cost: &'a DMatrix<f64>) -> Self {
        let n = cost.nrows();
        Self {
            cost,
            row_potential: vec![0.0; n],
            column_potential: vec![0.0; n],
            column_owner: vec![NONE; n],
        }
    }

    /// Returns the row matched to each column.
    fn solve(mut self) -> Vec<usize> {
        for row in 0..self.cost.nrows() {
            self.add_row(row);
        }
        self.column_owner
    }

    /// Matches `new_row` by augmenting along a shortest path of reduced costs.
    fn add_row(&mut self, new_row: usize) {
        let n = self.cost.nrows();
        // Distance from `new_row` to each column through alternating paths,
        // and the column visited just before it on the shortest path so far
        // (`NONE` means the path starts at `new_row` itself).
        let mut distance = vec![f64::INFINITY; n];
        let mut previous_column = vec![NONE; n];
        let mut settled = vec![false; n];
        // Columns settled in this search, in order, with the distance at
        // which each was settled. Their rows need their potentials raised.
        let mut settled_order: Vec<(usize, f64)> = Vec::new();

        let mut current_row = new_row;
        let mut current_column = NONE;
        let mut current_distance = 0.0;
        let free_column = loop {
            self.relax_from(
                current_row,
                current_column,
                current_distance,
                &settled,
                &mut distance,
                &mut previous_column,
            );
            let next = closest_unsettled(&distance, &settled);
            settled[next] = true;
            settled_order.push((next, distance[next]));
            current_distance = distance[next];
            if self.column_owner[next] == NONE {
                break next;
            }
            current_row = self.column_owner[next];
            current_column = next;
        };

        self.update_potentials(new_row, current_distance, &settled_order);
        self.augment(new_row, free_column, &previous_column);
    }

    /// Lowers the tentative distances of unsettled columns through `row`,
    /// which was reached at `row_distance` via `via_column`.
    fn relax_from(
        &self,
        row: usize,
        via_column: usize,
        row_distance: f64,
        settled: &[bool],
        distance: &mut [f64],
        previous_column: &mut [usize],
    ) {
        for col in 0..self.cost.ncols() {
            if settled[col] {
                continue;
            }
            let reduced =
                self.cost[(row, col)] - self.row_potential[row] - self.column_potential[col];
            let candidate = row_distance + reduced;
            if candidate < distance[col] {
                distance[col] = candidate;
                previous_column[col] = via_column;
            }
        }
    }

    /// Shifts the potentials so that reduced costs stay nonnegative and are
    /// zero along the new matching.
    fn update_potentials(&mut self, new_row: usize, path_length: f64, settled: &[(usize, f64)]) {
        self.row_potential[new_row] += path_length;
        for &(col, settled_distance) in settled {
            let shift = path_length - settled_distance;
            self.column_potential[col] -= shift;
            let owner = self.column_owner[col];
            if owner != NONE {
                self.row_potential[owner] += shift;
            }
        }
    }

    /// Flips the matching along the path that ends at `free_column`.
    fn augment(&mut self, new_row: usize, free_column: usize, previous_column: &[usize]) {
        let mut col = free_column;
        loop {
            let before = previous_column[col];
            if before == NONE {
                self.column_owner[col] = new_row;
                return;
            }
            self.column_owner[col] = self.column_owner[before];
            col = before;
        }
    }
}

/// Index of the smallest distance among unsettled columns.
fn closest_unsettled(distance: &[f64], settled: &[bool]) -> usize {
    let mut best = NONE;
    for col in 0..distance.len() {
        if !settled[col] && (best == NONE || distance[col] < distance[best]) {
            best = col;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Minimum total cost over all permutations, by enumeration.
    fn brute_force_cost(cost: &DMatrix<f64>) -> f64 {
        let n = cost.nrows();
        let mut columns: Vec<usize> = (0..n).collect();
        let mut best = f64::INFINITY;
        visit_permutations(&mut columns, 0, &mut |perm| {
            let total: f64 = perm.iter().enumerate().map(|(i, &j)| cost[(i, j)]).sum();
            best = best.min(total);
        });
        best
    }

    fn visit_permutations(items: &mut [usize], start: usize, visit: &mut impl FnMut(&[usize])) {
        if start == items.len() {
            visit(items);
            return;
        }
        for i in start..items.len() {
            items.swap(start, i);
            visit_permutations(items, start + 1, visit);
            items.swap(start, i);
        }
    }

    fn assert_is_permutation(permutation: &[usize]) {
        let mut seen = vec![false; permutation.len()];
        for &col in permutation {
            assert!(!seen[col], "column {col} assigned twice in {permutation:?}");
            seen[col] = true;
        }
    }

    #[test]
    fn assignment_matches_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for n in 1..=7 {
            for _ in 0..20 {
                let cost = DMatrix::from_fn(n, n, |_, _| rng.random_range(-5.0..10.0));
                let assignment = min_cost_assignment(&cost).unwrap();

                assert_is_permutation(&assignment.permutation);
                let recomputed: f64 = assignment
                    .permutation
                    .iter()
                    .enumerate()
                    .map(|(i, &j)| cost[(i, j)])
                    .sum();
                assert_eq!(assignment.cost, recomputed);
                let best = brute_force_cost(&cost);
                assert!(
                    (assignment.cost - best).abs() < 1e-9,
                    "n = {n}: got {}, brute force {best}",
                    assignment.cost
                );
            }
        }
    }

    #[test]
    fn assignment_handles_ties() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        for _ in 0..50 {
            let cost = DMatrix::from_fn(6, 6, |_, _| f64::from(rng.random_range(0..3)));
            let assignment = min_cost_assignment(&cost).unwrap();

            assert_is_permutation(&assignment.permutation);
            assert_eq!(assignment.cost, brute_force_cost(&cost));
        }
    }

    #[test]
    fn assignment_recovers_planted_permutation() {
        let planted = [3, 0, 4, 1, 2];
        let cost = DMatrix::from_fn(5, 5, |i, j| if planted[i] == j { 0.0 } else { 1.0 });
        let assignment = min_cost_assignment(&cost).unwrap();

        assert_eq!(assignment.permutation, planted);
        assert_eq!(assignment.cost, 0.0);
    }

    #[test]
    fn assignment_of_empty_matrix_is_empty() {
        let assignment = min_cost_assignment(&DMatrix::zeros(0, 0)).unwrap();

        assert!(assignment.permutation.is_empty());
        assert_eq!(assignment.cost, 0.0);
    }

    #[test]
    fn assignment_rejects_rectangular_cost() {
        let error = min_cost_assignment(&DMatrix::zeros(2, 3)).unwrap_err();

        assert_eq!(
            error.to_string(),
            "cost matrix must be square, got [2, 3]; pad it with zero-cost rows or columns"
        );
    }

    #[test]
    fn assignment_rejects_nan_cost() {
        let mut cost = DMatrix::zeros(3, 3);
        cost[(2, 1)] = f64::NAN;
        let error = min_cost_assignment(&cost).unwrap_err();

        assert_eq!(
            error.to_string(),
            "cost matrix entry (2, 1) is NaN; every cost must be finite"
        );
    }
}
