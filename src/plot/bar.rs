//! Horizontal bar chart with long Chinese labels (top slogans, top n-grams).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{render, shorten, text};
use crate::error::Result;

/// One bar: its label, length, colour, and a note printed after it.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub color: RGBColor,
    pub note: String,
}

/// What a bar chart shows.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    pub subtitle: String,
    /// Name of the quantity the bars measure, printed under the axis.
    pub axis: String,
    pub bars: Vec<Bar>,
    pub legend: Vec<(String, RGBColor)>,
}

const W: u32 = 1600;
const ROW: i32 = 44;
const TOP: i32 = 150;
const BOTTOM: i32 = 90;
const LABEL_CHARS: usize = 26;

/// Render `chart` to PNG bytes. An empty chart says so instead of drawing nothing.
pub fn bar_chart(name: &'static str, chart: &BarChart) -> Result<Vec<u8>> {
    let rows = chart.bars.len().max(1) as i32;
    let h = (TOP + rows * ROW + BOTTOM) as u32;
    render(name, (W, h), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        area.draw_text(&chart.title, &text(36.0, dark), (40, 24))?;
        area.draw_text(&chart.subtitle, &text(24.0, grey), (40, 76))?;
        let mut lx = 40;
        for (name, color) in &chart.legend {
            area.draw(&Rectangle::new([(lx, 118), (lx + 22, 140)], color.filled()))?;
            area.draw_text(name, &text(22.0, dark).pos(Pos::new(HPos::Left, VPos::Center)), (lx + 30, 129))?;
            lx += 60 + area.estimate_text_size(name, &text(22.0, dark))?.0 as i32;
        }
        draw_bars(area, &chart.bars, TOP, &chart.axis)?;
        Ok(())
    })
}

/// Several bar charts, one under the other, each with a heading, in one PNG.
pub fn bar_panels(name: &'static str, title: &str, subtitle: &str, panels: Vec<(String, Vec<Bar>)>) -> Result<Vec<u8>> {
    let heights: Vec<i32> = panels.iter().map(|(_, bars)| 50 + bars.len().max(1) as i32 * ROW + 80).collect();
    let h = (TOP - 40 + heights.iter().sum::<i32>() + 20) as u32;
    render(name, (W, h), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        area.draw_text(title, &text(36.0, dark), (40, 24))?;
        area.draw_text(subtitle, &text(22.0, grey), (40, 76))?;
        let mut y = TOP - 40;
        for ((heading, bars), height) in panels.iter().zip(&heights) {
            area.draw_text(heading, &text(28.0, dark), (40, y + 6))?;
            draw_bars(area, bars, y + 50, "")?;
            y += height;
        }
        if panels.is_empty() {
            area.draw_text("（没有可显示的数据）", &text(26.0, grey), (40, TOP))?;
        }
        Ok(())
    })
}

/// Bars from `top` down, with labels, a value grid and `axis` under it.
fn draw_bars(
    area: &super::Area,
    bars: &[Bar],
    top: i32,
    axis: &str,
) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let dark = RGBColor(33, 37, 41);
    let grey = RGBColor(108, 117, 125);
    if bars.is_empty() {
        area.draw_text("（没有可显示的数据）", &text(26.0, grey), (40, top + 8))?;
        return Ok(());
    }
    let rows = bars.len() as i32;
    let label_style = text(24.0, dark);
    let labels: Vec<String> = bars.iter().map(|b| shorten(&b.label, LABEL_CHARS)).collect();
    let mut label_w = 0;
    for l in &labels {
        label_w = label_w.max(area.estimate_text_size(l, &label_style)?.0 as i32);
    }
    let x0 = 40 + label_w.clamp(120, 760) + 16;
    let x1 = W as i32 - 200;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let step = super::nice_step(max, 5.0);
    let top_value = (max / step).ceil() * step;
    let x_of = |v: f64| x0 + ((v / top_value) * (x1 - x0) as f64).round() as i32;
    let y_end = top + rows * ROW;
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        let x = x_of(v);
        area.draw(&PathElement::new(vec![(x, top - 6), (x, y_end)], RGBColor(222, 226, 230)))?;
        let tick = if step.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") };
        area.draw_text(&tick, &text(20.0, grey).pos(Pos::new(HPos::Center, VPos::Top)), (x, y_end + 8))?;
        v += step;
    }
    if !axis.is_empty() {
        area.draw_text(axis, &text(22.0, grey).pos(Pos::new(HPos::Center, VPos::Top)), ((x0 + x1) / 2, y_end + 42))?;
    }
    for (i, (bar, label)) in bars.iter().zip(&labels).enumerate() {
        let y = top + i as i32 * ROW;
        let mid = y + ROW / 2;
        area.draw_text(label, &label_style.pos(Pos::new(HPos::Right, VPos::Center)), (x0 - 12, mid))?;
        area.draw(&Rectangle::new([(x0, y + 7), (x_of(bar.value).max(x0 + 2), y + ROW - 7)], bar.color.filled()))?;
        area.draw_text(
            &bar.note,
            &text(20.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
            (x_of(bar.value).max(x0 + 2) + 8, mid),
        )?;
    }
    Ok(())
}
