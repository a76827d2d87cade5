//! Reverse-mode jets through burn's `Autodiff` backend.
//!
//! Each tap coordinate `i` costs one forward and one backward pass: the
//! gradient of `Σ_n z_l[n, i]` with respect to the batch of base points is row
//! `i` of every `J_l(x_n)` at once, because zoo pipelines act on each row of a
//! batch independently. The rows are then multiplied by the design.

use burn::tensor::backend::AutodiffBackend;
use mojet_models::Pipeline;
use mojet_models::host::{to_matrix, to_tensor};
use nalgebra::DMatrix;

use crate::design::Design;
use crate::jet::TapJet;

/// Full Jacobians of every tap at every base point.
///
/// # Shapes
/// - `base_points`: `[N, d]`
/// - returns: per tap, `N` matrices `[m_l, d]`
pub fn jacobians<B: AutodiffBackend>(
    model: &dyn Pipeline<B>,
    base_points: &DMatrix<f64>,
    device: &B::Device,
) -> Vec<Vec<DMatrix<f64>>> {
    let (n, d) = base_points.shape();
    let x0 = to_tensor::<B>(base_points, device);
    let taps = model.taps();
    let mut out = Vec::with_capacity(taps.len());
    for (l, tap) in taps.iter().enumerate() {
        let mut per_point = vec![DMatrix::zeros(tap.width, d); n];
        for i in 0..tap.width {
            let x = x0.clone().detach().require_grad();
            let z = model.forward_taps(x.clone()).swap_remove(l);
            let grads = z.slice([0..n, i..i + 1]).sum().backward();
            // A tap that does not depend on the input has no gradient: its rows are zero.
            let Some(rows) = x.grad(&grads) else { continue };
            let rows = to_matrix(rows);
            for (point, jacobian) in per_point.iter_mut().enumerate() {
                jacobian.row_mut(i).copy_from(&rows.row(point));
            }
        }
        out.push(per_point);
    }
    out
}

/// Jets of every tap by reverse mode: `J_l(x_n) U(x_n)`.
///
/// # Shapes
/// - `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`
/// - returns: one [`TapJet`] per tap, `[N, m_l, K]`
pub fn reverse_jets<B: AutodiffBackend>(
    model: &dyn Pipeline<B>,
    base_points: &DMatrix<f64>,
    design: &Design,
    device: &B::Device,
) -> Vec<TapJet> {
    let jacobians = jacobians(model, base_points, device);
    model
        .taps()
        .into_iter()
        .zip(jacobians)
        .map(|(tap, per_point)| TapJet {
            tap: tap.name,
            values: per_point
                .iter()
                .zip(&design.directions)
                .map(|(jacobian, directions)| jacobian * directions)
                .collect(),
        })
        .collect()
}
