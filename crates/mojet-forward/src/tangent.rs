//! Shape helpers shared by the tangent rules.
//!
//! Tangents are `[K, ...shape]`, so a primal of shape `[...shape]` meets them after a reshape to
//! `[1, ...shape]` and broadcasting over the direction axis. Module ops that take a batch axis
//! see the directions folded into it: `[K, N, ...]` becomes `[K·N, ...]`.

use burn::tensor::backend::Backend;
use burn::tensor::ops::{BoolTensor, Device, FloatTensor, IntTensor};
use burn::tensor::{FloatDType, Scalar, Shape, TensorMetadata};

/// Returns `shape` with `k` prepended: `[k, ...shape]`.
pub(crate) fn with_directions(k: usize, shape: &Shape) -> Shape {
    let mut dims = Vec::with_capacity(shape.num_dims() + 1);
    dims.push(k);
    dims.extend_from_slice(shape);
    Shape::from(dims)
}

/// Returns the number of directions `K` of a tangent `[K, ...shape]`.
pub(crate) fn directions<B: Backend>(tangent: &FloatTensor<B>) -> usize {
    tangent.shape()[0]
}

/// Reshapes a primal `[...shape]` to `[1, ...shape]` so that it broadcasts against tangents.
pub(crate) fn lead<B: Backend>(primal: FloatTensor<B>) -> FloatTensor<B> {
    let shape = with_directions(1, &primal.shape());
    B::float_reshape(primal, shape)
}

/// Reshapes an int tensor `[...shape]` to `[1, ...shape]` and expands it to `[k, ...shape]`,
/// so that index ops apply the same indices to every direction.
pub(crate) fn expand_int<B: Backend>(indices: IntTensor<B>, k: usize) -> IntTensor<B> {
    let shape = indices.shape();
    let indices = B::int_reshape(indices, with_directions(1, &shape));
    B::int_expand(indices, with_directions(k, &shape))
}

/// Reshapes a mask `[...shape]` to `[1, ...shape]` and expands it to `[k, ...shape]`.
pub(crate) fn expand_bool<B: Backend>(mask: BoolTensor<B>, k: usize) -> BoolTensor<B> {
    let shape = mask.shape();
    let mask = B::bool_reshape(mask, with_directions(1, &shape));
    B::bool_expand(mask, with_directions(k, &shape))
}

/// Multiplies the tangent `[K, ...shape]` by the derivative `[...shape]` element-wise.
pub(crate) fn scale<B: Backend>(
    tangent: FloatTensor<B>,
    derivative: FloatTensor<B>,
) -> FloatTensor<B> {
    B::float_mul(tangent, lead::<B>(derivative))
}

/// Broadcasts a tangent to `[K, ...shape]` when a primal broadcast made the output larger than
/// the input the tangent belongs to.
pub(crate) fn expand_to<B: Backend>(tangent: FloatTensor<B>, shape: &Shape) -> FloatTensor<B> {
    let k = directions::<B>(&tangent);
    let target = with_directions(k, shape);
    if tangent.shape() == target {
        tangent
    } else {
        B::float_expand(tangent, target)
    }
}

/// Returns zero tangents `[k, ...shape]` on `device` with `dtype`.
pub(crate) fn zeros<B: Backend>(
    k: usize,
    shape: &Shape,
    device: &Device<B>,
    dtype: FloatDType,
) -> FloatTensor<B> {
    B::float_zeros(with_directions(k, shape), device, dtype)
}

/// Returns the tangent, or explicit zeros `[k, ...shape of primal]` for a known-zero tangent.
///
/// Rules call it only where an op mixes a tangent-carrying input with a tangent-less one and
/// cannot skip the latter (for example `cat`).
pub(crate) fn or_zeros<B: Backend>(
    tangent: Option<FloatTensor<B>>,
    primal: &FloatTensor<B>,
    k: usize,
) -> FloatTensor<B> {
    match tangent {
        Some(tangent) => tangent,
        None => zeros::<B>(
            k,
            &primal.shape(),
            &B::float_device(primal),
            primal.dtype().into(),
        ),
    }
}

/// Returns the common number of directions of some tangents, or `None` when all are zero.
///
/// # Panics
///
/// Panics when two tangents have different numbers of directions, because broadcasting would
/// otherwise mix them silently when one of them has `K = 1`.
pub(crate) fn common_directions<'a, B: Backend + 'a>(
    op: &str,
    tangents: impl IntoIterator<Item = Option<&'a FloatTensor<B>>>,
) -> Option<usize> {
    let mut common = None;
    for k in tangents.into_iter().flatten().map(directions::<B>) {
        match common {
            None => common = Some(k),
            Some(previous) if previous != k => panic!(
                "forward mode: {op} received tangents with {previous} and {k} directions; \
                 lift every input with the same number of directions"
            ),
            Some(_) => {}
        }
    }
    common
}

/// Adds two optional tangents, skipping known zeros.
pub(crate) fn add<B: Backend>(
    op: &str,
    lhs: Option<FloatTensor<B>>,
    rhs: Option<FloatTensor<B>>,
) -> Option<FloatTensor<B>> {
    common_directions::<B>(op, [lhs.as_ref(), rhs.as_ref()]);
    match (lhs, rhs) {
        (Some(lhs), Some(rhs)) => Some(B::float_add(lhs, rhs)),
        (Some(tangent), None) | (None, Some(tangent)) => Some(tangent),
        (None, None) => None,
    }
}

/// Folds the direction axis into the batch axis: `[K, N, ...]` becomes `[K·N, ...]`.
pub(crate) fn fold<B: Backend>(tangent: FloatTensor<B>) -> FloatTensor<B> {
    let shape = tangent.shape();
    let mut dims = shape[1..].to_vec();
    dims[0] *= shape[0];
    B::float_reshape(tangent, Shape::from(dims))
}

/// Splits the batch axis back into directions: `[K·N, ...]` becomes `[K, N, ...]`.
pub(crate) fn unfold<B: Backend>(folded: FloatTensor<B>, k: usize) -> FloatTensor<B> {
    let shape = folded.shape();
    let mut dims = Vec::with_capacity(shape.num_dims() + 1);
    dims.push(k);
    dims.push(shape[0] / k);
    dims.extend_from_slice(&shape[1..]);
    B::float_reshape(folded, Shape::from(dims))
}

/// Selects direction `index` of a tangent: `[K, ...shape]` becomes `[...shape]`.
pub(crate) fn direction<B: Backend>(tangent: FloatTensor<B>, index: usize) -> FloatTensor<B> {
    let shape = tangent.shape();
    let mut ranges: Vec<burn::tensor::Slice> = vec![burn::tensor::Slice::full(); shape.num_dims()];
    ranges[0] = burn::tensor::Slice::new(index as isize, Some(index as isize + 1), 1);
    let selected = B::float_slice(tangent, &ranges);
    B::float_reshape(selected, Shape::from(shape[1..].to_vec()))
}

/// Stacks per-direction tangents `[...shape]` into `[K, ...shape]`.
pub(crate) fn stack<B: Backend>(tangents: Vec<FloatTensor<B>>) -> FloatTensor<B> {
    let lifted = tangents.into_iter().map(lead::<B>).collect();
    B::float_cat(lifted, 0)
}

/// Returns a scalar with the value `value`.
pub(crate) fn scalar(value: f64) -> Scalar {
    Scalar::from(value)
}
