//! Value axes: automatic ranges, linear and logarithmic mapping, tick
//! positions and tick labels.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Mapping from data values to positions along an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Positions proportional to the value.
    #[default]
    Linear,
    /// Positions proportional to `log10(value)`. Values `<= 0` are drawn at
    /// the axis floor, a tenth of the smallest positive value on the axis.
    Log,
}

/// Fraction of the data span added on each side of an automatic range.
const MARGIN: f64 = 0.05;

/// A value axis with its drawn range, usable as a plotters coordinate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueAxis {
    pub(crate) scale: Scale,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// Value at which non-positive data are drawn on a log axis.
    pub(crate) floor: f64,
}

impl ValueAxis {
    /// Fits an axis to `values`, skipping non-finite ones.
    ///
    /// `include_zero` forces 0 into a linear range, as bars start at 0.
    /// Fails with the reason when no value can be placed on the axis.
    pub(crate) fn fit(
        scale: Scale,
        values: impl IntoIterator<Item = f64>,
        include_zero: bool,
    ) -> Result<Self, String> {
        let finite: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        match scale {
            Scale::Linear => fit_linear(&finite, include_zero),
            Scale::Log => fit_log(&finite),
        }
    }

    /// Returns where `value` is drawn: on a log axis, values below the floor
    /// are raised to it.
    pub(crate) fn clamp(&self, value: f64) -> f64 {
        match self.scale {
            Scale::Linear => value,
            Scale::Log => value.max(self.floor),
        }
    }

    fn transform(&self, value: f64) -> f64 {
        match self.scale {
            Scale::Linear => value,
            Scale::Log => value.log10(),
        }
    }
}

fn fit_linear(values: &[f64], include_zero: bool) -> Result<ValueAxis, String> {
    let (mut lo, mut hi) = min_max(values).ok_or("no finite values to plot")?;
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        MARGIN * span
    } else if lo == 0.0 {
        1.0
    } else {
        0.1 * lo.abs()
    };
    // Bars of non-negative data sit on the axis line instead of floating
    // above a margin, and bars of non-positive data hang from it.
    let bars_end_at_zero = include_zero && span > 0.0;
    let lo = if bars_end_at_zero && lo == 0.0 {
        0.0
    } else {
        lo - pad
    };
    let hi = if bars_end_at_zero && hi == 0.0 {
        0.0
    } else {
        hi + pad
    };
    Ok(ValueAxis {
        scale: Scale::Linear,
        lo,
        hi,
        floor: f64::NEG_INFINITY,
    })
}

// NOTE: a log axis cannot show values <= 0. They are drawn at a floor of the
// smallest positive value / 10, one decade below the rest of the data, and
// written unchanged to the CSV.
fn fit_log(values: &[f64]) -> Result<ValueAxis, String> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    let (min_positive, max) =
        min_max(&positive).ok_or("a log axis needs at least one positive value")?;
    let floor = min_positive / 10.0;
    let lo = if positive.len() < values.len() {
        floor
    } else {
        min_positive
    };
    let (lo_log, hi_log) = (lo.log10(), max.log10());
    let span = hi_log - lo_log;
    let pad = if span > 0.0 { MARGIN * span } else { 0.5 };
    Ok(ValueAxis {
        scale: Scale::Log,
        lo: 10f64.powf(lo_log - pad),
        hi: 10f64.powf(hi_log + pad),
        floor,
    })
}

fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    let first = *values.first()?;
    Some(
        values
            .iter()
            .fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v))),
    )
}

impl Ranged for ValueAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = (self.transform(self.lo), self.transform(self.hi));
        let fraction = (self.transform(*value) - lo) / (hi - lo);
        let pixel = f64::from(limit.0) + fraction * f64::from(limit.1 - limit.0);
        // The cast saturates, so far-off values stay far off the plot area.
        pixel.round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let light = hint.weight().allow_light_points();
        match self.scale {
            // Light lines subdivide the labelled step, so both derive from
            // the number of labelled ticks.
            Scale::Linear => linear_ticks(self.lo, self.hi, hint.bold_points().max(2), light),
            Scale::Log => log_ticks(self.lo, self.hi, hint.max_num_points().max(2), light),
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Ticks at multiples of a 1, 2 or 5 × 10^k step; light ticks split each
/// step in five.
fn linear_ticks(lo: f64, hi: f64, max_points: usize, light: bool) -> Vec<f64> {
    let mut step = nice_step((hi - lo) / max_points as f64);
    if light {
        step /= 5.0;
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| k as f64 * step)
        // Rounding leaves values like 5.6e-17 where the tick is 0.
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect()
}

/// Smallest step of the form {1, 2, 5} × 10^k that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let decade = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|step| *step >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * decade)
}

/// Ticks at powers of ten, thinned to at most `max_points`. A range with
/// fewer than two powers of ten gets ticks at 1, 2 and 5 × 10^k instead, or
/// at every integer multiple if that still gives fewer than two, so the
/// axis always carries labels.
fn log_ticks(lo: f64, hi: f64, max_points: usize, light: bool) -> Vec<f64> {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-12) && *v <= hi * (1.0 + 1e-12);
    let with_multipliers = |multipliers: &[f64]| -> Vec<f64> {
        (first..=last)
            .flat_map(|k| multipliers.iter().map(move |m| m * 10f64.powi(k)))
            .filter(in_range)
            .collect()
    };
    let decades = with_multipliers(&[1.0]);
    if light {
        // Minor lines mark every integer multiple, unless that many lines
        // would crowd the plot. Then only the decades get lines.
        let minor = with_multipliers(&ALL_MULTIPLIERS);
        return if minor.len() <= max_points {
            minor
        } else {
            decades
        };
    }
    if decades.len() >= 2 {
        let stride = decades.len().div_ceil(max_points);
        return decades.into_iter().step_by(stride).collect();
    }
    let coarse = with_multipliers(&[1.0, 2.0, 5.0]);
    if coarse.len() >= 2 {
        return coarse;
    }
    with_multipliers(&ALL_MULTIPLIERS)
}

const ALL_MULTIPLIERS: [f64; 9] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];

/// Formats a tick value compactly: "0.25", "1200", "1e-4", "2.5e6".
pub(crate) fn format_tick(value: f64) -> String {
    if value == 0.0 {
        // Also for -0.0, which Display writes as "-0".
        return "0".to_string();
    }
    if !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor();
    if magnitude.abs() >= 4.0 {
        let text = format!("{value:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    // Six significant digits hide binary rounding such as 0.30000000000000004.
    let decimals = (5.0 - magnitude).max(0.0) as usize;
    trim_zeros(&format!("{value:.decimals$}")).to_string()
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_tick_trims_rounding() {
        assert_eq!(format_tick(0.1 + 0.2), "0.3");
        assert_eq!(format_tick(1200.0), "1200");
        assert_eq!(format_tick(-0.25), "-0.25");
        assert_eq!(format_tick(0.0), "0");
    }

    #[test]
    fn format_tick_uses_exponent_far_from_one() {
        assert_eq!(format_tick(1e-4), "1e-4");
        assert_eq!(format_tick(2.5e6), "2.5e6");
        assert_eq!(format_tick(0.001), "0.001");
    }

    #[test]
    fn linear_fit_adds_margin() {
        let axis = ValueAxis::fit(Scale::Linear, [0.0, 10.0], false).unwrap();
        assert_eq!(axis.lo, -0.5);
        assert_eq!(axis.hi, 10.5);
    }

    #[test]
    fn linear_fit_bars_start_at_zero() {
        let axis = ValueAxis::fit(Scale::Linear, [2.0, 10.0], true).unwrap();
        assert_eq!(axis.lo, 0.0);
        assert_eq!(axis.hi, 10.5);
    }

    #[test]
    fn linear_fit_bars_of_zeros_have_height() {
        let axis = ValueAxis::fit(Scale::Linear, [0.0, 0.0], true).unwrap();
        assert_eq!(axis.lo, -1.0);
        assert_eq!(axis.hi, 1.0);
    }

    #[test]
    fn linear_fit_widens_constant_data() {
        let axis = ValueAxis::fit(Scale::Linear, [3.0, 3.0], false).unwrap();
        assert!(axis.lo < 3.0);
        assert!(axis.hi > 3.0);
    }

    #[test]
    fn fit_skips_non_finite_values() {
        let axis =
            ValueAxis::fit(Scale::Linear, [f64::NAN, 1.0, f64::INFINITY, 3.0], false).unwrap();
        assert!(axis.hi < 4.0);
    }

    #[test]
    fn fit_rejects_no_finite_values() {
        let err = ValueAxis::fit(Scale::Linear, [f64::NAN], false).unwrap_err();
        assert_eq!(err, "no finite values to plot");
    }

    #[test]
    fn log_fit_clamps_zero_to_floor() {
        let axis = ValueAxis::fit(Scale::Log, [0.0, 1e-3, 1.0], false).unwrap();
        assert_eq!(axis.floor, 1e-4);
        assert_eq!(axis.clamp(0.0), 1e-4);
        assert_eq!(axis.clamp(-5.0), 1e-4);
        assert_eq!(axis.clamp(0.5), 0.5);
        assert!(axis.lo < 1e-4);
        assert!(axis.hi > 1.0);
    }

    #[test]
    fn log_fit_rejects_no_positive_values() {
        let err = ValueAxis::fit(Scale::Log, [0.0, -1.0], false).unwrap_err();
        assert_eq!(err, "a log axis needs at least one positive value");
    }

    #[test]
    fn log_ticks_within_one_decade() {
        let ticks: Vec<String> = log_ticks(0.3, 0.9, 10, false)
            .into_iter()
            .map(format_tick)
            .collect();
        assert_eq!(ticks, ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]);
    }

    #[test]
    fn log_ticks_thin_many_decades() {
        let ticks = log_ticks(1e-12, 1.0, 5, false);
        assert!(ticks.len() <= 5, "{ticks:?}");
        assert_eq!(ticks[0], 1e-12);
    }

    #[test]
    fn linear_ticks_include_zero() {
        let ticks: Vec<String> = linear_ticks(-0.55, 0.55, 10, false)
            .into_iter()
            .map(format_tick)
            .collect();
        assert_eq!(ticks, ["-0.4", "-0.2", "0", "0.2", "0.4"]);
    }

    #[test]
    fn map_places_log_decades_evenly() {
        let axis = ValueAxis {
            scale: Scale::Log,
            lo: 1.0,
            hi: 100.0,
            floor: 0.1,
        };
        assert_eq!(axis.map(&10.0, (0, 200)), 100);
        assert_eq!(axis.map(&100.0, (0, 200)), 200);
    }
}
