//! The machine's single-precision matrix-product throughput through
//! burn-ndarray, the yardstick for the jets' GFLOP/s.

use std::time::Instant;

use burn::backend::NdArray;
use burn::tensor::{Distribution, Tensor};

/// Throughput of one square matrix product.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SgemmReport {
    /// Library that ran the product.
    pub library: String,
    /// Side `n` of the `[n, n] × [n, n]` product.
    pub size: usize,
    /// Median wall time in seconds.
    pub median_s: f64,
    /// `2 n³ / median_s`, in GFLOP/s.
    pub gflops: f64,
}

/// Times `reps` products of two random `[size, size]` matrices of `f32`
/// after one untimed product.
pub fn burn_sgemm(size: usize, reps: usize) -> SgemmReport {
    let device = Default::default();
    let a = Tensor::<NdArray<f32>, 2>::random([size, size], Distribution::Default, &device);
    let b = Tensor::<NdArray<f32>, 2>::random([size, size], Distribution::Default, &device);
    let _ = a.clone().matmul(b.clone()).into_data();
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let start = Instant::now();
            let _ = a.clone().matmul(b.clone()).into_data();
            start.elapsed().as_secs_f64()
        })
        .collect();
    let median_s = crate::stats::median(&mut times);
    SgemmReport {
        library: "burn-ndarray".to_string(),
        size,
        median_s,
        gflops: 2.0 * (size as f64).powi(3) / median_s / 1e9,
    }
}
