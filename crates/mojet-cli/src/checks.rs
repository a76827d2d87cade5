//! Checks of command-line values that clap's types cannot express, run before
//! any work starts, so a bad flag costs no training or jet estimate.

use std::path::Path;

use mojet_models::io::remove_stale_temporaries;
use tracing::info;

use crate::failure::Failure;
use crate::jets::EstimateArgs;

/// Checks the options shared by `jets` and `diagnose`.
///
/// # Errors
/// [`Failure::Input`] naming the flag, its value and the fix.
pub fn check_estimate(args: &EstimateArgs) -> Result<(), Failure> {
    if args.points == 0 {
        return Err(invalid_flag("--points", "0", "use 1 or more base points"));
    }
    if args.k == Some(0) {
        return Err(invalid_flag(
            "--k",
            "0",
            "use 1 or more directions per base point",
        ));
    }
    if let Some(epsilon) = args.epsilon
        && !(epsilon > 0.0 && epsilon.is_finite())
    {
        return Err(invalid_flag(
            "--epsilon",
            &epsilon.to_string(),
            "use a positive finite step such as 0.01",
        ));
    }
    if args.samples == Some(0) {
        return Err(invalid_flag(
            "--samples",
            "0",
            "use 1 or more perturbations per base point, or leave it unset for 2K",
        ));
    }
    if let (Some(samples), Some(k)) = (args.samples, args.k)
        && samples < k
    {
        return Err(invalid_flag(
            "--samples",
            &samples.to_string(),
            &format!(
                "use --samples {k} or more (least squares needs at least K = {k} perturbations per base point), or leave it unset for 2K"
            ),
        ));
    }
    if args.tangent_dim == Some(0) {
        return Err(invalid_flag(
            "--tangent-dim",
            "0",
            "use 1 or more tangent directions, or leave it unset for K",
        ));
    }
    if args.neighbours == Some(0) {
        return Err(invalid_flag(
            "--neighbours",
            "0",
            "use 2 or more neighbours",
        ));
    }
    Ok(())
}

/// Checks that a tolerance is a positive finite number.
///
/// # Errors
/// [`Failure::Input`] naming the flag and the value.
pub fn check_tolerance(flag: &str, value: f64) -> Result<(), Failure> {
    if value > 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(invalid_flag(
            flag,
            &value.to_string(),
            "use a small positive number such as 0.05",
        ))
    }
}

fn invalid_flag(flag: &str, value: &str, fix: &str) -> Failure {
    Failure::Input(format!("{flag} {value} is invalid; {fix}"))
}

/// Creates the output directory `dir`, checks that files can be written in
/// it, and removes the temporary files an interrupted run left there.
///
/// # Errors
/// [`Failure::Input`] naming the directory and the fix.
pub fn prepare_out_dir(dir: &Path) -> Result<(), Failure> {
    let unwritable = |err: std::io::Error| {
        Failure::Input(format!(
            "{}: cannot write the output directory: {err}; pass a writable directory to --out",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let probe = dir.join(format!(".mojet-probe.{}.tmp", std::process::id()));
    std::fs::File::create(&probe).map_err(unwritable)?;
    let _ = std::fs::remove_file(&probe);
    let removed = remove_stale_temporaries(dir).map_err(unwritable)?;
    if removed > 0 {
        info!(
            "{}: removed {removed} temporary files of an interrupted run",
            dir.display()
        );
    }
    Ok(())
}

/// Prepares the directory of an output file, as [`prepare_out_dir`] does.
///
/// # Errors
/// [`Failure::Input`] naming the directory and the fix.
pub fn prepare_out_file(file: &Path) -> Result<(), Failure> {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => prepare_out_dir(parent),
        _ => prepare_out_dir(Path::new(".")),
    }
}
