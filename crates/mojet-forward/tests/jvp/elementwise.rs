//! Element-wise float ops and activations on random shapes `[a, b, c]`.

use burn::tensor::Tensor;
use burn::tensor::activation;
use burn::tensor::backend::Backend;

use crate::common::{F32_PRIMAL, F64, Op, check_op_with, fixed, for_random_shapes};

/// Defines a test that checks `$body` (a function of `$x: Tensor<_, 3>`) on inputs drawn from
/// `$domain`, against central differences and, when `$reverse`, reverse mode.
macro_rules! elementwise_case {
    ($name:ident, $x:ident => $body:expr, $domain:expr, $reverse:expr) => {
        elementwise_case!($name, $x => $body, $domain, $reverse, F64);
    };
    ($name:ident, $x:ident => $body:expr, $domain:expr, $reverse:expr, $differences:expr) => {
        #[test]
        fn $name() {
            struct Case;
            impl Op<3, 3> for Case {
                fn apply<Bk: Backend>(&self, $x: Tensor<Bk, 3>) -> Tensor<Bk, 3> {
                    $body
                }
            }
            for_random_shapes::<3>(4, |shape, seed| {
                check_op_with(&Case, shape, 3, $domain, seed, $reverse, $differences);
            });
        }
    };
}

const WIDE: (f64, f64) = (-2.0, 2.0);
const POSITIVE: (f64, f64) = (0.2, 2.0);
const UNIT: (f64, f64) = (-0.9, 0.9);

elementwise_case!(exp, x => x.exp(), WIDE, true);
elementwise_case!(log, x => x.log(), POSITIVE, true);
elementwise_case!(log1p, x => x.log1p(), (-0.5, 2.0), true);
elementwise_case!(sqrt, x => x.sqrt(), POSITIVE, true);
elementwise_case!(abs, x => x.abs(), WIDE, true);
elementwise_case!(neg, x => -x, WIDE, true);
elementwise_case!(recip, x => x.recip(), POSITIVE, true);
elementwise_case!(sin, x => x.sin(), WIDE, true);
elementwise_case!(cos, x => x.cos(), WIDE, true);
elementwise_case!(tan, x => x.tan(), UNIT, true);
elementwise_case!(sinh, x => x.sinh(), WIDE, true);
elementwise_case!(cosh, x => x.cosh(), WIDE, true);
elementwise_case!(tanh, x => x.tanh(), WIDE, true);
elementwise_case!(asin, x => x.asin(), UNIT, false);
elementwise_case!(acos, x => x.acos(), UNIT, false);
elementwise_case!(atan, x => x.atan(), WIDE, false);
elementwise_case!(asinh, x => x.asinh(), WIDE, false);
elementwise_case!(acosh, x => x.acosh(), (1.2, 3.0), false);
elementwise_case!(atanh, x => x.atanh(), UNIT, false);
elementwise_case!(erf, x => x.erf(), WIDE, true);
elementwise_case!(powf_scalar, x => x.powf_scalar(2.5), POSITIVE, true);
elementwise_case!(powi_scalar, x => x.powi_scalar(3), WIDE, true);
elementwise_case!(square, x => x.powi_scalar(2), WIDE, true);
elementwise_case!(powf_tensor, x => x.clone().powf(x.clone().sin() + 1.5), POSITIVE, true);
elementwise_case!(add_scalar, x => x + 1.5, WIDE, true);
elementwise_case!(sub_scalar, x => x - 1.5, WIDE, true);
elementwise_case!(mul_scalar, x => x * 1.5, WIDE, true);
elementwise_case!(div_scalar, x => x / 1.5, WIDE, true);
elementwise_case!(remainder_scalar, x => x.remainder_scalar(0.7), (0.01, 0.69), true);
elementwise_case!(clamp, x => x.clamp(-1.0, 1.0), WIDE, true);
elementwise_case!(clamp_min, x => x.clamp_min(0.3), WIDE, true);
elementwise_case!(clamp_max, x => x.clamp_max(0.3), WIDE, true);

// Binary ops where both operands carry tangents, and where one is a constant.
elementwise_case!(add_dual, x => x.clone() + x.sin(), WIDE, true);
elementwise_case!(sub_dual, x => x.clone() - x.exp(), WIDE, true);
elementwise_case!(mul_dual, x => x.clone() * x.cos(), WIDE, true);
elementwise_case!(div_dual, x => x.clone().sin() / (x.exp() + 0.5), WIDE, true);
elementwise_case!(mul_constant, x => {
    let shape = x.dims();
    x * fixed::<Bk, 3>(shape, 11, -1.0, 1.0)
}, WIDE, true);
elementwise_case!(div_by_dual, x => {
    let shape = x.dims();
    fixed::<Bk, 3>(shape, 12, -1.0, 1.0) / (x.exp() + 0.5)
}, WIDE, true);
elementwise_case!(atan2_dual, x => x.clone().sin().atan2(x.cos() + 1.5), WIDE, false);
elementwise_case!(remainder_dual, x => x.clone().remainder(x.abs() * 0.3 + 2.0), POSITIVE, true);
elementwise_case!(add_broadcast, x => {
    let [_, b, c] = x.dims();
    x + fixed::<Bk, 3>([1, b, c], 13, -1.0, 1.0)
}, WIDE, true);
elementwise_case!(mul_broadcast_dual, x => {
    // The right operand has shape [1, b, c] and carries tangents: its tangent broadcasts.
    let right = x.clone().sum_dim(0).exp();
    x * right
}, WIDE, true);

// Activations, through burn's activation functions as burn-nn calls them.
elementwise_case!(relu, x => activation::relu(x), WIDE, true);
elementwise_case!(leaky_relu, x => activation::leaky_relu(x, 0.1), WIDE, true);
// burn-autodiff 0.21 differentiates gelu through its tanh approximation, so reverse mode is
// no reference for the exact gelu.
elementwise_case!(gelu, x => activation::gelu(x), WIDE, false);
elementwise_case!(sigmoid, x => activation::sigmoid(x), WIDE, true, F32_PRIMAL);
elementwise_case!(log_sigmoid, x => activation::log_sigmoid(x), WIDE, true);
elementwise_case!(hard_sigmoid, x => activation::hard_sigmoid(x, 0.2, 0.5), (-4.0, 4.0), true, F32_PRIMAL);
elementwise_case!(softplus, x => activation::softplus(x, 1.5), WIDE, true);
elementwise_case!(silu, x => activation::silu(x), WIDE, true, F32_PRIMAL);
elementwise_case!(mish, x => activation::mish(x), WIDE, true);
elementwise_case!(tanh_activation, x => activation::tanh(x), WIDE, true);
elementwise_case!(softmax_last, x => activation::softmax(x, 2), WIDE, true);
elementwise_case!(softmax_first, x => activation::softmax(x, 0), WIDE, true);
elementwise_case!(log_softmax, x => activation::log_softmax(x, 1), WIDE, true);
elementwise_case!(softmin, x => activation::softmin(x, 2), WIDE, true);
elementwise_case!(prelu, x => {
    let [_, b, _] = x.dims();
    let alpha = fixed::<Bk, 1>([b], 14, 0.0, 0.5);
    activation::prelu(x, alpha)
}, WIDE, true);
