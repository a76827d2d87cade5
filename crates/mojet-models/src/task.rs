//! The supervised task of a pipeline and its risk.

use burn::tensor::{Tensor, activation::log_softmax, backend::Backend};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::host::to_matrix;

/// Whether a pipeline regresses its targets or classifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Mean squared error on standardised targets.
    #[default]
    Regression,
    /// Cross-entropy of a softmax over the output tap (the logits).
    Classification,
}

/// The risk of a pipeline on one split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// Mean squared error (regression, standardised target units) or
    /// cross-entropy in nats (classification).
    pub loss: f64,
    /// Coefficient of determination (regression) or accuracy
    /// (classification).
    pub score: f64,
}

impl Task {
    /// Returns the name used in configs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Classification => "classification",
        }
    }

    /// Name of the loss, as reports print it.
    pub fn loss_name(self) -> &'static str {
        match self {
            Task::Regression => "mse",
            Task::Classification => "cross_entropy",
        }
    }

    /// Name of the score, as reports print it.
    pub fn score_name(self) -> &'static str {
        match self {
            Task::Regression => "r2",
            Task::Classification => "accuracy",
        }
    }

    /// Name of the output tap of the PCA and MLP pipelines: `logits` when
    /// classifying, because the softmax is part of the loss.
    pub fn output_tap(self) -> &'static str {
        match self {
            Task::Regression => "output",
            Task::Classification => "logits",
        }
    }

    /// The training loss on a batch, differentiable through `output`.
    ///
    /// # Shapes
    /// - `output`: `[batch, p]`
    /// - `target`: `[batch, p]`; one-hot rows for classification
    /// - returns: `[1]`
    pub fn loss<B: Backend>(self, output: Tensor<B, 2>, target: Tensor<B, 2>) -> Tensor<B, 1> {
        match self {
            Task::Regression => (output - target).powi_scalar(2).mean(),
            Task::Classification => {
                let log_probabilities = log_softmax(output, 1);
                (log_probabilities * target).sum_dim(1).mean().neg()
            }
        }
    }

    /// Loss and score of `output` against `target` on the host.
    ///
    /// # Shapes
    /// `output` and `target`: `[n, p]`; `target` rows are one-hot for
    /// classification.
    pub fn risk<B: Backend>(self, output: Tensor<B, 2>, target: &DMatrix<f64>) -> Risk {
        let output = to_matrix(output);
        match self {
            Task::Regression => regression_risk(&output, target),
            Task::Classification => classification_risk(&output, target),
        }
    }
}

fn regression_risk(output: &DMatrix<f64>, target: &DMatrix<f64>) -> Risk {
    let residual = (output - target).norm_squared();
    let n = target.len() as f64;
    let mut spread = 0.0;
    for column in target.column_iter() {
        let mean = column.mean();
        spread += column.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
    }
    Risk {
        loss: residual / n,
        score: 1.0 - residual / spread.max(f64::MIN_POSITIVE),
    }
}

fn classification_risk(logits: &DMatrix<f64>, one_hot: &DMatrix<f64>) -> Risk {
    let mut loss = 0.0;
    let mut correct = 0usize;
    for (row, target) in logits.row_iter().zip(one_hot.row_iter()) {
        let max = row.max();
        let log_sum = row.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
        let label = argmax(target.iter());
        loss += log_sum - row[label];
        correct += usize::from(argmax(row.iter()) == label);
    }
    let n = logits.nrows() as f64;
    Risk {
        loss: loss / n,
        score: correct as f64 / n,
    }
}

/// Index of the largest value; the first one on ties.
fn argmax<'a>(values: impl Iterator<Item = &'a f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, &v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// One-hot rows for integer class labels.
///
/// # Shapes
/// `labels`: `[n, 1]`, returns `[n, classes]`.
pub fn one_hot(labels: &DMatrix<f64>, classes: usize) -> DMatrix<f64> {
    let mut out = DMatrix::zeros(labels.nrows(), classes);
    for (i, label) in labels.column(0).iter().enumerate() {
        out[(i, *label as usize)] = 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::to_tensor;
    use burn::backend::NdArray;

    type B = NdArray<f64>;

    #[test]
    fn regression_risk_of_perfect_fit() {
        let y = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 4.0]);
        let risk = Task::Regression.risk(to_tensor::<B>(&y, &Default::default()), &y);
        assert_eq!(risk.loss, 0.0);
        assert_eq!(risk.score, 1.0);
    }

    #[test]
    fn classification_loss_matches_host_risk() {
        let logits = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 0.5, 0.0, -1.0, 3.0]);
        let target = one_hot(&DMatrix::from_row_slice(2, 1, &[1.0, 0.0]), 3);
        let device = Default::default();
        let loss = Task::Classification.loss(
            to_tensor::<B>(&logits, &device),
            to_tensor::<B>(&target, &device),
        );
        let risk = Task::Classification.risk(to_tensor::<B>(&logits, &device), &target);
        let loss = loss.into_scalar();
        assert!((loss - risk.loss).abs() < 1e-12);
        assert_eq!(risk.score, 0.5);
    }
}
