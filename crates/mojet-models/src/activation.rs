//! The elementwise activations of the zoo's hidden layers, and the symmetry
//! group each one leaves on the units of a layer.

use burn::tensor::activation::{leaky_relu, relu, softplus, tanh};
use burn::tensor::{Tensor, backend::Backend};
use serde::{Deserialize, Serialize};

/// Negative slope of [`Activation::LeakyRelu`].
pub const LEAKY_RELU_SLOPE: f64 = 0.01;

/// An elementwise activation, named in kebab case in configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// `max(0, x)`.
    #[default]
    Relu,
    /// `x` for `x ≥ 0`, [`LEAKY_RELU_SLOPE`]`·x` otherwise.
    LeakyRelu,
    /// The exact Gaussian error linear unit `x Φ(x)`.
    Gelu,
    /// The hyperbolic tangent.
    Tanh,
    /// The logistic function `1 / (1 + e^{-x})`.
    Sigmoid,
    /// `ln(1 + e^x)`.
    Softplus,
}

impl Activation {
    /// Returns the name used in configs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky-relu",
            Activation::Gelu => "gelu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Softplus => "softplus",
        }
    }

    /// Applies the activation elementwise.
    pub fn apply<B: Backend>(self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        match self {
            Activation::Relu => relu(x),
            Activation::LeakyRelu => leaky_relu(x, LEAKY_RELU_SLOPE),
            Activation::Gelu => exact_gelu(x),
            Activation::Tanh => tanh(x),
            Activation::Sigmoid => full_precision_sigmoid(x),
            Activation::Softplus => softplus(x, 1.0),
        }
    }

    /// Name of the group of reparametrisations of a layer of these units that
    /// leave the network's map unchanged, as `mojet_jets::quotient::Group`
    /// parses it.
    ///
    /// Positive homogeneity (`σ(cx) = cσ(x)` for `c > 0`) lets ReLU and leaky
    /// ReLU units be rescaled as well as relabelled. `tanh` is odd and
    /// `sigmoid(−x) = 1 − sigmoid(x)`, so negating a unit's incoming and
    /// outgoing weights (and, for sigmoid, shifting the next layer's bias)
    /// leaves the map unchanged and negates the unit's jet: signed
    /// permutations. GELU and softplus units only allow relabelling.
    pub fn symmetry(self) -> &'static str {
        match self {
            Activation::Relu | Activation::LeakyRelu => "permutation-scale",
            Activation::Tanh | Activation::Sigmoid => "signed-permutation",
            Activation::Gelu | Activation::Softplus => "permutation",
        }
    }
}

/// Computes `x Φ(x) = x (1 + erf(x / √2)) / 2` from `erf`.
///
/// burn 0.21's own `gelu` computes this value, but its reverse-mode gradient
/// (`gelu_backward`) is the derivative of the tanh approximation, which
/// moved the reverse-mode jets of a small test network by a relative 6e-4.
/// Building GELU from `erf`, whose gradient is exact, keeps reverse-mode
/// jets equal to the derivative of the forward pass.
fn exact_gelu<B: Backend>(x: Tensor<B, 2>) -> Tensor<B, 2> {
    let cdf = x
        .clone()
        .div_scalar(std::f64::consts::SQRT_2)
        .erf()
        .add_scalar(1.0);
    x.mul(cdf).mul_scalar(0.5)
}

/// Computes the logistic function as `(1 + tanh(x / 2)) / 2`.
///
/// burn 0.21's own `sigmoid` rounds through `f32` even on `f64` tensors,
/// which puts rounding of about 1e-7 into the values, and finite differences
/// divide that by their step. The `tanh` form keeps the tensor's precision and, unlike `1 / (1 + e^-x)`,
/// has no overflowing intermediate in its gradient.
fn full_precision_sigmoid<B: Backend>(x: Tensor<B, 2>) -> Tensor<B, 2> {
    tanh(x.mul_scalar(0.5)).add_scalar(1.0).mul_scalar(0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::backend::NdArray;
    use burn::tensor::TensorData;

    type B = NdArray<f64>;

    #[test]
    fn config_names_are_kebab_case() {
        for activation in [
            Activation::Relu,
            Activation::LeakyRelu,
            Activation::Gelu,
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Softplus,
        ] {
            let text = serde_json::to_string(&activation).unwrap();
            assert_eq!(text, format!("\"{}\"", activation.name()));
        }
    }

    #[test]
    fn leaky_relu_keeps_slope_below_zero() {
        let x = Tensor::<B, 2>::from_data(
            TensorData::new(vec![-2.0, 3.0], [1, 2]),
            &Default::default(),
        );
        let y = Activation::LeakyRelu
            .apply(x)
            .into_data()
            .into_vec::<f64>()
            .unwrap();
        assert_eq!(y, vec![-2.0 * LEAKY_RELU_SLOPE, 3.0]);
    }
}
