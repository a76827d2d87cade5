//! The engines the command line offers: forward mode next to the engines of
//! [`mojet_jets::estimate`].

use std::fmt;
use std::str::FromStr;

use burn::tensor::backend::AutodiffBackend;
use mojet_forward::Forward;
use mojet_jets::forward::forward_jets;
use mojet_jets::{Design, EngineKind};
use mojet_jets::{EngineOptions, TapJet, estimate};
use mojet_models::store::SavedModel;
use nalgebra::DMatrix;

use crate::failure::Failure;

/// A jet engine chosen with `--engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Exact, by Jacobian-vector products through the `Forward` decorator.
    Forward,
    /// One of the reverse-mode or finite-difference engines.
    Other(EngineKind),
}

impl Engine {
    /// Returns the name used in flags and reports.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Forward => "forward",
            Engine::Other(kind) => kind.name(),
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Engine {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "forward" {
            return Ok(Engine::Forward);
        }
        EngineKind::from_str(text).map(Engine::Other).map_err(|_| {
            let mut names = vec!["forward"];
            names.extend(EngineKind::ALL.iter().map(|e| e.name()));
            format!("unknown engine \"{text}\"; available: {}", names.join(", "))
        })
    }
}

/// Jets of every tap and the finite-difference step, if one was used.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// One jet per tap, in tap order.
    pub taps: Vec<TapJet>,
    /// Step `ε` of a finite-difference engine.
    pub epsilon: Option<f64>,
}

/// Loads a saved model on the backend the engine needs and estimates its jets.
///
/// # Errors
/// [`Failure::Input`] when the weights cannot be loaded, [`Failure::Runtime`]
/// when the model uses an operation forward mode has no rule for.
pub fn run_engine<B: AutodiffBackend>(
    saved: &SavedModel,
    engine: Engine,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &EngineOptions,
) -> Result<Estimate, Failure> {
    let device = B::Device::default();
    match engine {
        Engine::Forward => {
            let model = saved
                .load::<Forward<B::InnerBackend>>(&device)
                .map_err(Failure::input)?;
            let taps = forward_jets::<B::InnerBackend>(&model, base_points, design, &device)
                .map_err(Failure::runtime)?;
            Ok(Estimate {
                taps,
                epsilon: None,
            })
        }
        Engine::Other(kind) => {
            let model = saved.load::<B>(&device).map_err(Failure::input)?;
            let jets = estimate::<B, _>(&model, kind, base_points, design, options, &device);
            Ok(Estimate {
                taps: jets.taps,
                epsilon: jets.epsilon,
            })
        }
    }
}
