//! Every model of the zoo behind one type, so commands and stores handle them
//! alike.

use burn::module::Module;
use burn::tensor::{Tensor, backend::Backend};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::head::HeadConfig;
use crate::linear::{LinearPipeline, LinearPipelineConfig};
use crate::mlp::{MlpPipeline, MlpPipelineConfig};
use crate::pca::{PcaError, PcaPipeline, fit_pca};
use crate::pipeline::{Pipeline, Tap};
use crate::task::Task;

/// Kind of zoo model a config builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// The two-module linear pipeline `y = B(Ax + a) + b`.
    Linear,
    /// A frozen PCA to `width` components, then a trained head.
    Pca,
    /// Hidden layers, a bottleneck of `width` units, then a head.
    Mlp,
}

impl ModelKind {
    /// Returns the name used in configs and reports.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Linear => "linear",
            ModelKind::Pca => "pca",
            ModelKind::Mlp => "mlp",
        }
    }
}

/// The `[model]` table of a config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Kind of model to build.
    pub kind: ModelKind,
    /// Width of the representation the model is built around: the encoder
    /// `r` of the linear pipeline, the number of components `k` of the PCA
    /// pipeline, the bottleneck `k` of the MLP pipeline.
    pub width: usize,
    /// Whether the layers carry biases.
    #[serde(default = "default_bias")]
    pub bias: bool,
    /// Widths of the MLP encoder's hidden layers, before the bottleneck.
    #[serde(default)]
    pub hidden: Vec<usize>,
    /// Activation of every hidden layer (MLP encoder, bottleneck and head).
    #[serde(default)]
    pub activation: Activation,
    /// Widths of the head's hidden layers (PCA and MLP); empty for a linear
    /// head.
    #[serde(default)]
    pub head_hidden: Vec<usize>,
}

fn default_bias() -> bool {
    true
}

/// A `[model]` value that is out of range: the key, the value and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelConfigIssue {
    /// The key, with its table (for example `[model] hidden`).
    pub key: &'static str,
    /// The value found.
    pub value: String,
    /// The value or change to use instead.
    pub fix: String,
}

impl ModelConfig {
    /// Checks the values that parse but cannot build a model.
    ///
    /// # Errors
    /// The first [`ModelConfigIssue`] found.
    pub fn check(&self) -> Result<(), ModelConfigIssue> {
        if self.width == 0 {
            return Err(ModelConfigIssue {
                key: "[model] width",
                value: "0".into(),
                fix: "use a positive integer".into(),
            });
        }
        for (key, widths) in [
            ("[model] hidden", &self.hidden),
            ("[model] head_hidden", &self.head_hidden),
        ] {
            if widths.contains(&0) {
                return Err(ModelConfigIssue {
                    key,
                    value: format!("{widths:?}"),
                    fix: "use positive layer widths".into(),
                });
            }
        }
        let unused = match self.kind {
            ModelKind::Linear if !self.hidden.is_empty() => Some("[model] hidden"),
            ModelKind::Linear if !self.head_hidden.is_empty() => Some("[model] head_hidden"),
            ModelKind::Pca if !self.hidden.is_empty() => Some("[model] hidden"),
            _ => None,
        };
        if let Some(key) = unused {
            let value = if key == "[model] hidden" {
                &self.hidden
            } else {
                &self.head_hidden
            };
            return Err(ModelConfigIssue {
                key,
                value: format!("{value:?}"),
                fix: format!(
                    "kind = \"{}\" has no such layers; remove the key or use kind = \"mlp\"",
                    self.kind.name()
                ),
            });
        }
        Ok(())
    }

    /// Name of the symmetry group of the hidden taps, the reparametrisations
    /// that leave the map unchanged: the group of the activation for the MLP
    /// and for a PCA head with hidden layers, `identity` for a PCA with a
    /// linear head (its only hidden tap is the fitted PCA, see
    /// [`ModelConfig::tap_symmetries`]).
    pub fn hidden_symmetry(&self) -> &'static str {
        match self.kind {
            ModelKind::Linear => "general-linear",
            ModelKind::Pca if self.head_hidden.is_empty() => "identity",
            ModelKind::Pca | ModelKind::Mlp => self.activation.symmetry(),
        }
    }

    /// Name of the symmetry group of each tap, in tap order, as
    /// `mojet_jets::quotient::Group` parses them.
    ///
    /// The output is `identity`, because its coordinates mean the same in
    /// every model. The `pca` tap is `identity` too: it is fitted, not
    /// trained, so every seed gets the same components with the same signs.
    pub fn tap_symmetries(&self) -> Vec<&'static str> {
        let hidden = self.activation.symmetry();
        let mut groups = match self.kind {
            ModelKind::Linear => vec!["general-linear"],
            ModelKind::Pca => vec!["identity"],
            ModelKind::Mlp => vec![hidden; self.hidden.len() + 1],
        };
        if self.kind != ModelKind::Linear {
            groups.extend(std::iter::repeat_n(hidden, self.head_hidden.len()));
        }
        groups.push("identity");
        groups
    }

    /// Builds a regression model with seeded random weights.
    ///
    /// The PCA pipeline gets placeholder components (see
    /// [`ModelConfig::init_with_task`]); use [`ModelConfig::init_on_data`] to
    /// fit them.
    pub fn init<B: Backend>(
        &self,
        d_input: usize,
        d_output: usize,
        seed: u64,
        device: &B::Device,
    ) -> Zoo<B> {
        self.init_with_task(d_input, d_output, Task::Regression, seed, device)
    }

    /// Builds the model for `task` with seeded random weights, the shape that
    /// a saved model loads into.
    ///
    /// The PCA pipeline gets placeholder components (the first `k`
    /// coordinate axes), not a fit.
    pub fn init_with_task<B: Backend>(
        &self,
        d_input: usize,
        d_output: usize,
        task: Task,
        seed: u64,
        device: &B::Device,
    ) -> Zoo<B> {
        match self.kind {
            ModelKind::Linear => Zoo::Linear(self.linear(d_input, d_output).init(seed, device)),
            ModelKind::Pca => Zoo::Pca(PcaPipeline::placeholder(
                d_input,
                self.width,
                &self.head(d_output, task),
                seed,
                device,
            )),
            ModelKind::Mlp => Zoo::Mlp(self.mlp(d_input, d_output, task).init(seed, device)),
        }
    }

    /// Builds the model for training on the inputs `x_train`, `[n, d]`:
    /// fits the PCA of the PCA pipeline on them, and otherwise draws seeded
    /// random weights like [`ModelConfig::init_with_task`].
    ///
    /// # Errors
    /// [`PcaError`] when the PCA width exceeds the rows or features of
    /// `x_train`.
    pub fn init_on_data<B: Backend>(
        &self,
        x_train: &DMatrix<f64>,
        d_output: usize,
        task: Task,
        seed: u64,
        device: &B::Device,
    ) -> Result<Zoo<B>, PcaError> {
        match self.kind {
            ModelKind::Pca => {
                let head = self.head(d_output, task);
                fit_pca(x_train, self.width, &head, seed, device).map(Zoo::Pca)
            }
            ModelKind::Linear | ModelKind::Mlp => {
                Ok(self.init_with_task(x_train.ncols(), d_output, task, seed, device))
            }
        }
    }

    fn linear(&self, d_input: usize, d_output: usize) -> LinearPipelineConfig {
        LinearPipelineConfig {
            d_input,
            width: self.width,
            d_output,
            bias: self.bias,
        }
    }

    fn head(&self, d_output: usize, task: Task) -> HeadConfig {
        HeadConfig {
            hidden: self.head_hidden.clone(),
            activation: self.activation,
            bias: self.bias,
            d_output,
            task,
        }
    }

    fn mlp(&self, d_input: usize, d_output: usize, task: Task) -> MlpPipelineConfig {
        MlpPipelineConfig {
            d_input,
            hidden: self.hidden.clone(),
            width: self.width,
            head: self.head(d_output, task),
        }
    }
}

/// A model of the zoo.
#[derive(Module, Debug)]
pub enum Zoo<B: Backend> {
    /// The two-module linear pipeline.
    Linear(LinearPipeline<B>),
    /// The PCA pipeline.
    Pca(PcaPipeline<B>),
    /// The MLP pipeline.
    Mlp(MlpPipeline<B>),
}

impl<B: Backend> Zoo<B> {
    /// Builds a model of the same kind and shape on another backend, with
    /// arbitrary weights, for lifting this model's parameters into it.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> Zoo<B2> {
        match self {
            Zoo::Linear(model) => Zoo::Linear(model.skeleton(device)),
            Zoo::Pca(model) => Zoo::Pca(model.skeleton(device)),
            Zoo::Mlp(model) => Zoo::Mlp(model.skeleton(device)),
        }
    }

    fn inner(&self) -> &dyn Pipeline<B> {
        match self {
            Zoo::Linear(model) => model,
            Zoo::Pca(model) => model,
            Zoo::Mlp(model) => model,
        }
    }
}

impl<B: Backend> Pipeline<B> for Zoo<B> {
    fn input_width(&self) -> usize {
        self.inner().input_width()
    }

    fn taps(&self) -> Vec<Tap> {
        self.inner().taps()
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        self.inner().forward_taps(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: ModelKind) -> ModelConfig {
        ModelConfig {
            kind,
            width: 2,
            bias: true,
            hidden: vec![],
            activation: Activation::Relu,
            head_hidden: vec![],
        }
    }

    #[test]
    fn tap_symmetries_match_taps() {
        let mut mlp = config(ModelKind::Mlp);
        mlp.hidden = vec![4, 3];
        mlp.head_hidden = vec![5];
        let mut pca = config(ModelKind::Pca);
        pca.head_hidden = vec![3];
        pca.activation = Activation::Tanh;
        for model in [config(ModelKind::Linear), pca, mlp] {
            let zoo = model.init::<burn::backend::NdArray<f64>>(6, 1, 0, &Default::default());
            assert_eq!(model.tap_symmetries().len(), zoo.taps().len(), "{model:?}");
        }
    }

    #[test]
    fn pca_symmetries_put_identity_on_pca() {
        let mut pca = config(ModelKind::Pca);
        pca.head_hidden = vec![3];
        assert_eq!(
            pca.tap_symmetries(),
            vec!["identity", "permutation-scale", "identity"]
        );
    }

    #[test]
    fn hidden_layers_of_linear_are_rejected() {
        let mut linear = config(ModelKind::Linear);
        linear.head_hidden = vec![4];
        let issue = linear.check().unwrap_err();
        assert_eq!(issue.key, "[model] head_hidden");
        assert_eq!(
            issue.fix,
            "kind = \"linear\" has no such layers; remove the key or use kind = \"mlp\""
        );
    }

    #[test]
    fn zero_hidden_width_is_rejected() {
        let mut mlp = config(ModelKind::Mlp);
        mlp.hidden = vec![8, 0];
        let issue = mlp.check().unwrap_err();
        assert_eq!(issue.key, "[model] hidden");
        assert_eq!(issue.value, "[8, 0]");
    }
}
