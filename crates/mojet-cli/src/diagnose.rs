//! `mojet diagnose`: compare trained pipelines pair by pair.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;
use mojet_jets::diagnosis::{Candidate, PairReport, compare};
use mojet_jets::{Design, DesignKind, EngineKind, Group, Tolerances};
use mojet_models::Task;
use mojet_models::io::write_atomic;
use mojet_models::store::SavedModel;
use serde::Serialize;
use tracing::info;

use crate::CommandResult;
use crate::backend::with_backend;
use crate::base_points::evaluation;
use crate::checks::{check_estimate, check_tolerance, prepare_out_dir};
use crate::engine::Estimate;
use crate::failure::Failure;
use crate::jets::{EstimateArgs, build_design, jets_on};
use crate::progress::bar;
use crate::run_record::{EstimateRecord, EstimateUse, RUN_FILE, write_run_record};
use crate::table::print_pairs;

/// Arguments of `mojet diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Two or more model directories written by `mojet train`.
    #[arg(long, num_args = 2.., required = true, value_name = "DIR")]
    pub models: Vec<PathBuf>,
    /// CSV with the models' feature columns [default: the first model's data].
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Directory to write diagnosis.json into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Designs to compare under, comma-separated; coordinate is always added
    /// because verdicts need the full jets.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "coordinate,isotropic,principal,tangent,normal",
        value_name = "NAMES"
    )]
    pub designs: Vec<DesignKind>,
    /// Tolerance τ on relative jet discrepancies modulo a group.
    #[arg(long, default_value_t = Tolerances::default().quotient, value_name = "TAU", allow_negative_numbers = true)]
    pub tolerance: f64,
    /// Tolerance on the relative test-risk gap for risk equivalence.
    #[arg(long, default_value_t = Tolerances::default().risk, value_name = "TOL", allow_negative_numbers = true)]
    pub risk_tolerance: f64,
    /// Relative SVD cut below which singular values of a jet count as zero.
    #[arg(long, default_value_t = Tolerances::default().rank, value_name = "TOL", allow_negative_numbers = true)]
    pub rank_tolerance: f64,
    #[command(flatten)]
    pub estimate: EstimateArgs,
}

/// A design as `diagnosis.json` lists it.
#[derive(Debug, Serialize)]
struct DesignEntry {
    design: String,
    k: usize,
    /// The engine that ran for this design.
    engine: String,
}

/// A model as `diagnosis.json` lists it.
#[derive(Debug, Serialize)]
struct ModelEntry {
    name: String,
    dir: String,
    kind: String,
    seed: u64,
    test_risk: mojet_models::Risk,
    /// Local nonlinearity per design and tap, from the least-squares engine
    /// only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    local_nonlinearity: Vec<NonlinearityEntry>,
}

/// Local nonlinearity of one tap under one design: the relative residual of
/// the least-squares fit at scale `ε`, averaged over base points.
#[derive(Debug, Serialize)]
struct NonlinearityEntry {
    design: String,
    tap: String,
    nonlinearity: f64,
}

/// The whole `diagnosis.json`.
#[derive(Debug, Serialize)]
struct Diagnosis {
    /// The models' task, which names the loss and score of the risks.
    task: Task,
    engine: String,
    designs: Vec<DesignEntry>,
    backend: String,
    tolerances: Tolerances,
    base_points: usize,
    /// Step of a finite-difference engine.
    #[serde(skip_serializing_if = "Option::is_none")]
    epsilon: Option<f64>,
    models: Vec<ModelEntry>,
    pairs: Vec<PairReport>,
}

/// Lists the least-squares engine's local nonlinearity of each tap, nothing
/// for the other engines.
fn nonlinearity_entries(design: DesignKind, estimate: &Estimate) -> Vec<NonlinearityEntry> {
    let Some(scores) = &estimate.nonlinearity else {
        return Vec::new();
    };
    estimate
        .taps
        .iter()
        .zip(scores)
        .map(|(tap, &nonlinearity)| NonlinearityEntry {
            design: design.name().to_string(),
            tap: tap.tap.clone(),
            nonlinearity,
        })
        .collect()
}

/// The resolved config of `mojet diagnose`, for its `run.json`.
#[derive(Debug, Serialize)]
struct DiagnoseConfig<'a> {
    models: &'a [PathBuf],
    data: Option<&'a Path>,
    designs: Vec<&'a str>,
    tolerances: Tolerances,
    estimate: EstimateRecord,
}

/// Runs `mojet diagnose`.
pub fn run(args: &DiagnoseArgs) -> CommandResult {
    check_estimate(&args.estimate)?;
    check_tolerance("--tolerance", args.tolerance)?;
    check_tolerance("--risk-tolerance", args.risk_tolerance)?;
    check_tolerance("--rank-tolerance", args.rank_tolerance)?;
    let saved = open_models(&args.models)?;
    prepare_out_dir(&args.out)?;
    let eval = evaluation(&saved[0], args.data.as_deref(), args.estimate.points)?;
    let designs = build_designs(args, &eval)?;
    let backend = args
        .estimate
        .backend
        .unwrap_or(saved[0].metadata.config.backend);
    let tolerances = Tolerances {
        quotient: args.tolerance,
        risk: args.risk_tolerance,
        rank: args.rank_tolerance,
    };

    let progress = bar((saved.len() * designs.len()) as u64, "jets");
    let mut candidates = Vec::with_capacity(saved.len());
    let mut engines = vec![EngineKind::default(); designs.len()];
    // Every estimate uses the same step: the given one, or the one derived
    // from the shared base points.
    let mut epsilon = None;
    let mut nonlinearity = Vec::with_capacity(saved.len());
    for model in &saved {
        let mut jets = Vec::with_capacity(designs.len());
        let mut scores = Vec::new();
        for (design, engine) in designs.iter().zip(&mut engines) {
            let estimate = with_backend!(backend, |B| jets_on::<B>(
                model,
                design,
                &eval,
                &args.estimate
            )?);
            *engine = estimate.engine;
            epsilon = estimate.epsilon;
            scores.extend(nonlinearity_entries(design.kind, &estimate));
            jets.push((design.kind, estimate.taps));
            progress.inc(1);
        }
        candidates.push(Candidate {
            name: model_name(&model.dir),
            risk: model.metadata.metrics.test,
            groups: tap_groups(model)?,
            jets,
        });
        nonlinearity.push(scores);
    }
    progress.finish_and_clear();

    let mut pairs = Vec::new();
    for i in 0..candidates.len() {
        for j in i + 1..candidates.len() {
            info!(
                "comparing {} and {}",
                candidates[i].name, candidates[j].name
            );
            pairs.push(compare(&candidates[i], &candidates[j], &tolerances));
        }
    }
    let diagnosis = Diagnosis {
        task: saved[0].metadata.config.data.task,
        engine: args.estimate.engine.name().to_string(),
        designs: designs
            .iter()
            .zip(&engines)
            .map(|(d, engine)| DesignEntry {
                design: d.kind.name().to_string(),
                k: d.directions.first().map_or(0, |u| u.ncols()),
                engine: engine.name().to_string(),
            })
            .collect(),
        backend: backend.to_string(),
        tolerances,
        base_points: eval.base_points.nrows(),
        epsilon,
        models: saved
            .iter()
            .zip(nonlinearity)
            .map(|(m, local_nonlinearity)| ModelEntry {
                name: model_name(&m.dir),
                dir: m.dir.display().to_string(),
                kind: m.metadata.config.model.kind.name().to_string(),
                seed: m.metadata.seed,
                test_risk: m.metadata.metrics.test,
                local_nonlinearity,
            })
            .collect(),
        pairs,
    };
    write_diagnosis(&args.out, &diagnosis)?;
    let config = DiagnoseConfig {
        models: &args.models,
        data: args.data.as_deref(),
        designs: diagnosis
            .designs
            .iter()
            .map(|d| d.design.as_str())
            .collect(),
        tolerances,
        estimate: EstimateRecord::new(
            &args.estimate,
            saved[0].metadata.input_width,
            &EstimateUse {
                base_points: eval.base_points.nrows(),
                epsilon,
            },
        ),
    };
    write_run_record(&args.out.join(RUN_FILE), "diagnose", backend, &config)?;
    print_pairs(&diagnosis.pairs, diagnosis.task, &tolerances);
    println!("wrote {}", args.out.join("diagnosis.json").display());
    Ok(())
}

fn open_models(dirs: &[PathBuf]) -> Result<Vec<SavedModel>, Failure> {
    let saved: Vec<SavedModel> = dirs
        .iter()
        .map(|dir| SavedModel::open(dir).map_err(Failure::input))
        .collect::<Result<_, _>>()?;
    let first = &saved[0];
    for other in &saved[1..] {
        if other.metadata.data.feature_names != first.metadata.data.feature_names {
            return Err(Failure::Input(format!(
                "{}: its input features differ from those of {}; diagnose models trained on the same features",
                other.dir.display(),
                first.dir.display()
            )));
        }
        let (task, first_task) = (
            other.metadata.config.data.task,
            first.metadata.config.data.task,
        );
        if task != first_task {
            return Err(Failure::Input(format!(
                "{}: its task is {} but {} has {}; diagnose models trained for the same task",
                other.dir.display(),
                task.name(),
                first.dir.display(),
                first_task.name()
            )));
        }
        if other.metadata.taps.len() != first.metadata.taps.len() {
            return Err(Failure::Input(format!(
                "{}: has {} taps but {} has {}; diagnose pipelines with the same chain of taps",
                other.dir.display(),
                other.metadata.taps.len(),
                first.dir.display(),
                first.metadata.taps.len()
            )));
        }
    }
    Ok(saved)
}

fn build_designs(
    args: &DiagnoseArgs,
    eval: &crate::base_points::Evaluation,
) -> Result<Vec<Design>, Failure> {
    let mut kinds = vec![DesignKind::Coordinate];
    for kind in &args.designs {
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
    kinds
        .into_iter()
        .map(|kind| build_design(kind, &args.estimate, eval))
        .collect()
}

/// The symmetry group of each tap, as the model config names them: the
/// model's own for hidden taps, identity for the output, whose coordinates
/// mean the same thing in every model.
fn tap_groups(saved: &SavedModel) -> Result<Vec<Group>, Failure> {
    let groups = saved.metadata.config.model.tap_symmetries();
    if groups.len() != saved.metadata.taps.len() {
        return Err(Failure::Input(format!(
            "{}: the [model] config has {} taps but the metadata lists {}; retrain the model with this version",
            saved.dir.display(),
            groups.len(),
            saved.metadata.taps.len()
        )));
    }
    groups
        .into_iter()
        .map(|name| Group::from_str(name).map_err(Failure::runtime))
        .collect()
}

fn model_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn write_diagnosis(out: &Path, diagnosis: &Diagnosis) -> Result<(), Failure> {
    let json = serde_json::to_vec_pretty(diagnosis).expect("the diagnosis serialises to JSON");
    write_atomic(&out.join("diagnosis.json"), &json).map_err(Failure::input)
}
