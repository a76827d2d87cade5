//! Records the burn version this binary is linked against, read from the
//! workspace's Cargo.lock, so `run.json` can name it.

use std::path::Path;

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let version = std::fs::read_to_string(&lock)
        .ok()
        .and_then(|text| burn_version(&text))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=MOJET_BURN_VERSION={version}");
}

/// Returns the version of the `burn` package in Cargo.lock text.
fn burn_version(lock: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"burn\"" {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_string());
        }
    }
    None
}
