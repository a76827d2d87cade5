//! A smooth model defined outside the zoo, shared by the engine tests.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::Tensor;
use burn::tensor::activation::tanh;
use burn::tensor::backend::Backend;
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
