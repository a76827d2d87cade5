//! PNG backend: plotters' bitmap backend with its own text rasterizer.
//!
//! plotters 0.3.7 draws `ab_glyph` text with each glyph's left side bearing
//! dropped and the pen position truncated to whole pixels, so letters are
//! unevenly spaced ("princi pal"). This wrapper places every glyph at its
//! sub-pixel pen position with its bearing and delegates all other drawing.

use std::io;
use std::path::Path;

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters::backend::BitMapBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::font::embedded_font;

/// Height of the baseline below the top of a text's layout box, as a
/// fraction of the box height. The SVG backend sets `dy="0.76em"` for
/// top-anchored text, so this keeps PNG and SVG text at the same height.
const BASELINE_FRACTION: f32 = 0.76;

/// A bitmap backend writing a PNG file, with corrected text drawing.
pub(crate) struct RasterBackend<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> RasterBackend<'a> {
    /// Creates a backend that writes `path` on `present`. The extension of
    /// `path` selects the image format.
    pub(crate) fn new(path: &'a Path, size: (u32, u32)) -> Self {
        RasterBackend {
            inner: BitMapBackend::new(path, size),
        }
    }
}

type BitMapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type DrawResult = Result<(), DrawingErrorKind<BitMapError>>;

impl DrawingBackend for RasterBackend<'_> {
    type ErrorType = BitMapError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> DrawResult {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> DrawResult {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DrawResult {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> DrawResult {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> DrawResult {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> DrawResult {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// Draws `text` in the embedded font, whatever family `style` names,
    /// anchored and rotated as plotters' default implementation does.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> DrawResult {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let font = embedded_font().ok_or_else(|| {
            DrawingErrorKind::FontError(Box::new(io::Error::other(
                "embedded font is not a valid TrueType font",
            )))
        })?;
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|err| DrawingErrorKind::FontError(Box::new(err)))?;
        let (dx, dy) = anchor_offset(style.anchor(), max_x - min_x, max_y - min_y);
        let transform = style.transform();

        for (x, y, coverage) in rasterize(font, style.size() as f32, max_y - min_y, text) {
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let pixel = BackendColor {
                alpha: color.alpha * f64::from(coverage),
                rgb: color.rgb,
            };
            self.inner.draw_pixel((pos.0 + x, pos.1 + y), pixel)?;
        }
        Ok(())
    }
}

/// Returns the offset from the anchor point to the top left of the layout box.
fn anchor_offset(anchor: Pos, width: i32, height: i32) -> (i32, i32) {
    let dx = match anchor.h_pos {
        HPos::Left => 0,
        HPos::Center => -width / 2,
        HPos::Right => -width,
    };
    let dy = match anchor.v_pos {
        VPos::Top => 0,
        VPos::Center => -height / 2,
        VPos::Bottom => -height,
    };
    (dx, dy)
}

/// Returns `(x, y, coverage)` for every pixel that `text` touches, relative
/// to the top left of its layout box of height `box_height`.
///
/// `size` is the ab_glyph pixel scale, the one plotters uses to measure the
/// layout box, so the drawn text fills the width plotters reserved for it.
fn rasterize(font: &FontRef<'_>, size: f32, box_height: i32, text: &str) -> Vec<(i32, i32, f32)> {
    let scaled = font.as_scaled(size);
    let baseline = BASELINE_FRACTION * box_height as f32;
    let mut pixels = Vec::new();
    let mut pen = 0.0_f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(previous) = previous {
            pen += scaled.kern(previous, id);
        }
        let glyph = id.with_scale_and_position(scaled.scale(), point(pen, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    pixels.push((left + x as i32, top + y as i32, coverage.min(1.0)));
                }
            });
        }
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
    pixels
}
