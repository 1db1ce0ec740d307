//! Keyness: which slogans and words one group of documents (a province, a kind of report, a
//! period) uses more than the rest of the corpus, by log-likelihood (G²) with the log ratio of
//! the two rates as effect size.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::corpus::Corpus;
use crate::count::{DocTokens, Vocab};
use crate::error::{Error, Result, TableContext};
use crate::frame::{round4, u32s, u64s};
use crate::ingest::DocMeta;
use crate::slogans::Slogans;
use crate::trends::Period;

/// Items kept per group and kind.
pub const TOP: usize = 50;

/// Least G² reported: p < 0.001 with one degree of freedom.
pub const MIN_G2: f64 = 10.83;

/// Dunning's log-likelihood G² for `a` of `c` in the group against `b` of `d` in the rest.
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 && e > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, e1) + term(b, e2))
}

/// log2 of the ratio of the two rates, with 0.5 added to each count so that an item absent from
/// the rest has a finite value.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    (((a + 0.5) / c) / ((b + 0.5) / d)).log2()
}

/// Counts of items in groups: `counts[(group, item)]`, with each group's total size.
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    pub kind: &'static str,
    pub counts: BTreeMap<(u32, String), u64>,
    pub group_totals: Vec<u64>,
}

/// The `keyness` table for groups `names` from one or more kinds of counts: group, kind, item,
/// count, count_rest, per_10k, per_10k_rest, g2, log_ratio. Only over-used items with G² ≥
/// [`MIN_G2`], at most [`TOP`] per group and kind, by G².
pub fn keyness(names: &[String], kinds: &[GroupCounts]) -> Result<DataFrame> {
    const T: &str = "keyness";
    #[derive(Default)]
    struct Rows {
        group: Vec<String>,
        kind: Vec<&'static str>,
        item: Vec<String>,
        count: Vec<u64>,
        count_rest: Vec<u64>,
        per: Vec<f64>,
        per_rest: Vec<f64>,
        g2: Vec<f64>,
        log_ratio: Vec<f64>,
    }
    let mut rows = Rows::default();
    for k in kinds {
        let total: u64 = k.group_totals.iter().sum();
        let mut item_totals: BTreeMap<&str, u64> = BTreeMap::new();
        for ((_, item), n) in &k.counts {
            *item_totals.entry(item.as_str()).or_insert(0) += n;
        }
        for (g, name) in names.iter().enumerate() {
            let c = k.group_totals[g] as f64;
            let d = (total - k.group_totals[g]) as f64;
            if c == 0.0 || d == 0.0 {
                continue;
            }
            let mut keys: Vec<(f64, f64, &str, u64, u64)> = k
                .counts
                .range((g as u32, String::new())..(g as u32 + 1, String::new()))
                .filter_map(|((_, item), &a)| {
                    let b = item_totals[item.as_str()] - a;
                    let (af, bf) = (a as f64, b as f64);
                    let over = af / c > bf / d;
                    let score = g2(af, bf, c, d);
                    (over && score >= MIN_G2).then(|| (score, log_ratio(af, bf, c, d), item.as_str(), a, b))
                })
                .collect();
            keys.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(y.2)));
            for (score, lr, item, a, b) in keys.into_iter().take(TOP) {
                rows.group.push(name.clone());
                rows.kind.push(k.kind);
                rows.item.push(item.to_string());
                rows.count.push(a);
                rows.count_rest.push(b);
                rows.per.push(round4(a as f64 * 10_000.0 / c));
                rows.per_rest.push(round4(b as f64 * 10_000.0 / d));
                rows.g2.push(round4(score));
                rows.log_ratio.push(round4(lr));
            }
        }
    }
    let n = rows.group.len();
    DataFrame::new(
        n,
        vec![
            Column::new("group".into(), rows.group),
            Column::new("kind".into(), rows.kind),
            Column::new("item".into(), rows.item),
            Column::new("count".into(), rows.count),
            Column::new("count_rest".into(), rows.count_rest),
            Column::new("per_10k".into(), rows.per),
            Column::new("per_10k_rest".into(), rows.per_rest),
            Column::new("g2".into(), rows.g2),
            Column::new("log_ratio".into(), rows.log_ratio),
        ],
    )
    .table(T)
}

/// The document fields `--group-by` may name besides metadata columns.
pub const BUILT_IN: [&str; 4] = ["period", "date", "source", "title"];

/// Refuse a `--group-by` column that no document has (checked right after reading, before the
/// heavy stages).
pub fn check_group_by<'a>(mut docs: impl Iterator<Item = &'a DocMeta>, column: &str) -> Result<()> {
    if BUILT_IN.contains(&column) || docs.any(|m| m.extra.contains_key(column)) {
        Ok(())
    } else {
        Err(Error::GroupBy(column.to_string()))
    }
}

/// The documents' groups for one `--group-by` column, with their token counts (stopwords left
/// out of the items, not of the totals). Taken while the words are at hand, so that they can go
/// before slogan discovery; the slogan side is added by [`Groups::table`].
pub struct Groups {
    names: Vec<String>,
    index: Vec<Option<u32>>,
    tokens: GroupCounts,
}

impl Groups {
    pub fn of_tokens(
        column: &str,
        corpus: &Corpus,
        period: Period,
        vocab: &Vocab,
        tokens: &[DocTokens],
        stopwords: &FxHashSet<String>,
    ) -> Result<Self> {
        check_group_by(corpus.docs.iter(), column)?;
        let groups: Vec<Option<String>> = corpus.docs.iter().map(|m| group_of(m, column, period)).collect();
        let (names, index) = number_groups(&groups);
        let tokens = token_groups(&index, names.len(), vocab, tokens, stopwords)?;
        Ok(Groups { names, index, tokens })
    }

    /// The `keyness` table: tokens, then slogans (rates per 10,000 characters of `doc_chars`).
    pub fn table(self, slogans: &Slogans, doc_chars: &[u64]) -> Result<DataFrame> {
        let slogans = slogan_groups(&self.index, self.names.len(), slogans, doc_chars);
        keyness(&self.names, &[self.tokens, slogans])
    }
}

/// A document's group for `--group-by`: a metadata column, `period`, `source`, `date` or
/// `title`. Documents without a value are left out of keyness.
fn group_of(m: &DocMeta, column: &str, period: Period) -> Option<String> {
    match column {
        "period" => m.date.as_deref().and_then(|d| period.of(d)),
        "date" => m.date.clone(),
        "source" => Some(m.source.clone()),
        "title" => Some(m.title.clone()),
        _ => m.extra.get(column).filter(|v| !v.is_empty()).cloned(),
    }
}

/// The distinct groups in order, and each document's group number.
fn number_groups(groups: &[Option<String>]) -> (Vec<String>, Vec<Option<u32>>) {
    let names: Vec<String> = groups.iter().flatten().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    let index = groups.iter().map(|g| g.as_ref().and_then(|g| names.binary_search(g).ok()).map(|i| i as u32)).collect();
    (names, index)
}

/// Token counts per group, counted with polars; stopwords are left out of the items (not of the
/// totals).
fn token_groups(
    group: &[Option<u32>],
    groups: usize,
    vocab: &Vocab,
    docs: &[DocTokens],
    stopwords: &FxHashSet<String>,
) -> Result<GroupCounts> {
    const T: &str = "keyness";
    let (mut g, mut tok) = (Vec::new(), Vec::new());
    let mut totals = vec![0u64; groups];
    for (d, dt) in docs.iter().enumerate() {
        if let Some(gr) = group[d] {
            g.extend(std::iter::repeat_n(gr, dt.ids.len()));
            tok.extend_from_slice(&dt.ids);
            totals[gr as usize] += dt.ids.len() as u64;
        }
    }
    let n = g.len();
    let df = DataFrame::new(n, vec![Column::new("group".into(), g), Column::new("tok".into(), tok)])
        .table(T)?
        .lazy()
        .group_by([col("group"), col("tok")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()
        .table(T)?;
    let (gs, ts, ns) = (u32s(&df, "group", T)?, u32s(&df, "tok", T)?, u64s(&df, "n", T)?);
    let counts = (0..df.height())
        .filter(|&i| !stopwords.contains(&vocab.words[ts[i] as usize]))
        .map(|i| ((gs[i], vocab.words[ts[i] as usize].clone()), ns[i]))
        .collect();
    Ok(GroupCounts { kind: "token", counts, group_totals: totals })
}

/// Slogan counts per group (rates per 10,000 characters).
fn slogan_groups(group: &[Option<u32>], groups: usize, slogans: &Slogans, doc_chars: &[u64]) -> GroupCounts {
    let mut slogan_of = FxHashMap::default();
    for (r, s) in slogans.list.iter().enumerate() {
        for &p in &s.patterns {
            slogan_of.insert(p, r);
        }
    }
    let mut counts = BTreeMap::new();
    let mut totals = vec![0u64; groups];
    for (d, per) in slogans.occurrences.per_doc.iter().enumerate() {
        let Some(g) = group[d] else { continue };
        totals[g as usize] += doc_chars[d];
        for &(p, c) in per {
            if let Some(&r) = slogan_of.get(&p) {
                *counts.entry((g, slogans.list[r].text.clone())).or_insert(0) += c as u64;
            }
        }
    }
    GroupCounts { kind: "slogan", counts, group_totals: totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{f64s, strs};

    fn doc(province: Option<&str>, date: Option<&str>) -> DocMeta {
        DocMeta {
            doc_id: "d".into(),
            source: "s.txt".into(),
            part: 1,
            title: "t".into(),
            date: date.map(str::to_string),
            encoding: "utf-8",
            script: crate::ingest::script::Script::Simplified,
            extra: province.map(|p| ("province".to_string(), p.to_string())).into_iter().collect(),
        }
    }

    #[test]
    fn group_by_columns_are_checked_and_read() {
        let docs = [doc(Some("山东"), Some("2023-05-01")), doc(None, None), doc(Some(""), Some("2024"))];
        for column in ["province", "period", "date", "source", "title"] {
            assert!(check_group_by(docs.iter(), column).is_ok(), "{column}");
        }
        let err = check_group_by(docs.iter(), "ministry").unwrap_err();
        assert!(matches!(&err, Error::GroupBy(c) if c == "ministry"), "{err}");
        assert!(err.to_string().contains("no document has that column"));
        let of = |column: &str| docs.iter().map(|m| group_of(m, column, Period::Year)).collect::<Vec<_>>();
        assert_eq!(of("province"), [Some("山东".to_string()), None, None]);
        assert_eq!(of("period"), [Some("2023".to_string()), None, Some("2024".to_string())]);
        let (names, index) = number_groups(&of("period"));
        assert_eq!((names, index), (vec!["2023".to_string(), "2024".to_string()], vec![Some(0), None, Some(1)]));
    }

    #[test]
    fn g2_of_known_tables() {
        // equal rates: nothing to see
        assert!(g2(10.0, 10.0, 1000.0, 1000.0).abs() < 1e-9);
        // 20 of 1000 against 5 of 1000: G² = 9.64 (Rayson's calculator gives 9.64)
        assert!((g2(20.0, 5.0, 1000.0, 1000.0) - 9.64).abs() < 0.01, "{}", g2(20.0, 5.0, 1000.0, 1000.0));
        assert!((log_ratio(20.0, 5.0, 1000.0, 1000.0) - (20.5f64 / 5.5).log2()).abs() < 1e-12);
    }

    #[test]
    fn two_groups() {
        // 山东 uses 走在前 a lot; both use 主题教育 at the same rate
        let mut counts = BTreeMap::new();
        counts.insert((0, "走在前".to_string()), 30);
        counts.insert((0, "主题教育".to_string()), 50);
        counts.insert((1, "主题教育".to_string()), 50);
        counts.insert((1, "走在前".to_string()), 1);
        let k = GroupCounts { kind: "slogan", counts, group_totals: vec![10_000, 10_000] };
        let df = keyness(&["山东".into(), "云南".into()], &[k]).unwrap();
        assert_eq!(strs(&df, "group", "t").unwrap(), ["山东"]);
        assert_eq!(strs(&df, "item", "t").unwrap(), ["走在前"]);
        assert_eq!(u64s(&df, "count_rest", "t").unwrap(), [1]);
        assert!(f64s(&df, "g2", "t").unwrap()[0] > MIN_G2);
        assert!(f64s(&df, "log_ratio", "t").unwrap()[0] > 4.0);
    }
}
