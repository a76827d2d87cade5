//! The two-module linear pipeline `y = B(Ax + a) + b`.
//!
//! Its taps are `encoder` (`z = Ax + a`, width `r`) and `output`
//! (`y = Bz + b`, width `p`). Every invertible `S` gives the pair
//! `(SA, BS⁻¹)` with the same map, which is the mirage family the jets
//! diagnose.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::{Tensor, backend::Backend};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::host::to_matrix;
use crate::init::{linear_from_matrix, linear_layer};
use crate::pipeline::{Pipeline, Tap};

/// Shape of a linear pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearPipelineConfig {
    /// Input width `d`.
    pub d_input: usize,
    /// Encoder width `r`.
    pub width: usize,
    /// Output width `p`.
    pub d_output: usize,
    /// Whether both modules carry a bias.
    pub bias: bool,
}

impl LinearPipelineConfig {
    /// Builds a pipeline with seeded random weights.
    pub fn init<B: Backend>(&self, seed: u64, device: &B::Device) -> LinearPipeline<B> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        LinearPipeline {
            encoder: linear_layer(&mut rng, self.d_input, self.width, self.bias, device),
            head: linear_layer(&mut rng, self.width, self.d_output, self.bias, device),
        }
    }
}

/// The linear pipeline: an encoder `A` and a head `B`.
#[derive(Module, Debug)]
pub struct LinearPipeline<B: Backend> {
    /// The encoder `z = Ax + a`.
    pub encoder: Linear<B>,
    /// The head `y = Bz + b`.
    pub head: Linear<B>,
}

impl<B: Backend> LinearPipeline<B> {
    /// Returns the shape of the pipeline.
    pub fn config(&self) -> LinearPipelineConfig {
        let [d_input, width] = self.encoder.weight.dims();
        let [_, d_output] = self.head.weight.dims();
        LinearPipelineConfig {
            d_input,
            width,
            d_output,
            bias: self.encoder.bias.is_some(),
        }
    }

    /// Builds a pipeline of the same shape on another backend, with arbitrary
    /// weights, as the target that `mojet_forward::lift_module` fills with
    /// this pipeline's parameters.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> LinearPipeline<B2> {
        self.config().init(0, device)
    }

    /// Builds the pipeline from `A` and `B` (and optional biases).
    ///
    /// # Shapes
    /// - `a`: `[r, d]`, `a_bias`: `r` values
    /// - `b`: `[p, r]`, `b_bias`: `p` values
    ///
    /// # Panics
    /// If the inner widths of `a` and `b` differ.
    pub fn from_matrices(
        a: &DMatrix<f64>,
        a_bias: Option<&[f64]>,
        b: &DMatrix<f64>,
        b_bias: Option<&[f64]>,
        device: &B::Device,
    ) -> Self {
        assert_eq!(
            a.nrows(),
            b.ncols(),
            "encoder width {} differs from head input width {}",
            a.nrows(),
            b.ncols()
        );
        Self {
            encoder: linear_from_matrix(a, a_bias, device),
            head: linear_from_matrix(b, b_bias, device),
        }
    }

    /// Returns the encoder matrix `A`, `[r, d]`.
    pub fn encoder_matrix(&self) -> DMatrix<f64> {
        to_matrix(self.encoder.weight.val()).transpose()
    }

    /// Returns the head matrix `B`, `[p, r]`.
    pub fn head_matrix(&self) -> DMatrix<f64> {
        to_matrix(self.head.weight.val()).transpose()
    }
}

impl<B: Backend> Pipeline<B> for LinearPipeline<B> {
    fn input_width(&self) -> usize {
        self.encoder.weight.dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        vec![
            Tap::new("encoder", self.encoder.weight.dims()[1]),
            Tap::new("output", self.head.weight.dims()[1]),
        ]
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let z = self.encoder.forward(x);
        let y = self.head.forward(z.clone());
        vec![z, y]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::to_tensor;
    use burn::backend::NdArray;

    type B = NdArray<f64>;

    #[test]
    fn taps_follow_the_config() {
        let config = LinearPipelineConfig {
            d_input: 5,
            width: 2,
            d_output: 3,
            bias: true,
        };
        let model = config.init::<B>(7, &Default::default());
        assert_eq!(model.input_width(), 5);
        assert_eq!(
            model.taps(),
            vec![Tap::new("encoder", 2), Tap::new("output", 3)]
        );
    }

    #[test]
    fn from_matrices_computes_b_a_x() {
        let a = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 2.0, 0.0, 1.0, -1.0]);
        let b = DMatrix::from_row_slice(1, 2, &[3.0, -2.0]);
        let model =
            LinearPipeline::<B>::from_matrices(&a, None, &b, Some(&[0.5]), &Default::default());
        let x = DMatrix::from_row_slice(1, 3, &[1.0, 2.0, 3.0]);
        let taps = model.forward_taps(to_tensor(&x, &Default::default()));
        assert_eq!(
            to_matrix(taps[0].clone()),
            DMatrix::from_row_slice(1, 2, &[7.0, -1.0])
        );
        assert_eq!(
            to_matrix(taps[1].clone()),
            DMatrix::from_row_slice(1, 1, &[23.5])
        );
        assert_eq!(model.encoder_matrix(), a);
        assert_eq!(model.head_matrix(), b);
    }

    #[test]
    fn same_seed_same_weights() {
        let config = LinearPipelineConfig {
            d_input: 4,
            width: 2,
            d_output: 1,
            bias: false,
        };
        let first = config.init::<B>(3, &Default::default());
        let second = config.init::<B>(3, &Default::default());
        let third = config.init::<B>(4, &Default::default());
        assert_eq!(first.encoder_matrix(), second.encoder_matrix());
        assert_ne!(first.encoder_matrix(), third.encoder_matrix());
    }
}
