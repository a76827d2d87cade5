//! Forward-mode jets equal reverse-mode jets on a zoo pipeline and on a model
//! defined only here.

mod common;

use burn::backend::{Autodiff, NdArray};
use burn::module::AutodiffModule;
use burn::nn::LinearConfig;
use burn::tensor::backend::Backend;
use common::TanhNet;
use mojet_forward::{Forward, lift_module};
use mojet_jets::design::{DesignKind, DesignSpec, build};
use mojet_jets::forward::forward_jets;
use mojet_jets::jet::TapJet;
use mojet_jets::reverse::reverse_jets;
use mojet_models::linear::LinearPipelineConfig;
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

type Inner = NdArray<f32>;
type B = Autodiff<Inner>;

fn points(n: usize, d: usize) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
}

fn design(x: &DMatrix<f64>, kind: DesignKind, k: usize) -> mojet_jets::Design {
    let mut spec = DesignSpec::new(kind);
    spec.k = Some(k);
    build(&spec, x, x).unwrap()
}

fn max_relative_difference(a: &[TapJet], b: &[TapJet]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x.stacked() - y.stacked()).norm() / y.stacked().norm())
        .fold(0.0, f64::max)
}

#[test]
fn linear_pipeline_forward_equals_reverse() {
    let device = Default::default();
    let config = LinearPipelineConfig {
        d_input: 6,
        width: 3,
        d_output: 2,
        bias: true,
    };
    let model = config.init::<B>(4, &device);
    let lifted = lift_module(&model.valid(), config.init::<Forward<Inner>>(0, &device)).unwrap();
    let x = points(9, 6);
    for kind in [DesignKind::Coordinate, DesignKind::Isotropic] {
        let design = design(&x, kind, 4);
        let forward = forward_jets::<Inner>(&lifted, &x, &design, &device).unwrap();
        let reverse = reverse_jets::<B>(&model, &x, &design, &device);
        let difference = max_relative_difference(&forward, &reverse);
        assert!(
            difference < 1e-5,
            "{kind:?}: relative difference {difference}"
        );
    }
}

#[test]
fn model_outside_zoo_forward_equals_reverse() {
    let device = Default::default();
    B::seed(&device, 2);
    let model = TanhNet::<B> {
        hidden: LinearConfig::new(5, 7).init(&device),
        out: LinearConfig::new(7, 3).init(&device),
    };
    let skeleton = TanhNet::<Forward<Inner>> {
        hidden: LinearConfig::new(5, 7).init(&device),
        out: LinearConfig::new(7, 3).init(&device),
    };
    let lifted = lift_module(&model.valid(), skeleton).unwrap();
    let x = points(6, 5);
    let design = design(&x, DesignKind::Isotropic, 3);
    let forward = forward_jets::<Inner>(&lifted, &x, &design, &device).unwrap();
    let reverse = reverse_jets::<B>(&model, &x, &design, &device);
    let difference = max_relative_difference(&forward, &reverse);
    assert!(difference < 1e-5, "relative difference {difference}");
}
