//! Named benchmark configurations and the seeded inputs they run on.

use ndarray::{Array2, Array3};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::model::{Architecture, OUTPUT_WIDTH};

/// Seed of the weights; the inputs use the next seeds.
pub const SEED: u64 = 20_240_601;

/// One benchmark case: a model and how many base points and directions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Case {
    /// Name of the size preset (`small`, `medium`, `large`).
    pub preset: String,
    /// The MLP.
    pub architecture: Architecture,
    /// Number of base points `N`.
    pub points: usize,
    /// Number of directions per point `K`.
    pub directions: usize,
}

impl Case {
    /// Returns the preset `name` with its default `N` and `K`, or `None` for
    /// an unknown name.
    pub fn preset(name: &str) -> Option<Self> {
        let (input, hidden, bottleneck, points, directions) = match name {
            "tiny" => (3, vec![5], 2, 4, 2),
            "small" => (10, vec![64], 4, 256, 8),
            "medium" => (64, vec![256, 256], 8, 1024, 16),
            "large" => (784, vec![1024, 1024], 32, 4096, 64),
            _ => return None,
        };
        Some(Self {
            preset: name.to_string(),
            architecture: Architecture {
                input,
                hidden,
                bottleneck,
                output: OUTPUT_WIDTH,
            },
            points,
            directions,
        })
    }

    /// Returns a label such as `medium-N1024-K16`, used for file names.
    pub fn label(&self) -> String {
        format!("{}-N{}-K{}", self.preset, self.points, self.directions)
    }

    /// Returns the floating-point operations of the jets of all base points
    /// and directions, counting a multiply-add as two and only the matrix
    /// products (the primal once, the tangents once per direction).
    pub fn flops(&self) -> f64 {
        let per_pass = 2.0 * self.architecture.multiply_adds() as f64;
        per_pass * self.points as f64 * (self.directions as f64 + 1.0)
    }
}

/// Draws `points` base points `[N, d]` and directions `[K, N, d]` from a
/// standard normal, seeded by `seed`.
pub fn seeded_inputs(
    seed: u64,
    points: usize,
    directions: usize,
    input: usize,
) -> (Array2<f32>, Array3<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = || -> f32 { StandardNormal.sample(&mut rng) };
    let x = Array2::from_shape_simple_fn((points, input), &mut draw);
    let u = Array3::from_shape_simple_fn((directions, points, input), &mut draw);
    (x, u)
}
