//! C1 on one data set: PCA + softmax against MLP encoder + softmax with the
//! same representation width, and the MLP seed ensemble. Accuracy and
//! cross-entropy per seed; logit-jet and representation-jet discrepancies
//! with verdicts per design.

use std::str::FromStr;

use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::diagnosis::{Candidate, compare};
use mojet_jets::{Design, EngineKind, Group, Tolerances};
use mojet_models::ModelKind;
use mojet_models::prepared::PreparedData;
use mojet_models::train::TrainConfig;
use serde::{Deserialize, Serialize};
use tracing::info;

use super::config::DatasetConfig;
use crate::deep::config::NetworkConfig;
use crate::deep::d1::{BOTTLENECK_TAP, PCA_TAP};
use crate::deep::d2::output_tap;
use crate::deep::data_summary;
use crate::deep::summary::DataSummary;
use crate::linear::ReproduceError;
use crate::linear::candidate::compare_pairs;
use crate::zoo::{self, DesignComparison, Evaluated, candidate, design_comparison};

/// Measurements of C1 on one data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetReport {
    /// Data set name.
    pub name: String,
    /// Provenance and sizes; `features` counts the columns left after
    /// dropping constant ones.
    pub data: DataSummary,
    /// Number of classes.
    pub classes: usize,
    /// Representation width `k`.
    pub k: usize,
    /// Training seeds, one PCA and one MLP pipeline each.
    pub seeds: Vec<u64>,
    /// Test accuracy of each PCA pipeline.
    pub pca_accuracy: Vec<f64>,
    /// Test cross-entropy of each PCA pipeline, in nats.
    pub pca_cross_entropy: Vec<f64>,
    /// Test accuracy of each MLP pipeline.
    pub mlp_accuracy: Vec<f64>,
    /// Test cross-entropy of each MLP pipeline, in nats.
    pub mlp_cross_entropy: Vec<f64>,
    /// `|mean MLP accuracy − mean PCA accuracy|`.
    pub accuracy_gap: f64,
    /// `max − min` of the MLP seeds' accuracy.
    pub mlp_accuracy_range: f64,
    /// PCA and MLP pipelines of the same seed, representation modulo
    /// general-linear, per design.
    pub pca_against_mlp: Vec<DesignComparison>,
    /// Centred logit-jet discrepancy of each same-seed PCA and MLP pair,
    /// coordinate design.
    pub pca_against_mlp_logit_jet: Vec<f64>,
    /// MLP seed pairs, bottleneck modulo the units' symmetry group, per
    /// design.
    pub mlp_seeds: Vec<DesignComparison>,
    /// Centred logit-jet discrepancy of each MLP seed pair, coordinate
    /// design.
    pub mlp_seeds_logit_jet: Vec<f64>,
}

/// The network, training, seeds and jet settings shared by every data set.
#[derive(Debug, Clone)]
pub struct Shared<'a> {
    /// Shape of the networks.
    pub network: &'a NetworkConfig,
    /// Training settings.
    pub train: &'a TrainConfig,
    /// Training seeds.
    pub seeds: &'a [u64],
    /// Maximum number of test rows used as base points.
    pub base_points: usize,
    /// Exact jet engine.
    pub engine: EngineKind,
    /// Tolerances of the verdicts.
    pub tolerances: Tolerances,
}

/// Trains and compares the pipelines of one data set.
///
/// # Errors
/// [`ReproduceError`] when the data cannot be loaded, a design cannot be
/// built, the PCA cannot be fitted or training diverges.
pub fn dataset<B: AutodiffBackend>(
    config: &DatasetConfig,
    shared: &Shared<'_>,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<DatasetReport, ReproduceError> {
    let data = PreparedData::load(&config.data)?;
    let eval = zoo::evaluation(&data, shared.base_points);
    let designs = zoo::designs(&eval, config.tangent_dim)?;
    let group = Group::from_str(shared.network.activation.symmetry())
        .expect("every activation names a symmetry group");

    let mut pcas = Vec::with_capacity(shared.seeds.len());
    let mut mlps = Vec::with_capacity(shared.seeds.len());
    for &seed in shared.seeds {
        for (kind, trained) in [(ModelKind::Pca, &mut pcas), (ModelKind::Mlp, &mut mlps)] {
            info!(dataset = %config.name, seed, kind = kind.name(), "training");
            let label = format!("{} {} seed {seed}", config.name, kind.name());
            let model = zoo::train::<B>(
                &shared.network.model(kind, config.k),
                &data,
                shared.train,
                seed,
                &label,
                progress,
                device,
            )?;
            let evaluated =
                zoo::evaluate(&model, seed, &data, shared.engine, &eval, &designs, device);
            trained.push(evaluated);
            progress.inc(1);
        }
    }
    Ok(report(
        config,
        &data,
        &pcas,
        &mlps,
        &designs,
        group,
        &shared.tolerances,
    ))
}

fn report(
    config: &DatasetConfig,
    data: &PreparedData,
    pcas: &[Evaluated],
    mlps: &[Evaluated],
    designs: &[Design],
    group: Group,
    tolerances: &Tolerances,
) -> DatasetReport {
    let output = output_tap(mlps);
    let as_candidates = |models: &[Evaluated], tap: &str, group: Group| -> Vec<Candidate> {
        models
            .iter()
            .map(|model| {
                candidate(
                    format!("seed {}", model.seed),
                    model,
                    tap,
                    &output,
                    group,
                    true,
                )
            })
            .collect()
    };
    let pca_general_linear = as_candidates(pcas, PCA_TAP, Group::GeneralLinear);
    let mlp_general_linear = as_candidates(mlps, BOTTLENECK_TAP, Group::GeneralLinear);
    let cross: Vec<_> = pca_general_linear
        .iter()
        .zip(&mlp_general_linear)
        .map(|(pca, mlp)| compare(pca, mlp, tolerances))
        .collect();
    let seed_pairs = compare_pairs(&as_candidates(mlps, BOTTLENECK_TAP, group), tolerances);

    let accuracy = |models: &[Evaluated]| models.iter().map(|m| m.risk.score).collect::<Vec<_>>();
    let cross_entropy =
        |models: &[Evaluated]| models.iter().map(|m| m.risk.loss).collect::<Vec<_>>();
    let (pca_accuracy, mlp_accuracy) = (accuracy(pcas), accuracy(mlps));
    let max = mlp_accuracy
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let min = mlp_accuracy.iter().copied().fold(f64::INFINITY, f64::min);
    DatasetReport {
        name: config.name.clone(),
        data: data_summary(data),
        classes: data.output_width(),
        k: config.k,
        seeds: mlps.iter().map(|m| m.seed).collect(),
        accuracy_gap: (zoo::mean(&mlp_accuracy) - zoo::mean(&pca_accuracy)).abs(),
        mlp_accuracy_range: max - min,
        pca_cross_entropy: cross_entropy(pcas),
        mlp_cross_entropy: cross_entropy(mlps),
        pca_accuracy,
        mlp_accuracy,
        pca_against_mlp: designs
            .iter()
            .map(|design| design_comparison(&cross, design, Group::GeneralLinear))
            .collect(),
        pca_against_mlp_logit_jet: cross.iter().map(|pair| pair.output_jet).collect(),
        mlp_seeds: designs
            .iter()
            .map(|design| design_comparison(&seed_pairs, design, group))
            .collect(),
        mlp_seeds_logit_jet: seed_pairs.iter().map(|pair| pair.output_jet).collect(),
    }
}
