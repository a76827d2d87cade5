//! Forward-mode jets through the [`Forward`] backend decorator: one pass of
//! the pipeline carries all `K` directions of every base point, and every tap
//! comes out with its jet.

use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use mojet_forward::{Forward, MissingRule, dual, tangent, try_jvp};
use mojet_models::Pipeline;
use mojet_models::host::to_tensor;
use nalgebra::DMatrix;

use crate::design::Design;
use crate::jet::TapJet;

/// Jets of every tap by forward mode: `J_l(x_n) U(x_n)`.
///
/// # Shapes
/// - `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`
/// - returns: one [`TapJet`] per tap, `[N, m_l, K]`
///
/// # Errors
/// [`MissingRule`] naming the first operation of the model that has no
/// tangent rule.
pub fn forward_jets<B: Backend>(
    model: &dyn Pipeline<Forward<B>>,
    base_points: &DMatrix<f64>,
    design: &Design,
    device: &B::Device,
) -> Result<Vec<TapJet>, MissingRule> {
    let (n, d) = base_points.shape();
    let k = design.directions_per_point();
    let x = to_tensor::<B>(base_points, device);
    let directions = directions_tensor::<B>(design, n, d, k, device);
    let lifted = dual(x, directions).expect("the directions are [K, N, d] like the base points");
    let taps = try_jvp(|| model.forward_taps(lifted))?;

    let mut jets = Vec::with_capacity(taps.len());
    for (spec, value) in model.taps().into_iter().zip(&taps) {
        let values = match tangent::<B, 2, 3>(value) {
            Some(tangents) => per_point(tangents, n, spec.width, k),
            // A tap that does not depend on the input has a zero jet.
            None => vec![DMatrix::zeros(spec.width, k); n],
        };
        jets.push(TapJet {
            tap: spec.name,
            values,
        });
    }
    Ok(jets)
}

/// Builds the `[K, N, d]` tangent of the base points from the design.
fn directions_tensor<B: Backend>(
    design: &Design,
    n: usize,
    d: usize,
    k: usize,
    device: &B::Device,
) -> Tensor<B, 3> {
    let mut values = vec![0.0; k * n * d];
    for (point, u) in design.directions.iter().enumerate() {
        for j in 0..k {
            for i in 0..d {
                values[(j * n + point) * d + i] = u[(i, j)];
            }
        }
    }
    Tensor::from_data(TensorData::new(values, [k, n, d]), device)
}

/// Splits `[K, N, m]` tangents into `N` matrices `[m, K]`.
fn per_point<B: Backend>(
    tangents: Tensor<B, 3>,
    n: usize,
    m: usize,
    k: usize,
) -> Vec<DMatrix<f64>> {
    let values = tangents
        .into_data()
        .convert::<f64>()
        .into_vec::<f64>()
        .expect("a converted tensor holds f64 values");
    (0..n)
        .map(|point| DMatrix::from_fn(m, k, |i, j| values[(j * n + point) * m + i]))
        .collect()
}
