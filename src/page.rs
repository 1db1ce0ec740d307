//! What the run's index page shows, gathered from the run: summary, charts with captions, the
//! top slogans with context lines, the longest near-copies, table previews.

use crate::families::{Families, most_used};
use crate::html::{Chart, ContextLine, Family, NearCopy, Page, SloganExamples, TablePreview};
use crate::ingest::{DocMeta, Skipped};
use crate::reuse::{Alignment, Reuse};
use crate::run::{Counts, Options};
use crate::slogans::Slogan;

/// The facts about a run that the page reports.
pub struct Run<'a> {
    pub opts: &'a Options,
    /// Where rules and lexicon came from.
    pub data: &'a str,
    pub counts: &'a Counts,
    pub skipped: &'a [Skipped],
    pub timings: &'a [(&'static str, f64)],
}

/// Context lines per slogan, and characters on each side.
const LINES: usize = 3;
const WIDTH: usize = 30;

/// The `top` aligned passages with edits, most matched characters first, for the index page.
pub fn near_copies(reuse: &Reuse, docs: &[DocMeta], texts: &[&str], top: usize) -> Vec<NearCopy> {
    let mut edited: Vec<&Alignment> = reuse.alignments.iter().filter(|x| x.edits > 0).collect();
    edited.sort_by(|x, y| y.matched.cmp(&x.matched).then((x.a, x.b, x.a_start).cmp(&(y.a, y.b, y.a_start))));
    edited
        .into_iter()
        .take(top)
        .map(|x| NearCopy {
            doc_a: docs[x.a as usize].doc_id.clone(),
            doc_b: docs[x.b as usize].doc_id.clone(),
            similarity: x.similarity(),
            edits: x.edits,
            chars_a: x.chars_a(),
            chars_b: x.chars_b(),
            pieces: x.pieces(texts[x.a as usize], texts[x.b as usize]),
        })
        .collect()
}

/// The first `top` slogans (those that occur), each with its first occurrences in distinct
/// documents.
pub fn slogan_examples(slogans: &[Slogan], texts: &[&str], metas: &[DocMeta], top: usize) -> Vec<SloganExamples> {
    let shown: Vec<&Slogan> = slogans.iter().take(top).filter(|s| s.count > 0).collect();
    let phrases: Vec<Vec<&str>> = shown.iter().map(|s| s.spellings().filter(|v| !v.is_empty()).collect()).collect();
    let hits = crate::kwic::examples(texts, &phrases, LINES, WIDTH);
    shown
        .iter()
        .zip(hits)
        .map(|(s, hits)| SloganExamples {
            slogan: s.text.clone(),
            kind: s.kind.as_str().to_string(),
            count: s.count,
            doc_count: s.doc_count,
            lines: hits
                .into_iter()
                .map(|h| ContextLine {
                    doc_id: metas[h.doc].doc_id.clone(),
                    date: metas[h.doc].date.clone(),
                    left: h.left,
                    matched: h.matched,
                    right: h.right,
                })
                .collect(),
        })
        .collect()
}

/// The order charts appear on the page.
const CHART_ORDER: [&str; 9] = [
    "slogans.png",
    "ngrams.png",
    "cooccurrence_network.png",
    "cooccurrence_heatmap.png",
    "trends.png",
    "families.png",
    "keyness.png",
    "boilerplate.png",
    "reuse_heatmap.png",
];

fn ordered<'a>(charts: &[&'a str]) -> Vec<&'a str> {
    let mut v = charts.to_vec();
    v.sort_by_key(|f| CHART_ORDER.iter().position(|c| c == f).unwrap_or(CHART_ORDER.len()));
    v
}

/// What each chart shows, for its caption.
fn caption(file: &str, opts: &Options) -> String {
    match file {
        "slogans.png" => "the slogans found in the most documents, coloured by how they were found".into(),
        "ngrams.png" => "the most frequent word n-grams (no stopword at either end)".into(),
        "cooccurrence_heatmap.png" => {
            "slogans said in the same sentence: npmi colour, sentence count in each cell".into()
        }
        "cooccurrence_network.png" => format!(
            "slogans joined when they share sentences (npmi ≥ {}); node size = occurrences; cooccurrence.graphml has the whole graph",
            opts.network_min_npmi
        ),
        "trends.png" => "slogans per 10,000 characters in each period; shaded periods have no documents".into(),
        "families.png" => "formula families: each value of a frame's numeral slot from its first to its last period, darker where used more".into(),
        "keyness.png" => "slogans and words each group uses more than the other documents (G²)".into(),
        "boilerplate.png" => "how much of each document is text that other documents also have".into(),
        "reuse_heatmap.png" => "the documents that share the most text with each other".into(),
        other => other.to_string(),
    }
}

/// The `top` largest families with at most `values` values each (the most used, in order of
/// first use), for the index page.
pub fn families(fam: &Families, top: usize, values: usize) -> Vec<Family> {
    fam.groups()
        .into_iter()
        .take(top)
        .map(|g| {
            let most = most_used(g, values, |_| true);
            Family {
                frame: g[0].family.clone(),
                values: most
                    .iter()
                    .map(|v| (v.value.clone(), v.count, v.doc_count, v.span(), v.succeeds.clone().unwrap_or_default()))
                    .collect(),
                more: g.len() - most.len(),
            }
        })
        .collect()
}

/// The page: summary, charts, examples and previews, in that order.
pub fn index_page(
    run: &Run,
    charts: &[&str],
    others: &[&str],
    examples: Vec<SloganExamples>,
    tables: Vec<TablePreview>,
) -> Page {
    let (c, opts) = (run.counts, run.opts);
    let inputs: Vec<String> = opts.inputs.iter().map(|p| p.display().to_string()).collect();
    let total = run.timings.iter().find(|(s, _)| *s == "total").map(|t| t.1).unwrap_or(0.0);
    let mut summary = vec![
        ("inputs".to_string(), inputs.join(", ")),
        ("documents".into(), format!("{} from {} files", c.documents, c.files)),
        ("skipped".into(), c.skipped.to_string()),
        ("characters counted".into(), format!("{} ({:.1} MB read)", c.chars, c.input_bytes as f64 / 1e6)),
        ("noise removed".into(), format!("{} characters", c.noise_chars)),
        ("text repaired".into(), c.repairs().unwrap_or_else(|| "nothing".into())),
        ("tokens".into(), format!("{} ({} distinct)", c.tokens, c.distinct_tokens)),
        ("slogans".into(), c.slogans.to_string()),
        ("co-occurring pairs".into(), c.cooccurrence_pairs.to_string()),
        ("shared passages".into(), format!("{} ({} document pairs)", c.reuse_passages, c.reuse_pairs)),
        ("aligned passages".into(), c.reuse_alignments.to_string()),
    ];
    if c.periods > 0 {
        summary.push(("periods".into(), c.periods.to_string()));
    }
    if c.keyness_rows > 0 {
        summary.push(("keyness rows".into(), c.keyness_rows.to_string()));
    }
    summary.push(("time".into(), format!("{total:.2} s")));
    summary.push(("rules and lexicon".into(), run.data.to_string()));
    summary.push(("tool".into(), format!("tifa {}", env!("CARGO_PKG_VERSION"))));
    let options = match serde_json::to_value(opts) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| (k, if let serde_json::Value::String(s) = v { s } else { v.to_string() }))
            .collect(),
        _ => Vec::new(),
    };
    let about = |f: &str| match f {
        "cooccurrence.graphml" => "the sentence co-occurrence graph for Gephi, Cytoscape or networkx",
        "run.json" => "version, inputs, options, counts, skipped files, timings and files written",
        _ => "",
    };
    Page {
        title: format!("tifa report: {}", inputs.join(", ")),
        summary,
        skipped: run.skipped.iter().map(|s| (s.path.clone(), s.reason.clone())).collect(),
        timings: run.timings.iter().map(|(s, t)| (s.to_string(), *t)).collect(),
        options,
        charts: ordered(charts).into_iter().map(|f| Chart { file: f.to_string(), caption: caption(f, opts) }).collect(),
        examples,
        near_copies: Vec::new(),
        families: Vec::new(),
        tables,
        files: others.iter().map(|f| (f.to_string(), about(f).to_string())).collect(),
    }
}
