//! Training a pipeline with burn's autodiff: seeded mini-batches, Adam or SGD,
//! and early stopping on the validation risk.

use burn::module::AutodiffModule;
use burn::optim::{AdamConfig, GradientsParams, Optimizer, SgdConfig};
use burn::tensor::{ElementConversion, Int, Tensor, TensorData, backend::AutodiffBackend};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::host::to_tensor;
use crate::pipeline::Pipeline;
use crate::task::{Risk, Task};

/// The optimiser used for training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptimizerKind {
    /// Adam with burn's default moments (0.9, 0.999).
    #[default]
    Adam,
    /// Plain stochastic gradient descent.
    Sgd,
}

/// Training settings; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrainConfig {
    /// Optimiser (`adam` or `sgd`).
    pub optimizer: OptimizerKind,
    /// Step size.
    pub learning_rate: f64,
    /// Maximum number of passes over the training split.
    pub epochs: usize,
    /// Rows per mini-batch; 0 trains on the full batch.
    pub batch_size: usize,
    /// Whether to stop after `patience` epochs without a better validation
    /// loss and keep the best weights. When false, training runs every epoch
    /// and keeps the last weights, which converge to a minimiser of the
    /// training risk.
    pub early_stopping: bool,
    /// Epochs without a better validation loss before training stops.
    pub patience: usize,
    /// Seed of the initial weights and of the mini-batch order.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Adam,
            learning_rate: 1e-2,
            epochs: 2000,
            batch_size: 0,
            early_stopping: true,
            patience: 100,
            seed: 0,
        }
    }
}

/// Host copies of the training and validation splits, already standardised.
#[derive(Debug, Clone)]
pub struct TrainingData {
    /// Inputs of the training split, `[n_train, d]`.
    pub x_train: DMatrix<f64>,
    /// Targets of the training split, `[n_train, p]` (one-hot rows when
    /// classifying).
    pub y_train: DMatrix<f64>,
    /// Inputs of the validation split, `[n_valid, d]`.
    pub x_valid: DMatrix<f64>,
    /// Targets of the validation split, `[n_valid, p]`.
    pub y_valid: DMatrix<f64>,
}

/// Record of a training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Epochs run before stopping.
    pub epochs_run: usize,
    /// Epoch (1-based) whose weights were kept.
    pub best_epoch: usize,
    /// Validation risk of the kept weights.
    pub best_valid: Risk,
}

/// Training failures.
#[derive(Debug, Error, PartialEq)]
pub enum TrainError {
    /// The loss became NaN or infinite.
    #[error(
        "training diverged at epoch {epoch}: the loss is {loss}; lower [train] learning_rate (now {learning_rate})"
    )]
    Diverged {
        /// Epoch (1-based) where the loss stopped being finite.
        epoch: usize,
        /// The loss value.
        loss: f64,
        /// The learning rate in use.
        learning_rate: f64,
    },
}

/// Trains `model` and returns the weights with the best validation loss.
///
/// `on_epoch` is called after every epoch with the epoch number and the
/// validation loss, for progress displays.
///
/// # Errors
/// [`TrainError::Diverged`] when a loss becomes NaN or infinite.
pub fn fit<B, M>(
    model: M,
    task: Task,
    data: &TrainingData,
    config: &TrainConfig,
    on_epoch: &mut dyn FnMut(usize, f64),
) -> Result<(M::InnerModule, History), TrainError>
where
    B: AutodiffBackend,
    M: AutodiffModule<B> + Pipeline<B>,
    M::InnerModule: Pipeline<B::InnerBackend>,
{
    match config.optimizer {
        OptimizerKind::Adam => run(
            model,
            AdamConfig::new().init(),
            task,
            data,
            config,
            on_epoch,
        ),
        OptimizerKind::Sgd => run(model, SgdConfig::new().init(), task, data, config, on_epoch),
    }
}

fn run<B, M, O>(
    mut model: M,
    mut optimizer: O,
    task: Task,
    data: &TrainingData,
    config: &TrainConfig,
    on_epoch: &mut dyn FnMut(usize, f64),
) -> Result<(M::InnerModule, History), TrainError>
where
    B: AutodiffBackend,
    M: AutodiffModule<B> + Pipeline<B>,
    M::InnerModule: Pipeline<B::InnerBackend>,
    O: Optimizer<M, B>,
{
    let device = B::Device::default();
    let x_train = to_tensor::<B>(&data.x_train, &device);
    let y_train = to_tensor::<B>(&data.y_train, &device);
    let x_valid = to_tensor::<B::InnerBackend>(&data.x_valid, &device);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut order: Vec<usize> = (0..data.x_train.nrows()).collect();
    let batch = batch_size(config.batch_size, order.len());

    let mut best = (model.valid(), 0, f64::INFINITY);
    let mut epochs_run = 0;
    for epoch in 1..=config.epochs {
        epochs_run = epoch;
        order.shuffle(&mut rng);
        for rows in order.chunks(batch) {
            let (x, y) = rows_of(&x_train, &y_train, rows, batch == order.len());
            let loss = task.loss(model.forward(x), y);
            let value = loss.clone().into_scalar().elem::<f64>();
            check_finite(value, epoch, config.learning_rate)?;
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(config.learning_rate, model, grads);
        }

        let valid = task.risk(model.valid().forward(x_valid.clone()), &data.y_valid);
        check_finite(valid.loss, epoch, config.learning_rate)?;
        on_epoch(epoch, valid.loss);
        if !config.early_stopping {
            continue;
        }
        if valid.loss < best.2 {
            best = (model.valid(), epoch, valid.loss);
        } else if epoch - best.1 >= config.patience {
            break;
        }
    }
    if !config.early_stopping {
        best = (model.valid(), epochs_run, f64::NAN);
    }

    let (kept, best_epoch, _) = best;
    let best_valid = task.risk(kept.forward(x_valid), &data.y_valid);
    let history = History {
        epochs_run,
        best_epoch,
        best_valid,
    };
    Ok((kept, history))
}

fn batch_size(requested: usize, rows: usize) -> usize {
    if requested == 0 || requested > rows {
        rows
    } else {
        requested
    }
}

fn rows_of<B: AutodiffBackend>(
    x: &Tensor<B, 2>,
    y: &Tensor<B, 2>,
    rows: &[usize],
    full_batch: bool,
) -> (Tensor<B, 2>, Tensor<B, 2>) {
    // The row order of a full batch does not change its loss, so skip the gather.
    if full_batch {
        return (x.clone(), y.clone());
    }
    let indices: Vec<i64> = rows.iter().map(|&r| r as i64).collect();
    let indices =
        Tensor::<B, 1, Int>::from_data(TensorData::new(indices, [rows.len()]), &x.device());
    (
        x.clone().select(0, indices.clone()),
        y.clone().select(0, indices),
    )
}

fn check_finite(loss: f64, epoch: usize, learning_rate: f64) -> Result<(), TrainError> {
    if loss.is_finite() {
        Ok(())
    } else {
        Err(TrainError::Diverged {
            epoch,
            loss,
            learning_rate,
        })
    }
}
