//! burn-nn models and module ops, written only against `B: Backend` and run unchanged on
//! `Forward<B>`.

use burn::module::Module;
use burn::nn::activation::{Activation, ActivationConfig};
use burn::nn::conv::{Conv1d, Conv1dConfig, Conv2d, Conv2dConfig};
use burn::nn::pool::{
    AvgPool1dConfig, AvgPool2d, AvgPool2dConfig, MaxPool1d, MaxPool1dConfig, MaxPool2d,
    MaxPool2dConfig,
};
use burn::nn::{
    Dropout, DropoutConfig, Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, LeakyRelu,
    LeakyReluConfig, Linear, LinearConfig, PaddingConfig1d, PaddingConfig2d, Relu, Tanh,
};
use burn::record::{BinBytesRecorder, DoublePrecisionSettings, Recorder};
use burn::tensor::activation;
use burn::tensor::backend::Backend;
use burn::tensor::module::{
    adaptive_avg_pool2d, conv_transpose2d, conv2d, interpolate, max_pool2d_with_indices,
};
use burn::tensor::ops::{ConvOptions, ConvTransposeOptions, InterpolateMode, InterpolateOptions};
use burn::tensor::{Int, Tensor, TensorData};
use mojet_forward::{
    Forward, MissingRule, constant, dual, lift_int, lift_module, primal, tangent, try_jvp,
};

use crate::common::{
    F64, Fwd, Inner, Op, Reverse, Sample, check_functions, check_op, fixed, for_random_shapes,
};

/// Moves a module from `NdArray<f64>` to reverse mode through a byte record, so that the
/// reverse-mode reference does not rely on `lift_module`.
fn to_reverse<M1: Module<Inner>, M2: Module<Reverse>>(source: M1, target: M2) -> M2 {
    let recorder = BinBytesRecorder::<DoublePrecisionSettings>::default();
    let bytes = Recorder::<Inner>::record(&recorder, source.into_record(), ()).expect("record");
    let record = Recorder::<Reverse>::load(&recorder, bytes, &Default::default()).expect("load");
    target.load_record(record)
}

/// A small MLP with the layer kinds that the jets of a tap pass through.
#[derive(Module, Debug)]
struct Mlp<B: Backend> {
    input: Linear<B>,
    norm: LayerNorm<B>,
    hidden: Linear<B>,
    output: Linear<B>,
    dropout: Dropout,
    relu: Relu,
    activation: Activation<B>,
    tanh: Tanh,
    leaky: LeakyRelu,
}

impl<B: Backend> Mlp<B> {
    fn new(activation: &ActivationConfig, dropout: f64, device: &B::Device) -> Self {
        Self {
            input: LinearConfig::new(4, 6).init(device),
            norm: LayerNormConfig::new(6).init(device),
            hidden: LinearConfig::new(6, 5).init(device),
            output: LinearConfig::new(5, 3).init(device),
            dropout: DropoutConfig::new(dropout).init(),
            relu: Relu::new(),
            activation: activation.init(device),
            tanh: Tanh::new(),
            leaky: LeakyReluConfig::new().init(),
        }
    }

    /// # Shapes
    ///
    /// - `x`: `[batch, 4]`
    /// - returns `[batch, 3]`
    fn forward(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        let x = self.relu.forward(self.input.forward(x));
        let x = self.dropout.forward(self.norm.forward(x));
        let x = self.activation.forward(self.hidden.forward(x));
        let x = self.tanh.forward(x.clone()) + self.leaky.forward(x);
        let x = self.output.forward(x);
        activation::softmax(activation::softplus(x, 1.0), 1)
    }
}

/// Perturbs a LayerNorm's gamma away from one, so that the test covers it.
fn perturbed_norm<B: Backend>(norm: LayerNorm<B>) -> LayerNorm<B> {
    let gamma = norm.gamma.val();
    let dims = gamma.dims();
    let gamma = gamma + fixed::<B, 1>(dims, 41, -0.5, 0.5);
    let mut norm = norm;
    norm.gamma = burn::module::Param::from_tensor(gamma);
    norm
}

/// Checks an MLP on seeded inputs, with reverse mode as a reference when `with_reverse`.
///
/// Dropout is active on autodiff backends, so a model checked against reverse mode needs a
/// dropout probability of zero.
fn check_mlp(activation: ActivationConfig, dropout: f64, with_reverse: bool) {
    let device = Default::default();
    let mut model = Mlp::<Inner>::new(&activation, dropout, &device);
    model.norm = perturbed_norm(model.norm);
    let target = Mlp::<Fwd>::new(&activation, dropout, &device);
    let lifted = lift_module(&model, target).expect("same structure");
    let tracked = to_reverse(
        model.clone(),
        Mlp::<Reverse>::new(&activation, dropout, &device),
    );
    let reverse = |x: Tensor<Reverse, 2>| tracked.forward(x);
    let reverse: Option<&dyn Fn(Tensor<Reverse, 2>) -> Tensor<Reverse, 2>> =
        if with_reverse { Some(&reverse) } else { None };
    for seed in [1, 2, 3] {
        check_functions(
            |x| model.forward(x),
            |x| lifted.forward(x),
            reverse,
            Sample {
                shape: [5, 4],
                directions: 4,
                domain: (-2.0, 2.0),
                seed,
            },
            F64,
        );
    }
}

#[test]
fn mlp_gelu_tangents() {
    // burn-autodiff 0.21 differentiates gelu through its tanh approximation, so central
    // differences are the only reference for the exact gelu.
    check_mlp(ActivationConfig::Gelu, 0.3, false);
}

#[test]
fn mlp_tanh_tangents() {
    check_mlp(ActivationConfig::Tanh, 0.0, true);
}

#[test]
fn lifted_parameters_have_no_tangent() {
    let device = Default::default();
    let model = Mlp::<Inner>::new(&ActivationConfig::Gelu, 0.3, &device);
    let lifted = lift_module(
        &model,
        Mlp::<Fwd>::new(&ActivationConfig::Gelu, 0.3, &device),
    )
    .expect("same structure");
    let weight = lifted.input.weight.val();
    assert!(tangent::<Inner, 2, 3>(&weight).is_none());
    primal(&weight)
        .into_data()
        .assert_eq(&model.input.weight.val().into_data(), true);
}

#[test]
fn linear_tangent_is_weight_times_direction() {
    // For y = x W + b, the tangent along u is exactly u W.
    let device = Default::default();
    let layer = LinearConfig::new(3, 2).init::<Inner>(&device);
    let lifted =
        lift_module(&layer, LinearConfig::new(3, 2).init::<Fwd>(&device)).expect("same structure");
    let x = fixed::<Inner, 2>([4, 3], 42, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 4, 3], 43, -1.0, 1.0);
    let y = lifted.forward(dual(x, u.clone()).expect("tangent fits"));
    let jvp: Tensor<Inner, 3> = tangent(&y).expect("input carries tangents");
    let expected = u.matmul(layer.weight.val().unsqueeze::<3>());
    jvp.into_data().assert_approx_eq::<f64>(
        &expected.into_data(),
        burn::tensor::Tolerance::absolute(1e-12),
    );
}

#[test]
fn constant_input_gives_no_tangent() {
    let device = Default::default();
    let model = Mlp::<Fwd>::new(&ActivationConfig::Gelu, 0.3, &device);
    let y = model.forward(constant(fixed::<Inner, 2>([3, 4], 44, -1.0, 1.0)));
    assert!(tangent::<Inner, 2, 3>(&y).is_none());
}

/// A convolutional model: conv1d, average and max pooling, as burn-nn modules.
#[derive(Module, Debug)]
struct Conv1dNet<B: Backend> {
    conv: Conv1d<B>,
    average: burn::nn::pool::AvgPool1d,
    max: MaxPool1d,
}

impl<B: Backend> Conv1dNet<B> {
    fn new(device: &B::Device) -> Self {
        Self {
            conv: Conv1dConfig::new(2, 3, 3)
                .with_padding(PaddingConfig1d::Explicit(1, 1))
                .with_stride(1)
                .init(device),
            average: AvgPool1dConfig::new(2).with_stride(1).init(),
            max: MaxPool1dConfig::new(2)
                .with_stride(2)
                .with_padding(PaddingConfig1d::Explicit(1, 1))
                .init(),
        }
    }

    /// # Shapes
    ///
    /// - `x`: `[batch, 2, length]`
    fn forward(&self, x: Tensor<B, 3>) -> Tensor<B, 3> {
        let x = self.conv.forward(x).tanh();
        self.max.forward(self.average.forward(x))
    }
}

#[test]
fn conv1d_pool_model_tangents() {
    let device = Default::default();
    let model = Conv1dNet::<Inner>::new(&device);
    let lifted = lift_module(&model, Conv1dNet::<Fwd>::new(&device)).expect("same structure");
    let tracked = to_reverse(model.clone(), Conv1dNet::<Reverse>::new(&device));
    let reverse = |x: Tensor<Reverse, 3>| tracked.forward(x);
    for seed in [4, 5] {
        check_functions(
            |x| model.forward(x),
            |x| lifted.forward(x),
            Some(&reverse),
            Sample {
                shape: [2, 2, 7],
                directions: 3,
                domain: (-2.0, 2.0),
                seed,
            },
            F64,
        );
    }
}

/// A 2-D convolutional model with strides, padding and both pool kinds.
#[derive(Module, Debug)]
struct Conv2dNet<B: Backend> {
    conv: Conv2d<B>,
    second: Conv2d<B>,
    average: AvgPool2d,
    max: MaxPool2d,
}

impl<B: Backend> Conv2dNet<B> {
    fn new(device: &B::Device) -> Self {
        Self {
            conv: Conv2dConfig::new([2, 3], [3, 3])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device),
            second: Conv2dConfig::new([3, 2], [2, 2])
                .with_stride([2, 1])
                .init(device),
            average: AvgPool2dConfig::new([2, 2]).with_strides([1, 1]).init(),
            max: MaxPool2dConfig::new([2, 2])
                .with_strides([1, 2])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(),
        }
    }

    /// # Shapes
    ///
    /// - `x`: `[batch, 2, height, width]`
    fn forward(&self, x: Tensor<B, 4>) -> Tensor<B, 4> {
        let x = activation::leaky_relu(self.conv.forward(x), 0.2);
        let x = self.max.forward(x);
        self.average.forward(self.second.forward(x))
    }
}

#[test]
fn conv2d_pool_model_tangents() {
    let device = Default::default();
    let model = Conv2dNet::<Inner>::new(&device);
    let lifted = lift_module(&model, Conv2dNet::<Fwd>::new(&device)).expect("same structure");
    let tracked = to_reverse(model.clone(), Conv2dNet::<Reverse>::new(&device));
    let reverse = |x: Tensor<Reverse, 4>| tracked.forward(x);
    for seed in [6, 7] {
        check_functions(
            |x| model.forward(x),
            |x| lifted.forward(x),
            Some(&reverse),
            Sample {
                shape: [2, 2, 6, 5],
                directions: 3,
                domain: (-2.0, 2.0),
                seed,
            },
            F64,
        );
    }
}

/// Defines a test of a module op on random `[N, C, H, W]` shapes with sides up to `$max`.
macro_rules! image_case {
    ($name:ident, $max:expr, $x:ident => $body:expr) => {
        image_case!($name, $max, true, $x => $body);
    };
    ($name:ident, $max:expr, $reverse:expr, $x:ident => $body:expr) => {
        #[test]
        fn $name() {
            struct Case;
            impl Op<4, 4> for Case {
                fn apply<Bk: Backend>(&self, $x: Tensor<Bk, 4>) -> Tensor<Bk, 4> {
                    $body
                }
            }
            for_random_shapes::<4>($max, |[n, c, h, w], seed| {
                check_op(&Case, [n, c, h + 2, w + 2], 2, (-2.0, 2.0), seed, $reverse);
            });
        }
    };
}

image_case!(conv2d_weight_and_bias_tangents, 3, x => {
    // The weight and bias depend on the input, so the weight and bias terms are exercised.
    let [_, c, _, _] = x.dims();
    let scale = x.clone().mean().reshape([1, 1, 1, 1]);
    let weight = fixed::<Bk, 4>([2, c, 2, 2], 45, -1.0, 1.0) * scale.clone().exp();
    let bias = scale.reshape([1]).sin().repeat_dim(0, 2);
    conv2d(x, weight, Some(bias), ConvOptions::new([1, 1], [1, 0], [1, 1], 1))
});
image_case!(conv_transpose2d_input, 3, x => {
    let [_, c, _, _] = x.dims();
    let weight = fixed::<Bk, 4>([c, 2, 2, 2], 46, -1.0, 1.0);
    conv_transpose2d(x, weight, None, ConvTransposeOptions::new([2, 1], [0, 1], [1, 0], [1, 1], 1))
});
image_case!(max_pool2d_indices, 3, x => max_pool2d_with_indices(x, [2, 2], [2, 1], [1, 0], [1, 1], false).0);
image_case!(adaptive_avg_pool2d_tangent, 3, x => adaptive_avg_pool2d(x, [2, 3]));
// burn-ndarray 0.21 has no bilinear interpolation backward, so reverse mode is unavailable.
image_case!(interpolate_bilinear, 3, false, x => interpolate(x, [4, 5], InterpolateOptions::new(InterpolateMode::Bilinear)));
image_case!(grid_sample_input, 3, false, x => {
    // The grid is a constant, so the sample is linear in x. Reverse mode has no rule for it in
    // burn-autodiff 0.21 on ndarray, so central differences are the reference.
    let [n, _, _, _] = x.dims();
    let grid = fixed::<Bk, 4>([n, 3, 2, 2], 50, -0.9, 0.9);
    x.grid_sample_2d(grid, burn::tensor::ops::GridSampleOptions::default())
});
image_case!(interpolate_nearest, 3, x => interpolate(x, [3, 4], InterpolateOptions::new(InterpolateMode::Nearest)));

#[test]
fn embedding_weight_tangents() {
    // An embedding whose weights carry tangents looks up their tangent rows.
    let device = Default::default();
    let layer = EmbeddingConfig::new(5, 3).init::<Inner>(&device);
    let weights = layer.weight.val();
    let u = fixed::<Inner, 3>([2, 5, 3], 47, -1.0, 1.0);
    let indices =
        Tensor::<Inner, 2, Int>::from_data(TensorData::new(vec![4i64, 0, 2, 2], [2, 2]), &device);
    let lifted: Embedding<Fwd> = Embedding {
        weight: burn::module::Param::from_tensor(dual(weights, u.clone()).expect("tangent fits")),
    };
    let y = lifted.forward(lift_int(indices.clone()));
    let jvp: Tensor<Inner, 4> = tangent(&y).expect("weights carry tangents");
    for direction in 0..2 {
        let table: Tensor<Inner, 2> = u.clone().narrow(0, direction, 1).squeeze_dim(0);
        let expected = burn::tensor::module::embedding(table, indices.clone());
        let got: Tensor<Inner, 3> = jvp.clone().narrow(0, direction, 1).squeeze_dim(0);
        got.into_data().assert_eq(&expected.into_data(), true);
    }
}

/// A model that calls an op without a tangent rule.
#[derive(Module, Debug)]
struct CumulativeProduct<B: Backend> {
    layer: Linear<B>,
}

impl<B: Backend> CumulativeProduct<B> {
    fn forward(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        self.layer.forward(x).cumprod(1)
    }
}

#[test]
fn missing_rule_names_the_op() {
    let device = Default::default();
    let model = CumulativeProduct::<Fwd> {
        layer: LinearConfig::new(3, 2).init(&device),
    };
    let x = fixed::<Inner, 2>([2, 3], 48, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 2, 3], 49, -1.0, 1.0);
    let result = try_jvp(|| model.forward(dual(x.clone(), u).expect("tangent fits")));
    assert_eq!(
        result.err(),
        Some(MissingRule {
            op: "float_cumprod".to_owned()
        })
    );
    // Without tangents the op has nothing to differentiate and runs.
    let output = try_jvp(|| model.forward(constant(x)));
    assert!(output.is_ok());
}

#[test]
fn other_panics_resume() {
    let caught = std::panic::catch_unwind(|| try_jvp(|| panic!("unrelated failure")));
    let payload = caught.expect_err("the panic resumes");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"unrelated failure"));
}

#[test]
fn forward_backend_name() {
    use burn::tensor::backend::Backend as _;
    assert_eq!(
        Forward::<Inner>::name(&Default::default()),
        "forward<ndarray>"
    );
}

#[test]
fn layer_norm_parameter_tangents() {
    // gamma and beta depend on the input, so their tangent terms are exercised.
    struct Case;
    impl Op<3, 3> for Case {
        fn apply<Bk: Backend>(&self, x: Tensor<Bk, 3>) -> Tensor<Bk, 3> {
            let [_, _, c] = x.dims();
            let summary = x.clone().sum_dim(0).sum_dim(1).reshape([c]);
            let gamma = (summary.clone().tanh() + 1.0).into_primitive().tensor();
            let beta = summary.sin().into_primitive().tensor();
            // The backend op, because burn-nn's LayerNorm keeps gamma and beta in parameters,
            // which reverse mode requires to be leaves.
            let output = Bk::layer_norm(x.into_primitive().tensor(), gamma, Some(beta), 1e-5);
            Tensor::from_primitive(burn::tensor::TensorPrimitive::Float(output))
        }
    }
    for_random_shapes::<3>(4, |[a, b, c], seed| {
        check_op(&Case, [a, b, c + 1], 3, (-2.0, 2.0), seed, true);
    });
}

#[test]
fn attention_tangents() {
    struct Case;
    impl Op<4, 4> for Case {
        fn apply<Bk: Backend>(&self, x: Tensor<Bk, 4>) -> Tensor<Bk, 4> {
            let options = burn::tensor::ops::AttentionModuleOptions::default();
            burn::tensor::module::attention(
                x.clone(),
                x.clone().sin(),
                x.cos(),
                None,
                None,
                options,
            )
        }
    }
    for_random_shapes::<4>(3, |shape, seed| {
        check_op(&Case, shape, 2, (-2.0, 2.0), seed, true);
    });
}

#[test]
fn unfold4d_tangents() {
    struct Case;
    impl Op<4, 3> for Case {
        fn apply<Bk: Backend>(&self, x: Tensor<Bk, 4>) -> Tensor<Bk, 3> {
            let options = burn::tensor::ops::UnfoldOptions::new([1, 1], [1, 0], [1, 1]);
            burn::tensor::module::unfold4d(x, [2, 2], options)
        }
    }
    for_random_shapes::<4>(3, |[n, c, h, w], seed| {
        check_op(&Case, [n, c, h + 1, w + 1], 2, (-2.0, 2.0), seed, true);
    });
}

#[test]
fn linear_weight_and_bias_tangents() {
    // The weight and bias depend on the input, so the weight and bias terms are exercised.
    struct Case;
    impl Op<3, 3> for Case {
        fn apply<Bk: Backend>(&self, x: Tensor<Bk, 3>) -> Tensor<Bk, 3> {
            let [_, _, d] = x.dims();
            let scale = x.clone().mean().reshape([1, 1]);
            let weight = fixed::<Bk, 2>([d, 3], 56, -1.0, 1.0) * scale.clone().exp();
            let bias = scale.reshape([1]).sin().repeat_dim(0, 3);
            burn::tensor::module::linear(x, weight, Some(bias))
        }
    }
    for_random_shapes::<3>(4, |shape, seed| {
        check_op(&Case, shape, 3, (-2.0, 2.0), seed, true);
    });
}
