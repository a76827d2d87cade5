//! A smooth model defined outside the zoo, shared by the engine tests.

use burn::module::Module;
use burn::nn::Linear;
use burn::nn::LinearConfig;
use burn::tensor::Tensor;
use burn::tensor::activation::tanh;
use burn::tensor::backend::Backend;
use mojet_forward::Forward;
use mojet_jets::Lift;
use mojet_jets::lift::{device_of, lift_into};
use mojet_models::pipeline::{Pipeline, Tap};

/// `y = W2 tanh(W1 x + b1) + b2`, with taps `hidden` and `output`.
#[derive(Module, Debug)]
pub struct TanhNet<B: Backend> {
    pub hidden: Linear<B>,
    pub out: Linear<B>,
}

impl<B: Backend> Pipeline<B> for TanhNet<B> {
    fn input_width(&self) -> usize {
        self.hidden.weight.dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        vec![
            Tap::new("hidden", self.hidden.weight.dims()[1]),
            Tap::new("output", self.out.weight.dims()[1]),
        ]
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let h = tanh(self.hidden.forward(x));
        let y = self.out.forward(h.clone());
        vec![h, y]
    }
}

impl<B: Backend> TanhNet<B> {
    /// Builds the net with burn's default initialisation, seeded by the
    /// backend's seed.
    #[allow(dead_code)]
    pub fn init(d_input: usize, width: usize, d_output: usize, device: &B::Device) -> Self {
        Self {
            hidden: LinearConfig::new(d_input, width).init(device),
            out: LinearConfig::new(width, d_output).init(device),
        }
    }
}

impl<B: Backend> Lift<B> for TanhNet<B> {
    type Lifted = TanhNet<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        let [d_input, width] = self.hidden.weight.dims();
        let d_output = self.out.weight.dims()[1];
        lift_into(
            self,
            TanhNet::init(d_input, width, d_output, &device_of(self)),
        )
    }
}
