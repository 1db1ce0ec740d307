//! Network chart: slogans as nodes and co-occurrence as edges, placed by a deterministic
//! force-directed layout (Fruchterman–Reingold from a fixed spiral start) whose labels are then
//! pushed apart so that they do not cover each other.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{KIND_NAMES, kind_color, render, shorten, text};
use crate::error::Result;

/// A node: its label, size measure and kind (for the colour).
#[derive(Debug, Clone)]
pub struct Node {
    pub label: String,
    pub count: u64,
    pub kind: String,
}

/// An undirected edge between two nodes, with a strength in (0, 1].
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub weight: f64,
}

/// What the network chart shows.
#[derive(Debug, Clone)]
pub struct Network {
    pub title: String,
    pub subtitle: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

const W: u32 = 1600;
const H: u32 = 1200;
const TOP: i32 = 160;
const MARGIN: i32 = 40;
const LABEL_CHARS: usize = 14;
const ITERATIONS: usize = 400;
const GRAVITY: f64 = 4.0;

/// Positions in [-1, 1]² for `n` nodes joined by `edges`: the same input always gives the same
/// positions. Joined nodes attract in proportion to the edge weight, all nodes repel, and a weak
/// pull to the centre keeps separate components on the canvas.
pub fn layout(n: usize, edges: &[Edge]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    // golden-angle spiral: node 0 (the largest) in the middle
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = ((i as f64 + 0.5) / n as f64).sqrt();
            let t = i as f64 * 2.399_963_229_728_653;
            (r * t.cos(), r * t.sin())
        })
        .collect();
    let k = 0.9 * (4.0 / n as f64).sqrt();
    for iter in 0..ITERATIONS {
        let temperature = 0.1 * (1.0 - iter as f64 / ITERATIONS as f64) + 0.002;
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-3);
                let f = k * k / d;
                let (fx, fy) = (dx / d * f, dy / d * f);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for e in edges {
            let (dx, dy) = (pos[e.a].0 - pos[e.b].0, pos[e.a].1 - pos[e.b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let f = d * d / k * e.weight;
            let (fx, fy) = (dx / d * f, dy / d * f);
            disp[e.a].0 -= fx;
            disp[e.a].1 -= fy;
            disp[e.b].0 += fx;
            disp[e.b].1 += fy;
        }
        for (p, d) in pos.iter_mut().zip(&mut disp) {
            d.0 -= p.0 * k * GRAVITY;
            d.1 -= p.1 * k * GRAVITY;
            let len = (d.0 * d.0 + d.1 * d.1).sqrt().max(1e-9);
            let step = len.min(temperature);
            p.0 = (p.0 + d.0 / len * step).clamp(-1.0, 1.0);
            p.1 = (p.1 + d.1 / len * step).clamp(-1.0, 1.0);
        }
    }
    // stretch to fill the square
    let (min_x, max_x) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let stretch = |v: f64, min: f64, max: f64| if max > min { (v - min) / (max - min) * 2.0 - 1.0 } else { 0.0 };
    pos.iter().map(|p| (stretch(p.0, min_x, max_x), stretch(p.1, min_y, max_y))).collect()
}

/// A box in pixels: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

/// Move boxes apart until none overlap (or `rounds` are used up), each time along the axis where
/// the overlap is smaller, keeping them inside `bounds`. Returns how far each box moved.
pub fn separate(boxes: &mut [Rect], bounds: Rect, rounds: usize) -> Vec<(f64, f64)> {
    let mut moved = vec![(0.0, 0.0); boxes.len()];
    let shift = |b: &mut Rect, m: &mut (f64, f64), dx: f64, dy: f64| {
        let dx = dx.clamp(bounds.0 - b.0, bounds.2 - b.2);
        let dy = dy.clamp(bounds.1 - b.1, bounds.3 - b.3);
        *b = (b.0 + dx, b.1 + dy, b.2 + dx, b.3 + dy);
        m.0 += dx;
        m.1 += dy;
    };
    for _ in 0..rounds {
        let mut any = false;
        for i in 0..boxes.len() {
            for j in i + 1..boxes.len() {
                let (a, b) = (boxes[i], boxes[j]);
                let ox = a.2.min(b.2) - a.0.max(b.0);
                let oy = a.3.min(b.3) - a.1.max(b.1);
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
                any = true;
                let (ca, cb) = ((a.0 + a.2, a.1 + a.3), (b.0 + b.2, b.1 + b.3));
                let (dx, dy) = if oy <= ox {
                    let s = if ca.1 <= cb.1 { 1.0 } else { -1.0 };
                    (0.0, s * (oy / 2.0 + 1.0))
                } else {
                    let s = if ca.0 <= cb.0 { 1.0 } else { -1.0 };
                    (s * (ox / 2.0 + 1.0), 0.0)
                };
                let (left, right) = boxes.split_at_mut(j);
                let (mi, mj) = {
                    let (l, r) = moved.split_at_mut(j);
                    (&mut l[i], &mut r[0])
                };
                shift(&mut left[i], mi, -dx, -dy);
                shift(&mut right[0], mj, dx, dy);
            }
        }
        if !any {
            break;
        }
    }
    moved
}

/// Render the network to PNG bytes. An empty network says so instead of drawing nothing.
pub fn network(name: &'static str, net: &Network) -> Result<Vec<u8>> {
    let pos = layout(net.nodes.len(), &net.edges);
    render(name, (W, H), |area| {
        area.fill(&WHITE)?;
        let dark = RGBColor(33, 37, 41);
        let grey = RGBColor(108, 117, 125);
        area.draw_text(&net.title, &text(36.0, dark), (40, 24))?;
        area.draw_text(&net.subtitle, &text(22.0, grey), (40, 76))?;
        let mut kinds: Vec<&str> = net.nodes.iter().map(|n| n.kind.as_str()).collect();
        kinds.sort();
        kinds.dedup();
        let mut lx = 40;
        for (k, zh) in KIND_NAMES.iter().filter(|(k, _)| kinds.contains(k)) {
            let label = format!("{zh} {k}");
            area.draw(&Circle::new((lx + 11, 129), 10, kind_color(k).filled()))?;
            area.draw_text(&label, &text(22.0, dark).pos(Pos::new(HPos::Left, VPos::Center)), (lx + 30, 129))?;
            lx += 60 + area.estimate_text_size(&label, &text(22.0, dark))?.0 as i32;
        }
        if net.nodes.is_empty() {
            area.draw_text("（没有达到阈值的共现）", &text(26.0, grey), (40, TOP + 20))?;
            return Ok(());
        }
        let max_count = net.nodes.iter().map(|n| n.count).max().unwrap_or(1).max(1) as f64;
        let radius: Vec<f64> = net.nodes.iter().map(|n| 6.0 + 22.0 * (n.count as f64 / max_count).sqrt()).collect();
        let style = text(20.0, dark);
        let labels: Vec<String> = net.nodes.iter().map(|n| shorten(&n.label, LABEL_CHARS)).collect();
        // each node with its label under it is one box; the layout fills the area inside the margins
        let (left, top, right, bottom) = (MARGIN as f64 + 80.0, TOP as f64 + 30.0, W as f64 - 120.0, H as f64 - 50.0);
        let mut boxes = Vec::with_capacity(pos.len());
        for ((p, r), l) in pos.iter().zip(&radius).zip(&labels) {
            let (tw, th) = area.estimate_text_size(l, &style)?;
            let (x, y) = (left + (p.0 + 1.0) / 2.0 * (right - left), top + (p.1 + 1.0) / 2.0 * (bottom - top));
            let half = (tw as f64 / 2.0).max(*r) + 3.0;
            boxes.push((x - half, y - r - 2.0, x + half, y + r + 4.0 + th as f64));
        }
        let bounds = (MARGIN as f64, TOP as f64, W as f64 - MARGIN as f64, H as f64 - 10.0);
        separate(&mut boxes, bounds, 300);
        let centre: Vec<(i32, i32)> =
            boxes.iter().zip(&radius).map(|(b, r)| (((b.0 + b.2) / 2.0) as i32, (b.1 + 2.0 + r) as i32)).collect();
        let max_w = net.edges.iter().map(|e| e.weight).fold(0.0, f64::max).max(1e-9);
        let mut edges = net.edges.clone();
        edges.sort_by(|x, y| x.weight.total_cmp(&y.weight));
        for e in &edges {
            let w = e.weight / max_w;
            let color = RGBColor(90, 110, 140).mix(0.15 + 0.55 * w);
            area.draw(&PathElement::new(
                vec![centre[e.a], centre[e.b]],
                color.stroke_width((1.0 + 5.0 * w).round() as u32),
            ))?;
        }
        for ((n, c), r) in net.nodes.iter().zip(&centre).zip(&radius) {
            area.draw(&Circle::new(*c, *r as i32, kind_color(&n.kind).mix(0.9).filled()))?;
            area.draw(&Circle::new(*c, *r as i32, WHITE.stroke_width(2)))?;
        }
        for ((l, c), r) in labels.iter().zip(&centre).zip(&radius) {
            let at = (c.0, c.1 + *r as i32 + 3);
            // a pale backing keeps the label legible where edges cross it
            let (tw, th) = area.estimate_text_size(l, &style)?;
            let (tw, th) = (tw as i32, th as i32);
            area.draw(&Rectangle::new(
                [(at.0 - tw / 2 - 2, at.1), (at.0 + tw / 2 + 2, at.1 + th + 2)],
                WHITE.mix(0.8).filled(),
            ))?;
            area.draw_text(l, &style.pos(Pos::new(HPos::Center, VPos::Top)), at)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: usize, b: usize) -> Edge {
        Edge { a, b, weight: 1.0 }
    }

    fn dist(p: (f64, f64), q: (f64, f64)) -> f64 {
        ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
    }

    #[test]
    fn layout_is_deterministic_and_keeps_joined_nodes_together() {
        // two triangles joined by nothing
        let edges = [edge(0, 1), edge(1, 2), edge(0, 2), edge(3, 4), edge(4, 5), edge(3, 5)];
        let a = layout(6, &edges);
        assert_eq!(a, layout(6, &edges));
        assert!(a.iter().all(|p| p.0.abs() <= 1.0 + 1e-9 && p.1.abs() <= 1.0 + 1e-9)); // on average, nodes of one triangle are closer to each other than to the other triangle
        let mean =
            |pairs: &[(usize, usize)]| pairs.iter().map(|&(i, j)| dist(a[i], a[j])).sum::<f64>() / pairs.len() as f64;
        let inside = mean(&[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)]);
        let across: Vec<(usize, usize)> = (0..3).flat_map(|i| (3..6).map(move |j| (i, j))).collect();
        let across = mean(&across);
        assert!(inside * 1.5 < across, "inside {inside} across {across}");
        assert!(layout(0, &[]).is_empty());
        assert_eq!(layout(1, &[]).len(), 1);
    }

    #[test]
    fn separate_removes_overlaps_inside_bounds() {
        let mut boxes = vec![(0.0, 0.0, 10.0, 10.0), (5.0, 2.0, 15.0, 12.0), (5.0, 5.0, 15.0, 15.0)];
        separate(&mut boxes, (0.0, 0.0, 100.0, 100.0), 200);
        for i in 0..boxes.len() {
            let b = boxes[i];
            assert!(b.0 >= 0.0 && b.1 >= 0.0 && b.2 <= 100.0 && b.3 <= 100.0, "{b:?}");
            for c in &boxes[i + 1..] {
                let overlap = b.2.min(c.2) > b.0.max(c.0) && b.3.min(c.3) > b.1.max(c.1);
                assert!(!overlap, "{b:?} {c:?}");
            }
        }
    }
}
