//! Loading a saved model and estimating its jets with the engine a user
//! chose.

use burn::tensor::backend::AutodiffBackend;
use mojet_jets::{Design, EngineKind, EngineOptions, TapJet, estimate};
use mojet_models::store::SavedModel;
use nalgebra::DMatrix;

use crate::failure::Failure;

/// Jets of every tap, the engine that ran and the finite-difference step, if
/// one was used.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// One jet per tap, in tap order.
    pub taps: Vec<TapJet>,
    /// The engine that ran: reverse where forward was asked for but the taps
    /// are narrower than `K` in total.
    pub engine: EngineKind,
    /// Step `ε` of a finite-difference engine.
    pub epsilon: Option<f64>,
    /// Local nonlinearity per tap (relative least-squares residual at scale
    /// `ε`), from the least-squares engine only.
    pub nonlinearity: Option<Vec<f64>>,
}

/// Loads a saved model on backend `B` and estimates its jets.
///
/// # Errors
/// [`Failure::Input`] when the weights cannot be loaded, [`Failure::Runtime`]
/// when the model uses an operation forward mode has no rule for.
pub fn run_engine<B: AutodiffBackend>(
    saved: &SavedModel,
    engine: EngineKind,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &EngineOptions,
) -> Result<Estimate, Failure> {
    let device = B::Device::default();
    let model = saved.load::<B>(&device).map_err(Failure::input)?;
    let jets = estimate::<B, _>(&model, engine, base_points, design, options, &device)
        .map_err(Failure::runtime)?;
    Ok(Estimate {
        taps: jets.taps,
        engine: jets.engine,
        epsilon: jets.epsilon,
        nonlinearity: jets.nonlinearity,
    })
}
