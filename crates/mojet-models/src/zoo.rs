//! Every model of the zoo behind one type, so commands and stores handle them
//! alike.

use burn::module::Module;
use burn::tensor::{Tensor, backend::Backend};
use serde::{Deserialize, Serialize};

use crate::linear::{LinearPipeline, LinearPipelineConfig};
use crate::pipeline::{Pipeline, Tap};

/// Kind of zoo model a config builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// The two-module linear pipeline `y = B(Ax + a) + b`.
    Linear,
}

impl ModelKind {
    /// Returns the name used in configs and reports.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Linear => "linear",
        }
    }
}

/// The `[model]` table of a config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Kind of model to build.
    pub kind: ModelKind,
    /// Width of the encoder tap (`r` for the linear pipeline).
    pub width: usize,
    /// Whether the modules carry biases.
    #[serde(default = "default_bias")]
    pub bias: bool,
}

fn default_bias() -> bool {
    true
}

impl ModelConfig {
    /// Name of the symmetry group of the hidden taps, the reparametrisations
    /// that leave the map unchanged.
    pub fn hidden_symmetry(&self) -> &'static str {
        match self.kind {
            ModelKind::Linear => "general-linear",
        }
    }

    /// Builds the model with seeded random weights.
    pub fn init<B: Backend>(
        &self,
        d_input: usize,
        d_output: usize,
        seed: u64,
        device: &B::Device,
    ) -> Zoo<B> {
        match self.kind {
            ModelKind::Linear => {
                let config = LinearPipelineConfig {
                    d_input,
                    width: self.width,
                    d_output,
                    bias: self.bias,
                };
                Zoo::Linear(config.init(seed, device))
            }
        }
    }
}

/// A model of the zoo.
#[derive(Module, Debug)]
pub enum Zoo<B: Backend> {
    /// The two-module linear pipeline.
    Linear(LinearPipeline<B>),
}

impl<B: Backend> Zoo<B> {
    /// Builds a model of the same kind and shape on another backend, with
    /// arbitrary weights, for lifting this model's parameters into it.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> Zoo<B2> {
        match self {
            Zoo::Linear(model) => Zoo::Linear(model.skeleton(device)),
        }
    }

    fn inner(&self) -> &dyn Pipeline<B> {
        match self {
            Zoo::Linear(model) => model,
        }
    }
}

impl<B: Backend> Pipeline<B> for Zoo<B> {
    fn input_width(&self) -> usize {
        self.inner().input_width()
    }

    fn taps(&self) -> Vec<Tap> {
        self.inner().taps()
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        self.inner().forward_taps(x)
    }
}
