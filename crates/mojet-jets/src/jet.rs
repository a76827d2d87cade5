//! The jet of a tap: `J_l(x) U(x)` at every base point.

use nalgebra::DMatrix;

/// The jets of one tap at every base point.
///
/// # Shapes
/// `values[n]` is `J_l(x_n) U(x_n)`, of shape `[m, K]`, so the whole jet is
/// `[N, m, K]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TapJet {
    /// Name of the tap, as the pipeline reports it.
    pub tap: String,
    /// One `[m, K]` matrix per base point.
    pub values: Vec<DMatrix<f64>>,
}

impl TapJet {
    /// Width `m` of the tap.
    pub fn width(&self) -> usize {
        self.values.first().map_or(0, |v| v.nrows())
    }

    /// Number of directions `K` per base point.
    pub fn directions(&self) -> usize {
        self.values.first().map_or(0, |v| v.ncols())
    }

    /// Stacks the base points side by side: `M = [J(x_1)U … J(x_N)U]`.
    ///
    /// # Shapes
    /// Returns `[m, N·K]`.
    pub fn stacked(&self) -> DMatrix<f64> {
        let (m, k) = (self.width(), self.directions());
        let mut out = DMatrix::zeros(m, k * self.values.len());
        for (n, value) in self.values.iter().enumerate() {
            out.view_mut((0, n * k), (m, k)).copy_from(value);
        }
        out
    }
}
