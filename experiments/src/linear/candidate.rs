//! Linear pipelines as diagnosis candidates: test risk and exact jets under
//! each design, compared pair by pair with the library's diagnosis.

use burn::tensor::backend::AutodiffBackend;
use mojet_jets::diagnosis::{Candidate, PairReport, compare};
use mojet_jets::{Design, EngineKind, EngineOptions, Group, Tolerances, estimate};
use mojet_models::Task;
use mojet_models::host::to_tensor;
use mojet_models::linear::LinearPipeline;
use mojet_models::{Pipeline, Tap};
use nalgebra::DMatrix;

/// Held-out rows: the test split, the base points taken from it, and the
/// training rows that data-dependent designs read.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Test inputs, `[n_test, d]`.
    pub x_test: DMatrix<f64>,
    /// Test targets, `[n_test, p]`.
    pub y_test: DMatrix<f64>,
    /// Base points, the first rows of the test split, `[N, d]`.
    pub base_points: DMatrix<f64>,
    /// Reference rows of the PCA and neighbourhoods of the designs, `[n, d]`.
    pub reference: DMatrix<f64>,
}

/// Symmetry groups of the taps of a linear pipeline: the encoder is defined
/// up to `GL(r)`, and the output coordinates mean the same thing in every
/// pipeline.
pub fn linear_tap_groups(taps: &[Tap]) -> Vec<Group> {
    let last = taps.len().saturating_sub(1);
    (0..taps.len())
        .map(|l| {
            if l == last {
                Group::Identity
            } else {
                Group::GeneralLinear
            }
        })
        .collect()
}

/// Builds the candidate of `model`: its test risk and its exact jets along
/// every design.
///
/// # Panics
/// If the first design is not the coordinate design, which verdicts need.
pub fn candidate<B: AutodiffBackend>(
    name: String,
    model: &LinearPipeline<B>,
    engine: EngineKind,
    eval: &Evaluation,
    designs: &[Design],
    device: &B::Device,
) -> Candidate {
    assert_eq!(
        designs.first().map(|design| design.kind),
        Some(mojet_jets::DesignKind::Coordinate),
        "the first design of a candidate is the coordinate design"
    );
    let prediction = model.forward(to_tensor::<B>(&eval.x_test, device));
    let risk = Task::Regression.risk(prediction, &eval.y_test);
    let jets = designs
        .iter()
        .map(|design| {
            let estimated = estimate::<B, _>(
                model,
                engine,
                &eval.base_points,
                design,
                &EngineOptions::default(),
                device,
            )
            .expect("linear and tanh pipelines use only operations with tangent rules");
            (design.kind, estimated.taps)
        })
        .collect();
    Candidate {
        name,
        risk,
        groups: linear_tap_groups(&model.taps()),
        jets,
    }
}

/// Compares every pair `(i, j)`, `i < j`, of `candidates`.
pub fn compare_pairs(candidates: &[Candidate], tolerances: &Tolerances) -> Vec<PairReport> {
    let mut pairs = Vec::new();
    for (i, first) in candidates.iter().enumerate() {
        for second in &candidates[i + 1..] {
            pairs.push(compare(first, second, tolerances));
        }
    }
    pairs
}
