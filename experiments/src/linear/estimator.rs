//! L3, the empirical estimators: central-difference and least-squares jets
//! of a tanh pipeline against its exact jets, as functions of the number of
//! directions `K`, the step `ε` and the observation noise.
//!
//! Every error is the relative Frobenius error of the full Jacobian
//! reconstructed from the jets, `Ĵ = (J U) Uᵀ` for orthonormal `U`, with all
//! taps stacked, averaged over base points. Below `K = d` the reconstruction
//! misses `J (I − U Uᵀ)`, whatever the engine: the identification threshold.

use std::cell::RefCell;

use burn::module::AutodiffModule;
use burn::tensor::Tensor;
use burn::tensor::backend::{AutodiffBackend, Backend};
use indicatif::ProgressBar;
use mojet_jets::design::{Design, DesignSpec, build};
use mojet_jets::finite::{LeastSquaresOptions, central_jets, least_squares_jets};
use mojet_jets::{DesignKind, EngineKind, EngineOptions, TapJet, estimate};
use mojet_models::host::to_tensor;
use mojet_models::{Pipeline, Tap};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::config::EstimatorConfig;
use super::tanh::TanhPipeline;

/// The sweep a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sweep {
    /// `K` from 1 to `d`, isotropic designs, no noise.
    K,
    /// `ε` over the configured steps, coordinate design, no noise.
    Epsilon,
    /// Noise over the configured levels, coordinate design.
    Noise,
}

/// One estimate compared with the exact jets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimatorRow {
    /// The sweep the row belongs to.
    pub sweep: Sweep,
    /// Engine name: the exact engine, `central` or `least-squares`.
    pub engine: String,
    /// Directions per base point.
    pub k: usize,
    /// Step `ε` in input units; 0 for the exact engine.
    pub epsilon: f64,
    /// Standard deviation of the observation noise, in tap units.
    pub noise: f64,
    /// Mean relative error of the reconstructed full Jacobian.
    pub relative_error: f64,
}

/// The tanh pipeline under study and its exact full Jacobians.
struct Study<'a, B: AutodiffBackend> {
    model: TanhPipeline<B>,
    inner: TanhPipeline<B::InnerBackend>,
    base_points: &'a DMatrix<f64>,
    exact_engine: EngineKind,
    /// Per base point, the Jacobian of every tap stacked, `[Σ m_l, d]`.
    exact: Vec<DMatrix<f64>>,
    config: &'a EstimatorConfig,
    device: &'a B::Device,
}

/// Runs the three sweeps on a tanh pipeline with `d_output` outputs at
/// `base_points` `[N, d]`.
pub fn estimator_sweeps<B: AutodiffBackend>(
    config: &EstimatorConfig,
    exact_engine: EngineKind,
    base_points: &DMatrix<f64>,
    d_output: usize,
    progress: &ProgressBar,
    device: &B::Device,
) -> Vec<EstimatorRow> {
    let d = base_points.ncols();
    let model = TanhPipeline::<B>::init(d, config.hidden_width, d_output, config.seed, device);
    let inner = model.valid();
    let coordinate = coordinate_design(base_points);
    let exact = estimate::<B, _>(
        &model,
        exact_engine,
        base_points,
        &coordinate,
        &EngineOptions::default(),
        device,
    )
    .expect("linear and tanh pipelines use only operations with tangent rules");
    let study = Study {
        exact: stack_taps(&exact.taps),
        model,
        inner,
        base_points,
        exact_engine,
        config,
        device,
    };

    let mut rows = Vec::new();
    for k in 1..=d {
        progress.set_message(format!("L3 estimator, K = {k}"));
        rows.extend(study.k_sweep_point(k));
        progress.inc(1);
    }
    for &epsilon in &config.epsilons {
        progress.set_message(format!("L3 estimator, ε = {epsilon:e}"));
        rows.extend(study.finite_rows(Sweep::Epsilon, &coordinate, epsilon, 0.0));
        progress.inc(1);
    }
    for &noise in &config.noises {
        progress.set_message(format!("L3 estimator, noise {noise:e}"));
        rows.extend(study.finite_rows(Sweep::Noise, &coordinate, config.epsilon, noise));
        progress.inc(1);
    }
    rows
}

impl<B: AutodiffBackend> Study<'_, B> {
    /// Rows of the exact engine and both finite-difference engines along `K`
    /// isotropic directions.
    fn k_sweep_point(&self, k: usize) -> Vec<EstimatorRow> {
        let spec = DesignSpec {
            k: Some(k),
            seed: self.config.seed,
            ..DesignSpec::new(DesignKind::Isotropic)
        };
        let design = build(&spec, self.base_points, &DMatrix::zeros(0, 0))
            .expect("an isotropic design of 1..=d directions is valid");
        let exact = estimate::<B, _>(
            &self.model,
            self.exact_engine,
            self.base_points,
            &design,
            &EngineOptions::default(),
            self.device,
        )
        .expect("linear and tanh pipelines use only operations with tangent rules");
        let mut rows = vec![EstimatorRow {
            sweep: Sweep::K,
            engine: self.exact_engine.name().to_string(),
            k,
            epsilon: 0.0,
            noise: 0.0,
            relative_error: self.relative_error(&exact.taps, &design),
        }];
        rows.extend(self.finite_rows(Sweep::K, &design, self.config.epsilon, 0.0));
        rows
    }

    /// Rows of the central and least-squares engines along `design` at step
    /// `epsilon`, with Gaussian noise of standard deviation `noise` on every
    /// tap observation.
    fn finite_rows(
        &self,
        sweep: Sweep,
        design: &Design,
        epsilon: f64,
        noise: f64,
    ) -> Vec<EstimatorRow> {
        let k = design.directions_per_point();
        let observed = NoisyTaps::new(&self.inner, noise, self.config.seed);
        let central = central_jets(&observed, self.base_points, design, epsilon, self.device);
        let options = LeastSquaresOptions {
            epsilon,
            samples: self.config.samples_per_direction * k,
            noise: 0.0,
            seed: self.config.seed,
        };
        let least_squares =
            least_squares_jets(&observed, self.base_points, design, &options, self.device).jets;
        [
            (EngineKind::Central, central),
            (EngineKind::LeastSquares, least_squares),
        ]
        .into_iter()
        .map(|(engine, jets)| EstimatorRow {
            sweep,
            engine: engine.name().to_string(),
            k,
            epsilon,
            noise,
            relative_error: self.relative_error(&jets, design),
        })
        .collect()
    }

    /// Mean over base points of `||(J U) Uᵀ − J||_F / ||J||_F`.
    fn relative_error(&self, jets: &[TapJet], design: &Design) -> f64 {
        let estimated = stack_taps(jets);
        let total: f64 = estimated
            .iter()
            .zip(&design.directions)
            .zip(&self.exact)
            .map(|((jet, u), exact)| (jet * u.transpose() - exact).norm() / exact.norm())
            .sum();
        total / self.exact.len().max(1) as f64
    }
}

fn coordinate_design(base_points: &DMatrix<f64>) -> Design {
    build(
        &DesignSpec::new(DesignKind::Coordinate),
        base_points,
        &DMatrix::zeros(0, 0),
    )
    .expect("the coordinate design accepts any finite base points")
}

/// Stacks the jets of every tap vertically, per base point: `[Σ m_l, K]`.
fn stack_taps(jets: &[TapJet]) -> Vec<DMatrix<f64>> {
    let points = jets.first().map_or(0, |jet| jet.values.len());
    (0..points)
        .map(|n| {
            let rows: usize = jets.iter().map(TapJet::width).sum();
            let k = jets[0].directions();
            let mut stacked = DMatrix::zeros(rows, k);
            let mut top = 0;
            for jet in jets {
                let value = &jet.values[n];
                stacked.view_mut((top, 0), value.shape()).copy_from(value);
                top += value.nrows();
            }
            stacked
        })
        .collect()
}

/// A pipeline whose every tap observation carries independent Gaussian
/// noise, the same model of noise for both finite-difference engines.
struct NoisyTaps<'a, B: Backend> {
    inner: &'a dyn Pipeline<B>,
    noise: f64,
    rng: RefCell<ChaCha8Rng>,
}

impl<'a, B: Backend> NoisyTaps<'a, B> {
    fn new(inner: &'a dyn Pipeline<B>, noise: f64, seed: u64) -> Self {
        Self {
            inner,
            noise,
            rng: RefCell::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }
}

impl<B: Backend> Pipeline<B> for NoisyTaps<'_, B> {
    fn input_width(&self) -> usize {
        self.inner.input_width()
    }

    fn taps(&self) -> Vec<Tap> {
        self.inner.taps()
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let taps = self.inner.forward_taps(x);
        if self.noise == 0.0 {
            return taps;
        }
        let mut rng = self.rng.borrow_mut();
        taps.into_iter()
            .map(|tap| {
                let [rows, cols] = tap.dims();
                let noise = DMatrix::<f64>::from_fn(rows, cols, |_, _| {
                    let draw: f64 = StandardNormal.sample(&mut *rng);
                    self.noise * draw
                });
                let device = tap.device();
                tap + to_tensor::<B>(&noise, &device)
            })
            .collect()
    }
}
