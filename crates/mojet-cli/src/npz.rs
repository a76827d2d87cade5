//! Writing jets as a numpy `.npz` archive.

use std::path::Path;

use mojet_jets::{Design, TapJet};
use mojet_models::io::write_atomic_with;
use nalgebra::DMatrix;
use ndarray::{Array2, Array3};
use ndarray_npy::NpzWriter;

/// Writes one `[N, m, K]` array per tap, named after the tap, plus
/// `base_points` `[N, d]` and `directions` `[N, d, K]`.
///
/// # Errors
/// The I/O error, naming the file.
pub fn write_jets(
    path: &Path,
    taps: &[TapJet],
    base_points: &DMatrix<f64>,
    design: &Design,
) -> std::io::Result<()> {
    write_atomic_with(path, |file| {
        let mut npz = NpzWriter::new(file);
        let add = |npz: &mut NpzWriter<_>, name: &str, array: ndarray::ArrayViewD<f64>| {
            npz.add_array(name, &array)
                .map_err(|err| std::io::Error::other(err.to_string()))
        };
        for tap in taps {
            add(&mut npz, &tap.tap, stack(&tap.values).into_dyn().view())?;
        }
        add(
            &mut npz,
            "base_points",
            to_array(base_points).into_dyn().view(),
        )?;
        add(
            &mut npz,
            "directions",
            stack(&design.directions).into_dyn().view(),
        )?;
        npz.finish()
            .map(|_| ())
            .map_err(|err| std::io::Error::other(err.to_string()))
    })
}

fn to_array(matrix: &DMatrix<f64>) -> Array2<f64> {
    Array2::from_shape_fn(matrix.shape(), |(i, j)| matrix[(i, j)])
}

/// Stacks `N` matrices of equal shape `[a, b]` into `[N, a, b]`.
fn stack(matrices: &[DMatrix<f64>]) -> Array3<f64> {
    let (a, b) = matrices.first().map_or((0, 0), |m| m.shape());
    Array3::from_shape_fn((matrices.len(), a, b), |(n, i, j)| matrices[n][(i, j)])
}
