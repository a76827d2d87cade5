//! Line charts: one or more series of `(x, y)` points on linear or log axes,
//! with optional labelled reference lines.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Scale, ValueAxis, format_tick};
use super::frame::{self, Chart, Labels, LegendCorner, MarkerShape, series_color};
use super::output::{self, Render, csv_number};
use super::reference::{self, ReferenceLine};
use super::{Figure, PlotError};

/// Drawing style of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesStyle {
    /// Solid line through the points.
    #[default]
    Line,
    /// A marker at each point and no line.
    Markers,
    /// Solid line with a marker at each point.
    LineAndMarkers,
    /// Dashed line through the points, for bounds and theoretical curves.
    Dashed,
}

impl SeriesStyle {
    fn has_line(self) -> bool {
        !matches!(self, SeriesStyle::Markers)
    }

    fn has_markers(self) -> bool {
        matches!(self, SeriesStyle::Markers | SeriesStyle::LineAndMarkers)
    }
}

/// One named curve of a [`LineChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend entry and CSV `series` field; unique within a chart.
    pub name: String,
    /// Points in drawing order. A point with a non-finite coordinate is
    /// skipped in the drawing, leaving a gap in the line, and kept in the CSV.
    pub points: Vec<(f64, f64)>,
    /// Drawing style of the points.
    pub style: SeriesStyle,
}

impl Series {
    /// Creates a series.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>, style: SeriesStyle) -> Self {
        Series {
            name: name.into(),
            points,
            style,
        }
    }
}

/// A line chart saved as PNG, SVG and a CSV with columns `series,x,y`.
///
/// Axis ranges follow the data and reference lines with a 5 % margin. On a
/// log axis, values `<= 0` are drawn at a floor one decade below the
/// smallest positive value on that axis.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Title above the plot.
    pub title: String,
    /// x axis label, with units; must not be empty.
    pub x_label: String,
    /// y axis label, with units; must not be empty.
    pub y_label: String,
    /// Scale of the x axis.
    pub x_scale: Scale,
    /// Scale of the y axis.
    pub y_scale: Scale,
    /// Curves, coloured in order from a fixed palette.
    pub series: Vec<Series>,
    /// Dashed lines drawn under the series.
    pub references: Vec<ReferenceLine>,
    /// Corner of the legend box.
    pub legend: LegendCorner,
}

impl LineChart {
    /// Creates a chart with linear axes and no series.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        LineChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            series: Vec::new(),
            references: Vec::new(),
            legend: LegendCorner::default(),
        }
    }

    /// Writes `stem.png`, `stem.svg` and `stem.csv`.
    ///
    /// The CSV has one row per point, then one row per reference line with
    /// its label as `series` and an empty field for the axis it runs along.
    ///
    /// # Errors
    /// - [`PlotError::InvalidChart`] for an empty title or axis label, no
    ///   series, an empty or repeated series name, no finite point, or a log
    ///   axis without a positive value.
    /// - [`PlotError::MissingDirectory`] when the directory of `stem` does
    ///   not exist.
    /// - [`PlotError::Io`] and [`PlotError::Render`] when writing or drawing
    ///   a file fails. The message names the file.
    pub fn save(&self, stem: &Path) -> Result<Figure, PlotError> {
        output::save(self, stem)
    }

    fn labels(&self) -> Labels<'_> {
        Labels {
            title: &self.title,
            x: &self.x_label,
            y: &self.y_label,
        }
    }

    fn x_values(&self) -> impl Iterator<Item = f64> + '_ {
        let points = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let lines = self.references.iter().filter_map(|line| match line {
            ReferenceLine::Vertical { x, .. } => Some(*x),
            ReferenceLine::Horizontal { .. } => None,
        });
        points.chain(lines)
    }

    fn y_values(&self) -> impl Iterator<Item = f64> + '_ {
        let points = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1));
        let lines = self.references.iter().filter_map(|line| match line {
            ReferenceLine::Horizontal { y, .. } => Some(*y),
            ReferenceLine::Vertical { .. } => None,
        });
        points.chain(lines)
    }
}

impl Render for LineChart {
    type Layout = (ValueAxis, ValueAxis);

    fn title(&self) -> &str {
        &self.title
    }

    fn layout(&self) -> Result<Self::Layout, String> {
        self.labels().validate()?;
        frame::validate_series_names(self.series.iter().map(|s| s.name.as_str()))?;
        for line in &self.references {
            line.validate()?;
        }
        let x = ValueAxis::fit(self.x_scale, self.x_values(), false)
            .map_err(|err| format!("x axis: {err}"))?;
        let y = ValueAxis::fit(self.y_scale, self.y_values(), false)
            .map_err(|err| format!("y axis: {err}"))?;
        Ok((x, y))
    }

    fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let points = self.series.iter().flat_map(|series| {
            series
                .points
                .iter()
                .map(|(x, y)| [series.name.clone(), csv_number(*x), csv_number(*y)])
        });
        let lines = self.references.iter().map(|line| {
            let (x, y) = line.csv_fields();
            [line.label().to_string(), x, y]
        });
        output::csv_table(["series", "x", "y"], points.chain(lines))
    }

    fn render<DB: DrawingBackend>(
        &self,
        (x, y): &Self::Layout,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let x_format = |v: &f64| format_tick(*v);
        let mut chart = frame::draw_frame(
            root,
            &self.labels(),
            (x.clone(), y.clone()),
            &x_format,
            true,
        )?;
        for line in &self.references {
            match line {
                ReferenceLine::Horizontal { y, label } => {
                    reference::draw_horizontal(&mut chart, *y, label)?
                }
                ReferenceLine::Vertical { x, label } => {
                    reference::draw_vertical(&mut chart, *x, label)?
                }
            }
        }
        for (index, series) in self.series.iter().enumerate() {
            draw_series(&mut chart, series, index)?;
        }
        frame::draw_legend(&mut chart, self.legend)
    }
}

fn draw_series<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB, ValueAxis>,
    series: &Series,
    index: usize,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let color = series_color(index);
    let shape = MarkerShape::for_series(index);
    let coords = chart.as_coord_spec();
    let runs = finite_runs(&series.points, coords.x_spec(), coords.y_spec());

    if series.style.has_line() {
        let stroke = color.stroke_width(2);
        for run in &runs {
            if series.style == SeriesStyle::Dashed {
                chart.draw_series(DashedLineSeries::new(run.iter().copied(), 10, 6, stroke))?;
            } else {
                chart.draw_series(LineSeries::new(run.iter().copied(), stroke))?;
            }
        }
    }
    if series.style.has_markers() {
        let markers = runs
            .iter()
            .flatten()
            .map(|&at| EmptyElement::at(at) + shape.glyph((0, 0), color));
        chart.draw_series(markers)?;
    }

    // An empty series carries the legend entry, because a series with gaps
    // is drawn as several plotters series.
    let entry = chart
        .draw_series(std::iter::empty::<EmptyElement<(f64, f64), DB>>())?
        .label(series.name.as_str());
    // Each legend sample is 24 pixels wide, starting at the position given.
    let stroke = color.stroke_width(2);
    let line = move |from: i32, to: i32| PathElement::new(vec![(from, 0), (to, 0)], stroke);
    match series.style {
        SeriesStyle::Line => entry.legend(move |at| EmptyElement::at(at) + line(0, 24)),
        SeriesStyle::Markers => {
            entry.legend(move |at| EmptyElement::at(at) + shape.glyph((12, 0), color))
        }
        SeriesStyle::LineAndMarkers => {
            entry.legend(move |at| EmptyElement::at(at) + line(0, 24) + shape.glyph((12, 0), color))
        }
        SeriesStyle::Dashed => {
            entry.legend(move |at| EmptyElement::at(at) + line(0, 9) + line(15, 24))
        }
    };
    Ok(())
}

/// Splits `points` into runs of finite points, moved to their drawn
/// positions, so a non-finite point leaves a gap in the line.
fn finite_runs(points: &[(f64, f64)], x: &ValueAxis, y: &ValueAxis) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for &(px, py) in points {
        if px.is_finite() && py.is_finite() {
            run.push((x.clamp(px), y.clamp(py)));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}
