//! Module ops of [`Forward`] (linear, convolution, pooling, normalization, ...) and their
//! tangent rules.
//!
//! Ops that take a batch axis first see the directions folded into it: a tangent
//! `[K, N, C, ...]` runs through `B`'s kernel once as `[K·N, C, ...]`. Convolutions and
//! `linear` are bilinear in input and weight. Their weight term runs once per direction, and
//! only when the weight carries tangents, which parameters normally do not.
//!
//! The `*_backward` methods with default bodies compose the ops of `Forward` and get their
//! tangents from those rules. The ones `B` must provide run on `B` when no input carries
//! tangents and panic naming the op otherwise.

use burn::tensor::backend::Backend;
use burn::tensor::ops::attention::attention_fallback;
use burn::tensor::ops::{
    AttentionModuleOptions, BoolTensor, ConvOptions, ConvTransposeOptions, DeformConv2dBackward,
    DeformConvOptions, FloatTensor, IntTensor, InterpolateOptions, MaxPool1dWithIndices,
    MaxPool2dBackward, MaxPool2dWithIndices, ModuleOps, UnfoldOptions,
};
use burn::tensor::{Shape, TensorMetadata};

use super::linalg::tangent_matmul;
use crate::rules::{batched, primal_without_rule};
use crate::tangent;
use crate::{Forward, ForwardTensor};

/// Reshapes a bias tangent `[K, C]` to `[K, 1, .., C, .., 1]` with `C` on axis `axis + 1`, so
/// that it broadcasts against output tangents of rank `rank + 1`.
fn bias_tangent<B: Backend>(tangent: FloatTensor<B>, rank: usize, axis: usize) -> FloatTensor<B> {
    let shape = tangent.shape();
    let mut dims = vec![1; rank + 1];
    dims[0] = shape[0];
    dims[axis + 1] = shape[1];
    B::float_reshape(tangent, Shape::from(dims))
}

/// Applies an op `f(x, weight, bias)` that is bilinear in `(x, weight)` and adds `bias` along
/// axis 1 of the output: every convolution.
///
/// # Shapes
///
/// - `x`: `[N, C_in, ...]`, tangent `[K, N, C_in, ...]`
/// - `bias`: `[C_out]`, tangent `[K, C_out]`
/// - output: `[N, C_out, ...]`, tangent `[K, N, C_out, ...]`
fn convolution<B: Backend>(
    op: &str,
    x: ForwardTensor<B>,
    weight: ForwardTensor<B>,
    bias: Option<ForwardTensor<B>>,
    f: impl Fn(FloatTensor<B>, FloatTensor<B>, Option<FloatTensor<B>>) -> FloatTensor<B>,
) -> ForwardTensor<B> {
    let (x, x_tangent) = x.into_parts();
    let (weight, weight_tangent) = weight.into_parts();
    let (bias, bias_tangent_in) = match bias {
        Some(bias) => {
            let (primal, tangent) = bias.into_parts();
            (Some(primal), tangent)
        }
        None => (None, None),
    };
    let k = tangent::common_directions::<B>(
        op,
        [
            x_tangent.as_ref(),
            weight_tangent.as_ref(),
            bias_tangent_in.as_ref(),
        ],
    );
    let output = f(x.clone(), weight.clone(), bias);
    let Some(k) = k else {
        return ForwardTensor::constant(output);
    };

    let input_term =
        x_tangent.map(|t| tangent::unfold::<B>(f(tangent::fold::<B>(t), weight.clone(), None), k));
    let weight_term = weight_tangent.map(|t| {
        let per_direction = (0..k)
            .map(|index| f(x.clone(), tangent::direction::<B>(t.clone(), index), None))
            .collect();
        tangent::stack::<B>(per_direction)
    });
    let rank = output.shape().num_dims();
    let bias_term = bias_tangent_in.map(|t| bias_tangent::<B>(t, rank, 1));

    let output_tangent = tangent::add::<B>(op, input_term, weight_term);
    let output_tangent = tangent::add::<B>(op, output_tangent, bias_term)
        .map(|t| tangent::expand_to::<B>(t, &output.shape()));
    ForwardTensor::dual(output, output_tangent)
}

/// Routes the input tangent through max-pooling indices.
///
/// # Shapes
///
/// - `tangent`: `[K, N, C, ...input_spatial]`
/// - `indices`: `[N, C, ...output_spatial]`, flat positions in the unpadded input plane
/// - returns `[K, N, C, ...output_spatial]`
fn pooled_tangent<B: Backend>(tangent: FloatTensor<B>, indices: IntTensor<B>) -> FloatTensor<B> {
    let shape = tangent.shape();
    let k = shape[0];
    let plane = shape[3..].iter().product::<usize>();
    let flat = B::float_reshape(tangent, Shape::new([k, shape[1], shape[2], plane]));

    let indices_shape = indices.shape();
    let outputs = indices_shape[2..].iter().product::<usize>();
    let flat_indices = B::int_reshape(
        indices,
        Shape::new([indices_shape[0], indices_shape[1], outputs]),
    );
    let gathered = B::float_gather(3, flat, tangent::expand_int::<B>(flat_indices, k));
    B::float_reshape(gathered, tangent::with_directions(k, &indices_shape))
}

impl<B: Backend> ModuleOps<Self> for Forward<B> {
    fn embedding(weights: FloatTensor<Self>, indices: IntTensor<Self>) -> FloatTensor<Self> {
        let (weights, weights_tangent) = weights.into_parts();
        let output = B::embedding(weights, indices.clone());
        // The embedding is a row lookup, so its tangent looks up the same rows of the weight
        // tangent `[K, n_embeddings, d_model]`.
        let output_tangent = weights_tangent.map(|t| {
            let shape = output.shape();
            let n = indices.shape().num_elements();
            let flat = B::int_reshape(indices, Shape::new([n]));
            let rows = B::float_select(t, 1, flat);
            let k = tangent::directions::<B>(&rows);
            B::float_reshape(rows, tangent::with_directions(k, &shape))
        });
        ForwardTensor::dual(output, output_tangent)
    }

    fn linear(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
    ) -> FloatTensor<Self> {
        let (x, x_tangent) = x.into_parts();
        let (weight, weight_tangent) = weight.into_parts();
        let (bias, bias_tangent_in) = match bias {
            Some(bias) => {
                let (primal, tangent) = bias.into_parts();
                (Some(primal), tangent)
            }
            None => (None, None),
        };
        // d(x W + b) = dx W + x dW + db
        let input_term = x_tangent.map(|t| tangent_matmul::<B>(t, weight.clone()));
        let weight_term = weight_tangent.map(|t| {
            let shape = x.shape();
            let rank = shape.num_dims();
            let rows = shape.num_elements() / shape[rank - 1];
            let flat = B::float_reshape(x.clone(), Shape::new([1, rows, shape[rank - 1]]));
            let product = B::float_matmul(flat, t);
            let k = tangent::directions::<B>(&product);
            let mut dims = tangent::with_directions(k, &shape).to_vec();
            dims[rank] = product.shape()[2];
            B::float_reshape(product, Shape::from(dims))
        });
        let output = B::linear(x, weight, bias);
        let rank = output.shape().num_dims();
        let bias_term = bias_tangent_in.map(|t| bias_tangent::<B>(t, rank, rank - 1));

        let output_tangent = tangent::add::<B>("linear", input_term, weight_term);
        let output_tangent = tangent::add::<B>("linear", output_tangent, bias_term)
            .map(|t| tangent::expand_to::<B>(t, &output.shape()));
        ForwardTensor::dual(output, output_tangent)
    }

    fn conv1d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvOptions<1>,
    ) -> FloatTensor<Self> {
        convolution("conv1d", x, weight, bias, |x, w, b| {
            B::conv1d(x, w, b, options.clone())
        })
    }

    fn conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        convolution("conv2d", x, weight, bias, |x, w, b| {
            B::conv2d(x, w, b, options.clone())
        })
    }

    fn deform_conv2d(
        x: FloatTensor<Self>,
        offset: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        mask: Option<FloatTensor<Self>>,
        bias: Option<FloatTensor<Self>>,
        options: DeformConvOptions<2>,
    ) -> FloatTensor<Self> {
        let op = "deform_conv2d";
        let output = B::deform_conv2d(
            primal_without_rule(op, x),
            primal_without_rule(op, offset),
            primal_without_rule(op, weight),
            mask.map(|mask| primal_without_rule(op, mask)),
            bias.map(|bias| primal_without_rule(op, bias)),
            options,
        );
        ForwardTensor::constant(output)
    }

    fn deform_conv2d_backward(
        x: FloatTensor<Self>,
        offset: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        mask: Option<FloatTensor<Self>>,
        bias: Option<FloatTensor<Self>>,
        output_grad: FloatTensor<Self>,
        options: DeformConvOptions<2>,
    ) -> DeformConv2dBackward<Self> {
        let op = "deform_conv2d_backward";
        let grads = B::deform_conv2d_backward(
            primal_without_rule(op, x),
            primal_without_rule(op, offset),
            primal_without_rule(op, weight),
            mask.map(|mask| primal_without_rule(op, mask)),
            bias.map(|bias| primal_without_rule(op, bias)),
            primal_without_rule(op, output_grad),
            options,
        );
        DeformConv2dBackward::new(
            ForwardTensor::constant(grads.x_grad),
            ForwardTensor::constant(grads.offset_grad),
            ForwardTensor::constant(grads.weight_grad),
            grads.mask_grad.map(ForwardTensor::constant),
            grads.bias_grad.map(ForwardTensor::constant),
        )
    }

    fn conv3d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvOptions<3>,
    ) -> FloatTensor<Self> {
        convolution("conv3d", x, weight, bias, |x, w, b| {
            B::conv3d(x, w, b, options.clone())
        })
    }

    fn conv_transpose1d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvTransposeOptions<1>,
    ) -> FloatTensor<Self> {
        convolution("conv_transpose1d", x, weight, bias, |x, w, b| {
            B::conv_transpose1d(x, w, b, options.clone())
        })
    }

    fn conv_transpose2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvTransposeOptions<2>,
    ) -> FloatTensor<Self> {
        convolution("conv_transpose2d", x, weight, bias, |x, w, b| {
            B::conv_transpose2d(x, w, b, options.clone())
        })
    }

    fn conv_transpose3d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: Option<FloatTensor<Self>>,
        options: ConvTransposeOptions<3>,
    ) -> FloatTensor<Self> {
        convolution("conv_transpose3d", x, weight, bias, |x, w, b| {
            B::conv_transpose3d(x, w, b, options.clone())
        })
    }

    fn unfold4d(
        x: FloatTensor<Self>,
        kernel_size: [usize; 2],
        options: UnfoldOptions,
    ) -> FloatTensor<Self> {
        batched(x, |x| B::unfold4d(x, kernel_size, options.clone()))
    }

    fn avg_pool1d(
        x: FloatTensor<Self>,
        kernel_size: usize,
        stride: usize,
        padding: usize,
        count_include_pad: bool,
        ceil_mode: bool,
    ) -> FloatTensor<Self> {
        batched(x, |x| {
            B::avg_pool1d(
                x,
                kernel_size,
                stride,
                padding,
                count_include_pad,
                ceil_mode,
            )
        })
    }

    fn avg_pool2d(
        x: FloatTensor<Self>,
        kernel_size: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        count_include_pad: bool,
        ceil_mode: bool,
    ) -> FloatTensor<Self> {
        batched(x, |x| {
            B::avg_pool2d(
                x,
                kernel_size,
                stride,
                padding,
                count_include_pad,
                ceil_mode,
            )
        })
    }

    fn avg_pool2d_backward(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        kernel_size: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        count_include_pad: bool,
        ceil_mode: bool,
    ) -> FloatTensor<Self> {
        let op = "avg_pool2d_backward";
        ForwardTensor::constant(B::avg_pool2d_backward(
            primal_without_rule(op, x),
            primal_without_rule(op, grad),
            kernel_size,
            stride,
            padding,
            count_include_pad,
            ceil_mode,
        ))
    }

    fn adaptive_avg_pool2d(x: FloatTensor<Self>, output_size: [usize; 2]) -> FloatTensor<Self> {
        batched(x, |x| B::adaptive_avg_pool2d(x, output_size))
    }

    fn adaptive_avg_pool2d_backward(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        let op = "adaptive_avg_pool2d_backward";
        ForwardTensor::constant(B::adaptive_avg_pool2d_backward(
            primal_without_rule(op, x),
            primal_without_rule(op, grad),
        ))
    }

    fn adaptive_avg_pool1d(x: FloatTensor<Self>, output_size: usize) -> FloatTensor<Self> {
        batched(x, |x| B::adaptive_avg_pool1d(x, output_size))
    }

    fn max_pool1d(
        x: FloatTensor<Self>,
        kernel_size: usize,
        stride: usize,
        padding: usize,
        dilation: usize,
        ceil_mode: bool,
    ) -> FloatTensor<Self> {
        if x.tangent.is_none() {
            return ForwardTensor::constant(B::max_pool1d(
                x.primal,
                kernel_size,
                stride,
                padding,
                dilation,
                ceil_mode,
            ));
        }
        Self::max_pool1d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode).output
    }

    fn max_pool1d_with_indices(
        x: FloatTensor<Self>,
        kernel_size: usize,
        stride: usize,
        padding: usize,
        dilation: usize,
        ceil_mode: bool,
    ) -> MaxPool1dWithIndices<Self> {
        let (x, x_tangent) = x.into_parts();
        let pooled =
            B::max_pool1d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode);
        let output_tangent = x_tangent.map(|t| pooled_tangent::<B>(t, pooled.indices.clone()));
        MaxPool1dWithIndices::new(
            ForwardTensor::dual(pooled.output, output_tangent),
            pooled.indices,
        )
    }

    fn max_pool2d(
        x: FloatTensor<Self>,
        kernel_size: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        dilation: [usize; 2],
        ceil_mode: bool,
    ) -> FloatTensor<Self> {
        if x.tangent.is_none() {
            return ForwardTensor::constant(B::max_pool2d(
                x.primal,
                kernel_size,
                stride,
                padding,
                dilation,
                ceil_mode,
            ));
        }
        Self::max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode).output
    }

    fn max_pool2d_with_indices(
        x: FloatTensor<Self>,
        kernel_size: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        dilation: [usize; 2],
        ceil_mode: bool,
    ) -> MaxPool2dWithIndices<Self> {
        let (x, x_tangent) = x.into_parts();
        let pooled =
            B::max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode);
        let output_tangent = x_tangent.map(|t| pooled_tangent::<B>(t, pooled.indices.clone()));
        MaxPool2dWithIndices::new(
            ForwardTensor::dual(pooled.output, output_tangent),
            pooled.indices,
        )
    }

    fn max_pool2d_with_indices_backward(
        x: FloatTensor<Self>,
        kernel_size: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        dilation: [usize; 2],
        ceil_mode: bool,
        output_grad: FloatTensor<Self>,
        indices: IntTensor<Self>,
    ) -> MaxPool2dBackward<Self> {
        let op = "max_pool2d_with_indices_backward";
        let grads = B::max_pool2d_with_indices_backward(
            primal_without_rule(op, x),
            kernel_size,
            stride,
            padding,
            dilation,
            ceil_mode,
            primal_without_rule(op, output_grad),
            indices,
        );
        MaxPool2dBackward::new(ForwardTensor::constant(grads.x_grad))
    }

    fn interpolate(
        x: FloatTensor<Self>,
        output_size: [usize; 2],
        options: InterpolateOptions,
    ) -> FloatTensor<Self> {
        // Every interpolation mode is a fixed linear map of the input.
        batched(x, |x| B::interpolate(x, output_size, options.clone()))
    }

    fn interpolate_backward(
        x: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        output_size: [usize; 2],
        options: InterpolateOptions,
    ) -> FloatTensor<Self> {
        let op = "interpolate_backward";
        ForwardTensor::constant(B::interpolate_backward(
            primal_without_rule(op, x),
            primal_without_rule(op, grad),
            output_size,
            options,
        ))
    }

    fn attention(
        query: FloatTensor<Self>,
        key: FloatTensor<Self>,
        value: FloatTensor<Self>,
        mask: Option<BoolTensor<Self>>,
        attn_bias: Option<FloatTensor<Self>>,
        options: AttentionModuleOptions,
    ) -> FloatTensor<Self> {
        let has_tangent = query.tangent.is_some()
            || key.tangent.is_some()
            || value.tangent.is_some()
            || attn_bias
                .as_ref()
                .is_some_and(|bias| bias.tangent.is_some());
        if has_tangent {
            // burn's reference attention composes matmul, softmax and masking, so running it
            // on `Forward` differentiates it through those rules.
            return attention_fallback::<Self>(query, key, value, mask, attn_bias, options);
        }
        ForwardTensor::constant(B::attention(
            query.primal,
            key.primal,
            value.primal,
            mask,
            attn_bias.map(|bias| bias.primal),
            options,
        ))
    }

    fn layer_norm(
        tensor: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: Option<FloatTensor<Self>>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        super::norm::layer_norm(tensor, gamma, beta, epsilon)
    }

    fn ctc_loss(
        log_probs: FloatTensor<Self>,
        targets: IntTensor<Self>,
        input_lengths: IntTensor<Self>,
        target_lengths: IntTensor<Self>,
        blank: usize,
    ) -> FloatTensor<Self> {
        ForwardTensor::constant(B::ctc_loss(
            primal_without_rule("ctc_loss", log_probs),
            targets,
            input_lengths,
            target_lengths,
            blank,
        ))
    }

    fn rfft(
        signal: FloatTensor<Self>,
        dim: usize,
        n: Option<usize>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        // The transform is linear, so it maps tangents as it maps the signal.
        // NOTE: untested, because burn-ndarray 0.21 implements neither rfft nor irfft.
        let (x, x_tangent) = signal.into_parts();
        let (real, imaginary) = B::rfft(x, dim, n);
        let (real_tangent, imaginary_tangent) = match x_tangent {
            Some(t) => {
                let (real, imaginary) = B::rfft(t, dim + 1, n);
                (Some(real), Some(imaginary))
            }
            None => (None, None),
        };
        (
            ForwardTensor::dual(real, real_tangent),
            ForwardTensor::dual(imaginary, imaginary_tangent),
        )
    }

    fn irfft(
        spectrum_re: FloatTensor<Self>,
        spectrum_im: FloatTensor<Self>,
        dim: usize,
        n: Option<usize>,
    ) -> FloatTensor<Self> {
        let (real, real_tangent) = spectrum_re.into_parts();
        let (imaginary, imaginary_tangent) = spectrum_im.into_parts();
        let k = tangent::common_directions::<B>(
            "irfft",
            [real_tangent.as_ref(), imaginary_tangent.as_ref()],
        );
        let output_tangent = k.map(|k| {
            let real_tangent = tangent::or_zeros::<B>(real_tangent, &real, k);
            let imaginary_tangent = tangent::or_zeros::<B>(imaginary_tangent, &imaginary, k);
            B::irfft(real_tangent, imaginary_tangent, dim + 1, n)
        });
        ForwardTensor::dual(B::irfft(real, imaginary, dim, n), output_tangent)
    }
}
