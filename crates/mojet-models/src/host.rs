//! Conversions between host matrices (`nalgebra`, `f64`) and burn tensors.

use burn::tensor::{Tensor, TensorData, backend::Backend};
use nalgebra::DMatrix;

/// Copies a host matrix to a tensor on `device`, in the backend's float type.
///
/// # Shapes
/// `[rows, cols]` in and out.
pub fn to_tensor<B: Backend>(matrix: &DMatrix<f64>, device: &B::Device) -> Tensor<B, 2> {
    let (rows, cols) = matrix.shape();
    // nalgebra stores columns contiguously and burn stores rows, so the
    // transpose's column-major buffer is the row-major buffer of `matrix`.
    let row_major: Vec<f64> = matrix.transpose().as_slice().to_vec();
    Tensor::from_data(TensorData::new(row_major, [rows, cols]), device)
}

/// Copies a rank-2 tensor back to a host matrix of `f64`.
pub fn to_matrix<B: Backend>(tensor: Tensor<B, 2>) -> DMatrix<f64> {
    let [rows, cols] = tensor.dims();
    let values = tensor
        .into_data()
        .convert::<f64>()
        .into_vec::<f64>()
        .expect("a converted tensor holds f64 values");
    DMatrix::from_row_slice(rows, cols, &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::backend::NdArray;

    #[test]
    fn round_trip_keeps_layout() {
        let matrix = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let tensor = to_tensor::<NdArray<f64>>(&matrix, &Default::default());
        let first_row = tensor.clone().slice([0..1, 0..3]).into_data();
        assert_eq!(first_row.into_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0]);
        assert_eq!(to_matrix(tensor), matrix);
    }
}
