//! Shared checks: every tangent rule is compared against central differences and against
//! reverse mode (`Autodiff<NdArray<f64>>`), on seeded random inputs.

use std::sync::Mutex;

use burn::backend::{Autodiff, NdArray};
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData, TensorPrimitive};
use mojet_forward::{Forward, ForwardTensor, dual_primitive};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The inner backend of every check: `f64`, so that central differences are precise.
pub type Inner = NdArray<f64>;
/// The backend under test.
pub type Fwd = Forward<Inner>;
/// Reverse mode on the same inner backend.
pub type Reverse = Autodiff<Inner>;

/// Step and tolerance of the central differences.
#[derive(Debug, Clone, Copy)]
pub struct Differences {
    /// Step `h` along each direction.
    pub step: f64,
    /// Tolerance on `|jvp - fd| / (1 + |fd|)`.
    pub tolerance: f64,
}

/// For functions computed in `f64`: truncation (`h^2`) and rounding (`1e-16 / h`) errors are
/// both below `1e-9` for the smooth, `O(1)`-scaled functions tested here.
pub const F64: Differences = Differences {
    step: 1e-6,
    tolerance: 1e-6,
};

/// For functions that the inner backend computes in `f32` even on `NdArray<f64>` (burn 0.21
/// casts `sigmoid` and `hard_sigmoid` to `f32`): rounding `6e-8 / h` and truncation `h^2`
/// both stay below `1e-4`.
pub const F32_PRIMAL: Differences = Differences {
    step: 1e-3,
    tolerance: 1e-3,
};

/// Tolerance on `|v·(J u) - (Jᵀ v)·u| / (1 + |v·(J u)|)`. burn-autodiff 0.21 rounds some
/// scalars to `f32` in its backward steps (for example `1 / rhs` of `div_scalar`), which
/// costs up to about `1e-7` even on `f64`.
pub const REVERSE_TOLERANCE: f64 = 1e-6;

/// Largest discrepancies measured so far in this run, printed by each check: central
/// differences at [`F64`], central differences at [`F32_PRIMAL`], reverse mode.
static WORST: Mutex<[f64; 3]> = Mutex::new([0.0; 3]);

/// A SplitMix64 generator, so that test data does not depend on the backend's global seed,
/// which tests running in parallel would share.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a value uniform in `[low, high)`.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }

    pub fn values(&mut self, n: usize, low: f64, high: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(low, high)).collect()
    }
}

/// Creates a tensor on any backend from values in row-major order.
pub fn tensor<Bk: Backend, const D: usize>(values: Vec<f64>, shape: [usize; D]) -> Tensor<Bk, D> {
    Tensor::from_data(TensorData::new(values, shape), &Default::default())
}

/// Creates a tensor of fixed pseudo-random values in `[low, high)`, identical on every backend.
pub fn fixed<Bk: Backend, const D: usize>(
    shape: [usize; D],
    seed: u64,
    low: f64,
    high: f64,
) -> Tensor<Bk, D> {
    let n = shape.iter().product();
    tensor(Rng::new(seed).values(n, low, high), shape)
}

pub fn values<Bk: Backend, const D: usize>(tensor: Tensor<Bk, D>) -> Vec<f64> {
    tensor
        .into_data()
        .convert::<f64>()
        .to_vec::<f64>()
        .expect("f64 data")
}

/// A function from one tensor to one tensor, written once for every backend.
pub trait Op<const DI: usize, const DO: usize> {
    fn apply<Bk: Backend>(&self, x: Tensor<Bk, DI>) -> Tensor<Bk, DO>;
}

/// Runs `op` on `Forward<NdArray<f64>>` at `x` with the directions `[k, ...shape]`, and
/// returns the tangents `[k, ...output]`, the primal and the output shape.
pub fn forward_jvp<const DI: usize, const DO: usize>(
    op: &impl Op<DI, DO>,
    x: &[f64],
    shape: [usize; DI],
    directions: &[f64],
    k: usize,
) -> (Vec<f64>, Vec<f64>, Vec<usize>) {
    jvp_of(|x| op.apply::<Fwd>(x), x, shape, directions, k)
}

/// Runs `forward` at `x` with the directions `[k, ...shape]`, and returns the tangents
/// `[k, ...output]`, the primal and the output shape.
pub fn jvp_of<const DI: usize, const DO: usize>(
    forward: impl Fn(Tensor<Fwd, DI>) -> Tensor<Fwd, DO>,
    x: &[f64],
    shape: [usize; DI],
    directions: &[f64],
    k: usize,
) -> (Vec<f64>, Vec<f64>, Vec<usize>) {
    let primal = tensor::<Inner, DI>(x.to_vec(), shape)
        .into_primitive()
        .tensor();
    let mut tangent_shape = vec![k];
    tangent_shape.extend_from_slice(&shape);
    let tangents: Tensor<Inner, 1> = tensor(directions.to_vec(), [directions.len()]);
    let tangents = tangents.into_primitive().tensor();
    let tangents = <Inner as burn::tensor::ops::FloatTensorOps<Inner>>::float_reshape(
        tangents,
        burn::tensor::Shape::from(tangent_shape),
    );
    let lifted = dual_primitive::<Inner, DI>(primal, Some(tangents)).expect("tangent fits");
    let output: ForwardTensor<Inner> = forward(lifted).into_primitive().tensor();
    let (output, output_tangent) = output.into_parts();
    let output_tangent = output_tangent.expect("the output depends on the lifted input");
    let output: Tensor<Inner, DO> = Tensor::from_primitive(TensorPrimitive::Float(output));
    let output_shape = output.dims().to_vec();
    let tangent: Tensor<Inner, 1> =
        Tensor::<Inner, 1>::from_primitive(TensorPrimitive::Float(output_tangent.clone()))
            .reshape([-1]);
    let tangent_dims = burn::tensor::TensorMetadata::shape(&output_tangent).to_vec();
    let mut expected_dims = vec![k];
    expected_dims.extend_from_slice(&output_shape);
    assert_eq!(
        tangent_dims, expected_dims,
        "tangent shape is [K, ...output shape]"
    );
    (values(tangent), values(output), output_shape)
}

/// Checks the tangents of `op` against central differences and, when `with_reverse`,
/// reverse mode, on `k` random directions at a random point of `domain`.
///
/// # Panics
///
/// Panics when the primal differs from `op` on the inner backend, or when a discrepancy
/// exceeds its tolerance.
pub fn check_op<const DI: usize, const DO: usize>(
    op: &impl Op<DI, DO>,
    shape: [usize; DI],
    k: usize,
    domain: (f64, f64),
    seed: u64,
    with_reverse: bool,
) {
    check_op_with(op, shape, k, domain, seed, with_reverse, F64);
}

/// Runs [`check_op`] with the given central differences.
pub fn check_op_with<const DI: usize, const DO: usize>(
    op: &impl Op<DI, DO>,
    shape: [usize; DI],
    k: usize,
    domain: (f64, f64),
    seed: u64,
    with_reverse: bool,
    differences: Differences,
) {
    let reverse = |x: Tensor<Reverse, DI>| op.apply::<Reverse>(x);
    let reverse: Option<&dyn Fn(Tensor<Reverse, DI>) -> Tensor<Reverse, DO>> =
        if with_reverse { Some(&reverse) } else { None };
    let sample = Sample {
        shape,
        directions: k,
        domain,
        seed,
    };
    check_functions(
        |x| op.apply::<Inner>(x),
        |x| op.apply::<Fwd>(x),
        reverse,
        sample,
        differences,
    )
}

/// Where a check evaluates: `directions` random directions at a random point of `domain`, for
/// an input of shape `shape`, drawn from `seed`.
#[derive(Debug, Clone, Copy)]
pub struct Sample<const D: usize> {
    pub shape: [usize; D],
    pub directions: usize,
    pub domain: (f64, f64),
    pub seed: u64,
}

/// Checks that `forward` computes the primal of `inner` and its tangents, against central
/// differences of `inner` and against the gradients of `reverse`, at `sample`. The three
/// functions must compute the same thing on their backends.
///
/// # Panics
///
/// Panics when the primal differs from `inner`, or when a discrepancy exceeds its tolerance.
pub fn check_functions<const DI: usize, const DO: usize>(
    inner: impl Fn(Tensor<Inner, DI>) -> Tensor<Inner, DO>,
    forward: impl Fn(Tensor<Fwd, DI>) -> Tensor<Fwd, DO>,
    reverse: Option<&dyn Fn(Tensor<Reverse, DI>) -> Tensor<Reverse, DO>>,
    sample: Sample<DI>,
    differences: Differences,
) {
    let Sample {
        shape,
        directions: k,
        domain,
        seed,
    } = sample;
    let mut rng = Rng::new(seed);
    let n: usize = shape.iter().product();
    let x = rng.values(n, domain.0, domain.1);
    let directions = rng.values(k * n, -1.0, 1.0);

    let (jvp, primal, output_shape) = jvp_of(forward, &x, shape, &directions, k);
    let expected = values(inner(tensor(x.clone(), shape)));
    assert_eq!(primal.len(), expected.len());
    for (index, (got, want)) in primal.iter().zip(&expected).enumerate() {
        assert!(
            (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
            "primal {index}: forward {got}, inner backend {want}"
        );
    }

    let m: usize = output_shape.iter().product();
    let mut finite_difference: f64 = 0.0;
    for direction in 0..k {
        let u = &directions[direction * n..(direction + 1) * n];
        let shifted = |sign: f64| {
            let point: Vec<f64> = x
                .iter()
                .zip(u)
                .map(|(x, u)| x + sign * differences.step * u)
                .collect();
            values(inner(tensor(point, shape)))
        };
        let (plus, minus) = (shifted(1.0), shifted(-1.0));
        for index in 0..m {
            let fd = (plus[index] - minus[index]) / (2.0 * differences.step);
            let got = jvp[direction * m + index];
            let error = (got - fd).abs() / (1.0 + fd.abs());
            finite_difference = finite_difference.max(error);
            assert!(
                error <= differences.tolerance,
                "direction {direction}, output {index}: forward {got}, central difference {fd}"
            );
        }
    }

    let reverse = reverse.map(|reverse| {
        let v = rng.values(m, -1.0, 1.0);
        let x_tracked = tensor::<Reverse, DI>(x.clone(), shape).require_grad();
        let output = reverse(x_tracked.clone());
        let reverse_primal = values(output.clone().inner());
        for (index, (got, want)) in reverse_primal.iter().zip(&expected).enumerate() {
            assert!(
                (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
                "primal {index}: reverse mode {got}, inner backend {want}"
            );
        }
        let weights: Tensor<Reverse, 1> = tensor(v.clone(), [m]);
        let loss = (output.reshape([-1]) * weights).sum();
        let grads = loss.backward();
        let gradient = values(x_tracked.grad(&grads).expect("input gradient"));
        let mut worst: f64 = 0.0;
        for direction in 0..k {
            let u = &directions[direction * n..(direction + 1) * n];
            let forward: f64 = (0..m).map(|i| v[i] * jvp[direction * m + i]).sum();
            let backward: f64 = gradient.iter().zip(u).map(|(g, u)| g * u).sum();
            let error = (forward - backward).abs() / (1.0 + forward.abs());
            worst = worst.max(error);
            assert!(
                error <= REVERSE_TOLERANCE,
                "direction {direction}: v·(J u) = {forward}, (Jᵀ v)·u = {backward}"
            );
        }
        worst
    });

    let mut worst = WORST
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let class = if differences.step < F32_PRIMAL.step {
        0
    } else {
        1
    };
    worst[class] = worst[class].max(finite_difference);
    worst[2] = worst[2].max(reverse.unwrap_or(0.0));
    println!(
        "max discrepancy so far: central differences {:.3e} (f64 primal), {:.3e} (f32 primal), \
         reverse mode {:.3e}",
        worst[0], worst[1], worst[2]
    );
}

/// Runs `check` on a few seeded random shapes with `rank` axes of size 1 to `max_size`.
pub fn for_random_shapes<const D: usize>(max_size: usize, check: impl Fn([usize; D], u64)) {
    let config = Config {
        cases: 4,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (
        proptest::collection::vec(1..=max_size, D),
        proptest::num::u64::ANY,
    );
    runner
        .run(&strategy, |(dims, seed)| {
            let shape: [usize; D] = dims.try_into().expect("D axes");
            check(shape, seed);
            Ok(())
        })
        .unwrap();
}
