//! Synthetic linear regression data with a known low-rank map:
//! `y = W* x + noise · ε` with `W* = B* A*`, `A*` of shape `[rank, d]`,
//! `B*` of shape `[p, rank]` and `ε ~ N(0, I_p)`.
//!
//! Inputs are either `x ~ N(0, I_d)` or, to break identifiability, confined
//! to a random `k`-dimensional subspace: `x = Q c` with `Q` of shape `[d, k]`
//! orthonormal and `c ~ N(0, I_k)`.

use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use super::csv::{MIN_ROWS, Table, sha256_hex};
use super::error::DataError;

/// Settings of a synthetic data set. Every field has a default, so a config
/// names only what it changes; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyntheticSpec {
    /// Number of rows. Default 1000.
    pub n: usize,
    /// Input dimension. Default 10.
    pub d: usize,
    /// Output dimension. Default 5.
    pub p: usize,
    /// Rank of `W*`, between 1 and `min(d, p)`. Default 3.
    pub rank: usize,
    /// Dimension `k` of the input subspace, between 1 and `d`; `None` draws
    /// inputs from all of `R^d`. Default `None`.
    pub subspace_dim: Option<usize>,
    /// Standard deviation of the Gaussian noise added to each output. Default 0.1.
    pub noise: f64,
    /// Seed of the ChaCha8 generator that draws every random quantity. Default 0.
    pub seed: u64,
}

impl Default for SyntheticSpec {
    fn default() -> Self {
        SyntheticSpec {
            n: 1000,
            d: 10,
            p: 5,
            rank: 3,
            subspace_dim: None,
            noise: 0.1,
            seed: 0,
        }
    }
}

impl SyntheticSpec {
    /// Checks the dimensions, rank and noise level.
    ///
    /// # Errors
    /// [`DataError::InvalidSyntheticSpec`] naming the field and its valid range.
    pub fn validate(&self) -> Result<(), DataError> {
        let invalid = |message: String| Err(DataError::InvalidSyntheticSpec { message });
        if self.n < MIN_ROWS {
            return invalid(format!(
                "n = {} is too small; set n to at least {MIN_ROWS} (one row each for training, validation and test)",
                self.n
            ));
        }
        if self.d == 0 {
            return invalid("d = 0; set d to at least 1".to_string());
        }
        if self.p == 0 {
            return invalid("p = 0; set p to at least 1".to_string());
        }
        let max_rank = self.d.min(self.p);
        if self.rank == 0 {
            return invalid(format!(
                "rank = 0; set rank between 1 and min(d, p) = {max_rank}"
            ));
        }
        if self.rank > max_rank {
            return invalid(format!(
                "rank = {} exceeds min(d, p) = {max_rank}; set rank between 1 and {max_rank}",
                self.rank
            ));
        }
        if let Some(k) = self.subspace_dim
            && (k == 0 || k > self.d)
        {
            return invalid(format!(
                "subspace_dim = {k} is outside 1..=d = 1..={}; set it in that range, or remove it to use all of R^d",
                self.d
            ));
        }
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return invalid(format!(
                "noise = {} is invalid; set noise to a finite standard deviation of 0 or more",
                self.noise
            ));
        }
        Ok(())
    }

    /// Serialises the spec as compact JSON with the fields in declaration
    /// order, so equal specs give equal bytes.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a SyntheticSpec always serialises to JSON")
    }
}

/// A generated data set with the ground truth that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// Features `x1..xd`, targets `y1..yp`; the fingerprint is the SHA-256
    /// digest of [`SyntheticSpec::canonical_json`].
    pub table: Table,
    /// Input map, `[rank, d]`.
    pub a_star: DMatrix<f64>,
    /// Output map, `[p, rank]`.
    pub b_star: DMatrix<f64>,
    /// Orthonormal basis `Q` of the input subspace, `[d, k]`, when
    /// `subspace_dim` is set.
    pub basis: Option<DMatrix<f64>>,
}

impl Synthetic {
    /// Computes the true map `W* = B* A*`, `[p, d]`.
    pub fn w_star(&self) -> DMatrix<f64> {
        &self.b_star * &self.a_star
    }
}

/// Draws a synthetic data set from `spec`.
///
/// Entries of `A*` are drawn from `N(0, 1/d)` and entries of `B*` from
/// `N(0, 1/rank)`, so for `x ~ N(0, I_d)` each output of `W* x` has variance 1
/// on average over the draw of the maps and `noise` reads as a
/// noise-to-signal ratio. Gaussian factors have full rank with probability 1,
/// so `W*` has rank `rank`.
///
/// The draws come from one ChaCha8 stream seeded with `spec.seed`, in the order
/// `A*`, `B*`, `Q`, inputs, noise, so a given spec always gives the same data.
///
/// # Errors
/// [`DataError::InvalidSyntheticSpec`] when [`SyntheticSpec::validate`] fails.
pub fn generate(spec: &SyntheticSpec) -> Result<Synthetic, DataError> {
    spec.validate()?;
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);

    let a_star = gaussian(&mut rng, spec.rank, spec.d, 1.0 / (spec.d as f64).sqrt());
    let b_star = gaussian(&mut rng, spec.p, spec.rank, 1.0 / (spec.rank as f64).sqrt());
    let basis = spec
        .subspace_dim
        .map(|k| orthonormal_basis(&mut rng, spec.d, k));

    // Rows are samples, so x = Q c becomes X = C Qᵀ and y = W* x becomes Y = X W*ᵀ.
    let x = match &basis {
        None => gaussian(&mut rng, spec.n, spec.d, 1.0),
        Some(q) => gaussian(&mut rng, spec.n, q.ncols(), 1.0) * q.transpose(),
    };
    let w_star = &b_star * &a_star;
    let noise = gaussian(&mut rng, spec.n, spec.p, 1.0);
    let y = &x * w_star.transpose() + noise * spec.noise;

    let json = spec.canonical_json();
    let table = Table {
        feature_names: (1..=spec.d).map(|i| format!("x{i}")).collect(),
        target_names: (1..=spec.p).map(|i| format!("y{i}")).collect(),
        x,
        y,
        source: format!("synthetic {json}"),
        fingerprint: sha256_hex(json.as_bytes()),
    };
    Ok(Synthetic {
        table,
        a_star,
        b_star,
        basis,
    })
}

/// Matrix of shape `[rows, cols]` with independent `N(0, std²)` entries.
fn gaussian(rng: &mut ChaCha8Rng, rows: usize, cols: usize, std: f64) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| {
        std * rng.sample::<f64, _>(StandardNormal)
    })
}

/// Random `[d, k]` matrix with orthonormal columns: the Q factor of a Gaussian
/// matrix, whose column span is uniformly distributed.
fn orthonormal_basis(rng: &mut ChaCha8Rng, d: usize, k: usize) -> DMatrix<f64> {
    gaussian(rng, d, k, 1.0).qr().q()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> SyntheticSpec {
        SyntheticSpec {
            n: 200,
            d: 8,
            p: 6,
            rank: 3,
            subspace_dim: None,
            noise: 0.1,
            seed: 5,
        }
    }

    fn validation_message(spec: SyntheticSpec) -> String {
        generate(&spec).unwrap_err().to_string()
    }

    #[test]
    fn empty_json_gives_defaults() {
        let parsed: SyntheticSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(parsed, SyntheticSpec::default());
    }

    #[test]
    fn unknown_field_rejected() {
        let error = serde_json::from_str::<SyntheticSpec>(r#"{"rnak": 2}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("unknown field `rnak`"),
            "{error}"
        );
    }

    #[test]
    fn shapes_and_names() {
        let data = generate(&spec()).unwrap();
        assert_eq!(data.table.x.shape(), (200, 8));
        assert_eq!(data.table.y.shape(), (200, 6));
        assert_eq!(data.a_star.shape(), (3, 8));
        assert_eq!(data.b_star.shape(), (6, 3));
        assert_eq!(data.table.feature_names.first().unwrap(), "x1");
        assert_eq!(data.table.feature_names.last().unwrap(), "x8");
        assert_eq!(data.table.target_names.last().unwrap(), "y6");
        assert!(data.basis.is_none());
    }

    #[test]
    fn w_star_has_requested_rank() {
        for rank in 1..=6 {
            let data = generate(&SyntheticSpec { rank, ..spec() }).unwrap();
            assert_eq!(data.w_star().rank(1e-10), rank);
        }
    }

    #[test]
    fn noiseless_targets_are_linear() {
        let data = generate(&SyntheticSpec {
            noise: 0.0,
            ..spec()
        })
        .unwrap();
        let expected = &data.table.x * data.w_star().transpose();
        assert!((&data.table.y - expected).abs().max() < 1e-12);
    }

    #[test]
    fn noise_has_requested_scale() {
        let data = generate(&SyntheticSpec {
            n: 20_000,
            noise: 0.5,
            ..spec()
        })
        .unwrap();
        let residual = &data.table.y - &data.table.x * data.w_star().transpose();
        let std = (residual.norm_squared() / residual.len() as f64).sqrt();
        assert!((std - 0.5).abs() < 0.01, "noise std {std}");
    }

    #[test]
    fn basis_is_orthonormal() {
        let data = generate(&SyntheticSpec {
            subspace_dim: Some(3),
            ..spec()
        })
        .unwrap();
        let q = data.basis.unwrap();
        assert_eq!(q.shape(), (8, 3));
        let gram = q.transpose() * &q;
        assert!((gram - DMatrix::<f64>::identity(3, 3)).abs().max() < 1e-12);
    }

    #[test]
    fn inputs_lie_in_subspace() {
        let data = generate(&SyntheticSpec {
            subspace_dim: Some(3),
            ..spec()
        })
        .unwrap();
        let q = data.basis.unwrap();
        let x = &data.table.x;
        let projected = x * &q * q.transpose();
        assert!((x - projected).abs().max() < 1e-10);
        assert_eq!(x.rank(1e-10), 3);
    }

    #[test]
    fn full_space_inputs_have_full_rank() {
        let data = generate(&spec()).unwrap();
        assert_eq!(data.table.x.rank(1e-10), 8);
    }

    #[test]
    fn same_seed_same_data() {
        let first = generate(&spec()).unwrap();
        let second = generate(&spec()).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn different_seed_different_data() {
        let first = generate(&spec()).unwrap();
        let second = generate(&SyntheticSpec { seed: 6, ..spec() }).unwrap();
        assert_ne!(first.table.x, second.table.x);
        assert_ne!(first.a_star, second.a_star);
    }

    #[test]
    fn fingerprint_hashes_canonical_json() {
        let data = generate(&spec()).unwrap();
        assert_eq!(
            data.table.fingerprint,
            sha256_hex(spec().canonical_json().as_bytes())
        );
        let other = generate(&SyntheticSpec {
            noise: 0.2,
            ..spec()
        })
        .unwrap();
        assert_ne!(other.table.fingerprint, data.table.fingerprint);
    }

    #[test]
    fn canonical_json_lists_fields_in_order() {
        assert_eq!(
            spec().canonical_json(),
            r#"{"n":200,"d":8,"p":6,"rank":3,"subspace_dim":null,"noise":0.1,"seed":5}"#
        );
    }

    #[test]
    fn rank_above_min_dimension_rejected() {
        let message = validation_message(SyntheticSpec { rank: 7, ..spec() });
        assert_eq!(
            message,
            "synthetic data: rank = 7 exceeds min(d, p) = 6; set rank between 1 and 6"
        );
    }

    #[test]
    fn zero_rank_rejected() {
        let message = validation_message(SyntheticSpec { rank: 0, ..spec() });
        assert_eq!(
            message,
            "synthetic data: rank = 0; set rank between 1 and min(d, p) = 6"
        );
    }

    #[test]
    fn subspace_larger_than_d_rejected() {
        let message = validation_message(SyntheticSpec {
            subspace_dim: Some(9),
            ..spec()
        });
        assert_eq!(
            message,
            "synthetic data: subspace_dim = 9 is outside 1..=d = 1..=8; set it in that range, or remove it to use all of R^d"
        );
    }

    #[test]
    fn zero_subspace_rejected() {
        let message = validation_message(SyntheticSpec {
            subspace_dim: Some(0),
            ..spec()
        });
        assert!(
            message.starts_with("synthetic data: subspace_dim = 0 is outside"),
            "{message}"
        );
    }

    #[test]
    fn negative_noise_rejected() {
        let message = validation_message(SyntheticSpec {
            noise: -0.1,
            ..spec()
        });
        assert_eq!(
            message,
            "synthetic data: noise = -0.1 is invalid; set noise to a finite standard deviation of 0 or more"
        );
    }

    #[test]
    fn nan_noise_rejected() {
        let message = validation_message(SyntheticSpec {
            noise: f64::NAN,
            ..spec()
        });
        assert!(
            message.starts_with("synthetic data: noise = NaN is invalid"),
            "{message}"
        );
    }

    #[test]
    fn too_few_rows_rejected() {
        let message = validation_message(SyntheticSpec { n: 2, ..spec() });
        assert_eq!(
            message,
            "synthetic data: n = 2 is too small; set n to at least 3 (one row each for training, validation and test)"
        );
    }

    #[test]
    fn zero_dimensions_rejected() {
        assert_eq!(
            validation_message(SyntheticSpec { d: 0, ..spec() }),
            "synthetic data: d = 0; set d to at least 1"
        );
        assert_eq!(
            validation_message(SyntheticSpec { p: 0, ..spec() }),
            "synthetic data: p = 0; set p to at least 1"
        );
    }
}
