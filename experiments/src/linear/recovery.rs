//! L1, recovery of `(A, B)` from observed module jets.
//!
//! Along a design `U`, the encoder jets are `A U(x_n)` and the output jets
//! `B A U(x_n)`. Stacking the base points, `M_z = A Ū` and `M_y = B M_z`, so
//! `Â = M_z Ū⁺` and `B̂ = M_y M_z⁺`. Both are exact when the rank conditions
//! hold: `Ū` spans the input space (`rank Ū = d`) and the encoder jets have
//! full rank (`rank M_z = r`). A rank-deficient encoder leaves `B` unknown on
//! the directions `A` never produces, and inputs on a subspace leave `A`
//! unknown off it.

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::design::{Design, DesignError, DesignSpec, build};
use mojet_jets::linalg::pseudo_inverse;
use mojet_jets::{DesignKind, EngineKind, EngineOptions, estimate};
use mojet_models::linear::LinearPipeline;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::planted::Planted;

/// Number of recovery cases a run reports.
pub const CASES: usize = 3;

/// The recovery of one planted pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryRow {
    /// Name of the case.
    pub case: String,
    /// Design the jets were observed along.
    pub design: String,
    /// Directions `K` per base point.
    pub k: usize,
    /// Whether `rank Ū = d` and `rank M_z = r`.
    pub rank_conditions_hold: bool,
    /// Numerical rank of the stacked encoder jets `M_z`, against width `r`.
    pub encoder_rank: usize,
    /// Numerical rank of the stacked directions `Ū`, against dimension `d`.
    pub design_rank: usize,
    /// `||Â − A||_F / ||A||_F`.
    pub a_error: f64,
    /// `||B̂ − B||_F / ||B||_F`.
    pub b_error: f64,
}

/// Runs the three cases: the planted pair under the coordinate design, a
/// rank-deficient encoder under the coordinate design, and the planted pair
/// of data on a subspace under the tangent design.
///
/// # Errors
/// [`DesignError`] when the tangent design cannot be built on the subspace
/// data.
pub fn recovery_cases<B: AutodiffBackend>(
    full: &Planted,
    subspace: &Planted,
    subspace_dim: usize,
    engine: EngineKind,
    rank_tolerance: f64,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<Vec<RecoveryRow>, DesignError> {
    progress.set_message("L1 recovery of (A, B)");
    let coordinate = build(
        &DesignSpec::new(DesignKind::Coordinate),
        &full.eval.base_points,
        &full.eval.reference,
    )?;
    let recover =
        |case: &str, a: &DMatrix<f64>, b: &DMatrix<f64>, base: &DMatrix<f64>, design: &Design| {
            let model = LinearPipeline::<B>::from_matrices(a, None, b, None, device);
            let row = recover_from_jets(
                case,
                &model,
                a,
                b,
                base,
                design,
                engine,
                rank_tolerance,
                device,
            );
            progress.inc(1);
            row
        };

    let (a, b) = (&full.truth.a_star, &full.truth.b_star);
    let holds = recover(
        "full-rank encoder",
        a,
        b,
        &full.eval.base_points,
        &coordinate,
    );

    // Duplicating the first encoder unit into the last drops the rank by one.
    let mut deficient = a.clone();
    let first = deficient.row(0).into_owned();
    deficient.row_mut(a.nrows() - 1).copy_from(&first);
    let rank_deficient = recover(
        "rank-deficient encoder",
        &deficient,
        b,
        &full.eval.base_points,
        &coordinate,
    );

    let mut tangent_spec = DesignSpec::new(DesignKind::Tangent);
    tangent_spec.k = Some(subspace_dim);
    let tangent = build(
        &tangent_spec,
        &subspace.eval.base_points,
        &subspace.eval.reference,
    )?;
    let on_subspace = recover(
        "inputs on a subspace",
        &subspace.truth.a_star,
        &subspace.truth.b_star,
        &subspace.eval.base_points,
        &tangent,
    );
    Ok(vec![holds, rank_deficient, on_subspace])
}

/// Observes the jets of `model` along `design` and recovers `(A, B)`.
#[allow(clippy::too_many_arguments)]
fn recover_from_jets<B: AutodiffBackend>(
    case: &str,
    model: &LinearPipeline<B>,
    a: &DMatrix<f64>,
    b: &DMatrix<f64>,
    base_points: &DMatrix<f64>,
    design: &Design,
    engine: EngineKind,
    rank_tolerance: f64,
    device: &B::Device,
) -> RecoveryRow {
    let jets = estimate::<B, _>(
        model,
        engine,
        base_points,
        design,
        &EngineOptions::default(),
        device,
    )
    .expect("linear and tanh pipelines use only operations with tangent rules");
    let encoder = jets.taps[0].stacked();
    let output = jets.taps[1].stacked();
    let directions = stacked_directions(design);

    let directions_inverse = pseudo_inverse(&directions, rank_tolerance);
    let encoder_inverse = pseudo_inverse(&encoder, rank_tolerance);
    let a_hat = &encoder * &directions_inverse.matrix;
    let b_hat = &output * &encoder_inverse.matrix;
    let (d, r) = (a.ncols(), a.nrows());
    RecoveryRow {
        case: case.to_string(),
        design: design.kind.name().to_string(),
        k: design.directions_per_point(),
        rank_conditions_hold: directions_inverse.rank == d && encoder_inverse.rank == r,
        encoder_rank: encoder_inverse.rank,
        design_rank: directions_inverse.rank,
        a_error: (a_hat - a).norm() / a.norm(),
        b_error: (b_hat - b).norm() / b.norm(),
    }
}

/// Stacks the directions of every base point side by side, `[d, N·K]`, in the
/// column order of [`mojet_jets::TapJet::stacked`].
fn stacked_directions(design: &Design) -> DMatrix<f64> {
    let d = design.directions.first().map_or(0, |u| u.nrows());
    let k = design.directions_per_point();
    let mut out = DMatrix::zeros(d, k * design.directions.len());
    for (n, u) in design.directions.iter().enumerate() {
        out.view_mut((0, n * k), (d, k)).copy_from(u);
    }
    out
}
