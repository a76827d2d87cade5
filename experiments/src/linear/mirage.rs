//! L1, the risk-only mirage family. With `S_t = exp(t G)`, the pipeline
//! `(S_t A*, B* S_t⁻¹)` implements the planted map `W* = B* A*` for every
//! `t`. So the risk and the output jets stay flat while the raw encoder jets
//! move away from those of `t = 0`, and the encoder jets modulo `GL(r)` stay
//! at zero.

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::design::{DesignSpec, build};
use mojet_jets::diagnosis::{Candidate, PairReport, compare};
use mojet_jets::{DesignKind, EngineKind, Group, Tolerances};
use mojet_models::linear::LinearPipeline;
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::candidate::candidate;
use super::config::MirageConfig;
use super::planted::Planted;

/// One member of the family, compared with the member at `t = 0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MirageRow {
    /// Position `t` along the family.
    pub t: f64,
    /// Test mean squared error of the member, in target units squared.
    pub test_mse: f64,
    /// Relative output-jet discrepancy to the member at `t = 0`.
    pub output_jet: f64,
    /// Relative encoder-jet discrepancy to `t = 0`, in the tap's coordinates.
    pub tap_jet_raw: f64,
    /// Relative encoder-jet discrepancy to `t = 0` modulo `GL(r)`.
    pub tap_jet_gl: f64,
}

/// The symmetric generator `G` `[r, r]` of spectral norm 1, as its
/// eigendecomposition.
///
/// A symmetric `G` makes every eigenvalue `1 - e^{tλ}` of `I - S_t` grow in
/// magnitude with `t`, so the raw discrepancy `||(I - S_t) A*|| / ||A*||`
/// increases monotonically. A generator with a skew part could rotate back.
pub fn generator(r: usize, seed: u64) -> SymmetricEigen<f64, nalgebra::Dyn> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let h = DMatrix::<f64>::from_fn(r, r, |_, _| StandardNormal.sample(&mut rng));
    let symmetric = (&h + h.transpose()) * 0.5;
    let mut eigen = symmetric.symmetric_eigen();
    let norm = eigen.eigenvalues.amax();
    eigen.eigenvalues /= norm;
    eigen
}

/// Computes `exp(t G)` from the eigendecomposition of `G`; `t` may be negative.
pub fn exponential(generator: &SymmetricEigen<f64, nalgebra::Dyn>, t: f64) -> DMatrix<f64> {
    let vectors = &generator.eigenvectors;
    let scales = DVector::from_iterator(
        generator.eigenvalues.len(),
        generator
            .eigenvalues
            .iter()
            .map(|lambda| (t * lambda).exp()),
    );
    vectors * DMatrix::from_diagonal(&scales) * vectors.transpose()
}

/// Builds the family member `(S_t A*, B* S_t⁻¹)` on the backend.
fn member<B: AutodiffBackend>(
    planted: &Planted,
    generator: &SymmetricEigen<f64, nalgebra::Dyn>,
    t: f64,
    device: &B::Device,
) -> LinearPipeline<B> {
    let s = exponential(generator, t);
    let s_inverse = exponential(generator, -t);
    let a = &s * &planted.truth.a_star;
    let b = &planted.truth.b_star * s_inverse;
    LinearPipeline::from_matrices(&a, None, &b, None, device)
}

/// Runs the family at `config.steps` values of `t` from 0 to `t_max`.
pub fn mirage_family<B: AutodiffBackend>(
    config: &MirageConfig,
    planted: &Planted,
    engine: EngineKind,
    tolerances: &Tolerances,
    progress: &ProgressBar,
    device: &B::Device,
) -> Vec<MirageRow> {
    let generator = generator(planted.truth.a_star.nrows(), config.seed);
    let eval = &planted.eval;
    let coordinate = build(
        &DesignSpec::new(DesignKind::Coordinate),
        &eval.base_points,
        &eval.reference,
    )
    .expect("the coordinate design accepts any finite base points");
    let designs = [coordinate];
    let build_candidate = |t: f64| -> Candidate {
        let model = member::<B>(planted, &generator, t, device);
        candidate(format!("t={t}"), &model, engine, eval, &designs, device)
    };

    let origin = build_candidate(0.0);
    let mut rows = Vec::with_capacity(config.steps);
    for step in 0..config.steps {
        let t = config.t_max * step as f64 / (config.steps - 1) as f64;
        progress.set_message(format!("L1 mirage family, t = {t:.2}"));
        let report = compare(&origin, &build_candidate(t), tolerances);
        let (raw, general_linear) = encoder_discrepancies(&report);
        rows.push(MirageRow {
            t,
            test_mse: report.risk_b.loss,
            output_jet: report.output_jet,
            tap_jet_raw: raw,
            tap_jet_gl: general_linear,
        });
        progress.inc(1);
    }
    rows
}

/// Returns the raw and general-linear discrepancies of the encoder tap under
/// the coordinate design.
pub fn encoder_discrepancies(report: &PairReport) -> (f64, f64) {
    let tap = report
        .taps
        .iter()
        .find(|tap| tap.tap == "encoder" && tap.design == DesignKind::Coordinate.name())
        .expect("a linear pipeline reports its encoder tap under the coordinate design");
    let raw = tap.raw.expect("encoders of one family have equal widths");
    let general_linear = tap.quotients[Group::GeneralLinear.name()];
    (raw, general_linear)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_inverts_at_negative_t() {
        let g = generator(3, 4);
        let product = exponential(&g, 0.7) * exponential(&g, -0.7);
        assert!((product - DMatrix::<f64>::identity(3, 3)).amax() < 1e-12);
    }

    #[test]
    fn generator_has_unit_spectral_norm() {
        let g = generator(4, 1);
        assert!((g.eigenvalues.amax() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn exponential_at_zero_is_identity() {
        let g = generator(2, 0);
        assert!((exponential(&g, 0.0) - DMatrix::<f64>::identity(2, 2)).amax() < 1e-12);
    }
}
