//! Seeded, host-side parameter initialisation.
//!
//! Drawing initial weights on the host from one seeded generator makes a
//! seed give the same model on every backend, and keeps initialisation out of
//! burn's global backend RNG, which tests running in parallel would share.

use burn::module::Param;
use burn::nn::Linear;
use burn::tensor::{Tensor, TensorData, backend::Backend};
use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::host::to_tensor;

/// Builds a `Linear` layer with weights and bias drawn from
/// `U(-1/sqrt(d_input), 1/sqrt(d_input))`, the usual fan-in scale.
pub fn linear_layer<B: Backend>(
    rng: &mut ChaCha8Rng,
    d_input: usize,
    d_output: usize,
    bias: bool,
    device: &B::Device,
) -> Linear<B> {
    let bound = 1.0 / (d_input as f64).sqrt();
    let weight = DMatrix::from_fn(d_input, d_output, |_, _| rng.random_range(-bound..bound));
    let bias = bias.then(|| {
        let values: Vec<f64> = (0..d_output)
            .map(|_| rng.random_range(-bound..bound))
            .collect();
        bias_vector::<B>(&values, device)
    });
    Linear {
        weight: Param::from_tensor(to_tensor(&weight, device)),
        bias: bias.map(Param::from_tensor),
    }
}

/// Builds a `Linear` layer computing `y = M x + c` from host values.
///
/// # Shapes
/// - `matrix`: `[d_output, d_input]` (the math layout; burn stores its transpose)
/// - `bias`: `d_output` values
pub fn linear_from_matrix<B: Backend>(
    matrix: &DMatrix<f64>,
    bias: Option<&[f64]>,
    device: &B::Device,
) -> Linear<B> {
    Linear {
        weight: Param::from_tensor(to_tensor(&matrix.transpose(), device)),
        bias: bias.map(|values| Param::from_tensor(bias_vector::<B>(values, device))),
    }
}

fn bias_vector<B: Backend>(values: &[f64], device: &B::Device) -> Tensor<B, 1> {
    Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), device)
}

/// Builds a `Linear` layer of the same shape as `layer` on another backend,
/// with zero weights, as a target for lifting or loading `layer`'s values.
pub fn linear_skeleton<B: Backend, B2: Backend>(
    layer: &Linear<B>,
    device: &B2::Device,
) -> Linear<B2> {
    let [d_input, d_output] = layer.weight.dims();
    Linear {
        weight: Param::from_tensor(Tensor::zeros([d_input, d_output], device)),
        bias: layer
            .bias
            .as_ref()
            .map(|_| Param::from_tensor(Tensor::zeros([d_output], device))),
    }
}

/// Wraps `tensor` in a parameter that no optimiser updates.
///
/// The value is still a `Param`, so records save it and module visitors (the
/// forward-mode lift among them) see it, unlike a plain tensor field.
pub fn frozen<B: Backend, const D: usize>(tensor: Tensor<B, D>) -> Param<Tensor<B, D>> {
    Param::from_tensor(tensor).set_require_grad(false)
}
