//! Plot: PNG charts drawn with plotters in memory, text in the CJK font shipped in
//! `data/fonts/` (embedded, so no system font is needed), encoded to PNG bytes.

pub mod bar;
pub mod boilerplate;
pub mod charts;
pub mod heatmap;
pub mod line;
pub mod network;
pub mod timeline;

use std::sync::Mutex;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};

/// The embedded font: a subset of Noto Sans SC (SIL OFL 1.1, see data/fonts/OFL.txt).
pub static BUILTIN_FONT: &[u8] = include_bytes!("../../data/fonts/NotoSansSC-subset.otf");

/// The family name charts draw text with.
pub const FAMILY: &str = "tifa-cjk";

static REGISTERED: Mutex<Option<usize>> = Mutex::new(None);

/// Make `font` (or the embedded font) the one charts use. Registering the same bytes again is free.
pub fn use_font(font: Option<&[u8]>) -> Result<()> {
    let bytes: &'static [u8] = match font {
        None => BUILTIN_FONT,
        Some(b) => Box::leak(b.to_vec().into_boxed_slice()),
    };
    let mut reg = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
    let key = bytes.as_ptr() as usize ^ bytes.len();
    if font.is_none() && *reg == Some(key) {
        return Ok(());
    }
    plotters::style::register_font(FAMILY, FontStyle::Normal, bytes)
        .map_err(|_| Error::Font(if font.is_some() { "given with --font".into() } else { "built-in".into() }))?;
    *reg = Some(key);
    Ok(())
}

pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Draw on a white `w`×`h` canvas and return the PNG bytes.
pub(crate) fn render(
    chart: &'static str,
    (w, h): (u32, u32),
    draw: impl FnOnce(&Area) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>,
) -> Result<Vec<u8>> {
    let fail = |e: String| Error::Plot { chart, message: e };
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(&area).map_err(|e| fail(e.to_string()))?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut png = Vec::new();
    use image::ImageEncoder;
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| fail(e.to_string()))?;
    Ok(png)
}

/// Draw a chart's title and subtitle (in `subtitle_size`); when `empty`, also the message that
/// there is nothing to show at height `top`, and return false.
pub(crate) fn heading(
    area: &Area,
    title: &str,
    (subtitle, subtitle_size): (&str, f64),
    empty: Option<(&str, i32)>,
) -> std::result::Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    let (dark, grey) = (RGBColor(33, 37, 41), RGBColor(108, 117, 125));
    area.draw_text(title, &text(34.0, dark), (40, 24))?;
    area.draw_text(subtitle, &text(subtitle_size, grey), (40, 74))?;
    if let Some((message, top)) = empty {
        area.draw_text(message, &text(26.0, grey), (40, top))?;
        return Ok(false);
    }
    Ok(true)
}

/// Text style in the chart font.
pub(crate) fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    let mut style = TextStyle::from((FAMILY, size).into_font());
    style.color = color.to_backend_color();
    style
}

/// Shorten a label to `max` characters with an ellipsis in the middle, so that two long labels
/// that share a beginning stay apart.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        return s.to_string();
    }
    let head = (max - 1).div_ceil(2);
    let tail = max - 1 - head;
    let mut t: String = chars[..head].iter().collect();
    t.push('…');
    t.extend(&chars[chars.len() - tail..]);
    t
}

/// A round step for about `ticks` grid lines up to `max`.
pub(crate) fn nice_step(max: f64, ticks: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / ticks;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    step.max(1.0)
}

/// Slogan kinds and their names in chart legends.
pub(crate) const KIND_NAMES: [(&str, &str); 6] = [
    ("formula", "编号提法"),
    ("quoted", "引号内"),
    ("lexicon", "词表"),
    ("enumeration", "排比"),
    ("phrase", "短语"),
    ("set_phrase", "固定语"),
];

/// Colours by slogan kind, shared by every chart.
pub fn kind_color(kind: &str) -> RGBColor {
    match kind {
        "formula" => RGBColor(230, 126, 34),
        "quoted" => RGBColor(41, 128, 185),
        "lexicon" => RGBColor(39, 174, 96),
        "enumeration" => RGBColor(142, 68, 173),
        "set_phrase" => RGBColor(22, 160, 133),
        _ => RGBColor(127, 140, 141),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_labels() {
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(3.0, 5.0), 1.0);
        assert_eq!(shorten("以学铸魂、以学增智、以学正风、以学促干", 8), "以学铸魂…学促干");
        assert_eq!(shorten("四个意识", 8), "四个意识");
    }
}
