//! The table `mojet diagnose` prints.

use mojet_jets::Tolerances;
use mojet_jets::diagnosis::PairReport;
use mojet_models::Task;

/// Prints one block per pair: risks, output-jet discrepancy, then one row per
/// tap and design.
pub fn print_pairs(pairs: &[PairReport], task: Task, tolerances: &Tolerances) {
    println!(
        "tolerance τ = {} on jet discrepancies, {} on the relative risk gap",
        tolerances.quotient, tolerances.risk
    );
    for pair in pairs {
        println!();
        println!(
            "{} vs {}: test {} {:.5} vs {:.5} (relative gap {:.2e}{}), {} {:.4} vs {:.4}, output jet {:.3e}",
            pair.a,
            pair.b,
            task.loss_name(),
            pair.risk_a.loss,
            pair.risk_b.loss,
            pair.relative_risk_gap,
            if pair.risk_equivalent {
                ", risk-equivalent"
            } else {
                ""
            },
            task.score_name(),
            pair.risk_a.score,
            pair.risk_b.score,
            pair.output_jet
        );
        println!(
            "  {:<12} {:<11} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>18}  {:<16}",
            "tap",
            "design",
            "raw",
            "perm",
            "±perm",
            "perm-scale",
            "orth",
            "GL",
            "verdict modulo",
            "verdict"
        );
        for tap in &pair.taps {
            let cell = |group: &str| {
                tap.quotients
                    .get(group)
                    .map_or("-".to_string(), |v| format!("{v:.3e}"))
            };
            println!(
                "  {:<12} {:<11} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>18}  {:<16}",
                tap.tap,
                tap.design,
                tap.raw.map_or("-".to_string(), |v| format!("{v:.3e}")),
                cell("permutation"),
                cell("signed-permutation"),
                cell("permutation-scale"),
                cell("orthogonal"),
                cell("general-linear"),
                tap.group,
                tap.verdict.name()
            );
        }
    }
}
