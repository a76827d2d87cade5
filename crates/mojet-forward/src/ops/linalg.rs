//! Tangent rules of the bilinear float ops (matmul, cross) and of atan2.

use burn::tensor::backend::Backend;
use burn::tensor::ops::FloatTensor;
use burn::tensor::{Shape, TensorMetadata};

use crate::tangent::{self, lead, scale};
use crate::tensor::ForwardTensor;

/// Returns `tangent @ rhs` for a tangent `[K, ..., m, p]` and a primal `rhs`.
///
/// A 2-D `rhs` (a weight) multiplies the tangent folded to `[K·...·m, p]`: one matmul for all
/// directions, with no batch broadcasting.
pub(super) fn tangent_matmul<B: Backend>(
    tangent: FloatTensor<B>,
    rhs: FloatTensor<B>,
) -> FloatTensor<B> {
    let rhs_shape = rhs.shape();
    if rhs_shape.num_dims() != 2 {
        return B::float_matmul(tangent, lead::<B>(rhs));
    }
    let shape = tangent.shape();
    let rank = shape.num_dims();
    let rows = shape.num_elements() / shape[rank - 1];
    let folded = B::float_reshape(tangent, Shape::new([rows, shape[rank - 1]]));
    let product = B::float_matmul(folded, rhs);
    let mut dims = shape.to_vec();
    dims[rank - 1] = rhs_shape[1];
    B::float_reshape(product, Shape::from(dims))
}

pub(super) fn matmul<B: Backend>(lhs: ForwardTensor<B>, rhs: ForwardTensor<B>) -> ForwardTensor<B> {
    let (x, x_tangent) = lhs.into_parts();
    let (y, y_tangent) = rhs.into_parts();
    // d(x @ y) = dx @ y + x @ dy, each term skipped for a known-zero tangent.
    let lhs_term = x_tangent.map(|t| tangent_matmul::<B>(t, y.clone()));
    let rhs_term = y_tangent.map(|t| B::float_matmul(lead::<B>(x.clone()), t));
    let output = B::float_matmul(x, y);
    let output_tangent = tangent::add::<B>("float_matmul", lhs_term, rhs_term)
        .map(|t| tangent::expand_to::<B>(t, &output.shape()));
    ForwardTensor::dual(output, output_tangent)
}

/// Lifts a primal to `[k, ...shape]` by broadcasting.
fn broadcast<B: Backend>(primal: FloatTensor<B>, shape: &Shape, k: usize) -> FloatTensor<B> {
    B::float_expand(lead::<B>(primal), tangent::with_directions(k, shape))
}

pub(super) fn cross<B: Backend>(
    lhs: ForwardTensor<B>,
    rhs: ForwardTensor<B>,
    dim: usize,
) -> ForwardTensor<B> {
    let (x, x_tangent) = lhs.into_parts();
    let (y, y_tangent) = rhs.into_parts();
    let output = B::float_cross(x.clone(), y.clone(), dim);
    let shape = output.shape();
    // The cross product is bilinear: d(x × y) = dx × y + x × dy. Both operands are broadcast
    // to [K, ...shape] first, because backends need equal shapes along `dim`.
    let lhs_term = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        let t = tangent::expand_to::<B>(t, &shape);
        B::float_cross(t, broadcast::<B>(y.clone(), &shape, k), dim + 1)
    });
    let rhs_term = y_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        let t = tangent::expand_to::<B>(t, &shape);
        B::float_cross(broadcast::<B>(x.clone(), &shape, k), t, dim + 1)
    });
    let output_tangent = tangent::add::<B>("float_cross", lhs_term, rhs_term);
    ForwardTensor::dual(output, output_tangent)
}

pub(super) fn atan2<B: Backend>(lhs: ForwardTensor<B>, rhs: ForwardTensor<B>) -> ForwardTensor<B> {
    let (a, a_tangent) = lhs.into_parts();
    let (b, b_tangent) = rhs.into_parts();
    let output = B::float_atan2(a.clone(), b.clone());
    if a_tangent.is_none() && b_tangent.is_none() {
        return ForwardTensor::constant(output);
    }
    // atan2(a, b) is the angle of the point (b, a): d = (b da - a db) / (a^2 + b^2).
    let squared_norm = B::float_add(
        B::float_mul(a.clone(), a.clone()),
        B::float_mul(b.clone(), b.clone()),
    );
    let lhs_term = a_tangent.map(|t| scale::<B>(t, B::float_div(b, squared_norm.clone())));
    let rhs_term = b_tangent.map(|t| B::float_neg(scale::<B>(t, B::float_div(a, squared_norm))));
    let output_tangent = tangent::add::<B>("float_atan2", lhs_term, rhs_term)
        .map(|t| tangent::expand_to::<B>(t, &output.shape()));
    ForwardTensor::dual(output, output_tangent)
}
