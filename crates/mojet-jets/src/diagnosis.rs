//! Pairwise diagnosis of candidate pipelines: risk gap, output-jet
//! discrepancy, tap-jet discrepancies raw and modulo each symmetry group,
//! alignment of jet row spaces, and the verdict per tap and design.

use std::collections::BTreeMap;

use mojet_models::Risk;
use nalgebra::DMatrix;
use serde::Serialize;

use crate::alignment::{Alignment, row_space_alignment};
use crate::design::DesignKind;
use crate::jet::TapJet;
use crate::quotient::{Group, fit_quotient};
use crate::verdict::{Tolerances, Verdict};

/// One candidate pipeline with its jets under every design.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Name shown in reports (usually the model directory).
    pub name: String,
    /// Test risk.
    pub risk: Risk,
    /// Symmetry group of each tap, in tap order.
    pub groups: Vec<Group>,
    /// Jets of every tap, per design; must include [`DesignKind::Coordinate`].
    pub jets: Vec<(DesignKind, Vec<TapJet>)>,
}

/// The comparison of one tap of a pair under one design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TapReport {
    /// Tap name.
    pub tap: String,
    /// Design name.
    pub design: String,
    /// Relative discrepancy in the tap's own coordinates; `None` when the
    /// widths differ.
    pub raw: Option<f64>,
    /// Group name to relative discrepancy modulo that group, for every group
    /// that applies to the two widths.
    pub quotients: BTreeMap<String, f64>,
    /// Group the verdict is taken modulo.
    pub group: String,
    /// Rank of `M'` the general-linear solver kept, when that group applies.
    pub general_linear_rank: Option<usize>,
    /// Principal-angle alignment of the two jets' row spaces; `None` when
    /// either jet vanishes.
    pub alignment: Option<Alignment>,
    /// The verdict under this design.
    pub verdict: Verdict,
}

/// The comparison of a pair of pipelines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReport {
    /// First pipeline.
    pub a: String,
    /// Second pipeline.
    pub b: String,
    /// Test risk of `a`.
    pub risk_a: Risk,
    /// Test risk of `b`.
    pub risk_b: Risk,
    /// `|R_a − R_b|` of the test loss.
    pub risk_gap: f64,
    /// `risk_gap` over the larger of the two losses, the value the risk
    /// tolerance applies to.
    pub relative_risk_gap: f64,
    /// Whether the relative risk gap is within the risk tolerance.
    pub risk_equivalent: bool,
    /// `||J_f − J_f'||_F / ||J_f||_F` of the full output Jacobians, averaged
    /// over base points.
    pub output_jet: f64,
    /// One entry per tap and design.
    pub taps: Vec<TapReport>,
}

/// Compares two candidates tap by tap and design by design.
///
/// # Panics
/// If the candidates have different taps or designs, or no coordinate
/// design.
pub fn compare(a: &Candidate, b: &Candidate, tolerances: &Tolerances) -> PairReport {
    let full_a = coordinate_jets(a);
    let full_b = coordinate_jets(b);
    let output_jet = mean_relative_difference(
        full_a.last().expect("a pipeline has an output tap"),
        full_b.last().expect("a pipeline has an output tap"),
    );

    let mut taps = Vec::new();
    for ((design, jets_a), (design_b, jets_b)) in a.jets.iter().zip(&b.jets) {
        assert_eq!(
            design, design_b,
            "candidates list designs in the same order"
        );
        for (l, (jet_a, jet_b)) in jets_a.iter().zip(jets_b).enumerate() {
            let group = a.groups[l];
            let full = quotient_or_zero(
                &full_a[l].stacked(),
                &full_b[l].stacked(),
                group,
                tolerances.rank,
            );
            taps.push(compare_tap(jet_a, jet_b, *design, group, full, tolerances));
        }
    }

    let gap = (a.risk.loss - b.risk.loss).abs();
    let scale = a.risk.loss.abs().max(b.risk.loss.abs());
    PairReport {
        a: a.name.clone(),
        b: b.name.clone(),
        risk_a: a.risk,
        risk_b: b.risk,
        risk_gap: gap,
        relative_risk_gap: if scale == 0.0 { 0.0 } else { gap / scale },
        risk_equivalent: scale == 0.0 || gap / scale <= tolerances.risk,
        output_jet,
        taps,
    }
}

fn compare_tap(
    a: &TapJet,
    b: &TapJet,
    design: DesignKind,
    group: Group,
    full: f64,
    tolerances: &Tolerances,
) -> TapReport {
    let (m_a, m_b) = (a.stacked(), b.stacked());
    let rank_tolerance = tolerances.rank;
    let quotients: BTreeMap<String, f64> = Group::ALL
        .iter()
        .filter(|g| g.applies_to(m_a.nrows(), m_b.nrows()))
        .map(|g| {
            (
                g.name().to_string(),
                quotient_or_zero(&m_a, &m_b, *g, rank_tolerance),
            )
        })
        .collect();
    let under_design = quotient_or_zero(&m_a, &m_b, group, rank_tolerance);
    let general_linear_rank = fit_quotient(Group::GeneralLinear, &m_a, &m_b, rank_tolerance)
        .ok()
        .and_then(|fit| fit.rank);
    TapReport {
        tap: a.tap.clone(),
        design: design.name().to_string(),
        raw: quotients.get(Group::Identity.name()).copied(),
        group: group.name().to_string(),
        general_linear_rank,
        alignment: row_space_alignment(&m_a, &m_b, rank_tolerance).ok(),
        verdict: Verdict::decide(full, under_design, tolerances.quotient),
        quotients,
    }
}

fn coordinate_jets(candidate: &Candidate) -> &[TapJet] {
    candidate
        .jets
        .iter()
        .find(|(design, _)| *design == DesignKind::Coordinate)
        .map(|(_, jets)| jets.as_slice())
        .expect("a diagnosis includes the coordinate design")
}

/// The discrepancy modulo `group`; a tap whose jet is zero in `a` (a constant
/// tap) counts as agreeing only when `b` is zero too.
fn quotient_or_zero(a: &DMatrix<f64>, b: &DMatrix<f64>, group: Group, rank_tolerance: f64) -> f64 {
    match fit_quotient(group, a, b, rank_tolerance) {
        Ok(fit) => fit.discrepancy,
        Err(_) if a.norm() == 0.0 && b.norm() == 0.0 => 0.0,
        Err(_) => f64::INFINITY,
    }
}

fn mean_relative_difference(a: &TapJet, b: &TapJet) -> f64 {
    let total: f64 = a
        .values
        .iter()
        .zip(&b.values)
        .map(|(x, y)| {
            let scale = x.norm();
            if scale > 0.0 {
                (x - y).norm() / scale
            } else {
                y.norm()
            }
        })
        .sum();
    total / a.values.len().max(1) as f64
}
