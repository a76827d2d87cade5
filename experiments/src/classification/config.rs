//! The TOML config of the classification reproduction: the data sets, each
//! with its representation width `k`, the network shape, seeds, training,
//! tolerances, backend and jet engine. Every field has a default; unknown
//! keys are rejected.
//!
//! Relative data paths are resolved against the directory of the config
//! file, so a config works from any working directory.

use std::path::{Path, PathBuf};

use mojet_jets::EngineKind;
use mojet_models::Task;
use mojet_models::activation::Activation;
use mojet_models::config::{BackendKind, ConfigError, DataConfig};
use mojet_models::train::{OptimizerKind, TrainConfig};
use serde::{Deserialize, Serialize};

use crate::config_checks::{check_seeds, check_training, invalid_toml};
use crate::deep::config::NetworkConfig;

/// The whole reproduction config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassificationConfig {
    /// Compute backend: `ndarray` (CPU, `f32`) or `wgpu`.
    pub backend: BackendKind,
    /// Exact jet engine.
    pub engine: EngineKind,
    /// Number of held-out test rows used as base points.
    pub base_points: usize,
    /// Training seeds; every data set trains one PCA and one MLP pipeline
    /// per seed.
    pub seeds: Vec<u64>,
    /// Shape of the networks; an empty `head_hidden` puts the softmax
    /// directly on the representation.
    pub network: NetworkConfig,
    /// Tolerances of the verdicts and of the checks.
    pub tolerances: ClassificationTolerances,
    /// Training of every pipeline; `seed` is replaced by each of `seeds`.
    pub train: TrainConfig,
    /// The data sets, at least two.
    pub datasets: Vec<DatasetConfig>,
}

/// One classification data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    /// Name in reports and figures.
    pub name: String,
    /// Width `k` of the representation: PCA components and bottleneck units.
    pub k: usize,
    /// Dimension of the local tangent space of the tangent and normal designs.
    pub tangent_dim: usize,
    /// The CSV, its label column and its split.
    pub data: DataConfig,
}

impl DatasetConfig {
    fn csv(name: &str, k: usize, tangent_dim: usize, drop_constant_columns: bool) -> Self {
        Self {
            name: name.to_string(),
            k,
            tangent_dim,
            data: DataConfig {
                path: Some(PathBuf::from(format!("../data/{name}.csv"))),
                targets: vec!["label".to_string()],
                features: None,
                synthetic: None,
                task: Task::Classification,
                valid_fraction: 0.15,
                test_fraction: 0.2,
                drop_constant_columns,
                split_seed: 0,
            },
        }
    }
}

impl Default for ClassificationConfig {
    fn default() -> Self {
        Self {
            backend: BackendKind::Ndarray,
            engine: EngineKind::Forward,
            base_points: 64,
            seeds: vec![1, 2, 3, 4, 5],
            network: NetworkConfig {
                hidden: vec![64],
                head_hidden: Vec::new(),
                activation: Activation::Relu,
            },
            tolerances: ClassificationTolerances::default(),
            train: TrainConfig {
                optimizer: OptimizerKind::Adam,
                learning_rate: 0.005,
                epochs: 400,
                batch_size: 0,
                early_stopping: false,
                ..TrainConfig::default()
            },
            datasets: vec![
                DatasetConfig::csv("digits", 10, 8, true),
                DatasetConfig::csv("wine", 3, 4, false),
            ],
        }
    }
}

/// Tolerances; `quotient` and `rank` are relative, the accuracy bounds are
/// absolute differences of accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassificationTolerances {
    /// `τ`: jets whose discrepancy modulo the group exceeds it differ.
    pub quotient: f64,
    /// Relative gap of test cross-entropy below which a pair counts as
    /// risk-equivalent in the pair reports.
    pub risk: f64,
    /// Relative SVD cut of the quotient solvers.
    pub rank: f64,
    /// Check bound on `|mean accuracy of the MLPs − mean accuracy of the PCA
    /// pipelines|` per data set.
    pub comparable_accuracy: f64,
    /// Check bound on the range `max − min` of the MLP seeds' accuracy.
    pub accuracy_range: f64,
}

impl Default for ClassificationTolerances {
    fn default() -> Self {
        Self {
            quotient: 0.05,
            risk: 0.2,
            rank: 1e-5,
            comparable_accuracy: 0.1,
            accuracy_range: 0.05,
        }
    }
}

impl ClassificationTolerances {
    /// Converts to the tolerances of a diagnosis.
    pub fn diagnosis(&self) -> mojet_jets::Tolerances {
        mojet_jets::Tolerances {
            quotient: self.quotient,
            risk: self.risk,
            rank: self.rank,
        }
    }
}

impl ClassificationConfig {
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
        let base = path.parent().unwrap_or(Path::new("."));
        for dataset in &mut config.datasets {
            if let Some(data_path) = &dataset.data.path
                && data_path.is_relative()
            {
                dataset.data.path = Some(base.join(data_path));
            }
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
        (2 * self.seeds.len() * self.datasets.len()) as u64
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
            (
                "[tolerances] comparable_accuracy",
                tolerances.comparable_accuracy,
            ),
            ("[tolerances] accuracy_range", tolerances.accuracy_range),
        ] {
            if !(value > 0.0 && value < 1.0) {
                return invalid(key, value.to_string(), "use a tolerance in (0, 1)");
            }
        }
        if self.datasets.is_empty() {
            return invalid(
                "datasets",
                "[]".to_string(),
                "list at least one [[datasets]] table",
            );
        }
        for dataset in &self.datasets {
            let key = |field: &str| format!("[[datasets]] {} {field}", dataset.name);
            if dataset.k == 0 {
                return invalid(&key("k"), "0".to_string(), "use a positive width");
            }
            if dataset.tangent_dim == 0 {
                return invalid(
                    &key("tangent_dim"),
                    "0".to_string(),
                    "use a positive dimension below the number of features",
                );
            }
            if dataset.data.path.is_none() || dataset.data.task != Task::Classification {
                return invalid(
                    &key("data"),
                    format!("task = \"{}\"", dataset.data.task.name()),
                    "name a CSV file and set task = \"classification\"",
                );
            }
        }
        check_training(&self.train, "[train]")
            .or_else(|(key, value, fix)| invalid(&key, value, &fix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ClassificationConfig, ConfigError> {
        ClassificationConfig::parse(text, Path::new("configs/classification.toml"))
    }

    #[test]
    fn empty_config_gives_defaults() {
        assert_eq!(parse("").unwrap(), ClassificationConfig::default());
    }

    #[test]
    fn regression_data_set_rejected() {
        let text = "[[datasets]]\nname = \"diabetes\"\nk = 2\ntangent_dim = 3\n\
                    [datasets.data]\npath = \"../data/diabetes.csv\"\ntargets = [\"progression\"]\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("[[datasets]] diabetes data"), "{err}");
        assert!(err.contains("task = \"classification\""), "{err}");
    }

    #[test]
    fn relative_paths_follow_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("classification.toml");
        std::fs::write(&path, "").unwrap();
        let config = ClassificationConfig::load(&path).unwrap();
        assert_eq!(
            config.datasets[0].data.path.clone().unwrap(),
            dir.path().join("../data/digits.csv")
        );
    }
}
