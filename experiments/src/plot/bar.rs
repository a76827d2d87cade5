//! Grouped bar charts: named categories along x, one bar per series in each
//! category's group.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use super::axis::{Scale, ValueAxis};
use super::frame::{self, Chart, Labels, LegendCorner, series_color};
use super::output::{self, Render, csv_number};
use super::reference::{self, ReferenceLine};
use super::{Figure, PlotError};

/// Fraction of a category's slot covered by its group of bars.
const GROUP_WIDTH: f64 = 0.8;
/// Fraction of a bar's share of the group left empty between bars.
const BAR_GAP: f64 = 0.08;

/// One named set of bars of a [`BarChart`], one value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Legend entry and CSV `series` field; unique within a chart.
    pub name: String,
    /// Bar heights in the order of [`BarChart::categories`]. A non-finite
    /// value draws no bar and is kept in the CSV.
    pub values: Vec<f64>,
}

impl BarSeries {
    /// Creates a bar series.
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        BarSeries {
            name: name.into(),
            values,
        }
    }
}

/// A grouped bar chart saved as PNG, SVG and a CSV with columns
/// `category,series,value`.
///
/// Each category along x contains one bar per series, in series order; for
/// example principal directions ordered by explained variance, with one
/// series per model. Bars rise from 0 on a linear axis and from the bottom
/// of the plot on a log axis, where values `<= 0` are drawn at a floor one
/// decade below the smallest positive value.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Title above the plot.
    pub title: String,
    /// x axis label, naming what the categories are; must not be empty.
    pub x_label: String,
    /// y axis label, with units; must not be empty.
    pub y_label: String,
    /// Scale of the y axis.
    pub y_scale: Scale,
    /// Top of the y axis in data units. Set it above the tallest bar to leave
    /// room for the legend, or leave it `None` to fit the axis to the data.
    pub y_max: Option<f64>,
    /// Category labels along x, in drawing order.
    pub categories: Vec<String>,
    /// Bar series, coloured in order from a fixed palette.
    pub series: Vec<BarSeries>,
    /// Horizontal dashed lines drawn over the bars; vertical lines are
    /// rejected because x is not numeric here.
    pub references: Vec<ReferenceLine>,
    /// Corner of the legend box.
    pub legend: LegendCorner,
}

impl BarChart {
    /// Creates a chart with a linear y axis and the given categories.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        categories: Vec<String>,
    ) -> Self {
        BarChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            y_scale: Scale::Linear,
            y_max: None,
            categories,
            series: Vec::new(),
            references: Vec::new(),
            legend: LegendCorner::default(),
        }
    }

    /// Writes `stem.png`, `stem.svg` and `stem.csv`.
    ///
    /// The CSV has one row per bar, then one row per reference line with its
    /// label as `series`, an empty `category` and its height as `value`.
    ///
    /// # Errors
    /// - [`PlotError::InvalidChart`] for an empty title or axis label, no
    ///   category or series, an empty or repeated series name, a series
    ///   whose length differs from the number of categories, a vertical
    ///   reference line, no finite value, or a log axis without a positive
    ///   value. Also for a `y_max` that is not above the bottom of the axis.
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

    fn validate_series(&self) -> Result<(), String> {
        if self.categories.is_empty() {
            return Err("no categories to plot".to_string());
        }
        frame::validate_series_names(self.series.iter().map(|s| s.name.as_str()))?;
        for series in &self.series {
            if series.values.len() != self.categories.len() {
                return Err(format!(
                    "series \"{}\" has {} values for {} categories",
                    series.name,
                    series.values.len(),
                    self.categories.len()
                ));
            }
        }
        Ok(())
    }

    fn validate_references(&self) -> Result<(), String> {
        for line in &self.references {
            line.validate()?;
            if let ReferenceLine::Vertical { label, .. } = line {
                return Err(format!(
                    "vertical reference line \"{label}\" is not supported on a bar chart"
                ));
            }
        }
        Ok(())
    }

    fn y_values(&self) -> impl Iterator<Item = f64> + '_ {
        let bars = self.series.iter().flat_map(|s| s.values.iter().copied());
        let lines = self.references.iter().filter_map(|line| match line {
            ReferenceLine::Horizontal { y, .. } => Some(*y),
            ReferenceLine::Vertical { .. } => None,
        });
        bars.chain(lines)
    }

    /// Returns the x extent of the bar of series `series` in category
    /// `category`.
    fn bar_span(&self, category: usize, series: usize) -> (f64, f64) {
        let width = GROUP_WIDTH / self.series.len() as f64;
        let left = category as f64 + (1.0 - GROUP_WIDTH) / 2.0 + series as f64 * width;
        let gap = BAR_GAP * width / 2.0;
        (left + gap, left + width - gap)
    }
}

impl Render for BarChart {
    type Layout = ValueAxis;

    fn title(&self) -> &str {
        &self.title
    }

    fn layout(&self) -> Result<ValueAxis, String> {
        self.labels().validate()?;
        self.validate_series()?;
        self.validate_references()?;
        let mut axis = ValueAxis::fit(self.y_scale, self.y_values(), true)
            .map_err(|err| format!("y axis: {err}"))?;
        if let Some(top) = self.y_max {
            if !(top.is_finite() && top > axis.lo) {
                return Err(format!(
                    "y_max = {top} is not above the bottom of the y axis ({}); raise it or leave it unset",
                    axis.lo
                ));
            }
            axis.hi = top;
        }
        Ok(axis)
    }

    fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let bars = self.series.iter().flat_map(|series| {
            self.categories
                .iter()
                .zip(&series.values)
                .map(|(category, value)| {
                    [category.clone(), series.name.clone(), csv_number(*value)]
                })
        });
        let lines = self.references.iter().map(|line| {
            let (_, y) = line.csv_fields();
            [String::new(), line.label().to_string(), y]
        });
        output::csv_table(["category", "series", "value"], bars.chain(lines))
    }

    fn render<DB: DrawingBackend>(
        &self,
        y: &ValueAxis,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let x = CategoryAxis {
            count: self.categories.len(),
        };
        let x_format = |v: &f64| {
            self.categories
                .get(v.floor() as usize)
                .cloned()
                .unwrap_or_default()
        };
        let mut chart = frame::draw_frame(root, &self.labels(), (x, y.clone()), &x_format, false)?;
        for (index, series) in self.series.iter().enumerate() {
            self.draw_bars(&mut chart, series, index)?;
        }
        for line in &self.references {
            if let ReferenceLine::Horizontal { y, label } = line {
                reference::draw_horizontal(&mut chart, *y, label)?;
            }
        }
        frame::draw_legend(&mut chart, self.legend)
    }
}

impl BarChart {
    fn draw_bars<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Chart<'a, DB, CategoryAxis>,
        series: &BarSeries,
        index: usize,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let color = series_color(index);
        let y = chart.as_coord_spec().y_spec().clone();
        // Bars grow from 0, or from the bottom of a log axis, which has no 0.
        let base = match y.scale {
            Scale::Linear => 0.0,
            Scale::Log => y.lo,
        };
        let bars: Vec<_> = series
            .values
            .iter()
            .enumerate()
            .filter(|(_, value)| value.is_finite())
            .map(|(category, value)| {
                let (left, right) = self.bar_span(category, index);
                Rectangle::new([(left, base), (right, y.clamp(*value))], color.filled())
            })
            .collect();
        chart
            .draw_series(bars)?
            .label(series.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], color.filled()));
        Ok(())
    }
}

/// Category slots `[i, i + 1)` along x, with a tick at each slot's centre.
#[derive(Debug, Clone)]
struct CategoryAxis {
    count: usize,
}

impl Ranged for CategoryAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let fraction = value / self.count as f64;
        (f64::from(limit.0) + fraction * f64::from(limit.1 - limit.0)).round() as i32
    }

    // NOTE: every category gets a label regardless of the hint, so labels
    // of many categories with long names overlap.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        (0..self.count).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.count as f64
    }
}
