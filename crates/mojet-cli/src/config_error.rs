//! Config errors as the command line reports them: the TOML parser's message
//! names the position and the problem, and this adds what to change.

use mojet_models::config::ConfigError;

use crate::failure::Failure;

/// Turns a config error into an input failure, appending a fix to parser
/// messages that lack one.
pub fn config_failure(err: ConfigError) -> Failure {
    match &err {
        ConfigError::Invalid { message, .. } => Failure::Input(format!(
            "{}; {}",
            plain_types(&err.to_string()),
            fix_for(message)
        )),
        _ => Failure::input(err),
    }
}

/// Replaces Rust's numeric type names in the parser's message with the words
/// a config author uses.
fn plain_types(message: &str) -> String {
    let words = [
        ("expected usize", "expected a non-negative integer"),
        ("expected u64", "expected a non-negative integer"),
        ("expected u32", "expected a non-negative integer"),
        ("expected u8", "expected a non-negative integer"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
    ];
    words
        .iter()
        .fold(message.to_string(), |text, (rust, plain)| {
            text.replace(rust, plain)
        })
}

/// Returns what to change for a TOML parser message.
fn fix_for(message: &str) -> &'static str {
    let unsigned = [
        "expected usize",
        "expected u64",
        "expected u32",
        "expected u8",
    ];
    if message.starts_with("unknown field") {
        "remove the key or correct its spelling"
    } else if message.starts_with("unknown variant") {
        "use one of the expected values"
    } else if message.starts_with("missing field") {
        "add the key"
    } else if unsigned.iter().any(|name| message.contains(name)) {
        "change the value to a whole number such as 3"
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        "change the value to the expected type"
    } else {
        "fix the TOML syntax at that position"
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use mojet_models::config::RunConfig;

    use super::*;

    fn message(text: &str) -> String {
        match config_failure(RunConfig::parse(text, Path::new("run.toml")).unwrap_err()) {
            Failure::Input(message) => message,
            Failure::Runtime(message) => panic!("not an input failure: {message}"),
        }
    }

    #[test]
    fn negative_width_asks_for_unsigned() {
        let text =
            "[data]\npath = \"d.csv\"\ntargets = [\"y\"]\n[model]\nkind = \"linear\"\nwidth = -1\n";
        assert_eq!(
            message(text),
            "run.toml:6:9: invalid value: integer `-1`, expected a non-negative integer; change the value to a whole number such as 3"
        );
    }

    #[test]
    fn syntax_error_asks_for_syntax_fix() {
        let text = "[data\n";
        assert!(
            message(text).ends_with("; fix the TOML syntax at that position"),
            "{}",
            message(text)
        );
    }
}
