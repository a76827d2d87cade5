//! `run.json`: the resolved config and the versions of a run, written next to
//! its results so that a result can be traced to what produced it.

use std::path::{Path, PathBuf};

use mojet_models::config::BackendKind;
use mojet_models::io::write_atomic;
use mojet_models::store::SavedModel;
use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::jets::{EstimateArgs, JetsArgs};

/// File name of the record inside an output directory.
pub const RUN_FILE: &str = "run.json";

/// Versions of the software that produced a result.
#[derive(Debug, Serialize)]
struct Versions {
    mojet: &'static str,
    burn: &'static str,
}

/// The whole `run.json`. It contains no wall time or date, so two runs of the
/// same config write identical records.
#[derive(Debug, Serialize)]
struct RunRecord<'a> {
    command: &'a str,
    versions: Versions,
    backend: String,
    config: Value,
}

/// Writes `path` with the command name, the backend and the resolved config
/// (every default filled in).
///
/// # Errors
/// [`Failure::Input`] naming the file when it cannot be written.
pub fn write_run_record(
    path: &Path,
    command: &str,
    backend: BackendKind,
    config: &impl Serialize,
) -> Result<(), Failure> {
    let record = RunRecord {
        command,
        versions: Versions {
            mojet: env!("CARGO_PKG_VERSION"),
            burn: env!("MOJET_BURN_VERSION"),
        },
        backend: backend.to_string(),
        config: serde_json::to_value(config).expect("a resolved config serialises to JSON"),
    };
    let json = serde_json::to_vec_pretty(&record).expect("the run record serialises to JSON");
    write_atomic(path, &json).map_err(Failure::input)
}

/// Path of the record of a command whose result is the single file `out`:
/// `jets.npz` gets `jets.run.json`.
pub fn record_beside(out: &Path) -> PathBuf {
    let stem = out.file_stem().unwrap_or_default().to_string_lossy();
    out.with_file_name(format!("{stem}.{RUN_FILE}"))
}

/// The options of a jet estimate with every default resolved for inputs of
/// width `d`, and what the estimate used.
#[derive(Debug, Serialize)]
pub struct EstimateRecord {
    /// The requested engine. The one that ran is in the result.
    engine: String,
    /// The `--points` limit.
    points: usize,
    /// Base points used: the held-out rows, up to `points`.
    base_points: usize,
    /// Directions per base point of the non-coordinate designs.
    k: usize,
    neighbours: Option<usize>,
    /// Local tangent dimension of the normal design.
    tangent_dim: usize,
    /// Step of a finite-difference engine, as given or derived from the base
    /// points (0.01 times their root mean square coordinate). `None` for the
    /// exact engines.
    epsilon: Option<f64>,
    /// Least-squares perturbations per base point.
    samples: usize,
    seed: u64,
}

impl EstimateRecord {
    /// Resolves `args` for inputs of width `d`, as the engines do, and notes
    /// the base points and step the estimate used.
    pub fn new(args: &EstimateArgs, d: usize, used: &EstimateUse) -> Self {
        let k = args.k.unwrap_or(d.min(4));
        Self {
            engine: args.engine.name().to_string(),
            points: args.points,
            base_points: used.base_points,
            k,
            neighbours: args.neighbours,
            tangent_dim: args.tangent_dim.unwrap_or(k),
            epsilon: used.epsilon,
            samples: args.samples.unwrap_or(2 * k).max(k),
            seed: args.seed,
        }
    }
}

/// Values of a jet estimate that its flags leave open.
#[derive(Debug, Clone, Copy)]
pub struct EstimateUse {
    /// Base points: the held-out rows, up to `--points`.
    pub base_points: usize,
    /// Step of a finite-difference engine.
    pub epsilon: Option<f64>,
}

/// The resolved config of `mojet jets`.
#[derive(Debug, Serialize)]
struct JetsConfig<'a> {
    model: &'a Path,
    data: Option<&'a Path>,
    design: &'a str,
    out: &'a Path,
    estimate: EstimateRecord,
}

/// Writes the `run.json` of `mojet jets` beside its `.npz`.
///
/// # Errors
/// [`Failure::Input`] when the model cannot be reopened or the file written.
pub fn write_jets_record(args: &JetsArgs, used: &EstimateUse) -> Result<(), Failure> {
    let saved = SavedModel::open(&args.model).map_err(Failure::input)?;
    let config = JetsConfig {
        model: &args.model,
        data: args.data.as_deref(),
        design: args.design.name(),
        out: &args.out,
        estimate: EstimateRecord::new(&args.estimate, saved.metadata.input_width, used),
    };
    let backend = args
        .estimate
        .backend
        .unwrap_or(saved.metadata.config.backend);
    write_run_record(&record_beside(&args.out), "jets", backend, &config)
}
