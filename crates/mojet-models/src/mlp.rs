//! The MLP pipeline: hidden layers, a bottleneck of width `k`, then a head.
//!
//! Taps: `hidden1`, `hidden2`, … (one per encoder layer), `bottleneck`
//! (width `k`), the head's hidden taps `head1`, … if any, then `output` (or
//! `logits` when classifying). Every hidden tap, the bottleneck included, is
//! a linear layer followed by the activation. Applying the activation at the
//! bottleneck too gives every hidden tap the same symmetry (relabelling, and
//! positive rescaling for ReLU units), where a linear bottleneck would be
//! determined only up to an invertible linear map.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Tensor, backend::Backend};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::activation::Activation;
use crate::head::{Head, HeadConfig};
use crate::init::{linear_layer, linear_skeleton};
use crate::pipeline::{Pipeline, Tap};

/// Shape of an MLP pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct MlpPipelineConfig {
    /// Input width `d`.
    pub d_input: usize,
    /// Widths of the encoder's hidden layers, in order.
    pub hidden: Vec<usize>,
    /// Bottleneck width `k`.
    pub width: usize,
    /// The head on the bottleneck; its activation is the whole network's.
    pub head: HeadConfig,
}

impl MlpPipelineConfig {
    /// Builds a pipeline with weights drawn on the host from `seed`, so a
    /// seed gives the same model on every backend.
    pub fn init<B: Backend>(&self, seed: u64, device: &B::Device) -> MlpPipeline<B> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let bias = self.head.bias;
        let mut encoder = Vec::with_capacity(self.hidden.len());
        let mut width = self.d_input;
        for &next in &self.hidden {
            encoder.push(linear_layer(&mut rng, width, next, bias, device));
            width = next;
        }
        let bottleneck = linear_layer(&mut rng, width, self.width, bias, device);
        MlpPipeline {
            encoder,
            bottleneck,
            head: self.head.init(&mut rng, self.width, device),
            activation: self.head.activation,
        }
    }
}

/// The MLP pipeline.
#[derive(Module, Debug)]
pub struct MlpPipeline<B: Backend> {
    /// Encoder layers, tapped as `hidden1`, `hidden2`, … after the activation.
    pub encoder: Vec<Linear<B>>,
    /// The bottleneck layer, tapped as `bottleneck` after the activation.
    pub bottleneck: Linear<B>,
    /// The head on the bottleneck.
    pub head: Head<B>,
    /// Activation after every encoder layer and the bottleneck.
    #[module(skip)]
    pub activation: Activation,
}

impl<B: Backend> MlpPipeline<B> {
    /// Builds a pipeline of the same shape on another backend with arbitrary
    /// weights, as the target that `mojet_forward::lift_module` fills with
    /// this pipeline's parameters.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> MlpPipeline<B2> {
        MlpPipeline {
            encoder: self
                .encoder
                .iter()
                .map(|layer| linear_skeleton(layer, device))
                .collect(),
            bottleneck: linear_skeleton(&self.bottleneck, device),
            head: self.head.skeleton(device),
            activation: self.activation,
        }
    }
}

impl<B: Backend> Pipeline<B> for MlpPipeline<B> {
    fn input_width(&self) -> usize {
        self.encoder
            .first()
            .unwrap_or(&self.bottleneck)
            .weight
            .dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        let mut taps: Vec<Tap> = self
            .encoder
            .iter()
            .enumerate()
            .map(|(i, layer)| Tap::new(&format!("hidden{}", i + 1), layer.weight.dims()[1]))
            .collect();
        taps.push(Tap::new("bottleneck", self.bottleneck.weight.dims()[1]));
        taps.extend(self.head.taps());
        taps
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let mut taps = Vec::with_capacity(self.encoder.len() + self.head.hidden.len() + 2);
        let mut h = x;
        for layer in &self.encoder {
            h = self.activation.apply(layer.forward(h));
            taps.push(h.clone());
        }
        let z = self.activation.apply(self.bottleneck.forward(h));
        taps.push(z.clone());
        self.head.forward_taps(z, &mut taps);
        taps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::to_matrix;
    use crate::task::Task;
    use burn::backend::NdArray;

    type B = NdArray<f64>;

    fn config() -> MlpPipelineConfig {
        MlpPipelineConfig {
            d_input: 5,
            hidden: vec![6, 4],
            width: 2,
            head: HeadConfig {
                hidden: vec![3],
                activation: Activation::Relu,
                bias: true,
                d_output: 1,
                task: Task::Regression,
            },
        }
    }

    #[test]
    fn taps_follow_the_config() {
        let model = config().init::<B>(1, &Default::default());
        assert_eq!(model.input_width(), 5);
        assert_eq!(
            model.taps(),
            vec![
                Tap::new("hidden1", 6),
                Tap::new("hidden2", 4),
                Tap::new("bottleneck", 2),
                Tap::new("head1", 3),
                Tap::new("output", 1),
            ]
        );
    }

    #[test]
    fn same_seed_same_weights() {
        let device = Default::default();
        let first = config().init::<B>(3, &device);
        let second = config().init::<B>(3, &device);
        let third = config().init::<B>(4, &device);
        let weight = |model: &MlpPipeline<B>| to_matrix(model.bottleneck.weight.val());
        assert_eq!(weight(&first), weight(&second));
        assert_ne!(weight(&first), weight(&third));
    }
}
