//! The PCA pipeline: a frozen projection onto the top `k` principal
//! components of the training inputs, then a trained head.
//!
//! Taps: `pca` (`z = Vᵀ(x − μ)`, width `k`), the head's hidden taps
//! `head1`, `head2`, … if any, then `output` (or `logits` when classifying).
//! The mean `μ`, the components `V` and their explained-variance ratios are
//! parameters with gradients switched off: the optimiser leaves them, records
//! save them, and module visitors (the forward-mode lift among them) carry
//! them like any other weight.

use burn::module::{Module, Param};
use burn::tensor::{Tensor, TensorData, backend::Backend};
use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::head::{Head, HeadConfig};
use crate::host::{to_matrix, to_tensor};
use crate::init::frozen;
use crate::pipeline::{Pipeline, Tap};

/// A PCA that cannot be fitted.
#[derive(Debug, Error, PartialEq)]
pub enum PcaError {
    /// More components than the data can have.
    #[error(
        "[model] width = {k} is invalid: PCA of {rows} training rows and {features} features has at most {max} components; use a width from 1 to {max}"
    )]
    TooManyComponents {
        /// Components requested.
        k: usize,
        /// Training rows.
        rows: usize,
        /// Input features.
        features: usize,
        /// The largest valid `k`.
        max: usize,
    },
}

/// The top principal components of a data matrix, on the host.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalComponents {
    /// Column means `μ`, `d` values.
    pub mean: DVector<f64>,
    /// Components as columns, `[d, k]`, orthonormal, in order of decreasing
    /// explained variance. Each column's entry of largest magnitude is
    /// positive, which fixes the sign SVD leaves free.
    pub components: DMatrix<f64>,
    /// Fraction of the total variance along each component, `k` values,
    /// decreasing.
    pub explained_variance_ratio: Vec<f64>,
}

impl PrincipalComponents {
    /// Fits the top `k` principal components of the rows of `x`, `[n, d]`, by
    /// SVD of the centred matrix.
    ///
    /// # Errors
    /// [`PcaError::TooManyComponents`] when `k` is 0 or exceeds `min(n, d)`.
    pub fn fit(x: &DMatrix<f64>, k: usize) -> Result<Self, PcaError> {
        let (n, d) = x.shape();
        let max = n.min(d);
        if k == 0 || k > max {
            return Err(PcaError::TooManyComponents {
                k,
                rows: n,
                features: d,
                max,
            });
        }
        let mean = DVector::from_fn(d, |j, _| x.column(j).mean());
        let centred = DMatrix::from_fn(n, d, |i, j| x[(i, j)] - mean[j]);
        let svd = centred.svd(false, true);
        let v_t = svd.v_t.expect("the SVD was asked for V");

        // Sort explicitly rather than rely on the order nalgebra returns.
        let mut order: Vec<usize> = (0..svd.singular_values.len()).collect();
        order.sort_by(|&a, &b| svd.singular_values[b].total_cmp(&svd.singular_values[a]));
        let total: f64 = svd.singular_values.iter().map(|s| s * s).sum();

        let mut components = DMatrix::zeros(d, k);
        let mut explained_variance_ratio = Vec::with_capacity(k);
        for (column, &index) in order.iter().take(k).enumerate() {
            let mut direction = v_t.row(index).transpose();
            let largest = direction.iter().copied().fold(0.0_f64, |best, value| {
                if value.abs() > best.abs() {
                    value
                } else {
                    best
                }
            });
            if largest < 0.0 {
                direction = -direction;
            }
            components.set_column(column, &direction);
            let variance = svd.singular_values[index].powi(2);
            explained_variance_ratio.push(if total > 0.0 { variance / total } else { 0.0 });
        }
        Ok(Self {
            mean,
            components,
            explained_variance_ratio,
        })
    }
}

/// The PCA pipeline: frozen `μ` and `V`, then a trained head.
#[derive(Module, Debug)]
pub struct PcaPipeline<B: Backend> {
    /// Training mean `μ`, `[d]`; frozen.
    pub mean: Param<Tensor<B, 1>>,
    /// Components `V` as columns, `[d, k]`; frozen.
    pub components: Param<Tensor<B, 2>>,
    /// Explained-variance ratio of each component, `[k]`; frozen and unused
    /// by the forward pass, stored so that saved models keep it.
    pub explained_variance_ratio: Param<Tensor<B, 1>>,
    /// The trained head on the `pca` tap.
    pub head: Head<B>,
}

/// Fits the PCA of the training inputs `x_train`, `[n, d]`, and puts a head
/// with seeded random weights on it.
///
/// Pass the standardised training split, so that no feature dominates the
/// components by its units alone.
///
/// # Errors
/// [`PcaError`] when `k` exceeds the number of rows or features.
pub fn fit_pca<B: Backend>(
    x_train: &DMatrix<f64>,
    k: usize,
    head: &HeadConfig,
    seed: u64,
    device: &B::Device,
) -> Result<PcaPipeline<B>, PcaError> {
    let fitted = PrincipalComponents::fit(x_train, k)?;
    Ok(PcaPipeline::from_components(&fitted, head, seed, device))
}

impl<B: Backend> PcaPipeline<B> {
    /// Builds the pipeline from fitted components and a head with seeded
    /// random weights.
    pub fn from_components(
        fitted: &PrincipalComponents,
        head: &HeadConfig,
        seed: u64,
        device: &B::Device,
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Self {
            mean: frozen(vector(fitted.mean.as_slice(), device)),
            components: frozen(to_tensor(&fitted.components, device)),
            explained_variance_ratio: frozen(vector(&fitted.explained_variance_ratio, device)),
            head: head.init(&mut rng, fitted.components.ncols(), device),
        }
    }

    /// Builds a pipeline whose components are the first `k` coordinate axes
    /// and whose mean is zero: a placeholder of the right shape for loading
    /// saved weights into, not a fitted PCA.
    pub fn placeholder(
        d: usize,
        k: usize,
        head: &HeadConfig,
        seed: u64,
        device: &B::Device,
    ) -> Self {
        let placeholder = PrincipalComponents {
            mean: DVector::zeros(d),
            components: DMatrix::identity(d, k),
            explained_variance_ratio: vec![0.0; k],
        };
        Self::from_components(&placeholder, head, seed, device)
    }

    /// Returns the components `V` as columns, `[d, k]`.
    pub fn components_matrix(&self) -> DMatrix<f64> {
        to_matrix(self.components.val())
    }

    /// Returns the training mean `μ`.
    pub fn mean_vector(&self) -> Vec<f64> {
        vector_values(self.mean.val())
    }

    /// Returns the fraction of the training variance along each component,
    /// in component order (decreasing).
    pub fn explained_variance_ratio(&self) -> Vec<f64> {
        vector_values(self.explained_variance_ratio.val())
    }

    /// Builds a pipeline of the same shape on another backend with arbitrary
    /// weights, as the target that `mojet_forward::lift_module` fills with
    /// this pipeline's parameters.
    pub fn skeleton<B2: Backend>(&self, device: &B2::Device) -> PcaPipeline<B2> {
        let [d, k] = self.components.dims();
        PcaPipeline {
            mean: frozen(Tensor::zeros([d], device)),
            components: frozen(Tensor::zeros([d, k], device)),
            explained_variance_ratio: frozen(Tensor::zeros([k], device)),
            head: self.head.skeleton(device),
        }
    }
}

impl<B: Backend> Pipeline<B> for PcaPipeline<B> {
    fn input_width(&self) -> usize {
        self.components.dims()[0]
    }

    fn taps(&self) -> Vec<Tap> {
        let mut taps = vec![Tap::new("pca", self.components.dims()[1])];
        taps.extend(self.head.taps());
        taps
    }

    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>> {
        let centred = x - self.mean.val().unsqueeze_dim(0);
        let z = centred.matmul(self.components.val());
        let mut taps = vec![z.clone()];
        self.head.forward_taps(z, &mut taps);
        taps
    }
}

fn vector<B: Backend>(values: &[f64], device: &B::Device) -> Tensor<B, 1> {
    Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), device)
}

fn vector_values<B: Backend>(tensor: Tensor<B, 1>) -> Vec<f64> {
    tensor
        .into_data()
        .convert::<f64>()
        .into_vec::<f64>()
        .expect("a converted tensor holds f64 values")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Task;

    #[test]
    fn too_many_components_names_the_limit() {
        let x = DMatrix::from_fn(5, 3, |i, j| (i * 3 + j * j) as f64);
        let err = PrincipalComponents::fit(&x, 4).unwrap_err().to_string();
        assert_eq!(
            err,
            "[model] width = 4 is invalid: PCA of 5 training rows and 3 features has at most 3 components; use a width from 1 to 3"
        );
    }

    #[test]
    fn ratios_decrease_and_sum_to_one() {
        let x = DMatrix::from_fn(20, 3, |i, j| ((i * 7 + j * 3) % 11) as f64 * (j + 1) as f64);
        let fitted = PrincipalComponents::fit(&x, 3).unwrap();
        let ratios = &fitted.explained_variance_ratio;
        assert!(
            ratios[0] >= ratios[1] && ratios[1] >= ratios[2],
            "{ratios:?}"
        );
        assert!(
            (ratios.iter().sum::<f64>() - 1.0).abs() < 1e-12,
            "{ratios:?}"
        );
        let gram = fitted.components.transpose() * &fitted.components;
        assert!((gram - DMatrix::identity(3, 3)).norm() < 1e-12);
    }

    #[test]
    fn taps_name_pca_and_head() {
        let head = HeadConfig {
            hidden: vec![4],
            activation: crate::activation::Activation::Tanh,
            bias: true,
            d_output: 3,
            task: Task::Classification,
        };
        let model = PcaPipeline::<burn::backend::NdArray<f64>>::placeholder(
            5,
            2,
            &head,
            0,
            &Default::default(),
        );
        assert_eq!(
            model.taps(),
            vec![
                Tap::new("pca", 2),
                Tap::new("head1", 4),
                Tap::new("logits", 3)
            ]
        );
    }
}
