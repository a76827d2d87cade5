//! The TOML config of the linear reproduction: sizes, seeds, tolerances,
//! backend and jet engine. Every field has a default, so a config names only
//! what it changes; unknown keys are rejected.
//!
//! Relative data paths are resolved against the directory of the config
//! file, so a config works from any working directory.

use std::path::{Path, PathBuf};

use mojet_jets::EngineKind;
use mojet_models::config::{BackendKind, ConfigError, DataConfig};
use mojet_models::data::SyntheticSpec;
use mojet_models::train::TrainConfig;
use serde::{Deserialize, Serialize};

use crate::config_checks::{check_seeds, check_training, invalid_toml};

/// The whole reproduction config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinearConfig {
    /// Compute backend: `ndarray` (CPU, `f32`) or `wgpu`.
    pub backend: BackendKind,
    /// Exact engine for every jet that is not itself under study.
    pub engine: EngineKind,
    /// Number of held-out rows used as base points.
    pub base_points: usize,
    /// Tolerances of the verdicts and of the pass/fail checks.
    pub tolerances: ToleranceConfig,
    /// Synthetic data `y = W* x + noise` of L1 and L2. Its `subspace_dim` is
    /// the `k` of the subspace regime and of the recovery case on a subspace.
    /// The other cases draw inputs from all of `R^d`.
    pub synthetic: SyntheticSpec,
    /// Train/validation/test split of the synthetic data.
    pub split: SplitConfig,
    /// L1: the mirage family `(S_t A*, B* S_t⁻¹)`.
    pub mirage: MirageConfig,
    /// L2: trained ensembles in three regimes.
    pub ensembles: EnsembleConfig,
    /// L3: the finite-difference estimators against exact jets.
    pub estimator: EstimatorConfig,
    /// The same diagnosis as L2 on a real regression data set.
    pub real_data: RealDataConfig,
}

impl Default for LinearConfig {
    fn default() -> Self {
        Self {
            backend: BackendKind::Ndarray,
            engine: EngineKind::Reverse,
            base_points: 64,
            tolerances: ToleranceConfig::default(),
            synthetic: SyntheticSpec {
                n: 1000,
                d: 8,
                p: 4,
                rank: 2,
                subspace_dim: Some(4),
                noise: 0.1,
                seed: 0,
            },
            split: SplitConfig::default(),
            mirage: MirageConfig::default(),
            ensembles: EnsembleConfig::default(),
            estimator: EstimatorConfig::default(),
            real_data: RealDataConfig::default(),
        }
    }
}

/// Tolerances, all relative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToleranceConfig {
    /// `τ`: trained jets whose general-linear discrepancy exceeds it differ.
    pub quotient: f64,
    /// Relative risk gap below which two pipelines are risk-equivalent.
    pub risk: f64,
    /// Relative SVD cut below which singular values count as zero, in the
    /// quotient solvers and in the recovery of `(A, B)`.
    pub rank: f64,
    /// Check bound on the relative change of test risk and on the output-jet
    /// discrepancy along the mirage family.
    pub mirage_flat: f64,
    /// Check bound on the general-linear tap-jet discrepancy along the
    /// mirage family.
    pub mirage_quotient: f64,
    /// Check bound on the recovery errors of `(A, B)` when the rank
    /// conditions hold.
    pub recovery: f64,
}

impl Default for ToleranceConfig {
    fn default() -> Self {
        Self {
            quotient: 0.05,
            risk: 0.05,
            rank: 1e-5,
            mirage_flat: 1e-5,
            mirage_quotient: 1e-4,
            recovery: 1e-4,
        }
    }
}

impl ToleranceConfig {
    /// Converts to the tolerances of a diagnosis.
    pub fn diagnosis(&self) -> mojet_jets::Tolerances {
        mojet_jets::Tolerances {
            quotient: self.quotient,
            risk: self.risk,
            rank: self.rank,
        }
    }
}

/// Split of the synthetic rows into training, validation and test parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitConfig {
    /// Fraction of rows held out for validation.
    pub valid_fraction: f64,
    /// Fraction of rows held out for testing and base points.
    pub test_fraction: f64,
    /// Seed of the split, shared by every training seed.
    pub seed: u64,
}

impl Default for SplitConfig {
    fn default() -> Self {
        Self {
            valid_fraction: 0.15,
            test_fraction: 0.15,
            seed: 0,
        }
    }
}

/// The mirage family `S_t = exp(t G)` with `G` symmetric of spectral norm 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MirageConfig {
    /// Largest `t`; the condition number of `S_t` is at most `exp(2 t)`.
    pub t_max: f64,
    /// Number of values of `t`, evenly spaced from 0 to `t_max`.
    pub steps: usize,
    /// Seed of the generator `G`.
    pub seed: u64,
}

impl Default for MirageConfig {
    fn default() -> Self {
        Self {
            t_max: 1.5,
            steps: 16,
            seed: 0,
        }
    }
}

/// Trained ensembles on the synthetic data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnsembleConfig {
    /// Training seeds; every regime trains one pipeline per seed.
    pub seeds: Vec<u64>,
    /// Encoder width of the over-complete regime, above the rank of `W*`.
    pub over_complete_width: usize,
    /// Training settings; `seed` is replaced by each ensemble seed. Keys
    /// left out take the values of [`converging_training`].
    #[serde(deserialize_with = "deserialize_training")]
    pub train: TrainConfig,
}

impl Default for EnsembleConfig {
    fn default() -> Self {
        Self {
            seeds: vec![1, 2, 3, 4, 5],
            over_complete_width: 4,
            train: converging_training(),
        }
    }
}

/// The finite-difference study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EstimatorConfig {
    /// Hidden width of the tanh pipeline whose curvature the central
    /// differences must resolve.
    pub hidden_width: usize,
    /// Step `ε` of the sweeps over `K` and over the noise, in input units.
    pub epsilon: f64,
    /// Steps `ε` of the sweep over `ε`.
    pub epsilons: Vec<f64>,
    /// Standard deviations of the observation noise of the noise sweep, in
    /// tap units.
    pub noises: Vec<f64>,
    /// Least-squares perturbations per direction: `S = samples_per_direction · K`.
    pub samples_per_direction: usize,
    /// Seed of the tanh pipeline, the designs, the perturbations and the noise.
    pub seed: u64,
}

impl Default for EstimatorConfig {
    fn default() -> Self {
        Self {
            hidden_width: 16,
            epsilon: 0.01,
            epsilons: vec![1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0],
            noises: vec![
                1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2,
            ],
            samples_per_direction: 2,
            seed: 0,
        }
    }
}

/// Linear pipelines of several widths on a real regression data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RealDataConfig {
    /// Name in reports and figure titles.
    pub name: String,
    /// The CSV, its targets and its split.
    pub data: DataConfig,
    /// Encoder widths; one ensemble per width.
    pub widths: Vec<usize>,
    /// Training seeds of every ensemble.
    pub seeds: Vec<u64>,
    /// Dimension of the local tangent space of the tangent and normal designs.
    pub tangent_dim: usize,
    /// Training settings; `seed` is replaced by each ensemble seed. Keys
    /// left out take the values of [`converging_training`].
    #[serde(deserialize_with = "deserialize_training")]
    pub train: TrainConfig,
}

impl Default for RealDataConfig {
    fn default() -> Self {
        Self {
            name: "diabetes".to_string(),
            data: DataConfig {
                path: Some(PathBuf::from("../data/diabetes.csv")),
                targets: vec!["progression".to_string()],
                features: None,
                synthetic: None,
                task: mojet_models::Task::Regression,
                valid_fraction: 0.15,
                test_fraction: 0.2,
                drop_constant_columns: false,
                split_seed: 0,
            },
            widths: vec![1, 3],
            seeds: vec![1, 2, 3, 4, 5],
            tangent_dim: 4,
            train: converging_training(),
        }
    }
}

/// Builds full-batch Adam without early stopping, so every seed trains to a
/// minimiser of the training risk instead of an early, seed-dependent point
/// of its path.
pub fn converging_training() -> TrainConfig {
    TrainConfig {
        learning_rate: 0.01,
        epochs: 2000,
        batch_size: 0,
        early_stopping: false,
        ..TrainConfig::default()
    }
}

/// Reads a `[train]` table over [`converging_training`], so a table that sets
/// only the learning rate keeps early stopping off. `TrainConfig`'s own
/// defaults would turn it on.
fn deserialize_training<'de, D>(deserializer: D) -> Result<TrainConfig, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;

    let overrides = toml::Table::deserialize(deserializer)?;
    let mut table = toml::Table::try_from(converging_training()).map_err(D::Error::custom)?;
    table.extend(overrides);
    toml::Value::Table(table)
        .try_into()
        .map_err(|err: toml::de::Error| D::Error::custom(err.message()))
}

impl LinearConfig {
    /// Reads, parses and checks a config file.
    ///
    /// # Errors
    /// [`ConfigError`] naming the file, the key and the fix.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError::Unreadable {
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
        let mut config = Self::parse(&text, path)?;
        if let Some(data_path) = &config.real_data.data.path
            && data_path.is_relative()
        {
            let base = path.parent().unwrap_or(Path::new("."));
            config.real_data.data.path = Some(base.join(data_path));
        }
        Ok(config)
    }

    /// Parses and checks config text; `path` only names the source in errors.
    ///
    /// # Errors
    /// [`ConfigError`] naming the source, the key and the fix.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|err| invalid_toml(path, text, &err))?;
        config.check(path)?;
        Ok(config)
    }

    /// Number of progress steps a run takes, for the progress bar.
    pub fn progress_steps(&self) -> u64 {
        let mirage = self.mirage.steps;
        let recovery = super::recovery::CASES;
        let ensembles = super::ensembles::REGIMES * self.ensembles.seeds.len();
        let estimator =
            self.synthetic.d + self.estimator.epsilons.len() + self.estimator.noises.len();
        let real_data = self.real_data.widths.len() * self.real_data.seeds.len();
        (mirage + recovery + ensembles + estimator + real_data) as u64
    }

    /// Checks what serde cannot: ranges and the relations between fields.
    ///
    /// # Errors
    /// [`ConfigError::OutOfRange`] for the first invalid value.
    pub fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |key: &str, value: String, fix: &str| {
            Err(ConfigError::OutOfRange {
                path: path.display().to_string(),
                key: key.to_string(),
                value,
                fix: fix.to_string(),
            })
        };
        if !self.engine.is_exact() {
            return invalid(
                "engine",
                format!("\"{}\"", self.engine),
                "use an exact engine such as \"reverse\"; the finite-difference engines are what L3 measures against it",
            );
        }
        if self.base_points < 2 {
            return invalid(
                "base_points",
                self.base_points.to_string(),
                "use at least 2",
            );
        }
        let tolerances = &self.tolerances;
        for (key, value) in [
            ("[tolerances] quotient", tolerances.quotient),
            ("[tolerances] risk", tolerances.risk),
            ("[tolerances] rank", tolerances.rank),
            ("[tolerances] mirage_flat", tolerances.mirage_flat),
            ("[tolerances] mirage_quotient", tolerances.mirage_quotient),
            ("[tolerances] recovery", tolerances.recovery),
        ] {
            if !(value > 0.0 && value < 1.0) {
                return invalid(key, value.to_string(), "use a relative tolerance in (0, 1)");
            }
        }

        let synthetic = &self.synthetic;
        if let Err(err) = synthetic.validate() {
            return invalid("[synthetic]", synthetic.canonical_json(), &err.to_string());
        }
        let Some(k) = synthetic.subspace_dim else {
            return invalid(
                "[synthetic] subspace_dim",
                "(missing)".to_string(),
                "set the dimension k of the subspace regime, between rank and d - 1",
            );
        };
        if k < synthetic.rank || k >= synthetic.d {
            return invalid(
                "[synthetic] subspace_dim",
                k.to_string(),
                &format!(
                    "use a value from rank = {} to d - 1 = {}, so the tangent jets can pin down the encoder and normal directions exist",
                    synthetic.rank,
                    synthetic.d - 1
                ),
            );
        }
        if let Err(err) = mojet_models::data::split(
            synthetic.n,
            self.split.valid_fraction,
            self.split.test_fraction,
            self.split.seed,
        ) {
            return invalid(
                "[split]",
                format!(
                    "{{ valid_fraction = {}, test_fraction = {} }}",
                    self.split.valid_fraction, self.split.test_fraction
                ),
                &err.to_string(),
            );
        }

        let mirage = &self.mirage;
        if !(mirage.t_max > 0.0 && mirage.t_max <= 5.0) {
            return invalid(
                "[mirage] t_max",
                mirage.t_max.to_string(),
                "use a value in (0, 5]; beyond it S_t is too ill-conditioned for single precision",
            );
        }
        if mirage.steps < 3 {
            return invalid("[mirage] steps", mirage.steps.to_string(), "use at least 3");
        }

        let ensembles = &self.ensembles;
        check_seeds(&ensembles.seeds)
            .or_else(|fix| invalid("[ensembles] seeds", format!("{:?}", ensembles.seeds), &fix))?;
        if ensembles.over_complete_width <= synthetic.rank {
            return invalid(
                "[ensembles] over_complete_width",
                ensembles.over_complete_width.to_string(),
                &format!(
                    "use a width above the rank {} of W* and below d = {}",
                    synthetic.rank, synthetic.d
                ),
            );
        }
        if ensembles.over_complete_width >= synthetic.d {
            return invalid(
                "[ensembles] over_complete_width",
                ensembles.over_complete_width.to_string(),
                &format!(
                    "use a width below d = {}; an encoder of full width d is invertible and its jets agree modulo GL(d)",
                    synthetic.d
                ),
            );
        }
        check_training(&ensembles.train, "[ensembles.train]")
            .or_else(|(key, value, fix)| invalid(&key, value, &fix))?;

        let estimator = &self.estimator;
        if estimator.hidden_width == 0 {
            return invalid(
                "[estimator] hidden_width",
                "0".to_string(),
                "use a positive width",
            );
        }
        let positive =
            |values: &[f64]| !values.is_empty() && values.iter().all(|v| v.is_finite() && *v > 0.0);
        if !positive(&[estimator.epsilon]) {
            return invalid(
                "[estimator] epsilon",
                estimator.epsilon.to_string(),
                "use a positive step such as 0.01",
            );
        }
        if !positive(&estimator.epsilons) {
            return invalid(
                "[estimator] epsilons",
                format!("{:?}", estimator.epsilons),
                "list one or more positive steps",
            );
        }
        if !positive(&estimator.noises) {
            return invalid(
                "[estimator] noises",
                format!("{:?}", estimator.noises),
                "list one or more positive standard deviations; the sweeps over K and ε show the noiseless case",
            );
        }
        if estimator.samples_per_direction == 0 {
            return invalid(
                "[estimator] samples_per_direction",
                "0".to_string(),
                "use at least 1, since least squares needs S >= K perturbations",
            );
        }

        let real = &self.real_data;
        if real.data.path.is_none() || real.data.synthetic.is_some() {
            return invalid(
                "[real_data.data] path",
                "(missing)".to_string(),
                "name a CSV file of real data",
            );
        }
        if real.widths.is_empty() || real.widths.contains(&0) {
            return invalid(
                "[real_data] widths",
                format!("{:?}", real.widths),
                "list one or more positive encoder widths",
            );
        }
        check_seeds(&real.seeds)
            .or_else(|fix| invalid("[real_data] seeds", format!("{:?}", real.seeds), &fix))?;
        if real.tangent_dim == 0 {
            return invalid(
                "[real_data] tangent_dim",
                "0".to_string(),
                "use a positive dimension below the number of features",
            );
        }
        check_training(&real.train, "[real_data.train]")
            .or_else(|(key, value, fix)| invalid(&key, value, &fix))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LinearConfig, ConfigError> {
        LinearConfig::parse(text, Path::new("configs/linear.toml"))
    }

    #[test]
    fn empty_config_gives_defaults() {
        assert_eq!(parse("").unwrap(), LinearConfig::default());
    }

    #[test]
    fn unknown_key_rejected() {
        let err = parse("[mirage]\nt_mx = 2.0\n").unwrap_err().to_string();
        assert!(
            err.starts_with("configs/linear.toml:2:1: unknown field `t_mx`"),
            "{err}"
        );
    }

    #[test]
    fn inexact_engine_rejected() {
        let err = parse("engine = \"central\"\n").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "configs/linear.toml: engine = \"central\" is invalid; use an exact engine"
            ),
            "{err}"
        );
    }

    #[test]
    fn subspace_below_rank_rejected() {
        let err = parse("[synthetic]\nrank = 3\nsubspace_dim = 2\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "configs/linear.toml: [synthetic] subspace_dim = 2 is invalid; use a value from rank = 3 to d - 1 = 9, \
             so the tangent jets can pin down the encoder and normal directions exist"
        );
    }

    #[test]
    fn narrow_over_complete_width_rejected() {
        let err = parse("[ensembles]\nover_complete_width = 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("configs/linear.toml: [ensembles] over_complete_width = 2 is invalid; use a width above the rank 2"),
            "{err}"
        );
    }

    #[test]
    fn single_seed_rejected() {
        let err = parse("[ensembles]\nseeds = [1]\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "configs/linear.toml: [ensembles] seeds = [1] is invalid; list at least two seeds, since an ensemble is compared pair by pair"
        );
    }

    #[test]
    fn partial_train_table_keeps_converging_defaults() {
        let config = parse("[ensembles.train]\nlearning_rate = 0.05\n").unwrap();
        let expected = TrainConfig {
            learning_rate: 0.05,
            ..converging_training()
        };
        assert_eq!(config.ensembles.train, expected);
    }

    #[test]
    fn unknown_train_key_rejected() {
        let err = parse("[real_data.train]\nepoch = 10\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `epoch`"), "{err}");
    }

    #[test]
    fn early_stopping_rejected() {
        let err = parse("[real_data.train]\nearly_stopping = true\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("configs/linear.toml: [real_data.train] early_stopping = true is invalid; set it to false"),
            "{err}"
        );
    }

    #[test]
    fn relative_data_path_follows_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linear.toml");
        std::fs::write(&path, "").unwrap();
        let config = LinearConfig::load(&path).unwrap();
        assert_eq!(
            config.real_data.data.path.unwrap(),
            dir.path().join("../data/diabetes.csv")
        );
    }
}
