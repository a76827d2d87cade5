//! Forward-mode jets through the [`Forward`] backend decorator: one pass of
//! the pipeline carries all `K` directions of every base point, and every tap
//! comes out with its jet.

use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use mojet_forward::{Forward, MissingRule, TangentShapeError, dual, into_parts, try_jvp};
use mojet_models::host::to_tensor;
use mojet_models::{Pipeline, Tap};
use nalgebra::DMatrix;

use crate::design::Design;
use crate::jet::TapJet;

/// The value of one tap and its Jacobian-vector products.
#[derive(Debug, Clone)]
pub struct TapJvp<B: Backend> {
    /// The tap, as the pipeline reports it.
    pub tap: Tap,
    /// `z_l(x)`, shape `[N, m_l]`.
    pub value: Tensor<B, 2>,
    /// `J_l(x) u_j` for every direction `j`, shape `[K, N, m_l]`.
    pub tangent: Tensor<B, 3>,
}

/// Error of [`jvp`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JvpError {
    /// The directions are not `[K, N, d]` for inputs `[N, d]`.
    #[error(transparent)]
    Shape(#[from] TangentShapeError),
    /// The model uses an operation without a tangent rule.
    #[error(transparent)]
    MissingRule(#[from] MissingRule),
}

/// Runs `model` once at `x` and returns every tap with its Jacobian-vector
/// products along `directions`: the primal is computed once, the `K`
/// directions travel alongside it.
///
/// # Shapes
/// - `x`: `[N, d]`
/// - `directions`: `[K, N, d]`, direction `j` of base point `n` at `[j, n, :]`
/// - returns: one [`TapJvp`] per tap, in tap order
///
/// # Errors
/// [`JvpError::Shape`] when the directions do not fit `x`;
/// [`JvpError::MissingRule`] naming the first operation of the model that has
/// no tangent rule.
///
/// # Example
/// ```
/// use burn::backend::NdArray;
/// use burn::tensor::Tensor;
/// use mojet_forward::Forward;
/// use mojet_jets::forward::jvp;
/// use mojet_jets::Lift;
/// use mojet_models::linear::LinearPipelineConfig;
///
/// let device = Default::default();
/// let config = LinearPipelineConfig { d_input: 3, width: 2, d_output: 1, bias: true };
/// let model = config.init::<NdArray>(7, &device).lift();
/// let x = Tensor::<NdArray, 2>::ones([5, 3], &device);
/// let directions = Tensor::<NdArray, 3>::ones([4, 5, 3], &device);
/// let taps = jvp(&model, x, directions)?;
/// assert_eq!(taps[0].tap.name, "encoder");
/// assert_eq!(taps[0].tangent.dims(), [4, 5, 2]);
/// # Ok::<(), mojet_jets::forward::JvpError>(())
/// ```
pub fn jvp<B: Backend>(
    model: &dyn Pipeline<Forward<B>>,
    x: Tensor<B, 2>,
    directions: Tensor<B, 3>,
) -> Result<Vec<TapJvp<B>>, JvpError> {
    let [k, n, _] = directions.dims();
    let device = x.device();
    let lifted = dual(x, directions)?;
    let outputs = try_jvp(|| model.forward_taps(lifted))?;
    let taps = model.taps().into_iter().zip(outputs).map(|(tap, output)| {
        // Taking the parts out of the tap, rather than cloning them, leaves
        // the tangent unshared, so reading it back does not copy it first.
        let (value, tangent) = into_parts::<B, 2, 3>(output);
        // A tap that does not depend on the input has a zero jet.
        let tangent = tangent.unwrap_or_else(|| Tensor::zeros([k, n, tap.width], &device));
        TapJvp {
            value,
            tangent,
            tap,
        }
    });
    Ok(taps.collect())
}

/// Jets of every tap by forward mode: `J_l(x_n) U(x_n)`.
///
/// # Shapes
/// - `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`
/// - returns: one [`TapJet`] per tap, `[N, m_l, K]`
///
/// # Errors
/// [`MissingRule`] naming the first operation of the model that has no
/// tangent rule.
pub fn forward_jets<B: Backend>(
    model: &dyn Pipeline<Forward<B>>,
    base_points: &DMatrix<f64>,
    design: &Design,
    device: &B::Device,
) -> Result<Vec<TapJet>, MissingRule> {
    let (n, d) = base_points.shape();
    let k = design.directions_per_point();
    let x = to_tensor::<B>(base_points, device);
    let directions = directions_tensor::<B>(design, n, d, k, device);
    let taps = jvp(model, x, directions).map_err(|error| match error {
        JvpError::MissingRule(missing) => missing,
        JvpError::Shape(shape) => unreachable!("directions built as [K, N, d]: {shape}"),
    })?;
    let jets = taps.into_iter().map(|tap| TapJet {
        values: per_point(tap.tangent, n, tap.tap.width, k),
        tap: tap.tap.name,
    });
    Ok(jets.collect())
}

/// Builds the `[K, N, d]` tangent of the base points from the design.
fn directions_tensor<B: Backend>(
    design: &Design,
    n: usize,
    d: usize,
    k: usize,
    device: &B::Device,
) -> Tensor<B, 3> {
    let mut values = vec![0.0; k * n * d];
    for (point, u) in design.directions.iter().enumerate() {
        for j in 0..k {
            for i in 0..d {
                values[(j * n + point) * d + i] = u[(i, j)];
            }
        }
    }
    Tensor::from_data(TensorData::new(values, [k, n, d]), device)
}

/// Splits `[K, N, m]` tangents into `N` matrices `[m, K]`.
fn per_point<B: Backend>(
    tangents: Tensor<B, 3>,
    n: usize,
    m: usize,
    k: usize,
) -> Vec<DMatrix<f64>> {
    let values = tangents
        .into_data()
        .convert::<f64>()
        .into_vec::<f64>()
        .expect("a converted tensor holds f64 values");
    (0..n)
        .map(|point| DMatrix::from_fn(m, k, |i, j| values[(j * n + point) * m + i]))
        .collect()
}
