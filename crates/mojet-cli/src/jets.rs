//! `mojet jets`: estimate the jets of every tap of a trained pipeline.

use std::path::PathBuf;

use burn::tensor::backend::AutodiffBackend;
use clap::Args;
use mojet_jets::design::{DesignSpec, build};
use mojet_jets::{Design, DesignKind, EngineKind, EngineOptions};
use mojet_models::config::BackendKind;
use mojet_models::store::SavedModel;

use crate::backend::with_backend;
use crate::base_points::{Evaluation, evaluation};
use crate::engine::{Estimate, run_engine};
use crate::failure::Failure;
use crate::npz::write_jets;
use crate::progress::spinner;
use crate::run_record::EstimateUse;

/// Options shared by `jets` and `diagnose` that shape the estimate.
#[derive(Debug, Clone, Args)]
pub struct EstimateArgs {
    /// Jet engine: forward or reverse (exact), central or least-squares
    /// (finite differences). Forward runs reverse mode where the taps are
    /// narrower than K in total, unless --forward-only is given.
    #[arg(long, default_value = "forward", value_name = "NAME")]
    pub engine: EngineKind,
    /// Keep forward mode even where reverse mode is cheaper.
    #[arg(long)]
    pub forward_only: bool,
    /// Base points per pass of an exact engine [default: as many as keep a
    /// tangent tensor within about 128 MiB].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_size: Option<u64>,
    /// Number of base points, taken from the held-out test rows.
    #[arg(long, default_value_t = 128, value_name = "N")]
    pub points: usize,
    /// Directions K per base point for isotropic, principal, tangent and
    /// normal designs [default: min(d, 4)]; coordinate always uses all d.
    #[arg(long, value_name = "K")]
    pub k: Option<usize>,
    /// Nearest neighbours for the local PCA of tangent and normal designs
    /// [default: chosen by the design from d and the data size].
    #[arg(long, value_name = "N")]
    pub neighbours: Option<usize>,
    /// Dimension of the local tangent space that the normal design's
    /// directions are orthogonal to [default: K]; needs tangent-dim + K <= d.
    #[arg(long, value_name = "T")]
    pub tangent_dim: Option<usize>,
    /// Finite-difference step ε in standardised input units [default: 0.01
    /// times the root mean square coordinate of the base points].
    #[arg(long, value_name = "EPS", allow_negative_numbers = true)]
    pub epsilon: Option<f64>,
    /// Perturbations per base point for least squares [default: 2K].
    #[arg(long, value_name = "S")]
    pub samples: Option<usize>,
    /// Seed of random designs and least-squares perturbations.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,
    /// Backend to run on [default: the one the model was trained with].
    #[arg(long, value_name = "NAME")]
    pub backend: Option<BackendKind>,
}

/// Arguments of `mojet jets`.
#[derive(Debug, Args)]
pub struct JetsArgs {
    /// Model directory written by `mojet train`.
    #[arg(long, value_name = "DIR")]
    pub model: PathBuf,
    /// CSV with the model's feature columns [default: the model's own data].
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Design: coordinate, isotropic, principal, tangent or normal.
    #[arg(long, default_value = "coordinate", value_name = "NAME")]
    pub design: DesignKind,
    /// Output .npz: one [N, m, K] array per tap, base_points [N, d],
    /// directions [N, d, K].
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub estimate: EstimateArgs,
}

/// Runs `mojet jets` and returns what the estimate used, for its record.
///
/// # Errors
/// [`Failure`] when the model, the data, the design or the engine fails.
pub fn run(args: &JetsArgs) -> Result<EstimateUse, Failure> {
    let saved = SavedModel::open(&args.model).map_err(Failure::input)?;
    let eval = evaluation(&saved, args.data.as_deref(), args.estimate.points)?;
    let design = build_design(args.design, &args.estimate, &eval)?;
    let backend = args
        .estimate
        .backend
        .unwrap_or(saved.metadata.config.backend);
    let progress = spinner(
        "jets",
        &format!(
            "{} engine, {} base points",
            args.estimate.engine,
            eval.base_points.nrows()
        ),
    );
    let jets = with_backend!(backend, |B| jets_on::<B>(
        &saved,
        &design,
        &eval,
        &args.estimate
    )?);
    progress.finish_and_clear();
    write_jets(&args.out, &jets.taps, &eval.base_points, &design).map_err(Failure::runtime)?;
    println!(
        "wrote {}: {} taps, {} base points, {} directions ({} design, {} engine{})",
        args.out.display(),
        jets.taps.len(),
        eval.base_points.nrows(),
        design.directions.first().map_or(0, |u| u.ncols()),
        args.design.name(),
        jets.engine,
        jets.epsilon
            .map_or(String::new(), |e| format!(", ε = {e:.3e}")),
    );
    if let Some(nonlinearity) = &jets.nonlinearity {
        let scores: Vec<String> = jets
            .taps
            .iter()
            .zip(nonlinearity)
            .map(|(tap, r)| format!("{} {r:.3e}", tap.tap))
            .collect();
        println!(
            "local nonlinearity (relative residual): {}",
            scores.join(", ")
        );
    }
    Ok(EstimateUse {
        base_points: eval.base_points.nrows(),
        epsilon: jets.epsilon,
    })
}

/// Builds a design from the command's options.
///
/// # Errors
/// [`Failure::Input`] when K, the neighbours or the data do not fit the design.
pub fn build_design(
    kind: DesignKind,
    args: &EstimateArgs,
    eval: &Evaluation,
) -> Result<Design, Failure> {
    let d = eval.base_points.ncols();
    let spec = DesignSpec {
        kind,
        k: Some(args.k.unwrap_or(d.min(4))),
        neighbours: args.neighbours,
        tangent_dim: args.tangent_dim,
        seed: args.seed,
    };
    build(&spec, &eval.base_points, &eval.reference).map_err(Failure::input)
}

/// Loads the model on backend `B` and estimates its jets.
///
/// # Errors
/// [`Failure`] when the weights cannot be loaded or the engine fails.
pub fn jets_on<B: AutodiffBackend>(
    saved: &SavedModel,
    design: &Design,
    eval: &Evaluation,
    args: &EstimateArgs,
) -> Result<Estimate, Failure> {
    let options = EngineOptions {
        epsilon: args.epsilon,
        samples: args.samples,
        noise: 0.0,
        seed: args.seed,
        chunk_size: args.chunk_size.map(|n| n as usize),
        forward_only: args.forward_only,
    };
    run_engine::<B>(saved, args.engine, &eval.base_points, design, &options)
}
