//! The embedded DejaVu Sans face, registered with plotters' `ab_glyph`
//! renderer so text never depends on fontconfig or installed fonts.

use std::sync::OnceLock;

use ab_glyph::FontRef;
use plotters::style::{FontStyle, register_font};

use super::{FONT_FAMILY, PlotError};

/// Repository path of the embedded font, for error messages.
const FONT_PATH: &str = "assets/fonts/DejaVuSans.ttf";

static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Returns the parsed embedded font, or `None` if it is not a valid font.
pub(crate) fn embedded_font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// Registers the embedded font under [`FONT_FAMILY`] on the first call.
///
/// Later calls return the first call's outcome without registering again.
/// Only the normal style is registered. plotters falls back to it for bold
/// and italic text in the PNG, but the SVG keeps the requested style.
pub(crate) fn ensure_registered() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let valid = *REGISTERED
        .get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if valid {
        Ok(())
    } else {
        Err(PlotError::Font(FONT_PATH))
    }
}
