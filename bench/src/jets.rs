//! mojet's side of the benchmark: forward-mode jets of every tap through the
//! `Forward` backend decorator, over chunks of base points, copied into host
//! arrays of `f32`.

use anyhow::Context;
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use mojet_forward::{Forward, dual, into_tangent, lift_module, try_jvp};
use mojet_models::Pipeline;
use ndarray::{Array3, ArrayView2, ArrayView3, Axis, s};

use crate::model::{Mlp, Weights};

/// Builds the MLP on `B` and lifts it into `Forward<B>`, as a user lifts a
/// trained model.
///
/// # Errors
/// Fails when the lifted module does not match the source, which would be a
/// bug in [`Mlp::new`].
pub fn lifted_model<B: Backend>(
    weights: &Weights,
    device: &B::Device,
) -> anyhow::Result<Mlp<Forward<B>>> {
    let model = Mlp::<B>::new(weights, device);
    let target = Mlp::<Forward<B>>::new(weights, device);
    lift_module(&model, target).context("lifting the MLP into Forward")
}

/// Computes the jets of every tap for all base points, `chunk_size` points
/// per forward pass.
///
/// # Shapes
/// - `x`: `[N, d]`; `u`: `[K, N, d]`
/// - returns: one `[K, N, m_l]` array per tap
///
/// # Errors
/// Fails when an op of the model has no tangent rule.
pub fn jets<B: Backend>(
    model: &Mlp<Forward<B>>,
    x: ArrayView2<f32>,
    u: ArrayView3<f32>,
    chunk_size: usize,
    device: &B::Device,
) -> anyhow::Result<Vec<Array3<f32>>> {
    let points = x.nrows();
    if chunk_size >= points {
        return chunk_jets(model, x, u, device);
    }
    let directions = u.len_of(Axis(0));
    let mut output: Vec<Array3<f32>> = model
        .taps()
        .iter()
        .map(|tap| Array3::zeros((directions, points, tap.width)))
        .collect();
    for start in (0..points).step_by(chunk_size) {
        let end = (start + chunk_size).min(points);
        let chunk = chunk_jets(
            model,
            x.slice(s![start..end, ..]),
            u.slice(s![.., start..end, ..]),
            device,
        )?;
        for (full, part) in output.iter_mut().zip(chunk) {
            full.slice_mut(s![.., start..end, ..]).assign(&part);
        }
    }
    Ok(output)
}

/// Computes the jets of every tap for one chunk of base points in one pass.
///
/// # Shapes
/// - `x`: `[C, d]`; `u`: `[K, C, d]`
/// - returns: one `[K, C, m_l]` array per tap
///
/// # Errors
/// Fails when an op of the model has no tangent rule.
pub fn chunk_jets<B: Backend>(
    model: &Mlp<Forward<B>>,
    x: ArrayView2<f32>,
    u: ArrayView3<f32>,
    device: &B::Device,
) -> anyhow::Result<Vec<Array3<f32>>> {
    let (directions, points, input) = u.dim();
    let x = Tensor::<B, 2>::from_data(
        TensorData::new(x.iter().copied().collect(), [points, input]),
        device,
    );
    let u = Tensor::<B, 3>::from_data(
        TensorData::new(u.iter().copied().collect(), [directions, points, input]),
        device,
    );
    let lifted = dual(x, u).context("lifting the base points")?;
    let taps = try_jvp(|| model.forward_taps(lifted))?;

    let mut jets = Vec::with_capacity(taps.len());
    // Consuming each tap leaves its tangents unshared, so reading them moves
    // the buffer instead of copying it.
    for (spec, value) in model.taps().iter().zip(taps) {
        let shape = (directions, points, spec.width);
        let jet = match into_tangent::<B, 2, 3>(value) {
            Some(tangents) => {
                let values = tangents.into_data().into_vec::<f32>().map_err(|error| {
                    anyhow::anyhow!("reading the jet of {}: {error:?}", spec.name)
                })?;
                Array3::from_shape_vec(shape, values)?
            }
            // A tap that does not depend on the input has a zero jet.
            None => Array3::zeros(shape),
        };
        jets.push(jet);
    }
    Ok(jets)
}
