//! Tangent rules of the indexing ops: gather, scatter, select, slice, masks and cat.
//!
//! All of them are linear in their float inputs, so the tangent runs the same op on the
//! tangents, with the indices or mask broadcast over the direction axis.

use burn::tensor::backend::Backend;
use burn::tensor::ops::{BoolTensor, IntTensor};
use burn::tensor::{IndexingUpdateOp, Shape, Slice, TensorMetadata};

use crate::error::no_rule;
use crate::tangent::{self, scalar};
use crate::tensor::ForwardTensor;

/// Returns the slices of a tangent: the whole direction axis, then the primal's slices.
pub(super) fn tangent_slices(slices: &[Slice]) -> Vec<Slice> {
    std::iter::once(Slice::full())
        .chain(slices.iter().cloned())
        .collect()
}

/// Extends nd indices `[..., M]` to `[k, ..., M + 1]` whose first component is the direction,
/// so that the nd indexing ops address the tangent `[k, ...data]` directly.
fn direction_indices<B: Backend>(indices: IntTensor<B>, k: usize) -> IntTensor<B> {
    let shape = indices.shape();
    let rank = shape.num_dims();
    let device = B::int_device(&indices);
    let dtype = indices.dtype().into();

    let mut column_shape = vec![1; rank + 1];
    column_shape[0] = k;
    let directions = B::int_arange(0..k as i64, &device, dtype);
    let directions = B::int_reshape(directions, Shape::from(column_shape));
    let mut batch = tangent::with_directions(k, &shape);
    batch[rank] = 1;
    let directions = B::int_expand(directions, batch);

    let lifted = tangent::expand_int::<B>(indices, k);
    B::int_cat(vec![directions, lifted], rank)
}

pub(super) fn gather<B: Backend>(
    dim: usize,
    tensor: ForwardTensor<B>,
    indices: IntTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let output_tangent = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        B::float_gather(dim + 1, t, tangent::expand_int::<B>(indices.clone(), k))
    });
    ForwardTensor::dual(B::float_gather(dim, x, indices), output_tangent)
}

pub(super) fn scatter_add<B: Backend>(
    dim: usize,
    tensor: ForwardTensor<B>,
    indices: IntTensor<B>,
    value: ForwardTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let (v, v_tangent) = value.into_parts();
    let k = tangent::common_directions::<B>(
        "float_scatter_add",
        [x_tangent.as_ref(), v_tangent.as_ref()],
    );
    let output_tangent = match (k, v_tangent) {
        (None, _) => None,
        // Without a value tangent, the scattered sums add nothing to the tangent.
        (Some(_), None) => x_tangent,
        (Some(k), Some(v_tangent)) => {
            let base = tangent::or_zeros::<B>(x_tangent, &x, k);
            let indices = tangent::expand_int::<B>(indices.clone(), k);
            Some(B::float_scatter_add(dim + 1, base, indices, v_tangent))
        }
    };
    ForwardTensor::dual(B::float_scatter_add(dim, x, indices, v), output_tangent)
}

pub(super) fn select_add<B: Backend>(
    tensor: ForwardTensor<B>,
    dim: usize,
    indices: IntTensor<B>,
    value: ForwardTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let (v, v_tangent) = value.into_parts();
    let k = tangent::common_directions::<B>(
        "float_select_add",
        [x_tangent.as_ref(), v_tangent.as_ref()],
    );
    let output_tangent = match (k, v_tangent) {
        (None, _) => None,
        (Some(_), None) => x_tangent,
        (Some(k), Some(v_tangent)) => {
            let base = tangent::or_zeros::<B>(x_tangent, &x, k);
            Some(B::float_select_add(
                base,
                dim + 1,
                indices.clone(),
                v_tangent,
            ))
        }
    };
    ForwardTensor::dual(B::float_select_add(x, dim, indices, v), output_tangent)
}

pub(super) fn gather_nd<B: Backend>(
    data: ForwardTensor<B>,
    indices: IntTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = data.into_parts();
    let output_tangent = x_tangent.map(|t| {
        let k = tangent::directions::<B>(&t);
        B::float_gather_nd(t, direction_indices::<B>(indices.clone(), k))
    });
    ForwardTensor::dual(B::float_gather_nd(x, indices), output_tangent)
}

pub(super) fn scatter_nd<B: Backend>(
    data: ForwardTensor<B>,
    indices: IntTensor<B>,
    values: ForwardTensor<B>,
    reduction: IndexingUpdateOp,
) -> ForwardTensor<B> {
    let (x, x_tangent) = data.into_parts();
    let (v, v_tangent) = values.into_parts();
    let k = tangent::common_directions::<B>(
        "float_scatter_nd",
        [x_tangent.as_ref(), v_tangent.as_ref()],
    );
    let output_tangent = k.map(|k| {
        // Assign and Add are linear in (data, values), but Mul, Min and Max are not.
        if !matches!(reduction, IndexingUpdateOp::Assign | IndexingUpdateOp::Add) {
            no_rule("float_scatter_nd");
        }
        let base = tangent::or_zeros::<B>(x_tangent, &x, k);
        let update = tangent::or_zeros::<B>(v_tangent, &v, k);
        let indices = direction_indices::<B>(indices.clone(), k);
        B::float_scatter_nd(base, indices, update, reduction)
    });
    ForwardTensor::dual(
        B::float_scatter_nd(x, indices, v, reduction),
        output_tangent,
    )
}

pub(super) fn slice_assign<B: Backend>(
    tensor: ForwardTensor<B>,
    slices: &[Slice],
    value: ForwardTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let (v, v_tangent) = value.into_parts();
    let k = tangent::common_directions::<B>(
        "float_slice_assign",
        [x_tangent.as_ref(), v_tangent.as_ref()],
    );
    let output_tangent = k.map(|k| {
        let base = tangent::or_zeros::<B>(x_tangent, &x, k);
        let update = tangent::or_zeros::<B>(v_tangent, &v, k);
        B::float_slice_assign(base, &tangent_slices(slices), update)
    });
    ForwardTensor::dual(B::float_slice_assign(x, slices, v), output_tangent)
}

/// Lifts a mask to `[k, ...shape]`, broadcasting it to the output shape first.
fn lift_mask<B: Backend>(mask: BoolTensor<B>, shape: &Shape, k: usize) -> BoolTensor<B> {
    let mask_shape = mask.shape();
    let mask = B::bool_reshape(mask, tangent::with_directions(1, &mask_shape));
    B::bool_expand(mask, tangent::with_directions(k, shape))
}

pub(super) fn mask_where<B: Backend>(
    tensor: ForwardTensor<B>,
    mask: BoolTensor<B>,
    value: ForwardTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let (v, v_tangent) = value.into_parts();
    let k = tangent::common_directions::<B>(
        "float_mask_where",
        [x_tangent.as_ref(), v_tangent.as_ref()],
    );
    let output = B::float_mask_where(x.clone(), mask.clone(), v.clone());
    let output_tangent = k.map(|k| {
        let shape = output.shape();
        let lifted_mask = lift_mask::<B>(mask, &shape, k);
        let base = tangent::or_zeros::<B>(x_tangent, &x, k);
        let base = tangent::expand_to::<B>(base, &shape);
        match v_tangent {
            // The masked positions take a constant value, so their tangent is zero.
            None => B::float_mask_fill(base, lifted_mask, scalar(0.0)),
            Some(v_tangent) => {
                let update = tangent::expand_to::<B>(v_tangent, &shape);
                B::float_mask_where(base, lifted_mask, update)
            }
        }
    });
    ForwardTensor::dual(output, output_tangent)
}

pub(super) fn mask_fill<B: Backend>(
    tensor: ForwardTensor<B>,
    mask: BoolTensor<B>,
    value: burn::tensor::Scalar,
) -> ForwardTensor<B> {
    let (x, x_tangent) = tensor.into_parts();
    let output = B::float_mask_fill(x, mask.clone(), value);
    let output_tangent = x_tangent.map(|t| {
        let shape = output.shape();
        let k = tangent::directions::<B>(&t);
        let t = tangent::expand_to::<B>(t, &shape);
        B::float_mask_fill(t, lift_mask::<B>(mask, &shape, k), scalar(0.0))
    });
    ForwardTensor::dual(output, output_tangent)
}

pub(super) fn cat<B: Backend>(tensors: Vec<ForwardTensor<B>>, dim: usize) -> ForwardTensor<B> {
    let k = tangent::common_directions::<B>("float_cat", tensors.iter().map(|t| t.tangent()));
    let (primals, tangents): (Vec<_>, Vec<_>) =
        tensors.into_iter().map(ForwardTensor::into_parts).unzip();
    let output_tangent = k.map(|k| {
        let lifted = primals
            .iter()
            .zip(tangents)
            .map(|(x, t)| tangent::or_zeros::<B>(t, x, k))
            .collect();
        B::float_cat(lifted, dim + 1)
    });
    ForwardTensor::dual(B::float_cat(primals, dim), output_tangent)
}
