//! Patterns that most tangent rules follow, so that each op states only its math.

use burn::tensor::backend::Backend;
use burn::tensor::ops::FloatTensor;

use crate::error::no_rule;
use crate::tangent;
use crate::tensor::ForwardTensor;

/// Applies an element-wise op `f` whose derivative at `x` is `derivative(x, f(x))`.
///
/// The derivative is computed only when `x` carries tangents.
pub(crate) fn elementwise<B: Backend>(
    x: ForwardTensor<B>,
    f: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
    derivative: impl FnOnce(FloatTensor<B>, FloatTensor<B>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = x.into_parts();
    let Some(x_tangent) = x_tangent else {
        return ForwardTensor::constant(f(x));
    };
    let y = f(x.clone());
    let derivative = derivative(x, y.clone());
    ForwardTensor::dual(y, Some(tangent::scale::<B>(x_tangent, derivative)))
}

/// Applies an op that is linear in its input: `f` maps the primal `[...shape]`, and
/// `f_tangent` maps the tangent `[K, ...shape]` the same way, with every axis shifted by one.
pub(crate) fn linear<B: Backend>(
    x: ForwardTensor<B>,
    f: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
    f_tangent: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = x.into_parts();
    ForwardTensor::dual(f(x), x_tangent.map(f_tangent))
}

/// Applies a linear op that takes a batch axis first (pooling, convolution input, ...), to the
/// tangents by folding the directions into the batch: `[K, N, ...]` runs as `[K·N, ...]`.
pub(crate) fn batched<B: Backend>(
    x: ForwardTensor<B>,
    f: impl Fn(FloatTensor<B>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = x.into_parts();
    let tangent = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        tangent::unfold::<B>(f(tangent::fold::<B>(t)), k)
    });
    ForwardTensor::dual(f(x), tangent)
}

/// Applies an op whose result is piecewise constant in its input (round, floor, sign, ...):
/// the tangent is zero wherever the op is differentiable.
pub(crate) fn piecewise_constant<B: Backend>(
    x: ForwardTensor<B>,
    f: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    ForwardTensor::constant(f(x.primal))
}

/// Applies an op that has no tangent rule. It runs when `x` carries no tangent, and panics
/// naming `op` otherwise.
pub(crate) fn without_rule<B: Backend>(
    op: &str,
    x: ForwardTensor<B>,
    f: impl FnOnce(FloatTensor<B>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    if x.tangent.is_some() {
        no_rule(op);
    }
    ForwardTensor::constant(f(x.primal))
}

/// Returns the primal of a tensor that an op without a tangent rule reads, panicking naming
/// `op` when it carries tangents.
pub(crate) fn primal_without_rule<B: Backend>(op: &str, x: ForwardTensor<B>) -> FloatTensor<B> {
    if x.tangent.is_some() {
        no_rule(op);
    }
    x.primal
}
