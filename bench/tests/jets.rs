//! The benchmark's mojet jets on a tiny case, checked against central
//! differences of the same MLP written in plain `f64` ndarray code, so that
//! the check needs neither Python nor a second autodiff engine.

use burn::backend::NdArray;
use mojet_bench::config::{Case, SEED, seeded_inputs};
use mojet_bench::files::max_relative_difference;
use mojet_bench::jets::{jets, lifted_model};
use mojet_bench::model::Weights;
use ndarray::{Array1, Array2, Array3, Axis};

/// Returns every tap of the MLP at one point, in `f64`.
fn taps_f64(weights: &Weights, x: &Array1<f64>) -> Vec<Array1<f64>> {
    let mut taps = Vec::new();
    let mut h = x.clone();
    let last = weights.layers.len() - 1;
    for (i, (weight, bias)) in weights.layers.iter().enumerate() {
        h = h.dot(&weight.mapv(f64::from)) + bias.mapv(f64::from);
        if i < last {
            h.mapv_inplace(f64::tanh);
        }
        taps.push(h.clone());
    }
    taps
}

/// Returns the jets `[K, N, m]` of every tap by central differences.
fn central_differences(weights: &Weights, x: &Array2<f32>, u: &Array3<f32>) -> Vec<Array3<f32>> {
    let step = 1e-5;
    let (directions, points, _) = u.dim();
    let widths: Vec<usize> = weights.layers.iter().map(|(w, _)| w.ncols()).collect();
    let mut jets: Vec<Array3<f32>> = widths
        .iter()
        .map(|&m| Array3::zeros((directions, points, m)))
        .collect();
    for n in 0..points {
        let point = x.index_axis(Axis(0), n).mapv(f64::from);
        for k in 0..directions {
            let direction = u
                .index_axis(Axis(0), k)
                .index_axis(Axis(0), n)
                .mapv(f64::from);
            let ahead = taps_f64(weights, &(&point + &(&direction * step)));
            let behind = taps_f64(weights, &(&point - &(&direction * step)));
            for (jet, (a, b)) in jets.iter_mut().zip(ahead.iter().zip(&behind)) {
                let slope = (a - b) / (2.0 * step);
                jet.index_axis_mut(Axis(0), k)
                    .index_axis_mut(Axis(0), n)
                    .assign(&slope.mapv(|v| v as f32));
            }
        }
    }
    jets
}

#[test]
fn jets_match_central_differences() {
    let case = Case::preset("tiny").expect("the tiny preset exists");
    let weights = Weights::seeded(&case.architecture, SEED);
    let (x, u) = seeded_inputs(
        SEED + 1,
        case.points,
        case.directions,
        case.architecture.input,
    );
    let device = Default::default();
    let model = lifted_model::<NdArray<f32>>(&weights, &device).expect("the MLP lifts");

    let computed = jets(&model, x.view(), u.view(), case.points, &device).expect("jets");
    let expected = central_differences(&weights, &x, &u);

    assert_eq!(computed.len(), case.architecture.taps().len());
    let difference = max_relative_difference(&computed, &expected).expect("same shapes");
    assert!(difference < 1e-4, "relative difference {difference:.2e}");
}

#[test]
fn chunked_jets_equal_one_pass() {
    let case = Case::preset("tiny").expect("the tiny preset exists");
    let weights = Weights::seeded(&case.architecture, SEED);
    let (x, u) = seeded_inputs(SEED + 1, 5, case.directions, case.architecture.input);
    let device = Default::default();
    let model = lifted_model::<NdArray<f32>>(&weights, &device).expect("the MLP lifts");

    let whole = jets(&model, x.view(), u.view(), 5, &device).expect("jets");
    let chunked = jets(&model, x.view(), u.view(), 2, &device).expect("chunked jets");

    let difference = max_relative_difference(&chunked, &whole).expect("same shapes");
    assert!(difference < 1e-6, "relative difference {difference:.2e}");
}

#[test]
fn relative_difference_flags_a_changed_value() {
    let reference = vec![Array3::from_elem((1, 2, 2), 2.0f32)];
    let mut changed = reference.clone();
    changed[0][[0, 1, 1]] = 2.5;

    let difference = max_relative_difference(&changed, &reference).expect("same shapes");

    assert!((difference - 0.25).abs() < 1e-12, "difference {difference}");
}
