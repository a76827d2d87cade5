//! The float tensor primitive of [`Forward`](crate::Forward): a primal with optional stacked
//! tangents.

use burn::tensor::TensorMetadata;
use burn::tensor::backend::Backend;
use burn::tensor::ops::FloatTensor;
use burn::tensor::{DType, Shape};

use crate::error::TangentShapeError;

/// A dual number for `K` directions at once: one primal value and the tangents along each
/// direction, stacked on a new leading axis.
///
/// The primal is computed once per op, whatever `K` is. A missing tangent (`None`) is a known
/// zero: parameters and constants carry none, and every rule skips the arithmetic it would
/// spend on it.
///
/// # Shapes
///
/// - primal: `[...shape]`
/// - tangent: `[K, ...shape]`
#[derive(Debug, Clone)]
pub struct ForwardTensor<B: Backend> {
    pub(crate) primal: FloatTensor<B>,
    pub(crate) tangent: Option<FloatTensor<B>>,
}

impl<B: Backend> ForwardTensor<B> {
    /// Creates a tensor whose tangent is a known zero.
    pub fn constant(primal: FloatTensor<B>) -> Self {
        Self {
            primal,
            tangent: None,
        }
    }

    /// Creates a dual tensor from a primal and its tangents along `K` directions.
    ///
    /// # Shapes
    ///
    /// - `primal`: `[...shape]`
    /// - `tangent`: `[K, ...shape]`
    ///
    /// # Errors
    ///
    /// Returns [`TangentShapeError`] when the tangent shape is not `[K, ...shape]`, or when its
    /// dtype differs from the primal's.
    pub fn new(
        primal: FloatTensor<B>,
        tangent: Option<FloatTensor<B>>,
    ) -> Result<Self, TangentShapeError> {
        if let Some(tangent) = &tangent {
            let primal_shape = primal.shape();
            let tangent_shape = tangent.shape();
            let matches = tangent_shape.num_dims() == primal_shape.num_dims() + 1
                && tangent_shape[1..] == primal_shape[..];
            if !matches {
                return Err(TangentShapeError::Shape {
                    primal: primal_shape.to_vec(),
                    tangent: tangent_shape.to_vec(),
                });
            }
            if tangent.dtype() != primal.dtype() {
                return Err(TangentShapeError::DType {
                    primal: primal.dtype(),
                    tangent: tangent.dtype(),
                });
            }
        }
        Ok(Self { primal, tangent })
    }

    /// Creates a dual tensor without checking the tangent shape, for rules that computed the
    /// tangent as `[K, ...shape]`.
    pub(crate) fn dual(primal: FloatTensor<B>, tangent: Option<FloatTensor<B>>) -> Self {
        debug_assert!(
            tangent
                .as_ref()
                .is_none_or(|t| t.shape()[1..] == primal.shape()[..]),
            "forward mode: a rule produced a tangent of shape {:?} for a primal of shape {:?}",
            tangent.as_ref().map(|t| t.shape().to_vec()),
            primal.shape().to_vec(),
        );
        Self { primal, tangent }
    }

    /// Returns the primal value, shape `[...shape]`.
    pub fn primal(&self) -> &FloatTensor<B> {
        &self.primal
    }

    /// Returns the tangents, shape `[K, ...shape]`, or `None` when they are known to be zero.
    pub fn tangent(&self) -> Option<&FloatTensor<B>> {
        self.tangent.as_ref()
    }

    /// Splits the tensor into its primal and its tangents.
    pub fn into_parts(self) -> (FloatTensor<B>, Option<FloatTensor<B>>) {
        (self.primal, self.tangent)
    }

    /// Returns the number of directions `K`, or `None` for a known-zero tangent.
    pub fn num_directions(&self) -> Option<usize> {
        self.tangent.as_ref().map(|t| t.shape()[0])
    }
}

impl<B: Backend> TensorMetadata for ForwardTensor<B> {
    fn dtype(&self) -> DType {
        self.primal.dtype()
    }

    fn shape(&self) -> Shape {
        self.primal.shape()
    }

    fn rank(&self) -> usize {
        self.primal.rank()
    }
}
