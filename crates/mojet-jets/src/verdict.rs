//! Verdicts: whether two risk-equivalent decompositions are identifiable, a
//! mirage under a design, or distinguishable by it.

use serde::{Deserialize, Serialize};

/// Default tolerance `τ` on a relative jet discrepancy modulo a group.
pub const DEFAULT_QUOTIENT_TOLERANCE: f64 = 0.05;

/// Default tolerance on the relative risk gap for two pipelines to count as
/// risk-equivalent.
pub const DEFAULT_RISK_TOLERANCE: f64 = 0.05;

/// Default relative SVD cut of the quotient solvers and alignments: jets from
/// an `f32` backend carry relative errors near `1e-7`, so singular values
/// below `1e-6` of the largest are treated as zero.
pub const DEFAULT_RANK_TOLERANCE: f64 = 1e-6;

/// The tolerances a diagnosis uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tolerances {
    /// `τ`: jets whose relative discrepancy modulo the tap's group exceeds it
    /// differ.
    pub quotient: f64,
    /// Relative risk gap `|R_a − R_b| / max(R_a, R_b)` below which two
    /// pipelines are risk-equivalent.
    pub risk: f64,
    /// Relative SVD cut below which singular values count as zero.
    pub rank: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Self {
            quotient: DEFAULT_QUOTIENT_TOLERANCE,
            risk: DEFAULT_RISK_TOLERANCE,
            rank: DEFAULT_RANK_TOLERANCE,
        }
    }
}

/// The verdict on one tap of one pair of pipelines under one design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The full jets (every input direction) agree modulo the group: the
    /// decomposition is pinned down.
    Identifiable,
    /// The full jets differ modulo the group but the jets along this design
    /// do not: the design cannot see the difference.
    Mirage,
    /// The jets along this design differ modulo the group.
    Distinguishable,
}

impl Verdict {
    /// Decides from the discrepancy of the full jets and of the design's
    /// jets, both modulo the same group.
    pub fn decide(full: f64, design: f64, tolerance: f64) -> Self {
        if full <= tolerance {
            Verdict::Identifiable
        } else if design <= tolerance {
            Verdict::Mirage
        } else {
            Verdict::Distinguishable
        }
    }

    /// Returns the name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Identifiable => "identifiable",
            Verdict::Mirage => "mirage",
            Verdict::Distinguishable => "distinguishable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreeing_full_jets_are_identifiable() {
        assert_eq!(Verdict::decide(0.01, 0.01, 0.05), Verdict::Identifiable);
    }

    #[test]
    fn blind_design_is_mirage() {
        assert_eq!(Verdict::decide(0.5, 0.01, 0.05), Verdict::Mirage);
    }

    #[test]
    fn seeing_design_distinguishes() {
        assert_eq!(Verdict::decide(0.5, 0.3, 0.05), Verdict::Distinguishable);
    }
}
