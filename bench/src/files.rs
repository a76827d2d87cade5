//! The `.npz` files shared with the Python peers: the inputs that mojet
//! writes (`w{i}`, `b{i}` per layer, `x [N, d]`, `u [K, N, d]`) and the jets
//! that every engine writes back (`tap{i}`, `[K, N, m_i]`, in tap order).

use std::fs::File;
use std::path::Path;

use anyhow::Context;
use ndarray::{Array1, Array2, Array3};
use ndarray_npy::{NpzReader, NpzWriter};

use crate::model::Weights;

/// Weights and inputs of one benchmark case, as stored on disk.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The MLP's weights.
    pub weights: Weights,
    /// Base points `[N, d]`.
    pub x: Array2<f32>,
    /// Directions `[K, N, d]`.
    pub u: Array3<f32>,
}

/// Writes the inputs to `path`, uncompressed so that every peer loads them
/// quickly.
///
/// # Errors
/// Fails when the file cannot be written.
pub fn write_inputs(path: &Path, inputs: &Inputs) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut npz = NpzWriter::new(file);
    for (i, (weight, bias)) in inputs.weights.layers.iter().enumerate() {
        npz.add_array(format!("w{i}"), weight)?;
        npz.add_array(format!("b{i}"), bias)?;
    }
    npz.add_array("x", &inputs.x)?;
    npz.add_array("u", &inputs.u)?;
    npz.finish()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Reads inputs written by [`write_inputs`].
///
/// # Errors
/// Fails when the file is missing or lacks an array.
pub fn read_inputs(path: &Path) -> anyhow::Result<Inputs> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut npz = NpzReader::new(file).with_context(|| format!("reading {}", path.display()))?;
    let names = npz.names()?;
    let layer_count = names.iter().filter(|name| name.starts_with('w')).count();
    let mut layers = Vec::with_capacity(layer_count);
    for i in 0..layer_count {
        let weight: Array2<f32> = npz.by_name(&format!("w{i}"))?;
        let bias: Array1<f32> = npz.by_name(&format!("b{i}"))?;
        layers.push((weight, bias));
    }
    Ok(Inputs {
        weights: Weights { layers },
        x: npz.by_name("x")?,
        u: npz.by_name("u")?,
    })
}

/// Writes one `[K, N, m]` jet per tap to `path`.
///
/// # Errors
/// Fails when the file cannot be written.
pub fn write_jets(path: &Path, jets: &[Array3<f32>]) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut npz = NpzWriter::new(file);
    for (i, jet) in jets.iter().enumerate() {
        npz.add_array(format!("tap{i}"), jet)?;
    }
    npz.finish()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Reads `count` jets written by [`write_jets`] or by a Python peer.
///
/// # Errors
/// Fails when the file is missing or lacks a tap.
pub fn read_jets(path: &Path, count: usize) -> anyhow::Result<Vec<Array3<f32>>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut npz = NpzReader::new(file).with_context(|| format!("reading {}", path.display()))?;
    (0..count)
        .map(|i| {
            npz.by_name(&format!("tap{i}"))
                .with_context(|| format!("reading tap{i} from {}", path.display()))
        })
        .collect()
}

/// Returns the largest relative difference over taps, `‖a − b‖∞ / ‖b‖∞` per
/// tap, with `reference` as `b`.
///
/// # Errors
/// Fails when the two lists differ in length or a tap differs in shape.
pub fn max_relative_difference(
    jets: &[Array3<f32>],
    reference: &[Array3<f32>],
) -> anyhow::Result<f64> {
    anyhow::ensure!(
        jets.len() == reference.len(),
        "{} taps compared with {} reference taps",
        jets.len(),
        reference.len()
    );
    let mut largest = 0.0f64;
    for (i, (jet, expected)) in jets.iter().zip(reference).enumerate() {
        anyhow::ensure!(
            jet.dim() == expected.dim(),
            "tap{i}: shape {:?}, expected {:?}",
            jet.dim(),
            expected.dim()
        );
        let scale = expected.iter().fold(0.0f64, |m, v| m.max(v.abs() as f64));
        let difference = jet
            .iter()
            .zip(expected)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs() as f64));
        // A NaN anywhere makes the difference NaN, which fails every check.
        if jet.iter().any(|v| v.is_nan()) {
            return Ok(f64::NAN);
        }
        largest = largest.max(difference / scale.max(f64::MIN_POSITIVE));
    }
    Ok(largest)
}
