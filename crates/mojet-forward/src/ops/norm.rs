//! Tangent rule of layer normalization.

use burn::tensor::backend::Backend;
use burn::tensor::ops::FloatTensor;
use burn::tensor::{Shape, TensorMetadata};

use crate::tangent::{self, lead, scalar};
use crate::tensor::ForwardTensor;

/// Reshapes a parameter tangent `[K, d]` to `[K, 1, ..., 1, d]` for outputs of rank `rank`.
fn parameter_tangent<B: Backend>(tangent: FloatTensor<B>, rank: usize) -> FloatTensor<B> {
    let shape = tangent.shape();
    let mut dims = vec![1; rank + 1];
    dims[0] = shape[0];
    dims[rank] = shape[1];
    B::float_reshape(tangent, Shape::from(dims))
}

/// Reshapes a parameter `[d]` to `[1, ..., 1, d]` of rank `rank`.
fn parameter<B: Backend>(primal: FloatTensor<B>, rank: usize) -> FloatTensor<B> {
    let d = primal.shape()[0];
    let mut dims = vec![1; rank];
    dims[rank - 1] = d;
    B::float_reshape(primal, Shape::from(dims))
}

/// Layer normalization over the last axis: `y = (x - mean) / sqrt(var + epsilon) · gamma + beta`.
///
/// With `n` the normalized input and `s = sqrt(var + epsilon)`, the input tangent is
/// `dn = (dc - n · mean(n · dc)) / s` for the centred tangent `dc = dx - mean(dx)`, and
/// `dy = dn · gamma + n · dgamma + dbeta`.
///
/// # Shapes
///
/// - `tensor`: `[..., d]`, tangent `[K, ..., d]`
/// - `gamma`, `beta`: `[d]`, tangents `[K, d]`
pub(super) fn layer_norm<B: Backend>(
    tensor: ForwardTensor<B>,
    gamma: ForwardTensor<B>,
    beta: Option<ForwardTensor<B>>,
    epsilon: f64,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let (gamma, gamma_tangent) = gamma.into_parts();
    let (beta, beta_tangent) = match beta {
        Some(beta) => {
            let (primal, tangent) = beta.into_parts();
            (Some(primal), tangent)
        }
        None => (None, None),
    };
    let k = tangent::common_directions::<B>(
        "layer_norm",
        [
            x_tangent.as_ref(),
            gamma_tangent.as_ref(),
            beta_tangent.as_ref(),
        ],
    );
    let output = B::layer_norm(x.clone(), gamma.clone(), beta, epsilon);
    if k.is_none() {
        return ForwardTensor::constant(output);
    }

    let rank = x.shape().num_dims();
    let last = rank - 1;
    let needs_normalized = x_tangent.is_some() || gamma_tangent.is_some();
    let (normalized, deviation) = if needs_normalized {
        let centred = B::float_sub(x.clone(), B::float_mean_dim(x, last));
        let variance = B::float_mean_dim(B::float_mul(centred.clone(), centred.clone()), last);
        let deviation = B::float_sqrt(B::float_add_scalar(variance, scalar(epsilon)));
        (
            Some(B::float_div(centred, deviation.clone())),
            Some(deviation),
        )
    } else {
        (None, None)
    };

    let input_term = x_tangent.map(|t| {
        let normalized = lead::<B>(normalized.clone().expect("computed for an input tangent"));
        let deviation = lead::<B>(deviation.expect("computed for an input tangent"));
        let centred = B::float_sub(t.clone(), B::float_mean_dim(t, last + 1));
        let projection =
            B::float_mean_dim(B::float_mul(normalized.clone(), centred.clone()), last + 1);
        let normalized_tangent = B::float_div(
            B::float_sub(centred, B::float_mul(normalized, projection)),
            deviation,
        );
        B::float_mul(
            normalized_tangent,
            lead::<B>(parameter::<B>(gamma.clone(), rank)),
        )
    });
    let gamma_term = gamma_tangent.map(|t| {
        let normalized = normalized.expect("computed for a gamma tangent");
        tangent::scale::<B>(parameter_tangent::<B>(t, rank), normalized)
    });
    let beta_term = beta_tangent.map(|t| parameter_tangent::<B>(t, rank));

    let output_tangent = tangent::add::<B>("layer_norm", input_term, gamma_term);
    let output_tangent = tangent::add::<B>("layer_norm", output_tangent, beta_term)
        .map(|t| tangent::expand_to::<B>(t, &output.shape()));
    ForwardTensor::dual(output, output_tangent)
}
