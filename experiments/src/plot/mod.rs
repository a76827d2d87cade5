//! Figures for the experiments: line and grouped bar charts, each saved as
//! `stem.png`, `stem.svg` and `stem.csv` with the data behind the figure.
//!
//! Text is drawn with DejaVu Sans embedded in the binary, so rendering needs
//! no system font library. Every file is written to a temporary sibling and
//! renamed into place, so an interrupted run never leaves a truncated figure.

mod axis;
mod bar;
mod font;
mod frame;
mod line;
mod output;
mod raster;
mod reference;

#[cfg(test)]
mod tests;

use std::io;
use std::path::PathBuf;

pub use axis::Scale;
pub use bar::{BarChart, BarSeries};
pub use frame::LegendCorner;
pub use line::{LineChart, Series, SeriesStyle};
pub use reference::ReferenceLine;

/// Size of the PNG in pixels and of the SVG canvas, as `(width, height)`.
pub const FIGURE_SIZE: (u32, u32) = (900, 600);

/// Font family under which the embedded font is registered and which the SVG
/// files name, so SVG viewers fall back to their own sans-serif face.
pub const FONT_FAMILY: &str = "sans-serif";

/// Paths of the three files written by one `save` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Raster image, [`FIGURE_SIZE`] pixels.
    pub png: PathBuf,
    /// Vector image with the same layout as the PNG.
    pub svg: PathBuf,
    /// Data behind the figure in long format.
    pub csv: PathBuf,
}

/// Error from validating, rendering or writing a figure.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The chart description cannot be drawn, for example an empty axis label.
    #[error("chart \"{title}\": {reason}")]
    InvalidChart {
        /// Title of the rejected chart.
        title: String,
        /// Description of the problem.
        reason: String,
    },
    /// The stem has no file name, so no output file names can be built.
    #[error("{}: invalid figure stem; expected a path ending in a file name, such as results/loss", .stem.display())]
    InvalidStem {
        /// The rejected stem.
        stem: PathBuf,
    },
    /// The directory that should contain the figure does not exist.
    #[error("{}: output directory not found; create it before saving the figure", .dir.display())]
    MissingDirectory {
        /// The missing directory.
        dir: PathBuf,
    },
    /// plotters failed while drawing into the file at `path`.
    #[error("{}: rendering failed: {message}", .path.display())]
    Render {
        /// Final path of the file being rendered.
        path: PathBuf,
        /// The plotters error message.
        message: String,
    },
    /// The embedded font could not be parsed.
    #[error("embedded font {0} is not a valid TrueType font")]
    Font(&'static str),
    /// Writing or renaming a file failed. The message names the path.
    #[error(transparent)]
    Io(#[from] io::Error),
}
