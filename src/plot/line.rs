//! Line chart over periods (trends): one line per series, gaps where a period has no documents.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{nice_step, render, shorten, text};
use crate::error::Result;

/// One line: its name, colour and a value per period (`None`: no documents in that period).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<Option<f64>>,
}

/// What a line chart shows.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub subtitle: String,
    pub axis: String,
    /// Every period from the first to the last, gaps included.
    pub periods: Vec<String>,
    pub series: Vec<Series>,
}

const W: u32 = 1600;
const H: u32 = 900;

/// A palette that stays apart for up to ten lines.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(214, 39, 40),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
    RGBColor(188, 189, 34),
    RGBColor(127, 127, 127),
];

/// Render the chart to PNG bytes.
pub fn line_chart(name: &'static str, c: &LineChart) -> Result<Vec<u8>> {
    render(name, (W, H), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        area.draw_text(&c.title, &text(36.0, dark), (40, 24))?;
        area.draw_text(&c.subtitle, &text(22.0, grey), (40, 76))?;
        let (x0, x1, y0, y1) = (110, W as i32 - 360, 140, H as i32 - 120);
        let n = c.periods.len().max(1);
        let max = c.series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0f64, |a, &b| a.max(b));
        let step = nice_step(max.max(1e-9), 5.0).min(if max < 1.0 { 0.2 } else { f64::MAX });
        let step = if max <= 0.0 {
            1.0
        } else if max < 1.0 {
            nice_small_step(max)
        } else {
            step
        };
        let top = ((max / step).ceil().max(1.0)) * step;
        let x_of = |i: usize| {
            if n == 1 { (x0 + x1) / 2 } else { x0 + ((x1 - x0) as f64 * i as f64 / (n - 1) as f64).round() as i32 }
        };
        let y_of = |v: f64| y1 - ((v / top) * (y1 - y0) as f64).round() as i32;
        // gaps: periods without documents, shaded
        let has_docs: Vec<bool> =
            (0..n).map(|i| c.series.iter().any(|s| s.values.get(i).is_some_and(Option::is_some))).collect();
        let half = ((x1 - x0) as f64 / n.max(2) as f64 / 2.0).ceil() as i32;
        for (i, &docs) in has_docs.iter().enumerate() {
            if !docs && !c.series.is_empty() {
                let x = x_of(i);
                area.draw(&Rectangle::new([(x - half, y0), (x + half, y1)], RGBColor(241, 243, 245).filled()))?;
            }
        }
        // grid and y labels
        let mut v = 0.0;
        while v <= top + 1e-12 {
            let y = y_of(v);
            area.draw(&PathElement::new(vec![(x0, y), (x1, y)], RGBColor(222, 226, 230)))?;
            let label = if step < 1.0 { format!("{v:.2}") } else { format!("{v:.0}") };
            area.draw_text(&label, &text(18.0, grey).pos(Pos::new(HPos::Right, VPos::Center)), (x0 - 10, y))?;
            v += step;
        }
        area.draw_text(&c.axis, &text(20.0, grey), (x0 - 80, y0 - 36))?;
        // period labels: about fifteen
        let every = n.div_ceil(15).max(1);
        // the last period is labelled too, unless that would crowd the label before it
        let last_apart = (n - 1) % every >= every.div_ceil(2) || every == 1;
        for i in (0..n).filter(|i| i % every == 0 || (*i == n - 1 && last_apart)) {
            let x = x_of(i);
            area.draw(&PathElement::new(vec![(x, y1), (x, y1 + 6)], grey))?;
            area.draw_text(&c.periods[i], &text(18.0, grey).pos(Pos::new(HPos::Center, VPos::Top)), (x, y1 + 10))?;
        }
        // lines, broken at gaps, with a dot on every value
        for s in &c.series {
            let mut run: Vec<(i32, i32)> = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => run.push((x_of(i), y_of(*v))),
                    None => {
                        if run.len() > 1 {
                            area.draw(&PathElement::new(run.clone(), s.color.stroke_width(3)))?;
                        }
                        run.clear();
                    }
                }
                if let Some(v) = v.filter(|v| *v > 0.0) {
                    area.draw(&Circle::new((x_of(i), y_of(v)), 3, s.color.filled()))?;
                }
            }
            if run.len() > 1 {
                area.draw(&PathElement::new(run, s.color.stroke_width(3)))?;
            }
        }
        // legend
        for (k, s) in c.series.iter().enumerate() {
            let y = y0 + k as i32 * 40;
            area.draw(&Rectangle::new([(x1 + 40, y + 8), (x1 + 70, y + 14)], s.color.filled()))?;
            area.draw_text(
                &shorten(&s.name, 14),
                &text(22.0, dark).pos(Pos::new(HPos::Left, VPos::Center)),
                (x1 + 80, y + 11),
            )?;
        }
        if c.series.is_empty() {
            area.draw_text("（没有可显示的数据）", &text(26.0, grey), (x0 + 20, y0 + 20))?;
        }
        Ok(())
    })
}

/// A round step for values below one.
fn nice_small_step(max: f64) -> f64 {
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}
