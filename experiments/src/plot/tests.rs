//! Rendering tests: every chart is saved to a temporary directory and the
//! three files are checked.

use std::fs;
use std::path::Path;

use super::*;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn log_line_chart() -> LineChart {
    let mut chart = LineChart::new("Residual by width", "width K (units)", "residual (nats)");
    chart.x_scale = Scale::Log;
    chart.y_scale = Scale::Log;
    chart.series.push(Series::new(
        "shallow model",
        vec![(1.0, 0.5), (10.0, 0.02), (100.0, 1e-5), (1000.0, 0.0)],
        SeriesStyle::LineAndMarkers,
    ));
    chart.series.push(Series::new(
        "deep model",
        vec![(1.0, 0.8), (10.0, f64::NAN), (100.0, 3e-4), (1000.0, 2e-6)],
        SeriesStyle::Markers,
    ));
    chart.series.push(Series::new(
        "bound",
        vec![(1.0, 1.0), (1000.0, 1e-6)],
        SeriesStyle::Dashed,
    ));
    chart
        .references
        .push(ReferenceLine::horizontal(1e-4, "tolerance τ = 1e-4"));
    chart
        .references
        .push(ReferenceLine::vertical(64.0, "K = d"));
    chart
}

fn log_bar_chart() -> BarChart {
    let categories = (1..=5).map(|i| format!("PC{i}")).collect();
    let mut chart = BarChart::new(
        "Alignment per principal direction",
        "principal direction (by explained variance)",
        "alignment |cos θ|",
        categories,
    );
    chart.y_scale = Scale::Log;
    chart
        .series
        .push(BarSeries::new("model A", vec![0.9, 0.5, 0.1, 0.01, 0.0]));
    chart
        .series
        .push(BarSeries::new("model B", vec![0.7, 0.6, 0.3, 0.05, 0.002]));
    chart
        .references
        .push(ReferenceLine::horizontal(0.05, "chance level"));
    chart
}

/// Returns `(width, height)` from the IHDR chunk after checking the PNG
/// signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(bytes[..8], PNG_SIGNATURE, "missing PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is not IHDR");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

fn assert_png(path: &Path) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(png_size(&bytes), FIGURE_SIZE);
    assert_eq!(
        &bytes[bytes.len() - 8..bytes.len() - 4],
        b"IEND",
        "PNG is truncated"
    );
}

fn assert_no_temporary_files(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(!name.contains(".tmp"), "temporary file left behind: {name}");
    }
}

fn csv_rows(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[test]
fn line_chart_log_axes_saves_three_files() {
    let dir = tempfile::tempdir().unwrap();
    let chart = log_line_chart();
    let figure = chart.save(&dir.path().join("residual")).unwrap();

    assert_eq!(figure.png, dir.path().join("residual.png"));
    assert_png(&figure.png);

    let svg = fs::read_to_string(&figure.svg).unwrap();
    for text in [
        "Residual by width",
        "width K (units)",
        "residual (nats)",
        "tolerance τ = 1e-4",
        "K = d",
    ] {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }
    for series in &chart.series {
        assert!(
            svg.contains(&series.name),
            "SVG lacks series {:?}",
            series.name
        );
    }
    assert!(svg.contains(r#"font-family="sans-serif""#));

    let (header, rows) = csv_rows(&figure.csv);
    assert_eq!(header, vec!["series", "x", "y"]);
    let points: usize = chart.series.iter().map(|s| s.points.len()).sum();
    assert_eq!(rows.len(), points + chart.references.len());
    assert_eq!(rows[3], vec!["shallow model", "1000.0", "0.0"]);
    assert_eq!(rows[5], vec!["deep model", "10.0", "NaN"]);
    assert_eq!(rows[points], vec!["tolerance τ = 1e-4", "", "0.0001"]);
    assert_eq!(rows[points + 1], vec!["K = d", "64.0", ""]);
    assert_eq!(rows[2], vec!["shallow model", "100.0", "1e-5"]);

    assert_no_temporary_files(dir.path());
}

#[test]
fn bar_chart_log_axis_saves_three_files() {
    let dir = tempfile::tempdir().unwrap();
    let chart = log_bar_chart();
    let figure = chart.save(&dir.path().join("alignment")).unwrap();

    assert_png(&figure.png);

    let svg = fs::read_to_string(&figure.svg).unwrap();
    let expected = [
        chart.title.as_str(),
        &chart.x_label,
        &chart.y_label,
        "model A",
        "model B",
        "PC1",
        "PC5",
    ];
    for text in expected {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }

    let (header, rows) = csv_rows(&figure.csv);
    assert_eq!(header, vec!["category", "series", "value"]);
    assert_eq!(rows.len(), 2 * 5 + 1);
    assert_eq!(rows[0], vec!["PC1", "model A", "0.9"]);
    assert_eq!(rows[9], vec!["PC5", "model B", "0.002"]);
    assert_eq!(rows[10], vec!["", "chance level", "0.05"]);

    assert_no_temporary_files(dir.path());
}

#[test]
fn bar_chart_linear_axis_with_negative_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_bar_chart();
    chart.y_scale = Scale::Linear;
    chart.series[1].values[4] = -0.2;
    let figure = chart.save(&dir.path().join("signed")).unwrap();
    assert_png(&figure.png);
}

#[test]
fn stem_with_dot_keeps_full_name() {
    let dir = tempfile::tempdir().unwrap();
    let figure = log_line_chart()
        .save(&dir.path().join("width_1.5"))
        .unwrap();
    assert_eq!(figure.svg, dir.path().join("width_1.5.svg"));
    assert!(figure.csv.is_file());
}

#[test]
fn save_into_missing_directory_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_dir");
    let err = log_line_chart()
        .save(&missing.join("residual"))
        .unwrap_err();

    assert!(matches!(err, PlotError::MissingDirectory { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn save_over_existing_figure_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("residual");
    let mut chart = log_line_chart();
    chart.save(&stem).unwrap();
    chart.series.truncate(1);
    let figure = chart.save(&stem).unwrap();

    let (_, rows) = csv_rows(&figure.csv);
    assert_eq!(rows.len(), 4 + 2);
    assert_no_temporary_files(dir.path());
}

fn invalid_reason(result: Result<Figure, PlotError>) -> String {
    match result {
        Err(PlotError::InvalidChart { reason, .. }) => reason,
        other => panic!("expected InvalidChart, got {other:?}"),
    }
}

#[test]
fn empty_axis_label_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_line_chart();
    chart.y_label = " ".to_string();
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert_eq!(
        reason,
        "the y axis label is empty; name the quantity and its units"
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn log_axis_without_positive_value_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = LineChart::new("t", "x (s)", "y (m)");
    chart.y_scale = Scale::Log;
    chart.series.push(Series::new(
        "zeros",
        vec![(1.0, 0.0), (2.0, -1.0)],
        SeriesStyle::Line,
    ));
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert_eq!(
        reason,
        "y axis: a log axis needs at least one positive value"
    );
}

#[test]
fn duplicate_series_name_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_line_chart();
    chart.series[1].name = chart.series[0].name.clone();
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert_eq!(reason, "series name \"shallow model\" is used twice");
}

#[test]
fn bar_series_length_mismatch_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_bar_chart();
    chart.series[0].values.pop();
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert_eq!(reason, "series \"model A\" has 4 values for 5 categories");
}

#[test]
fn bar_vertical_reference_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_bar_chart();
    chart.references.push(ReferenceLine::vertical(1.0, "K = d"));
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert_eq!(
        reason,
        "vertical reference line \"K = d\" is not supported on a bar chart"
    );
}

#[test]
fn stem_without_file_name_is_rejected() {
    let err = log_line_chart().save(Path::new("/")).unwrap_err();
    assert!(matches!(err, PlotError::InvalidStem { .. }), "{err:?}");
}

#[test]
fn bar_y_max_sets_axis_top() {
    use super::output::Render;
    let mut chart = log_bar_chart();
    chart.y_max = Some(10.0);
    assert_eq!(chart.layout().unwrap().hi, 10.0);
}

#[test]
fn bar_y_max_below_axis_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut chart = log_bar_chart();
    chart.y_max = Some(0.0);
    let reason = invalid_reason(chart.save(&dir.path().join("f")));
    assert!(
        reason.starts_with("y_max = 0 is not above the bottom of the y axis"),
        "{reason}"
    );
}
