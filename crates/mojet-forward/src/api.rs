//! Lifting tensors and modules into [`Forward`], and reading primals and tangents back.

use burn::tensor::backend::Backend;
use burn::tensor::{Bool, Int, Tensor, TensorPrimitive};

use crate::error::TangentShapeError;
use crate::{Forward, ForwardTensor};

pub use crate::lift::lift_module;

/// Lifts a primal and its tangents along `K` directions into one tensor of [`Forward`].
///
/// `D1` must be `D + 1`, or the function fails to compile when it is instantiated.
///
/// # Shapes
///
/// - `primal`: `[...shape]`, for example `[N, d]`
/// - `tangents`: `[K, ...shape]`, for example `[K, N, d]`
///
/// # Errors
///
/// Returns [`TangentShapeError`] when `tangents` is not `[K, ...shape]` or has another dtype.
///
/// # Example
///
/// ```
/// use burn::backend::NdArray;
/// use burn::tensor::Tensor;
/// use mojet_forward::{dual, tangent};
///
/// let device = Default::default();
/// let x = Tensor::<NdArray, 2>::ones([3, 4], &device);
/// let u = Tensor::<NdArray, 3>::ones([2, 3, 4], &device);
/// let lifted = dual(x, u)?;
/// let doubled = lifted * 2.0;
/// let jvp: Tensor<NdArray, 3> = tangent(&doubled).expect("the input carries tangents");
/// assert_eq!(jvp.dims(), [2, 3, 4]);
/// # Ok::<(), mojet_forward::TangentShapeError>(())
/// ```
pub fn dual<B: Backend, const D: usize, const D1: usize>(
    primal: Tensor<B, D>,
    tangents: Tensor<B, D1>,
) -> Result<Tensor<Forward<B>, D>, TangentShapeError> {
    const {
        assert!(
            D1 == D + 1,
            "tangents need one axis more than the primal: [K, ...shape]"
        )
    };
    let lifted = ForwardTensor::new(
        primal.into_primitive().tensor(),
        Some(tangents.into_primitive().tensor()),
    )?;
    Ok(Tensor::from_primitive(TensorPrimitive::Float(lifted)))
}

/// Lifts a tensor into [`Forward`] with a known-zero tangent.
pub fn constant<B: Backend, const D: usize>(primal: Tensor<B, D>) -> Tensor<Forward<B>, D> {
    let lifted = ForwardTensor::constant(primal.into_primitive().tensor());
    Tensor::from_primitive(TensorPrimitive::Float(lifted))
}

/// Lifts an int tensor into [`Forward`], for indices such as an embedding's input.
///
/// Int tensors of `Forward<B>` are `B`'s own, so this moves the tensor without a copy.
pub fn lift_int<B: Backend, const D: usize>(
    tensor: Tensor<B, D, Int>,
) -> Tensor<Forward<B>, D, Int> {
    Tensor::from_primitive(tensor.into_primitive())
}

/// Lifts a bool tensor into [`Forward`], for masks.
///
/// Bool tensors of `Forward<B>` are `B`'s own, so this moves the tensor without a copy.
pub fn lift_bool<B: Backend, const D: usize>(
    tensor: Tensor<B, D, Bool>,
) -> Tensor<Forward<B>, D, Bool> {
    Tensor::from_primitive(tensor.into_primitive())
}

/// Lifts a dynamic-rank primitive and its optional tangents into a tensor of [`Forward`].
///
/// This is [`ForwardTensor::new`] wrapped in a [`Tensor`] of rank `D`, for callers that hold
/// burn primitives rather than typed tensors.
///
/// # Shapes
///
/// - `primal`: `[...shape]` of rank `D`
/// - `tangents`: `[K, ...shape]`
///
/// # Errors
///
/// Returns [`TangentShapeError`] when `tangents` is not `[K, ...shape]` or has another dtype.
///
/// # Panics
///
/// Panics when the primal rank is not `D`.
pub fn dual_primitive<B: Backend, const D: usize>(
    primal: burn::tensor::ops::FloatTensor<B>,
    tangents: Option<burn::tensor::ops::FloatTensor<B>>,
) -> Result<Tensor<Forward<B>, D>, TangentShapeError> {
    use burn::tensor::TensorMetadata;
    assert_eq!(
        primal.rank(),
        D,
        "dual_primitive: primal of rank {} lifted into a tensor of rank {D}",
        primal.rank()
    );
    let lifted = ForwardTensor::new(primal, tangents)?;
    Ok(Tensor::from_primitive(TensorPrimitive::Float(lifted)))
}

/// Returns the primal value of a tensor of [`Forward`], shape `[...shape]`.
pub fn primal<B: Backend, const D: usize>(tensor: &Tensor<Forward<B>, D>) -> Tensor<B, D> {
    let lifted = tensor.clone().into_primitive().tensor();
    Tensor::from_primitive(TensorPrimitive::Float(lifted.primal))
}

/// Returns the tangents of a tensor of [`Forward`], shape `[K, ...shape]`, or `None` when
/// they are known to be zero (the tensor does not depend on any lifted input).
///
/// `D1` must be `D + 1`, or the function fails to compile when it is instantiated.
pub fn tangent<B: Backend, const D: usize, const D1: usize>(
    tensor: &Tensor<Forward<B>, D>,
) -> Option<Tensor<B, D1>> {
    const {
        assert!(
            D1 == D + 1,
            "tangents have one axis more than the primal: [K, ...shape]"
        )
    };
    let lifted = tensor.clone().into_primitive().tensor();
    lifted
        .tangent
        .map(|tangent| Tensor::from_primitive(TensorPrimitive::Float(tangent)))
}

/// Takes the tangents out of a tensor of [`Forward`], shape `[K, ...shape]`, or returns `None`
/// when they are known to be zero.
///
/// Unlike [`tangent`], this consumes the tensor, so the tangents are not shared with it. A
/// backend can then read them without a copy: burn-ndarray 0.21 copies a shared array element
/// by element in `into_data`, which made reading a jet slower than computing it.
///
/// `D1` must be `D + 1`, or the function fails to compile when it is instantiated.
pub fn into_tangent<B: Backend, const D: usize, const D1: usize>(
    tensor: Tensor<Forward<B>, D>,
) -> Option<Tensor<B, D1>> {
    const {
        assert!(
            D1 == D + 1,
            "tangents have one axis more than the primal: [K, ...shape]"
        )
    };
    let lifted = tensor.into_primitive().tensor();
    lifted
        .tangent
        .map(|tangent| Tensor::from_primitive(TensorPrimitive::Float(tangent)))
}

/// Splits a tensor of [`Forward`] into its primal, shape `[...shape]`, and its tangents, shape
/// `[K, ...shape]` or `None` when they are known to be zero.
///
/// Like [`into_tangent`], this consumes the tensor, so neither part is shared with it and a
/// backend can read both without a copy.
///
/// `D1` must be `D + 1`, or the function fails to compile when it is instantiated.
pub fn into_parts<B: Backend, const D: usize, const D1: usize>(
    tensor: Tensor<Forward<B>, D>,
) -> (Tensor<B, D>, Option<Tensor<B, D1>>) {
    const {
        assert!(
            D1 == D + 1,
            "tangents have one axis more than the primal: [K, ...shape]"
        )
    };
    let lifted = tensor.into_primitive().tensor();
    let primal = Tensor::from_primitive(TensorPrimitive::Float(lifted.primal));
    let tangent = lifted
        .tangent
        .map(|tangent| Tensor::from_primitive(TensorPrimitive::Float(tangent)));
    (primal, tangent)
}
