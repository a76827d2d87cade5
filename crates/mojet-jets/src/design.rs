//! Perturbation designs: the input directions `U(x)` `[d, K]` along which
//! jets are taken at each base point `x`.
//!
//! Every design has orthonormal columns, so a jet `J(x) U(x)` measures the
//! response to unit perturbations and jets of different designs are on the
//! same scale.

use std::fmt;
use std::str::FromStr;

use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::Serialize;
use thiserror::Error;

use crate::linalg::{
    DEFAULT_RELATIVE_TOLERANCE, centre_rows, is_finite, orthogonal_complement, orthonormalize,
    principal_directions, principal_directions_at_scale,
};

/// The rule that chooses the directions of a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DesignKind {
    /// The `d` unit vectors, so the jet is the full Jacobian.
    Coordinate,
    /// `K` Gaussian random directions, orthonormalised.
    Isotropic,
    /// The top-`K` principal directions of the reference data, the same at
    /// every base point.
    Principal,
    /// The top-`K` principal directions of the nearest neighbours of each base
    /// point: on-manifold directions.
    Tangent,
    /// `K` directions orthogonal to the local tangent space at each base
    /// point: off-manifold directions.
    Normal,
}

impl DesignKind {
    /// Every design kind.
    pub const ALL: [DesignKind; 5] = [
        DesignKind::Coordinate,
        DesignKind::Isotropic,
        DesignKind::Principal,
        DesignKind::Tangent,
        DesignKind::Normal,
    ];

    /// Kebab-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Coordinate => "coordinate",
            DesignKind::Isotropic => "isotropic",
            DesignKind::Principal => "principal",
            DesignKind::Tangent => "tangent",
            DesignKind::Normal => "normal",
        }
    }

    /// Returns whether the design reads the reference data.
    fn uses_data(self) -> bool {
        matches!(
            self,
            DesignKind::Principal | DesignKind::Tangent | DesignKind::Normal
        )
    }
}

impl fmt::Display for DesignKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for a string that names no design kind.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown design {value:?}; valid names: {}", valid_design_names())]
pub struct ParseDesignKindError {
    /// The string that was parsed.
    pub value: String,
}

fn valid_design_names() -> String {
    let names: Vec<&str> = DesignKind::ALL.iter().map(|kind| kind.name()).collect();
    names.join(", ")
}

impl FromStr for DesignKind {
    type Err = ParseDesignKindError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        DesignKind::ALL
            .into_iter()
            .find(|kind| kind.name() == value)
            .ok_or_else(|| ParseDesignKindError {
                value: value.to_owned(),
            })
    }
}

/// The directions of a design at every base point.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The rule that chose the directions.
    pub kind: DesignKind,
    /// `directions[n]` is `U(x_n)`, `[d, K]` with orthonormal columns.
    pub directions: Vec<DMatrix<f64>>,
}

impl Design {
    /// Number of directions `K` per base point, 0 when there are no base
    /// points.
    pub fn directions_per_point(&self) -> usize {
        self.directions.first().map_or(0, |u| u.ncols())
    }
}

/// Parameters of a design. Fields left `None` take the defaults documented on
/// each field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesignSpec {
    /// The rule that chooses the directions.
    pub kind: DesignKind,
    /// Number of directions `K`, from 1 to `d`. Required by every kind except
    /// `coordinate`, which always uses `K = d` and ignores this field.
    pub k: Option<usize>,
    /// Number of nearest neighbours (Euclidean, in the reference data) whose
    /// local PCA gives the `tangent` and `normal` directions. A base point
    /// that is itself in the data counts as its own neighbour. Defaults to
    /// `min(2 * d, n)`: twice the input dimension lets the local covariance
    /// reach full rank, so the local PCA ranks every input direction,
    /// including the off-manifold ones that `normal` needs.
    pub neighbours: Option<usize>,
    /// Dimension of the local tangent space that `normal` directions are
    /// orthogonal to. Defaults to `K`. Other kinds ignore it.
    pub tangent_dim: Option<usize>,
    /// Seed of the `isotropic` draw. Other kinds are deterministic and ignore
    /// it.
    pub seed: u64,
}

impl DesignSpec {
    /// Creates a spec of the given kind with every optional field at its
    /// default and seed 0.
    pub fn new(kind: DesignKind) -> Self {
        Self {
            kind,
            k: None,
            neighbours: None,
            tangent_dim: None,
            seed: 0,
        }
    }
}

/// Reasons a design cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DesignError {
    /// `k` was not set for a kind that needs it.
    #[error(
        "the {kind} design needs the number of directions K; set k to a value from 1 to d = {d}"
    )]
    MissingDirectionCount {
        /// The design kind.
        kind: DesignKind,
        /// Input dimension.
        d: usize,
    },
    /// `k` is 0.
    #[error(
        "the {kind} design needs at least one direction, got K = 0; set k to a value \
         from 1 to d = {d}"
    )]
    ZeroDirections {
        /// The design kind.
        kind: DesignKind,
        /// Input dimension.
        d: usize,
    },
    /// `k` exceeds the input dimension.
    #[error(
        "the {kind} design cannot have K = {k} orthonormal directions in input \
         dimension d = {d}; set k to at most {d}"
    )]
    TooManyDirections {
        /// The design kind.
        kind: DesignKind,
        /// Requested number of directions.
        k: usize,
        /// Input dimension.
        d: usize,
    },
    /// The tangent space and the normal directions do not fit in the input
    /// space together.
    #[error(
        "the normal design needs tangent dimension + K <= d, got {tangent_dim} + {k} > {d}; \
         lower the tangent dimension (tangent_dim, --tangent-dim) or K (k, --k)"
    )]
    TangentTooLarge {
        /// Requested tangent dimension.
        tangent_dim: usize,
        /// Requested number of directions.
        k: usize,
        /// Input dimension.
        d: usize,
    },
    /// Too few neighbours to estimate the local PCA.
    #[error(
        "the {kind} design needs at least {minimum} neighbours for its local PCA, got neighbours = \
         {neighbours}; set neighbours to {minimum} or more"
    )]
    TooFewNeighbours {
        /// The design kind.
        kind: DesignKind,
        /// Requested number of neighbours.
        neighbours: usize,
        /// Smallest accepted number.
        minimum: usize,
    },
    /// More neighbours than reference points.
    #[error(
        "neighbours = {neighbours} exceeds the {n} points of the reference data; set neighbours to \
         at most {n} or pass more data"
    )]
    TooManyNeighbours {
        /// Requested number of neighbours.
        neighbours: usize,
        /// Number of reference points.
        n: usize,
    },
    /// Too few reference points for the design.
    #[error(
        "the {kind} design needs at least {minimum} reference data points, got {n}; pass more data \
         or lower k"
    )]
    TooFewDataPoints {
        /// The design kind.
        kind: DesignKind,
        /// Number of reference points.
        n: usize,
        /// Smallest accepted number.
        minimum: usize,
    },
    /// Base points and reference data have different dimensions.
    #[error(
        "base points have dimension {base} but the reference data has dimension {data}; both must \
         be rows in the same input space"
    )]
    DimensionMismatch {
        /// Columns of the base points.
        base: usize,
        /// Columns of the reference data.
        data: usize,
    },
    /// An input contains NaN or infinity.
    #[error("the {input} contain a NaN or infinite entry")]
    NonFinite {
        /// `"base points"` or `"reference data"`.
        input: &'static str,
    },
}

/// Builds the design `spec` at every base point.
///
/// # Arguments
/// * `spec`: the design kind and its parameters.
/// * `base_points`: `[N, d]`, one base point per row.
/// * `data`: `[n, d]` reference data, one sample per row, for the PCA of
///   `principal` and the neighbourhoods of `tangent` and `normal`. Other kinds
///   do not read it, so an empty matrix will do for them.
///
/// # Returns
/// One `[d, K]` matrix with orthonormal columns per base point.
///
/// # Errors
/// If a parameter is out of range for `d` or `n` (each message names the
/// value and its valid range), the dimensions of `base_points` and `data`
/// differ, or an input that the design reads is not finite.
pub fn build(
    spec: &DesignSpec,
    base_points: &DMatrix<f64>,
    data: &DMatrix<f64>,
) -> Result<Design, DesignError> {
    let plan = Plan::resolve(spec, base_points, data)?;
    let directions = match spec.kind {
        DesignKind::Coordinate => coordinate(base_points),
        DesignKind::Isotropic => isotropic(base_points, plan.k, spec.seed),
        DesignKind::Principal => principal(base_points, data, plan.k),
        DesignKind::Tangent => tangent(base_points, data, &plan),
        DesignKind::Normal => normal(base_points, data, &plan),
    };
    Ok(Design {
        kind: spec.kind,
        directions,
    })
}

/// Parameters of a spec, checked and with defaults filled in.
struct Plan {
    k: usize,
    neighbours: usize,
    tangent_dim: usize,
}

impl Plan {
    fn resolve(
        spec: &DesignSpec,
        base_points: &DMatrix<f64>,
        data: &DMatrix<f64>,
    ) -> Result<Self, DesignError> {
        check_inputs(spec.kind, base_points, data)?;
        let d = base_points.ncols();
        let k = resolve_k(spec, d)?;
        let tangent_dim = spec.tangent_dim.unwrap_or(k);
        if spec.kind == DesignKind::Normal && tangent_dim + k > d {
            return Err(DesignError::TangentTooLarge { tangent_dim, k, d });
        }

        let neighbours = match spec.kind {
            DesignKind::Principal => {
                check_principal_data(data.nrows(), k)?;
                0
            }
            DesignKind::Tangent | DesignKind::Normal => {
                resolve_neighbours(spec, d, data.nrows(), k, tangent_dim)?
            }
            DesignKind::Coordinate | DesignKind::Isotropic => 0,
        };
        Ok(Self {
            k,
            neighbours,
            tangent_dim,
        })
    }
}

fn check_inputs(
    kind: DesignKind,
    base_points: &DMatrix<f64>,
    data: &DMatrix<f64>,
) -> Result<(), DesignError> {
    if !is_finite(base_points) {
        return Err(DesignError::NonFinite {
            input: "base points",
        });
    }
    if !kind.uses_data() {
        return Ok(());
    }
    if data.ncols() != base_points.ncols() {
        return Err(DesignError::DimensionMismatch {
            base: base_points.ncols(),
            data: data.ncols(),
        });
    }
    if !is_finite(data) {
        return Err(DesignError::NonFinite {
            input: "reference data",
        });
    }
    Ok(())
}

fn resolve_k(spec: &DesignSpec, d: usize) -> Result<usize, DesignError> {
    let kind = spec.kind;
    if kind == DesignKind::Coordinate {
        return Ok(d);
    }
    let k = spec
        .k
        .ok_or(DesignError::MissingDirectionCount { kind, d })?;
    if k == 0 {
        return Err(DesignError::ZeroDirections { kind, d });
    }
    if k > d {
        return Err(DesignError::TooManyDirections { kind, k, d });
    }
    Ok(k)
}

/// Requires `K + 1` points, so that the centred data can vary along every one
/// of the `K` directions.
fn check_principal_data(n: usize, k: usize) -> Result<(), DesignError> {
    let minimum = k + 1;
    if n < minimum {
        return Err(DesignError::TooFewDataPoints {
            kind: DesignKind::Principal,
            n,
            minimum,
        });
    }
    Ok(())
}

/// Checks or defaults the neighbourhood size.
///
/// A local PCA of `r` directions needs `r + 1` points, because centring
/// removes one degree of freedom. `tangent` estimates `K` directions and
/// `normal` estimates the `tangent_dim` directions it must avoid. Normal
/// directions beyond what the neighbourhood spans are filled in
/// deterministically, so they need no extra points. Two points are the
/// minimum in every case, since a single point has no spread.
fn resolve_neighbours(
    spec: &DesignSpec,
    d: usize,
    n: usize,
    k: usize,
    tangent_dim: usize,
) -> Result<usize, DesignError> {
    let kind = spec.kind;
    let estimated = if kind == DesignKind::Tangent {
        k
    } else {
        tangent_dim
    };
    let minimum = estimated.max(1) + 1;

    let Some(neighbours) = spec.neighbours else {
        if n < minimum {
            return Err(DesignError::TooFewDataPoints { kind, n, minimum });
        }
        return Ok((2 * d).clamp(minimum, n));
    };
    if neighbours < minimum {
        return Err(DesignError::TooFewNeighbours {
            kind,
            neighbours,
            minimum,
        });
    }
    if neighbours > n {
        return Err(DesignError::TooManyNeighbours { neighbours, n });
    }
    Ok(neighbours)
}

fn coordinate(base_points: &DMatrix<f64>) -> Vec<DMatrix<f64>> {
    let d = base_points.ncols();
    vec![DMatrix::identity(d, d); base_points.nrows()]
}

/// Draws a fresh `[d, K]` Gaussian matrix per base point, in order, from one
/// stream seeded by `seed`, so the directions at point `n` depend only on
/// `seed`, `n`, `d` and `K`.
fn isotropic(base_points: &DMatrix<f64>, k: usize, seed: u64) -> Vec<DMatrix<f64>> {
    let d = base_points.ncols();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..base_points.nrows())
        .map(|_| {
            let gaussian = DMatrix::from_fn(d, k, |_, _| rng.sample::<f64, _>(StandardNormal));
            orthonormalize(&gaussian)
        })
        .collect()
}

fn principal(base_points: &DMatrix<f64>, data: &DMatrix<f64>, k: usize) -> Vec<DMatrix<f64>> {
    let pca = principal_directions(data, k, DEFAULT_RELATIVE_TOLERANCE);
    vec![pca.directions; base_points.nrows()]
}

fn tangent(base_points: &DMatrix<f64>, data: &DMatrix<f64>, plan: &Plan) -> Vec<DMatrix<f64>> {
    let neighbourhoods = Neighbourhoods::new(data);
    base_points
        .row_iter()
        .map(|x| {
            let local = neighbourhoods.nearest(&x.transpose(), plan.neighbours);
            principal_directions(&local, plan.k, DEFAULT_RELATIVE_TOLERANCE).directions
        })
        .collect()
}

fn normal(base_points: &DMatrix<f64>, data: &DMatrix<f64>, plan: &Plan) -> Vec<DMatrix<f64>> {
    let neighbourhoods = Neighbourhoods::new(data);
    base_points
        .row_iter()
        .map(|x| {
            let local = neighbourhoods.nearest(&x.transpose(), plan.neighbours);
            normal_directions(&local, plan.tangent_dim, plan.k)
        })
        .collect()
}

/// Returns `k` orthonormal directions `[d, k]` orthogonal to the top
/// `tangent_dim` local principal directions of `local` `[neighbours, d]`.
///
/// They are the top principal directions of the neighbourhood projected onto
/// the complement of the tangent space. Directions whose spread there is
/// negligible relative to the spread of the whole neighbourhood are replaced
/// by a deterministic orthonormal basis of the rest of the complement, so that
/// rounding noise never picks them.
fn normal_directions(local: &DMatrix<f64>, tangent_dim: usize, k: usize) -> DMatrix<f64> {
    let tangent_space =
        principal_directions(local, tangent_dim, DEFAULT_RELATIVE_TOLERANCE).directions;
    let complement = orthogonal_complement(&tangent_space);

    let mean: DVector<f64> = local.row_mean().transpose();
    let centred = centre_rows(local, &mean);
    let spread = centred.norm();
    let projected = &centred * &complement;
    let within_complement =
        principal_directions_at_scale(&projected, k, DEFAULT_RELATIVE_TOLERANCE, Some(spread));
    complement * within_complement.directions
}

/// Nearest-neighbour search by exhaustive Euclidean distances.
struct Neighbourhoods {
    /// The reference data transposed, `[d, n]`, so that each sample is a
    /// contiguous column.
    samples: DMatrix<f64>,
}

impl Neighbourhoods {
    fn new(data: &DMatrix<f64>) -> Self {
        Self {
            samples: data.transpose(),
        }
    }

    /// Returns the `count` samples closest to `x` as rows `[count, d]`. Ties
    /// go to the lower sample index, so the result is deterministic.
    fn nearest(&self, x: &DVector<f64>, count: usize) -> DMatrix<f64> {
        let mut ranked: Vec<(f64, usize)> = self
            .samples
            .column_iter()
            .enumerate()
            .map(|(index, sample)| ((sample - x).norm_squared(), index))
            .collect();
        let by_distance =
            |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if count < ranked.len() {
            ranked.select_nth_unstable_by(count, by_distance);
            ranked.truncate(count);
        }
        ranked.sort_unstable_by(by_distance);

        let d = self.samples.nrows();
        DMatrix::from_fn(count, d, |row, col| self.samples[(col, ranked[row].1)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alignment::principal_angles;
    use crate::linalg::tests::{orthonormality_error, random_matrix};

    /// `[n, d]` samples `offset + a u_1 + b u_2` on a random 2-D affine plane
    /// in `R^d`, with `a, b` standard normal, and the plane's basis `[d, 2]`.
    fn plane_data(n: usize, d: usize, seed: u64) -> (DMatrix<f64>, DMatrix<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let basis = orthonormalize(&random_matrix(d, 2, &mut rng));
        let offset = random_matrix(1, d, &mut rng);
        let coefficients = random_matrix(n, 2, &mut rng);
        let mut data = coefficients * basis.transpose();
        for mut row in data.row_iter_mut() {
            row += &offset;
        }
        (data, basis)
    }

    fn spec(kind: DesignKind, k: Option<usize>) -> DesignSpec {
        DesignSpec {
            k,
            ..DesignSpec::new(kind)
        }
    }

    fn build_error(spec: &DesignSpec, base_points: &DMatrix<f64>, data: &DMatrix<f64>) -> String {
        build(spec, base_points, data).unwrap_err().to_string()
    }

    #[test]
    fn design_names_round_trip() {
        for kind in DesignKind::ALL {
            assert_eq!(kind.name().parse::<DesignKind>().unwrap(), kind);
            assert_eq!(kind.to_string(), kind.name());
        }
    }

    #[test]
    fn design_parse_error_lists_names() {
        let error = "random".parse::<DesignKind>().unwrap_err();

        assert_eq!(
            error.to_string(),
            "unknown design \"random\"; valid names: coordinate, isotropic, principal, tangent, \
             normal"
        );
    }

    #[test]
    fn coordinate_design_is_identity() {
        let base_points = DMatrix::zeros(3, 4);
        let design = build(
            &spec(DesignKind::Coordinate, Some(2)),
            &base_points,
            &DMatrix::zeros(0, 0),
        )
        .unwrap();

        assert_eq!(design.kind, DesignKind::Coordinate);
        assert_eq!(design.directions.len(), 3);
        assert_eq!(design.directions_per_point(), 4);
        for u in &design.directions {
            assert_eq!(u, &DMatrix::identity(4, 4));
        }
    }

    #[test]
    fn every_design_is_orthonormal() {
        let (data, _) = plane_data(40, 6, 50);
        let mut rng = ChaCha8Rng::seed_from_u64(51);
        let noisy = &data + 0.01 * random_matrix(40, 6, &mut rng);
        let base_points = noisy.rows(0, 5).into_owned();

        for kind in DesignKind::ALL {
            let design = build(&spec(kind, Some(3)), &base_points, &noisy).unwrap();
            let expected_k = if kind == DesignKind::Coordinate { 6 } else { 3 };

            assert_eq!(design.directions.len(), 5, "{kind}");
            for u in &design.directions {
                assert_eq!(u.shape(), (6, expected_k), "{kind}");
                assert!(orthonormality_error(u) < 1e-10, "{kind}: {u}");
            }
        }
    }

    #[test]
    fn isotropic_design_is_seeded() {
        let base_points = DMatrix::zeros(3, 5);
        let seeded = |seed| {
            let spec = DesignSpec {
                seed,
                ..spec(DesignKind::Isotropic, Some(2))
            };
            build(&spec, &base_points, &DMatrix::zeros(0, 0)).unwrap()
        };

        assert_eq!(seeded(7), seeded(7));
        assert_ne!(seeded(7), seeded(8));
        let design = seeded(7);
        assert_ne!(design.directions[0], design.directions[1]);
    }

    #[test]
    fn principal_design_spans_planted_subspace() {
        let mut rng = ChaCha8Rng::seed_from_u64(52);
        let planted = orthonormalize(&random_matrix(6, 2, &mut rng));
        let strong = 10.0 * random_matrix(300, 2, &mut rng) * planted.transpose();
        let data = strong + 0.1 * random_matrix(300, 6, &mut rng);
        let base_points = data.rows(0, 2).into_owned();
        let design = build(&spec(DesignKind::Principal, Some(2)), &base_points, &data).unwrap();

        assert_eq!(design.directions[0], design.directions[1]);
        let alignment =
            principal_angles(&design.directions[0], &planted, DEFAULT_RELATIVE_TOLERANCE).unwrap();
        assert!(
            alignment.cosines.iter().all(|&c| c > 0.999),
            "{alignment:?}"
        );
    }

    #[test]
    fn tangent_design_spans_plane() {
        let (data, plane) = plane_data(50, 5, 53);
        let base_points = data.rows(0, 4).into_owned();
        let design = build(&spec(DesignKind::Tangent, Some(2)), &base_points, &data).unwrap();

        for u in &design.directions {
            let alignment = principal_angles(u, &plane, DEFAULT_RELATIVE_TOLERANCE).unwrap();
            assert!(
                alignment.cosines.iter().all(|&c| c > 1.0 - 1e-10),
                "{alignment:?}"
            );
        }
    }

    #[test]
    fn normal_design_is_orthogonal_to_plane() {
        let (data, plane) = plane_data(50, 5, 54);
        let base_points = data.rows(0, 4).into_owned();
        let normal_spec = DesignSpec {
            tangent_dim: Some(2),
            ..spec(DesignKind::Normal, Some(3))
        };
        let design = build(&normal_spec, &base_points, &data).unwrap();

        for u in &design.directions {
            assert!((u.transpose() * &plane).amax() < 1e-10, "{u}");
        }
        assert_eq!(design, build(&normal_spec, &base_points, &data).unwrap());
    }

    #[test]
    fn normal_design_finds_off_plane_spread() {
        let (plane_points, plane) = plane_data(60, 5, 55);
        let mut rng = ChaCha8Rng::seed_from_u64(56);
        let off_plane = orthogonal_complement(&plane).columns(0, 1).into_owned();
        let data = plane_points + 0.1 * random_matrix(60, 1, &mut rng) * off_plane.transpose();
        let base_points = data.rows(0, 3).into_owned();
        // A wide neighbourhood keeps the sampling tilt of the estimated
        // tangent plane, and so of the normal direction, small.
        let normal_spec = DesignSpec {
            tangent_dim: Some(2),
            neighbours: Some(30),
            ..spec(DesignKind::Normal, Some(1))
        };
        let design = build(&normal_spec, &base_points, &data).unwrap();

        for u in &design.directions {
            let cosine = (u.transpose() * &off_plane)[(0, 0)].abs();
            assert!(cosine > 0.99, "{cosine}");
        }
    }

    #[test]
    fn nearest_neighbours_break_ties_by_index() {
        let data = DMatrix::from_row_slice(4, 1, &[1.0, -1.0, 1.0, 5.0]);
        let local = Neighbourhoods::new(&data).nearest(&DVector::from_vec(vec![0.0]), 2);

        assert_eq!(local, DMatrix::from_row_slice(2, 1, &[1.0, -1.0]));
    }

    #[test]
    fn default_neighbours_is_twice_dimension() {
        let tangent_spec = spec(DesignKind::Tangent, Some(2));

        assert_eq!(resolve_neighbours(&tangent_spec, 5, 100, 2, 2), Ok(10));
        assert_eq!(resolve_neighbours(&tangent_spec, 5, 7, 2, 2), Ok(7));
    }

    #[test]
    fn missing_k_is_rejected() {
        let message = build_error(
            &spec(DesignKind::Isotropic, None),
            &DMatrix::zeros(1, 4),
            &DMatrix::zeros(0, 0),
        );

        assert_eq!(
            message,
            "the isotropic design needs the number of directions K; set k to a value \
             from 1 to d = 4"
        );
    }

    #[test]
    fn zero_k_is_rejected() {
        let message = build_error(
            &spec(DesignKind::Isotropic, Some(0)),
            &DMatrix::zeros(1, 4),
            &DMatrix::zeros(0, 0),
        );

        assert_eq!(
            message,
            "the isotropic design needs at least one direction, got K = 0; set k to a value \
             from 1 to d = 4"
        );
    }

    #[test]
    fn k_above_dimension_is_rejected() {
        let message = build_error(
            &spec(DesignKind::Principal, Some(5)),
            &DMatrix::zeros(1, 4),
            &DMatrix::zeros(10, 4),
        );

        assert_eq!(
            message,
            "the principal design cannot have K = 5 orthonormal directions in input \
             dimension d = 4; set k to at most 4"
        );
    }

    #[test]
    fn oversized_tangent_is_rejected() {
        let normal_spec = DesignSpec {
            tangent_dim: Some(3),
            ..spec(DesignKind::Normal, Some(2))
        };
        let message = build_error(&normal_spec, &DMatrix::zeros(1, 4), &DMatrix::zeros(10, 4));

        assert_eq!(
            message,
            "the normal design needs tangent dimension + K <= d, got 3 + 2 > 4; lower the tangent dimension (tangent_dim, --tangent-dim) or K (k, --k)"
        );
    }

    #[test]
    fn too_few_neighbours_are_rejected() {
        let tangent_spec = DesignSpec {
            neighbours: Some(2),
            ..spec(DesignKind::Tangent, Some(2))
        };
        let message = build_error(&tangent_spec, &DMatrix::zeros(1, 4), &DMatrix::zeros(10, 4));

        assert_eq!(
            message,
            "the tangent design needs at least 3 neighbours for its local PCA, got neighbours = 2; \
             set neighbours to 3 or more"
        );
    }

    #[test]
    fn too_many_neighbours_are_rejected() {
        let tangent_spec = DesignSpec {
            neighbours: Some(11),
            ..spec(DesignKind::Tangent, Some(2))
        };
        let message = build_error(&tangent_spec, &DMatrix::zeros(1, 4), &DMatrix::zeros(10, 4));

        assert_eq!(
            message,
            "neighbours = 11 exceeds the 10 points of the reference data; set neighbours to \
             at most 10 or pass more data"
        );
    }

    #[test]
    fn too_little_data_is_rejected() {
        let message = build_error(
            &spec(DesignKind::Principal, Some(3)),
            &DMatrix::zeros(1, 4),
            &DMatrix::zeros(3, 4),
        );

        assert_eq!(
            message,
            "the principal design needs at least 4 reference data points, got 3; pass more data or \
             lower k"
        );
    }

    #[test]
    fn mismatched_data_dimension_is_rejected() {
        let message = build_error(
            &spec(DesignKind::Tangent, Some(1)),
            &DMatrix::zeros(1, 4),
            &DMatrix::zeros(10, 3),
        );

        assert_eq!(
            message,
            "base points have dimension 4 but the reference data has dimension 3; both must \
             be rows in the same input space"
        );
    }

    #[test]
    fn non_finite_data_is_rejected() {
        let mut data = DMatrix::zeros(10, 4);
        data[(3, 1)] = f64::NAN;
        let message = build_error(
            &spec(DesignKind::Principal, Some(1)),
            &DMatrix::zeros(1, 4),
            &data,
        );

        assert_eq!(
            message,
            "the reference data contain a NaN or infinite entry"
        );
    }
}
