//! Finite-difference jets: the model-agnostic estimators for pipelines that
//! cannot be differentiated.
//!
//! Both estimators only evaluate the pipeline, so they work on any tap of any
//! model. On smooth models they converge to the exact jets: central
//! differences at rate `O(ε²)`, the least-squares estimator at `O(ε)` because
//! it uses one-sided differences.

use burn::tensor::backend::Backend;
use mojet_models::Pipeline;
use mojet_models::host::{to_matrix, to_tensor};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::jet::TapJet;

/// Step of the finite differences relative to the data scale.
pub const DEFAULT_RELATIVE_STEP: f64 = 1e-2;

/// Settings of the least-squares estimator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeastSquaresOptions {
    /// Perturbation scale `ε`, in input units.
    pub epsilon: f64,
    /// Number of random perturbations `S` per base point; at least `K`.
    pub samples: usize,
    /// Standard deviation of Gaussian noise added to every tap observation,
    /// for studying the estimator under observation noise.
    pub noise: f64,
    /// Seed of the perturbation coefficients and the noise.
    pub seed: u64,
}

/// Least-squares jets with their local-linearity residuals.
#[derive(Debug, Clone, PartialEq)]
pub struct LeastSquaresJets {
    /// Estimated jets, one per tap.
    pub jets: Vec<TapJet>,
    /// Per tap, `||ΔZ − M C||_F / ||ΔZ||_F` averaged over base points: 0 for a
    /// tap that is linear at scale `ε`, growing with its curvature.
    pub nonlinearity: Vec<f64>,
}

/// The default step `ε`: [`DEFAULT_RELATIVE_STEP`] times the root mean square
/// coordinate of the base points (1 for standardised data).
pub fn default_epsilon(base_points: &DMatrix<f64>) -> f64 {
    let scale = (base_points.norm_squared() / base_points.len().max(1) as f64).sqrt();
    DEFAULT_RELATIVE_STEP * if scale > 0.0 { scale } else { 1.0 }
}

/// Evaluates every tap of `model` on a host batch.
///
/// # Shapes
/// `x`: `[batch, d]`; returns one `[batch, m_l]` matrix per tap.
pub fn evaluate<B: Backend>(
    model: &dyn Pipeline<B>,
    x: &DMatrix<f64>,
    device: &B::Device,
) -> Vec<DMatrix<f64>> {
    model
        .forward_taps(to_tensor::<B>(x, device))
        .into_iter()
        .map(to_matrix)
        .collect()
}

/// Central-difference jets `(z(x+εu) − z(x−εu)) / 2ε` along every direction.
///
/// # Shapes
/// - `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`
/// - returns: one [`TapJet`] per tap, `[N, m_l, K]`
pub fn central_jets<B: Backend>(
    model: &dyn Pipeline<B>,
    base_points: &DMatrix<f64>,
    design: &Design,
    epsilon: f64,
    device: &B::Device,
) -> Vec<TapJet> {
    let n = base_points.nrows();
    let k = design.directions.first().map_or(0, |u| u.ncols());
    let taps = model.taps();
    let mut jets: Vec<TapJet> = taps
        .iter()
        .map(|tap| TapJet {
            tap: tap.name.clone(),
            values: vec![DMatrix::zeros(tap.width, k); n],
        })
        .collect();
    for j in 0..k {
        let step = shifted_directions(design, j, n) * epsilon;
        let plus = evaluate(model, &(base_points + &step), device);
        let minus = evaluate(model, &(base_points - &step), device);
        for ((jet, up), down) in jets.iter_mut().zip(&plus).zip(&minus) {
            for (point, value) in jet.values.iter_mut().enumerate() {
                let difference = (up.row(point) - down.row(point)) / (2.0 * epsilon);
                value.column_mut(j).copy_from(&difference.transpose());
            }
        }
    }
    jets
}

/// Least-squares jets: `S` random perturbations `δ_s = ε U c_s`, then
/// `min_M Σ_s ||Δz_s − M c_s||²`, so `M / ε ≈ J U`.
///
/// # Shapes
/// - `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`
/// - returns: one [`TapJet`] per tap, `[N, m_l, K]`
///
/// # Panics
/// If `options.samples < K`, since the normal equations are then singular.
pub fn least_squares_jets<B: Backend>(
    model: &dyn Pipeline<B>,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &LeastSquaresOptions,
    device: &B::Device,
) -> LeastSquaresJets {
    let (n, d) = base_points.shape();
    let k = design.directions.first().map_or(0, |u| u.ncols());
    let s = options.samples;
    assert!(s >= k, "least squares needs samples >= K, got {s} < {k}");
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let coefficients: Vec<DMatrix<f64>> = (0..n).map(|_| gaussian(&mut rng, k, s)).collect();

    // Row `n·S + s` of the batch is base point `n` moved by `ε U_n c_s`.
    let mut batch = DMatrix::zeros(n * s, d);
    for (point, (u, c)) in design.directions.iter().zip(&coefficients).enumerate() {
        let moved = (u * c * options.epsilon).transpose();
        for sample in 0..s {
            let row = base_points.row(point) + moved.row(sample);
            batch.row_mut(point * s + sample).copy_from(&row);
        }
    }
    let centre = evaluate(model, base_points, device);
    let moved = evaluate(model, &batch, device);

    let mut jets = Vec::with_capacity(centre.len());
    let mut nonlinearity = Vec::with_capacity(centre.len());
    for ((tap, z0), z) in model.taps().iter().zip(&centre).zip(&moved) {
        let mut values = Vec::with_capacity(n);
        let mut residual_sum = 0.0;
        for (point, c) in coefficients.iter().enumerate() {
            let mut delta = DMatrix::from_fn(tap.width, s, |i, sample| {
                z[(point * s + sample, i)] - z0[(point, i)]
            });
            add_noise(&mut delta, options.noise, &mut rng);
            let (m, residual) = solve_least_squares(&delta, c);
            residual_sum += residual;
            values.push(m / options.epsilon);
        }
        jets.push(TapJet {
            tap: tap.name.clone(),
            values,
        });
        nonlinearity.push(residual_sum / n.max(1) as f64);
    }
    LeastSquaresJets { jets, nonlinearity }
}

/// Direction `j` of every base point as the rows of a `[N, d]` matrix.
fn shifted_directions(design: &Design, j: usize, n: usize) -> DMatrix<f64> {
    let d = design.directions.first().map_or(0, |u| u.nrows());
    let mut out = DMatrix::zeros(n, d);
    for (point, u) in design.directions.iter().enumerate() {
        out.row_mut(point).copy_from(&u.column(j).transpose());
    }
    out
}

fn gaussian(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| StandardNormal.sample(rng))
}

fn add_noise(delta: &mut DMatrix<f64>, noise: f64, rng: &mut ChaCha8Rng) {
    if noise > 0.0 {
        *delta += gaussian(rng, delta.nrows(), delta.ncols()) * noise;
    }
}

/// Solves `min_M ||ΔZ − M C||_F` and returns `M` with the relative residual.
///
/// # Shapes
/// `delta`: `[m, S]`, `c`: `[K, S]`, returns `[m, K]`.
fn solve_least_squares(delta: &DMatrix<f64>, c: &DMatrix<f64>) -> (DMatrix<f64>, f64) {
    // M = ΔZ Cᵀ (C Cᵀ)⁻¹, solved through the SVD of Cᵀ for stability.
    let svd = c.transpose().svd(true, true);
    let m = svd
        .solve(&delta.transpose(), 1e-12)
        .expect("the SVD was computed with both factors")
        .transpose();
    let scale = delta.norm();
    let residual = if scale > 0.0 {
        (delta - &m * c).norm() / scale
    } else {
        0.0
    };
    (m, residual)
}
