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
use mojet_jets::lift::{device_of, lift_into};
use mojet_jets::reverse::reverse_jets;
use mojet_jets::{EngineKind, EngineOptions, Lift, estimate};
use mojet_models::linear::LinearPipelineConfig;
use mojet_models::{ModelConfig, Pipeline, Tap};
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

/// Forward-mode and reverse-mode jets of `model` through [`estimate`].
fn both_engines<M>(model: &M, x: &DMatrix<f64>, design: &mojet_jets::Design) -> f64
where
    M: AutodiffModule<B> + Pipeline<B>,
    M::InnerModule: Lift<Inner>,
{
    let device = Default::default();
    let run = |engine, forward_only| {
        let options = EngineOptions {
            forward_only,
            ..EngineOptions::default()
        };
        estimate::<B, M>(model, engine, x, design, &options, &device).unwrap()
    };
    let forward = run(EngineKind::Forward, true);
    let reverse = run(EngineKind::Reverse, false);
    assert_eq!(forward.engine, EngineKind::Forward);
    max_relative_difference(&forward.taps, &reverse.taps)
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

/// Zoo configs as users write them; every kind of the zoo appears here.
const ZOO: [&str; 2] = [
    "kind = \"linear\"\nwidth = 3",
    "kind = \"linear\"\nwidth = 2\nbias = false",
];

#[test]
fn every_zoo_model_forward_equals_reverse() {
    let device = Default::default();
    let x = points(10, 6);
    let design = design(&x, DesignKind::Isotropic, 4);
    for text in ZOO {
        let config: ModelConfig = toml::from_str(text).unwrap();
        let model = config.init::<B>(6, 2, 5, &device);
        let difference = both_engines(&model, &x, &design);
        assert!(
            difference < 1e-5,
            "{text}: relative difference {difference}"
        );
    }
}

#[test]
fn chunked_jets_equal_whole_batch_jets() {
    let device = Default::default();
    B::seed(&device, 3);
    let model = TanhNet::<B>::init(5, 7, 2, &device);
    let x = points(11, 5);
    let design = design(&x, DesignKind::Isotropic, 3);
    for engine in [EngineKind::Forward, EngineKind::Reverse] {
        let run = |chunk_size| {
            let options = EngineOptions {
                chunk_size,
                forward_only: true,
                ..EngineOptions::default()
            };
            estimate::<B, _>(&model, engine, &x, &design, &options, &device).unwrap()
        };
        let (whole, chunked) = (run(None), run(Some(4)));
        assert_eq!(chunked.taps[0].values.len(), 11);
        let difference = max_relative_difference(&chunked.taps, &whole.taps);
        assert!(
            difference < 1e-6,
            "{engine}: relative difference {difference}"
        );
    }
}

#[test]
fn narrow_taps_run_reverse_mode() {
    let device = Default::default();
    B::seed(&device, 4);
    // Taps 2 + 1 wide against K = 5 directions: three backward passes beat
    // five tangent propagations.
    let model = TanhNet::<B>::init(5, 2, 1, &device);
    let x = points(4, 5);
    let design = design(&x, DesignKind::Coordinate, 5);
    let options = EngineOptions::default();
    let jets = estimate::<B, _>(&model, EngineKind::Forward, &x, &design, &options, &device);
    assert_eq!(jets.unwrap().engine, EngineKind::Reverse);
}

/// `y = cumprod(W x)`: forward mode has no rule for the cumulative product.
#[derive(burn::module::Module, Debug)]
struct CumprodNet<B: Backend> {
    layer: burn::nn::Linear<B>,
}

impl<B: Backend> Pipeline<B> for CumprodNet<B> {
    fn input_width(&self) -> usize {
        self.layer.weight.dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        vec![Tap::new("output", self.layer.weight.dims()[1])]
    }

    fn forward_taps(&self, x: burn::tensor::Tensor<B, 2>) -> Vec<burn::tensor::Tensor<B, 2>> {
        vec![self.layer.forward(x).cumprod(1)]
    }
}

impl<B: Backend> Lift<B> for CumprodNet<B> {
    type Lifted = CumprodNet<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        let [d, m] = self.layer.weight.dims();
        let layer = LinearConfig::new(d, m).init(&device_of(self));
        lift_into(self, CumprodNet { layer })
    }
}

#[test]
fn operation_without_rule_is_named() {
    let device = Default::default();
    let model = CumprodNet::<B> {
        layer: LinearConfig::new(3, 4).init(&device),
    };
    let x = points(2, 3);
    let design = design(&x, DesignKind::Isotropic, 2);
    let options = EngineOptions::default();
    let error =
        estimate::<B, _>(&model, EngineKind::Forward, &x, &design, &options, &device).unwrap_err();
    assert_eq!(error.op, "float_cumprod");
    assert!(
        error
            .to_string()
            .contains("no tangent rule for float_cumprod")
    );
}
