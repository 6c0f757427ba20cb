//! The CJK font of printable documents: read once from the system, kept in memory, measured
//! with skrifa and embedded (subset) by krilla (docs/adr/0006-printable-documents.md).

use std::sync::{Arc, Mutex};

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::{FileRef, TableProvider};
use skrifa::{FontRef, MetadataProvider, string::StringId};

/// Debian's `fonts-noto-cjk`; the Simplified Chinese face is picked from the collection.
const REGULAR: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
/// Overrides the font: a `.ttf`, `.otf` or `.ttc` file, used for regular and bold text alike.
pub const ENV: &str = "ONEWINDOW_PDF_FONT";

/// Why no document can be drawn.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read the PDF font {path}: {source}")]
    Missing {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a font krilla can embed")]
    Unusable { path: String },
}

/// One face of a font file, ready to measure and to embed.
#[derive(Clone)]
pub struct Face {
    bytes: Arc<Vec<u8>>,
    index: u32,
    pub font: Font,
    units_per_em: f32,
}

impl Face {
    fn load(path: &str) -> Result<Face, FontError> {
        let bytes = std::fs::read(path).map_err(|source| FontError::Missing {
            path: path.to_owned(),
            source,
        })?;
        let unusable = || FontError::Unusable {
            path: path.to_owned(),
        };
        let index = simplified_chinese_face(&bytes).ok_or_else(unusable)?;
        let bytes = Arc::new(bytes);
        let font = Font::new(bytes.clone().into(), index).ok_or_else(unusable)?;
        let units_per_em = FontRef::from_index(&bytes, index)
            .ok()
            .and_then(|f| f.head().ok().map(|h| f32::from(h.units_per_em())))
            .ok_or_else(unusable)?;
        Ok(Face {
            bytes,
            index,
            font,
            units_per_em,
        })
    }

    fn font_ref(&self) -> FontRef<'_> {
        FontRef::from_index(&self.bytes, self.index).expect("checked when loaded")
    }

    /// The glyphs of `text` on one line, advances in em: one glyph per character (Chinese needs
    /// no shaping; Latin kerning is left out, which only loosens it a little).
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let font = self.font_ref();
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        text.char_indices()
            .map(|(i, c)| {
                let glyph = charmap.map(c).unwrap_or_default();
                let advance = metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(glyph.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let font = self.font_ref();
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|c| {
                metrics
                    .advance_width(charmap.map(c).unwrap_or_default())
                    .unwrap_or(0.0)
            })
            .sum();
        units / self.units_per_em * size
    }
}

/// The faces documents are set in.
#[derive(Clone)]
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    /// `ONEWINDOW_PDF_FONT` for everything, or Debian's Noto Sans CJK SC, regular and bold (the
    /// regular face stands in when the bold file is absent).
    fn from_system() -> Result<Fonts, FontError> {
        if let Ok(path) = std::env::var(ENV) {
            let face = Face::load(&path)?;
            return Ok(Fonts {
                bold: face.clone(),
                regular: face,
            });
        }
        Fonts::from_files(REGULAR, Some(BOLD))
    }

    pub fn from_files(regular: &str, bold: Option<&str>) -> Result<Fonts, FontError> {
        let regular = Face::load(regular)?;
        let bold = bold
            .and_then(|p| Face::load(p).ok())
            .unwrap_or_else(|| regular.clone());
        Ok(Fonts { regular, bold })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

/// The fonts, read from disk on first use and then kept. A failure is not remembered, so
/// installing the package fixes a running server.
pub fn fonts() -> Result<Arc<Fonts>, FontError> {
    static LOADED: Mutex<Option<Arc<Fonts>>> = Mutex::new(None);
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(fonts) = loaded.as_ref() {
        return Ok(fonts.clone());
    }
    let fonts = Arc::new(Fonts::from_system()?);
    *loaded = Some(fonts.clone());
    Ok(fonts)
}

/// The face of a collection whose family name says Simplified Chinese ("Noto Sans CJK SC"), or
/// the first; `None` if the file is no font at all.
fn simplified_chinese_face(bytes: &[u8]) -> Option<u32> {
    let faces: Vec<FontRef<'_>> = match FileRef::new(bytes).ok()? {
        FileRef::Font(f) => vec![f],
        FileRef::Collection(c) => c.iter().filter_map(Result::ok).collect(),
    };
    let is_sc = |f: &FontRef<'_>| {
        f.localized_strings(StringId::FAMILY_NAME)
            .english_or_first()
            .is_some_and(|name| {
                let name: String = name.chars().collect();
                name.ends_with(" SC") && !name.contains("Mono")
            })
    };
    match faces.iter().position(is_sc) {
        Some(i) => Some(i as u32),
        None => (!faces.is_empty()).then_some(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplified_chinese_face_of_noto_cjk_is_found() {
        let Ok(bytes) = std::fs::read(REGULAR) else {
            eprintln!("skipped: {REGULAR} is not installed (fonts-noto-cjk)");
            return;
        };
        assert_eq!(simplified_chinese_face(&bytes), Some(2));
    }

    #[test]
    fn a_missing_file_is_a_missing_font() {
        let e = Fonts::from_files("/nonexistent/font.ttc", None)
            .err()
            .unwrap();
        assert!(matches!(e, FontError::Missing { .. }), "{e}");
    }

    #[test]
    fn a_file_that_is_no_font_is_unusable() {
        let e = Fonts::from_files(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"), None)
            .err()
            .unwrap();
        assert!(matches!(e, FontError::Unusable { .. }), "{e}");
    }
}
