//! Labelled dashed reference lines, such as a tolerance or a critical width.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::ValueAxis;
use super::frame::{Chart, SMALL_TEXT_SIZE, font};
use super::output::csv_number;

/// A dashed line across the whole plot area with a text label beside it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReferenceLine {
    /// Line at a constant y, such as "tolerance τ = 1e-4". Its label sits at
    /// the right end, above the line.
    Horizontal {
        /// Height of the line in data units.
        y: f64,
        /// Text drawn beside the line and written to the CSV.
        label: String,
    },
    /// Line at a constant x, such as "K = d". Its label sits at the top,
    /// right of the line.
    Vertical {
        /// Position of the line in data units.
        x: f64,
        /// Text drawn beside the line and written to the CSV.
        label: String,
    },
}

impl ReferenceLine {
    /// Creates a horizontal line at `y`.
    pub fn horizontal(y: f64, label: impl Into<String>) -> Self {
        ReferenceLine::Horizontal {
            y,
            label: label.into(),
        }
    }

    /// Creates a vertical line at `x`.
    pub fn vertical(x: f64, label: impl Into<String>) -> Self {
        ReferenceLine::Vertical {
            x,
            label: label.into(),
        }
    }

    /// Returns the label text.
    pub fn label(&self) -> &str {
        match self {
            ReferenceLine::Horizontal { label, .. } | ReferenceLine::Vertical { label, .. } => {
                label
            }
        }
    }

    /// Returns the `(x, y)` CSV fields: the line's coordinate and an empty
    /// field for the axis along which it runs.
    pub(crate) fn csv_fields(&self) -> (String, String) {
        match self {
            ReferenceLine::Horizontal { y, .. } => (String::new(), csv_number(*y)),
            ReferenceLine::Vertical { x, .. } => (csv_number(*x), String::new()),
        }
    }

    /// Rejects a non-finite position, which has no place on the axis.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let value = match self {
            ReferenceLine::Horizontal { y, .. } => *y,
            ReferenceLine::Vertical { x, .. } => *x,
        };
        if value.is_finite() {
            Ok(())
        } else {
            Err(format!(
                "reference line \"{}\" has non-finite position {value}",
                self.label()
            ))
        }
    }
}

const DASH_PX: u32 = 8;
const GAP_PX: u32 = 5;
/// Distance in pixels between a line and its label.
const LABEL_OFFSET_PX: i32 = 6;

fn line_color() -> RGBAColor {
    BLACK.mix(0.65)
}

/// Draws a horizontal reference line at height `y` across the plot.
pub(crate) fn draw_horizontal<DB, X>(
    chart: &mut Chart<'_, DB, X>,
    y: f64,
    label: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let y = chart.as_coord_spec().y_spec().clamp(y);
    let x_range = chart.x_range();
    let style = line_color().stroke_width(2);
    chart.draw_series(DashedLineSeries::new(
        [(x_range.start, y), (x_range.end, y)],
        DASH_PX,
        GAP_PX,
        style,
    ))?;

    let anchor = Pos::new(HPos::Right, VPos::Bottom);
    let text = font(SMALL_TEXT_SIZE).color(&line_color()).pos(anchor);
    let offset = (-LABEL_OFFSET_PX, -LABEL_OFFSET_PX);
    chart.draw_series(std::iter::once(
        EmptyElement::at((x_range.end, y)) + Text::new(label.to_string(), offset, text),
    ))?;
    Ok(())
}

/// Draws a vertical reference line at `x` across the plot.
pub(crate) fn draw_vertical<DB>(
    chart: &mut Chart<'_, DB, ValueAxis>,
    x: f64,
    label: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
{
    let x = chart.as_coord_spec().x_spec().clamp(x);
    let y_range = chart.y_range();
    let style = line_color().stroke_width(2);
    chart.draw_series(DashedLineSeries::new(
        [(x, y_range.start), (x, y_range.end)],
        DASH_PX,
        GAP_PX,
        style,
    ))?;

    let anchor = Pos::new(HPos::Left, VPos::Top);
    let text = font(SMALL_TEXT_SIZE).color(&line_color()).pos(anchor);
    let offset = (LABEL_OFFSET_PX, LABEL_OFFSET_PX);
    chart.draw_series(std::iter::once(
        EmptyElement::at((x, y_range.end)) + Text::new(label.to_string(), offset, text),
    ))?;
    Ok(())
}
