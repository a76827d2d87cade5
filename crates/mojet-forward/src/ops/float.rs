//! Float tensor ops of [`Forward`] and their tangent rules.
//!
//! Each method computes the primal with `B` once and, when an input carries tangents, the
//! tangents for all `K` directions with batched ops of `B` on `[K, ...shape]`. Axis arguments
//! shift by one on tangents because of the leading direction axis. The index, reduction and
//! linear-algebra rules that take more than a few lines sit in `index.rs`, `reduce.rs` and
//! `linalg.rs`.

use burn::tensor::backend::{Backend, ExecutionError};
use burn::tensor::ops::{
    BoolTensor, Device, FloatTensor, FloatTensorOps, GridSampleOptions, IntTensor,
};
use burn::tensor::{
    BoolDType, Distribution, FloatDType, IndexingUpdateOp, IntDType, Scalar, Shape, Slice,
    TensorData, TensorMetadata, get_device_settings,
};

use super::{index, linalg, reduce};
use crate::rules::{elementwise, linear, piecewise_constant, primal_without_rule, without_rule};
use crate::tangent::{self, lead, scalar, scale};
use crate::{Forward, ForwardTensor};

/// Returns the bool dtype that `B` uses for masks on the device of `tensor`.
fn bool_dtype<B: Backend>(tensor: &FloatTensor<B>) -> BoolDType {
    get_device_settings::<B>(&B::float_device(tensor)).bool_dtype
}

/// Returns the int dtype that `B` uses for indices on the device of `tensor`.
pub(super) fn int_dtype<B: Backend>(tensor: &FloatTensor<B>) -> IntDType {
    get_device_settings::<B>(&B::float_device(tensor)).int_dtype
}

/// Returns the tangent of a clamp: the input tangent where `keep` is false, zero where the
/// input was clamped.
fn clamp_tangent<B: Backend>(
    x: ForwardTensor<B>,
    clamp: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
    clamped: impl FnOnce(FloatTensor<B>, BoolDType) -> BoolTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = x.into_parts();
    let Some(x_tangent) = x_tangent else {
        return ForwardTensor::constant(clamp(x));
    };
    let k = tangent::directions::<B>(&x_tangent);
    let mask = clamped(x.clone(), bool_dtype::<B>(&x));
    let mask = tangent::expand_bool::<B>(mask, k);
    let output_tangent = B::float_mask_fill(x_tangent, mask, scalar(0.0));
    ForwardTensor::dual(clamp(x), Some(output_tangent))
}

/// Applies `x^exponent` for a scalar exponent through `power`, with derivative
/// `exponent · x^(exponent - 1)` computed through the same `power`.
fn power_scalar<B: Backend>(
    x: ForwardTensor<B>,
    exponent: Scalar,
    power: impl Fn(FloatTensor<B>, Scalar) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    let value = exponent.elem::<f64>();
    if value == 0.0 {
        // x^0 is one everywhere, so its tangent is exactly zero.
        return ForwardTensor::constant(power(x.primal, exponent));
    }
    let reduced = match exponent {
        Scalar::Int(n) => Scalar::Int(n - 1),
        _ => scalar(value - 1.0),
    };
    elementwise(
        x,
        |x| power(x, exponent),
        |x, _| B::float_mul_scalar(power(x, reduced), scalar(value)),
    )
}

impl<B: Backend> FloatTensorOps<Self> for Forward<B> {
    fn float_from_data(data: TensorData, device: &Device<Self>) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_from_data(data, device))
    }

    fn float_random(
        shape: Shape,
        distribution: Distribution,
        device: &Device<Self>,
        dtype: FloatDType,
    ) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_random(shape, distribution, device, dtype))
    }

    fn float_zeros(shape: Shape, device: &Device<Self>, dtype: FloatDType) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_zeros(shape, device, dtype))
    }

    fn float_ones(shape: Shape, device: &Device<Self>, dtype: FloatDType) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_ones(shape, device, dtype))
    }

    fn float_full(
        shape: Shape,
        fill_value: Scalar,
        device: &Device<Self>,
        dtype: FloatDType,
    ) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_full(shape, fill_value, device, dtype))
    }

    // Reading a tensor reads its primal. Tangents are read with `tangent`.
    async fn float_into_data(tensor: FloatTensor<Self>) -> Result<TensorData, ExecutionError> {
        B::float_into_data(tensor.primal).await
    }

    fn float_device(tensor: &FloatTensor<Self>) -> Device<Self> {
        B::float_device(&tensor.primal)
    }

    fn float_to_device(tensor: FloatTensor<Self>, device: &Device<Self>) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_to_device(x, device),
            |t| B::float_to_device(t, device),
        )
    }

    fn float_into_int(tensor: FloatTensor<Self>, out_dtype: IntDType) -> IntTensor<Self> {
        // Int values are piecewise constant in the input: the tangent is zero.
        B::float_into_int(tensor.primal, out_dtype)
    }

    fn float_empty(shape: Shape, device: &Device<Self>, dtype: FloatDType) -> FloatTensor<Self> {
        ForwardTensor::constant(B::float_empty(shape, device, dtype))
    }

    fn float_repeat_dim(tensor: FloatTensor<Self>, dim: usize, times: usize) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_repeat_dim(x, dim, times),
            |t| B::float_repeat_dim(t, dim + 1, times),
        )
    }

    fn float_add(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let output = B::float_add(lhs.primal, rhs.primal);
        let output_tangent = tangent::add::<B>("float_add", lhs.tangent, rhs.tangent)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_add_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        linear(lhs, |x| B::float_add_scalar(x, rhs), |t| t)
    }

    fn float_clamp_min(tensor: FloatTensor<Self>, min: Scalar) -> FloatTensor<Self> {
        clamp_tangent(
            tensor,
            |x| B::float_clamp_min(x, min),
            |x, dtype| B::float_lower_elem(x, min, dtype),
        )
    }

    fn float_clamp_max(tensor: FloatTensor<Self>, max: Scalar) -> FloatTensor<Self> {
        clamp_tangent(
            tensor,
            |x| B::float_clamp_max(x, max),
            |x, dtype| B::float_greater_elem(x, max, dtype),
        )
    }

    fn float_clamp(tensor: FloatTensor<Self>, min: Scalar, max: Scalar) -> FloatTensor<Self> {
        clamp_tangent(
            tensor,
            |x| B::float_clamp(x, min, max),
            |x, dtype| {
                let below = B::float_lower_elem(x.clone(), min, dtype);
                let above = B::float_greater_elem(x, max, dtype);
                B::bool_or(below, above)
            },
        )
    }

    fn float_sub(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let output = B::float_sub(lhs.primal, rhs.primal);
        let rhs_tangent = rhs.tangent.map(B::float_neg);
        let output_tangent = tangent::add::<B>("float_sub", lhs.tangent, rhs_tangent)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_sub_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        linear(lhs, |x| B::float_sub_scalar(x, rhs), |t| t)
    }

    fn float_mul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (x, x_tangent) = lhs.into_parts();
        let (y, y_tangent) = rhs.into_parts();
        let output = B::float_mul(x.clone(), y.clone());
        // Product rule, skipping the term of a known-zero tangent.
        let lhs_term = x_tangent.map(|t| scale::<B>(t, y));
        let rhs_term = y_tangent.map(|t| scale::<B>(t, x));
        let output_tangent = tangent::add::<B>("float_mul", lhs_term, rhs_term)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_mul_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        linear(
            lhs,
            |x| B::float_mul_scalar(x, rhs),
            |t| B::float_mul_scalar(t, rhs),
        )
    }

    fn float_div(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (x, x_tangent) = lhs.into_parts();
        let (y, y_tangent) = rhs.into_parts();
        let output = B::float_div(x, y.clone());
        // d(x / y) = (dx - (x / y) dy) / y
        let rhs_term = y_tangent.map(|t| B::float_neg(scale::<B>(t, output.clone())));
        let numerator = tangent::add::<B>("float_div", x_tangent, rhs_term);
        let output_tangent = numerator
            .map(|t| B::float_div(t, lead::<B>(y)))
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_div_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        linear(
            lhs,
            |x| B::float_div_scalar(x, rhs),
            |t| B::float_div_scalar(t, rhs),
        )
    }

    fn float_remainder(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (x, x_tangent) = lhs.into_parts();
        let (y, y_tangent) = rhs.into_parts();
        // remainder(x, y) = x - y · floor(x / y), and the floor is piecewise constant.
        let rhs_term = y_tangent.map(|t| {
            let quotient = B::float_floor(B::float_div(x.clone(), y.clone()));
            B::float_neg(scale::<B>(t, quotient))
        });
        let output = B::float_remainder(x, y);
        let output_tangent = tangent::add::<B>("float_remainder", x_tangent, rhs_term)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_remainder_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        linear(lhs, |x| B::float_remainder_scalar(x, rhs), |t| t)
    }

    fn float_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        linalg::matmul(lhs, rhs)
    }

    fn float_cross(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        dim: usize,
    ) -> FloatTensor<Self> {
        linalg::cross(lhs, rhs, dim)
    }

    fn float_neg(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        linear(tensor, B::float_neg, B::float_neg)
    }

    fn float_recip(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d(1 / x) = -(1 / x)^2 dx
        elementwise(tensor, B::float_recip, |_, y| {
            B::float_neg(B::float_mul(y.clone(), y))
        })
    }

    fn float_transpose(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // The last two axes of the tangent are the last two axes of the primal.
        linear(tensor, B::float_transpose, B::float_transpose)
    }

    fn float_swap_dims(tensor: FloatTensor<Self>, dim1: usize, dim2: usize) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_swap_dims(x, dim1, dim2),
            |t| B::float_swap_dims(t, dim1 + 1, dim2 + 1),
        )
    }

    fn float_permute(tensor: FloatTensor<Self>, axes: &[usize]) -> FloatTensor<Self> {
        let tangent_axes: Vec<usize> = std::iter::once(0)
            .chain(axes.iter().map(|axis| axis + 1))
            .collect();
        linear(
            tensor,
            |x| B::float_permute(x, axes),
            |t| B::float_permute(t, &tangent_axes),
        )
    }

    fn float_flip(tensor: FloatTensor<Self>, axes: &[usize]) -> FloatTensor<Self> {
        let tangent_axes: Vec<usize> = axes.iter().map(|axis| axis + 1).collect();
        linear(
            tensor,
            |x| B::float_flip(x, axes),
            |t| B::float_flip(t, &tangent_axes),
        )
    }

    fn float_reshape(tensor: FloatTensor<Self>, shape: Shape) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_reshape(x, shape.clone()),
            |t| {
                let k = tangent::directions::<B>(&t);
                B::float_reshape(t, tangent::with_directions(k, &shape))
            },
        )
    }

    fn float_gather(
        dim: usize,
        tensor: FloatTensor<Self>,
        indices: IntTensor<Self>,
    ) -> FloatTensor<Self> {
        index::gather(dim, tensor, indices)
    }

    fn float_scatter_add(
        dim: usize,
        tensor: FloatTensor<Self>,
        indices: IntTensor<Self>,
        value: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        index::scatter_add(dim, tensor, indices, value)
    }

    fn float_scatter_nd(
        data: FloatTensor<Self>,
        indices: IntTensor<Self>,
        values: FloatTensor<Self>,
        reduction: IndexingUpdateOp,
    ) -> FloatTensor<Self> {
        index::scatter_nd(data, indices, values, reduction)
    }

    fn float_gather_nd(data: FloatTensor<Self>, indices: IntTensor<Self>) -> FloatTensor<Self> {
        index::gather_nd(data, indices)
    }

    fn float_select(
        tensor: FloatTensor<Self>,
        dim: usize,
        indices: IntTensor<Self>,
    ) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_select(x, dim, indices.clone()),
            |t| B::float_select(t, dim + 1, indices.clone()),
        )
    }

    fn float_select_add(
        tensor: FloatTensor<Self>,
        dim: usize,
        indices: IntTensor<Self>,
        value: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        index::select_add(tensor, dim, indices, value)
    }

    fn float_slice(tensor: FloatTensor<Self>, slices: &[Slice]) -> FloatTensor<Self> {
        let tangent_slices = index::tangent_slices(slices);
        linear(
            tensor,
            |x| B::float_slice(x, slices),
            |t| B::float_slice(t, &tangent_slices),
        )
    }

    fn float_slice_assign(
        tensor: FloatTensor<Self>,
        slices: &[Slice],
        value: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        index::slice_assign(tensor, slices, value)
    }

    fn float_mask_where(
        tensor: FloatTensor<Self>,
        mask: BoolTensor<Self>,
        value: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        index::mask_where(tensor, mask, value)
    }

    fn float_mask_fill(
        tensor: FloatTensor<Self>,
        mask: BoolTensor<Self>,
        value: Scalar,
    ) -> FloatTensor<Self> {
        index::mask_fill(tensor, mask, value)
    }

    fn float_equal(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_equal(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_not_equal(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_not_equal(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_equal_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_equal_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_not_equal_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_not_equal_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_greater(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_greater(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_greater_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_greater_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_greater_equal(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_greater_equal(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_greater_equal_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_greater_equal_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_lower(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_lower(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_lower_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_lower_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_lower_equal(
        lhs: FloatTensor<Self>,
        rhs: FloatTensor<Self>,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_lower_equal(lhs.primal, rhs.primal, out_dtype)
    }

    fn float_lower_equal_elem(
        lhs: FloatTensor<Self>,
        rhs: Scalar,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_lower_equal_elem(lhs.primal, rhs, out_dtype)
    }

    fn float_detach(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // A detached value is treated as a constant, like `stop_gradient` in JAX.
        ForwardTensor::constant(tensor.primal)
    }

    fn float_sum(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        reduce::sum(tensor)
    }

    fn float_sum_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_sum_dim(x, dim),
            |t| B::float_sum_dim(t, dim + 1),
        )
    }

    fn float_prod(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        reduce::prod(tensor)
    }

    fn float_prod_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        reduce::prod_dim(tensor, dim)
    }

    fn float_mean(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        reduce::mean(tensor)
    }

    fn float_mean_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_mean_dim(x, dim),
            |t| B::float_mean_dim(t, dim + 1),
        )
    }

    fn float_cumsum(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_cumsum(x, dim),
            |t| B::float_cumsum(t, dim + 1),
        )
    }

    fn float_cumprod(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        without_rule("float_cumprod", tensor, |x| B::float_cumprod(x, dim))
    }

    fn float_cummin(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        without_rule("float_cummin", tensor, |x| B::float_cummin(x, dim))
    }

    fn float_cummax(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        without_rule("float_cummax", tensor, |x| B::float_cummax(x, dim))
    }

    fn float_cast(tensor: FloatTensor<Self>, dtype: FloatDType) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_cast(x, dtype),
            |t| B::float_cast(t, dtype),
        )
    }

    fn float_exp(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_exp, |_, y| y)
    }

    fn float_log(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_log, |x, _| B::float_recip(x))
    }

    fn float_log1p(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_log1p, |x, _| {
            B::float_recip(B::float_add_scalar(x, scalar(1.0)))
        })
    }

    fn float_powf(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        let (x, x_tangent) = lhs.into_parts();
        let (y, y_tangent) = rhs.into_parts();
        let output = B::float_powf(x.clone(), y.clone());
        // d(x^y) = y x^(y-1) dx + x^y ln(x) dy
        let lhs_term = x_tangent.map(|t| {
            let reduced = B::float_powf(x.clone(), B::float_sub_scalar(y.clone(), scalar(1.0)));
            scale::<B>(t, B::float_mul(y.clone(), reduced))
        });
        // NOTE: at x = 0 the ln(x) factor makes this term NaN even where x^y is flat in y.
        let rhs_term =
            y_tangent.map(|t| scale::<B>(t, B::float_mul(output.clone(), B::float_log(x))));
        let output_tangent = tangent::add::<B>("float_powf", lhs_term, rhs_term)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_powi(lhs: FloatTensor<Self>, rhs: IntTensor<Self>) -> FloatTensor<Self> {
        // The exponent is an int tensor, so only the base carries tangents.
        let exponent = B::int_into_float(rhs.clone(), lhs.dtype().into());
        elementwise(
            lhs,
            |x| B::float_powi(x, rhs),
            |x, _| {
                let reduced = B::float_powf(x, B::float_sub_scalar(exponent.clone(), scalar(1.0)));
                B::float_mul(exponent, reduced)
            },
        )
    }

    fn float_powi_scalar(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        power_scalar(lhs, rhs, B::float_powi_scalar)
    }

    fn float_powi_scalar_impl(lhs: FloatTensor<Self>, rhs: Scalar) -> FloatTensor<Self> {
        power_scalar(lhs, rhs, B::float_powi_scalar_impl)
    }

    fn float_powf_scalar(tensor: FloatTensor<Self>, value: Scalar) -> FloatTensor<Self> {
        power_scalar(tensor, value, B::float_powf_scalar)
    }

    fn float_powf_scalar_impl(tensor: FloatTensor<Self>, value: Scalar) -> FloatTensor<Self> {
        power_scalar(tensor, value, B::float_powf_scalar_impl)
    }

    fn float_sqrt(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d sqrt(x) = dx / (2 sqrt(x))
        elementwise(tensor, B::float_sqrt, |_, y| {
            B::float_recip(B::float_mul_scalar(y, scalar(2.0)))
        })
    }

    fn float_abs(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // sign(0) = 0 picks the zero subgradient at the kink.
        elementwise(tensor, B::float_abs, |x, _| B::float_sign(x))
    }

    fn float_cos(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_cos, |x, _| B::float_neg(B::float_sin(x)))
    }

    fn float_sin(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_sin, |x, _| B::float_cos(x))
    }

    fn float_tan(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d tan(x) = (1 + tan(x)^2) dx
        elementwise(tensor, B::float_tan, |_, y| {
            B::float_add_scalar(B::float_mul(y.clone(), y), scalar(1.0))
        })
    }

    fn float_cosh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_cosh, |x, _| B::float_sinh(x))
    }

    fn float_sinh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        elementwise(tensor, B::float_sinh, |x, _| B::float_cosh(x))
    }

    fn float_tanh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d tanh(x) = (1 - tanh(x)^2) dx
        elementwise(tensor, B::float_tanh, |_, y| {
            let square = B::float_mul(y.clone(), y);
            B::float_add_scalar(B::float_neg(square), scalar(1.0))
        })
    }

    fn float_acos(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d acos(x) = -dx / sqrt(1 - x^2)
        elementwise(tensor, B::float_acos, |x, _| {
            let square = B::float_mul(x.clone(), x);
            let root = B::float_sqrt(B::float_add_scalar(B::float_neg(square), scalar(1.0)));
            B::float_neg(B::float_recip(root))
        })
    }

    fn float_acosh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d acosh(x) = dx / sqrt(x^2 - 1)
        elementwise(tensor, B::float_acosh, |x, _| {
            let square = B::float_mul(x.clone(), x);
            B::float_recip(B::float_sqrt(B::float_sub_scalar(square, scalar(1.0))))
        })
    }

    fn float_asin(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d asin(x) = dx / sqrt(1 - x^2)
        elementwise(tensor, B::float_asin, |x, _| {
            let square = B::float_mul(x.clone(), x);
            let root = B::float_sqrt(B::float_add_scalar(B::float_neg(square), scalar(1.0)));
            B::float_recip(root)
        })
    }

    fn float_asinh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d asinh(x) = dx / sqrt(x^2 + 1)
        elementwise(tensor, B::float_asinh, |x, _| {
            let square = B::float_mul(x.clone(), x);
            B::float_recip(B::float_sqrt(B::float_add_scalar(square, scalar(1.0))))
        })
    }

    fn float_atan(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d atan(x) = dx / (1 + x^2)
        elementwise(tensor, B::float_atan, |x, _| {
            let square = B::float_mul(x.clone(), x);
            B::float_recip(B::float_add_scalar(square, scalar(1.0)))
        })
    }

    fn float_atanh(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d atanh(x) = dx / (1 - x^2)
        elementwise(tensor, B::float_atanh, |x, _| {
            let square = B::float_mul(x.clone(), x);
            B::float_recip(B::float_add_scalar(B::float_neg(square), scalar(1.0)))
        })
    }

    fn float_atan2(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        linalg::atan2(lhs, rhs)
    }

    fn float_round(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        piecewise_constant(tensor, B::float_round)
    }

    fn float_floor(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        piecewise_constant(tensor, B::float_floor)
    }

    fn float_ceil(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        piecewise_constant(tensor, B::float_ceil)
    }

    fn float_trunc(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        piecewise_constant(tensor, B::float_trunc)
    }

    fn float_erf(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        // d erf(x) = 2 / sqrt(pi) · exp(-x^2) dx
        elementwise(tensor, B::float_erf, |x, _| {
            let square = B::float_mul(x.clone(), x);
            let density = B::float_exp(B::float_neg(square));
            B::float_mul_scalar(density, scalar(std::f64::consts::FRAC_2_SQRT_PI))
        })
    }

    fn float_cat(tensors: Vec<FloatTensor<Self>>, dim: usize) -> FloatTensor<Self> {
        index::cat(tensors, dim)
    }

    fn float_argmax(tensor: FloatTensor<Self>, dim: usize, out_dtype: IntDType) -> IntTensor<Self> {
        B::float_argmax(tensor.primal, dim, out_dtype)
    }

    fn float_argtopk(
        tensor: FloatTensor<Self>,
        dim: usize,
        k: usize,
        out_dtype: IntDType,
    ) -> IntTensor<Self> {
        B::float_argtopk(tensor.primal, dim, k, out_dtype)
    }

    fn float_topk(tensor: FloatTensor<Self>, dim: usize, k: usize) -> FloatTensor<Self> {
        reduce::topk(tensor, dim, k)
    }

    fn float_argmin(tensor: FloatTensor<Self>, dim: usize, out_dtype: IntDType) -> IntTensor<Self> {
        B::float_argmin(tensor.primal, dim, out_dtype)
    }

    fn float_max(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        reduce::extremum(tensor, B::float_max_dim_with_indices)
    }

    fn float_max_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        let dtype = int_dtype::<B>(&tensor.primal);
        reduce::extremum_dim(tensor, dim, dtype, B::float_max_dim_with_indices).0
    }

    fn float_max_dim_with_indices(
        tensor: FloatTensor<Self>,
        dim: usize,
        indices_dtype: IntDType,
    ) -> (FloatTensor<Self>, IntTensor<Self>) {
        reduce::extremum_dim(tensor, dim, indices_dtype, B::float_max_dim_with_indices)
    }

    fn float_min(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        reduce::extremum(tensor, B::float_min_dim_with_indices)
    }

    fn float_min_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        let dtype = int_dtype::<B>(&tensor.primal);
        reduce::extremum_dim(tensor, dim, dtype, B::float_min_dim_with_indices).0
    }

    fn float_min_dim_with_indices(
        tensor: FloatTensor<Self>,
        dim: usize,
        indices_dtype: IntDType,
    ) -> (FloatTensor<Self>, IntTensor<Self>) {
        reduce::extremum_dim(tensor, dim, indices_dtype, B::float_min_dim_with_indices)
    }

    fn float_max_abs(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        Self::float_max(Self::float_abs(tensor))
    }

    fn float_max_abs_dim(tensor: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        Self::float_max_dim(Self::float_abs(tensor), dim)
    }

    fn float_any(tensor: FloatTensor<Self>, out_dtype: BoolDType) -> BoolTensor<Self> {
        B::float_any(tensor.primal, out_dtype)
    }

    fn float_any_dim(
        tensor: FloatTensor<Self>,
        dim: usize,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_any_dim(tensor.primal, dim, out_dtype)
    }

    fn float_all(tensor: FloatTensor<Self>, out_dtype: BoolDType) -> BoolTensor<Self> {
        B::float_all(tensor.primal, out_dtype)
    }

    fn float_all_dim(
        tensor: FloatTensor<Self>,
        dim: usize,
        out_dtype: BoolDType,
    ) -> BoolTensor<Self> {
        B::float_all_dim(tensor.primal, dim, out_dtype)
    }

    fn float_sign(tensor: FloatTensor<Self>) -> FloatTensor<Self> {
        piecewise_constant(tensor, B::float_sign)
    }

    fn float_expand(tensor: FloatTensor<Self>, shape: Shape) -> FloatTensor<Self> {
        let rank = tensor.shape().num_dims();
        linear(
            tensor,
            |x| B::float_expand(x, shape.clone()),
            |t| {
                // Broadcasting aligns trailing axes, so new leading axes go after the direction
                // axis before the expansion: [K, ...shape] becomes [K, 1, ..., 1, ...shape].
                let k = tangent::directions::<B>(&t);
                let t_shape = t.shape();
                let added = shape.num_dims().saturating_sub(rank);
                let mut dims = vec![k];
                dims.extend(std::iter::repeat_n(1, added));
                dims.extend_from_slice(&t_shape[1..]);
                let t = B::float_reshape(t, Shape::from(dims));
                B::float_expand(t, tangent::with_directions(k, &shape))
            },
        )
    }

    fn float_sort(tensor: FloatTensor<Self>, dim: usize, descending: bool) -> FloatTensor<Self> {
        if tensor.tangent.is_none() {
            return ForwardTensor::constant(B::float_sort(tensor.primal, dim, descending));
        }
        let dtype = int_dtype::<B>(&tensor.primal);
        reduce::sort_with_indices(tensor, dim, descending, dtype).0
    }

    fn float_sort_with_indices(
        tensor: FloatTensor<Self>,
        dim: usize,
        descending: bool,
        indices_dtype: IntDType,
    ) -> (FloatTensor<Self>, IntTensor<Self>) {
        reduce::sort_with_indices(tensor, dim, descending, indices_dtype)
    }

    fn float_argsort(
        tensor: FloatTensor<Self>,
        dim: usize,
        descending: bool,
        out_dtype: IntDType,
    ) -> IntTensor<Self> {
        B::float_argsort(tensor.primal, dim, descending, out_dtype)
    }

    fn float_grid_sample_2d(
        tensor: FloatTensor<Self>,
        grid: FloatTensor<Self>,
        options: GridSampleOptions,
    ) -> FloatTensor<Self> {
        // Sampling is linear in the sampled tensor for a fixed grid. A grid that carries
        // tangents would need the derivative of the interpolation weights.
        let grid = primal_without_rule("float_grid_sample_2d", grid);
        let k = tensor.num_directions().unwrap_or(1);
        let repeated_grid = B::float_repeat_dim(grid.clone(), 0, k);
        let (x, x_tangent) = tensor.into_parts();
        let output = B::float_grid_sample_2d(x, grid, options.clone());
        let output_tangent = x_tangent.map(|t| {
            let folded = tangent::fold::<B>(t);
            tangent::unfold::<B>(B::float_grid_sample_2d(folded, repeated_grid, options), k)
        });
        ForwardTensor::dual(output, output_tangent)
    }

    fn float_unfold(
        tensor: FloatTensor<Self>,
        dim: usize,
        size: usize,
        step: usize,
    ) -> FloatTensor<Self> {
        linear(
            tensor,
            |x| B::float_unfold(x, dim, size, step),
            |t| B::float_unfold(t, dim + 1, size, step),
        )
    }

    fn float_is_nan(tensor: FloatTensor<Self>, out_dtype: BoolDType) -> BoolTensor<Self> {
        B::float_is_nan(tensor.primal, out_dtype)
    }

    fn float_is_inf(tensor: FloatTensor<Self>, out_dtype: BoolDType) -> BoolTensor<Self> {
        B::float_is_inf(tensor.primal, out_dtype)
    }
}
