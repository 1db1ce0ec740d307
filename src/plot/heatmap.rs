//! Heatmap of an n×n matrix with labelled rows: slogan co-occurrence (colour = normalised PMI,
//! diverging) or text shared between documents (colour = share, sequential).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{heading, render, shorten, text};
use crate::error::Result;

/// How cell values map to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// −1 blue, 0 white, +1 red.
    Diverging,
    /// 0 white to 1 dark red.
    Sequential,
}

/// An n×n matrix of pair scores; `None` where a pair is not measured.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub title: String,
    pub subtitle: String,
    pub labels: Vec<String>,
    /// Short keys numbering the rows and heading the columns (1, 2, 3 … when empty).
    pub keys: Vec<String>,
    /// Cell values, row-major: in [-1, 1] (diverging) or [0, 1] (sequential).
    pub score: Vec<Vec<Option<f64>>>,
    /// Text printed in each cell (empty prints nothing).
    pub text: Vec<Vec<String>>,
    pub scale: Scale,
    /// What the colours mean, printed beside the colour scale.
    pub legend: String,
}

const CELL: i32 = 58;
const LABEL_CHARS: usize = 18;

/// Blue (−1) through white (0) to red (+1); a sequential scale uses the upper half.
fn color(v: f64) -> RGBColor {
    let v = v.clamp(-1.0, 1.0);
    let (r, g, b) = if v >= 0.0 { (214.0, 39.0, 40.0) } else { (31.0, 119.0, 180.0) };
    let t = v.abs();
    let mix = |c: f64| (255.0 + (c - 255.0) * t).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

/// Render the heatmap to PNG bytes.
pub fn heatmap(name: &'static str, hm: &Heatmap) -> Result<Vec<u8>> {
    let n = hm.labels.len() as i32;
    let key = |i: usize| hm.keys.get(i).cloned().unwrap_or_else(|| (i + 1).to_string());
    let labels: Vec<String> =
        hm.labels.iter().enumerate().map(|(i, l)| format!("{} {}", key(i), shorten(l, LABEL_CHARS))).collect();
    // width of the row labels is measured once the font is available inside `render`
    let approx_label = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as i32 * 25;
    let left = 40 + approx_label.clamp(160, 520) + 14;
    let top = 190;
    let w = (left + n.max(1) * CELL + 60).max(left + 1000) as u32;
    let h = (top + n.max(1) * CELL + 140) as u32;
    render(name, (w, h), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        if !heading(area, &hm.title, (&hm.subtitle, 22.0), (n == 0).then_some(("（没有可显示的数据）", top)))?
        {
            return Ok(());
        }
        for (i, l) in labels.iter().enumerate() {
            let y = top + i as i32 * CELL + CELL / 2;
            area.draw_text(l, &text(22.0, dark).pos(Pos::new(HPos::Right, VPos::Center)), (left - 12, y))?;
            let x = left + i as i32 * CELL + CELL / 2;
            area.draw_text(&key(i), &text(22.0, dark).pos(Pos::new(HPos::Center, VPos::Bottom)), (x, top - 8))?;
        }
        for r in 0..n as usize {
            for c in 0..n as usize {
                let (x, y) = (left + c as i32 * CELL, top + r as i32 * CELL);
                let fill = if r == c {
                    RGBColor(206, 212, 218)
                } else {
                    hm.score[r][c].map_or(RGBColor(241, 243, 245), color)
                };
                area.draw(&Rectangle::new([(x, y), (x + CELL, y + CELL)], fill.filled()))?;
                area.draw(&Rectangle::new([(x, y), (x + CELL, y + CELL)], RGBColor(255, 255, 255).stroke_width(1)))?;
                let label = &hm.text[r][c];
                if !label.is_empty() {
                    let strong = hm.score[r][c].is_some_and(|v| v.abs() > 0.6);
                    let ink = if strong { WHITE } else { dark };
                    area.draw_text(
                        label,
                        &text(19.0, ink).pos(Pos::new(HPos::Center, VPos::Center)),
                        (x + CELL / 2, y + CELL / 2),
                    )?;
                }
            }
        }
        // colour scale
        let sy = top + n * CELL + 50;
        let sx = left;
        let sw = 400;
        let (low, ticks): (f64, [&str; 3]) = match hm.scale {
            Scale::Diverging => (-1.0, ["-1", "0", "+1"]),
            Scale::Sequential => (0.0, ["0%", "50%", "100%"]),
        };
        for i in 0..sw {
            let v = low + (1.0 - low) * i as f64 / (sw - 1) as f64;
            area.draw(&Rectangle::new([(sx + i, sy), (sx + i + 1, sy + 20)], color(v).filled()))?;
        }
        let ts = text(20.0, grey).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(ticks[0], &ts, (sx, sy + 26))?;
        area.draw_text(ticks[1], &ts, (sx + sw / 2, sy + 26))?;
        area.draw_text(ticks[2], &ts, (sx + sw, sy + 26))?;
        area.draw_text(&hm.legend, &text(20.0, grey), (sx + sw + 30, sy - 2))?;
        Ok(())
    })
}
