//! Moving a module built on `B` to `Forward<B>`.

use std::collections::VecDeque;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::backend::Backend;
use burn::tensor::ops::{BoolTensor, FloatTensor, IntTensor};
use burn::tensor::{Bool, Int, Shape, Tensor, TensorMetadata, TensorPrimitive};

use crate::error::LiftModuleError;
use crate::{Forward, ForwardTensor};

/// Moves the parameters of a module built on `B` into the same module built on
/// [`Forward<B>`], with known-zero tangents.
///
/// `target` is a module of the same structure on `Forward<B>`, for example the output of
/// `config.init::<Forward<B>>(&device)`. Its parameters, visited in the same order as those of
/// `source`, are replaced by `source`'s tensors. The tensors are shared, not copied or
/// converted, so the lifted model computes exactly the values of `source`.
///
/// # Errors
///
/// Returns [`LiftModuleError`] when the two modules have different numbers of float, int or
/// bool parameters, or a parameter of a different shape.
///
/// # Example
///
/// ```
/// use burn::backend::NdArray;
/// use burn::nn::LinearConfig;
/// use mojet_forward::{Forward, lift_module, primal, tangent};
///
/// let device = Default::default();
/// let config = LinearConfig::new(4, 3);
/// let model = config.init::<NdArray>(&device);
/// let lifted = lift_module(&model, config.init::<Forward<NdArray>>(&device))?;
/// let weight = lifted.weight.val();
/// assert!(tangent::<NdArray, 2, 3>(&weight).is_none());
/// primal(&weight).into_data().assert_eq(&model.weight.val().into_data(), true);
/// # Ok::<(), mojet_forward::LiftModuleError>(())
/// ```
pub fn lift_module<B, M1, M2>(source: &M1, target: M2) -> Result<M2, LiftModuleError>
where
    B: Backend,
    M1: Module<B>,
    M2: Module<Forward<B>>,
{
    let mut collected = Collected::<B>::default();
    source.visit(&mut collected);
    let counts = collected.counts();

    let mut replacer = Replacer {
        source: collected,
        index: 0,
        error: None,
        counts,
        target_counts: [0; 3],
    };
    let lifted = target.map(&mut replacer);
    if let Some(error) = replacer.error {
        return Err(error);
    }
    for (kind, (source, target)) in ["float", "int", "bool"]
        .into_iter()
        .zip(replacer.counts.into_iter().zip(replacer.target_counts))
    {
        if source != target {
            return Err(LiftModuleError::Count {
                kind,
                in_source: source,
                in_target: target,
            });
        }
    }
    Ok(lifted)
}

/// Parameter tensors of the source module, in visit order.
struct Collected<B: Backend> {
    floats: VecDeque<FloatTensor<B>>,
    ints: VecDeque<IntTensor<B>>,
    bools: VecDeque<BoolTensor<B>>,
}

impl<B: Backend> Default for Collected<B> {
    fn default() -> Self {
        Self {
            floats: VecDeque::new(),
            ints: VecDeque::new(),
            bools: VecDeque::new(),
        }
    }
}

impl<B: Backend> Collected<B> {
    fn counts(&self) -> [usize; 3] {
        [self.floats.len(), self.ints.len(), self.bools.len()]
    }
}

impl<B: Backend> ModuleVisitor<B> for Collected<B> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<B, D>>) {
        self.floats.push_back(param.val().into_primitive().tensor());
    }

    fn visit_int<const D: usize>(&mut self, param: &Param<Tensor<B, D, Int>>) {
        self.ints.push_back(param.val().into_primitive());
    }

    fn visit_bool<const D: usize>(&mut self, param: &Param<Tensor<B, D, Bool>>) {
        self.bools.push_back(param.val().into_primitive());
    }
}

/// Replaces the target's parameters by the collected ones, recording the first mismatch.
struct Replacer<B: Backend> {
    source: Collected<B>,
    /// Position of the next parameter over all kinds, for error messages.
    index: usize,
    error: Option<LiftModuleError>,
    counts: [usize; 3],
    target_counts: [usize; 3],
}

impl<B: Backend> Replacer<B> {
    /// Returns the next source tensor of a kind when its shape matches `target`, and records
    /// the mismatch otherwise.
    fn next<T: TensorMetadata>(
        &mut self,
        kind: usize,
        source: Option<T>,
        target: &Shape,
    ) -> Option<T> {
        let index = self.index;
        self.index += 1;
        self.target_counts[kind] += 1;
        let source = source?;
        if self.error.is_none() && source.shape() != *target {
            self.error = Some(LiftModuleError::Shape {
                index,
                in_source: source.shape().to_vec(),
                in_target: target.to_vec(),
            });
        }
        self.error.is_none().then_some(source)
    }
}

impl<B: Backend> ModuleMapper<Forward<B>> for Replacer<B> {
    fn map_float<const D: usize>(
        &mut self,
        param: Param<Tensor<Forward<B>, D>>,
    ) -> Param<Tensor<Forward<B>, D>> {
        let (id, tensor, mapper) = param.consume();
        let source = self.source.floats.pop_front();
        let value = match self.next(0, source, &tensor.shape()) {
            Some(source) => {
                Tensor::from_primitive(TensorPrimitive::Float(ForwardTensor::constant(source)))
            }
            None => tensor,
        };
        Param::from_mapped_value(id, value, mapper)
    }

    fn map_int<const D: usize>(
        &mut self,
        param: Param<Tensor<Forward<B>, D, Int>>,
    ) -> Param<Tensor<Forward<B>, D, Int>> {
        let (id, tensor, mapper) = param.consume();
        let source = self.source.ints.pop_front();
        let value = match self.next(1, source, &tensor.shape()) {
            Some(source) => Tensor::from_primitive(source),
            None => tensor,
        };
        Param::from_mapped_value(id, value, mapper)
    }

    fn map_bool<const D: usize>(
        &mut self,
        param: Param<Tensor<Forward<B>, D, Bool>>,
    ) -> Param<Tensor<Forward<B>, D, Bool>> {
        let (id, tensor, mapper) = param.consume();
        let source = self.source.bools.pop_front();
        let value = match self.next(2, source, &tensor.shape()) {
            Some(source) => Tensor::from_primitive(source),
            None => tensor,
        };
        Param::from_mapped_value(id, value, mapper)
    }
}
