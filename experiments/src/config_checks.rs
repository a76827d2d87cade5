//! Checks shared by the configs of the linear, deep regression and
//! classification reproductions.

use std::path::Path;

use mojet_models::config::ConfigError;
use mojet_models::train::TrainConfig;

/// Converts a TOML error into [`ConfigError::Invalid`] with the 1-based line
/// and column of the offending value, as run configs report it.
pub fn invalid_toml(path: &Path, text: &str, err: &toml::de::Error) -> ConfigError {
    let offset = err.span().map_or(0, |span| span.start.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    ConfigError::Invalid {
        path: path.display().to_string(),
        line,
        column,
        message: err.message().replace('\n', " "),
    }
}

/// Checks that an ensemble has at least two distinct seeds.
///
/// # Errors
/// The fix to print.
pub fn check_seeds(seeds: &[u64]) -> Result<(), String> {
    let mut sorted = seeds.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if seeds.len() < 2 {
        return Err("list at least two seeds, since an ensemble is compared pair by pair".into());
    }
    if sorted.len() != seeds.len() {
        return Err("list each seed once".into());
    }
    Ok(())
}

/// Checks a training table: a positive learning rate and epoch count, and
/// no early stopping.
///
/// # Errors
/// The key, the value and the fix.
pub fn check_training(train: &TrainConfig, table: &str) -> Result<(), (String, String, String)> {
    if !(train.learning_rate > 0.0 && train.learning_rate.is_finite()) {
        return Err((
            format!("{table} learning_rate"),
            train.learning_rate.to_string(),
            "use a positive number such as 0.01".to_string(),
        ));
    }
    if train.epochs == 0 {
        return Err((
            format!("{table} epochs"),
            "0".to_string(),
            "use a positive integer".to_string(),
        ));
    }
    if train.early_stopping {
        return Err((
            format!("{table} early_stopping"),
            "true".to_string(),
            "set it to false: the seeds are compared after the same number of epochs, and early stopping would keep a seed-dependent point of each training path".to_string(),
        ));
    }
    Ok(())
}
