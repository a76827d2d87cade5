//! Layout shared by every chart: title, axes with labels, grid, legend,
//! series colours and marker shapes.

use std::collections::HashSet;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::FontDesc;
use plotters_backend::BackendCoord;

use super::FONT_FAMILY;
use super::axis::{ValueAxis, format_tick};

const TITLE_SIZE: f64 = 26.0;
const AXIS_LABEL_SIZE: f64 = 20.0;
/// Size of tick labels, legend entries and reference line labels.
pub(crate) const SMALL_TEXT_SIZE: f64 = 16.0;
/// Upper bound on labelled ticks per axis.
const MAX_TICKS: usize = 10;

/// The Okabe–Ito colour-blind-safe qualitative palette without its yellow,
/// which is too faint on white.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// Corner of the plot area where the legend box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegendCorner {
    /// Top left of the plot area.
    UpperLeft,
    /// Top right of the plot area.
    #[default]
    UpperRight,
    /// Left edge of the plot area, centred vertically, for data that fill
    /// the top and bottom of the plot but leave its middle free.
    MiddleLeft,
    /// Right edge of the plot area, centred vertically.
    MiddleRight,
    /// Bottom left of the plot area.
    LowerLeft,
    /// Bottom right of the plot area.
    LowerRight,
}

impl LegendCorner {
    fn position(self) -> SeriesLabelPosition {
        match self {
            LegendCorner::UpperLeft => SeriesLabelPosition::UpperLeft,
            LegendCorner::UpperRight => SeriesLabelPosition::UpperRight,
            LegendCorner::MiddleLeft => SeriesLabelPosition::MiddleLeft,
            LegendCorner::MiddleRight => SeriesLabelPosition::MiddleRight,
            LegendCorner::LowerLeft => SeriesLabelPosition::LowerLeft,
            LegendCorner::LowerRight => SeriesLabelPosition::LowerRight,
        }
    }
}

/// Title and axis labels of a chart.
pub(crate) struct Labels<'a> {
    pub(crate) title: &'a str,
    pub(crate) x: &'a str,
    pub(crate) y: &'a str,
}

impl Labels<'_> {
    /// Rejects empty text, because a figure without a title or axis labels
    /// cannot be read on its own.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("the title is empty".to_string());
        }
        for (axis, text) in [("x", self.x), ("y", self.y)] {
            if text.trim().is_empty() {
                return Err(format!(
                    "the {axis} axis label is empty; name the quantity and its units"
                ));
            }
        }
        Ok(())
    }
}

/// Rejects an empty list of series, an empty name or a repeated name,
/// because each name labels one legend entry and one set of CSV rows.
pub(crate) fn validate_series_names<'n>(
    names: impl IntoIterator<Item = &'n str>,
) -> Result<(), String> {
    let mut seen = HashSet::new();
    for name in names {
        if name.trim().is_empty() {
            return Err("a series has an empty name; the legend and the CSV need one".to_string());
        }
        if !seen.insert(name) {
            return Err(format!("series name \"{name}\" is used twice"));
        }
    }
    if seen.is_empty() {
        return Err("no series to plot".to_string());
    }
    Ok(())
}

/// A chart in data coordinates: `X` along the bottom, a value axis up the side.
pub(crate) type Chart<'a, DB, X> = ChartContext<'a, DB, Cartesian2d<X, ValueAxis>>;

/// Returns the embedded font at `size` pixels.
pub(crate) fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::from(FONT_FAMILY), size, FontStyle::Normal)
}

/// Returns the colour of the series at `index`, cycling through the palette.
pub(crate) fn series_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Paints the background, the title and the axes with their labels and grid.
///
/// `x_format` writes the x tick labels; `x_grid` turns vertical grid lines
/// on, which bar charts leave off.
pub(crate) fn draw_frame<'a, DB, X>(
    root: &'a DrawingArea<DB, Shift>,
    labels: &Labels,
    (x, y): (X, ValueAxis),
    x_format: &dyn Fn(&f64) -> String,
    x_grid: bool,
) -> Result<Chart<'a, DB, X>, DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(root)
        .caption(labels.title, font(TITLE_SIZE))
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(x, y)?;

    let mut mesh = chart.configure_mesh();
    mesh.x_desc(labels.x)
        .y_desc(labels.y)
        .axis_desc_style(font(AXIS_LABEL_SIZE))
        .label_style(font(SMALL_TEXT_SIZE))
        .x_label_formatter(x_format)
        .y_label_formatter(&|v| format_tick(*v))
        .x_labels(MAX_TICKS)
        .y_labels(MAX_TICKS)
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(BLACK.mix(0.04));
    if !x_grid {
        mesh.disable_x_mesh();
    }
    mesh.draw()?;
    Ok(chart)
}

/// Draws the legend of all labelled series in `corner` on a white box.
pub(crate) fn draw_legend<'a, DB, X>(
    chart: &mut Chart<'a, DB, X>,
    corner: LegendCorner,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_series_labels()
        .position(corner.position())
        .background_style(WHITE)
        .border_style(BLACK.mix(0.4))
        .label_font(font(SMALL_TEXT_SIZE))
        .margin(12)
        .draw()
}

/// Marker shapes, cycled per series so series differ in grey-scale prints too.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MarkerShape {
    Circle,
    Triangle,
    Square,
}

/// Radius of a marker's circumscribed circle, in pixels.
const MARKER_RADIUS: f64 = 5.0;

impl MarkerShape {
    /// Returns the shape of the series at `index`.
    pub(crate) fn for_series(index: usize) -> Self {
        [
            MarkerShape::Circle,
            MarkerShape::Triangle,
            MarkerShape::Square,
        ][index % 3]
    }

    /// Returns the filled marker centred at `center`, in pixels.
    ///
    /// Every shape is a polygon (the circle has 16 sides), so all markers
    /// share one element type and compose with legend lines.
    pub(crate) fn glyph(self, center: BackendCoord, color: RGBColor) -> Polygon<BackendCoord> {
        let (sides, start_angle, radius) = match self {
            MarkerShape::Circle => (16, 0.0, MARKER_RADIUS - 0.5),
            MarkerShape::Triangle => (3, -std::f64::consts::FRAC_PI_2, MARKER_RADIUS + 0.5),
            MarkerShape::Square => (4, std::f64::consts::FRAC_PI_4, MARKER_RADIUS),
        };
        let vertices = (0..sides)
            .map(|k| {
                let angle = start_angle + std::f64::consts::TAU * f64::from(k) / f64::from(sides);
                let x = f64::from(center.0) + radius * angle.cos();
                let y = f64::from(center.1) + radius * angle.sin();
                (x.round() as i32, y.round() as i32)
            })
            .collect::<Vec<_>>();
        Polygon::new(vertices, color.filled())
    }
}
