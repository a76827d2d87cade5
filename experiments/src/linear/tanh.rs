//! A two-layer tanh pipeline `y = V tanh(W x + w) + v`, the smooth model on
//! which the finite-difference estimators meet curvature: a linear pipeline
//! has none, so every step `ε` would look exact on it.
//!
//! NOTE: the model zoo has no nonlinear pipeline yet; once it has one, this
//! file can give way to it.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Tensor, activation, backend::Backend};
use mojet_forward::Forward;
use mojet_jets::Lift;
use mojet_jets::lift::{device_of, lift_into};
use mojet_models::init::linear_layer;
use mojet_models::{Pipeline, Tap};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The tanh pipeline: taps `hidden` (`tanh(W x + w)`) and `output`.
#[derive(Module, Debug)]
pub struct TanhPipeline<B: Backend> {
    /// The first layer `W x + w`.
    pub hidden: Linear<B>,
    /// The head `V h + v`.
    pub head: Linear<B>,
}

impl<B: Backend> TanhPipeline<B> {
    /// Builds the pipeline with seeded fan-in-scaled weights, so the
    /// pre-activations of standard normal inputs have variance near 1/3 and
    /// the tanh is curved but not saturated.
    pub fn init(
        d_input: usize,
        width: usize,
        d_output: usize,
        seed: u64,
        device: &B::Device,
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Self {
            hidden: linear_layer(&mut rng, d_input, width, true, device),
            head: linear_layer(&mut rng, width, d_output, true, device),
        }
    }
}

impl<B: Backend> Lift<B> for TanhPipeline<B> {
    type Lifted = TanhPipeline<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        let device = device_of(self);
        let [d_input, width] = self.hidden.weight.dims();
        let d_output = self.head.weight.dims()[1];
        lift_into(
            self,
            TanhPipeline::init(d_input, width, d_output, 0, &device),
        )
    }
}

impl<B: Backend> Pipeline<B> for TanhPipeline<B> {
    fn input_width(&self) -> usize {
        self.hidden.weight.dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        vec![
            Tap::new("hidden", self.hidden.weight.dims()[1]),
            Tap::new("output", self.head.weight.dims()[1]),
        ]
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let h = activation::tanh(self.hidden.forward(x));
        let y = self.head.forward(h.clone());
        vec![h, y]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::backend::NdArray;
    use mojet_models::host::{to_matrix, to_tensor};
    use nalgebra::DMatrix;

    type B = NdArray<f64>;

    #[test]
    fn taps_have_requested_widths() {
        let model = TanhPipeline::<B>::init(5, 7, 2, 0, &Default::default());
        assert_eq!(model.input_width(), 5);
        assert_eq!(
            model.taps(),
            vec![Tap::new("hidden", 7), Tap::new("output", 2)]
        );
    }

    #[test]
    fn hidden_tap_is_bounded() {
        let model = TanhPipeline::<B>::init(3, 4, 1, 1, &Default::default());
        let x = DMatrix::from_element(2, 3, 100.0);
        let taps = model.forward_taps(to_tensor(&x, &Default::default()));
        assert!(to_matrix(taps[0].clone()).amax() <= 1.0);
    }
}
