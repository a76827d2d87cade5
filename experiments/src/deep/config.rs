//! The TOML config of the deep regression reproduction: data, the width `k`
//! shared by the PCA pipeline and the MLP bottleneck, network shape, seeds,
//! training, designs, tolerances, backend and jet engine. Every field has a
//! default; unknown keys are rejected.
//!
//! A relative data path is resolved against the directory of the config
//! file, so a config works from any working directory.

use std::path::{Path, PathBuf};

use mojet_jets::EngineKind;
use mojet_models::activation::Activation;
use mojet_models::config::{BackendKind, ConfigError, DataConfig};
use mojet_models::train::{OptimizerKind, TrainConfig};
use mojet_models::{ModelConfig, ModelKind};
use serde::{Deserialize, Serialize};

use crate::config_checks::{check_seeds, check_training, invalid_toml};

/// The whole reproduction config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeepConfig {
    /// Compute backend: `ndarray` (CPU, `f32`) or `wgpu`.
    pub backend: BackendKind,
    /// Exact jet engine.
    pub engine: EngineKind,
    /// Number of held-out test rows used as base points.
    pub base_points: usize,
    /// Width `k` of the representation tap: PCA components of the PCA
    /// pipeline and bottleneck units of the MLP.
    pub k: usize,
    /// Training seeds; D1 and D2 train one PCA and one MLP pipeline each.
    pub seeds: Vec<u64>,
    /// Dimension of the local tangent space of the tangent and normal designs.
    pub tangent_dim: usize,
    /// Shape of the networks.
    pub network: NetworkConfig,
    /// Tolerances of the verdicts and of the checks.
    pub tolerances: DeepTolerances,
    /// The regression CSV, its target and its split.
    pub data: DataConfig,
    /// Training of every pipeline; `seed` is replaced by each of `seeds`.
    pub train: TrainConfig,
}

impl Default for DeepConfig {
    fn default() -> Self {
        Self {
            backend: BackendKind::Ndarray,
            engine: EngineKind::Forward,
            base_points: 64,
            k: 3,
            seeds: vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            tangent_dim: 4,
            network: NetworkConfig::default(),
            tolerances: DeepTolerances::default(),
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
            train: fixed_epoch_training(),
        }
    }
}

/// Layers of the MLP encoder and of the head both pipelines share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// Widths of the MLP encoder's hidden layers, before the bottleneck.
    pub hidden: Vec<usize>,
    /// Widths of the head's hidden layers, in both pipelines.
    pub head_hidden: Vec<usize>,
    /// Activation of every hidden layer and of the bottleneck.
    pub activation: Activation,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            hidden: vec![32],
            head_hidden: vec![16],
            activation: Activation::Relu,
        }
    }
}

impl NetworkConfig {
    /// The zoo config of a pipeline of `kind` with representation width `k`.
    pub fn model(&self, kind: ModelKind, k: usize) -> ModelConfig {
        ModelConfig {
            kind,
            width: k,
            bias: true,
            hidden: if kind == ModelKind::Mlp {
                self.hidden.clone()
            } else {
                Vec::new()
            },
            activation: self.activation,
            head_hidden: self.head_hidden.clone(),
        }
    }
}

/// Tolerances, all relative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeepTolerances {
    /// `τ`: tap jets whose discrepancy modulo the group exceeds it differ.
    pub quotient: f64,
    /// Relative spread `(max − min) / mean` of the seeds' test MSE below
    /// which an ensemble counts as risk-equivalent.
    pub risk: f64,
    /// Relative SVD cut of the quotient solvers and of the alignment.
    pub rank: f64,
    /// D1 check bound on `|R_MLP − R_PCA| / R_PCA` of the mean test MSE.
    pub comparable_risk: f64,
}

impl Default for DeepTolerances {
    fn default() -> Self {
        Self {
            quotient: 0.05,
            risk: 0.2,
            rank: 1e-5,
            comparable_risk: 0.2,
        }
    }
}

impl DeepTolerances {
    /// Converts to the tolerances of a diagnosis.
    pub fn diagnosis(&self) -> mojet_jets::Tolerances {
        mojet_jets::Tolerances {
            quotient: self.quotient,
            risk: self.risk,
            rank: self.rank,
        }
    }
}

/// Builds full-batch Adam for a fixed number of epochs without early
/// stopping, so every seed gets the same training budget and the
/// comparison sees no seed-dependent stopping point.
pub fn fixed_epoch_training() -> TrainConfig {
    TrainConfig {
        optimizer: OptimizerKind::Adam,
        learning_rate: 0.005,
        epochs: 100,
        batch_size: 0,
        early_stopping: false,
        ..TrainConfig::default()
    }
}

impl DeepConfig {
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
        if let Some(data_path) = &config.data.path
            && data_path.is_relative()
        {
            let base = path.parent().unwrap_or(Path::new("."));
            config.data.path = Some(base.join(data_path));
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

    /// Number of progress steps a run takes: one per trained pipeline.
    pub fn progress_steps(&self) -> u64 {
        2 * self.seeds.len() as u64
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
                "use an exact engine such as \"forward\"",
            );
        }
        if self.base_points < 2 {
            return invalid(
                "base_points",
                self.base_points.to_string(),
                "use at least 2",
            );
        }
        if self.k == 0 {
            return invalid("k", "0".to_string(), "use a positive width");
        }
        if self.tangent_dim == 0 {
            return invalid(
                "tangent_dim",
                "0".to_string(),
                "use a positive dimension below the number of features",
            );
        }
        check_seeds(&self.seeds)
            .or_else(|fix| invalid("seeds", format!("{:?}", self.seeds), &fix))?;
        let network = &self.network;
        if network.hidden.contains(&0) || network.head_hidden.contains(&0) {
            return invalid(
                "[network]",
                format!(
                    "hidden = {:?}, head_hidden = {:?}",
                    network.hidden, network.head_hidden
                ),
                "use positive layer widths",
            );
        }
        let tolerances = &self.tolerances;
        for (key, value) in [
            ("[tolerances] quotient", tolerances.quotient),
            ("[tolerances] risk", tolerances.risk),
            ("[tolerances] rank", tolerances.rank),
            ("[tolerances] comparable_risk", tolerances.comparable_risk),
        ] {
            if !(value > 0.0 && value < 1.0) {
                return invalid(key, value.to_string(), "use a relative tolerance in (0, 1)");
            }
        }
        if self.data.path.is_none() || self.data.synthetic.is_some() {
            return invalid(
                "[data] path",
                "(missing)".to_string(),
                "name a CSV file of real data",
            );
        }
        if self.data.task != mojet_models::Task::Regression {
            return invalid(
                "[data] task",
                format!("\"{}\"", self.data.task.name()),
                "use \"regression\"; `mojet reproduce classification` covers classification",
            );
        }
        check_training(&self.train, "[train]")
            .or_else(|(key, value, fix)| invalid(&key, value, &fix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DeepConfig, ConfigError> {
        DeepConfig::parse(text, Path::new("configs/deep.toml"))
    }

    #[test]
    fn empty_config_gives_defaults() {
        assert_eq!(parse("").unwrap(), DeepConfig::default());
    }

    #[test]
    fn unknown_key_rejected() {
        let err = parse("[network]\nhiden = [4]\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `hiden`"), "{err}");
    }

    #[test]
    fn zero_k_rejected() {
        let err = parse("k = 0\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "configs/deep.toml: k = 0 is invalid; use a positive width"
        );
    }

    #[test]
    fn early_stopping_rejected() {
        let err = parse("[train]\nearly_stopping = true\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[train] early_stopping = true is invalid"),
            "{err}"
        );
    }
}
