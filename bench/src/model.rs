//! The benchmarked model: a tanh MLP written as a plain burn module, the way a
//! user of mojet writes their own model, with seeded weights that every peer
//! reads from the same file.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use mojet_models::{Pipeline, Tap};
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};

/// Width of the output tap, the same for every configuration and peer.
pub const OUTPUT_WIDTH: usize = 10;

/// Layer widths of the MLP `d → hidden… → bottleneck → output`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Architecture {
    /// Input width `d`.
    pub input: usize,
    /// Widths of the hidden layers, each followed by tanh.
    pub hidden: Vec<usize>,
    /// Width `k` of the bottleneck tap, followed by tanh.
    pub bottleneck: usize,
    /// Width of the output tap, which has no activation.
    pub output: usize,
}

impl Architecture {
    /// Returns `(d_input, d_output)` of every layer in forward order.
    pub fn layer_shapes(&self) -> Vec<(usize, usize)> {
        let mut widths = vec![self.input];
        widths.extend(&self.hidden);
        widths.push(self.bottleneck);
        widths.push(self.output);
        widths.windows(2).map(|pair| (pair[0], pair[1])).collect()
    }

    /// Returns the taps: every hidden layer, the bottleneck, the output.
    pub fn taps(&self) -> Vec<Tap> {
        let mut taps: Vec<Tap> = self
            .hidden
            .iter()
            .enumerate()
            .map(|(i, &width)| Tap::new(&format!("hidden{}", i + 1), width))
            .collect();
        taps.push(Tap::new("bottleneck", self.bottleneck));
        taps.push(Tap::new("output", self.output));
        taps
    }

    /// Returns the multiply-adds of one forward pass for one point and one
    /// direction: the sum of `d_input · d_output` over layers.
    pub fn multiply_adds(&self) -> usize {
        self.layer_shapes().iter().map(|(i, o)| i * o).sum()
    }
}

/// Host copy of the weights: per layer `weight [d_input, d_output]` (burn's
/// layout, `y = x W + b`) and `bias [d_output]`.
#[derive(Debug, Clone)]
pub struct Weights {
    /// `(weight, bias)` per layer in forward order.
    pub layers: Vec<(Array2<f32>, Array1<f32>)>,
}

impl Weights {
    /// Draws weights from `N(0, 1/d_input)` and biases from `U(-0.1, 0.1)`,
    /// so that the tanh units stay away from saturation at every width.
    pub fn seeded(architecture: &Architecture, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let bias_law = Uniform::new(-0.1f32, 0.1).expect("the bias range is not empty");
        let layers = architecture
            .layer_shapes()
            .into_iter()
            .map(|(input, output)| {
                let std = (1.0 / input as f32).sqrt();
                let law = Normal::new(0.0f32, std).expect("the standard deviation is positive");
                let weight = Array2::from_shape_simple_fn((input, output), || law.sample(&mut rng));
                let bias = Array1::from_shape_simple_fn(output, || bias_law.sample(&mut rng));
                (weight, bias)
            })
            .collect();
        Self { layers }
    }
}

/// The MLP as a burn module: `Linear` layers with tanh between them.
#[derive(Module, Debug)]
pub struct Mlp<B: Backend> {
    hidden: Vec<Linear<B>>,
    bottleneck: Linear<B>,
    output: Linear<B>,
}

impl<B: Backend> Mlp<B> {
    /// Builds the module from host weights.
    ///
    /// # Panics
    /// Panics when `weights` has fewer than two layers (a bottleneck and an
    /// output).
    pub fn new(weights: &Weights, device: &B::Device) -> Self {
        let mut layers: Vec<Linear<B>> = weights
            .layers
            .iter()
            .map(|(weight, bias)| linear_from_host(weight, bias, device))
            .collect();
        let output = layers.pop().expect("the MLP has an output layer");
        let bottleneck = layers.pop().expect("the MLP has a bottleneck layer");
        Self {
            hidden: layers,
            bottleneck,
            output,
        }
    }
}

fn linear_from_host<B: Backend>(
    weight: &Array2<f32>,
    bias: &Array1<f32>,
    device: &B::Device,
) -> Linear<B> {
    let (rows, cols) = weight.dim();
    let weight_data = TensorData::new(weight.iter().copied().collect(), [rows, cols]);
    let bias_data = TensorData::new(bias.to_vec(), [bias.len()]);
    Linear {
        weight: Param::from_tensor(Tensor::from_data(weight_data, device)),
        bias: Some(Param::from_tensor(Tensor::from_data(bias_data, device))),
    }
}

impl<B: Backend> Pipeline<B> for Mlp<B> {
    fn input_width(&self) -> usize {
        self.hidden
            .first()
            .unwrap_or(&self.bottleneck)
            .weight
            .dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        let width = |layer: &Linear<B>| layer.weight.dims()[1];
        let architecture = Architecture {
            input: self.input_width(),
            hidden: self.hidden.iter().map(width).collect(),
            bottleneck: width(&self.bottleneck),
            output: width(&self.output),
        };
        architecture.taps()
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let mut taps = Vec::with_capacity(self.hidden.len() + 2);
        let mut h = x;
        for layer in &self.hidden {
            h = layer.forward(h).tanh();
            taps.push(h.clone());
        }
        h = self.bottleneck.forward(h).tanh();
        taps.push(h.clone());
        taps.push(self.output.forward(h));
        taps
    }
}
