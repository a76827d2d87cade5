//! The trained head shared by the PCA and MLP pipelines: optional hidden
//! layers with an activation, then a linear output layer.
//!
//! The output tap is `output` for regression and `logits` for
//! classification, where the softmax belongs to the loss and is no tap.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Tensor, backend::Backend};
use rand_chacha::ChaCha8Rng;

use crate::activation::Activation;
use crate::init::{linear_layer, linear_skeleton};
use crate::pipeline::Tap;
use crate::task::Task;

/// Shape of a head.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadConfig {
    /// Widths of the hidden layers, in order; empty for a linear head.
    pub hidden: Vec<usize>,
    /// Activation after every hidden layer.
    pub activation: Activation,
    /// Whether the layers carry biases.
    pub bias: bool,
    /// Output width: targets, or classes when classifying.
    pub d_output: usize,
    /// The task, which names the output tap.
    pub task: Task,
}

impl HeadConfig {
    /// Builds a head on inputs of width `d_input`, drawing the weights from
    /// `rng` layer by layer.
    pub fn init<B: Backend>(
        &self,
        rng: &mut ChaCha8Rng,
        d_input: usize,
        device: &B::Device,
    ) -> Head<B> {
        let mut hidden = Vec::with_capacity(self.hidden.len());
        let mut width = d_input;
        for &next in &self.hidden {
            hidden.push(linear_layer(rng, width, next, self.bias, device));
            width = next;
        }
        Head {
            hidden,
            output: linear_layer(rng, width, self.d_output, self.bias, device),
            activation: self.activation,
            output_tap: self.task.output_tap().to_string(),
        }
    }
}

/// Hidden layers `h_i = σ(W_i h_{i-1} + b_i)` and an output `W h + b`.
#[derive(Module, Debug)]
pub struct Head<B: Backend> {
    /// Hidden layers, tapped as `head1`, `head2`, …
    pub hidden: Vec<Linear<B>>,
    /// The output layer.
    pub output: Linear<B>,
    /// Activation after every hidden layer.
    #[module(skip)]
    pub activation: Activation,
    /// Name of the output tap (`output` or `logits`).
    #[module(skip)]
    pub output_tap: String,
}

impl<B: Backend> Head<B> {
    /// Returns the head's taps in forward order, the output last.
    pub fn taps(&self) -> Vec<Tap> {
        let mut taps: Vec<Tap> = self
            .hidden
            .iter()
            .enumerate()
            .map(|(i, layer)| Tap::new(&format!("head{}", i + 1), layer.weight.dims()[1]))
            .collect();
        taps.push(Tap::new(&self.output_tap, self.output.weight.dims()[1]));
        taps
    }

    /// Runs the head on `z` and appends the value of each of its taps.
    ///
    /// # Shapes
    /// `z`: `[batch, width of the tap before the head]`
    pub fn forward_taps(&self, z: Tensor<B, 2>, taps: &mut Vec<Tensor<B, 2>>) {
        let mut h = z;
        for layer in &self.hidden {
            h = self.activation.apply(layer.forward(h));
            taps.push(h.clone());
        }
        taps.push(self.output.forward(h));
    }

    /// Builds a head of the same shape on another backend with arbitrary
    /// weights.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> Head<B2> {
        Head {
            hidden: self
                .hidden
                .iter()
                .map(|layer| linear_skeleton(layer, device))
                .collect(),
            output: linear_skeleton(&self.output, device),
            activation: self.activation,
            output_tap: self.output_tap.clone(),
        }
    }
}
