//! The boilerplate chart: a histogram of every document's shared-text ratio, and the documents
//! with the highest ratios named below it, so that it reads for ten documents or ten thousand.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{nice_step, render, shorten, text};
use crate::error::Result;

/// What the boilerplate chart shows.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    pub title: String,
    pub subtitle: String,
    /// Every document's ratio in [0, 1].
    pub ratios: Vec<f64>,
    /// The documents named: label, ratio, common ratio (the part shared with many documents).
    pub top: Vec<(String, f64, f64)>,
}

const W: u32 = 1600;
const HIST_TOP: i32 = 160;
const HIST_H: i32 = 260;
const ROW: i32 = 40;
const BINS: usize = 10;

/// Render the chart to PNG bytes.
pub fn boilerplate(name: &'static str, b: &Boilerplate) -> Result<Vec<u8>> {
    let list_top = HIST_TOP + HIST_H + 130;
    let h = (list_top + b.top.len().max(1) as i32 * ROW + 60) as u32;
    render(name, (W, h), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        let shared = RGBColor(243, 156, 18);
        let common = RGBColor(192, 57, 43);
        area.draw_text(&b.title, &text(36.0, dark), (40, 24))?;
        area.draw_text(&b.subtitle, &text(22.0, grey), (40, 76))?;
        area.draw_text("文档数（按共享比例分组）", &text(22.0, dark), (40, 118))?;

        // histogram
        let mut bins = [0usize; BINS];
        for &r in &b.ratios {
            bins[((r * BINS as f64) as usize).min(BINS - 1)] += 1;
        }
        let max = *bins.iter().max().unwrap_or(&1) as f64;
        let step = nice_step(max.max(1.0), 4.0);
        let top_value = (max / step).ceil().max(1.0) * step;
        let (x0, x1) = (120, W as i32 - 60);
        let y_of = |v: f64| HIST_TOP + HIST_H - ((v / top_value) * HIST_H as f64).round() as i32;
        let mut v = 0.0;
        while v <= top_value + 1e-9 {
            let y = y_of(v);
            area.draw(&PathElement::new(vec![(x0, y), (x1, y)], RGBColor(222, 226, 230)))?;
            area.draw_text(
                &format!("{v:.0}"),
                &text(18.0, grey).pos(Pos::new(HPos::Right, VPos::Center)),
                (x0 - 10, y),
            )?;
            v += step;
        }
        let bw = (x1 - x0) / BINS as i32;
        for (i, &count) in bins.iter().enumerate() {
            let bx = x0 + i as i32 * bw;
            if count > 0 {
                area.draw(&Rectangle::new([(bx + 6, y_of(count as f64)), (bx + bw - 6, y_of(0.0))], shared.filled()))?;
                area.draw_text(
                    &count.to_string(),
                    &text(18.0, dark).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    (bx + bw / 2, y_of(count as f64) - 4),
                )?;
            }
            area.draw_text(
                &format!("{}–{}%", i * 10, (i + 1) * 10),
                &text(18.0, grey).pos(Pos::new(HPos::Center, VPos::Top)),
                (bx + bw / 2, HIST_TOP + HIST_H + 8),
            )?;
        }

        // the documents with the highest ratios
        area.draw_text(&format!("共享比例最高的 {} 篇文档", b.top.len()), &text(22.0, dark), (40, list_top - 70))?;
        area.draw(&Rectangle::new([(40, list_top - 34), (62, list_top - 12)], shared.filled()))?;
        area.draw_text(
            "与至少一篇其他文档共享",
            &text(20.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
            (70, list_top - 23),
        )?;
        area.draw(&Rectangle::new([(330, list_top - 34), (352, list_top - 12)], common.filled()))?;
        area.draw_text(
            "其中多篇文档共有（全语料套话）",
            &text(20.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
            (360, list_top - 23),
        )?;
        let label_style = text(20.0, dark);
        let labels: Vec<String> = b.top.iter().map(|t| shorten(&t.0, 30)).collect();
        let mut label_w = 0;
        for l in &labels {
            label_w = label_w.max(area.estimate_text_size(l, &label_style)?.0 as i32);
        }
        let lx0 = 40 + label_w.clamp(120, 700) + 14;
        let lx1 = W as i32 - 160;
        let x_of = |r: f64| lx0 + (r.clamp(0.0, 1.0) * (lx1 - lx0) as f64).round() as i32;
        for (i, ((_, ratio, common_ratio), label)) in b.top.iter().zip(&labels).enumerate() {
            let y = list_top + i as i32 * ROW;
            let mid = y + ROW / 2;
            area.draw_text(label, &label_style.pos(Pos::new(HPos::Right, VPos::Center)), (lx0 - 10, mid))?;
            area.draw(&Rectangle::new([(lx0, y + 6), (lx1, y + ROW - 6)], RGBColor(241, 243, 245).filled()))?;
            area.draw(&Rectangle::new([(lx0, y + 6), (x_of(*ratio).max(lx0 + 1), y + ROW - 6)], shared.filled()))?;
            if *common_ratio > 0.0 {
                area.draw(&Rectangle::new(
                    [(lx0, y + 6), (x_of(*common_ratio).max(lx0 + 1), y + ROW - 6)],
                    common.filled(),
                ))?;
            }
            area.draw_text(
                &format!("{:.0}%（{:.0}%）", ratio * 100.0, common_ratio * 100.0),
                &text(18.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
                (lx1 + 10, mid),
            )?;
        }
        Ok(())
    })
}
