//! Timeline of formula families: one row per value, a bar from its first to its last period,
//! each period's cell shaded by the value's use per 10,000 characters of that period.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{heading, render, shorten, text};
use crate::error::Result;

/// One row: a label, and per period (index into [`Timeline::periods`]) its rate, `None`
/// outside the first..last span.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// Shown right of the label (count, first–last).
    pub note: String,
    pub rates: Vec<Option<f64>>,
}

/// Rows in groups, each group under a heading.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub title: String,
    pub subtitle: String,
    pub periods: Vec<String>,
    /// Periods without documents (drawn as gaps).
    pub empty: Vec<bool>,
    pub groups: Vec<(String, Vec<Row>)>,
}

const ROW: i32 = 34;
const HEAD: i32 = 40;

/// White (0) to dark blue (1).
fn shade(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |lo: f64, hi: f64| (lo + (hi - lo) * t).round() as u8;
    RGBColor(mix(222.0, 8.0), mix(235.0, 48.0), mix(247.0, 107.0))
}

pub fn timeline(name: &'static str, tl: &Timeline) -> Result<Vec<u8>> {
    let rows: i32 = tl.groups.iter().map(|(_, r)| r.len() as i32).sum();
    let n = tl.periods.len().max(1) as i32;
    let left = 470;
    let plot_w = (n * 14).clamp(700, 1500);
    let cell = plot_w as f64 / n as f64;
    let top = 150;
    let h = top + rows * ROW + tl.groups.len() as i32 * HEAD + 130;
    let w = left + plot_w + 60;
    let max = tl
        .groups
        .iter()
        .flat_map(|(_, r)| r.iter().flat_map(|r| r.rates.iter().flatten()))
        .fold(0.0f64, |a, &b| a.max(b));
    render(name, (w as u32, h as u32), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        if !heading(area, &tl.title, (&tl.subtitle, 21.0), (rows == 0).then_some(("（没有可显示的提法家族）", top)))?
        {
            return Ok(());
        }
        let x_of = |i: usize| left + (i as f64 * cell).round() as i32;
        let mut y = top;
        for (heading, group) in &tl.groups {
            area.draw_text(heading, &text(24.0, dark), (40, y + 8))?;
            y += HEAD;
            for r in group {
                let mid = y + ROW / 2;
                area.draw_text(
                    &shorten(&r.label, 14),
                    &text(21.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
                    (56, mid),
                )?;
                area.draw_text(&r.note, &text(17.0, grey).pos(Pos::new(HPos::Right, VPos::Center)), (left - 10, mid))?;
                for (i, rate) in r.rates.iter().enumerate() {
                    let Some(rate) = rate else { continue };
                    let fill = if tl.empty[i] {
                        RGBColor(241, 243, 245)
                    } else {
                        shade(if max > 0.0 { 0.12 + 0.88 * (rate / max).sqrt() } else { 0.0 })
                    };
                    area.draw(&Rectangle::new([(x_of(i), y + 5), (x_of(i + 1), y + ROW - 5)], fill.filled()))?;
                }
                if let (Some(a), Some(b)) =
                    (r.rates.iter().position(Option::is_some), r.rates.iter().rposition(Option::is_some))
                {
                    area.draw(&Rectangle::new([(x_of(a), y + 5), (x_of(b + 1), y + ROW - 5)], grey.stroke_width(1)))?;
                }
                y += ROW;
            }
        }
        // period axis: about ten labels
        let step = (tl.periods.len() / 10).max(1);
        for (i, p) in tl.periods.iter().enumerate().step_by(step) {
            let x = x_of(i) + (cell / 2.0) as i32;
            area.draw(&PathElement::new(vec![(x, y + 4), (x, y + 12)], grey))?;
            area.draw_text(p, &text(18.0, grey).pos(Pos::new(HPos::Center, VPos::Top)), (x, y + 16))?;
        }
        // colour scale
        let sy = y + 60;
        for i in 0..300 {
            let t = i as f64 / 299.0;
            area.draw(&Rectangle::new([(left + i, sy), (left + i + 1, sy + 18)], shade(0.12 + 0.88 * t).filled()))?;
        }
        let ts = text(18.0, grey).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text("少", &ts, (left, sy + 22))?;
        area.draw_text(&format!("{max:.2}"), &ts, (left + 300, sy + 22))?;
        area.draw_text("每万字出现次数（平方根刻度）；灰色 = 该期没有文档", &text(18.0, grey), (left + 330, sy))?;
        Ok(())
    })
}
