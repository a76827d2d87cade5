//! Two linear pipelines related by a random `S ∈ GL(r)` implement the same
//! map: equal risk and output jets, different raw encoder jets, and no
//! difference modulo the general linear group.

use burn::backend::{Autodiff, NdArray};
use mojet_jets::design::{DesignKind, DesignSpec, build};
use mojet_jets::quotient::{Group, fit_quotient};
use mojet_jets::reverse::reverse_jets;
use mojet_models::Task;
use mojet_models::host::to_tensor;
use mojet_models::linear::LinearPipeline;
use mojet_models::pipeline::Pipeline;
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

type B = Autodiff<NdArray<f32>>;

fn gaussian(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| StandardNormal.sample(rng))
}

struct Planted {
    original: LinearPipeline<B>,
    mirage: LinearPipeline<B>,
    x: DMatrix<f64>,
    y: DMatrix<f64>,
}

fn planted(seed: u64) -> Planted {
    let (d, r, p, n) = (6, 3, 2, 40);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let a = gaussian(&mut rng, r, d);
    let b = gaussian(&mut rng, p, r);
    // Identity plus a perturbation keeps S well conditioned and far from I.
    let s = DMatrix::identity(r, r) + gaussian(&mut rng, r, r) * 0.5;
    let s_inverse = s.clone().try_inverse().expect("S is invertible");
    let device = Default::default();
    let original = LinearPipeline::<B>::from_matrices(&a, None, &b, None, &device);
    let mirage =
        LinearPipeline::<B>::from_matrices(&(&s * &a), None, &(&b * s_inverse), None, &device);
    let x = gaussian(&mut rng, n, d);
    let y = &x * (&b * &a).transpose() + gaussian(&mut rng, n, p) * 0.1;
    Planted {
        original,
        mirage,
        x,
        y,
    }
}

#[test]
fn planted_mirage_has_equal_risk() {
    let planted = planted(1);
    let device = Default::default();
    let risk = |model: &LinearPipeline<B>| {
        Task::Regression
            .risk(
                model.forward(to_tensor::<B>(&planted.x, &device)),
                &planted.y,
            )
            .loss
    };
    let (original, mirage) = (risk(&planted.original), risk(&planted.mirage));
    assert!(
        (original - mirage).abs() / original < 1e-5,
        "{original} vs {mirage}"
    );
}

#[test]
fn planted_mirage_differs_raw_not_modulo_gl() {
    let planted = planted(2);
    let device = Default::default();
    let design = build(
        &DesignSpec::new(DesignKind::Coordinate),
        &planted.x,
        &planted.x,
    )
    .unwrap();
    let jets_a = reverse_jets::<B>(&planted.original, &planted.x, &design, &device);
    let jets_b = reverse_jets::<B>(&planted.mirage, &planted.x, &design, &device);
    let (m, m_prime) = (jets_a[0].stacked(), jets_b[0].stacked());

    let raw = fit_quotient(Group::Identity, &m, &m_prime, 1e-6)
        .unwrap()
        .discrepancy;
    let general_linear = fit_quotient(Group::GeneralLinear, &m, &m_prime, 1e-6)
        .unwrap()
        .discrepancy;
    assert!(raw > 0.1, "raw discrepancy {raw}");
    assert!(
        general_linear < 1e-4,
        "general-linear discrepancy {general_linear}"
    );

    let (out, out_prime) = (jets_a[1].stacked(), jets_b[1].stacked());
    let output = (&out - &out_prime).norm() / out.norm();
    assert!(output < 1e-5, "output-jet discrepancy {output}");
}
