//! Forward-mode automatic differentiation for burn, as a backend decorator.
//!
//! [`Forward<B>`] implements burn's `Backend` over any backend `B`, as `Autodiff<B>` does for
//! reverse mode. A model written against `B: Backend` runs on `Forward<B>` unchanged, and
//! every float tensor it computes carries, next to its value, its Jacobian-vector products
//! `J(x) U` for `K` input directions `U` at once. For mojet these are the jets of every tap.
//!
//! # Representation
//!
//! A float tensor of `Forward<B>` is a [`ForwardTensor`]: the primal, a float tensor of `B`
//! of shape `[...shape]`, and an optional tangent of shape `[K, ...shape]` that stacks the
//! `K` directions on a new leading axis. A missing tangent is a known zero, as JAX's symbolic
//! zeros are: parameters and constants carry none, and each rule skips the arithmetic of a
//! zero term. For `x W + b` with a tangent-less weight, the tangent is one matmul `U W` and
//! no product rule runs. Int and bool tensors are `B`'s own and carry no tangents.
//!
//! # Cost
//!
//! Each op computes its primal once with `B`, whatever `K` is, and then its tangents with a
//! few batched ops of `B` on `[K, ...shape]`. A linear layer on `[N, d]` runs one matmul of
//! `[K·N, d]` by the weight for its tangents. Convolutions and pooling fold the directions
//! into the batch axis and call `B`'s kernel once on `[K·N, C, ...]`. A forward pass thus costs
//! one pass of the model plus the propagation of `K` tangents, with no tape and no per-direction
//! loop. The exception is a weight that carries tangents, whose convolution term runs once per
//! direction.
//!
//! # Ops with tangent rules
//!
//! - Arithmetic: add, sub, mul, div (tensor and scalar, with broadcasting), remainder, neg,
//!   recip, matmul (batched and broadcast), cross, powf, powi, powf and powi with scalars.
//! - Element-wise functions: exp, log, log1p, sqrt, abs, sin, cos, tan, sinh, cosh, tanh, asin,
//!   acos, atan, asinh, acosh, atanh, atan2, erf, clamp, clamp_min, clamp_max.
//! - Layout: reshape, swap_dims, transpose, permute, flip, expand (broadcasting), slice,
//!   slice_assign, cat, repeat_dim, unfold, cast, to_device.
//! - Indexing: gather, select, select_add, scatter_add, gather_nd, scatter_nd (assign and add
//!   reductions), mask_where, mask_fill.
//! - Reductions: sum, mean, prod (exact at zeros) along all axes or one, cumsum, max, min,
//!   max_abs (all or along an axis, with or without indices), sort, topk. Max, min, sort and
//!   topk route tangents through the indices of the selected elements.
//! - Activations: relu, leaky_relu, gelu, sigmoid, hard_sigmoid, log_sigmoid, softmax,
//!   log_softmax. Prelu, softmin, softplus, silu, mish and the others in
//!   `burn::tensor::activation` compose the ops above.
//! - Modules: linear, embedding, layer_norm, conv1d, conv2d, conv3d, conv_transpose1d/2d/3d,
//!   avg_pool1d/2d, adaptive_avg_pool1d/2d, max_pool1d/2d (through their indices),
//!   interpolate, unfold4d, attention (through burn's reference composition when an input
//!   carries tangents), grid_sample_2d in the sampled tensor, rfft and irfft (untested,
//!   because burn-ndarray 0.21 implements neither). Dropout is the identity outside autodiff
//!   backends, so it is the identity here.
//!
//! Ops whose result is piecewise constant have a zero tangent, which is their derivative
//! wherever it exists: round, floor, ceil, trunc, sign, comparisons, argmax, argmin, argsort,
//! argtopk, float to int conversion. `detach` also returns a zero tangent, like JAX's
//! `stop_gradient`.
//!
//! # Ops without a tangent rule
//!
//! cumprod, cummin, cummax, scatter_nd with the mul, min or max reductions, grid_sample_2d in
//! the grid, deform_conv2d, ctc_loss, quantize, and the backward ops that `B` must provide
//! (avg_pool2d_backward, adaptive_avg_pool2d_backward, max_pool2d_with_indices_backward,
//! interpolate_backward, deform_conv2d_backward). Such an op runs normally when none of its
//! inputs carries tangents. When one does, it panics with
//! `forward mode: no tangent rule for {op}`, naming the op as burn's op traits name it, and
//! never returns a zero or wrong tangent. Backend ops cannot return `Result`, so [`try_jvp`]
//! runs a closure and turns that panic into a [`MissingRule`] error.
//!
//! # Lifting inputs and models
//!
//! [`dual`] lifts an input and its directions, [`constant`] lifts a tensor with a zero
//! tangent, [`lift_int`] and [`lift_bool`] lift indices and masks, [`primal`] and [`tangent`] read results back. A model built on `B` moves to
//! `Forward<B>` with [`lift_module`], which moves its parameter tensors into the same model
//! initialized on `Forward<B>`, where they carry no tangents.
//!
//! ```
//! use burn::backend::NdArray;
//! use burn::nn::LinearConfig;
//! use burn::tensor::Tensor;
//! use mojet_forward::{Forward, dual, lift_module, tangent};
//!
//! type B = NdArray<f64>;
//! let device = Default::default();
//!
//! // A linear layer on B, moved to Forward<B>.
//! let config = LinearConfig::new(3, 2);
//! let layer = config.init::<B>(&device);
//! let lifted = lift_module(&layer, config.init::<Forward<B>>(&device))?;
//!
//! // Inputs [N, d] = [4, 3] and K = 2 directions [K, N, d].
//! let x = Tensor::<B, 2>::random([4, 3], burn::tensor::Distribution::Default, &device);
//! let u = Tensor::<B, 3>::random([2, 4, 3], burn::tensor::Distribution::Default, &device);
//! let y = lifted.forward(dual(x.clone(), u.clone())?).tanh();
//!
//! // The tap's jet: [K, N, d_output], equal to (1 - tanh²(x W + b)) ⊙ (U W).
//! let jet: Tensor<B, 3> = tangent(&y).expect("y depends on x");
//! let slope = -layer.forward(x).tanh().powi_scalar(2) + 1.0;
//! let expected = slope.unsqueeze::<3>() * u.matmul(layer.weight.val().unsqueeze::<3>());
//! jet.into_data()
//!     .assert_approx_eq::<f64>(&expected.into_data(), burn::tensor::Tolerance::absolute(1e-12));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Backends
//!
//! `Forward<B>` is generic over `B` and compiles for `NdArray` and `Wgpu` alike. The tests run
//! on `NdArray<f64>` only.

#![warn(missing_docs)]

mod api;
mod backend;
mod error;
mod lift;
mod ops;
mod rules;
mod tangent;
mod tensor;

pub use api::{
    constant, dual, dual_primitive, into_parts, into_tangent, lift_bool, lift_int, lift_module,
    primal, tangent,
};
pub use backend::Forward;
pub use error::{LiftModuleError, MissingRule, TangentShapeError, try_jvp};
pub use tensor::ForwardTensor;
