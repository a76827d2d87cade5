//! The [`Forward`] backend decorator and its backend-level methods.

use core::marker::PhantomData;

use burn::tensor::backend::{Backend, BackendTypes, DTypeUsageSet, ExecutionError};
use burn::tensor::ops::{TransactionOps, TransactionPrimitive, TransactionPrimitiveData};
use burn::tensor::{DType, TensorData};

use crate::tensor::ForwardTensor;

/// Forward-mode automatic differentiation over any backend `B`.
///
/// Float tensors of `Forward<B>` are [`ForwardTensor`]s: a primal computed by `B` once, and
/// optional tangents for `K` directions stacked on a leading axis. Int and bool tensors are
/// `B`'s own, and their ops run on `B` unchanged.
///
/// A model written against `B: Backend` runs on `Forward<B>` without changes. The crate
/// documentation shows how to lift its inputs and parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct Forward<B> {
    _inner: PhantomData<B>,
}

impl<B: Backend> BackendTypes for Forward<B> {
    type Device = B::Device;

    type FloatTensorPrimitive = ForwardTensor<B>;
    type FloatElem = B::FloatElem;

    type IntTensorPrimitive = B::IntTensorPrimitive;
    type IntElem = B::IntElem;

    type BoolTensorPrimitive = B::BoolTensorPrimitive;
    type BoolElem = B::BoolElem;

    type QuantizedTensorPrimitive = B::QuantizedTensorPrimitive;
}

impl<B: Backend> Backend for Forward<B> {
    fn name(device: &Self::Device) -> String {
        format!("forward<{}>", B::name(device))
    }

    fn seed(device: &Self::Device, seed: u64) {
        B::seed(device, seed)
    }

    fn sync(device: &Self::Device) -> Result<(), ExecutionError> {
        B::sync(device)
    }

    fn memory_persistent_allocations<
        Output: Send,
        Input: Send,
        Func: Fn(Input) -> Output + Send,
    >(
        device: &Self::Device,
        input: Input,
        func: Func,
    ) -> Output {
        B::memory_persistent_allocations(device, input, func)
    }

    fn memory_cleanup(device: &Self::Device) {
        B::memory_cleanup(device)
    }

    fn staging<'a, Iter>(data: Iter, device: &Self::Device)
    where
        Iter: Iterator<Item = &'a mut TensorData>,
    {
        B::staging(data, device)
    }

    fn supports_dtype(device: &Self::Device, dtype: DType) -> bool {
        B::supports_dtype(device, dtype)
    }

    fn dtype_usage(device: &Self::Device, dtype: DType) -> DTypeUsageSet {
        B::dtype_usage(device, dtype)
    }

    fn device_count(type_id: u16) -> usize {
        B::device_count(type_id)
    }
}

impl<B: Backend> TransactionOps<Self> for Forward<B> {
    // Reading a float tensor reads its primal. Tangents are read with `tangent`.
    async fn tr_execute(
        transaction: TransactionPrimitive<Self>,
    ) -> Result<TransactionPrimitiveData, ExecutionError> {
        let floats = transaction
            .read_floats
            .into_iter()
            .map(|tensor| tensor.primal)
            .collect();
        B::tr_execute(TransactionPrimitive::new(
            floats,
            transaction.read_qfloats,
            transaction.read_ints,
            transaction.read_bools,
        ))
        .await
    }
}
