//! Random and mutated inputs to the CSV and config loaders: each must return
//! a value or an error, never panic. A few hundred cases per loader keep the
//! run within seconds.

use std::path::Path;

use mojet_models::config::RunConfig;
use mojet_models::data::read_csv;
use mojet_models::prepared::PreparedData;
use proptest::prelude::*;

const CASES: u32 = 256;

const CONFIG: &str = r#"backend = "ndarray"
[data]
path = "data.csv"
targets = ["y"]
valid_fraction = 0.2
test_fraction = 0.2
[model]
kind = "linear"
width = 2
[train]
learning_rate = 0.01
epochs = 5
"#;

/// Cells a CSV row may contain, bad ones included.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-1e3f64..1e3).prop_map(|v| v.to_string()),
        1 => Just(String::new()),
        1 => Just("NaN".to_string()),
        1 => Just("-inf".to_string()),
        1 => Just("1e999".to_string()),
        1 => Just("\"3,5\"".to_string()),
        1 => Just("\"unclosed".to_string()),
        1 => "[a-z ]{1,4}",
    ]
}

/// Generates a header of some of the names a, b, y (possibly repeated) and
/// rows of varying length.
fn csv_text() -> impl Strategy<Value = String> {
    let header = prop::collection::vec(prop::sample::select(vec!["a", "b", "y", ""]), 0..5);
    let row = prop::collection::vec(cell(), 0..5);
    (header, prop::collection::vec(row, 0..12)).prop_map(|(header, rows)| {
        let mut text = header.join(",");
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text
    })
}

fn data_config() -> mojet_models::config::DataConfig {
    RunConfig::parse(CONFIG, Path::new("fuzz.toml"))
        .expect("the base config is valid")
        .data
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn csv_loader_never_panics(text in csv_text()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, &text).unwrap();
        match read_csv(&path, None, &["y".to_string()]) {
            Ok(table) => {
                // Splitting and standardising the rows must not panic either.
                if let Err(err) = PreparedData::from_table(table, &data_config()) {
                    prop_assert!(!err.to_string().contains('\n'), "{err}");
                }
            }
            Err(err) => {
                let message = err.to_string();
                prop_assert!(message.starts_with(&path.display().to_string()), "{message}");
                prop_assert!(!message.contains('\n'), "{message}");
            }
        }
    }

    #[test]
    fn csv_loader_takes_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(err) = read_csv(&path, None, &["y".to_string()]) {
            prop_assert!(!err.to_string().contains('\n'), "{err}");
        }
    }

    #[test]
    fn config_parser_takes_mutated_values(
        line in 0usize..13,
        value in prop_oneof![
            Just("-1".to_string()),
            Just("0".to_string()),
            Just("nan".to_string()),
            Just("inf".to_string()),
            Just("1e400".to_string()),
            Just("\"\"".to_string()),
            Just("[".to_string()),
            Just("{}".to_string()),
            Just("18446744073709551616".to_string()),
            "[a-z0-9\"\\[\\]=.,-]{0,8}",
        ],
    ) {
        let text: String = CONFIG
            .lines()
            .enumerate()
            .map(|(i, text)| match text.split_once(" = ") {
                Some((key, _)) if i == line => format!("{key} = {value}\n"),
                _ => format!("{text}\n"),
            })
            .collect();
        if let Err(err) = RunConfig::parse(&text, Path::new("fuzz.toml")) {
            let message = err.to_string();
            prop_assert!(message.starts_with("fuzz.toml"), "{message}");
            prop_assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn config_parser_takes_arbitrary_text(text in "[\\PC\n]{0,300}") {
        if let Err(err) = RunConfig::parse(&text, Path::new("fuzz.toml")) {
            prop_assert!(err.to_string().starts_with("fuzz.toml"), "{err}");
        }
    }
}
