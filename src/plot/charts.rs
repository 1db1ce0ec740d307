//! The report's charts, built from its tables: top slogans, top n-grams, slogan co-occurrence,
//! boilerplate ratios and text shared between documents.

use plotters::style::RGBColor;
use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::bar::{Bar, BarChart, bar_chart, bar_panels};
use super::boilerplate::{Boilerplate, boilerplate};
use super::heatmap::{Heatmap, Scale, heatmap};
use super::line::{LineChart, PALETTE, Series, line_chart};
use super::network::{Edge, Network, Node, network};
use super::timeline::{Row, Timeline, timeline};
use super::{KIND_NAMES, kind_color};
use crate::error::{Result, TableContext};
use crate::families::{Families, most_used};
use crate::frame::{f64s, strs, u64s};
use crate::reuse::Reuse;
use crate::slogans::{Slogan, Slogans};
use crate::trends::{Period, PeriodTotals, Trends};

/// `slogans.png`: among the best-scored slogans (four times as many as shown, at least 100),
/// the `rows` found in the most documents, coloured by kind.
pub fn slogans_png(slogans: &Slogans, documents: usize, rows: usize) -> Result<Vec<u8>> {
    let pool = (4 * rows).max(100);
    let top: Vec<&Slogan> = slogans.widest(pool, rows).into_iter().map(|i| &slogans.list[i]).collect();
    let bars = top
        .iter()
        .map(|s| Bar {
            label: s.text.clone(),
            value: s.doc_count as f64,
            color: kind_color(s.kind.as_str()),
            note: format!("{} 篇 · {} 次", s.doc_count, s.count),
        })
        .collect();
    let mut kinds: Vec<&str> = top.iter().map(|s| s.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let legend = KIND_NAMES
        .iter()
        .filter(|(k, _)| kinds.contains(k))
        .map(|(k, zh)| (format!("{zh} {k}"), kind_color(k)))
        .collect();
    bar_chart(
        "slogans.png",
        &BarChart {
            title: "反复出现的口号：出现在多少篇文档中".into(),
            subtitle: format!(
                "得分最高的 {} 个口号中出现文档最多的 {} 个（共 {} 个）· 语料共 {documents} 篇文档 · 条形长度 = 文档数，右侧注明次数",
                slogans.list.len().min(pool),
                top.len(),
                slogans.list.len()
            ),
            axis: "出现该口号的文档数".into(),
            bars,
            legend,
        },
    )
}

/// The rows of an `ngrams` table made a slice at a time that [`ngrams_png`] shows, kept from
/// each slice in order until there are enough: the chart of [`NgramsShown::rows`] is that of the
/// whole table.
pub struct NgramsShown {
    pub rows: DataFrame,
    wanted: usize,
}

impl NgramsShown {
    /// For a chart of `wanted` rows of a table whose schema is that of `empty`.
    pub fn new(empty: &DataFrame, wanted: usize) -> Self {
        NgramsShown { rows: empty.clear(), wanted }
    }

    /// Keep the rows of the next slice that the chart shows, up to the rows it has room for.
    pub fn add(&mut self, slice: &DataFrame) -> Result<()> {
        const T: &str = "ngrams";
        let room = self.wanted.saturating_sub(self.rows.height());
        if room > 0 {
            let at: Vec<IdxSize> = ngrams_shown(slice, room)?.into_iter().map(|i| i as IdxSize).collect();
            let kept = slice.take(&IdxCa::from_vec("at".into(), at)).table(T)?;
            self.rows.vstack_mut(&kept).table(T)?;
        }
        Ok(())
    }
}

/// The first `rows` rows of an `ngrams` table that [`ngrams_png`] shows: no stopword at either
/// end, no number (dates, quantities).
fn ngrams_shown(ngrams: &DataFrame, rows: usize) -> Result<Vec<usize>> {
    const T: &str = "ngrams";
    let column = |name: &str| ngrams.column(name).table(T);
    let (tokens, edge) = (column("tokens")?.str().table(T)?, column("stopword_edge")?.bool().table(T)?);
    let numeric = |t: &str| t.chars().any(|c| c.is_ascii_digit());
    Ok((tokens.iter().zip(edge.iter()).enumerate())
        .filter(|(_, (t, e))| !e.unwrap_or(false) && !numeric(t.unwrap_or("")))
        .map(|(i, _)| i)
        .take(rows)
        .collect())
}

/// `ngrams.png`: the `rows` most frequent word n-grams that neither begin nor end with a stopword
/// and hold no digits.
pub fn ngrams_png(ngrams: &DataFrame, documents: usize, rows: usize) -> Result<Vec<u8>> {
    const T: &str = "ngrams";
    // the columns are read in place and only up to the last row shown
    let column = |name: &str| ngrams.column(name).table(T);
    let shown = ngrams_shown(ngrams, rows)?;
    let (ngram, n_all) = (column("ngram")?.str().table(T)?, column("n")?.u32().table(T)?);
    let (count_all, dc_all) = (column("count")?.u64().table(T)?, column("doc_count")?.u64().table(T)?);
    let text: Vec<&str> = shown.iter().map(|&i| ngram.get(i).unwrap_or("")).collect();
    let n: Vec<u32> = shown.iter().map(|&i| n_all.get(i).unwrap_or(0)).collect();
    let count: Vec<u64> = shown.iter().map(|&i| count_all.get(i).unwrap_or(0)).collect();
    let dc: Vec<u64> = shown.iter().map(|&i| dc_all.get(i).unwrap_or(0)).collect();
    let colors = [RGBColor(41, 128, 185), RGBColor(22, 160, 133), RGBColor(142, 68, 173)];
    let color = |n: u32| colors[(n.clamp(2, 4) - 2) as usize];
    let bars = (0..shown.len())
        .map(|i| Bar {
            label: text[i].to_string(),
            value: count[i] as f64,
            color: color(n[i]),
            note: format!("{} 次 · {} 篇", count[i], dc[i]),
        })
        .collect();
    bar_chart(
        "ngrams.png",
        &BarChart {
            title: "高频词语组合（2–4 个词，不跨标点）".into(),
            subtitle: format!("前 {} 个，不含以虚词开头或结尾、含数字的组合 · 语料共 {documents} 篇文档", shown.len()),
            axis: "出现次数".into(),
            bars,
            legend: (2..=4).map(|k| (format!("{k} 个词"), color(k))).collect(),
        },
    )
}

/// `cooccurrence_heatmap.png`: npmi of sentence co-occurrence among the `rows` slogans found in
/// the most documents (of the best-scored).
pub fn cooccurrence_png(slogans: &Slogans, cooc: &DataFrame, documents: usize, rows: usize) -> Result<Vec<u8>> {
    const T: &str = "cooccurrence";
    let labels: Vec<String> =
        slogans.widest((4 * rows).max(100), rows).into_iter().map(|i| slogans.list[i].text.clone()).collect();
    let index: FxHashMap<&str, usize> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let k = labels.len();
    let mut score = vec![vec![None; k]; k];
    let mut text = vec![vec![String::new(); k]; k];
    let sent = cooc.clone().lazy().filter(col("window").eq(lit("sentence"))).collect().table(T)?;
    let (a, b) = (strs(&sent, "a", T)?, strs(&sent, "b", T)?);
    let c = u64s(&sent, "count", T)?;
    let npmi = f64s(&sent, "npmi", T)?;
    let units = u64s(&sent, "units", T)?.first().copied().unwrap_or(0);
    for i in 0..sent.height() {
        if let (Some(&x), Some(&y)) = (index.get(a[i]), index.get(b[i])) {
            score[x][y] = Some(npmi[i]);
            score[y][x] = Some(npmi[i]);
            text[x][y] = c[i].to_string();
            text[y][x] = c[i].to_string();
        }
    }
    heatmap(
        "cooccurrence_heatmap.png",
        &Heatmap {
            title: "口号在同一句中共现".into(),
            subtitle: format!(
                "得分靠前的口号中出现文档最多的 {k} 个 · 颜色 = npmi · 数字 = 同句次数 · {documents} 篇文档，{units} 句"
            ),
            labels,
            keys: Vec::new(),
            score,
            text,
            scale: Scale::Diverging,
            legend: "npmi：红 = 常在一起出现，蓝 = 互相回避；灰 = 从未同句出现，或一个包含另一个".into(),
        },
    )
}

/// `boilerplate.png`: the distribution of shared-text ratios over all documents and the `rows`
/// documents with the highest ratios.
pub fn boilerplate_png(reuse: &Reuse, titles: &[&str], min_chars: usize, rows: usize) -> Result<Vec<u8>> {
    let n = titles.len();
    let ratios: Vec<f64> = (0..n).map(|d| reuse.ratio(d)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| ratios[b].total_cmp(&ratios[a]).then(a.cmp(&b)));
    let top = order
        .iter()
        .take(rows)
        .filter(|&&d| ratios[d] > 0.0)
        .map(|&d| (format!("{} {}", d + 1, titles[d]), ratios[d], reuse.common_ratio(d)))
        .collect();
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(n / 2).copied().unwrap_or(0.0);
    let over_half = ratios.iter().filter(|&&r| r >= 0.5).count();
    boilerplate(
        "boilerplate.png",
        &Boilerplate {
            title: "每篇文档有多少文字与其他文档相同".into(),
            subtitle: format!(
                "{n} 篇文档 · 共享 = 至少 {min_chars} 字的相同段落也出现在另一篇文档中 · 中位数 {:.0}% · {over_half} 篇过半",
                median * 100.0
            ),
            ratios,
            top,
        },
    )
}

/// `reuse_heatmap.png`: for the `rows` documents linked to the most others, the share of each
/// row's text that the column document also has.
pub fn reuse_heatmap_png(reuse: &Reuse, titles: &[&str], rows: usize) -> Result<Vec<u8>> {
    let mut links = vec![0usize; titles.len()];
    let mut weight = vec![0usize; titles.len()];
    for p in &reuse.pairs {
        links[p.a as usize] += 1;
        links[p.b as usize] += 1;
        weight[p.a as usize] += p.shared_a;
        weight[p.b as usize] += p.shared_b;
    }
    let mut order: Vec<usize> = (0..titles.len()).filter(|&d| links[d] > 0).collect();
    order.sort_by(|&a, &b| links[b].cmp(&links[a]).then(weight[b].cmp(&weight[a])).then(a.cmp(&b)));
    order.truncate(rows);
    order.sort_unstable();
    let k = order.len();
    let index: FxHashMap<usize, usize> = order.iter().enumerate().map(|(i, &d)| (d, i)).collect();
    let mut score = vec![vec![None; k]; k];
    let mut text = vec![vec![String::new(); k]; k];
    for p in &reuse.pairs {
        if let (Some(&x), Some(&y)) = (index.get(&(p.a as usize)), index.get(&(p.b as usize))) {
            let (sa, sb) = (
                p.shared_a as f64 / reuse.doc_chars[p.a as usize].max(1) as f64,
                p.shared_b as f64 / reuse.doc_chars[p.b as usize].max(1) as f64,
            );
            score[x][y] = Some(sa);
            score[y][x] = Some(sb);
            text[x][y] = format!("{:.0}", sa * 100.0);
            text[y][x] = format!("{:.0}", sb * 100.0);
        }
    }
    heatmap(
        "reuse_heatmap.png",
        &Heatmap {
            title: "文档之间的相同文字".into(),
            subtitle: format!(
                "与其他文档关联最多的 {k} 篇（编号 = 文档在输入中的序号）· 格中数字 = 该行文档的文字有百分之几也出现在该列文档中"
            ),
            labels: order.iter().map(|&d| titles[d].to_string()).collect(),
            keys: order.iter().map(|&d| (d + 1).to_string()).collect(),
            score,
            text,
            scale: Scale::Sequential,
            legend: "颜色 = 行文档与列文档共享的比例；灰 = 没有共享段落".into(),
        },
    )
}

/// `trends.png`: per 10,000 characters of each period, the tracked slogans (or, without any, the
/// `rows` best-scored ones that occur in at least two periods), over every period from the first
/// to the last; periods without documents are gaps.
pub fn trends_png(t: &Trends, period: Period, names: &[&str], tracked: &[bool], rows: usize) -> Result<Vec<u8>> {
    const T: &str = "trends";
    let (Some(first), Some(last)) = (t.periods.keys().next(), t.periods.keys().next_back()) else {
        return line_chart(
            "trends.png",
            &LineChart {
                title: String::new(),
                subtitle: String::new(),
                axis: String::new(),
                periods: vec![],
                series: vec![],
            },
        );
    };
    let periods = period.range(first, last);
    let (ps, ss, rate) = (strs(&t.table, "period", T)?, strs(&t.table, "slogan", T)?, f64s(&t.table, "per_10k", T)?);
    let mut value: FxHashMap<(&str, &str), f64> = FxHashMap::default();
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    for i in 0..t.table.height() {
        value.insert((ps[i], ss[i]), rate[i]);
        if rate[i] > 0.0 {
            *seen.entry(ss[i]).or_insert(0) += 1;
        }
    }
    let chosen: Vec<&str> = if tracked.iter().any(|&x| x) {
        names.iter().zip(tracked).filter(|(_, t)| **t).map(|(n, _)| *n).take(PALETTE.len()).collect()
    } else {
        names.iter().copied().filter(|n| seen.get(n).is_some_and(|&k| k >= 2)).take(rows.min(PALETTE.len())).collect()
    };
    let series = chosen
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            name: name.to_string(),
            color: PALETTE[k % PALETTE.len()],
            values: periods
                .iter()
                .map(|p| t.periods.contains_key(p).then(|| value.get(&(p.as_str(), *name)).copied().unwrap_or(0.0)))
                .collect(),
        })
        .collect();
    let unit = match period {
        Period::Year => "年",
        Period::Month => "月",
        Period::Day => "日",
    };
    let docs: u64 = t.periods.values().map(|p| p.docs).sum();
    line_chart(
        "trends.png",
        &LineChart {
            title: "口号随时间的使用频率".into(),
            subtitle: format!(
                "每万字出现次数，按{unit} · {first}–{last}，{docs} 篇有日期的文档 · 灰色 = 该{unit}没有文档（空缺，不是零）"
            ),
            axis: "每万字".into(),
            periods,
            series,
        },
    )
}

/// `keyness.png`: for the groups with the strongest keys (at most six), the slogans and words each
/// uses most over the rest, by G².
pub fn keyness_png(keys: &DataFrame, column: &str, rows: usize) -> Result<Vec<u8>> {
    const T: &str = "keyness";
    let (group, kind, item) = (strs(keys, "group", T)?, strs(keys, "kind", T)?, strs(keys, "item", T)?);
    let (g2, ratio) = (f64s(keys, "g2", T)?, f64s(keys, "log_ratio", T)?);
    let groups: Vec<&str> = group.iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut strength: Vec<(f64, &str)> = groups
        .iter()
        .map(|g| (group.iter().zip(&g2).filter(|(x, _)| *x == g).map(|(_, v)| *v).fold(0.0, f64::max), *g))
        .collect();
    strength.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let shown: Vec<&str> = strength.iter().take(6).map(|s| s.1).collect();
    let panels = shown
        .iter()
        .map(|g| {
            let mut idx: Vec<usize> = (0..group.len()).filter(|&i| group[i] == *g).collect();
            // a word that is also one of the group's key slogans is shown once, as the slogan
            let slogans: std::collections::HashSet<&str> =
                idx.iter().filter(|&&i| kind[i] == "slogan").map(|&i| item[i]).collect();
            idx.retain(|&i| kind[i] == "slogan" || !slogans.contains(item[i]));
            idx.sort_by(|&a, &b| g2[b].total_cmp(&g2[a]).then(item[a].cmp(item[b])));
            let bars = idx
                .into_iter()
                .take(rows)
                .map(|i| Bar {
                    label: item[i].to_string(),
                    value: g2[i],
                    color: if kind[i] == "slogan" { kind_color("formula") } else { kind_color("quoted") },
                    note: format!("G2 {:.0} · ×{:.1}", g2[i], 2f64.powf(ratio[i])),
                })
                .collect();
            (g.to_string(), bars)
        })
        .collect();
    bar_panels(
        "keyness.png",
        &format!("各组（{column}）比其余文档用得多的口号和词语"),
        &format!(
            "每组按对数似然 G2 排序的前 {rows} 项 · 橙色 = 口号，蓝色 = 词语 · ×n = 本组每万字频率是其余文档的 n 倍 · 显示 {} 组（共 {} 组）",
            shown.len(),
            groups.len()
        ),
        panels,
    )
}

/// The co-occurrence network: slogan pairs in one sentence at least twice with npmi ≥ `min_npmi`.
pub struct NetworkSelection {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Slogans and pairs that passed the thresholds before the most frequent were taken.
    pub candidates: (usize, usize),
}

/// Each node keeps at most this many of its strongest edges in the chart.
const EDGES_PER_NODE: usize = 5;

/// Choose what `cooccurrence_network.png` draws: of the slogans with an edge passing the
/// thresholds, the `max_nodes` most frequent, joined by their strongest edges.
pub fn network_selection(
    slogans: &[Slogan],
    cooc: &DataFrame,
    min_npmi: f64,
    max_nodes: usize,
) -> Result<NetworkSelection> {
    const T: &str = "cooccurrence";
    let count: Vec<u64> = slogans.iter().map(|s| s.count).collect();
    let row_of: FxHashMap<&str, usize> = slogans.iter().enumerate().map(|(i, s)| (s.text.as_str(), i)).collect();
    let (a, b, window) = (strs(cooc, "a", T)?, strs(cooc, "b", T)?, strs(cooc, "window", T)?);
    let (pair_count, npmi) = (u64s(cooc, "count", T)?, f64s(cooc, "npmi", T)?);
    let passing: Vec<(usize, usize, f64)> = (0..cooc.height())
        .filter(|&i| window[i] == "sentence" && pair_count[i] >= 2 && npmi[i] >= min_npmi)
        .filter_map(|i| Some((*row_of.get(a[i])?, *row_of.get(b[i])?, npmi[i])))
        .collect();
    let mut candidates: Vec<usize> = passing.iter().flat_map(|&(x, y, _)| [x, y]).collect();
    candidates.sort_by(|&x, &y| count[y].cmp(&count[x]).then(x.cmp(&y)));
    candidates.dedup();
    let n_candidates = candidates.len();
    candidates.truncate(max_nodes);
    let node_of: FxHashMap<usize, usize> = candidates.iter().enumerate().map(|(n, &row)| (row, n)).collect();
    let mut edges: Vec<Edge> = passing
        .iter()
        .filter_map(|&(x, y, w)| Some(Edge { a: *node_of.get(&x)?, b: *node_of.get(&y)?, weight: w }))
        .collect();
    edges.sort_by(|x, y| y.weight.total_cmp(&x.weight).then((x.a, x.b).cmp(&(y.a, y.b))));
    let mut degree = vec![0; candidates.len()];
    edges.retain(|e| {
        let keep = degree[e.a] < EDGES_PER_NODE || degree[e.b] < EDGES_PER_NODE;
        if keep {
            degree[e.a] += 1;
            degree[e.b] += 1;
        }
        keep
    });
    // nodes whose only partners were left out are dropped
    let linked: Vec<usize> = (0..candidates.len()).filter(|&n| degree[n] > 0).collect();
    let renumber: FxHashMap<usize, usize> = linked.iter().enumerate().map(|(new, &old)| (old, new)).collect();
    for e in &mut edges {
        (e.a, e.b) = (renumber[&e.a], renumber[&e.b]);
    }
    let nodes = linked
        .iter()
        .map(|&n| candidates[n])
        .map(|r| Node { label: slogans[r].text.clone(), count: count[r], kind: slogans[r].kind.as_str().to_string() })
        .collect();
    Ok(NetworkSelection { nodes, edges, candidates: (n_candidates, passing.len()) })
}

/// `cooccurrence_network.png`: the slogans said together, from [`network_selection`].
pub fn cooccurrence_network_png(sel: &NetworkSelection, min_npmi: f64) -> Result<Vec<u8>> {
    network(
        "cooccurrence_network.png",
        &Network {
            title: "口号共现网络：哪些口号常在同一句中一起出现".into(),
            subtitle: format!(
                "连线 = 同句共现至少 2 次且 npmi ≥ {min_npmi}，越粗越紧密（每个口号最多画 {EDGES_PER_NODE} 条最强的）· 圆的大小 = 出现次数 · 显示 {} 个口号、{} 条连线（达到阈值的共 {} 个口号、{} 对）",
                sel.nodes.len(),
                sel.edges.len(),
                sel.candidates.0,
                sel.candidates.1
            ),
            nodes: sel.nodes.clone(),
            edges: sel.edges.clone(),
        },
    )
}

/// `families.png`: the `families` largest formula families, each with its `values` most used
/// values in order of first use: a bar from the first to the last period, each period shaded
/// by the value's use per 10,000 characters.
pub fn families_png(
    fam: &Families,
    periods: &std::collections::BTreeMap<String, PeriodTotals>,
    period: Period,
    families: usize,
    values: usize,
) -> Result<Vec<u8>> {
    let shown: Vec<&[crate::families::Value]> = fam
        .groups()
        .into_iter()
        .filter(|g| g.iter().filter(|v| v.first_seen.is_some()).count() >= 2)
        .take(families)
        .collect();
    // the axis spans the shown values' periods
    let seen = || shown.iter().flat_map(|g| g.iter());
    let axis =
        match (seen().filter_map(|v| v.first_seen.as_ref()).min(), seen().filter_map(|v| v.last_seen.as_ref()).max()) {
            (Some(first), Some(last)) => period.range(first, last),
            _ => Vec::new(),
        };
    let at: FxHashMap<&str, usize> = axis.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let groups = shown
        .into_iter()
        .map(|g| {
            let rows = most_used(g, values, |v| v.first_seen.is_some())
                .into_iter()
                .map(|v| {
                    let (first, last) = (v.first_seen.as_deref().unwrap_or(""), v.last_seen.as_deref().unwrap_or(""));
                    let (a, b) = (at.get(first).copied().unwrap_or(0), at.get(last).copied().unwrap_or(0));
                    let rates = (0..axis.len())
                        .map(|k| {
                            (a..=b).contains(&k).then(|| {
                                let chars = periods.get(&axis[k]).map_or(0, |t| t.chars);
                                let n = v.per_period.get(&axis[k]).copied().unwrap_or(0);
                                if chars == 0 { 0.0 } else { n as f64 * 10_000.0 / chars as f64 }
                            })
                        })
                        .collect();
                    Row { label: v.form.clone(), note: format!("{} 次 · {}", v.count, v.span()), rates }
                })
                .collect();
            let total: u64 = g.iter().map(|v| v.count).sum();
            (format!("{} · {} 个取值，共 {total} 次", g[0].family, g.len()), rows)
        })
        .collect();
    let empty = axis.iter().map(|p| !periods.contains_key(p)).collect();
    timeline(
        "families.png",
        &Timeline {
            title: "提法家族：固定框架中的取值随时间的更替".into(),
            subtitle: format!(
                "每行一个取值，从首次到末次使用；颜色越深，该期每万字用得越多 · 最大的 {families} 个家族，每族至多 {values} 个取值"
            ),
            periods: axis,
            empty,
            groups,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ngram_chart_of_a_table_made_in_slices_is_the_whole_tables() {
        super::super::use_font(None).unwrap();
        // the rows the chart shows spread thin: most begin or end with a stopword or hold a digit
        let h = 400;
        let words = |i: usize| format!("提法{} 表述{}", i % 37, i / 37);
        let table = df!(
            "ngram" => (0..h).map(|i| words(i).replace(' ', "")).collect::<Vec<_>>(),
            "tokens" => (0..h).map(|i| if i % 11 == 4 { format!("{i}年 会议") } else { words(i) }).collect::<Vec<_>>(),
            "n" => vec![2u32; h],
            "count" => (0..h).map(|i| (h - i) as u64 * 3).collect::<Vec<_>>(),
            "doc_count" => (0..h).map(|i| (h - i) as u64).collect::<Vec<_>>(),
            "stopword_edge" => (0..h).map(|i| i % 13 != 0).collect::<Vec<_>>(),
        )
        .unwrap();
        let whole = ngrams_png(&table, 500, 25).unwrap();
        for slice in [1, 7, 64, h] {
            let mut shown = NgramsShown::new(&table, 25);
            for at in (0..h).step_by(slice) {
                shown.add(&table.slice(at as i64, slice)).unwrap();
            }
            assert!(shown.rows.height() <= 25);
            assert!(ngrams_png(&shown.rows, 500, 25).unwrap() == whole, "slices of {slice}");
        }
    }
}
