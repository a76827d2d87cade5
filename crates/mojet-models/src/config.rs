//! The TOML run config: backend, data, model and training.
//!
//! Relative paths in a config are resolved against the directory of the
//! config file, so a config works from any working directory.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::SyntheticSpec;
use crate::task::Task;
use crate::train::TrainConfig;
use crate::zoo::ModelConfig;

/// The compute backend a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendKind {
    /// burn-ndarray on the CPU.
    #[default]
    Ndarray,
    /// burn-wgpu on a GPU (or a software Vulkan device).
    Wgpu,
}

impl std::str::FromStr for BackendKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "ndarray" => Ok(BackendKind::Ndarray),
            "wgpu" => Ok(BackendKind::Wgpu),
            _ => Err(format!(
                "unknown backend \"{text}\"; available: ndarray, wgpu"
            )),
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BackendKind::Ndarray => "ndarray",
            BackendKind::Wgpu => "wgpu",
        })
    }
}

/// The `[data]` table: a CSV file or a synthetic generator, and the split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// CSV file with a header row; relative to the config's directory.
    pub path: Option<PathBuf>,
    /// Target columns of the CSV.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Feature columns of the CSV; every non-target column when absent.
    pub features: Option<Vec<String>>,
    /// Synthetic data `y = W* x + noise` in place of a CSV.
    pub synthetic: Option<SyntheticSpec>,
    /// Regression or classification.
    #[serde(default)]
    pub task: Task,
    /// Fraction of rows held out for early stopping.
    #[serde(default = "default_fraction")]
    pub valid_fraction: f64,
    /// Fraction of rows held out for testing and for jet base points.
    #[serde(default = "default_fraction")]
    pub test_fraction: f64,
    /// Whether to drop feature columns that are constant on the training
    /// rows, which cannot be standardised. Off by default, so that a
    /// constant column stops the run instead of vanishing unnoticed.
    #[serde(default)]
    pub drop_constant_columns: bool,
    /// Seed of the train/validation/test split, kept apart from the training
    /// seed so that an ensemble over seeds shares one split.
    #[serde(default)]
    pub split_seed: u64,
}

fn default_fraction() -> f64 {
    0.15
}

/// A whole run config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Compute backend.
    #[serde(default)]
    pub backend: BackendKind,
    /// Data source and split.
    pub data: DataConfig,
    /// Model to build.
    pub model: ModelConfig,
    /// Training settings.
    #[serde(default)]
    pub train: TrainConfig,
}

/// A config that cannot be used, with the file it came from.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// The file does not exist or cannot be read.
    #[error("{path}: cannot read config: {reason}; pass an existing TOML file to --config")]
    Unreadable {
        /// The config path.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// The TOML is malformed, has an unknown key or a value of the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The config path.
        path: String,
        /// Line of the offending value (1-based).
        line: usize,
        /// Column of the offending value (1-based).
        column: usize,
        /// What is wrong, from the TOML parser.
        message: String,
    },
    /// A value parses but is out of range.
    #[error("{path}: {key} = {value} is invalid; {fix}")]
    OutOfRange {
        /// The config path.
        path: String,
        /// The key, with its table (for example `[model] width`).
        key: String,
        /// The value found.
        value: String,
        /// What to set instead.
        fix: String,
    },
}

impl RunConfig {
    /// Reads, parses and checks a config file.
    ///
    /// # Errors
    /// [`ConfigError`] naming the file, the key or position, and the fix.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError::Unreadable {
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
        let mut config = Self::parse(&text, path)?;
        if let Some(data_path) = &config.data.path
            && data_path.is_relative()
        {
            // An absolute path keeps working for `mojet jets` and `diagnose`
            // run from another directory than the one `train` ran in.
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let base = parent.unwrap_or(Path::new("."));
            let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
            config.data.path = Some(base.join(data_path));
        }
        Ok(config)
    }

    /// Parses and checks config text; `path` only names the source in errors.
    ///
    /// # Errors
    /// [`ConfigError`] naming the source, the key or position, and the fix.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: RunConfig = toml::from_str(text).map_err(|err| invalid(path, text, &err))?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let out_of_range = |key: &str, value: String, fix: &str| ConfigError::OutOfRange {
            path: path.display().to_string(),
            key: key.to_string(),
            value,
            fix: fix.to_string(),
        };
        let data = &self.data;
        match (&data.path, &data.synthetic) {
            (None, None) => {
                return Err(out_of_range(
                    "[data] path",
                    "(missing)".into(),
                    "set [data] path to a CSV file or add a [data.synthetic] table",
                ));
            }
            (Some(p), Some(_)) => {
                return Err(out_of_range(
                    "[data] path",
                    format!("{:?}", p.display().to_string()),
                    "use either [data] path or [data.synthetic], not both",
                ));
            }
            (Some(_), None) if data.targets.is_empty() => {
                return Err(out_of_range(
                    "[data] targets",
                    "[]".into(),
                    "name at least one target column of the CSV",
                ));
            }
            _ => {}
        }
        for (key, value) in [
            ("[data] valid_fraction", data.valid_fraction),
            ("[data] test_fraction", data.test_fraction),
        ] {
            if !(0.0..1.0).contains(&value) || value == 0.0 {
                return Err(out_of_range(
                    key,
                    value.to_string(),
                    "use a fraction in (0, 1)",
                ));
            }
        }
        if data.valid_fraction + data.test_fraction >= 1.0 {
            return Err(out_of_range(
                "[data] valid_fraction + test_fraction",
                (data.valid_fraction + data.test_fraction).to_string(),
                "keep their sum below 1 so rows remain for training",
            ));
        }
        if let Err(issue) = self.model.check() {
            return Err(out_of_range(issue.key, issue.value, &issue.fix));
        }
        let train = &self.train;
        if !(train.learning_rate > 0.0 && train.learning_rate.is_finite()) {
            return Err(out_of_range(
                "[train] learning_rate",
                train.learning_rate.to_string(),
                "use a positive number such as 0.01",
            ));
        }
        if train.epochs == 0 {
            return Err(out_of_range(
                "[train] epochs",
                "0".into(),
                "use a positive integer",
            ));
        }
        if train.patience == 0 {
            return Err(out_of_range(
                "[train] patience",
                "0".into(),
                "use a positive integer",
            ));
        }
        Ok(())
    }
}

fn invalid(path: &Path, text: &str, err: &toml::de::Error) -> ConfigError {
    let (line, column) = err
        .span()
        .map(|span| line_and_column(text, span.start))
        .unwrap_or((1, 1));
    ConfigError::Invalid {
        path: path.display().to_string(),
        line,
        column,
        message: err.message().replace('\n', " "),
    }
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
backend = "ndarray"
[data]
path = "data.csv"
targets = ["y"]
[model]
kind = "linear"
width = 2
"#;

    fn parse(text: &str) -> Result<RunConfig, ConfigError> {
        RunConfig::parse(text, Path::new("configs/run.toml"))
    }

    #[test]
    fn valid_config_uses_defaults() {
        let config = parse(VALID).unwrap();
        assert_eq!(config.backend, BackendKind::Ndarray);
        assert_eq!(config.train, TrainConfig::default());
        assert_eq!(config.data.test_fraction, 0.15);
        assert!(config.model.bias);
    }

    #[test]
    fn unknown_key_names_key_and_position() {
        let text = VALID.replace("width = 2", "width = 2\ndepth = 3");
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("configs/run.toml:9:1: unknown field `depth`"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_names_position() {
        let text = VALID.replace("width = 2", "width = \"two\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("configs/run.toml:8:9: invalid type"),
            "{err}"
        );
    }

    #[test]
    fn unknown_backend_lists_choices() {
        let text = VALID.replace("\"ndarray\"", "\"cuda\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("unknown variant `cuda`, expected `ndarray` or `wgpu`"),
            "{err}"
        );
    }

    #[test]
    fn zero_width_is_out_of_range() {
        let text = VALID.replace("width = 2", "width = 0");
        assert_eq!(
            parse(&text).unwrap_err().to_string(),
            "configs/run.toml: [model] width = 0 is invalid; use a positive integer"
        );
    }

    #[test]
    fn negative_learning_rate_is_out_of_range() {
        let text = format!("{VALID}[train]\nlearning_rate = -0.1\n");
        assert_eq!(
            parse(&text).unwrap_err().to_string(),
            "configs/run.toml: [train] learning_rate = -0.1 is invalid; use a positive number such as 0.01"
        );
    }

    #[test]
    fn missing_file_names_path() {
        let err = RunConfig::load(Path::new("no/such.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("no/such.toml: cannot read config:"),
            "{err}"
        );
        assert!(
            err.ends_with("pass an existing TOML file to --config"),
            "{err}"
        );
    }

    #[test]
    fn relative_data_path_follows_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.toml");
        std::fs::write(&path, VALID).unwrap();
        let config = RunConfig::load(&path).unwrap();
        assert_eq!(config.data.path.unwrap(), dir.path().join("data.csv"));
    }
}
