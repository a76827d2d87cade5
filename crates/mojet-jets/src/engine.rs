//! The jet engines behind one entry point.

use std::fmt;
use std::str::FromStr;

use burn::module::AutodiffModule;
use burn::tensor::backend::AutodiffBackend;
use mojet_forward::MissingRule;
use mojet_models::{Pipeline, Tap};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::finite::{LeastSquaresOptions, central_jets, default_epsilon, least_squares_jets};
use crate::forward::forward_jets;
use crate::jet::TapJet;
use crate::lift::Lift;
use crate::reverse::reverse_jets;

/// Method that estimates jets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// Exact, by Jacobian-vector products through the `Forward` decorator:
    /// one forward pass plus `K` tangent propagations for every tap at once.
    #[default]
    Forward,
    /// Exact, by vector-Jacobian products through burn's `Autodiff`: one
    /// backward pass per tap coordinate.
    Reverse,
    /// Empirical, by central differences along each direction.
    Central,
    /// Empirical, by least squares over random perturbations.
    LeastSquares,
}

impl EngineKind {
    /// Every engine, in the order help texts list them.
    pub const ALL: [EngineKind; 4] = [
        EngineKind::Forward,
        EngineKind::Reverse,
        EngineKind::Central,
        EngineKind::LeastSquares,
    ];

    /// Returns the name used in configs, flags and reports.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Forward => "forward",
            EngineKind::Reverse => "reverse",
            EngineKind::Central => "central",
            EngineKind::LeastSquares => "least-squares",
        }
    }

    /// Returns whether the engine differentiates the model exactly.
    pub fn is_exact(self) -> bool {
        matches!(self, EngineKind::Forward | EngineKind::Reverse)
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

/// Settings of the engines.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct EngineOptions {
    /// Step `ε` in input units; [`default_epsilon`] of the base points when
    /// `None`. Finite differences only.
    pub epsilon: Option<f64>,
    /// Perturbations per base point for least squares; `2K` when `None`.
    pub samples: Option<usize>,
    /// Observation noise added by the least-squares engine.
    pub noise: f64,
    /// Seed of the least-squares perturbations.
    pub seed: u64,
    /// Base points per pass of an exact engine; [`default_chunk_size`] when
    /// `None`. Bounds peak memory without changing the jets.
    pub chunk_size: Option<usize>,
    /// Keeps forward mode even where reverse mode is cheaper (taps narrower
    /// than `K` in total), for example to compare the two.
    pub forward_only: bool,
}

/// Jets of every tap, with how they were estimated.
#[derive(Debug, Clone, PartialEq)]
pub struct Jets {
    /// The engine that ran: [`EngineKind::Reverse`] where forward mode was
    /// asked for but reverse mode is cheaper.
    pub engine: EngineKind,
    /// The step `ε` used by a finite-difference engine.
    pub epsilon: Option<f64>,
    /// One jet per tap, in tap order.
    pub taps: Vec<TapJet>,
    /// Least-squares local nonlinearity per tap (relative residual).
    pub nonlinearity: Option<Vec<f64>>,
}

/// Tangent values one pass of forward mode may hold per tensor, about
/// 128 MiB in `f32`: large enough to keep matrix products efficient, small
/// enough that a few live tensors fit in a laptop's memory.
const CHUNK_BUDGET: usize = 1 << 25;

/// Base points per pass so that a `[K, chunk, width]` tangent of the widest
/// tensor stays within [`CHUNK_BUDGET`] values.
pub fn default_chunk_size(k: usize, input_width: usize, taps: &[Tap]) -> usize {
    let widest = taps
        .iter()
        .map(|tap| tap.width)
        .chain([input_width])
        .max()
        .unwrap_or(1);
    (CHUNK_BUDGET / (k.max(1) * widest.max(1))).max(1)
}

/// Returns the exact engine that costs less: forward mode propagates `K` tangents
/// through the whole pipeline, reverse mode one backward pass per coordinate
/// of every tap, so reverse wins when the taps together are narrower than
/// `K`.
pub fn cheaper_exact_engine(taps: &[Tap], k: usize) -> EngineKind {
    let coordinates: usize = taps.iter().map(|tap| tap.width).sum();
    if coordinates < k {
        EngineKind::Reverse
    } else {
        EngineKind::Forward
    }
}

/// Estimates the jets of every tap of `model` along `design`.
///
/// `engine = Forward` runs reverse mode instead where that is cheaper
/// (see [`cheaper_exact_engine`]) unless `options.forward_only` is set; the
/// returned [`Jets::engine`] names the one that ran.
///
/// # Shapes
/// `base_points`: `[N, d]`; `design.directions[n]`: `[d, K]`.
///
/// # Errors
/// [`MissingRule`] when forward mode meets an operation without a tangent
/// rule.
pub fn estimate<B, M>(
    model: &M,
    engine: EngineKind,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &EngineOptions,
    device: &B::Device,
) -> Result<Jets, MissingRule>
where
    B: AutodiffBackend,
    M: AutodiffModule<B> + Pipeline<B>,
    M::InnerModule: Lift<B::InnerBackend>,
{
    let k = design.directions_per_point();
    let engine = match engine {
        EngineKind::Forward if !options.forward_only => {
            let taps = model.taps();
            let chosen = cheaper_exact_engine(&taps, k);
            if chosen != engine {
                let coordinates: usize = taps.iter().map(|tap| tap.width).sum();
                tracing::info!(
                    "the taps have {coordinates} coordinates in total, fewer than K = {k}: \
                     running reverse mode (forward_only keeps forward mode)"
                );
            }
            chosen
        }
        other => other,
    };
    let chunk = options
        .chunk_size
        .unwrap_or_else(|| default_chunk_size(k, model.input_width(), &model.taps()));
    match engine {
        EngineKind::Forward => {
            let lifted = model.valid().lift();
            let taps = chunked(base_points, design, chunk, |points, design| {
                forward_jets(&lifted, points, design, device)
            })?;
            Ok(exact(engine, taps))
        }
        EngineKind::Reverse => {
            let taps = chunked(base_points, design, chunk, |points, design| {
                Ok(reverse_jets::<B>(model, points, design, device))
            })?;
            Ok(exact(engine, taps))
        }
        EngineKind::Central | EngineKind::LeastSquares => Ok(finite(
            &model.valid(),
            engine,
            base_points,
            design,
            options,
            device,
        )),
    }
}

fn exact(engine: EngineKind, taps: Vec<TapJet>) -> Jets {
    Jets {
        engine,
        epsilon: None,
        taps,
        nonlinearity: None,
    }
}

/// Runs a finite-difference engine over all base points at once: its
/// memory is one batch of perturbed inputs, and its least-squares draws
/// depend on the batch, so it is not chunked.
fn finite<B: burn::tensor::backend::Backend>(
    model: &dyn Pipeline<B>,
    engine: EngineKind,
    base_points: &DMatrix<f64>,
    design: &Design,
    options: &EngineOptions,
    device: &B::Device,
) -> Jets {
    let epsilon = options
        .epsilon
        .unwrap_or_else(|| default_epsilon(base_points));
    if engine == EngineKind::Central {
        return Jets {
            engine,
            epsilon: Some(epsilon),
            taps: central_jets(model, base_points, design, epsilon, device),
            nonlinearity: None,
        };
    }
    let k = design.directions_per_point();
    let fitted = least_squares_jets(
        model,
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

/// Runs `run` on consecutive chunks of at most `chunk` base points and joins
/// the jets, which are per point and so do not depend on the chunking.
fn chunked<E>(
    base_points: &DMatrix<f64>,
    design: &Design,
    chunk: usize,
    mut run: impl FnMut(&DMatrix<f64>, &Design) -> Result<Vec<TapJet>, E>,
) -> Result<Vec<TapJet>, E> {
    let n = base_points.nrows();
    if n <= chunk {
        return run(base_points, design);
    }
    let mut joined: Vec<TapJet> = Vec::new();
    for start in (0..n).step_by(chunk.max(1)) {
        let len = chunk.min(n - start);
        let points = base_points.rows(start, len).into_owned();
        let part = Design {
            kind: design.kind,
            directions: design.directions[start..start + len].to_vec(),
        };
        let jets = run(&points, &part)?;
        if joined.is_empty() {
            joined = jets;
        } else {
            for (all, more) in joined.iter_mut().zip(jets) {
                all.values.extend(more.values);
            }
        }
    }
    Ok(joined)
}
