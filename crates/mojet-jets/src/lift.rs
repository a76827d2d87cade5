//! Rebuilding a pipeline on the [`Forward`] decorator, so the forward engine
//! can run any model that can build a copy of its own shape.
//!
//! burn modules are generic over their backend, but Rust cannot name "the
//! same module on another backend" generically, so each pipeline defines how to
//! build an empty copy of itself (a skeleton) and [`lift_module`] moves the
//! weights in. The weights are shared, not copied.

use burn::module::Module;
use burn::tensor::backend::Backend;
use mojet_forward::{Forward, lift_module};
use mojet_models::linear::LinearPipeline;
use mojet_models::{Pipeline, Zoo};

/// A pipeline that can be rebuilt on [`Forward<B>`] with the same weights.
pub trait Lift<B: Backend>: Pipeline<B> {
    /// The same pipeline on the forward-mode decorator.
    type Lifted: Pipeline<Forward<B>>;

    /// Returns the pipeline on [`Forward<B>`], with known-zero tangents on
    /// every parameter.
    fn lift(&self) -> Self::Lifted;
}

/// Moves `source`'s parameters into `skeleton`, which must have its structure.
///
/// # Panics
/// When the skeleton's parameters differ in number or shape, which means the
/// model's skeleton method is wrong, not that the user's input is.
pub fn lift_into<B, M1, M2>(source: &M1, skeleton: M2) -> M2
where
    B: Backend,
    M1: Module<B>,
    M2: Module<Forward<B>>,
{
    lift_module(source, skeleton)
        .unwrap_or_else(|error| panic!("the skeleton does not match the model it lifts: {error}"))
}

/// Returns the device of a module's parameters, or the default device for a
/// module without parameters.
pub fn device_of<B: Backend, M: Module<B>>(module: &M) -> B::Device {
    module.devices().into_iter().next().unwrap_or_default()
}

impl<B: Backend> Lift<B> for LinearPipeline<B> {
    type Lifted = LinearPipeline<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        lift_into(self, self.skeleton(&device_of(self)))
    }
}

impl<B: Backend> Lift<B> for Zoo<B> {
    type Lifted = Zoo<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        lift_into(self, self.skeleton(&device_of(self)))
    }
}
