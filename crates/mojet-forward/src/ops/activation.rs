//! Activation ops of [`Forward`] and their tangent rules.
//!
//! The primal is `B`'s own activation, so a model computes the same values on `Forward<B>` as
//! on `B`. `prelu`, `softmin` and the `*_backward` methods keep burn's default bodies, which
//! compose the float ops of `Forward` and so get their tangents from those rules.

use std::f64::consts::PI;

use burn::tensor::backend::Backend;
use burn::tensor::ops::{ActivationOps, FloatTensor};
use burn::tensor::{Scalar, TensorMetadata, get_device_settings};

use crate::rules::elementwise;
use crate::tangent::{self, scalar};
use crate::{Forward, ForwardTensor};

/// Returns a derivative that is `inside` where `mask` is false and `outside` where it is true.
fn two_valued<B: Backend>(
    like: &FloatTensor<B>,
    mask: burn::tensor::ops::BoolTensor<B>,
    inside: f64,
    outside: f64,
) -> FloatTensor<B> {
    let device = B::float_device(like);
    let filled = B::float_full(like.shape(), scalar(inside), &device, like.dtype().into());
    B::float_mask_fill(filled, mask, scalar(outside))
}

fn bool_dtype<B: Backend>(tensor: &FloatTensor<B>) -> burn::tensor::BoolDType {
    get_device_settings::<B>(&B::float_device(tensor)).bool_dtype
}

impl<B: Backend> ActivationOps<Self> for Forward<B> {
    fn leaky_relu(tensor: FloatTensor<Self>, negative_slope: Scalar) -> FloatTensor<Self> {
        elementwise(
            tensor,
            |x| B::leaky_relu(x, negative_slope),
            |x, _| {
                let negative = B::float_lower_elem(x.clone(), scalar(0.0), bool_dtype::<B>(&x));
                two_valued::<B>(&x, negative, 1.0, negative_slope.elem::<f64>())
            },
        )
    }

    fn relu(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // The derivative at 0 is taken as 0, as burn's `relu_backward` does.
        elementwise(tensor, B::relu, |x, _| {
            let inactive = B::float_lower_equal_elem(x.clone(), scalar(0.0), bool_dtype::<B>(&x));
            two_valued::<B>(&x, inactive, 1.0, 0.0)
        })
    }

    fn gelu(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // gelu(x) = x Φ(x), so d gelu(x) = (Φ(x) + x φ(x)) dx with the standard normal φ, Φ.
        elementwise(tensor, B::gelu, |x, _| {
            let scaled = B::float_mul_scalar(x.clone(), scalar(std::f64::consts::FRAC_1_SQRT_2));
            let cdf = B::float_mul_scalar(
                B::float_add_scalar(B::float_erf(scaled), scalar(1.0)),
                scalar(0.5),
            );
            let square = B::float_mul(x.clone(), x.clone());
            let density = B::float_mul_scalar(
                B::float_exp(B::float_mul_scalar(square, scalar(-0.5))),
                scalar(1.0 / (2.0 * PI).sqrt()),
            );
            B::float_add(cdf, B::float_mul(x, density))
        })
    }

    fn sigmoid(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d sigmoid(x) = s (1 - s) dx with s = sigmoid(x)
        elementwise(tensor, B::sigmoid, |_, s| {
            let complement = B::float_add_scalar(B::float_neg(s.clone()), scalar(1.0));
            B::float_mul(s, complement)
        })
    }

    fn hard_sigmoid(tensor: FloatTensor<Self>, alpha: Scalar, beta: Scalar) -> FloatTensor<Self> {
        // The slope is alpha where alpha·x + beta lies inside (0, 1) and zero where clamped.
        elementwise(
            tensor,
            |x| B::hard_sigmoid(x, alpha, beta),
            |x, _| {
                let dtype = bool_dtype::<B>(&x);
                let affine = B::float_add_scalar(B::float_mul_scalar(x.clone(), alpha), beta);
                let below = B::float_lower_equal_elem(affine.clone(), scalar(0.0), dtype);
                let above = B::float_greater_equal_elem(affine, scalar(1.0), dtype);
                two_valued::<B>(&x, B::bool_or(below, above), alpha.elem::<f64>(), 0.0)
            },
        )
    }

    fn log_sigmoid(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d log(sigmoid(x)) = (1 - sigmoid(x)) dx, with sigmoid(x) = exp(y) taken from the
        // output because some backends compute `sigmoid` itself in f32 (burn-ndarray 0.21).
        elementwise(tensor, B::log_sigmoid, |_, y| {
            B::float_add_scalar(B::float_neg(B::float_exp(y)), scalar(1.0))
        })
    }

    fn softmax(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        // d s = s ⊙ (dx - Σ_dim s ⊙ dx)
        let (x, x_tangent) = tensor.into_parts();
        let output = B::softmax(x, dim);
        let output_tangent = x_tangent.map(|t| {
            let weighted = tangent::scale::<B>(t.clone(), output.clone());
            let expected = B::float_sum_dim(weighted, dim + 1);
            tangent::scale::<B>(B::float_sub(t, expected), output.clone())
        });
        ForwardTensor::dual(output, output_tangent)
    }

    fn log_softmax(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        // d log_softmax(x) = dx - Σ_dim softmax(x) ⊙ dx
        let (x, x_tangent) = tensor.into_parts();
        let output = B::log_softmax(x, dim);
        let output_tangent = x_tangent.map(|t| {
            let probabilities = B::float_exp(output.clone());
            let weighted = tangent::scale::<B>(t.clone(), probabilities);
            B::float_sub(t, B::float_sum_dim(weighted, dim + 1))
        });
        ForwardTensor::dual(output, output_tangent)
    }
}
