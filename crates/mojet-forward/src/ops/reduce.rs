//! Tangent rules of the reductions: sum, mean, product, max and min, sort and top-k.
//!
//! Max, min, sort and top-k route tangents through the indices of the selected elements,
//! as JAX does: at ties the tangent follows whichever element the backend's index picks.

use burn::tensor::backend::Backend;
use burn::tensor::ops::{FloatTensor, IntTensor};
use burn::tensor::{IntDType, Shape, Slice, TensorMetadata};

use super::float::int_dtype;
use crate::tangent;
use crate::tensor::ForwardTensor;

/// Reshapes a tangent `[K, ...shape]` to `[K, n]`, with `n` the number of primal elements.
fn flatten_tangent<B: Backend>(tangent: FloatTensor<B>) -> FloatTensor<B> {
    let shape = tangent.shape();
    let k = shape[0];
    let n = shape.num_elements() / k.max(1);
    B::float_reshape(tangent, Shape::new([k, n]))
}

/// Reshapes a primal to one axis of all its elements.
fn flatten<B: Backend>(tensor: ForwardTensor<B>) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let n = x.shape().num_elements();
    let x = B::float_reshape(x, Shape::new([n]));
    ForwardTensor::dual(x, x_tangent.map(flatten_tangent::<B>))
}

pub(super) fn sum<B: Backend>(tensor: ForwardTensor<B>) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    // The primal sum has shape [1], so the tangent sum over [K, n] keeps shape [K, 1].
    let output_tangent = x_tangent.map(|t| B::float_sum_dim(flatten_tangent::<B>(t), 1));
    ForwardTensor::dual(B::float_sum(x), output_tangent)
}

pub(super) fn mean<B: Backend>(tensor: ForwardTensor<B>) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let output_tangent = x_tangent.map(|t| B::float_mean_dim(flatten_tangent::<B>(t), 1));
    ForwardTensor::dual(B::float_mean(x), output_tangent)
}

/// Returns the product of all elements of `x` along `dim` except the one at each position.
///
/// The exclusive products come from cumulative products from both ends, so the result is
/// exact where `x` has zeros, unlike `prod / x`.
fn products_of_others<B: Backend>(x: FloatTensor<B>, dim: usize) -> FloatTensor<B> {
    let shape = x.shape();
    let n = shape[dim];
    let device = B::float_device(&x);
    let dtype = x.dtype().into();
    let mut one_shape = shape.clone();
    one_shape[dim] = 1;
    let ones = B::float_ones(one_shape, &device, dtype);
    if n == 1 {
        return ones;
    }

    let slice_along = |tensor: FloatTensor<B>, start: usize, end: usize| {
        let mut slices = vec![Slice::full(); shape.num_dims()];
        slices[dim] = Slice::new(start as isize, Some(end as isize), 1);
        B::float_slice(tensor, &slices)
    };

    // before[i] = x[0] · ... · x[i-1]
    let prefix = B::float_cumprod(x.clone(), dim);
    let before = B::float_cat(vec![ones.clone(), slice_along(prefix, 0, n - 1)], dim);

    // after[i] = x[i+1] · ... · x[n-1]
    let reversed = B::float_flip(x, &[dim]);
    let suffix = B::float_flip(B::float_cumprod(reversed, dim), &[dim]);
    let after = B::float_cat(vec![slice_along(suffix, 1, n), ones], dim);

    B::float_mul(before, after)
}

pub(super) fn prod_dim<B: Backend>(tensor: ForwardTensor<B>, dim: usize) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let output_tangent = x_tangent.map(|t| {
        let weights = products_of_others::<B>(x.clone(), dim);
        B::float_sum_dim(tangent::scale::<B>(t, weights), dim + 1)
    });
    ForwardTensor::dual(B::float_prod_dim(x, dim), output_tangent)
}

pub(super) fn prod<B: Backend>(tensor: ForwardTensor<B>) -> ForwardTensor<B> {
    let x = flatten(tensor);
    let output = B::float_prod(x.primal.clone());
    let output_tangent = prod_dim(x, 0).tangent;
    ForwardTensor::dual(output, output_tangent)
}

/// Signature of `float_max_dim_with_indices` and `float_min_dim_with_indices`.
type WithIndices<B> = fn(FloatTensor<B>, usize, IntDType) -> (FloatTensor<B>, IntTensor<B>);

/// Returns the extremum along `dim` and its indices. The tangent is the tangent of the
/// selected element.
pub(super) fn extremum_dim<B: Backend>(
    tensor: ForwardTensor<B>,
    dim: usize,
    indices_dtype: IntDType,
    with_indices: WithIndices<B>,
) -> (ForwardTensor<B>, IntTensor<B>) {
    let (x, x_tangent) = tensor.into_parts();
    let (values, indices) = with_indices(x, dim, indices_dtype);
    let output_tangent = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        B::float_gather(dim + 1, t, tangent::expand_int::<B>(indices.clone(), k))
    });
    (ForwardTensor::dual(values, output_tangent), indices)
}

/// Returns the extremum of all elements, shape `[1]`.
pub(super) fn extremum<B: Backend>(
    tensor: ForwardTensor<B>,
    with_indices: WithIndices<B>,
) -> ForwardTensor<B> {
    let x = flatten(tensor);
    let dtype = int_dtype::<B>(&x.primal);
    extremum_dim(x, 0, dtype, with_indices).0
}

pub(super) fn sort_with_indices<B: Backend>(
    tensor: ForwardTensor<B>,
    dim: usize,
    descending: bool,
    indices_dtype: IntDType,
) -> (ForwardTensor<B>, IntTensor<B>) {
    let (x, x_tangent) = tensor.into_parts();
    let (values, indices) = B::float_sort_with_indices(x, dim, descending, indices_dtype);
    let output_tangent = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        B::float_gather(dim + 1, t, tangent::expand_int::<B>(indices.clone(), k))
    });
    (ForwardTensor::dual(values, output_tangent), indices)
}

pub(super) fn topk<B: Backend>(tensor: ForwardTensor<B>, dim: usize, k: usize) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let Some(x_tangent) = x_tangent else {
        return ForwardTensor::constant(B::float_topk(x, dim, k));
    };
    // The indices come from a descending sort rather than `float_argtopk`, which not every
    // backend implements (burn-ndarray 0.21 does not).
    let dtype = int_dtype::<B>(&x);
    let (sorted, indices) = B::float_sort_with_indices(x, dim, true, dtype);
    let mut slices = vec![Slice::full(); sorted.shape().num_dims()];
    slices[dim] = Slice::new(0, Some(k as isize), 1);
    let values = B::float_slice(sorted, &slices);
    let indices = B::int_slice(indices, &slices);
    let directions = tangent::directions::<B>(&x_tangent);
    let lifted = tangent::expand_int::<B>(indices, directions);
    let output_tangent = B::float_gather(dim + 1, x_tangent, lifted);
    ForwardTensor::dual(values, Some(output_tangent))
}
