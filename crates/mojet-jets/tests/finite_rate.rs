//! Finite-difference jets converge to the reverse-mode jets at the expected
//! rate on a smooth model defined here, outside the zoo.

mod common;

use burn::backend::{Autodiff, NdArray};
use burn::module::AutodiffModule;
use burn::nn::LinearConfig;
use burn::tensor::backend::Backend;
use common::TanhNet;
use mojet_jets::design::{DesignKind, DesignSpec, build};
use mojet_jets::finite::{LeastSquaresOptions, central_jets, least_squares_jets};
use mojet_jets::jet::TapJet;
use mojet_jets::reverse::reverse_jets;
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

type Inner = NdArray<f64>;
type B = Autodiff<Inner>;

fn setup() -> (TanhNet<B>, DMatrix<f64>, mojet_jets::Design) {
    let device = Default::default();
    B::seed(&device, 5);
    let model = TanhNet {
        hidden: LinearConfig::new(4, 6).init(&device),
        out: LinearConfig::new(6, 2).init(&device),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x = DMatrix::from_fn(5, 4, |_, _| StandardNormal.sample(&mut rng));
    let mut spec = DesignSpec::new(DesignKind::Isotropic);
    spec.k = Some(3);
    let design = build(&spec, &x, &x).unwrap();
    (model, x, design)
}

fn relative_error(estimate: &[TapJet], exact: &[TapJet]) -> f64 {
    let mut error = 0.0;
    let mut scale = 0.0;
    for (e, x) in estimate.iter().zip(exact) {
        error += (e.stacked() - x.stacked()).norm_squared();
        scale += x.stacked().norm_squared();
    }
    (error / scale).sqrt()
}

#[test]
fn central_differences_converge_quadratically() {
    let (model, x, design) = setup();
    let device = Default::default();
    let exact = reverse_jets::<B>(&model, &x, &design, &device);
    let inner = model.valid();
    let errors: Vec<f64> = [0.1, 0.05, 0.025]
        .iter()
        .map(|&eps| {
            relative_error(
                &central_jets::<Inner>(&inner, &x, &design, eps, &device),
                &exact,
            )
        })
        .collect();
    for pair in errors.windows(2) {
        let ratio = pair[0] / pair[1];
        // Halving ε divides an O(ε²) error by 4.
        assert!(
            (3.5..4.5).contains(&ratio),
            "error ratio {ratio}, errors {errors:?}"
        );
    }
}

#[test]
fn least_squares_converges_linearly() {
    let (model, x, design) = setup();
    let device = Default::default();
    let exact = reverse_jets::<B>(&model, &x, &design, &device);
    let inner = model.valid();
    let error = |eps: f64| {
        let options = LeastSquaresOptions {
            epsilon: eps,
            samples: 12,
            noise: 0.0,
            seed: 1,
        };
        let fitted = least_squares_jets::<Inner>(&inner, &x, &design, &options, &device);
        (relative_error(&fitted.jets, &exact), fitted.nonlinearity)
    };
    let (coarse, coarse_nonlinearity) = error(0.02);
    let (fine, fine_nonlinearity) = error(0.01);
    // One-sided differences: halving ε halves the error.
    let ratio = coarse / fine;
    assert!((1.7..2.3).contains(&ratio), "error ratio {ratio}");
    assert!(fine_nonlinearity[0] < coarse_nonlinearity[0]);
    assert!(fine < 0.05, "least-squares error {fine}");
}

#[test]
fn reverse_jets_match_analytic_tanh() {
    let (model, x, design) = setup();
    let device = Default::default();
    let jets = reverse_jets::<B>(&model, &x, &design, &device);
    let w = mojet_models::host::to_matrix(model.hidden.weight.val().inner()).transpose();
    let b =
        mojet_models::host::to_matrix(model.hidden.bias.clone().unwrap().val().inner().unsqueeze());
    for (n, value) in jets[0].values.iter().enumerate() {
        let pre = &w * x.row(n).transpose() + b.transpose();
        let derivative = DMatrix::from_diagonal(&pre.map(|v| 1.0 - v.tanh().powi(2)));
        let expected = derivative * &w * &design.directions[n];
        assert!((value - &expected).norm() < 1e-10, "base point {n}");
    }
}
