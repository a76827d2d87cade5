//! The jet engines behind one entry point.

use std::fmt;
use std::str::FromStr;

use burn::module::AutodiffModule;
use burn::tensor::backend::AutodiffBackend;
use mojet_models::Pipeline;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::finite::{LeastSquaresOptions, central_jets, default_epsilon, least_squares_jets};
use crate::jet::TapJet;
use crate::reverse::reverse_jets;

/// Method that estimates jets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// Exact, by vector-Jacobian products through burn's `Autodiff`.
    Reverse,
    /// Empirical, by central differences along each direction.
    Central,
    /// Empirical, by least squares over random perturbations.
    LeastSquares,
}

impl EngineKind {
    /// Every engine, in the order help texts list them.
    pub const ALL: [EngineKind; 3] = [
        EngineKind::Reverse,
        EngineKind::Central,
        EngineKind::LeastSquares,
    ];

    /// Returns the name used in configs, flags and reports.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Reverse => "reverse",
            EngineKind::Central => "central",
            EngineKind::LeastSquares => "least-squares",
        }
    }

    /// Returns whether the engine differentiates the model exactly.
    pub fn is_exact(self) -> bool {
        matches!(self, EngineKind::Reverse)
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EngineKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|engine| engine.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|e| e.name()).collect();
                format!("unknown engine \"{text}\"; available: {}", names.join(", "))
            })
    }
}

/// Settings of the finite-difference engines; exact engines ignore them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct EngineOptions {
    /// Step `ε` in input units; [`default_epsilon`] of the base points when
    /// `None`.
    pub epsilon: Option<f64>,
    /// Perturbations per base point for least squares; `2K` when `None`.
    pub samples: Option<usize>,
    /// Observation noise added by the least-squares engine.
    pub noise: f64,
    /// Seed of the least-squares perturbations.
    pub seed: u64,
}

/// Jets of every tap, with how they were estimated.
#[derive(Debug, Clone, PartialEq)]
pub struct Jets {
    /// The engine used.
    pub engine: EngineKind,
    /// The step `ε` used by a finite-difference engine.
    pub epsilon: Option<f64>,
    /// One jet per tap, in tap order.
    pub taps: Vec<TapJet>,
    /// Least-squares local nonlinearity per tap (relative residual).
    pub nonlinearity: Option<Vec<f64>>,
}

/// Estimates the jets of every tap of `model` along `design`.
///
/// # Shapes
/// `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`.
pub fn estimate<B, M>(
    model: &M,
    engine: EngineKind,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &EngineOptions,
    device: &B::Device,
) -> Jets
where
    B: AutodiffBackend,
    M: AutodiffModule<B> + Pipeline<B>,
    M::InnerModule: Pipeline<B::InnerBackend>,
{
    let epsilon = options
        .epsilon
        .unwrap_or_else(|| default_epsilon(base_points));
    match engine {
        EngineKind::Reverse => Jets {
            engine,
            epsilon: None,
            taps: reverse_jets::<B>(model, base_points, design, device),
            nonlinearity: None,
        },
        EngineKind::Central => Jets {
            engine,
            epsilon: Some(epsilon),
            taps: central_jets(&model.valid(), base_points, design, epsilon, device),
            nonlinearity: None,
        },
        EngineKind::LeastSquares => {
            let k = design.directions.first().map_or(0, |u| u.ncols());
            let fitted = least_squares_jets(
                &model.valid(),
                base_points,
                design,
                &LeastSquaresOptions {
                    epsilon,
                    samples: options.samples.unwrap_or(2 * k).max(k),
                    noise: options.noise,
                    seed: options.seed,
                },
                device,
            );
            Jets {
                engine,
                epsilon: Some(epsilon),
                taps: fitted.jets,
                nonlinearity: Some(fitted.nonlinearity),
            }
        }
    }
}
