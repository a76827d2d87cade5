//! Zoo pipelines (PCA and MLP) as diagnosis candidates, shared by the deep
//! regression and classification reproductions: training on prepared data,
//! test risk, exact jets under each design, and the pair-by-pair comparison
//! of chosen taps.

use std::collections::BTreeMap;

use burn::module::AutodiffModule;
use burn::tensor::backend::AutodiffBackend;
use indicatif::ProgressBar;
use mojet_jets::design::{Design, DesignSpec, build};
use mojet_jets::diagnosis::{Candidate, PairReport, TapReport};
use mojet_jets::{DesignKind, EngineKind, EngineOptions, Group, TapJet, Verdict, estimate};
use mojet_models::data::select_rows;
use mojet_models::host::to_tensor;
use mojet_models::prepared::PreparedData;
use mojet_models::train::{TrainConfig, fit};
use mojet_models::{ModelConfig, Pipeline, Risk, Zoo};
use serde::{Deserialize, Serialize};

use crate::linear::ReproduceError;
use crate::linear::candidate::Evaluation;

/// Epochs between updates of the progress message during training.
const PROGRESS_EPOCHS: usize = 100;

/// Name under which the compared representation tap (`pca` or
/// `bottleneck`) appears in reports.
pub const REPRESENTATION: &str = "representation";

/// Name under which the output tap (`output` or `logits`) appears in reports.
pub const OUTPUT: &str = "output";

/// A trained pipeline with its test risk and its jets under every design.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// Training seed.
    pub seed: u64,
    /// Test risk: mean squared error and R² for regression, cross-entropy
    /// and accuracy for classification.
    pub risk: Risk,
    /// Jets of every tap per design, in the order of the designs.
    pub jets: Vec<(DesignKind, Vec<TapJet>)>,
}

impl Evaluated {
    /// Returns the jets of `tap` under `design`.
    ///
    /// # Panics
    /// If the design was not estimated or the pipeline has no such tap.
    pub fn tap(&self, design: DesignKind, tap: &str) -> &TapJet {
        self.jets
            .iter()
            .find(|(kind, _)| *kind == design)
            .and_then(|(_, jets)| jets.iter().find(|jet| jet.tap == tap))
            .unwrap_or_else(|| panic!("no jets of tap {tap} under the {} design", design.name()))
    }
}

/// Collects the test split, base points from it and the training rows as
/// reference rows of the designs.
pub fn evaluation(data: &PreparedData, base_points: usize) -> Evaluation {
    let (x_test, y_test) = data.rows(&data.split.test);
    let base_rows: Vec<usize> = data.split.test.iter().copied().take(base_points).collect();
    Evaluation {
        x_test,
        y_test,
        base_points: select_rows(&data.x, &base_rows),
        reference: select_rows(&data.x, &data.split.train),
    }
}

/// Builds the coordinate design, `tangent_dim` tangent directions and the
/// `d − tangent_dim` directions normal to the same local tangent space.
///
/// # Errors
/// [`ReproduceError`] when `tangent_dim` leaves no normal direction or a
/// design cannot be built.
pub fn designs(eval: &Evaluation, tangent_dim: usize) -> Result<Vec<Design>, ReproduceError> {
    let d = eval.base_points.ncols();
    if tangent_dim == 0 || tangent_dim >= d {
        return Err(ReproduceError::Config(format!(
            "tangent_dim = {tangent_dim} is invalid for input dimension {d}; use a value from 1 to {}",
            d - 1
        )));
    }
    let coordinate = DesignSpec::new(DesignKind::Coordinate);
    let tangent = DesignSpec {
        k: Some(tangent_dim),
        ..DesignSpec::new(DesignKind::Tangent)
    };
    let normal = DesignSpec {
        k: Some(d - tangent_dim),
        tangent_dim: Some(tangent_dim),
        ..DesignSpec::new(DesignKind::Normal)
    };
    [coordinate, tangent, normal]
        .iter()
        .map(|spec| build(spec, &eval.base_points, &eval.reference).map_err(ReproduceError::from))
        .collect()
}

/// Fits the model `config` describes on the training split with `seed`
/// (for the PCA pipeline: fits the PCA, then trains the head).
///
/// `label` names the model in progress messages.
///
/// # Errors
/// [`ReproduceError`] when the PCA cannot be fitted or training diverges.
pub fn train<B: AutodiffBackend>(
    config: &ModelConfig,
    data: &PreparedData,
    train: &TrainConfig,
    seed: u64,
    label: &str,
    progress: &ProgressBar,
    device: &B::Device,
) -> Result<Zoo<B>, ReproduceError> {
    let task = data_task(data);
    let training = data.training();
    let initial = config
        .init_on_data::<B>(&training.x_train, data.output_width(), task, seed, device)
        .map_err(|err| ReproduceError::Config(err.to_string()))?;
    let train = TrainConfig {
        seed,
        ..train.clone()
    };
    let epochs = train.epochs;
    progress.set_message(label.to_string());
    let mut on_epoch = |epoch: usize, _valid: f64| {
        if epoch.is_multiple_of(PROGRESS_EPOCHS) {
            progress.set_message(format!("{label}: epoch {epoch}/{epochs}"));
        }
    };
    let (trained, _history) = fit(initial, task, &training, &train, &mut on_epoch)?;
    Ok(Zoo::<B>::from_inner(trained))
}

/// Measures the test risk of `model` and estimates its exact jets along every
/// design.
pub fn evaluate<B: AutodiffBackend>(
    model: &Zoo<B>,
    seed: u64,
    data: &PreparedData,
    engine: EngineKind,
    eval: &Evaluation,
    designs: &[Design],
    device: &B::Device,
) -> Evaluated {
    let prediction = model.forward(to_tensor::<B>(&eval.x_test, device));
    let risk = data_task(data).risk(prediction, &eval.y_test);
    let jets = designs
        .iter()
        .map(|design| {
            let estimated = estimate::<B, _>(
                model,
                engine,
                &eval.base_points,
                design,
                &EngineOptions::default(),
                device,
            )
            .expect("the PCA and MLP pipelines use only operations with tangent rules");
            (design.kind, estimated.taps)
        })
        .collect();
    Evaluated { seed, risk, jets }
}

/// Builds the candidate of `evaluated` restricted to two taps: its
/// representation tap `representation` compared modulo `group`, and its
/// output tap, renamed [`REPRESENTATION`] and [`OUTPUT`] so that pipelines
/// of different kinds line up.
///
/// With `centre_output`, each output jet has its mean over the output units
/// removed. Logits are defined only up to a constant added to every class
/// (the softmax does not change), so only centred logit jets are
/// comparable across models.
pub fn candidate(
    name: String,
    evaluated: &Evaluated,
    representation: &str,
    output: &str,
    group: Group,
    centre_output: bool,
) -> Candidate {
    let jets = evaluated
        .jets
        .iter()
        .map(|(design, taps)| {
            let find = |tap: &str| {
                taps.iter()
                    .find(|jet| jet.tap == tap)
                    .unwrap_or_else(|| panic!("the pipeline has no tap {tap}"))
            };
            let represented = TapJet {
                tap: REPRESENTATION.to_string(),
                values: find(representation).values.clone(),
            };
            let mut out = TapJet {
                tap: OUTPUT.to_string(),
                values: find(output).values.clone(),
            };
            if centre_output {
                centre_rows(&mut out);
            }
            (*design, vec![represented, out])
        })
        .collect();
    Candidate {
        name,
        risk: evaluated.risk,
        groups: vec![group, Group::Identity],
        jets,
    }
}

/// Subtracts from every jet its mean row, the component along the all-ones
/// direction of the output units.
fn centre_rows(jet: &mut TapJet) {
    for value in &mut jet.values {
        let mean = value.row_mean();
        for mut row in value.row_iter_mut() {
            row -= &mean;
        }
    }
}

/// Returns the reports of the tap `tap` under the design `design` in every
/// pair.
pub fn tap_reports<'a>(
    pairs: &'a [PairReport],
    tap: &'a str,
    design: &'a str,
) -> impl Iterator<Item = &'a TapReport> + 'a {
    pairs
        .iter()
        .flat_map(|pair| &pair.taps)
        .filter(move |report| report.tap == tap && report.design == design)
}

/// Returns the discrepancy of `report` modulo `group`: the raw one for
/// [`Group::Identity`], infinite where the group does not apply.
pub fn discrepancy(report: &TapReport, group: Group) -> f64 {
    match group {
        Group::Identity => report.raw.unwrap_or(f64::INFINITY),
        _ => report
            .quotients
            .get(group.name())
            .copied()
            .unwrap_or(f64::INFINITY),
    }
}

/// A set of pairs compared under one design: the representation tap raw,
/// modulo the verdict's group and modulo general-linear, and the output tap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignComparison {
    /// Design name.
    pub design: String,
    /// Directions `K` per base point.
    pub k: usize,
    /// Mean over the pairs of the raw representation discrepancy.
    pub raw: f64,
    /// Group of the verdicts.
    pub group: String,
    /// Mean over the pairs of the representation discrepancy modulo `group`.
    pub symmetry: f64,
    /// Smallest representation discrepancy modulo `group` over the pairs.
    pub symmetry_min: f64,
    /// Mean over the pairs of the representation discrepancy modulo
    /// permutation-scale, whatever the verdict's group.
    pub permutation_scale: f64,
    /// Mean over the pairs of the representation discrepancy modulo
    /// general-linear.
    pub general_linear: f64,
    /// Smallest representation discrepancy modulo general-linear.
    pub general_linear_min: f64,
    /// Mean over the pairs of the raw output-jet discrepancy along the design.
    pub output: f64,
    /// Smallest raw output-jet discrepancy along the design over the pairs.
    pub output_min: f64,
    /// Number of pairs per verdict on the representation tap.
    pub verdicts: BTreeMap<String, usize>,
}

/// Aggregates the pairs' reports of the [`REPRESENTATION`] and [`OUTPUT`]
/// taps under `design`; `group` is the group the verdicts were taken modulo.
pub fn design_comparison(pairs: &[PairReport], design: &Design, group: Group) -> DesignComparison {
    let name = design.kind.name();
    let values = |tap: &str, group: Group| -> Vec<f64> {
        tap_reports(pairs, tap, name)
            .map(|report| discrepancy(report, group))
            .collect()
    };
    let minimum = |values: &[f64]| values.iter().copied().fold(f64::INFINITY, f64::min);
    let symmetry = values(REPRESENTATION, group);
    let general_linear = values(REPRESENTATION, Group::GeneralLinear);
    let output = values(OUTPUT, Group::Identity);
    let mut verdicts: BTreeMap<String, usize> = [
        Verdict::Identifiable,
        Verdict::Mirage,
        Verdict::Distinguishable,
    ]
    .iter()
    .map(|verdict| (verdict.name().to_string(), 0))
    .collect();
    for report in tap_reports(pairs, REPRESENTATION, name) {
        *verdicts
            .entry(report.verdict.name().to_string())
            .or_insert(0) += 1;
    }
    DesignComparison {
        design: name.to_string(),
        k: design.directions_per_point(),
        raw: mean(&values(REPRESENTATION, Group::Identity)),
        group: group.name().to_string(),
        symmetry: mean(&symmetry),
        symmetry_min: minimum(&symmetry),
        permutation_scale: mean(&values(REPRESENTATION, Group::PermutationScale)),
        general_linear: mean(&general_linear),
        general_linear_min: minimum(&general_linear),
        output: mean(&output),
        output_min: minimum(&output),
        verdicts,
    }
}

/// Formats the verdict counts as `3 distinguishable, 1 mirage`.
pub fn verdict_counts(verdicts: &BTreeMap<String, usize>) -> String {
    let counts: Vec<String> = verdicts
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(verdict, count)| format!("{count} {verdict}"))
        .collect();
    counts.join(", ")
}

/// `(max − min) / mean`, 0 for a constant or empty list.
pub fn spread(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = mean(values);
    if mean == 0.0 { 0.0 } else { (max - min) / mean }
}

/// Arithmetic mean, 0 for an empty list.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

fn data_task(data: &PreparedData) -> mojet_models::Task {
    if data.record.classes.is_some() {
        mojet_models::Task::Classification
    } else {
        mojet_models::Task::Regression
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    #[test]
    fn centred_rows_sum_to_zero() {
        let mut jet = TapJet {
            tap: "logits".into(),
            values: vec![DMatrix::from_row_slice(
                3,
                2,
                &[1.0, 2.0, 3.0, 5.0, 8.0, 0.0],
            )],
        };
        centre_rows(&mut jet);
        let sums = jet.values[0].row_sum();
        assert!(sums.norm() < 1e-12, "{sums}");
    }

    #[test]
    fn centring_removes_shift_shared_by_units() {
        let base = DMatrix::from_row_slice(2, 2, &[1.0, -1.0, 0.5, 2.0]);
        let shifted = DMatrix::from_fn(2, 2, |i, j| base[(i, j)] + [3.0, -4.0][j]);
        let mut a = TapJet {
            tap: "logits".into(),
            values: vec![base],
        };
        let mut b = TapJet {
            tap: "logits".into(),
            values: vec![shifted],
        };
        centre_rows(&mut a);
        centre_rows(&mut b);
        assert!((&a.values[0] - &b.values[0]).norm() < 1e-12);
    }

    #[test]
    fn spread_is_range_over_mean() {
        assert!((spread(&[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-12);
        assert_eq!(spread(&[]), 0.0);
    }
}
