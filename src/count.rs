//! Count: intern every token to an integer id once, then count tokens and word n-grams
//! (n = 2..4, never across punctuation) with polars group-bys; stopwords are marked, not dropped.

use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::{Result, TableContext};
use crate::frame::{round4, u64s};
use crate::segment::Segmented;

/// Token strings by id.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub words: Vec<String>,
}

/// One document's tokens as vocabulary ids, with the same clause boundaries as [`Segmented`].
#[derive(Debug, Clone, Default)]
pub struct DocTokens {
    pub ids: Vec<u32>,
    pub clause_starts: Vec<u32>,
}

impl DocTokens {
    pub fn clauses(&self) -> impl Iterator<Item = &[u32]> {
        let mut bounds = Vec::with_capacity(self.clause_starts.len() + 2);
        bounds.push(0usize);
        bounds.extend(self.clause_starts.iter().map(|&i| i as usize));
        bounds.push(self.ids.len());
        (0..bounds.len() - 1).map(move |k| &self.ids[bounds[k]..bounds[k + 1]])
    }
}

/// Give every distinct token an id, in order of first appearance.
pub fn intern(texts: &[&str], segs: &[Segmented]) -> (Vocab, Vec<DocTokens>) {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    let docs = texts
        .iter()
        .zip(segs)
        .map(|(text, seg)| DocTokens {
            ids: seg
                .words(text)
                .map(|w| {
                    *ids.entry(w).or_insert_with(|| {
                        words.push(w.to_string());
                        (words.len() - 1) as u32
                    })
                })
                .collect(),
            clause_starts: seg.clause_starts.clone(),
        })
        .collect();
    (Vocab { words }, docs)
}

pub(crate) fn sort_desc(lf: LazyFrame, by: &[&str]) -> LazyFrame {
    let mut desc = vec![true];
    desc.resize(by.len(), false);
    lf.sort(
        by.iter().map(|s| PlSmallStr::from(*s)).collect::<Vec<_>>(),
        SortMultipleOptions::default().with_order_descending_multi(desc).with_maintain_order(true),
    )
}

/// Group occurrence rows (one per occurrence, with a `doc` column) by `keys`:
/// `count` = occurrences, `doc_count` = distinct documents.
pub(crate) fn count_by(occurrences: DataFrame, keys: &[&str]) -> LazyFrame {
    let key_exprs: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    occurrences.lazy().group_by(key_exprs).agg([
        len().cast(DataType::UInt64).alias("count"),
        col("doc").n_unique().cast(DataType::UInt64).alias("doc_count"),
    ])
}

/// The `tokens` table: token, count, doc_count, per_10k (per 10,000 tokens), stopword.
pub fn token_table(vocab: &Vocab, docs: &[DocTokens], stopwords: &rustc_hash::FxHashSet<String>) -> Result<DataFrame> {
    const T: &str = "tokens";
    let total: usize = docs.iter().map(|d| d.ids.len()).sum();
    let mut doc = Vec::with_capacity(total);
    let mut tok = Vec::with_capacity(total);
    for (d, dt) in docs.iter().enumerate() {
        doc.extend(std::iter::repeat_n(d as u32, dt.ids.len()));
        tok.extend_from_slice(&dt.ids);
    }
    let occ = DataFrame::new(total, vec![Column::new("doc".into(), doc), Column::new("tok".into(), tok)]).table(T)?;
    let n = vocab.words.len();
    let vocab_df = DataFrame::new(
        n,
        vec![
            Column::new("tok".into(), (0..n as u32).collect::<Vec<_>>()),
            Column::new("token".into(), vocab.words.clone()),
            Column::new("stopword".into(), vocab.words.iter().map(|w| stopwords.contains(w)).collect::<Vec<_>>()),
        ],
    )
    .table(T)?;
    let lf = count_by(occ, &["tok"])
        .join(vocab_df.lazy(), [col("tok")], [col("tok")], JoinArgs::new(JoinType::Left))
        .select([col("token"), col("count"), col("doc_count"), col("stopword")]);
    let mut df = sort_desc(lf, &["count", "token"]).collect().table(T)?;
    let per_10k: Vec<f64> =
        u64s(&df, "count", T)?.into_iter().map(|c| round4(c as f64 * 10_000.0 / total.max(1) as f64)).collect();
    df.insert_column(3, Column::new("per_10k".into(), per_10k)).table(T)?;
    Ok(df)
}

/// How n-gram ids are packed into integer keys: `n` ids of `bits` bits each go into one u64
/// when they fit, otherwise into two (the first two ids and the rest).
#[derive(Debug, Clone, Copy)]
struct Packing {
    n: usize,
    bits: u32,
    split: bool,
}

impl Packing {
    fn new(n: usize, vocab: usize) -> Self {
        let bits = (usize::BITS - vocab.max(2).leading_zeros()).max(1);
        Packing { n, bits, split: n as u32 * bits > 64 }
    }

    fn pack(self, ids: &[u32]) -> u64 {
        ids.iter().fold(0u64, |k, &id| (k << self.bits) | id as u64)
    }

    /// The one or two keys of an n-gram.
    fn keys(self, w: &[u32]) -> (u64, u64) {
        if self.split { (self.pack(&w[..2]), self.pack(&w[2..])) } else { (self.pack(w), 0) }
    }

    fn unpack(self, k1: u64, k2: u64) -> Vec<u32> {
        let mask = (1u64 << self.bits) - 1;
        let part = |k: u64, len: usize| (0..len).rev().map(move |i| ((k >> (i as u32 * self.bits)) & mask) as u32);
        if self.split { part(k1, 2).chain(part(k2, self.n - 2)).collect() } else { part(k1, self.n).collect() }
    }
}

/// The `ngrams` table for n in `ns`: ngram (joined), tokens (space-separated), n, count,
/// doc_count, stopword_edge (first or last word is a stopword). Only n-grams seen at least
/// `min_count` times are kept.
pub fn ngram_table(
    vocab: &Vocab,
    docs: &[DocTokens],
    ns: std::ops::RangeInclusive<usize>,
    min_count: u64,
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<DataFrame> {
    const T: &str = "ngrams";
    let is_stop: Vec<bool> = vocab.words.iter().map(|w| stopwords.contains(w)).collect();
    let mut parts = Vec::new();
    for n in ns {
        let packing = Packing::new(n, vocab.words.len());
        let (mut doc, mut k1, mut k2) = (Vec::new(), Vec::new(), Vec::new());
        for (d, dt) in docs.iter().enumerate() {
            for clause in dt.clauses() {
                for w in clause.windows(n) {
                    let (a, b) = packing.keys(w);
                    doc.push(d as u32);
                    k1.push(a);
                    if packing.split {
                        k2.push(b);
                    }
                }
            }
        }
        let rows = doc.len();
        let mut cols = vec![Column::new("doc".into(), doc), Column::new("k1".into(), k1)];
        let mut keys = vec!["k1"];
        if packing.split {
            cols.push(Column::new("k2".into(), k2));
            keys.push("k2");
        }
        let occ = DataFrame::new(rows, cols).table(T)?;
        let counted = count_by(occ, &keys).filter(col("count").gt_eq(lit(min_count))).collect().table(T)?;
        let k1 = u64s(&counted, "k1", T)?;
        let k2 = if packing.split { u64s(&counted, "k2", T)? } else { vec![0; k1.len()] };
        let mut ngram = Vec::with_capacity(counted.height());
        let mut tokens = Vec::with_capacity(counted.height());
        let mut edge = Vec::with_capacity(counted.height());
        for (a, b) in k1.into_iter().zip(k2) {
            let ids = packing.unpack(a, b);
            let words: Vec<&str> = ids.iter().map(|&i| vocab.words[i as usize].as_str()).collect();
            ngram.push(words.concat());
            tokens.push(words.join(" "));
            edge.push(is_stop[ids[0] as usize] || is_stop[ids[n - 1] as usize]);
        }
        let h = counted.height();
        let df = DataFrame::new(
            h,
            vec![
                Column::new("ngram".into(), ngram),
                Column::new("tokens".into(), tokens),
                Column::new("n".into(), vec![n as u32; h]),
                counted.column("count").table(T)?.clone(),
                counted.column("doc_count").table(T)?.clone(),
                Column::new("stopword_edge".into(), edge),
            ],
        )
        .table(T)?;
        parts.push(df.lazy());
    }
    let all = concat(parts, UnionArgs::default()).table(T)?;
    sort_desc(all, &["count", "ngram", "tokens"]).collect().table(T)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(lines: &[&[&[&str]]]) -> (Vocab, Vec<DocTokens>) {
        // build DocTokens directly from clauses of words
        let mut vocab = Vocab::default();
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut out = Vec::new();
        for doc in lines {
            let mut dt = DocTokens::default();
            for clause in doc.iter() {
                if !dt.ids.is_empty() {
                    dt.clause_starts.push(dt.ids.len() as u32);
                }
                for w in clause.iter() {
                    let id = *ids.entry(w.to_string()).or_insert_with(|| {
                        vocab.words.push(w.to_string());
                        (vocab.words.len() - 1) as u32
                    });
                    dt.ids.push(id);
                }
            }
            out.push(dt);
        }
        (vocab, out)
    }

    fn stop() -> rustc_hash::FxHashSet<String> {
        ["的"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn token_counts_doc_counts_and_per_10k() {
        let (v, d) = docs(&[&[&["主题", "教育", "的"], &["主题"]], &[&["主题", "教育"]]]);
        let df = token_table(&v, &d, &stop()).unwrap();
        let tok: Vec<&str> = crate::frame::strs(&df, "token", "t").unwrap();
        let count: Vec<u64> = crate::frame::u64s(&df, "count", "t").unwrap();
        let dc: Vec<u64> = crate::frame::u64s(&df, "doc_count", "t").unwrap();
        assert_eq!(tok, ["主题", "教育", "的"]);
        assert_eq!(count, [3, 2, 1]);
        assert_eq!(dc, [2, 2, 1]);
        let per: Vec<f64> = crate::frame::f64s(&df, "per_10k", "t").unwrap();
        assert_eq!(per, [5000.0, 3333.3333, 1666.6667]);
        let sw: Vec<bool> = crate::frame::bools(&df, "stopword", "t").unwrap();
        assert_eq!(sw, [false, false, true]);
    }

    #[test]
    fn packing_round_trips() {
        for (n, vocab) in [(2, 10), (3, 196_904), (4, 196_904), (4, 3), (2, u32::MAX as usize)] {
            let p = Packing::new(n, vocab);
            let ids: Vec<u32> = (0..n as u32).map(|i| (vocab as u32 - 1).saturating_sub(i)).collect();
            let (a, b) = p.keys(&ids);
            assert_eq!(p.unpack(a, b), ids, "n={n} vocab={vocab}");
        }
    }

    #[test]
    fn ngrams_stay_inside_clauses() {
        // "教育 主题" spans a clause boundary in doc 1 and must not be counted there
        let (v, d) = docs(&[&[&["主题", "教育"], &["主题", "教育", "的"]], &[&["主题", "教育", "的", "意义"]]]);
        let df = ngram_table(&v, &d, 2..=4, 1, &stop()).unwrap();
        let (ng, n) = (crate::frame::strs(&df, "ngram", "t").unwrap(), crate::frame::u32s(&df, "n", "t").unwrap());
        let (c, dc) =
            (crate::frame::u64s(&df, "count", "t").unwrap(), crate::frame::u64s(&df, "doc_count", "t").unwrap());
        let edge = crate::frame::bools(&df, "stopword_edge", "t").unwrap();
        let rows: Vec<(String, u32, u64, u64, bool)> =
            (0..df.height()).map(|i| (ng[i].to_string(), n[i], c[i], dc[i], edge[i])).collect();
        let want = [
            ("主题教育", 2, 3, 2, false),
            ("主题教育的", 3, 2, 2, true),
            ("教育的", 2, 2, 2, true),
            ("主题教育的意义", 4, 1, 1, false),
            ("教育的意义", 3, 1, 1, false),
            ("的意义", 2, 1, 1, true),
        ];
        let want: Vec<(String, u32, u64, u64, bool)> =
            want.iter().map(|(a, b, c, d, e)| (a.to_string(), *b, *c, *d, *e)).collect();
        assert_eq!(rows, want);
        assert!(!rows.iter().any(|r| r.0 == "教育主题"));
        let min2 = ngram_table(&v, &d, 2..=4, 2, &stop()).unwrap();
        assert_eq!(min2.height(), 3);
    }
}
