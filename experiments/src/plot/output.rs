//! Writing a chart as PNG, SVG and CSV, each through a temporary file and a
//! rename.

use std::ffi::OsStr;
use std::fmt::Display;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use mojet_models::io::{temporary_sibling, write_atomic};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::raster::RasterBackend;
use super::{FIGURE_SIZE, Figure, PlotError, font};

/// A chart that can be validated, drawn on any plotters backend and listed
/// as CSV.
pub(crate) trait Render {
    /// Axis ranges and anything else computed once before drawing.
    type Layout;

    /// Returns the chart title, for error messages.
    fn title(&self) -> &str;

    /// Validates the chart and computes its layout, or returns the reason it
    /// cannot be drawn.
    fn layout(&self) -> Result<Self::Layout, String>;

    /// Encodes the data behind the chart as CSV with a header row.
    fn csv(&self) -> Result<Vec<u8>, csv::Error>;

    /// Draws the whole chart onto `root`.
    fn render<DB: DrawingBackend>(
        &self,
        layout: &Self::Layout,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Writes `stem.csv`, `stem.svg` and `stem.png`, in that order.
///
/// Each file is complete or absent, but a failure can leave the files
/// written before it in place.
pub(crate) fn save<C: Render>(chart: &C, stem: &Path) -> Result<Figure, PlotError> {
    let layout = chart.layout().map_err(|reason| PlotError::InvalidChart {
        title: chart.title().to_string(),
        reason,
    })?;
    let figure = figure_paths(stem)?;
    font::ensure_registered()?;

    let csv = chart.csv().map_err(|err| {
        io::Error::other(format!(
            "{}: cannot encode CSV: {err}",
            figure.csv.display()
        ))
    })?;
    write_atomic(&figure.csv, &csv)?;
    write_svg(chart, &layout, &figure.svg)?;
    write_png(chart, &layout, &figure.png)?;
    Ok(figure)
}

/// Encodes a header and rows of three fields as CSV.
pub(crate) fn csv_table(
    header: [&str; 3],
    rows: impl IntoIterator<Item = [String; 3]>,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|err| csv::Error::from(err.into_error()))
}

/// Formats a number for the CSV so that it reads back to the same `f64`.
///
/// Debug formatting switches to an exponent below 1e-4 and from 1e16 on,
/// where Display would write hundreds of digits.
pub(crate) fn csv_number(value: f64) -> String {
    format!("{value:?}")
}

fn figure_paths(stem: &Path) -> Result<Figure, PlotError> {
    let name = stem.file_name().ok_or_else(|| PlotError::InvalidStem {
        stem: stem.to_path_buf(),
    })?;
    let dir = match stem.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(PlotError::MissingDirectory {
            dir: dir.to_path_buf(),
        });
    }
    // Appending keeps dots inside the stem, which `with_extension` would cut.
    let with_extension = |extension: &str| {
        let mut file_name = name.to_os_string();
        file_name.push(".");
        file_name.push(extension);
        stem.with_file_name(file_name)
    };
    Ok(Figure {
        png: with_extension("png"),
        svg: with_extension("svg"),
        csv: with_extension("csv"),
    })
}

fn render_error(path: &Path, err: impl Display) -> PlotError {
    PlotError::Render {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

fn write_svg<C: Render>(chart: &C, layout: &C::Layout, path: &Path) -> Result<(), PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, FIGURE_SIZE).into_drawing_area();
        chart
            .render(layout, &root)
            .map_err(|err| render_error(path, err))?;
        root.present().map_err(|err| render_error(path, err))?;
    }
    write_atomic(path, svg.as_bytes())?;
    Ok(())
}

fn write_png<C: Render>(chart: &C, layout: &C::Layout, path: &Path) -> Result<(), PlotError> {
    let temporary = temporary_png(path);
    let result = render_png(chart, layout, path, &temporary).and_then(|()| {
        fs::rename(&temporary, path).map_err(|err| {
            let message = format!(
                "{}: cannot rename from {}: {err}",
                path.display(),
                temporary.display()
            );
            PlotError::Io(io::Error::new(err.kind(), message))
        })
    });
    if result.is_err() {
        // The backend may have written a partial image before failing.
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Renders into `temporary` and flushes it to disk. `path` is the final
/// name, used in error messages.
fn render_png<C: Render>(
    chart: &C,
    layout: &C::Layout,
    path: &Path,
    temporary: &Path,
) -> Result<(), PlotError> {
    {
        let root = RasterBackend::new(temporary, FIGURE_SIZE).into_drawing_area();
        chart
            .render(layout, &root)
            .map_err(|err| render_error(path, err))?;
        root.present().map_err(|err| render_error(path, err))?;
    }
    let file = fs::File::open(temporary).map_err(|err| {
        io::Error::new(
            err.kind(),
            format!("{}: cannot open: {err}", temporary.display()),
        )
    })?;
    file.sync_all().map_err(|err| {
        io::Error::new(
            err.kind(),
            format!("{}: cannot sync: {err}", temporary.display()),
        )
    })?;
    Ok(())
}

/// Temporary sibling of `path` that still ends in `.png`, because the
/// bitmap backend picks the image encoder from the extension.
fn temporary_png(path: &Path) -> PathBuf {
    let mut name = temporary_sibling(path).into_os_string();
    name.push(OsStr::new(".png"));
    PathBuf::from(name)
}
