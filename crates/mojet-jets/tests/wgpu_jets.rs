//! Forward-mode jets on burn-wgpu equal those on burn-ndarray and central
//! differences, for an MLP defined only in this test. CI runs it on Mesa's
//! software Vulkan device; without any adapter it prints a skip message and returns.
//!
//! Reverse mode is compared backend against backend only: burn 0.21
//! differentiates GELU backwards through its tanh approximation, which puts
//! reverse-mode jets 2e-4 away from the exact ones here.

use burn::backend::{Autodiff, NdArray, Wgpu};
use burn::module::Module;
use burn::nn::{LayerNorm, LayerNormConfig, Linear};
use burn::tensor::Tensor;
use burn::tensor::activation::{gelu, tanh};
use burn::tensor::backend::{AutodiffBackend, Backend};
use mojet_forward::Forward;
use mojet_jets::design::{DesignKind, DesignSpec, build};
use mojet_jets::lift::{device_of, lift_into};
use mojet_jets::{Design, EngineKind, EngineOptions, Lift, TapJet, estimate};
use mojet_models::init::linear_layer;
use mojet_models::{Pipeline, Tap};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// `x → LayerNorm(gelu(W1 x)) → tanh(W2 ·) → W3 ·`, taps after each stage.
#[derive(Module, Debug)]
struct Mlp<B: Backend> {
    first: Linear<B>,
    norm: LayerNorm<B>,
    second: Linear<B>,
    out: Linear<B>,
}

const WIDTHS: [usize; 4] = [6, 8, 5, 3];

impl<B: Backend> Mlp<B> {
    /// Seeded on the host, so every backend gets the same weights.
    fn init(seed: u64, device: &B::Device) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let [d, h1, h2, p] = WIDTHS;
        Self {
            first: linear_layer(&mut rng, d, h1, true, device),
            norm: LayerNormConfig::new(h1).init(device),
            second: linear_layer(&mut rng, h1, h2, true, device),
            out: linear_layer(&mut rng, h2, p, true, device),
        }
    }
}

impl<B: Backend> Pipeline<B> for Mlp<B> {
    fn input_width(&self) -> usize {
        WIDTHS[0]
    }

    fn taps(&self) -> Vec<Tap> {
        ["hidden1", "hidden2", "output"]
            .iter()
            .zip(&WIDTHS[1..])
            .map(|(name, width)| Tap::new(name, *width))
            .collect()
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let h1 = self.norm.forward(gelu(self.first.forward(x)));
        let h2 = tanh(self.second.forward(h1.clone()));
        let y = self.out.forward(h2.clone());
        vec![h1, h2, y]
    }
}

impl<B: Backend> Lift<B> for Mlp<B> {
    type Lifted = Mlp<Forward<B>>;

    fn lift(&self) -> Self::Lifted {
        lift_into(self, Mlp::init(0, &device_of(self)))
    }
}

fn points(n: usize, d: usize) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
}

fn design(x: &DMatrix<f64>) -> Design {
    let mut spec = DesignSpec::new(DesignKind::Isotropic);
    spec.k = Some(4);
    build(&spec, x, x).unwrap()
}

fn jets<B: AutodiffBackend>(engine: EngineKind, x: &DMatrix<f64>) -> Vec<TapJet> {
    let device = Default::default();
    let model = Mlp::<B>::init(5, &device);
    let options = EngineOptions {
        forward_only: true,
        epsilon: Some(1e-4),
        ..EngineOptions::default()
    };
    let jets = estimate::<B, _>(&model, engine, x, &design(x), &options, &device).unwrap();
    jets.taps
}

fn compare(name: &str, taps: &[TapJet], reference: &[TapJet]) {
    for (tap, expected) in taps.iter().zip(reference) {
        let (value, expected_value) = (tap.stacked(), expected.stacked());
        let difference = (&value - &expected_value).norm() / expected_value.norm();
        eprintln!("{name} {}: relative difference {difference:.2e}", tap.tap);
        assert!(difference < 1e-4, "{name} {}: {difference}", tap.tap);
    }
}

fn wgpu_adapter_present() -> bool {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let probe = std::panic::catch_unwind(|| {
        Tensor::<Wgpu, 1>::zeros([1], &Default::default()).into_data();
    });
    std::panic::set_hook(hook);
    probe.is_ok()
}

#[test]
fn wgpu_forward_jets_match_ndarray() {
    if !wgpu_adapter_present() {
        eprintln!("skipped: no wgpu adapter on this machine (install mesa-vulkan-drivers)");
        return;
    }
    let x = points(7, WIDTHS[0]);
    // Central differences in f64 with ε = 1e-4 are exact to about 1e-8.
    let central = jets::<Autodiff<NdArray<f64>>>(EngineKind::Central, &x);
    let ndarray = jets::<Autodiff<NdArray<f32>>>(EngineKind::Forward, &x);
    compare("ndarray forward vs central", &ndarray, &central);
    compare(
        "wgpu forward vs ndarray forward",
        &jets::<Autodiff<Wgpu>>(EngineKind::Forward, &x),
        &ndarray,
    );
    let reverse = jets::<Autodiff<NdArray<f32>>>(EngineKind::Reverse, &x);
    for (tap, expected) in reverse.iter().zip(&central) {
        let gap = (tap.stacked() - expected.stacked()).norm() / expected.stacked().norm();
        eprintln!(
            "ndarray reverse vs central {}: relative difference {gap:.2e}",
            tap.tap
        );
    }
    compare(
        "wgpu reverse vs ndarray reverse",
        &jets::<Autodiff<Wgpu>>(EngineKind::Reverse, &x),
        &reverse,
    );
}
