//! Saving and loading trained pipelines: a burn record (`model.mpk`) and a
//! metadata JSON (`metadata.json`) in one directory.

use std::fs;
use std::path::{Path, PathBuf};

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::record::{DoublePrecisionSettings, NamedMpkBytesRecorder, Recorder};
use burn::tensor::backend::Backend;
use burn::tensor::{Bool, Int, Tensor};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::config::RunConfig;
use crate::io::write_atomic;
use crate::pipeline::Tap;
use crate::prepared::DataRecord;
use crate::task::Risk;
use crate::train::History;
use crate::zoo::Zoo;

/// Version of the on-disk layout; a model saved with another one is rejected.
pub const FORMAT_VERSION: u32 = 1;

const RECORD_FILE: &str = "model.mpk";
const METADATA_FILE: &str = "metadata.json";

/// Risk on each split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Training split.
    pub train: Risk,
    /// Validation split.
    pub valid: Risk,
    /// Test split.
    pub test: Risk,
}

/// Everything about a trained model except its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// On-disk layout version, [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// Version of mojet that wrote the model.
    pub mojet_version: String,
    /// The resolved config of the run.
    pub config: RunConfig,
    /// Training seed actually used (the config's, or `--seed`).
    pub seed: u64,
    /// Input width `d`.
    pub input_width: usize,
    /// Taps in forward order.
    pub taps: Vec<Tap>,
    /// Data provenance, split sizes and standardisation.
    pub data: DataRecord,
    /// Risk on each split, in the model's (standardised) units.
    pub metrics: Metrics,
    /// Training history.
    pub history: History,
}

/// A model directory that cannot be used.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The directory does not exist.
    #[error("{0}: model directory not found; pass a directory written by `mojet train`")]
    NotFound(String),
    /// A file cannot be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// The metadata is not valid JSON of the expected shape.
    #[error("{path}: invalid metadata: {reason}; retrain the model with `mojet train`")]
    InvalidMetadata {
        /// The metadata file.
        path: String,
        /// The parse error.
        reason: String,
    },
    /// The metadata was written with another layout version.
    #[error(
        "{path}: format_version {found} is not supported (this mojet reads {expected}); retrain the model with this version"
    )]
    Version {
        /// The metadata file.
        path: String,
        /// Version found.
        found: u32,
        /// Version expected.
        expected: u32,
    },
    /// The weights are truncated, corrupt or of another shape.
    #[error(
        "{path}: cannot load weights: {reason}; the file is corrupt or from another model, retrain it"
    )]
    InvalidRecord {
        /// The record file.
        path: String,
        /// The recorder's error.
        reason: String,
    },
}

/// A model directory whose metadata has been read.
#[derive(Debug, Clone)]
pub struct SavedModel {
    /// The directory.
    pub dir: PathBuf,
    /// Its metadata.
    pub metadata: Metadata,
}

/// Saves `model` and `metadata` into `dir`, creating it if needed.
///
/// # Errors
/// [`StoreError::Io`] naming the file that could not be written.
pub fn save<B: Backend>(dir: &Path, model: &Zoo<B>, metadata: &Metadata) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|err| io_error(dir, err))?;
    let recorder = NamedMpkBytesRecorder::<DoublePrecisionSettings>::default();
    let model = model.clone().map(&mut OrderedIds::default());
    let bytes = Recorder::<B>::record(&recorder, model.into_record(), ()).map_err(|err| {
        StoreError::Io {
            path: dir.join(RECORD_FILE).display().to_string(),
            reason: err.to_string(),
        }
    })?;
    let record_path = dir.join(RECORD_FILE);
    write_atomic(&record_path, &bytes).map_err(|err| io_error(&record_path, err))?;
    let json = serde_json::to_vec_pretty(metadata).expect("metadata serialises to JSON");
    let metadata_path = dir.join(METADATA_FILE);
    write_atomic(&metadata_path, &json).map_err(|err| io_error(&metadata_path, err))
}

/// Numbers the parameters in visiting order. burn draws a random id for each
/// parameter and saves it in the record, so without this two identical runs
/// write different `model.mpk` bytes.
#[derive(Default)]
struct OrderedIds {
    next: u64,
}

impl OrderedIds {
    fn id(&mut self) -> ParamId {
        self.next += 1;
        ParamId::from(self.next)
    }
}

impl<B: Backend> ModuleMapper<B> for OrderedIds {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<B, D>>) -> Param<Tensor<B, D>> {
        let (_, tensor, mapper) = param.consume();
        Param::from_mapped_value(self.id(), tensor, mapper)
    }

    fn map_int<const D: usize>(
        &mut self,
        param: Param<Tensor<B, D, Int>>,
    ) -> Param<Tensor<B, D, Int>> {
        let (_, tensor, mapper) = param.consume();
        Param::from_mapped_value(self.id(), tensor, mapper)
    }

    fn map_bool<const D: usize>(
        &mut self,
        param: Param<Tensor<B, D, Bool>>,
    ) -> Param<Tensor<B, D, Bool>> {
        let (_, tensor, mapper) = param.consume();
        Param::from_mapped_value(self.id(), tensor, mapper)
    }
}

impl SavedModel {
    /// Reads the metadata of a model directory.
    ///
    /// # Errors
    /// [`StoreError`] when the directory is missing, the metadata unreadable,
    /// invalid or of another version.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        if !dir.is_dir() {
            return Err(StoreError::NotFound(dir.display().to_string()));
        }
        let path = dir.join(METADATA_FILE);
        let text = fs::read_to_string(&path).map_err(|err| io_error(&path, err))?;
        let shown = path.display().to_string();
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|err| StoreError::InvalidMetadata {
                path: shown.clone(),
                reason: err.to_string(),
            })?;
        let found = value["format_version"].as_u64().unwrap_or(0) as u32;
        if found != FORMAT_VERSION {
            return Err(StoreError::Version {
                path: shown,
                found,
                expected: FORMAT_VERSION,
            });
        }
        let metadata: Metadata =
            serde_json::from_value(value).map_err(|err| StoreError::InvalidMetadata {
                path: shown.clone(),
                reason: err.to_string(),
            })?;
        let features = metadata.data.feature_names.len();
        let standardised = metadata.data.x_standardizer.mean.len();
        if metadata.input_width != features || metadata.input_width != standardised {
            return Err(StoreError::InvalidMetadata {
                path: shown,
                reason: format!(
                    "input_width {} differs from the {features} feature names or the \
                     {standardised} standardised columns",
                    metadata.input_width
                ),
            });
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            metadata,
        })
    }

    /// Loads the weights onto backend `B`.
    ///
    /// # Errors
    /// [`StoreError`] when the record is missing, truncated or corrupt.
    pub fn load<B: Backend>(&self, device: &B::Device) -> Result<Zoo<B>, StoreError> {
        let meta = &self.metadata;
        let d_output = meta.taps.last().map_or(0, |tap| tap.width);
        let skeleton = meta.config.model.init_with_task::<B>(
            meta.input_width,
            d_output,
            meta.config.data.task,
            meta.seed,
            device,
        );
        let path = self.dir.join(RECORD_FILE);
        // burn's decoding errors span several lines and suggest a burn
        // feature flag that does not apply here, so only the first line is kept.
        let invalid = |reason: String| StoreError::InvalidRecord {
            path: path.display().to_string(),
            reason: reason.lines().next().unwrap_or_default().to_string(),
        };
        let bytes = fs::read(&path).map_err(|err| invalid(err.to_string()))?;
        let recorder = NamedMpkBytesRecorder::<DoublePrecisionSettings>::default();
        let record = Recorder::<B>::load(&recorder, bytes, device)
            .map_err(|err| invalid(err.to_string()))?;
        let expected = parameter_shapes(&skeleton);
        let model = skeleton.load_record(record);
        // burn loads a record of other shapes without complaint, so a record
        // that does not match its metadata would only fail in the first matmul.
        let found = parameter_shapes(&model);
        if found != expected {
            return Err(invalid(format!(
                "parameter shapes {found:?} differ from {expected:?}, which metadata.json \
                 describes (input width {})",
                meta.input_width
            )));
        }
        Ok(model)
    }
}

/// Collects the shape of every float parameter, in visiting order.
struct ShapeCollector(Vec<Vec<usize>>);

impl<B: Backend> ModuleVisitor<B> for ShapeCollector {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<B, D>>) {
        self.0.push(param.val().dims().to_vec());
    }
}

fn parameter_shapes<B: Backend>(model: &Zoo<B>) -> Vec<Vec<usize>> {
    let mut collector = ShapeCollector(Vec::new());
    model.visit(&mut collector);
    collector.0
}

fn io_error(path: &Path, err: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        reason: err.to_string(),
    }
}
